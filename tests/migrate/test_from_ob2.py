"""vcbadge.migrate.from_ob2: OB 2.0 awards become unsigned OB 3.0 credentials that validate
(model and the published JSON Schema), sign and verify VALID; what cannot be carried over is
reported, and what must not be migrated is refused with its own code."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import pytest
from migrate.ob2_examples import (
    BADGE_CLASS,
    EXAMPLES,
    HOSTED,
    ISSUER,
    REPORTED,
    REVOKED_ASSERTION,
    SIGNED_EMBEDDED,
    Ob2Example,
)

from vcbadge import FixedClock, InputError, Issuer, ModelError, Outcome, Profile, Verifier
from vcbadge.keys import Ed25519Key
from vcbadge.migrate import (
    OB2_ASSERTION_TYPE,
    OB2_BADGE_CLASS_TYPE,
    Migration,
    ReportEntry,
    from_ob2,
)
from vcbadge.model import IdentityObject, OpenBadgeCredential, validate_document
from vcbadge.model.ob2 import Ob2Assertion, Ob2BadgeClass, Ob2Profile
from vcbadge.schema import SchemaValidator

KEY = Ed25519Key.from_seed(bytes(range(32)))
NOW = datetime(2024, 6, 1, tzinfo=timezone.utc)


def _migrate(example: Ob2Example, **options: Any) -> Migration:
    return from_ob2(example.assertion, example.badge_class, example.issuer, **options)


def _subject(migration: Migration) -> Mapping[str, Any]:
    subject = migration.credential["credentialSubject"]
    assert isinstance(subject, Mapping)
    return subject


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_every_example_validates_signs_and_verifies(example: Ob2Example) -> None:
    migration = _migrate(example, issuer_id=KEY.did)
    credential = migration.credential
    assert "proof" not in credential
    assert validate_document(credential) == []
    OpenBadgeCredential.from_json(credential).ensure_valid()
    schemas = SchemaValidator.bundled().check(credential)
    assert [result.status for result in schemas] == ["valid"]
    signed = Issuer(Profile(id=KEY.did), key=KEY, clock=FixedClock(NOW)).issue(credential)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_the_report_lists_exactly_what_was_not_carried_over(example: Ob2Example) -> None:
    report = _migrate(example).report
    assert {(entry.document, entry.path, entry.code) for entry in report} == example.report
    assert all(entry.reason for entry in report)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_the_recipient_is_still_the_same_person(example: Ob2Example) -> None:
    identities = _subject(_migrate(example))["identifier"]
    assert len(identities) == 1
    identity = IdentityObject.from_json(identities[0])
    assert identity.matches(example.recipient)
    assert not identity.matches("someone-else@example.com")


def test_a_hashed_email_keeps_its_hash_salt_and_kind() -> None:
    (identity,) = _subject(_migrate(HOSTED))["identifier"]
    recipient = HOSTED.assertion["recipient"]
    assert identity == {
        "type": "IdentityObject",
        "hashed": True,
        "identityHash": recipient["identity"],
        "salt": recipient["salt"],
        "identityType": "emailAddress",
    }
    assert "id" not in _subject(_migrate(HOSTED))


def test_a_plain_url_recipient_also_becomes_the_subject_id() -> None:
    subject = _subject(_migrate(SIGNED_EMBEDDED))
    assert subject["id"] == "https://ada.example.com/"
    assert subject["identifier"][0]["hashed"] is False
    assert subject["identifier"][0]["identityType"] == "identifier"


def test_an_upper_case_hash_is_written_in_lower_case() -> None:
    (identity,) = _subject(_migrate(REPORTED))["identifier"]
    algorithm, digest = identity["identityHash"].split("$")
    assert algorithm == "sha256"
    assert digest == digest.lower()
    assert identity["identityType"] == "ext:telephone"


def test_ids_are_mapped_and_link_back_to_the_2_0_objects() -> None:
    migration = _migrate(HOSTED, issuer_id=KEY.did)
    credential = migration.credential
    assert credential["id"].startswith("urn:uuid:")
    assert credential["evidence"][0]["id"] == HOSTED.assertion["id"]
    assert credential["evidence"][0]["type"] == ["Evidence", OB2_ASSERTION_TYPE]
    achievement = _subject(migration)["achievement"]
    assert achievement["id"].startswith("urn:uuid:")
    assert achievement["related"][0] == {
        "id": BADGE_CLASS["id"],
        "type": ["Related", OB2_BADGE_CLASS_TYPE],
        "version": "Open Badges v2p0",
    }
    issuer = credential["issuer"]
    assert issuer["id"] == KEY.did
    assert issuer["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": ISSUER["id"], "identifierType": "identifier"}
    ]


def test_derived_ids_are_stable_and_distinct() -> None:
    first, again = _migrate(HOSTED), _migrate(HOSTED)
    assert first.credential["id"] == again.credential["id"]
    other = copy.deepcopy(HOSTED.assertion)
    other["id"] = "https://badges.example.org/assertions/someone-else.json"
    second = from_ob2(other, HOSTED.badge_class, HOSTED.issuer)
    assert second.credential["id"] != first.credential["id"]
    achievement = _subject(first)["achievement"]["id"]
    assert _subject(second)["achievement"]["id"] == achievement


def test_without_issuer_id_the_2_0_issuer_id_is_kept() -> None:
    issuer = _migrate(HOSTED).credential["issuer"]
    assert issuer["id"] == ISSUER["id"]
    assert "otherIdentifier" not in issuer


def test_the_members_are_carried_over() -> None:
    migration = _migrate(HOSTED)
    credential, subject = migration.credential, _subject(migration)
    achievement = subject["achievement"]
    assert credential["name"] == achievement["name"] == "Robot Builder"
    assert achievement["description"] == BADGE_CLASS["description"]
    assert achievement["criteria"] == BADGE_CLASS["criteria"]
    assert achievement["image"] == {"id": BADGE_CLASS["image"], "type": "Image"}
    assert achievement["tag"] == ["robotics", "engineering"]
    assert achievement["alignment"] == [{"type": ["Alignment"], **BADGE_CLASS["alignment"][0]}]
    assert credential["validFrom"] == credential["awardedDate"] == "2019-05-04T10:00:00Z"
    assert credential["validUntil"] == "2099-05-04T10:00:00Z"
    assert subject["narrative"] == HOSTED.assertion["narrative"]
    assert subject["image"] == {"id": HOSTED.assertion["image"], "type": "Image"}
    evidence = credential["evidence"][1]
    assert evidence == {"type": ["Evidence"], **HOSTED.assertion["evidence"][0]}
    issuer = credential["issuer"]
    assert (issuer["name"], issuer["url"], issuer["email"], issuer["phone"]) == (
        ISSUER["name"],
        ISSUER["url"],
        ISSUER["email"],
        ISSUER["telephone"],
    )


def test_offsets_are_written_in_utc() -> None:
    assert _migrate(SIGNED_EMBEDDED).credential["validFrom"] == "2020-02-29T07:30:00Z"


@pytest.mark.parametrize(
    ("issued_on", "valid_from", "reported"),
    [
        ("2020-02-29T08:30+0100", "2020-02-29T07:30:00Z", False),
        ("2016-12-31T23:59:59.123456789-05:00", "2017-01-01T04:59:59Z", False),
        (1500000000, "2017-07-14T02:40:00Z", False),
        ("2016-12-31", "2016-12-31T00:00:00Z", True),
        ("2016-12-31T23:59", "2016-12-31T23:59:00Z", True),
    ],
)
def test_every_ob2_date_form_is_read(issued_on: Any, valid_from: str, reported: bool) -> None:
    migration = from_ob2(_with(issuedOn=issued_on), BADGE_CLASS, ISSUER)
    assert migration.credential["validFrom"] == valid_from
    codes = {(entry.path, entry.code) for entry in migration.report}
    assert (("/issuedOn", "timezone_assumed") in codes) is reported


def test_an_alignment_without_target_url_is_reported_not_migrated() -> None:
    badge = {**BADGE_CLASS, "alignment": [{"targetName": "Mentoring"}, *BADGE_CLASS["alignment"]]}
    migration = from_ob2(HOSTED.assertion, badge, ISSUER)
    assert ("badge_class", "/alignment/0", "not_migrated") in {
        (entry.document, entry.path, entry.code) for entry in migration.report
    }
    achievement = _subject(migration)["achievement"]
    assert [item["targetName"] for item in achievement["alignment"]] == ["Design a simple machine"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.name)
def test_the_examples_are_valid_ob2_and_the_typed_models_migrate_the_same(
    example: Ob2Example,
) -> None:
    assertion = Ob2Assertion.from_json(example.assertion)
    badge = Ob2BadgeClass.from_json(example.badge_class) if example.badge_class else None
    issuer = Ob2Profile.from_json(example.issuer) if example.issuer else None
    typed = from_ob2(assertion, badge, issuer, issuer_id=KEY.did)
    assert typed == _migrate(example, issuer_id=KEY.did)


def test_objects_with_to_json_are_accepted() -> None:
    class Typed:
        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data

        def to_json(self) -> dict[str, Any]:
            return copy.deepcopy(self.data)

    typed = from_ob2(Typed(HOSTED.assertion), Typed(BADGE_CLASS), Typed(ISSUER), issuer_id=KEY.did)
    assert typed == _migrate(HOSTED, issuer_id=KEY.did)


def test_the_result_is_frozen_and_keyword_only() -> None:
    migration = _migrate(REPORTED)
    with pytest.raises(AttributeError):
        migration.report = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        ReportEntry("assertion", "/x", "not_migrated", "why")  # type: ignore[misc]
    as_json = migration.to_json()
    assert as_json["credential"] == dict(migration.credential)
    assert {"document", "path", "code", "reason"} == set(as_json["report"][0])


def _refused(code: str, assertion: Any, badge: Any = None, issuer: Any = None) -> InputError:
    with pytest.raises(InputError) as raised:
        from_ob2(assertion, badge, issuer)
    assert raised.value.code == code, raised.value
    return raised.value


def _with(**changes: Any) -> dict[str, Any]:
    assertion = copy.deepcopy(HOSTED.assertion)
    assertion.update(changes)
    return {key: value for key, value in assertion.items() if value is not None}


def test_a_revoked_assertion_is_refused() -> None:
    error = _refused("ob2_revoked", REVOKED_ASSERTION, BADGE_CLASS, ISSUER)
    assert error.path == "/revoked"


def test_something_that_is_not_an_assertion_is_refused() -> None:
    assert _refused("ob2_not_an_assertion", BADGE_CLASS).path == "/type"
    assert _refused("ob2_not_an_object", ["not", "an", "object"]).path == ""


def test_a_badge_class_named_by_url_but_not_given_is_refused() -> None:
    error = _refused("ob2_document_missing", HOSTED.assertion, None, ISSUER)
    assert error.path == "/badge"
    assert _refused("ob2_document_missing", HOSTED.assertion, BADGE_CLASS).path == "/issuer"


def test_documents_whose_id_is_not_the_one_named_are_refused() -> None:
    other_badge = {**BADGE_CLASS, "id": "https://evil.example/badge.json"}
    assert _refused("ob2_id_mismatch", HOSTED.assertion, other_badge, ISSUER).path == "/badge"
    other_issuer = {**ISSUER, "id": "https://evil.example/issuer.json"}
    error = _refused("ob2_id_mismatch", HOSTED.assertion, BADGE_CLASS, other_issuer)
    assert error.path == "/issuer"


@pytest.mark.parametrize(
    ("recipient", "path"),
    [
        (None, "/recipient"),
        ({"type": "fax", "hashed": False, "identity": "1"}, "/recipient/type"),
        ({"type": "email", "hashed": False, "identity": ""}, "/recipient/identity"),
        ({"type": "email", "hashed": "yes", "identity": "a@b.c"}, "/recipient/hashed"),
        ({"type": "email", "hashed": True, "identity": "sha256$abc"}, "/recipient/identity"),
        (
            {"type": "email", "hashed": True, "identity": "md5$" + "0" * 32, "salt": 5},
            "/recipient/salt",
        ),
    ],
)
def test_a_bad_recipient_is_refused(recipient: Any, path: str) -> None:
    error = _refused("ob2_recipient_invalid", _with(recipient=recipient), BADGE_CLASS, ISSUER)
    assert error.path == path


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("yesterday", "/issuedOn"),
        (True, "/issuedOn"),
        (10**20, "/issuedOn"),
        ("2019-13-45", "/issuedOn"),
        ("2019-05-04T25:00Z", "/issuedOn"),
        (["2019-05-04"], "/issuedOn"),
    ],
)
def test_a_bad_date_is_refused(value: Any, path: str) -> None:
    error = _refused("ob2_date_invalid", _with(issuedOn=value), BADGE_CLASS, ISSUER)
    assert error.path == path
    expires = _refused("ob2_date_invalid", _with(expires=value), BADGE_CLASS, ISSUER)
    assert expires.path == "/expires"


@pytest.mark.parametrize(
    ("assertion", "badge", "path"),
    [
        (_with(id=None), BADGE_CLASS, "/id"),
        (_with(issuedOn=None), BADGE_CLASS, "/issuedOn"),
        (_with(narrative=["not", "text"]), BADGE_CLASS, "/narrative"),
        (_with(image=42), BADGE_CLASS, "/image"),
        (_with(evidence=[42]), BADGE_CLASS, "/evidence/0"),
        (_with(badge=42), BADGE_CLASS, "/badge"),
        (_with(badge={"name": "no id"}), None, "/badge/id"),
        (HOSTED.assertion, {**BADGE_CLASS, "criteria": 7}, "/criteria"),
        (HOSTED.assertion, {**BADGE_CLASS, "name": None}, "/name"),
        (HOSTED.assertion, {**BADGE_CLASS, "tags": [1]}, "/tags"),
        (HOSTED.assertion, {**BADGE_CLASS, "issuer": None}, "/issuer"),
    ],
)
def test_a_malformed_member_is_refused(assertion: Any, badge: Any, path: str) -> None:
    assert _refused("ob2_member_invalid", assertion, badge, ISSUER).path == path


def test_an_issuer_member_of_the_wrong_type_is_refused() -> None:
    error = _refused("ob2_member_invalid", HOSTED.assertion, BADGE_CLASS, {**ISSUER, "name": 1})
    assert error.path == "/name"
    assert error.message.endswith("(in the issuer Profile given)")


def test_errors_in_embedded_documents_point_into_the_assertion() -> None:
    assertion = copy.deepcopy(SIGNED_EMBEDDED.assertion)
    assertion["badge"]["criteria"] = 7
    assert _refused("ob2_member_invalid", assertion).path == "/badge/criteria"
    assertion = copy.deepcopy(SIGNED_EMBEDDED.assertion)
    assertion["badge"]["issuer"]["image"] = 7
    assert _refused("ob2_member_invalid", assertion).path == "/badge/issuer/image"
    assertion["badge"]["issuer"] = "https://badges.example.org/issuer.json"
    assert _refused("ob2_document_missing", assertion).path == "/badge/issuer"


def test_errors_in_a_given_badge_class_say_so() -> None:
    error = _refused("ob2_member_invalid", HOSTED.assertion, {**BADGE_CLASS, "criteria": 7}, ISSUER)
    assert error.path == "/criteria"
    assert error.message.endswith("(in the BadgeClass given)")


def test_a_result_that_would_not_be_valid_ob_3_0_is_refused() -> None:
    # Valid OB 2.0 shapes, but "not a uri" cannot be an OB 3.0 image id.
    badge = {**BADGE_CLASS, "image": "not a uri"}
    with pytest.raises(InputError) as raised:
        from_ob2(HOSTED.assertion, badge, ISSUER)
    assert raised.value.code == "ob2_not_migratable"
    assert raised.value.path == "/credentialSubject/achievement/image/id"
    assert not isinstance(raised.value, ModelError)


def test_a_member_of_the_wrong_type_is_reported_not_dropped() -> None:
    assertion = _with(evidence=[{"id": "https://portfolio.example.com/x", "narrative": 5}])
    badge = {**BADGE_CLASS, "image": {"id": BADGE_CLASS["image"], "caption": 5}, "version": 2}
    migration = from_ob2(assertion, badge, ISSUER)
    found = {(entry.document, entry.path, entry.code) for entry in migration.report}
    assert {
        ("assertion", "/evidence/0/narrative", "not_migrated"),
        ("badge_class", "/image/caption", "not_migrated"),
        ("badge_class", "/version", "not_migrated"),
    } <= found
    achievement = _subject(migration)["achievement"]
    assert "caption" not in achievement["image"]
    assert "version" not in achievement
