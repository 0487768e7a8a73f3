"""vcbadge issue."""

from __future__ import annotations

import json

import pytest

from vcbadge import Verifier


def test_issue_writes_pretty_signed_json_that_verifies(cli, signed_file, key):
    text = signed_file.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert '\n  "@context": [\n' in text
    document = json.loads(text)
    assert document["issuer"] == {"id": key.did, "type": ["Profile"]}
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["proof"]["verificationMethod"] == key.verification_method
    assert Verifier.offline().verify(signed_file.read_bytes()).outcome.value == "VALID"


def test_issue_to_stdout_with_issuer_name(cli, unsigned_file, key_file, key):
    result = cli("issue", unsigned_file, "--key", key_file, "--issuer-name", "Example U")
    assert result.code == 0, result.err
    document = result.json()
    assert document["issuer"] == {"id": key.did, "type": ["Profile"], "name": "Example U"}
    assert result.out.endswith("}\n")


def test_issue_keeps_an_issuer_that_is_the_key_controller(
    cli, tmp_path, key, key_file, unsigned_credential, write_json
):
    issuer = {"id": key.did, "type": ["Profile"], "name": "Given in the input"}
    path = write_json(tmp_path / "in.json", {**unsigned_credential(), "issuer": issuer})
    result = cli("issue", path, "--key", key_file)
    assert result.code == 0, result.err
    assert result.json()["issuer"] == issuer


def test_issue_refuses_an_issuer_that_is_not_the_key_controller(
    cli, tmp_path, key_file, unsigned_credential, write_json
):
    path = write_json(
        tmp_path / "in.json", {**unsigned_credential(), "issuer": "https://other.example"}
    )
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "issuer_not_controller" in result.err
    assert result.out == ""


def test_issue_issuer_name_conflicts_with_an_issuer_in_the_input(
    cli, tmp_path, key, key_file, unsigned_credential, write_json
):
    path = write_json(tmp_path / "in.json", {**unsigned_credential(), "issuer": key.did})
    result = cli("issue", path, "--key", key_file, "--issuer-name", "X")
    assert result.code == 64
    assert "--issuer-name" in result.err


def test_issue_not_json_is_a_data_error(cli, tmp_path, key_file):
    path = tmp_path / "in.json"
    path.write_text("{not json", encoding="utf-8")
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert result.err.startswith(f"vcbadge: error: {path}: not valid JSON")
    assert "[invalid_json]" in result.err
    assert result.err.count("\n") == 1


def test_issue_duplicate_key_names_key_and_path(cli, tmp_path, key_file):
    path = tmp_path / "in.json"
    path.write_text('{"credentialSubject": {"name": "a", "name": "b"}}', encoding="utf-8")
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "duplicate object key 'name' at /credentialSubject [duplicate_key]" in result.err


@pytest.mark.parametrize("content", ["[]", '"credential"', "42", "null"])
def test_issue_wrong_top_level_type(cli, tmp_path, key_file, content):
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "must contain a credential" in result.err


def test_issue_missing_input_and_missing_key(cli, tmp_path, unsigned_file, key_file):
    missing_input = cli("issue", tmp_path / "nope.json", "--key", key_file)
    assert missing_input.code == 66
    assert "no such file" in missing_input.err
    missing_key = cli("issue", unsigned_file, "--key", tmp_path / "nokey.json")
    assert missing_key.code == 66
    assert "no such key file" in missing_key.err


def test_issue_unreadable_key_files(cli, tmp_path, unsigned_file, key_file):
    garbage = tmp_path / "garbage.json"
    garbage.write_text("not a key", encoding="utf-8")
    garbage.chmod(0o600)
    result = cli("issue", unsigned_file, "--key", garbage)
    assert result.code == 65
    assert str(garbage) in result.err
    key_file.chmod(0o644)
    exposed = cli("issue", unsigned_file, "--key", key_file)
    assert exposed.code == 65
    assert "key_file_permissions" in exposed.err
    assert cli("issue", unsigned_file, "--key", tmp_path).code == 66


def test_issue_undefined_term_is_refused_before_signing(
    cli, tmp_path, key_file, unsigned_credential, write_json
):
    path = write_json(tmp_path / "in.json", {**unsigned_credential(), "notATerm": 1})
    result = cli("issue", path, "--key", key_file)
    assert result.code == 65
    assert "cannot sign" in result.err
    assert "undefined_term" in result.err


def test_issue_from_stdin(cli, monkeypatch, unsigned_file, key_file):
    import io

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(unsigned_file.read_bytes())))
    result = cli("issue", "-", "--key", key_file)
    assert result.code == 0, result.err
    assert "proof" in result.json()


def test_issue_unknown_suite_is_a_usage_error(cli, unsigned_file, key_file):
    result = cli("issue", unsigned_file, "--key", key_file, "--suite", "bbs-2023")
    assert result.code == 64
    assert "invalid choice" in result.err


def test_issue_requires_key(cli, unsigned_file):
    assert cli("issue", unsigned_file).code == 64
