"""StatusList2021, 1EdTech Revocation List, and the W3C Recommendation's own examples."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from schema_documents import achievement_subject
from status_world import World

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.status.bitstring import MIN_LIST_BITS, Bitstring, encode_status_list
from vcbadge.verify.result import VerificationResult

VC_V1 = "https://www.w3.org/2018/credentials/v1"
SL2021 = "https://w3id.org/vc/status-list/2021/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
LIST_URL = "https://badges.example.edu/status/2021/1"
REVOCATIONS = "https://badges.example.edu/revocations"


def codes(result: VerificationResult) -> list[str]:
    return [check.code for check in result.checks if check.name == "status"]


def _statuslist2021(world: World, set_bits: set[int]) -> dict[str, Any]:
    draft = {
        "@context": [VC_V1, SL2021],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": world.key.did,
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "StatusList2021",
            "statusPurpose": "revocation",
            "encodedList": encode_status_list(
                Bitstring.from_indexes(set_bits, length_bits=MIN_LIST_BITS), multibase=False
            ),
        },
    }
    return world.issuer().issue(draft, at=world.now - timedelta(days=1))


def _sl2021_credential(world: World, index: int) -> dict[str, Any]:
    draft = {
        "@context": [VC_V1, SL2021],
        "id": "https://badges.example.edu/credentials/2021",
        "type": ["VerifiableCredential"],
        "issuer": world.key.did,
        "credentialSubject": {"id": "did:example:ada"},
        "credentialStatus": {
            "id": f"{LIST_URL}#{index}",
            "type": "StatusList2021Entry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": LIST_URL,
        },
    }
    return world.issuer().issue(draft, at=world.now - timedelta(days=2))


def test_statuslist2021(world: World) -> None:
    listing = _statuslist2021(world, {12})
    verifier = world.verifier([listing])
    assert codes(verifier.verify(_sl2021_credential(world, 12))) == ["revoked"]
    result = verifier.verify(_sl2021_credential(world, 13))
    assert result.outcome is Outcome.VALID, result.failed


def test_statuslist2021_value_with_a_multibase_prefix_is_refused(world: World) -> None:
    draft_list = _statuslist2021(world, set())
    draft_list.pop("proof")
    draft_list["credentialSubject"]["encodedList"] = (
        "u" + draft_list["credentialSubject"]["encodedList"]
    )
    listing = world.issuer().issue(draft_list, at=world.now - timedelta(days=1))
    result = world.verifier([listing]).verify(_sl2021_credential(world, 1))
    assert codes(result) == ["status_list_encoding"]


def _obv3_credential(world: World, **members: Any) -> dict[str, Any]:
    draft = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB_CONTEXT, OB_EXTENSIONS],
        "id": "https://badges.example.edu/credentials/77",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": world.key.did,
        "credentialSubject": achievement_subject("did:example:ada"),
        "credentialStatus": {"id": REVOCATIONS, "type": "1EdTechRevocationList"},
        **members,
    }
    return world.issuer().issue(draft, at=world.now - timedelta(days=2))


def _revocation_list(world: World, *entries: dict[str, Any], issuer: str | None = None) -> Any:
    return {
        "id": REVOCATIONS,
        "issuer": issuer or world.key.did,
        "revokedCredentials": list(entries),
    }


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ([], "ok"),
        ([{"id": "https://badges.example.edu/credentials/77"}], "revoked"),
        ([{"id": "https://badges.example.edu/credentials/77", "revoked": True}], "revoked"),
        ([{"id": "https://badges.example.edu/credentials/77", "revoked": False}], "ok"),
        ([{"id": "https://badges.example.edu/credentials/78"}], "ok"),
        ([{"id": "https://badges.example.edu/credentials/77", "revoked": "yes"}], None),
        (["https://badges.example.edu/credentials/77"], None),
    ],
)
def test_1edtech_revocation_list(world: World, listed: list[Any], expected: str | None) -> None:
    credential = _obv3_credential(world)
    result = world.verifier([_revocation_list(world, *listed)]).verify(credential)
    assert codes(result) == [expected or "status_list_malformed"]
    assert (result.outcome is Outcome.VALID) == (expected == "ok")


def test_1edtech_revocation_reason_is_reported(world: World) -> None:
    listing = _revocation_list(
        world,
        {"id": "https://badges.example.edu/credentials/77", "revocationReason": "plagiarism"},
    )
    result = world.verifier([listing]).verify(_obv3_credential(world))
    (check,) = [c for c in result.checks if c.name == "status"]
    assert check.code == "revoked"
    assert "plagiarism" in check.message


def test_1edtech_list_from_another_issuer(world: World) -> None:
    listing = _revocation_list(world, issuer=world.stranger.did)
    result = world.verifier([listing]).verify(_obv3_credential(world))
    assert codes(result) == ["status_list_issuer_mismatch"]


def test_1edtech_list_unreachable(world: World) -> None:
    result = world.verifier([]).verify(_obv3_credential(world))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_list_unavailable"]


def test_1edtech_without_revoked_credentials_is_invalid(world: World) -> None:
    listing = {"id": REVOCATIONS, "issuer": world.key.did}
    result = world.verifier([listing]).verify(_obv3_credential(world))
    assert codes(result) == ["status_list_malformed"]


# -- the Recommendation's examples 4 and 5 (did:key signed, issuer did:example:12345) ---------

REC = "vectors/bitstring-status-list/rec-2025"


def _rec_documents(credential: dict[str, Any], listing: dict[str, Any]) -> dict[str, Any]:
    # The examples name did:example:12345 as issuer and sign with a did:key whose bare DID is
    # the verificationMethod. These two documents stand for did:example resolution: the issuer
    # authorizes that key for assertionMethod. Nothing is weakened in the verifier.
    method = credential["proof"]["verificationMethod"]
    fingerprint = method.split(":")[-1]
    key_document = {
        "@context": ["https://w3id.org/security/multikey/v1"],
        "id": method,
        "type": "Multikey",
        "controller": "did:example:12345",
        "publicKeyMultibase": fingerprint,
    }
    issuer_document = {
        "@context": ["https://www.w3.org/ns/did/v1"],
        "id": "did:example:12345",
        "assertionMethod": [method],
    }
    return {method: key_document, "did:example:12345": issuer_document, listing["id"]: listing}


@pytest.mark.reference
@pytest.mark.parametrize("suite", ["eddsa-rdfc-2022", "ecdsa-rdfc-2019"])
def test_recommendation_examples(reference: Path, world: World, suite: str) -> None:
    credential = json.loads(
        (reference / REC / f"example-04-a-revocable-verifiable-credential.{suite}.json").read_text()
    )
    listing = json.loads(
        (
            reference / REC / f"example-05-a-status-list-verifiable-credential.{suite}.json"
        ).read_text()
    )
    from vcbadge import Policy

    policy = Policy.default().replace(
        allowed_cryptosuites=frozenset({"eddsa-rdfc-2022", "ecdsa-rdfc-2019"}),
        allow_example_contexts=True,  # the Recommendation's examples use the examples context
    )
    verifier = Verifier.offline(
        documents=_rec_documents(credential, listing),
        policy=policy,
        clock=FixedClock(world.now),
    )
    result = verifier.verify(credential)
    # Index 94567 is not set in the example list: not revoked, and everything verifies.
    assert result.outcome is Outcome.VALID, result.failed
    assert codes(result) == ["ok"]
    # The same list with the bit set is no longer the issuer's signed list.
    tampered = json.loads(json.dumps(listing))
    tampered["credentialSubject"]["encodedList"] = encode_status_list(
        Bitstring.from_indexes({94567}, length_bits=MIN_LIST_BITS)
    )
    verifier = Verifier.offline(
        documents=_rec_documents(credential, tampered), policy=policy, clock=FixedClock(world.now)
    )
    assert codes(verifier.verify(credential)) == ["status_list_invalid"]


@pytest.mark.reference
def test_1edtech_validator_bitstring_example_decodes_revoked(reference: Path) -> None:
    from vcbadge.status.bitstring import decode_status_list
    from vcbadge.status.entries import BitstringEntry, parse_entry

    vectors = json.loads(
        (reference / "vectors/bitstring-status-list/status-list-vectors.json").read_text()
    )
    lists = {item["label"]: item for item in vectors["lists"]}
    for case in vectors["entries"]:
        credential = json.loads((reference / case["credential"]).read_text())
        parsed = parse_entry(credential["credentialStatus"], path="/credentialStatus")
        assert isinstance(parsed, BitstringEntry)
        bits = decode_status_list(lists[case["list"]]["encodedList"])
        assert bits.value(parsed.index) == case["expected_status_bit"], case["credential"]
