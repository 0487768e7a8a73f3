"""Each voice in its place: the library never names a command-line flag, the command line never
shows Python wording (``pass replace=True``) but the flag that does the same; and an output
file's extension must say what the command writes."""

from __future__ import annotations

import ast
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from badge_images import make_png, make_svg

from vcbadge import Issuer
from vcbadge.cli._remedies import (
    BAKE_REMEDIES,
    ISSUE_REMEDIES,
    describe_with_flags,
    with_flag_remedy,
)
from vcbadge.errors import ModelError, SchemaError
from vcbadge.keys import Ed25519Key
from vcbadge.model import Profile

PACKAGE = Path(__file__).resolve().parents[2] / "vcbadge"
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")
_PYTHON_WORDING = re.compile(r"\b[a-z_]+=(True|False|None)\b|\bpass [a-z_]+=|\b[a-z_]+=\)")

# Where a string is a message a person reads: the arguments of a raise, of an error or a check
# being made, of a finding or an issue.
_MESSAGE_CALLS = re.compile(
    r"(Error|Exception|Unavailable|Refused|Limit|Context|Mismatch|Violation|Revoked|Suspended|"
    r"Timeout|Failed|invalid|indeterminate|passed|Finding|Issue|BatchFailure|_RowError)$"
)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _strings(node: ast.AST) -> list[str]:
    """The text of every string literal (and f-string part) under ``node``."""
    return [
        item.value
        for item in ast.walk(node)
        if isinstance(item, ast.Constant) and isinstance(item.value, str)
    ]


def _library_messages() -> list[tuple[str, int, str]]:
    found = []
    for source in sorted(PACKAGE.rglob("*.py")):
        if "cli" in source.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and node.exc is not None:
                texts = _strings(node.exc)
            elif isinstance(node, ast.Call) and _MESSAGE_CALLS.search(_call_name(node)):
                texts = [text for arg in (*node.args, *node.keywords) for text in _strings(arg)]
            elif isinstance(node, ast.keyword) and node.arg in ("fix", "message"):
                texts = _strings(node.value)
            else:
                continue
            found += [(str(source.relative_to(PACKAGE)), node.lineno, text) for text in texts]
    return found


def test_the_library_never_names_a_flag() -> None:
    messages = _library_messages()
    assert len(messages) > 500  # the walk finds the messages
    flagged = [(path, line, text) for path, line, text in messages if _FLAG.search(text)]
    assert not flagged, f"library messages naming a command-line flag: {flagged}"


@pytest.mark.parametrize(
    ("error", "remedies", "flag"),
    [
        (
            ModelError(
                "validUntil 2021-01-01T00:00:00Z is not later than now: every verifier would "
                "call the credential expired; to sign it anyway, pass allow_expired=True",
                code="already_expired",
                path="/validUntil",
            ),
            ISSUE_REMEDIES,
            "--allow-expired",
        ),
        (
            SchemaError("does not validate: x; to sign it anyway, pass check_schema=False"),
            ISSUE_REMEDIES,
            "--skip-schema",
        ),
    ],
)
def test_the_cli_puts_its_flag_in_place_of_the_python_remedy(error, remedies, flag) -> None:
    described = describe_with_flags(error, remedies)
    assert flag in described
    assert not _PYTHON_WORDING.search(described), described
    assert described.endswith(f" [{error.code}]")


def test_bake_says_replace_with_its_flag(cli, tmp_path: Path, signed_file: Path) -> None:
    for name, image in (("badge.png", make_png()), ("badge.svg", make_svg())):
        source = tmp_path / name
        source.write_bytes(image)
        baked = tmp_path / f"baked-{name}"
        assert cli("bake", source, signed_file, "-o", baked).code == 0
        again = cli("bake", baked, signed_file, "-o", tmp_path / f"again-{name}")
        assert again.code == 65
        assert "[already_baked]" in again.err
        assert BAKE_REMEDIES["already_baked"] in again.err
        assert not _PYTHON_WORDING.search(again.err), again.err


def test_issue_says_its_flags_not_python(
    cli, tmp_path: Path, unsigned_credential, key_file: Path, write_json
) -> None:
    expired = unsigned_credential(
        valid_from=datetime(2020, 1, 1, tzinfo=timezone.utc),
        valid_until=datetime(2021, 1, 1, tzinfo=timezone.utc),
    )
    result = cli("issue", write_json(tmp_path / "in.json", expired), "--key", key_file)
    assert result.code == 65
    assert "--allow-expired" in result.err
    assert "allow_expired" not in result.err


def test_migrate_names_the_option_that_gives_the_missing_document(
    cli, tmp_path: Path, write_json
) -> None:
    from migrate.ob2_examples import HOSTED

    result = cli("migrate", write_json(tmp_path / "a.json", HOSTED.assertion))
    assert result.code == 65
    assert "[ob2_document_missing]" in result.err
    assert "give it with --badge-class FILE" in result.err
    assert not _PYTHON_WORDING.search(result.err), result.err


def test_verify_offline_hints_at_doc(cli, tmp_path: Path, unsigned_credential, write_json) -> None:
    """The check message is the library's (no flag); the command line adds its hint."""
    web = "did:web:badges.example.edu"
    key = Ed25519Key.from_seed(bytes(32), controller=web, key_id="#key-1")
    credential = Issuer(Profile(id=web, name="Example U"), key=key).issue(unsigned_credential())
    result = cli("verify", write_json(tmp_path / "c.json", credential), "--offline")
    assert result.code == 2
    assert "unsupported_did_method" in result.out
    assert "--doc" not in result.out
    assert "vcbadge: hint: give the documents it needs with --doc ID=FILE" in result.err
    as_json = cli("verify", tmp_path / "c.json", "--offline", "--json")
    assert "hint" not in as_json.err  # the JSON report is the whole answer


# --- the output's type against the file name's extension ------------------------------------


def test_bake_refuses_an_svg_name_for_a_png(cli, tmp_path: Path, signed_file: Path) -> None:
    image = tmp_path / "badge.png"
    image.write_bytes(make_png())
    out = tmp_path / "out.svg"
    result = cli("bake", image, signed_file, "-o", out)
    assert result.code == 64
    assert not out.exists()
    assert "the output is PNG, but the file name says SVG" in result.err
    assert result.err.rstrip().endswith("[output_type_mismatch]")
    assert cli("bake", image, signed_file, "-o", tmp_path / "out.png").code == 0
    assert cli("bake", image, signed_file, "-o", tmp_path / "out-no-extension").code == 0


def test_bake_refuses_a_png_name_for_an_svg(cli, tmp_path: Path, signed_file: Path) -> None:
    image = tmp_path / "badge.svg"
    image.write_bytes(make_svg())
    result = cli("bake", image, signed_file, "-o", tmp_path / "out.PNG")
    assert result.code == 64
    assert "the output is SVG, but the file name says PNG" in result.err
    assert not (tmp_path / "out.PNG").exists()


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["unbake", "{baked}", "-o"], "out.jwt"),
        (["show", "{signed}", "--offline", "-o"], "page.json"),
        (["did-document", "{key}", "-o"], "did.html"),
        (["did-document", "{key}", "--jwks"], "jwks.svg"),
        (
            ["new", "achievement", "--name", "N", "--description", "D", "--criteria", "C", "-o"],
            "a.png",
        ),
        (["issue", "{unsigned}", "--key", "{key}", "-o"], "signed.jwt"),
        (["issue", "{unsigned}", "--key", "{key}", "--format", "jwt", "-o"], "jwt.json"),
        (["keygen", "-o"], "key.svg"),
    ],
)
def test_every_typed_output_is_checked(
    cli, tmp_path: Path, signed_file: Path, key_file: Path, unsigned_file: Path, argv, name
) -> None:
    image = tmp_path / "badge.png"
    image.write_bytes(make_png())
    baked = tmp_path / "baked.png"
    assert cli("bake", image, signed_file, "-o", baked).code == 0
    files = {"baked": baked, "signed": signed_file, "key": key_file, "unsigned": unsigned_file}
    out = tmp_path / name
    result = cli(*(part.format(**files) for part in argv), out)
    assert result.code == 64, result.err
    assert "but the file name says" in result.err
    assert not out.exists()


def test_the_mismatch_has_its_code_in_json(cli, tmp_path: Path, key_file: Path) -> None:
    out = tmp_path / "did.png"
    result = cli("did-document", key_file, "-o", out, "--json")
    assert result.code == 64
    report = json.loads(result.out)
    assert report["code"] == "output_type_mismatch"
    assert report["file"] == str(out)


def test_a_batch_row_failure_is_worded_for_the_command_line() -> None:
    """``vcbadge issue --batch`` reports each failed row with the library's message: its
    remedy is put in the command line's terms as for a single credential."""
    message = "validUntil is not later than now; to sign it anyway, pass allow_expired=True"
    worded = with_flag_remedy("already_expired", message, ISSUE_REMEDIES)
    assert worded.startswith("validUntil is not later than now; ")
    assert "--allow-expired" in worded
    assert not _PYTHON_WORDING.search(worded)
    assert with_flag_remedy("revoked", message, ISSUE_REMEDIES) == message


def test_check_hints_at_online_and_doc(
    cli, tmp_path: Path, unsigned_credential, write_json
) -> None:
    """``vcbadge check`` (offline by default) says which of its flags fetch what it lacked."""
    web = "did:web:badges.example.edu"
    key = Ed25519Key.from_seed(bytes(32), controller=web, key_id="#key-1")
    credential = Issuer(Profile(id=web, name="Example U"), key=key).issue(unsigned_credential())
    result = cli("check", write_json(tmp_path / "c.json", credential))
    assert "unsupported_did_method" in result.out
    assert (
        "vcbadge: hint: give the documents it needs with --doc ID=FILE, or check with --online"
        in (result.err)
    )
