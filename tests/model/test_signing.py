"""Signing works for every credential type; CLR and endorsement credentials verify on their own
and inside the record (the pipeline's nested step); schema checks in the pipeline."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest

from vcbadge import FixedClock, Issuer, Outcome, Verifier
from vcbadge.errors import CanonicalizationError, ModelError
from vcbadge.keys import Ed25519Key
from vcbadge.model import (
    Achievement,
    AchievementCredential,
    ClrCredential,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementCredential,
    Profile,
    RefreshService,
)
from vcbadge.model.envelope import OB_CONTEXT, VC_V2_CONTEXT
from vcbadge.schema import SchemaCache

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
SCHEMA_URL = "https://schemas.example.org/ob.json"


def _issuer(seed: int, name: str) -> Issuer:
    key = Ed25519Key.from_seed(bytes([seed]) * 32)
    return Issuer(Profile(id=key.did, name=name), key=key, clock=FixedClock(NOW))


def _achievement(slug: str) -> Achievement:
    return Achievement(
        id=f"https://badges.example.edu/achievements/{slug}",
        name=slug.title(),
        description=f"The {slug} badge.",
        criteria=Criteria(narrative="Do the work."),
    )


@pytest.fixture
def verifier() -> Verifier:
    return Verifier.offline(clock=FixedClock(NOW))


def _failed(result: Any) -> list[tuple[str, str, str]]:
    return [(c.name, c.code, c.path) for c in result.failed]


def test_every_credential_type_signs_and_verifies(verifier: Verifier) -> None:
    university, guild = _issuer(1, "Example U"), _issuer(2, "Guild")
    badges = [
        university.issue(AchievementCredential.award(_achievement(s), recipient="did:example:ada"))
        for s in ("python", "sql")
    ]
    endorsement = guild.issue(
        EndorsementCredential.endorse(university.profile.id, name="Guild endorsement")
    )
    clr = university.issue(
        ClrCredential.bundle(badges, name="Ada's record", learner="did:example:ada")
    )
    vc11 = university.issue(
        AchievementCredential.award(_achievement("legacy"), recipient="x:y", data_model="1.1")
    )
    for document in (*badges, endorsement, clr, vc11):
        result = verifier.verify(document)
        assert result.outcome is Outcome.VALID, _failed(result)
    assert clr["credentialSubject"]["verifiableCredential"] == badges  # carried unchanged
    nested = [c for c in verifier.verify(clr).checks if c.name == "nested_credential"]
    assert [c.path for c in nested] == [
        "/credentialSubject/verifiableCredential/0",
        "/credentialSubject/verifiableCredential/1",
    ]
    assert vc11["@context"][0] == "https://www.w3.org/2018/credentials/v1"


def test_a_tampered_nested_credential_fails_at_its_path(verifier: Verifier) -> None:
    university = _issuer(1, "Example U")
    badge = university.issue(
        AchievementCredential.award(_achievement("python"), recipient="did:example:ada")
    )
    forged = copy.deepcopy(badge)
    forged["credentialSubject"]["achievement"]["name"] = "Python 999"
    clr = university.issue(
        ClrCredential.bundle([badge, forged], name="Record", learner="did:example:ada")
    )
    result = verifier.verify(clr)
    assert result.outcome is Outcome.INVALID
    # The CLR's own proof is fine: only the forged credential inside is not.
    assert _failed(result) == [
        ("nested_credential", "invalid_signature", "/credentialSubject/verifiableCredential/1")
    ]


def test_embedded_endorsements_are_verified(verifier: Verifier) -> None:
    university, guild = _issuer(1, "Example U"), _issuer(2, "Guild")
    achievement = _achievement("python")
    endorsement = guild.issue(EndorsementCredential.endorse(achievement.id, name="Endorsed"))
    achievement.endorsement = [EndorsementCredential.from_json(endorsement)]
    badge = university.issue(AchievementCredential.award(achievement, recipient="did:x:ada"))
    result = verifier.verify(badge)
    assert result.outcome is Outcome.VALID, _failed(result)
    checks = [c for c in result.checks if c.name == "nested_credential"]
    assert [c.path for c in checks] == ["/credentialSubject/achievement/endorsement/0"]

    unsigned = EndorsementCredential.endorse(achievement.id, name="Unsigned").to_json()
    unsigned["issuer"] = guild.profile.id
    unsigned["validFrom"] = "2025-01-01T00:00:00Z"
    achievement.endorsement = [EndorsementCredential.from_json(unsigned)]
    badge = university.issue(AchievementCredential.award(achievement, recipient="did:x:ada"))
    assert _failed(verifier.verify(badge)) == [
        ("nested_credential", "proof_missing", "/credentialSubject/achievement/endorsement/0")
    ]


EXTENSION_MEMBERS = {
    "/credentialStatus/type": {
        "credential_status": CredentialStatus(
            id="https://badges.example.edu/status/1#3", type="1EdTechRevocationList"
        )
    },
    "/credentialSchema/0/type": {"credential_schema": [CredentialSchema(id=SCHEMA_URL)]},
    "/refreshService/type": {"refresh_service": RefreshService(id="https://e.org/refresh")},
}


@pytest.mark.parametrize("path", sorted(EXTENSION_MEMBERS))
def test_extensions_context_both_ways(path: str) -> None:
    """The builder's context makes 1EdTech extension types signable; without the extensions
    context, strict canonicalization refuses the credential before anything is signed (the
    undefined type would expand to a relative IRI and silently drop out of the signed data)."""
    university = _issuer(1, "Example U")
    members = EXTENSION_MEMBERS[path]
    signed = university.issue(
        AchievementCredential.award(_achievement("python"), recipient="did:x:a", **members)
    )
    assert signed["@context"][-1] == "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
    document = AchievementCredential.award(
        _achievement("python"), recipient="did:x:a", **members
    ).to_json()
    document["@context"] = [VC_V2_CONTEXT, OB_CONTEXT]
    with pytest.raises(CanonicalizationError) as refused:
        university.issue(document)
    assert (refused.value.code, refused.value.path) == ("relative_iri", path)


def test_the_issuer_refuses_a_model_that_breaks_the_rules() -> None:
    university = _issuer(1, "Example U")
    credential = AchievementCredential.award(_achievement("python"), recipient="did:x:a")
    credential.credential_subject.achievement.achievement_type = "Trophy"
    with pytest.raises(ModelError) as refused:
        university.issue(credential)
    assert refused.value.path == "/credentialSubject/achievement/achievementType"


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": SCHEMA_URL,
    "type": "object",
    "properties": {"name": {"type": "string", "maxLength": 20}},
}


def _with_schema(name: str) -> dict[str, Any]:
    credential = AchievementCredential.award(
        _achievement("python"),
        recipient="did:x:a",
        name=name,
        credential_schema=[CredentialSchema(id=SCHEMA_URL)],
    )
    return _issuer(1, "Example U").issue(credential)


def test_schema_step_in_the_pipeline() -> None:
    clock = FixedClock(NOW)
    seeded = Verifier.offline(clock=clock, schemas=SchemaCache([SCHEMA]))
    good, bad = _with_schema("Python"), _with_schema("A name that is far too long")
    result = seeded.verify(good)
    assert result.outcome is Outcome.VALID, _failed(result)
    assert [(c.name, c.path) for c in result.checks][3] == ("schema", "/credentialSchema/0")
    assert _failed(seeded.verify(bad)) == [("schema", "schema_invalid", "/name")]

    unseeded = Verifier.offline(clock=clock)
    assert _failed(unseeded.verify(good)) == [
        ("schema", "schema_unavailable", "/credentialSchema/0")
    ]
    # A schema given among the offline documents (vcbadge verify --doc URL=FILE) is used.
    from_documents = Verifier.offline(clock=clock, documents={SCHEMA_URL: SCHEMA})
    assert from_documents.verify(good).outcome is Outcome.VALID


def test_no_credential_schema_no_schema_check(verifier: Verifier) -> None:
    badge = _issuer(1, "Example U").issue(
        AchievementCredential.award(_achievement("python"), recipient="did:example:ada")
    )
    assert "schema" not in [c.name for c in verifier.verify(badge).checks]
