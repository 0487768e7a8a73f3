"""``vcbadge issue --format jwt|jose`` and ``vcbadge verify`` of JWTs and presentations."""

from __future__ import annotations

import json
from pathlib import Path

from vcbadge._b64url import b64url_decode
from vcbadge.issue.presentation import present
from vcbadge.keys import Ed25519Key


def test_issue_jwt_and_verify(cli, tmp_path: Path, unsigned_file: Path, key_file: Path) -> None:
    out = tmp_path / "badge.jwt"
    issued = cli("issue", unsigned_file, "--key", key_file, "--format", "jwt", "-o", out)
    assert issued.code == 0, issued.err
    token = out.read_text()
    assert token.endswith("\n")
    header = json.loads(b64url_decode(token.split(".")[0]))
    assert (header["alg"], header["typ"]) == ("EdDSA", "JWT")
    # OB 3.0 section 8.2.4.1: the credential's members at the top level, no "vc" claim.
    payload = json.loads(b64url_decode(token.split(".")[1]))
    assert "vc" not in payload
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["jti"] == payload["id"]
    verified = cli("verify", "--offline", "--json", out)
    assert verified.code == 0, verified.out
    assert [c["name"] for c in verified.json()["checks"]][:2] == ["parse", "jwt_header"]


def test_issue_jose(cli, tmp_path: Path, unsigned_file: Path, key_file: Path) -> None:
    out = tmp_path / "badge.jwt"
    issued = cli(
        "issue", unsigned_file, "--key", key_file, "--format", "jose", "--alg", "EdDSA", "-o", out
    )
    assert issued.code == 0, issued.err
    assert json.loads(b64url_decode(out.read_text().split(".")[0]))["typ"] == "vc+jwt"
    assert cli("verify", "--offline", out).code == 0


def test_alg_must_fit_the_key(cli, unsigned_file: Path, key_file: Path) -> None:
    wrong = cli("issue", unsigned_file, "--key", key_file, "--format", "jwt", "--alg", "RS256")
    assert wrong.code == 65
    assert "key_algorithm_mismatch" in wrong.err
    assert cli("issue", unsigned_file, "--key", key_file, "--alg", "EdDSA").code == 64


def test_presentation_needs_the_challenge(cli, tmp_path: Path, signed_file: Path) -> None:
    holder = Ed25519Key.generate()
    badge = json.loads(signed_file.read_text())
    vp = tmp_path / "vp.json"
    vp.write_text(json.dumps(present([badge], holder, challenge="c-1", domain="d.example")))
    assert cli("verify", "--offline", vp).code == 64
    assert cli("verify", "--offline", vp, "--challenge", "c-1", "--domain", "d.example").code == 0
    # --domain repeated is the verifier's set of domains: it must equal the proof's set
    wider = cli(
        "verify", "--offline", "--json", vp, "--challenge", "c-1",
        "--domain", "d.example", "--domain", "e.example",
    )  # fmt: skip
    assert wider.code == 1
    assert "domain_mismatch" in {c["code"] for c in wider.json()["checks"]}
    replay = cli("verify", "--offline", "--json", vp, "--challenge", "c-2")
    assert replay.code == 1
    assert "challenge_mismatch" in {c["code"] for c in replay.json()["checks"]}
    assert cli("verify", "--offline", signed_file, "--challenge", "c-1").code == 64


def test_rsa_keygen_issue_jwt_and_verify(cli, tmp_path: Path, unsigned_file: Path) -> None:
    key_path = tmp_path / "rsa.json"
    made = cli("keygen", "--type", "rsa", "-o", key_path)
    assert made.code == 0, made.err
    assert made.out.startswith("did:jwk:")
    assert key_path.stat().st_mode & 0o777 == 0o600
    out = tmp_path / "badge.jwt"
    issued = cli("issue", unsigned_file, "--key", key_path, "--format", "jwt", "-o", out)
    assert issued.code == 0, issued.err
    assert json.loads(b64url_decode(out.read_text().split(".")[0]))["alg"] == "RS256"
    assert cli("verify", "--offline", out).code == 0
    # Without --format an RSA key means a VC-JWT (RS256); no Data Integrity suite signs with
    # RSA, so asking for one is a usage error naming the key types it needs.
    assert cli("issue", unsigned_file, "--key", key_path).code == 0
    refused = cli("issue", unsigned_file, "--key", key_path, "--format", "di")
    assert refused.code == 64
    assert "RSA key" in refused.err


def test_rsa_has_no_seed_form(cli) -> None:
    refused = cli("keygen", "--type", "rsa", "--seed", "00" * 32)
    assert refused.code == 64
    assert "cannot be made from a seed" in refused.err
