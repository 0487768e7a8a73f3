"""Nested credentials in compact JWS form (a CLR bundling VC-JWTs, ``endorsementJwt``) are
verified with the same pipeline, not skipped."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Outcome,
    Profile,
    Verifier,
)
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import Ed25519Key

NOW = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def _badge_jwt(key: Ed25519Key) -> str:
    achievement = Achievement(
        id="https://badges.example.edu/achievements/sql",
        name="SQL Basics",
        description="Queries relational data.",
        criteria=Criteria(narrative="Pass the SQL assessment."),
    )
    award = AchievementCredential.award(achievement, recipient="did:example:learner")
    issuer = JwtIssuer(Profile(id=key.did, name="Example U"), key=key, clock=FixedClock(NOW))
    return issuer.issue_jwt(award)


def _clr_with(nested: str, key: Ed25519Key) -> str:
    clr: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2", CLR_CONTEXT, OB_CONTEXT],
        "id": "urn:uuid:6d1f3a44-62f5-4a1f-9a62-2a3c7f3d8b10",
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": "Transcript",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": ["ClrSubject"],
            "verifiableCredential": [nested],
        },
    }
    # The CLR 2.0 schema lists credentials as objects, while 1EdTech's own CLR examples nest
    # compact JWS strings (tests/proofs/test_1edtech_validator_files.py): signed without the
    # schema check so the verifier's handling of such a CLR can be tested.
    issuer = JwtIssuer(
        Profile(id=key.did, name="Example U"), key=key, clock=FixedClock(NOW), check_schema=False
    )
    return issuer.issue_jwt(clr)


def test_nested_vc_jwt_in_a_clr_is_verified() -> None:
    key = Ed25519Key.from_seed(b"\x21" * 32)
    verifier = Verifier.offline(clock=FixedClock(NOW))
    good = verifier.verify(_clr_with(_badge_jwt(key), key))
    nested = [c for c in good.checks if c.name == "nested_credential"]
    assert [(c.outcome, c.path) for c in nested] == [
        (Outcome.VALID, "/payload/credentialSubject/verifiableCredential/0")
    ], good.to_dict()

    header, payload, signature = _badge_jwt(key).split(".")
    forged = ".".join(
        [header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")]
    )
    bad = verifier.verify(_clr_with(forged, key))
    assert bad.outcome is Outcome.INVALID
    assert [(c.name, c.code) for c in bad.failed] == [("nested_credential", "invalid_signature")]
