"""With ``--json``, every outcome is exactly one JSON object on standard output, errors
included, and the exit status is the one the command has without ``--json``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from vcbadge.cli import main

# Every command that takes --json, with "{file}" where an input file goes.
COMMANDS = {
    "verify": ["verify", "{file}"],
    "validate": ["validate", "{file}"],
    "resolve --doc": [
        "resolve",
        "did:web:badges.example.edu",
        "--offline",
        "--doc",
        "did:web:badges.example.edu={file}",
    ],
    "verify --doc": ["verify", "{credential}", "--offline", "--doc", "did:web:x.example={file}"],
}


def _argv(template: list[str], file: Path, credential: Path) -> list[str]:
    return [part.format(file=file, credential=credential) for part in template]


def _run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def _one_object(out: str) -> dict[str, Any]:
    # json.loads refuses trailing data, so this fails on a second object or a stray line.
    report = json.loads(out)
    assert isinstance(report, dict)
    return report


@pytest.fixture
def credential(tmp_path: Path) -> Path:
    path = tmp_path / "credential.json"
    path.write_text('{"@context": ["https://www.w3.org/ns/credentials/v2"]}', encoding="utf-8")
    return path


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_missing_file(
    command: str, tmp_path: Path, credential: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _argv(COMMANDS[command], tmp_path / "missing.json", credential)
    plain_code, plain_out, _ = _run(capsys, argv)
    code, out, err = _run(capsys, [*argv, "--json"])
    report = _one_object(out)
    assert plain_code == code == 66
    assert plain_out == ""
    assert report["outcome"] == "ERROR"
    assert report["code"] == "file_not_found"
    assert report["exit_code"] == 66
    assert report["file"] == str(tmp_path / "missing.json")
    assert "no such file" in report["message"]
    assert "no such file" in err


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_directory_given_as_file(
    command: str, tmp_path: Path, credential: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A directory cannot be read as a file even by root: the unreadable case every user hits.
    directory = tmp_path / "a-directory"
    directory.mkdir()
    argv = _argv(COMMANDS[command], directory, credential)
    plain_code, _, _ = _run(capsys, argv)
    code, out, _ = _run(capsys, [*argv, "--json"])
    report = _one_object(out)
    assert plain_code == code == 66
    assert report["code"] == "not_a_file"
    assert report["file"] == str(directory)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads a file whatever its mode, so chmod 000 does not make it unreadable",
)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_unreadable_file(
    command: str, tmp_path: Path, credential: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text("{}", encoding="utf-8")
    locked.chmod(0)
    try:
        argv = _argv(COMMANDS[command], locked, credential)
        plain_code, _, _ = _run(capsys, argv)
        code, out, _ = _run(capsys, [*argv, "--json"])
    finally:
        locked.chmod(0o600)
    report = _one_object(out)
    assert plain_code == code == 66
    assert report["code"] == "file_unreadable"


def test_bad_content_is_one_object_with_the_parse_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"a": 1, "a": 2}')
    plain_code, _, _ = _run(capsys, ["validate", str(bad)])
    code, out, _ = _run(capsys, ["validate", str(bad), "--json"])
    report = _one_object(out)
    assert plain_code == code == 65
    assert report["code"] == "duplicate_key"
    assert report["file"] == str(bad)


def test_bad_encoding_is_one_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "Genève"}'.encode("latin-1"))
    code, out, _ = _run(capsys, ["validate", str(latin1), "--json"])
    report = _one_object(out)
    assert code == 65
    assert report["code"] == "invalid_json"


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "--json"],
        ["verify", "x.json", "--json", "--bogus"],
        ["validate", "--json", "a.json", "b.json"],
        ["resolve", "--json"],
    ],
)
def test_usage_error_with_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, argv)
    report = _one_object(out)
    assert code == 64
    assert report == {
        "outcome": "ERROR",
        "code": "usage_error",
        "message": report["message"],
        "exit_code": 64,
    }
    assert err.startswith("usage: vcbadge")


def test_usage_error_without_json_prints_nothing_on_stdout(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(capsys, ["verify", "--bogus"])
    assert code == 64
    assert out == ""


def test_usage_error_after_parsing_with_json(
    tmp_path: Path, credential: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # --challenge is for presentations only: refused by the command, not by the parser.
    code, out, _ = _run(capsys, ["verify", str(credential), "--challenge", "c", "--json"])
    report = _one_object(out)
    assert code == 64
    assert report["code"] == "usage_error"


def test_internal_error_with_json(
    credential: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bug inside a command (stood in for by a verifier that raises) is still one object.
    import vcbadge.cli.verify as verify_command

    def broken(args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(verify_command, "build_verifier", broken)
    code, out, err = _run(capsys, ["verify", str(credential), "--json"])
    report = _one_object(out)
    assert code == 70
    assert report["code"] == "internal_error"
    assert "RuntimeError: boom" in report["message"]
    assert "internal error" in err


def test_missing_status_store_with_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["status", "show", "urn:uuid:x", "--store", str(tmp_path / "none.db")]
    plain_code, _, _ = _run(capsys, argv)
    code, out, _ = _run(capsys, [*argv, "--json"])
    report = _one_object(out)
    assert plain_code == code == 66
    assert report["outcome"] == "ERROR"
    assert report["exit_code"] == 66


def test_success_is_still_the_command_own_json(
    credential: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, ["verify", str(credential), "--offline", "--json"])
    report = _one_object(out)
    assert code == 1
    assert report["outcome"] == "INVALID"
