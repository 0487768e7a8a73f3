"""The typed model: builders, strict JSON types with exact paths, round-trip rules, contexts."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from typing import Any

import pytest

from vcbadge.errors import ModelError
from vcbadge.model import (
    Achievement,
    AchievementCredential,
    Alignment,
    ClrCredential,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementCredential,
    Evidence,
    IdentityObject,
    Profile,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    hash_identity,
    identity_matches,
    validate_document,
)
from vcbadge.model.envelope import (
    CLR_CONTEXT,
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
)

ACHIEVEMENT_ID = "https://badges.example.edu/achievements/py101"


def _achievement(**extra: Any) -> Achievement:
    return Achievement(
        id=ACHIEVEMENT_ID,
        name="Python 101",
        description="Wrote and tested a small Python program.",
        criteria=Criteria(narrative="Pass the final project."),
        **extra,
    )


def _credential_json() -> dict[str, Any]:
    credential = AchievementCredential.award(_achievement(), recipient="did:example:ada")
    document = credential.to_json()
    document["issuer"] = {"id": "https://badges.example.edu", "type": ["Profile"]}
    document["validFrom"] = "2025-01-01T00:00:00Z"
    return document


def test_builder_output_has_contexts_types_and_no_nulls() -> None:
    document = AchievementCredential.award(_achievement(), recipient="did:example:ada").to_json()
    assert document["@context"] == [VC_V2_CONTEXT, OB_CONTEXT]
    assert next(iter(document)) == "@context"
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["credentialSubject"]["achievement"]["type"] == ["Achievement"]
    assert document["id"].startswith("urn:uuid:")
    assert "validUntil" not in document
    assert "image" not in document["credentialSubject"]


def test_award_by_email_hashes_exactly_as_the_spec_says() -> None:
    credential = AchievementCredential.award(
        _achievement(), recipient_email="ada@example.org", salt="pepper"
    )
    identity = credential.credential_subject.identifier
    assert isinstance(identity, list)
    assert identity[0].identity_hash == (
        "sha256$" + __import__("hashlib").sha256(b"ada@example.orgpepper").hexdigest()
    )
    assert identity[0].matches("Ada@Example.org")
    assert not identity[0].matches("bob@example.org")
    assert identity_matches("ada@example.org", hash_identity("ada@example.org", "s"), "s")
    assert "id" not in credential.to_json()["credentialSubject"]


def test_award_needs_exactly_one_recipient() -> None:
    with pytest.raises(ModelError):
        AchievementCredential.award(_achievement())
    with pytest.raises(ModelError):
        AchievementCredential.award(
            _achievement(), recipient="did:example:a", recipient_email="a@example.org"
        )


def test_plaintext_identity() -> None:
    identity = IdentityObject(identity_hash="s-123", identity_type="studentId", hashed=False)
    assert identity.matches("s-123")
    assert not identity.matches("s-124")


def test_wrong_json_types_are_errors_with_exact_paths() -> None:
    document = _credential_json()
    document["credentialSubject"]["achievement"]["name"] = 5
    document["credentialSubject"]["achievement"]["creditsAvailable"] = True
    document["credentialSubject"]["identifier"] = [{"type": "IdentityObject", "hashed": "yes"}]
    with pytest.raises(ModelError) as raised:
        AchievementCredential.from_json(document)
    found = {(issue.path, issue.message) for issue in raised.value.issues}
    assert ("/credentialSubject/achievement/name", "Input should be a valid string") in found
    assert ("/credentialSubject/achievement/creditsAvailable", "Input should be a number") in found
    assert ("/credentialSubject/identifier/0/hashed", "Input should be a valid boolean") in found
    assert ("/credentialSubject/identifier/0/identityHash", "identityHash is required") in found
    assert raised.value.path == raised.value.issues[0].path


@pytest.mark.parametrize(
    ("member", "value", "path"),
    [
        ("validFrom", "2025-01-01T00:00:00", "/validFrom"),  # no time zone
        ("validFrom", "yesterday", "/validFrom"),
        ("id", "not a uri", "/id"),
        ("issuer", "example.edu", "/issuer"),
    ],
)
def test_formats(member: str, value: str, path: str) -> None:
    document = _credential_json()
    document[member] = value
    with pytest.raises(ModelError) as raised:
        AchievementCredential.from_json(document)
    assert raised.value.path == path


def test_builder_defaults_never_fill_gaps_in_received_json() -> None:
    document = _credential_json()
    del document["credentialSubject"]["achievement"]["type"]
    del document["@context"]
    with pytest.raises(ModelError) as raised:
        AchievementCredential.from_json(document)
    assert {issue.path for issue in raised.value.issues} == {
        "/@context",
        "/credentialSubject/achievement/type",
    }


def test_unknown_members_round_trip_including_nulls_and_snake_case_names() -> None:
    document = _credential_json()
    document["credentialSubject"]["achievement"]["ext:level"] = {"deep": [1, 2.5, None]}
    document["valid_from"] = "kept as an unknown member"
    document["nothing"] = None
    document["credentialSubject"]["type"] = "AchievementSubject"  # compacted form kept
    parsed = AchievementCredential.from_json(copy.deepcopy(document))
    assert parsed.to_json() == document
    assert parsed.valid_from == "2025-01-01T00:00:00Z"


def test_extensions_context_is_added_when_needed() -> None:
    plain = AchievementCredential.award(_achievement(), recipient="did:example:a")
    assert OB_EXTENSIONS_CONTEXT not in plain.to_json()["@context"]
    plain.credential_schema = [CredentialSchema(id="https://example.org/schema.json")]
    assert plain.to_json()["@context"] == [VC_V2_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT]
    status = AchievementCredential.award(
        _achievement(),
        recipient="did:example:a",
        credential_status=CredentialStatus(id="https://e.org/s/1", type="1EdTechRevocationList"),
    )
    assert OB_EXTENSIONS_CONTEXT in status.to_json()["@context"]


def test_explicit_context_is_written_as_given_and_the_rules_name_the_gap() -> None:
    credential = AchievementCredential.award(
        _achievement(),
        recipient="did:example:a",
        context=[VC_V2_CONTEXT, OB_CONTEXT],
        credential_schema=[CredentialSchema(id="https://example.org/schema.json")],
        issuer="https://badges.example.edu",
        valid_from=datetime(2025, 1, 1, tzinfo=timezone.utc),
    )
    document = credential.to_json()
    assert document["@context"] == [VC_V2_CONTEXT, OB_CONTEXT]
    [issue] = credential.issues()
    assert (issue.path, issue.code) == ("/@context", "extensions_context_missing")


def test_vc_1_1_on_request() -> None:
    credential = AchievementCredential.award(
        _achievement(),
        recipient="did:example:a",
        data_model="1.1",
        valid_from=datetime(2025, 1, 1, tzinfo=timezone.utc),
    )
    document = credential.to_json()
    assert document["@context"] == [VC_V1_CONTEXT, OB_CONTEXT]
    assert document["issuanceDate"] == "2025-01-01T00:00:00Z"
    assert "validFrom" not in document
    assert credential.data_model == "1.1"
    assert AchievementCredential.from_json(document).data_model == "1.1"


def test_clr_context_and_rules() -> None:
    clr = ClrCredential.bundle([_credential_json()], name="Record", learner="did:example:ada")
    document = clr.to_json()
    assert document["@context"] == [VC_V2_CONTEXT, CLR_CONTEXT, OB_CONTEXT]
    assert document["credentialSubject"]["type"] == ["ClrSubject"]
    document["issuer"] = "https://badges.example.edu"
    document["validFrom"] = "2025-01-01T00:00:00Z"
    assert validate_document(document) == []
    document["credentialSubject"]["verifiableCredential"][0]["credentialSubject"]["type"] = ["X"]
    assert [issue.path for issue in validate_document(document)] == [
        "/credentialSubject/verifiableCredential/0/credentialSubject/type"
    ]


def test_rich_achievement_round_trips_and_satisfies_the_rules() -> None:
    achievement = _achievement(
        achievement_type="Course",
        alignment=[
            Alignment(
                target_name="Programming",
                target_url="https://frameworks.example.org/skills/programming",
                target_type="ceasn:Competency",
                target_framework="Example Skills",
            )
        ],
        result_description=[
            ResultDescription(
                id="urn:uuid:3b2a0c7e-0000-4000-8000-000000000001",
                name="Final project",
                result_type="RubricCriterionLevel",
                rubric_criterion_level=[
                    RubricCriterionLevel(
                        id="urn:uuid:3b2a0c7e-0000-4000-8000-000000000002",
                        name="Proficient",
                        points="3",
                    )
                ],
            )
        ],
        credits_available=3,
        creator=Profile(id="https://badges.example.edu", name="Example U"),
    )
    credential = AchievementCredential.award(
        achievement,
        recipient="did:example:ada",
        result=[
            Result(
                result_description="urn:uuid:3b2a0c7e-0000-4000-8000-000000000001",
                achieved_level="urn:uuid:3b2a0c7e-0000-4000-8000-000000000002",
            )
        ],
        evidence=[Evidence(id="https://portfolio.example.org/ada", name="Portfolio")],
        issuer="https://badges.example.edu",
        valid_from=datetime(2025, 1, 1, tzinfo=timezone.utc),
    )
    document = credential.to_json()
    assert document["credentialSubject"]["achievement"]["creditsAvailable"] == 3
    assert AchievementCredential.from_json(document).to_json() == document
    assert credential.issues() == []
    credential.ensure_valid()


def test_rule_failures_raise_with_every_issue() -> None:
    achievement = _achievement(achievement_type="Trophy", type=["Thing"])
    with pytest.raises(ModelError) as raised:
        achievement.ensure_valid()
    assert [i.path for i in raised.value.issues] == ["/type", "/achievementType"]


def test_endorsement_builder() -> None:
    endorsement = EndorsementCredential.endorse(
        ACHIEVEMENT_ID, name="Endorsed by the guild", comment="Solid course."
    )
    document = endorsement.to_json()
    assert document["type"] == ["VerifiableCredential", "EndorsementCredential"]
    assert document["credentialSubject"] == {
        "id": ACHIEVEMENT_ID,
        "type": ["EndorsementSubject"],
        "endorsementComment": "Solid course.",
    }
