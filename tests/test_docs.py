"""The documentation is executed: what it shows is what works.

For README.md and every docs/tutorials/*.md, the fenced blocks run in document order, in one
namespace, inside a fresh temporary directory:

- a ```python block is executed as is;
- in a ```console or ```shell block, each line ``$ vcbadge ARGS`` runs ``vcbadge.cli.main(ARGS)``
  in-process. A trailing comment ``# exit N`` states the expected exit status (default 0). The
  lines after a command, up to the next ``$`` line, are its expected output: each must match an
  output line, in order, where ``...`` stands for any text (a line that is only ``...`` is a
  reminder that lines were left out). Other lines (``python3 -m venv ...``) are not run.

Also checked: relative links between the docs resolve, and docs/verification-policy.md names
every check and code the verification pipeline can produce.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from error_codes import codes_in

from vcbadge.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXECUTED_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs" / "tutorials").glob("*.md"))]
ALL_DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

_FENCE = re.compile(r"^```\s*([\w-]*)\s*$")
_EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


@dataclass(frozen=True)
class Block:
    """A fenced code block: its info string, first line number (1-based) and text."""

    kind: str
    line: int
    text: str


def fenced_blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, in order. A fence indented (inside a list item)
    fails: its block would silently never run."""
    blocks: list[Block] = []
    kind: str | None = None
    start = 0
    body: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _FENCE.match(line)
        if kind is None:
            assert not (line[:1].isspace() and line.lstrip().startswith("```")), (
                f"{path.name}:{number}: an indented code fence is never run; start it at the "
                "beginning of the line"
            )
            if match:
                kind, start, body = match.group(1).lower(), number + 1, []
        elif line.strip() == "```":
            blocks.append(Block(kind, start, "\n".join(body) + "\n"))
            kind = None
        else:
            body.append(line)
    assert kind is None, f"{path.name}: unterminated code block starting at line {start}"
    return blocks


@dataclass(frozen=True)
class Command:
    """One ``$ vcbadge ...`` line of a console block and the output shown after it."""

    line: int
    argv: list[str]
    exit_code: int
    shown: list[str]


def commands(block: Block) -> list[Command]:
    """The ``$ vcbadge`` commands of a console/shell block."""
    found: list[Command] = []
    current: Command | None = None
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith("$ "):
            current = None
            words = shlex.split(line[2:], comments=True)
            if words and words[0] == "vcbadge":
                stated = _EXIT.search(line)
                current = Command(
                    line=block.line + offset,
                    argv=words[1:],
                    exit_code=int(stated.group(1)) if stated else 0,
                    shown=[],
                )
                found.append(current)
        elif current is not None and line.strip():
            current.shown.append(line.rstrip())
    return found


def _pattern(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in shown.split("...")))


def assert_output_matches(shown: list[str], actual: str, where: str) -> None:
    """Each shown line matches an actual line, in order; ``...`` matches any text."""
    lines = [line.rstrip() for line in actual.splitlines()]
    position = 0
    for expected in shown:
        if expected.strip() == "...":
            continue
        pattern = _pattern(expected)
        while position < len(lines) and not pattern.fullmatch(lines[position]):
            position += 1
        assert position < len(lines), (
            f"{where}: the documented output line {expected!r} is not in the output:\n{actual}"
        )
        position += 1


def run_command(command: Command, at: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Run one ``$ vcbadge ...`` line in-process (``at``: where the doc has it) and check its
    exit status and shown output."""
    capsys.readouterr()
    code = main(command.argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err, at
    assert code == command.exit_code, (
        f"{at}: `vcbadge {shlex.join(command.argv)}` exited {code}, the doc says "
        f"{command.exit_code}\nstdout:\n{captured.out}\nstderr:\n{captured.err}"
    )
    assert_output_matches(command.shown, captured.out, at)


def _run_doc(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, int]:
    namespace: dict[str, object] = {"__name__": f"docs:{path.name}"}
    python_blocks = cli_commands = 0
    for block in fenced_blocks(path):
        where = f"{path.relative_to(ROOT)}:{block.line}"
        if block.kind == "python":
            python_blocks += 1
            exec(compile(block.text, where, "exec"), namespace)
        elif block.kind in ("console", "shell"):
            for command in commands(block):
                cli_commands += 1
                run_command(command, f"{path.relative_to(ROOT)}:{command.line}", capsys)
    return python_blocks, cli_commands


@pytest.mark.parametrize("path", EXECUTED_DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_doc_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    python_blocks, cli_commands = _run_doc(path, capsys)
    assert python_blocks > 0, f"{path.name} has no python block to run"
    if path.parent.name == "tutorials":
        assert cli_commands > 0, f"{path.name} has no `$ vcbadge` command to run"


def test_the_first_tutorial_exists_and_is_linked() -> None:
    tutorial = ROOT / "docs" / "tutorials" / "first-badge.md"
    assert tutorial.read_text(encoding="utf-8").startswith("# Issue and verify your first badge")
    assert "tutorials/first-badge.md" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert "docs/tutorials/first-badge.md" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_relative_links_resolve(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for target in _LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        file_part = target.split("#", 1)[0]
        assert (path.parent / file_part).exists(), f"{path.name}: broken link {target}"


def test_verification_policy_names_every_check_and_code() -> None:
    policy = (ROOT / "docs" / "verification-policy.md").read_text(encoding="utf-8")
    # Every module whose codes a verification result or a refusal can carry: each verify
    # module (new ones included), and those below it that report in results.
    package = ROOT / "vcbadge"
    sources = [
        *sorted((package / "verify").glob("*.py")),
        *sorted((package / "resolve").glob("*.py")),
        *sorted((package / "keys").glob("*.py")),
        *sorted((package / "store").glob("*.py")),
        *sorted((package / "trust").glob("*.py")),
        *(
            package / name
            for name in (
                "vcdm.py",
                "http.py",
                "migrate.py",
                "proofs/jws.py",
                "proofs/jwt.py",
                "proofs/jose.py",
                "status/entries.py",
                "status/bitstring.py",
            )
        ),
    ]
    codes = codes_in(sources)
    names: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        names.update(re.findall(r'name="([a-z_]+)"', text))
        names.update(re.findall(r'Check\.(?:passed|from_error)\(\s*"([a-z_]+)"', text))
        names.update(re.findall(r'^[A-Z_]+ = "([a-z_]+)"', text, re.MULTILINE))
    assert codes
    assert names
    missing = sorted(item for item in codes | names if f"`{item}`" not in policy)
    assert not missing, f"docs/verification-policy.md does not mention: {missing}"
