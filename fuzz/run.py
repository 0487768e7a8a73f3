"""Run every fuzz target for a bounded time; exit non-zero when any of them crashes.

    python fuzz/run.py                     # every target, 20 s each, with atheris if installed
    python fuzz/run.py --seconds 5 jwt     # one target
    python fuzz/run.py --engine hypothesis # the hypothesis-driven versions of the same targets

Each target (fuzz/targets.py) gets a fresh seed corpus built at run time from the project's
fixtures. With atheris (libFuzzer), each target runs in its own process, ``fuzz/<name>.py``,
with ``-max_total_time``; a crash leaves the input that caused it in ``--artifacts`` (default: a
temporary directory, printed). When atheris is not installed (``--engine auto``), the runner
says so and drives the same targets with hypothesis for the same time instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from targets import TARGETS, Target, mutate  # noqa: E402  (fuzz/ is not a package)


def _atheris_available() -> bool:
    return importlib.util.find_spec("atheris") is not None


def _write_corpus(target: Target, directory: Path) -> int:
    seeds = target.seeds()
    for index, seed in enumerate(seeds):
        (directory / f"seed-{index:03d}").write_bytes(seed)
    return len(seeds)


def run_atheris(target: Target, seconds: int, artifacts: Path) -> bool:
    """Fuzz ``target`` with atheris for ``seconds``; True when nothing crashed."""
    with tempfile.TemporaryDirectory(prefix=f"fuzz-{target.name}-") as corpus:
        count = _write_corpus(target, Path(corpus))
        command = [
            sys.executable,
            str(HERE / f"{target.name}.py"),
            corpus,
            f"-max_total_time={seconds}",
            "-timeout=10",  # one input taking longer is a hang: reported as a crash
            "-rss_limit_mb=2048",
            f"-artifact_prefix={artifacts}/{target.name}-",
            "-print_final_stats=1",
        ]
        print(f"== {target.name}: atheris, {seconds} s, {count} seeds", flush=True)
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    report = done.stderr.strip().splitlines()
    if done.returncode != 0:
        print("\n".join(report[-60:]))
        print(f"!! {target.name}: CRASH (exit {done.returncode}); inputs in {artifacts}")
        return False
    summary = [line for line in report if "DONE" in line or line.startswith("stat::number_of")]
    print("\n".join(summary[:3]))
    return True


def run_hypothesis(target: Target, seconds: int) -> bool:
    """Drive ``target`` with hypothesis for about ``seconds``; True when nothing crashed."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seeds = target.seeds()
    mutated = st.builds(
        mutate,
        st.sampled_from(seeds) if seeds else st.just(b""),
        st.lists(st.tuples(st.integers(0, 1 << 16), st.binary(max_size=8)), max_size=8),
    )

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.one_of(st.binary(max_size=4096), mutated))
    def fuzz_once(data: bytes) -> None:
        target.check(data)

    print(f"== {target.name}: hypothesis, {seconds} s, {len(seeds)} seeds", flush=True)
    deadline = time.monotonic() + seconds
    rounds = 0
    try:
        while time.monotonic() < deadline:
            fuzz_once()
            rounds += 1
    except Exception as error:  # the shrunk failing example is in the traceback hypothesis printed
        print(f"!! {target.name}: CRASH: {type(error).__name__}: {error}")
        return False
    print(f"{rounds * 200} examples")
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the chosen targets; return 0 when none crashed, 1 otherwise (2: usage)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"of {sorted(TARGETS)}")
    parser.add_argument("--seconds", type=int, default=20, help="per target (default 20)")
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument("--artifacts", type=Path, help="where crashing inputs are written")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.targets) - set(TARGETS))
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {sorted(TARGETS)}")
    if args.seconds <= 0:
        parser.error("--seconds must be positive")
    chosen = [TARGETS[name] for name in args.targets or TARGETS]
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _atheris_available() else "hypothesis"
        if engine == "hypothesis":
            print("atheris is not installed: running the hypothesis-driven targets instead")
    elif engine == "atheris" and not _atheris_available():
        parser.error("atheris is not installed (pip install atheris)")
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="fuzz-artifacts-"))
    artifacts.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    crashed = [
        target.name
        for target in chosen
        if not (
            run_atheris(target, args.seconds, artifacts)
            if engine == "atheris"
            else run_hypothesis(target, args.seconds)
        )
    ]
    elapsed = time.monotonic() - started
    if args.artifacts is None and not any(artifacts.iterdir()):
        artifacts.rmdir()  # nothing crashed: leave no empty directory behind
    if crashed:
        print(f"fuzzing found crashes in {crashed} ({elapsed:.0f} s)")
        return 1
    print(f"fuzzing: {len(chosen)} targets, no crash ({elapsed:.0f} s, {engine})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
