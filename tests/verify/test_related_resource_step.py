"""relatedResource digests (VC Data Model 2.0 section 5.3) on issue and on verify: vcbadge
holds its bundled contexts, so a wrong digest of one is refused on issue and INVALID on
verify; a resource vcbadge does not hold passes unless the policy requires held ones."""

from __future__ import annotations

import base64
from datetime import datetime, timezone
from typing import Any

import pytest
from jose_helpers import failed, unsigned
from signing import sign_eddsa

from vcbadge import FixedClock, Issuer, Outcome, Policy, Verifier
from vcbadge.errors import VerificationError
from vcbadge.jsonld.related_resource import published_digest
from vcbadge.keys import Ed25519Key

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes([41]) * 32)
ISSUER = Issuer({"id": KEY.controller, "type": ["Profile"]}, key=KEY, clock=FixedClock(NOW))
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
VC_V2 = "https://www.w3.org/ns/credentials/v2"


def sri(url: str, algorithm: str = "sha384") -> str:
    digest = published_digest(url, algorithm)
    assert digest is not None, f"no published {algorithm} recorded for {url}"
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def with_resources(*resources: dict[str, Any]) -> dict[str, Any]:
    credential = unsigned()
    credential["relatedResource"] = list(resources)
    return credential


def test_a_correct_digest_of_a_bundled_context_is_issued_and_verifies() -> None:
    signed = ISSUER.issue(with_resources({"id": VC_V2, "digestSRI": sri(VC_V2)}))
    result = VERIFIER.verify(signed)
    assert result.outcome is Outcome.VALID, failed(result)
    assert ("related_resource", "ok", "/relatedResource/0/digestSRI") in [
        (c.name, c.code, c.path) for c in result.checks
    ]


def test_a_wrong_digest_is_refused_on_issue() -> None:
    wrong = "sha384-" + base64.b64encode(bytes(48)).decode()
    with pytest.raises(VerificationError) as raised:
        ISSUER.issue(with_resources({"id": VC_V2, "digestSRI": wrong}))
    assert raised.value.code == "related_resource_digest_mismatch"
    assert raised.value.path == "/relatedResource/0/digestSRI"


def test_a_wrong_digest_is_invalid_on_verify() -> None:
    signed = ISSUER.issue(with_resources({"id": VC_V2, "digestSRI": sri(VC_V2)}))
    # Re-sign a credential whose digest an attacker swapped: the signature is fine, the digest
    # is not, so the credential pins bytes other than those vcbadge used to interpret it.
    tampered = unsigned()
    tampered["relatedResource"] = [{"id": VC_V2, "digestSRI": sri(VC_V2, "sha256")[:-4] + "AAA="}]
    tampered["issuer"] = signed["issuer"]
    tampered["validFrom"] = signed["validFrom"]
    result = VERIFIER.verify(sign_eddsa(tampered, KEY, created=NOW))
    assert (
        "related_resource",
        "related_resource_digest_mismatch",
        "/relatedResource/0/digestSRI",
    ) in failed(result)


def test_a_resource_vcbadge_does_not_hold_passes_unless_the_policy_requires_it() -> None:
    image = {"id": "https://badges.example.edu/py101.png", "digestSRI": "sha256-" + "A" * 43 + "="}
    signed = ISSUER.issue(with_resources(image))
    result = VERIFIER.verify(signed)
    assert result.outcome is Outcome.VALID, failed(result)
    assert any(c.code == "related_resource_not_held" for c in result.checks)
    strict = Verifier.offline(
        policy=Policy(require_held_related_resources=True), clock=FixedClock(NOW)
    )
    result = strict.verify(signed)
    assert result.outcome is Outcome.INDETERMINATE
    assert [c.code for c in result.failed] == ["related_resource_not_held"]
