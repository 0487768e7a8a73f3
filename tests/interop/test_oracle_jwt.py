"""Interop of VC-JWT, VC-JOSE-COSE and presentations with Digital Bazaar's stack and panva's
`jose` (the oracle in ../shared/oracle), both directions.

A development check, opt-in like test_digital_bazaar_oracle.py: set VCBADGE_ORACLE to a
directory where the oracle was set up (`cp -r ../shared/oracle "$d" && (cd "$d/oracle" &&
npm ci)`). RS256 interop, which the oracle does not sign, is covered with PyJWT in
tests/proofs/test_jwt.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jose_helpers import failed, unsigned
from oracle_helpers import LATER, NOW, requires_oracle, run_node

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge._b64url import b64url_encode
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.issue.presentation import present
from vcbadge.keys import EcKey, Ed25519Key

pytestmark = [requires_oracle, pytest.mark.slow]  # a Node.js process per check

SEEDS = {"EdDSA": "33" * 32, "ES256": "33" * 32, "ES384": "33" * 48}
ALGS = ["EdDSA", "ES256", "ES384"]


def _key(alg: str) -> Any:
    seed = bytes.fromhex(SEEDS[alg])
    if alg == "EdDSA":
        return Ed25519Key.from_seed(seed)
    return EcKey.from_private_scalar(seed, "P-256" if alg == "ES256" else "P-384")


def _credential(version: str = "2.0") -> dict[str, Any]:
    credential = unsigned(version)
    credential["validFrom" if version == "2.0" else "issuanceDate"] = "2025-01-01T00:00:00Z"
    return credential


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize(
    ("profile", "version", "codes"),
    [
        ("vc11", "1.1", []),
        # A VC 2.0 credential in a vc claim: the signature and claims verify, but no
        # specification describes that combination (OB 3.0 puts VC 2.0 at the top level).
        ("vc11", "2.0", ["jwt_vc_claim_requires_vc1"]),
        ("vc2", "2.0", []),
    ],
)
def test_oracle_jwt_verifies_in_vcbadge(
    tmp_path: Path, alg: str, profile: str, version: str, codes: list[str]
) -> None:
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(_credential(version)))
    signed = run_node(
        "sign.mjs",
        "--suite",
        "vc-jwt",
        "--alg",
        alg,
        "--jwt-profile",
        profile,
        "--seed",
        SEEDS[alg],
        str(path),
    )
    assert signed.returncode == 0, signed.stderr
    token = signed.stdout.strip()
    verifier = Verifier.offline(clock=FixedClock(NOW))
    result = verifier.verify(token)
    assert [c.code for c in result.failed] == codes, failed(result)
    assert any(c.name == "jwt_signature" and c.outcome is Outcome.VALID for c in result.checks)
    head, payload, signature = token.split(".")
    tampered = f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{signature}"
    assert verifier.verify(tampered).outcome is not Outcome.VALID


@pytest.mark.parametrize("alg", ALGS)
@pytest.mark.parametrize("form", ["jwt", "jwt-vc11", "jose"])
def test_vcbadge_jwt_verifies_in_oracle(tmp_path: Path, alg: str, form: str) -> None:
    """jwt: the OB 3.0 form (the oracle reads a payload without a vc claim as the credential);
    jwt-vc11: a VC 1.1 credential, which vcbadge issues in the vc claim."""
    key = _key(alg)
    issuer = JwtIssuer({"id": key.controller, "type": ["Profile"]}, key=key, clock=FixedClock(NOW))
    if form == "jose":
        token = issuer.issue_enveloped(_credential())
    else:
        token = issuer.issue_jwt(_credential("1.1" if form == "jwt-vc11" else "2.0"))
    path = tmp_path / "badge.jwt"
    path.write_text(token)
    verified = run_node("verify.mjs", "--now", LATER, str(path))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    signing_input = token.rsplit(".", 1)[0]
    # A well-formed signature of the same algorithm, by another key.
    stranger = Ed25519Key.generate() if alg == "EdDSA" else EcKey.generate(curve=key.curve)
    forged = f"{signing_input}.{b64url_encode(stranger.sign(signing_input.encode()))}"
    path.write_text(forged)
    assert run_node("verify.mjs", "--now", LATER, str(path)).returncode == 1


def test_vcbadge_presentation_verifies_in_oracle(tmp_path: Path) -> None:
    issuer_key = Ed25519Key.from_seed(bytes([5]) * 32)
    badge = Issuer(
        {"id": issuer_key.controller, "type": ["Profile"]}, key=issuer_key, clock=FixedClock(NOW)
    ).issue(unsigned())
    holder = Ed25519Key.from_seed(bytes([6]) * 32)
    presentation = present([badge], holder, challenge="c-123", domain="jobs.example.com", at=NOW)
    path = tmp_path / "vp.json"
    path.write_text(json.dumps(presentation))
    ok = run_node(
        "verify.mjs",
        "--now",
        LATER,
        "--challenge",
        "c-123",
        "--domain",
        "jobs.example.com",
        str(path),
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    replay = run_node(
        "verify.mjs",
        "--now",
        LATER,
        "--challenge",
        "c-999",
        "--domain",
        "jobs.example.com",
        str(path),
    )
    assert replay.returncode == 1
