"""The reference pages against the code: every command and flag of the parser in
docs/reference/cli.md, its exit status table equal to vcbadge/cli/_exit.py, its JSON schemas
matching what ``vcbadge verify --json`` prints, and every error code in docs/reference/errors.md."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import error_codes
import jsonschema
import pytest

from vcbadge.cli import _exit, build_parser, main

ROOT = Path(__file__).resolve().parents[1]
CLI_DOC = ROOT / "docs" / "reference" / "cli.md"
ERRORS_DOC = ROOT / "docs" / "reference" / "errors.md"

_HEADING = re.compile(r"^(#+) (.*)$", re.MULTILINE)
_COMMAND_HEADING = re.compile(r"^`(vcbadge(?: [a-z][a-z-]*)+)`$")


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ("vcbadge",)
) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every sub-command (and sub-sub-command) with its parser, by its command line."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield " ".join((*path, name)), sub
                yield from _commands(sub, (*path, name))


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    """What the reference must name for a command: each option string and each positional
    argument's metavar (``--help`` aside: the conventions cover it for every command)."""
    names: list[str] = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            names.extend(action.option_strings)
        else:
            names.append(str(action.metavar or action.dest))
    return names


def _sections(text: str) -> dict[str, str]:
    """The text under each ``vcbadge ...`` heading, up to the next heading."""
    headings = list(_HEADING.finditer(text))
    sections: dict[str, str] = {}
    for index, heading in enumerate(headings):
        match = _COMMAND_HEADING.match(heading.group(2).strip())
        if match is None:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        sections[match.group(1)] = text[heading.end() : end]
    return sections


def _section_under(text: str, title: str) -> str:
    """The text of the section headed ``title``, up to the next heading of its level or
    higher."""
    match = re.search(rf"^(#+) {re.escape(title)}\s*$", text, re.MULTILINE)
    assert match is not None, f"no section {title!r}"
    level = len(match.group(1))
    following = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE)
    end = following.search(text, match.end())
    return text[match.end() : end.start() if end else len(text)]


def _json_schema_in(section: str) -> dict[str, Any]:
    block = re.search(r"```json\n(.*?)\n```", section, re.DOTALL)
    assert block is not None, "no JSON block in the section"
    schema: dict[str, Any] = json.loads(block.group(1))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


COMMANDS = sorted(_commands(build_parser()), key=lambda item: item[0])


def _prose(text: str) -> str:
    """Help text as Markdown: one line, with what Markdown would take for markup escaped."""
    text = " ".join(text.split()).replace("<", "&lt;").replace(">", "&gt;")
    for character in ("\\", "|", "*", "`"):
        text = text.replace(character, "\\" + character)
    return text


def draft_section(command: str, parser: argparse.ArgumentParser) -> str:
    """A first draft of a command's section, from its parser: its description, usage and a
    table of its arguments (``python tests/test_reference_docs.py`` prints them all)."""
    level = "#" * (2 + command.count(" "))
    usage = " ".join(parser.format_usage().removeprefix("usage: ").split())
    lines = [f"{level} `{command}`", ""]
    if parser.description:
        lines += [_prose(parser.description), ""]
    lines += ["```", usage, "```", ""]
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        if action.option_strings:
            name = ", ".join(f"`{option}`" for option in action.option_strings)
            if action.nargs != 0:
                formatter = parser._get_formatter()
                name += f" `{formatter._format_args(action, action.dest.upper())}`"
        else:
            name = f"`{action.metavar or action.dest}`"
        meaning = _prose(action.help or "")
        rows.append(f"| {name} | {meaning} |")
    if rows:
        lines += ["| Argument | Meaning |", "|---|---|", *rows, ""]
    return "\n".join(lines)


def test_every_command_has_its_section() -> None:
    sections = _sections(CLI_DOC.read_text(encoding="utf-8"))
    missing = [(command, parser) for command, parser in COMMANDS if command not in sections]
    drafts = "\n".join(draft_section(command, parser) for command, parser in missing)
    assert not missing, f"docs/reference/cli.md has no section for these; drafts:\n{drafts}"
    unknown = sorted(set(sections) - {command for command, _ in COMMANDS})
    assert not unknown, f"docs/reference/cli.md documents commands that do not exist: {unknown}"


@pytest.mark.parametrize(("command", "parser"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_every_flag_is_in_its_command_section(
    command: str, parser: argparse.ArgumentParser
) -> None:
    section = _sections(CLI_DOC.read_text(encoding="utf-8")).get(command, "")
    missing = [name for name in _arguments(parser) if f"`{name}`" not in section]
    assert not missing, (
        f"docs/reference/cli.md, section {command}: no {missing}; a draft of the section:\n"
        f"{draft_section(command, parser)}"
    )


def _documented_exit_statuses() -> dict[str, int]:
    table = _section_under(CLI_DOC.read_text(encoding="utf-8"), "Exit status")
    rows = re.findall(r"^\| (\d+) \| `(EX_[A-Z]+)` \|", table, re.MULTILINE)
    return {name: int(status) for status, name in rows}


def test_exit_status_table_is_the_codes_the_command_uses() -> None:
    in_code = {
        name: value
        for name, value in vars(_exit).items()
        if name.startswith("EX_") and isinstance(value, int)
    }
    assert _documented_exit_statuses() == in_code


def _statuses_named_in_help(text: str) -> set[int]:
    """The numbers after "exit status" in a help text, up to the end of that sentence."""
    statuses: set[int] = set()
    for match in re.finditer(r"exit status:?(.*?)(?:\.(?:\s|$)|$)", text, re.I | re.DOTALL):
        statuses.update(int(number) for number in re.findall(r"\b(\d{1,3})\b", match.group(1)))
    return statuses


@pytest.mark.parametrize(
    ("command", "parser"),
    [("vcbadge", build_parser()), *COMMANDS],
    ids=["vcbadge", *(c for c, _ in COMMANDS)],
)
def test_help_names_only_documented_exit_statuses(
    command: str, parser: argparse.ArgumentParser
) -> None:
    """A command's help may say which statuses it uses; each must be in the documented
    table (``resolve`` once said 65 where it exited 64)."""
    text = " ".join(f"{parser.description or ''} {parser.epilog or ''}".split())
    documented = set(_documented_exit_statuses().values())
    assert _statuses_named_in_help(text) <= documented, command


def test_usage_error_statuses_match_resolves_help(capsys: pytest.CaptureFixture[str]) -> None:
    """``resolve``'s help says "65 malformed identifier": an identifier that is not a DID or
    URL is that, not a usage error."""
    assert main(["resolve", "nothing"]) == _exit.EX_DATAERR
    capsys.readouterr()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--dir", str(directory)]) == 0
    return directory


def _verify_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any]:
    capsys.readouterr()
    status = main(["verify", *argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def test_verify_json_is_what_the_schema_says(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = _json_schema_in(
        _section_under(CLI_DOC.read_text(encoding="utf-8"), "`vcbadge verify --json`")
    )
    status_list = json.loads((demo / "status-list.json").read_text(encoding="utf-8"))
    served = ["--doc", f"{status_list['id']}={demo / 'status-list.json'}"]
    outcomes = set()
    for name, extra in (
        ("credential.json", served),  # the demo revokes it: INVALID, with the trust answer
        ("tampered.json", served),
        ("credential.json", []),  # offline without the list: INDETERMINATE
    ):
        status, report = _verify_json(capsys, str(demo / name), "--offline", *extra)
        jsonschema.validate(report, schema)
        assert status == {"VALID": 0, "INVALID": 1, "INDETERMINATE": 2}[report["outcome"]]
        assert report["issuer_trust"] is not None
        outcomes.add(report["outcome"])
    assert outcomes == {"INVALID", "INDETERMINATE"}


def test_errors_as_json_are_what_the_schema_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = _json_schema_in(_section_under(CLI_DOC.read_text(encoding="utf-8"), "Errors as JSON"))
    duplicate = tmp_path / "duplicate.json"
    duplicate.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    for argv, expected_status in (
        (["verify", str(tmp_path / "missing.json"), "--json"], _exit.EX_NOINPUT),
        (["verify", "x.json", "--json", "--bogus"], _exit.EX_USAGE),
        (["did-document", str(duplicate), "--json"], _exit.EX_DATAERR),
    ):
        capsys.readouterr()
        status = main(argv)
        report = json.loads(capsys.readouterr().out)
        jsonschema.validate(report, schema)
        assert status == report["exit_code"] == expected_status


def test_every_error_code_is_in_the_error_reference() -> None:
    text = ERRORS_DOC.read_text(encoding="utf-8")
    codes = error_codes.all_codes()
    assert len(codes) > 200  # the collection works: the code base has this many
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert not missing, f"docs/reference/errors.md does not explain: {missing}"


def test_each_code_has_one_entry_with_cause_and_remedy() -> None:
    """Each code is a row of its own (``| `code` | cause | what to do |``), once."""
    rows = re.findall(
        r"^\| `([a-z0-9_]+)` \| ([^|]+) \| ([^|]+) \|$",
        ERRORS_DOC.read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    named = [code for code, _, _ in rows]
    assert len(named) == len(set(named)), "a code has two rows"
    assert all(cause.strip() and remedy.strip() for _, cause, remedy in rows)
    assert error_codes.all_codes() <= set(named)


if __name__ == "__main__":
    # Drafts of every command's section, in the order of ``vcbadge --help``.
    for command, parser in _commands(build_parser()):
        print(draft_section(command, parser))
