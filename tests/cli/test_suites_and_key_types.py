"""``vcbadge keygen --type`` and ``vcbadge issue --suite`` for every key type and suite."""

from __future__ import annotations

import pytest

from vcbadge.keys import EcKey, Ed25519Key, load_key

SUITES_BY_TYPE = {
    "ed25519": ["eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"],
    "p256": ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"],
    "p384": ["ecdsa-rdfc-2019", "ecdsa-jcs-2019"],
}
CASES = [(key_type, suite) for key_type, suites in SUITES_BY_TYPE.items() for suite in suites]


@pytest.mark.parametrize(("key_type", "suite"), CASES)
def test_issue_and_verify_every_suite(cli, tmp_path, unsigned_file, key_type, suite):
    key_path = tmp_path / "key.json"
    assert cli("keygen", "--type", key_type, "-o", key_path).code == 0
    signed = tmp_path / "signed.json"
    result = cli("issue", unsigned_file, "--key", key_path, "--suite", suite, "-o", signed)
    assert result.code == 0, result.err
    verified = cli("verify", signed, "--offline", "--json")
    assert verified.code == 0, verified.out
    proof_check = next(c for c in verified.json()["checks"] if c["name"] == "proof")
    assert proof_check["message"].startswith(suite)


@pytest.mark.parametrize(
    ("key_type", "seed_bytes", "prefix", "cls"),
    [("ed25519", 32, "z6Mk", Ed25519Key), ("p256", 32, "zDn", EcKey), ("p384", 48, "z82", EcKey)],
)
def test_keygen_types_and_seeds(cli, tmp_path, key_type, seed_bytes, prefix, cls):
    seed = bytes(range(1, seed_bytes + 1)).hex()
    target = tmp_path / "key.json"
    result = cli("keygen", "--type", key_type, "--seed", seed, "-o", target)
    assert result.code == 0, result.err
    did, method = result.out.splitlines()
    assert did.startswith(f"did:key:{prefix}")
    key = load_key(target)
    assert isinstance(key, cls)
    assert key.did == did
    assert key.verification_method == method
    # The same seed always gives the same key.
    assert cli("keygen", "--type", key_type, "--seed", seed).out.splitlines()[0] == did


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--type", "p384", "--seed", "01" * 32], "96 hexadecimal digits"),
        (["--type", "p256", "--seed", "ff" * 32], "out of range"),
        (["--type", "ed25519", "--seed", "01" * 48], "64 hexadecimal digits"),
        (["--type", "p521"], "invalid choice"),
    ],
)
def test_keygen_bad_type_or_seed_is_a_usage_error(cli, argv, message):
    result = cli("keygen", *argv)
    assert result.code == 64
    assert message in result.err


@pytest.mark.parametrize(
    ("key_type", "suite"), [("p256", "eddsa-rdfc-2022"), ("ed25519", "ecdsa-jcs-2019")]
)
def test_issue_with_a_key_the_suite_cannot_use(cli, tmp_path, unsigned_file, key_type, suite):
    key_path = tmp_path / "key.json"
    assert cli("keygen", "--type", key_type, "-o", key_path).code == 0
    out = tmp_path / "signed.json"
    result = cli("issue", unsigned_file, "--key", key_path, "--suite", suite, "-o", out)
    assert result.code == 64
    assert "keys;" in result.err
    assert "keygen --type" in result.err
    assert not out.exists()


def test_legacy_name_cannot_be_issued(cli, unsigned_file, key_file):
    result = cli("issue", unsigned_file, "--key", key_file, "--suite", "eddsa-2022")
    assert result.code == 64
    assert "invalid choice" in result.err
