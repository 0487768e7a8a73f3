"""Issuing ecdsa-sd-2023 through ``Issuer``: the default mandatory pointers keep every
disclosure a conformant Open Badge, explicit pointers are the issuer's choice, and a base proof
is never accepted by a verifier."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Outcome,
    Verifier,
)
from vcbadge.errors import InputError
from vcbadge.issue import Issuer, derive_disclosure
from vcbadge.issue.batch import BatchIssued, BatchItem
from vcbadge.issue.disclosure import OB_MANDATORY_POINTERS, default_mandatory_pointers
from vcbadge.keys import EcKey, Ed25519Key
from vcbadge.proofs.selective_disclosure import parse_base_proof_value
from vcbadge.store import SQLiteStatusStore

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)
KEY = EcKey.from_private_scalar(bytes([9]) * 32, "P-256")
PROFILE = {"id": KEY.controller, "type": ["Profile"], "name": "Example University"}


def _badge(**extra: Any) -> dict[str, Any]:
    achievement = Achievement(
        id="https://example.edu/achievements/sd",
        name="Selective Disclosure 101",
        description="Shows only what the holder chooses.",
        criteria=Criteria(narrative="Pass the exam."),
    )
    credential = AchievementCredential.award(
        achievement, recipient_email="ada@example.org", salt="s1"
    ).to_json()
    credential["description"] = "Awarded for the spring term."
    credential.update(extra)
    return credential


def _verify(document: dict[str, Any], *, at: datetime = NOW) -> Any:
    return Verifier.offline(clock=FixedClock(at)).verify(document)


def test_issue_then_derive_with_nothing_revealed_is_valid() -> None:
    issued = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023").issue(_badge(), at=NOW)
    assert issued["proof"]["cryptosuite"] == "ecdsa-sd-2023"
    disclosed = derive_disclosure(issued)
    assert "description" not in disclosed
    assert disclosed["credentialSubject"]["achievement"]["name"] == "Selective Disclosure 101"
    result = _verify(disclosed)
    assert result.outcome is Outcome.VALID, [c.code for c in result.failed]
    passed = {check.name for check in result.checks if check.outcome is Outcome.VALID}
    assert "ob_conformance" in passed


def test_revealed_member_is_disclosed_and_valid() -> None:
    issued = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023").issue(_badge(), at=NOW)
    disclosed = derive_disclosure(issued, reveal=["/description"])
    assert disclosed["description"] == "Awarded for the spring term."
    assert _verify(disclosed).outcome is Outcome.VALID


def test_default_pointers_keep_dates_status_and_schema() -> None:
    until = (NOW + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    issued = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023").issue(_badge(validUntil=until), at=NOW)
    base = parse_base_proof_value(issued["proof"]["proofValue"], path="/proof/proofValue")
    assert "/validUntil" in base.mandatory_pointers
    assert "/issuanceDate" not in base.mandatory_pointers  # only the members present
    disclosed = derive_disclosure(issued)
    assert disclosed["validUntil"] == until
    # The kept validUntil is what makes a later disclosure expired, not VALID.
    later = _verify(disclosed, at=NOW + timedelta(days=60))
    assert later.outcome is Outcome.INVALID
    assert [check.code for check in later.failed] == ["expired"]


def test_default_pointers_select_only_members_present() -> None:
    document = {"issuer": "x", "credentialSubject": {"type": ["AchievementSubject"]}}
    assert default_mandatory_pointers(document) == ["/issuer", "/credentialSubject/type"]
    assert set(default_mandatory_pointers(_badge(validUntil="2030-01-01T00:00:00Z"))) <= set(
        OB_MANDATORY_POINTERS
    )


def test_base_proof_presented_to_a_verifier_is_invalid() -> None:
    issued = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023").issue(_badge(), at=NOW)
    result = _verify(issued)
    assert result.outcome is Outcome.INVALID
    assert [check.code for check in result.failed] == ["sd_base_proof_presented"]


def test_explicit_pointers_that_withhold_a_required_member_fail_ob_rules() -> None:
    issuer = Issuer(
        PROFILE,
        key=KEY,
        suite="ecdsa-sd-2023",
        mandatory_pointers=["/issuer", "/validFrom", "/credentialSubject/type"],
    )
    disclosed = derive_disclosure(issuer.issue(_badge(), at=NOW))
    assert "achievement" not in disclosed["credentialSubject"]
    result = _verify(disclosed)
    assert result.outcome is Outcome.INVALID
    assert "ob_member_missing" in [check.code for check in result.failed]


def test_tampered_disclosure_is_invalid() -> None:
    issued = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023").issue(_badge(), at=NOW)
    disclosed = derive_disclosure(issued, reveal=["/description"])
    disclosed["description"] = "Awarded for the autumn term."
    result = _verify(disclosed)
    assert result.outcome is Outcome.INVALID
    assert [check.code for check in result.failed] == ["sd_statement_signature_invalid"]


def test_mandatory_pointers_with_another_suite_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        Issuer(PROFILE, key=KEY, suite="ecdsa-rdfc-2019", mandatory_pointers=["/issuer"])
    assert caught.value.code == "sd_pointers_need_sd_suite"


def test_mandatory_pointers_as_one_string_are_refused() -> None:
    with pytest.raises(InputError) as caught:
        Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023", mandatory_pointers="/issuer")
    assert caught.value.code == "sd_pointer_invalid"


def test_mandatory_pointer_selecting_nothing_is_refused_before_signing() -> None:
    issuer = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023", mandatory_pointers=["/nope"])
    with pytest.raises(InputError) as caught:
        issuer.issue(_badge(), at=NOW)
    assert caught.value.code == "sd_pointer_not_found"


def test_ed25519_key_is_refused_for_ecdsa_sd() -> None:
    key = Ed25519Key.from_seed(bytes([3]) * 32)
    profile = {"id": key.controller, "type": ["Profile"], "name": "Example University"}
    with pytest.raises(InputError) as caught:
        Issuer(profile, key=key, suite="ecdsa-sd-2023")
    assert caught.value.code == "key_algorithm_mismatch"


def test_issue_many_keeps_the_pointers() -> None:
    issuer = Issuer(
        PROFILE, key=KEY, suite="ecdsa-sd-2023", mandatory_pointers=list(OB_MANDATORY_POINTERS[:2])
    )
    outcomes = list(issuer.issue_many([BatchItem(key="a", credential=_badge())], at=NOW))
    assert isinstance(outcomes[0], BatchIssued)
    base = parse_base_proof_value(
        outcomes[0].credential["proof"]["proofValue"], path="/proof/proofValue"
    )
    assert base.mandatory_pointers == ("/issuer", "/validFrom")


def test_status_lists_of_a_selective_issuer_are_verifiable(tmp_path: Path) -> None:
    # A status list is read by verifiers, never disclosed by a holder: signed with a base
    # proof it would be refused (sd_base_proof_presented) and no badge's status could be read.
    base_url = "https://badges.example.edu/status"
    clock = FixedClock(NOW)
    with SQLiteStatusStore.create(tmp_path / "status.db", base_url=base_url, clock=clock) as store:
        issuer = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023", status_store=store, clock=clock)
        kept = issuer.issue({**_badge(), "id": "urn:test:kept"})
        revoked = issuer.issue({**_badge(), "id": "urn:test:revoked"})
        store.revoke("urn:test:revoked", actor="registrar", reason="test")
        lists = issuer.publish_status_lists()
    (listing,) = lists.values()
    assert listing["proof"]["cryptosuite"] == "ecdsa-rdfc-2019"
    verifier = Verifier.offline(documents=lists, clock=clock)
    valid = verifier.verify(derive_disclosure(kept))
    assert valid.outcome is Outcome.VALID, [c.code for c in valid.failed]
    refused = verifier.verify(derive_disclosure(revoked))
    assert [check.code for check in refused.failed] == ["revoked"]


def test_vc11_credential_keeps_its_dates_in_every_disclosure() -> None:
    vc11 = _badge(expirationDate="2030-01-01T00:00:00Z")
    vc11["@context"] = [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    issued = Issuer(PROFILE, key=KEY, suite="ecdsa-sd-2023").issue(vc11, at=NOW)
    disclosed = derive_disclosure(issued)
    assert disclosed["issuanceDate"] == issued["issuanceDate"]
    assert disclosed["expirationDate"] == "2030-01-01T00:00:00Z"
    result = _verify(disclosed)
    assert result.outcome is Outcome.VALID, [c.code for c in result.failed]
