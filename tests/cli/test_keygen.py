"""vcbadge keygen."""

from __future__ import annotations

import json
import stat

import pytest

from vcbadge.keys import Ed25519Key, load_key

SEED_HEX = bytes(range(32)).hex()


def test_keygen_writes_a_0600_key_file_and_prints_did_and_method(cli, tmp_path):
    target = tmp_path / "key.json"
    result = cli("keygen", "-o", target)
    assert result.code == 0
    did, method = result.out.splitlines()
    assert did.startswith("did:key:z6Mk")
    assert method == f"{did}#{did.removeprefix('did:key:')}"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert load_key(target).did == did
    assert str(target) in result.err


def test_keygen_refuses_to_overwrite_without_force(cli, tmp_path):
    target = tmp_path / "key.json"
    assert cli("keygen", "-o", target).code == 0
    before = target.read_bytes()
    refused = cli("keygen", "-o", target)
    assert refused.code == 73
    assert "already exists" in refused.err
    assert "--force" in refused.err
    assert refused.err.count("\n") == 1
    assert target.read_bytes() == before
    forced = cli("keygen", "-o", target, "--force")
    assert forced.code == 0
    assert target.read_bytes() != before
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_keygen_with_seed_is_deterministic_and_without_output_saves_nothing(cli, tmp_path):
    expected = Ed25519Key.from_seed(bytes(range(32)))
    result = cli("keygen", "--seed", SEED_HEX)
    assert result.code == 0
    assert result.out.splitlines() == [expected.did, expected.verification_method]
    assert "not saved" in result.err
    assert list(tmp_path.iterdir()) == []


def test_keygen_with_controller(cli, tmp_path):
    target = tmp_path / "key.json"
    result = cli("keygen", "--controller", "did:web:example.edu", "-o", target)
    assert result.code == 0
    _, method = result.out.splitlines()
    assert method.startswith("did:web:example.edu#z6Mk")
    document = json.loads(target.read_text())
    assert document["controller"] == "did:web:example.edu"
    assert load_key(target).controller == "did:web:example.edu"


@pytest.mark.parametrize(
    "argv",
    [
        ["keygen", "--seed", "abc"],
        ["keygen", "--seed", "zz" * 32],
        ["keygen", "--type", "secp256k1"],
        ["keygen", "--controller", "not a url"],
    ],
)
def test_keygen_bad_options_are_usage_errors(cli, argv):
    result = cli(*argv)
    assert result.code == 64
    assert result.err.rstrip().splitlines()[-1].startswith("vcbadge: error: ")


def test_keygen_into_a_missing_directory(cli, tmp_path):
    result = cli("keygen", "-o", tmp_path / "missing" / "key.json")
    assert result.code == 73
    assert "cannot write the key" in result.err


@pytest.mark.parametrize(
    ("location", "did"),
    [
        ("badges.example.edu", "did:web:badges.example.edu"),
        ("https://badges.example.edu/", "did:web:badges.example.edu"),
        ("example.edu/issuers/eng", "did:web:example.edu:issuers:eng"),
        ("example.edu:8443/issuers", "did:web:example.edu%3A8443:issuers"),
    ],
)
def test_keygen_did_web(cli, tmp_path, location, did):
    target = tmp_path / "key.json"
    result = cli("keygen", "--did-web", location, "-o", target)
    assert result.code == 0, result.err
    key = load_key(target)
    assert key.controller == did
    assert result.out.splitlines()[1] == f"{did}#{key.public_key_multibase}"
    assert "vcbadge did-document" in result.err
    assert "/did.json" in result.err


@pytest.mark.parametrize("location", ["192.0.2.1", "[::1]", "exa mple.edu", "", "example.edu/../x"])
def test_keygen_did_web_refuses_what_is_no_did_web(cli, location):
    result = cli("keygen", "--did-web", location)
    assert result.code == 64
    assert "--did-web" in result.err


def test_keygen_did_web_and_controller_exclude_each_other(cli):
    result = cli("keygen", "--did-web", "example.edu", "--controller", "did:web:example.edu")
    assert result.code == 64
