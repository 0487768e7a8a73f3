"""``vcbadge migrate``: files in, unsigned OB 3.0 credential out, the report on stderr or in the
--json object; exit 0 migrated, 65 bad input; then ``vcbadge issue`` signs it and ``vcbadge
verify`` says VALID."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from migrate.ob2_examples import (
    BADGE_CLASS,
    HOSTED,
    ISSUER,
    REPORTED,
    REVOKED_ASSERTION,
    SIGNED_EMBEDDED,
)

from vcbadge.cli import main
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.migrate import from_ob2

KEY = Ed25519Key.from_seed(bytes(range(32)))


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def vcbadge(capsys: pytest.CaptureFixture[str]) -> Any:
    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return run


def _write(directory: Path, name: str, document: Any) -> Path:
    path = directory / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def hosted_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    return (
        _write(tmp_path, "assertion.json", HOSTED.assertion),
        _write(tmp_path, "badge.json", BADGE_CLASS),
        _write(tmp_path, "issuer.json", ISSUER),
    )


def test_prints_the_credential_and_reports_on_stderr(
    vcbadge: Any, hosted_files: tuple[Path, Path, Path]
) -> None:
    assertion, badge, issuer = hosted_files
    run = vcbadge("migrate", assertion, "--badge-class", badge, "--issuer", issuer)
    assert run.code == 0, run.err
    assert json.loads(run.out) == dict(from_ob2(HOSTED.assertion, BADGE_CLASS, ISSUER).credential)
    assert run.err.splitlines() == [
        "not migrated: assertion/verification: the OB 2.0 hosted/signed verification is "
        "replaced by the proof the 3.0 issuer adds [replaced_by_proof]"
    ]


def test_json_gives_one_object_with_the_report(vcbadge: Any, tmp_path: Path) -> None:
    assertion = _write(tmp_path, "a.json", REPORTED.assertion)
    badge = _write(tmp_path, "b.json", REPORTED.badge_class)
    issuer = _write(tmp_path, "i.json", REPORTED.issuer)
    run = vcbadge("migrate", assertion, "--badge-class", badge, "--issuer", issuer, "--json")
    assert run.code == 0
    assert run.err == ""
    body = json.loads(run.out)
    assert set(body) == {"credential", "report"}
    found = {(entry["document"], entry["path"], entry["code"]) for entry in body["report"]}
    assert found == REPORTED.report


def test_embedded_documents_need_no_extra_files(vcbadge: Any, tmp_path: Path) -> None:
    assertion = _write(tmp_path, "signed.json", SIGNED_EMBEDDED.assertion)
    out = tmp_path / "out.json"
    run = vcbadge("migrate", assertion, "--issuer-id", KEY.did, "-o", out)
    assert run.code == 0, run.err
    assert run.out == ""
    credential = json.loads(out.read_text(encoding="utf-8"))
    assert credential["issuer"]["id"] == KEY.did
    assert "publicKey" in run.err


def test_migrate_issue_verify(vcbadge: Any, tmp_path: Path, hosted_files: Any) -> None:
    assertion, badge, issuer = hosted_files
    key_file = tmp_path / "key.json"
    save_key(KEY, key_file)
    unsigned = tmp_path / "unsigned.json"
    signed = tmp_path / "signed.json"
    migrated = vcbadge(
        "migrate", assertion, "--badge-class", badge, "--issuer", issuer,
        "--issuer-id", KEY.did, "-o", unsigned,
    )  # fmt: skip
    assert migrated.code == 0, migrated.err
    assert vcbadge("validate", unsigned).code == 0
    issued = vcbadge("issue", unsigned, "--key", key_file, "-o", signed)
    assert issued.code == 0, issued.err
    verified = vcbadge("verify", signed, "--offline", "--json")
    assert verified.code == 0, verified.out
    assert json.loads(verified.out)["outcome"] == "VALID"


@pytest.mark.parametrize(
    ("documents", "code"),
    [
        ({"a.json": REVOKED_ASSERTION, "b.json": BADGE_CLASS, "i.json": ISSUER}, "ob2_revoked"),
        ({"a.json": HOSTED.assertion, "i.json": ISSUER}, "ob2_document_missing"),
        (
            {"a.json": HOSTED.assertion, "b.json": {**BADGE_CLASS, "id": "https://x.test/b"}},
            "ob2_id_mismatch",
        ),
        ({"a.json": BADGE_CLASS}, "ob2_not_an_assertion"),
    ],
)
def test_bad_input_exits_65_with_its_code(
    vcbadge: Any, tmp_path: Path, documents: dict[str, Any], code: str
) -> None:
    argv: list[str | Path] = ["migrate", _write(tmp_path, "a.json", documents["a.json"])]
    if "b.json" in documents:
        argv += ["--badge-class", _write(tmp_path, "b.json", documents["b.json"])]
    if "i.json" in documents:
        argv += ["--issuer", _write(tmp_path, "i.json", documents["i.json"])]
    run = vcbadge(*argv)
    assert run.code == 65
    assert f"[{code}]" in run.err
    assert run.out == ""
    as_json = vcbadge(*argv, "--json")
    assert as_json.code == 65
    assert json.loads(as_json.out)["outcome"] == "ERROR"


def test_input_that_is_not_an_object_exits_65(vcbadge: Any, tmp_path: Path) -> None:
    run = vcbadge("migrate", _write(tmp_path, "a.json", ["x"]))
    assert run.code == 65
    assert "[not_an_object]" in run.err


def test_a_missing_file_exits_66(vcbadge: Any, tmp_path: Path) -> None:
    assert vcbadge("migrate", tmp_path / "missing.json").code == 66
    assertion = _write(tmp_path, "a.json", HOSTED.assertion)
    assert vcbadge("migrate", assertion, "--badge-class", tmp_path / "none.json").code == 66
