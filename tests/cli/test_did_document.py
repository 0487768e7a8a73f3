"""vcbadge did-document: the public document (and JWKS) of a key file, which verification then
accepts; never a secret in what is written."""

from __future__ import annotations

import json

import pytest

from vcbadge import Verifier
from vcbadge.keys import load_key
from vcbadge.keys.public_keys import private_members_in_document

WEB = "did:web:badges.example.edu"


@pytest.mark.parametrize(("key_type", "form"), [("ed25519", "di"), ("p256", "di"), ("rsa", "jwt")])
def test_did_document_lets_verifiers_find_the_key(
    cli, tmp_path, unsigned_file, key_type, form
) -> None:
    key_path = tmp_path / "key.json"
    made = cli("keygen", "--type", key_type, "--did-web", "badges.example.edu", "-o", key_path)
    assert made.code == 0, made.err
    did_json = tmp_path / "did.json"
    jwks = tmp_path / "jwks.json"
    written = cli(
        "did-document", key_path, "--did-web", "badges.example.edu", "-o", did_json,
        "--jwks", jwks,
    )  # fmt: skip
    assert written.code == 0, written.err
    assert "https://badges.example.edu/.well-known/did.json" in written.err
    document = json.loads(did_json.read_text())
    key = load_key(key_path)
    assert document["id"] == WEB
    assert document["assertionMethod"] == [key.verification_method]
    assert private_members_in_document(document) == []
    key_set = json.loads(jwks.read_text())
    assert private_members_in_document(key_set) == []
    assert [entry["kid"] for entry in key_set["keys"]] == [key.verification_method]
    signed = cli("issue", unsigned_file, "--key", key_path)
    assert signed.code == 0, signed.err
    credential = signed.out.strip() if form == "jwt" else signed.json()
    verifier = Verifier.offline(documents={WEB: document})
    result = verifier.verify(credential)
    assert result.outcome.value == "VALID", result.failed
    assert Verifier.offline().verify(credential).outcome.value == "INDETERMINATE"


def test_did_document_to_stdout_for_an_https_controller(cli, tmp_path) -> None:
    key_path = tmp_path / "key.json"
    controller = "https://badges.example.edu/issuer"
    assert cli("keygen", "--controller", controller, "-o", key_path).code == 0
    result = cli("did-document", key_path)
    assert result.code == 0, result.err
    assert result.json()["id"] == controller
    assert "secret" not in result.out.lower()


def test_did_document_refuses_another_controller(cli, tmp_path, key_file) -> None:
    result = cli("did-document", key_file, "--did-web", "badges.example.edu")
    assert result.code == 64
    assert "keygen --did-web" in result.err
    assert result.out == ""


def test_did_document_never_overwrites_a_key(cli, tmp_path, key_file) -> None:
    before = key_file.read_bytes()
    for option in ("-o", "--jwks"):
        result = cli("did-document", key_file, option, key_file, "--json")
        assert result.code == 73, option
        assert result.json()["code"] == "would_overwrite_key"
    assert key_file.read_bytes() == before


def test_did_document_of_a_file_that_is_no_key(cli, tmp_path, unsigned_file) -> None:
    result = cli("did-document", unsigned_file, "--json")
    assert result.code == 65
    assert result.json()["code"] == "not_a_key_file"
