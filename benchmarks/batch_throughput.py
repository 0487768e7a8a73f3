"""Batch throughput of ``Issuer.issue_many`` and ``vcbadge.batch.verify_many``: credentials per
second alone, at 1 and at 2 worker processes, and memory per in-flight credential.

    python benchmarks/batch_throughput.py [--count N] [--workers 0 1 2 ...]

``measure(0)`` is the calling process alone, no pool (no pickling, no pipes: the strictest
baseline). ``measure(n)`` for n >= 1 is a ``ProcessPoolExecutor`` of n worker processes
(started with ``spawn``, warmed up before timing), so ``measure(2) / measure(1)`` is how the
batch scales from one worker process to two, and ``measure(2) / measure(0)`` what two workers
give over not using a pool at all. The signer is a ``KeyFileSigner``, the proof format
eddsa-rdfc-2022, the credentials the roster awards of ``vcbadge.issue.batch.awards`` (an OB 3.0
AchievementCredential each, hashed email or DID recipient), without a status store (its cost
is the store's, measured by benchmarks/batch_issue.py --status). The timed consumer counts the
outcomes and keeps none, as a platform writing each credential out would; the credentials
verified are issued beforehand, outside the timing.

Memory per in-flight credential: the peak of Python allocations in the calling process
(``tracemalloc``) while a batch streams through a pool with a small and with a large
``window``, the difference divided by the difference of the windows: what one more
credential in flight costs the caller. The roster is read lazily inside the measurement (as
from a file) and the consumer is slow (it pauses after the first result until the whole
window is done), so the figure is the worst case: every in-flight credential's row, job and
signed result (or verification result, with its parsed document) held at once. The workers
hold one chunk each on top of that.

A figure, not a test: nothing here asserts a speed. The 1-minute load average is printed with
the figures (on a shared machine, other work competes for the cores).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from vcbadge import Achievement, Criteria, FixedClock, Issuer, Profile
from vcbadge.batch import KeyFileSigner, VerifierSpec, verify_many
from vcbadge.issue.batch import BatchIssued, awards, parse_roster
from vcbadge.keys import Ed25519Key, save_key

NOW = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.utc)
CHUNK = 128
WINDOW = 1024
ACHIEVEMENT = Achievement(
    id="https://badges.example.edu/achievements/python-101",
    name="Python 101",
    description="Wrote, tested and packaged a small Python program.",
    criteria=Criteria(narrative="Pass the final project with at least 60%."),
)


def _items(count: int, offset: int = 0) -> list[Any]:
    lines = ["id,email,did"]
    for number in range(offset, offset + count):
        if number % 2:
            lines.append(f"s{number},student{number}@example.edu,")
        else:
            lines.append(f"s{number},,did:example:student{number}")
    return list(awards(parse_roster("\n".join(lines) + "\n", format="csv"), ACHIEVEMENT))


def _issue(
    issuer: Issuer, items: Iterable[Any], executor: Executor | None, window: int
) -> list[Any]:
    return [
        outcome.credential
        for outcome in issuer.issue_many(items, executor=executor, chunk=CHUNK, window=window)
        if isinstance(outcome, BatchIssued)
    ]


def _count_issued(
    issuer: Issuer, items: Iterable[Any], executor: Executor | None, window: int
) -> int:
    # The timed consumer keeps nothing, as one that writes each credential out and lets it go:
    # a list of every result would add the caller's garbage collections over a heap that
    # grows with the batch, a cost of that list (it is measured by the memory figure below).
    return sum(
        isinstance(outcome, BatchIssued)
        for outcome in issuer.issue_many(items, executor=executor, chunk=CHUNK, window=window)
    )


# One spec for every run: each worker builds its verifier once (VerifierSpec) and the warm-up
# runs warm the verifier the measured runs use, as in a service that verifies batch after batch.
SPEC = VerifierSpec(at=NOW)


def _verify(credentials: list[Any], executor: Executor | None, window: int) -> int:
    spec = SPEC
    results = verify_many(credentials, spec=spec, executor=executor, chunk=CHUNK, window=window)
    return sum(bool(result) for result in results)


def _peak(action: Any) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(workers: int, *, count: int = 8_000) -> dict[str, Any]:
    """Credentials per second issuing and verifying ``count`` credentials with ``workers``
    worker processes (0: the calling process alone), and the caller's memory per in-flight
    credential (bytes, over a pool of ``max(workers, 1)`` processes)."""
    with tempfile.TemporaryDirectory() as directory:
        key = Ed25519Key.from_seed(bytes(range(32)))
        key_path = Path(directory) / "key.json"
        save_key(key, key_path)
        issuer = Issuer(
            Profile(id=key.did, name="Example U"),
            key=KeyFileSigner(key_path),
            clock=FixedClock(NOW),
        )
        items = _items(count)
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max(workers, 1), mp_context=context) as pool:
            executor = pool if workers >= 1 else None
            # Warm up: worker start-up, imports, the issuer and verifier each worker builds.
            warm = _issue(issuer, _items(CHUNK * 4 * max(workers, 1), offset=count), pool, WINDOW)
            _verify(warm, pool, WINDOW)
            _verify(_issue(issuer, _items(8, offset=count * 2), None, WINDOW), None, WINDOW)

            # What the timed verification reads: the same awards, issued here beforehand.
            credentials = _issue(issuer, items, None, WINDOW)
            start, cpu, workers_cpu = time.perf_counter(), time.process_time(), _children_cpu()
            issued = _count_issued(issuer, items, executor, WINDOW)
            issue_seconds = time.perf_counter() - start
            issue_cpu = time.process_time() - cpu
            issue_workers_cpu = _children_cpu() - workers_cpu
            start, cpu, workers_cpu = time.perf_counter(), time.process_time(), _children_cpu()
            valid = _verify(credentials, executor, WINDOW)
            verify_seconds = time.perf_counter() - start
            verify_cpu = time.process_time() - cpu
            verify_workers_cpu = _children_cpu() - workers_cpu
            assert issued == len(credentials) == count
            assert valid == count

            small, large = 32, 256
            issue_bytes = (
                _peak(lambda: _drain(_issue_stream(issuer, 2 * large, pool, large)))
                - _peak(lambda: _drain(_issue_stream(issuer, 2 * large, pool, small)))
            ) / (large - small)
            sample = credentials[: 2 * large]
            verify_bytes = (
                _peak(lambda: _drain(_verify_stream(sample, pool, large)))
                - _peak(lambda: _drain(_verify_stream(sample, pool, small)))
            ) / (large - small)
    return {
        "workers": workers,
        "credentials": count,
        "issue_per_second": count / issue_seconds,
        "verify_per_second": count / verify_seconds,
        # The calling process's CPU per credential (all its threads): with workers, what the
        # caller spends on top of their work (pickling, pipes, ordering); alone, the work.
        "issue_caller_cpu_ms": 1000 * issue_cpu / count,
        "verify_caller_cpu_ms": 1000 * verify_cpu / count,
        # Every process's CPU per credential (the caller's and its workers'): how far the
        # work grows when it is split. 2 cores can at best give 2 x (alone) / (this) of the
        # one-process rate, whatever else runs on the box.
        "issue_total_cpu_ms": 1000 * (issue_cpu + issue_workers_cpu) / count,
        "verify_total_cpu_ms": 1000 * (verify_cpu + verify_workers_cpu) / count,
        "issue_bytes_per_in_flight": round(issue_bytes),
        "verify_bytes_per_in_flight": round(verify_bytes),
        "load_average_1min": os.getloadavg()[0],
    }


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's live children: the pool's workers.
    psutil comes with the dask extra; without it the figure is 0."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - the dev install has it
        return 0.0
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def _issue_stream(issuer: Issuer, count: int, pool: Executor, window: int) -> Any:
    lines = ["id,email"] + [f"m{number},member{number}@example.edu" for number in range(count)]
    rows = parse_roster("\n".join(lines) + "\n", format="csv")
    return issuer.issue_many(awards(rows, ACHIEVEMENT), executor=pool, chunk=CHUNK, window=window)


def _verify_stream(credentials: list[Any], pool: Executor, window: int) -> Any:
    spec = VerifierSpec(at=NOW)
    return verify_many(credentials, spec=spec, executor=pool, chunk=CHUNK, window=window)


def _drain(results: Iterator[Any]) -> None:
    """A slow consumer that keeps nothing: after the first result it waits until the whole
    window is done (results pile up, the worst case), then reads the rest."""
    next(results)
    time.sleep(_PAUSE_SECONDS)
    for _ in results:
        pass


# Long enough for two workers to finish a window of 256 on a busy machine.
_PAUSE_SECONDS = 4.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    figures = [measure(workers, count=args.count) for workers in args.workers]
    print(
        f"{'workers':>7} {'issue/s':>9} {'verify/s':>9} {'caller ms/issue':>16} "
        f"{'caller ms/verify':>17} {'all ms/issue':>13} {'all ms/verify':>14} "
        f"{'issue B/in-flight':>18} {'verify B/in-flight':>19} {'load':>5}"
    )
    for row in figures:
        print(
            f"{row['workers']:>7} {row['issue_per_second']:>9.0f} {row['verify_per_second']:>9.0f} "
            f"{row['issue_caller_cpu_ms']:>16.3f} {row['verify_caller_cpu_ms']:>17.3f} "
            f"{row['issue_total_cpu_ms']:>13.3f} {row['verify_total_cpu_ms']:>14.3f} "
            f"{row['issue_bytes_per_in_flight']:>18} {row['verify_bytes_per_in_flight']:>19} "
            f"{row['load_average_1min']:>5.2f}"
        )
    for base in figures:
        for row in figures:
            if row["workers"] > base["workers"]:
                print(
                    f"{_name(row['workers'])} / {_name(base['workers'])}: issue "
                    f"{row['issue_per_second'] / base['issue_per_second']:.2f}x, verify "
                    f"{row['verify_per_second'] / base['verify_per_second']:.2f}x"
                )


def _name(workers: int) -> str:
    return "alone" if workers == 0 else f"{workers} worker{'s' if workers > 1 else ''}"


if __name__ == "__main__":
    main()
