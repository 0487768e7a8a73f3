"""The Open Badges 3.0 rules verification applies (``ob_conformance``): a correctly signed
credential that breaks one of them is INVALID, under the rule's code and at its path; the rules
only ``validate`` applies do not change the verification outcome."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from jose_helpers import failed, unsigned
from reference_corpus import reference_root, requires_reference
from signing import sign_eddsa

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.keys import Ed25519Key
from vcbadge.model.rules import (
    VERIFICATION_CODES,
    _Rules,
    check,
    verification_issues,
    verification_kind,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
KEY = Ed25519Key.from_seed(bytes([5]) * 32)
POLICY = Path(__file__).resolve().parents[2] / "docs" / "verification-policy.md"

Edit = Callable[[dict[str, Any]], None]


def credential() -> dict[str, Any]:
    document = unsigned()
    document["issuer"] = {"id": KEY.controller, "type": ["Profile"], "name": "Example U"}
    document["validFrom"] = "2025-01-01T00:00:00Z"
    return document


def signed(edit: Edit | None = None) -> dict[str, Any]:
    """The credential, changed by ``edit``, then signed (below the Issuer, which refuses it)."""
    document = credential()
    if edit is not None:
        edit(document)
    return sign_eddsa(document, KEY, created=NOW)


def _subject(document: dict[str, Any]) -> dict[str, Any]:
    subject: dict[str, Any] = document["credentialSubject"]
    return subject


def _achievement(document: dict[str, Any]) -> dict[str, Any]:
    achievement: dict[str, Any] = _subject(document)["achievement"]
    return achievement


def test_a_conforming_badge_passes() -> None:
    result = VERIFIER.verify(signed())
    assert result.outcome is Outcome.VALID, failed(result)
    conformance = [c for c in result.checks if c.name == "ob_conformance"]
    assert [(c.outcome, c.code) for c in conformance] == [(Outcome.VALID, "ok")]


def test_a_subject_with_neither_id_nor_identifier_is_invalid() -> None:
    result = VERIFIER.verify(signed(lambda d: _subject(d).pop("id")))
    assert result.outcome is Outcome.INVALID
    assert failed(result) == [("ob_conformance", "ob_subject_unidentified", "/credentialSubject")]


def test_an_identifier_identifies_the_subject() -> None:
    def identified(document: dict[str, Any]) -> None:
        _subject(document).pop("id")
        _subject(document)["identifier"] = [
            {
                "type": "IdentityObject",
                "identityHash": "ada@example.org",
                "identityType": "emailAddress",
                "hashed": False,
            }
        ]

    result = VERIFIER.verify(signed(identified))
    assert result.outcome is Outcome.VALID, failed(result)


def test_a_credential_with_the_ob_context_but_no_ob_type_is_invalid() -> None:
    def untyped(document: dict[str, Any]) -> None:
        document["type"] = ["VerifiableCredential"]

    result = VERIFIER.verify(signed(untyped))
    assert result.outcome is Outcome.INVALID
    assert failed(result) == [("ob_conformance", "ob_type_missing", "/type")]


def _set(path: tuple[str, ...], value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return edit


def _drop(*path: str) -> Edit:
    def edit(document: dict[str, Any]) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


SUBJECT, ACHIEVEMENT = ("credentialSubject",), ("credentialSubject", "achievement")

BROKEN_RULES: dict[str, tuple[Edit, str, str]] = {
    "no credential id": (_drop("id"), "ob_member_missing", "/id"),
    "no validFrom": (_drop("validFrom"), "ob_member_missing", "/validFrom"),
    "no achievement": (_drop(*ACHIEVEMENT), "ob_member_missing", "/credentialSubject/achievement"),
    "achievement without criteria": (
        _drop(*ACHIEVEMENT, "criteria"),
        "ob_member_missing",
        "/credentialSubject/achievement/criteria",
    ),
    "achievement without description": (
        _drop(*ACHIEVEMENT, "description"),
        "ob_member_missing",
        "/credentialSubject/achievement/description",
    ),
    "achievement without id": (
        _drop(*ACHIEVEMENT, "id"),
        "ob_member_missing",
        "/credentialSubject/achievement/id",
    ),
    "criteria with neither id nor narrative": (
        _set((*ACHIEVEMENT, "criteria"), {"type": "Criteria"}),
        "ob_member_missing",
        "/credentialSubject/achievement/criteria",
    ),
    "issuer not a Profile": (
        _set(("issuer", "type"), ["Achievement"]),
        "ob_type_missing",
        "/issuer/type",
    ),
    "evidence not Evidence": (
        _set(("evidence",), [{"id": "https://example.org/work", "type": ["Profile"]}]),
        "ob_type_missing",
        "/evidence/0/type",
    ),
    "subject array": (
        lambda d: d.update(credentialSubject=[d["credentialSubject"]]),
        "ob_type_missing",
        "/credentialSubject",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_RULES))
def test_each_rule_verification_applies(case: str) -> None:
    edit, code, path = BROKEN_RULES[case]
    result = VERIFIER.verify(signed(edit))
    assert result.outcome is Outcome.INVALID
    assert ("ob_conformance", code, path) in failed(result)
    # The signature is fine: the rule alone decides.
    assert [c.outcome for c in result.checks if c.name == "proof"] == [Outcome.VALID]


# A wrong class on an object whose members only that class's scoped context defines cannot
# even be signed (canonicalization refuses the undefined terms), so these are verified unsigned:
# the rule is reported beside proof_missing.
UNSIGNABLE: dict[str, tuple[Edit, str, str]] = {
    "subject not an AchievementSubject": (
        _set((*SUBJECT, "type"), ["Profile"]),
        "ob_type_missing",
        "/credentialSubject/type",
    ),
    "achievement not an Achievement": (
        _set((*ACHIEVEMENT, "type"), ["Profile"]),
        "ob_type_missing",
        "/credentialSubject/achievement/type",
    ),
    "identifier not an IdentityObject": (
        _set(
            (*SUBJECT, "identifier"),
            [
                {
                    "type": "IdentifierEntry",
                    "identityHash": "ada@example.org",
                    "identityType": "emailAddress",
                    "hashed": False,
                }
            ],
        ),
        "ob_type_missing",
        "/credentialSubject/identifier/0/type",
    ),
}


@pytest.mark.parametrize("case", list(UNSIGNABLE))
def test_each_type_rule_verification_applies(case: str) -> None:
    edit, code, path = UNSIGNABLE[case]
    document = credential()
    edit(document)
    result = VERIFIER.verify(document)
    assert failed(result) == [("ob_conformance", code, path), ("proof", "proof_missing", "/proof")]


@pytest.mark.parametrize(
    "edit",
    [
        _drop("name"),
        _set((*ACHIEVEMENT, "achievementType"), "NotInTheVocabulary"),
        _set(("awardedDate",), "yesterday"),
    ],
    ids=["no credential name", "achievementType outside the vocabulary", "bad awardedDate"],
)
def test_rules_only_validate_applies_leave_the_outcome_alone(edit: Edit) -> None:
    document = credential()
    edit(document)
    assert check(document), "validate reports the problem"
    result = VERIFIER.verify(sign_eddsa(document, KEY, created=NOW))
    assert result.outcome is Outcome.VALID, failed(result)


def test_validate_keeps_its_own_code_for_the_same_rule() -> None:
    document = credential()
    _subject(document).pop("id")
    assert [(i.code, i.path) for i in check(document)] == [("model_invalid", "/credentialSubject")]
    assert [(i.code, i.path) for i in verification_issues(document, "OpenBadgeCredential")] == [
        ("ob_subject_unidentified", "/credentialSubject")
    ]


def test_a_credential_that_is_not_an_open_badge_gets_no_check() -> None:
    plain = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": KEY.controller,
        "credentialSubject": {"id": "did:example:ada"},
    }
    assert verification_kind(plain) is None
    result = VERIFIER.verify(sign_eddsa(plain, KEY, created=NOW))
    assert "ob_conformance" not in [c.name for c in result.checks]


@pytest.mark.parametrize(
    ("types", "contexts", "kind"),
    [
        (["VerifiableCredential", "AchievementCredential"], [], "AchievementCredential"),
        (["VerifiableCredential", "EndorsementCredential"], [], "EndorsementCredential"),
        (["VerifiableCredential", "ClrCredential"], [], "ClrCredential"),
        (
            ["VerifiableCredential"],
            ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
            "OpenBadgeCredential",
        ),
        (
            ["VerifiableCredential"],
            ["https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"],
            "ClrCredential",
        ),
    ],
)
def test_which_credentials_are_open_badges(
    types: list[str], contexts: list[str], kind: str
) -> None:
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", *contexts], "type": types}
    assert verification_kind(document) == kind


def test_an_endorsement_is_judged_in_its_own_run() -> None:
    document = credential()
    endorsement = copy.deepcopy(credential())
    endorsement["type"] = ["VerifiableCredential", "EndorsementCredential"]
    endorsement["credentialSubject"] = {"id": "https://example.org/x", "type": ["Profile"]}
    _achievement(document)["endorsement"] = [endorsement]
    assert any(
        i.path.startswith("/credentialSubject/achievement/endorsement") for i in check(document)
    )
    assert verification_issues(document, "OpenBadgeCredential") == []
    endorsement_issues = verification_issues(endorsement, "EndorsementCredential")
    assert [(i.code, i.path) for i in endorsement_issues] == [
        ("ob_type_missing", "/credentialSubject/type")
    ]


def test_the_codes_are_documented() -> None:
    policy = POLICY.read_text(encoding="utf-8")
    section = re.search(r"### 3c\. `ob_conformance`.*?(?=\n### )", policy, re.DOTALL)
    assert section is not None
    for code in VERIFICATION_CODES:
        assert f"`{code}`" in section.group(0)


def _reference_credentials() -> list[tuple[str, dict[str, Any]]]:
    root = reference_root()
    if root is None:
        return []
    index = json.loads((root / "examples" / "index.json").read_text(encoding="utf-8"))
    found = []
    for entry in index["examples"]:
        try:
            document = json.loads((root / "examples" / entry["file"]).read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue  # a compact JWS or another format: not a JSON credential
        if isinstance(document, dict) and verification_kind(document) is not None:
            found.append((entry["file"], document))
    return found


@requires_reference
def test_verifying_mode_finds_exactly_the_rules_verification_applies() -> None:
    """Verification skips the rules only validation applies; what it finds is exactly what the
    full run of the rules marks as applied by verification, on every reference credential."""
    documents = _reference_credentials()
    assert len(documents) > 40
    for name, document in documents:
        kind = verification_kind(document)
        assert kind is not None
        full = _Rules(nested_credentials=False)
        full.credential(document, "", kind)
        assert verification_issues(document, kind) == full.verified, name
