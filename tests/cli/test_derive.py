"""``vcbadge issue --suite ecdsa-sd-2023`` (with ``--mandatory``) and ``vcbadge derive``: the
issuer's and the holder's side of selective disclosure, checked by ``vcbadge verify``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def base_file(cli, tmp_path, unsigned_credential, write_json) -> Path:
    """An OB credential issued with an ecdsa-sd-2023 base proof by a fresh P-256 key."""
    key_path = tmp_path / "p256.json"
    assert cli("keygen", "--type", "p256", "-o", key_path).code == 0
    draft = unsigned_credential()
    draft["description"] = "Awarded for the spring term."
    unsigned = write_json(tmp_path / "draft.json", draft)
    out = tmp_path / "base.json"
    result = cli("issue", unsigned, "--key", key_path, "--suite", "ecdsa-sd-2023", "-o", out)
    assert result.code == 0, result.err
    return out


def test_issue_derive_verify(cli, tmp_path, base_file):
    disclosed = tmp_path / "disclosed.json"
    result = cli("derive", base_file, "--reveal", "/description", "-o", disclosed)
    assert result.code == 0, result.err
    document = json.loads(disclosed.read_text(encoding="utf-8"))
    assert document["description"] == "Awarded for the spring term."
    verified = cli("verify", disclosed, "--offline", "--json")
    assert verified.code == 0, verified.out


def test_derive_reveals_only_mandatory_members_by_default(cli, base_file):
    result = cli("derive", base_file)
    assert result.code == 0, result.err
    assert "description" not in result.json()


def test_base_credential_is_refused_by_verify(cli, base_file):
    verified = cli("verify", base_file, "--offline", "--json")
    assert verified.code == 1
    assert [c["code"] for c in verified.json()["checks"] if c["outcome"] != "VALID"] == [
        "sd_base_proof_presented"
    ]


def test_explicit_mandatory_pointers_are_used(cli, tmp_path, unsigned_credential, write_json):
    key_path = tmp_path / "p256.json"
    assert cli("keygen", "--type", "p256", "-o", key_path).code == 0
    unsigned = write_json(tmp_path / "draft.json", unsigned_credential())
    out = tmp_path / "base.json"
    pointers = ["--mandatory", "/issuer", "--mandatory", "/validFrom"]
    result = cli(
        "issue", unsigned, "--key", key_path, "--suite", "ecdsa-sd-2023", *pointers, "-o", out
    )
    assert result.code == 0, result.err
    disclosed = cli("derive", out)
    assert disclosed.code == 0, disclosed.err
    # Withholding the achievement: the issuer's choice, which verification then refuses.
    assert "credentialSubject" not in disclosed.json()


def test_mandatory_without_the_sd_suite_is_a_usage_error(cli, tmp_path, unsigned_file):
    key_path = tmp_path / "p256.json"
    assert cli("keygen", "--type", "p256", "-o", key_path).code == 0
    result = cli("issue", unsigned_file, "--key", key_path, "--mandatory", "/issuer")
    assert result.code == 64
    assert "--suite ecdsa-sd-2023" in result.err


def test_derive_from_a_credential_without_base_proof_is_bad_input(cli, signed_file):
    result = cli("derive", signed_file)
    assert result.code == 65
    assert "[sd_base_proof_required]" in result.err


def test_derive_with_a_pointer_that_selects_nothing_is_bad_input(cli, base_file):
    result = cli("derive", base_file, "--reveal", "/nothing-here")
    assert result.code == 65
    assert "[sd_pointer_not_found]" in result.err
