"""The ``recipient`` check: was the OB 3.0 credential awarded to the person named?"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

import pytest

from vcbadge import Verifier
from vcbadge.clock import FixedClock
from vcbadge.issue import Issuer
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import Ed25519Key
from vcbadge.model import Achievement, AchievementCredential, Criteria, IdentityObject
from vcbadge.model.identity import hash_identity
from vcbadge.verify.recipient import recipient_check

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes(range(32)))
ACHIEVEMENT = Achievement(
    id="https://badges.example.edu/achievements/py101",
    name="Python 101",
    description="Wrote and tested a small Python program.",
    criteria=Criteria(narrative="Pass the final project."),
)


def _subject(**members: Any) -> dict[str, Any]:
    return {"credentialSubject": {"type": ["AchievementSubject"], **members}}


def _identity(value: str, *, hashed: bool, salt: str = "", kind: str = "emailAddress") -> dict:
    identity: dict[str, Any] = {
        "type": "IdentityObject",
        "identityType": kind,
        "hashed": hashed,
        "identityHash": value,
    }
    if salt:
        identity["salt"] = salt
    return identity


def _sha256(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def _md5(value: str, salt: str) -> str:
    return "md5$" + hashlib.md5((value + salt).encode()).hexdigest()


@pytest.mark.parametrize(
    ("document", "given", "path"),
    [
        (_subject(id="did:example:learner"), "did:example:learner", "/credentialSubject/id"),
        (_subject(id="mailto:Alice@Example.edu"), "alice@example.edu", "/credentialSubject/id"),
        (
            _subject(
                identifier=[
                    _identity(_sha256("alice@example.edu", "s4lt"), hashed=True, salt="s4lt")
                ]
            ),
            "Alice@Example.edu",
            "/credentialSubject/identifier/0",
        ),
        (
            _subject(identifier=_identity(_md5("alice@example.edu", "x"), hashed=True, salt="x")),
            "alice@example.edu",
            "/credentialSubject/identifier",
        ),
        (
            _subject(identifier=[_identity("Alice@Example.edu", hashed=False)]),
            "alice@example.edu",
            "/credentialSubject/identifier/0",
        ),
        (
            _subject(
                identifier=[
                    _identity(_sha256("other@example.edu", "a"), hashed=True, salt="a"),
                    _identity("S-1234", hashed=False, kind="studentId"),
                ]
            ),
            "S-1234",
            "/credentialSubject/identifier/1",
        ),
    ],
)
def test_a_matching_identity_passes(document: dict, given: str, path: str) -> None:
    check = recipient_check(document, given)
    assert (check.name, check.outcome.value, check.code) == ("recipient", "VALID", "ok")
    assert check.path == path


@pytest.mark.parametrize(
    ("document", "given"),
    [
        (_subject(id="did:example:learner"), "did:example:someone-else"),
        (_subject(id="did:example:learner"), "alice@example.edu"),
        (
            _subject(
                identifier=[_identity(_sha256("alice@example.edu", "s"), hashed=True, salt="s")]
            ),
            "bob@example.edu",
        ),
        # The salt is part of the hash: the same value without it is another identity.
        (
            _subject(identifier=[_identity(_sha256("alice@example.edu", "s"), hashed=True)]),
            "alice@example.edu",
        ),
        # A plain student id is compared exactly (only email addresses ignore case).
        (_subject(identifier=[_identity("s-1234", hashed=False, kind="studentId")]), "S-1234"),
    ],
)
def test_no_matching_identity_is_invalid(document: dict, given: str) -> None:
    check = recipient_check(document, given)
    assert (check.outcome.value, check.code) == ("INVALID", "recipient_mismatch")
    assert given not in check.message


@pytest.mark.parametrize(
    "document",
    [
        _subject(),
        _subject(identifier=[_identity("sha512$" + "0" * 128, hashed=True)]),
        {"credentialSubject": "not an object"},
        "not a credential",
        None,
    ],
)
def test_no_comparable_identity_is_unknown(document: Any) -> None:
    check = recipient_check(document, "alice@example.edu")
    assert (check.outcome.value, check.code) == ("INDETERMINATE", "recipient_unknown")


def test_an_uncomparable_identity_beside_a_mismatch_is_unknown_not_invalid() -> None:
    document = _subject(
        id="did:example:learner", identifier=[_identity("sha512$" + "0" * 128, hashed=True)]
    )
    assert recipient_check(document, "alice@example.edu").code == "recipient_unknown"


def _issued_to_email() -> dict[str, Any]:
    credential = AchievementCredential.award(ACHIEVEMENT, recipient_email="alice@example.edu")
    return Issuer(
        {"id": KEY.controller, "type": ["Profile"]}, key=KEY, clock=FixedClock(NOW)
    ).issue(credential)


def test_verifier_adds_the_recipient_check_to_a_signed_credential() -> None:
    signed = _issued_to_email()
    verifier = Verifier.offline(clock=FixedClock(NOW))
    assert "recipient" not in [check.name for check in verifier.verify(signed).checks]
    matched = verifier.verify(signed, recipient="alice@example.edu")
    assert matched.outcome.value == "VALID"
    assert [c.code for c in matched.checks if c.name == "recipient"] == ["ok"]
    other = verifier.verify(signed, recipient="bob@example.edu")
    assert other.outcome.value == "INVALID"
    assert [(c.name, c.code) for c in other.failed] == [("recipient", "recipient_mismatch")]


def test_the_recipient_check_reads_a_vc_jwt_payload() -> None:
    token = JwtIssuer(
        {"id": KEY.controller, "type": ["Profile"]}, key=KEY, clock=FixedClock(NOW)
    ).issue_jwt(AchievementCredential.award(ACHIEVEMENT, recipient="did:example:learner"))
    verifier = Verifier.offline(clock=FixedClock(NOW))
    assert verifier.verify(token, recipient="did:example:learner").outcome.value == "VALID"
    refused = verifier.verify(token, recipient="did:example:other")
    assert [(c.name, c.code) for c in refused.failed] == [("recipient", "recipient_mismatch")]


def test_identity_object_and_the_check_agree() -> None:
    identity = IdentityObject.hashed_email("alice@example.edu", salt="pepper")
    document = _subject(identifier=[identity.to_json()])
    assert identity.matches("alice@example.edu")
    assert recipient_check(document, "alice@example.edu").code == "ok"


def test_an_address_issued_in_mixed_case_matches_in_any_case() -> None:
    identity = IdentityObject.hashed_email("Alice@Example.EDU", salt="pepper")
    assert identity.identity_hash == hash_identity("alice@example.edu", "pepper")
    document = _subject(identifier=[identity.to_json()])
    for given in ("alice@example.edu", "ALICE@EXAMPLE.EDU", "Alice@Example.EDU"):
        assert identity.matches(given)
        assert recipient_check(document, given).code == "ok"


def test_cli_recipient_option(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """`vcbadge verify --recipient`: the same check, its exit status, and the JSON output."""
    import json

    from vcbadge.cli import main

    path = tmp_path / "badge.json"
    path.write_text(json.dumps(_issued_to_email()))
    at = ["--offline", "--at", "2026-03-01T12:00:00Z"]
    assert main(["verify", str(path), *at, "--recipient", "alice@example.edu"]) == 0
    assert "✓ recipient ok" in capsys.readouterr().out
    assert main(["verify", str(path), *at, "--json", "--recipient", "bob@example.edu"]) == 1
    checks = json.loads(capsys.readouterr().out)["checks"]
    assert [(c["name"], c["code"]) for c in checks if c["outcome"] != "VALID"] == [
        ("recipient", "recipient_mismatch")
    ]
    assert "bob@example.edu" not in json.dumps(checks)  # the value given is never repeated
