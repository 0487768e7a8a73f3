"""vcbadge.testing for other projects' test suites: assertions that say what is wrong, the
vector set as pytest parameters, and an in-memory transport that runs the online verifier
(did:web, status lists) without a server."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from schema_documents import achievement_subject, teamwork_badge
from signing import sign_eddsa

from vcbadge.conformance.vectors import default_vector_directory
from vcbadge.errors import ContentTypeError, HTTPStatusError
from vcbadge.keys import Ed25519Key
from vcbadge.protocols import Transport
from vcbadge.testing import (
    MemoryTransport,
    Served,
    VectorCase,
    assert_conforms,
    assert_verifies,
    vector_cases,
)
from vcbadge.verify import Outcome, Verifier

DID = "did:web:badges.example.edu"
DID_URL = "https://badges.example.edu/.well-known/did.json"
KEY = Ed25519Key.from_seed(bytes(range(32)), controller=DID)
AT = datetime(2025, 1, 1, tzinfo=timezone.utc)
OB_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


def did_document() -> dict[str, Any]:
    method = KEY.to_multikey_document()
    method.pop("@context")
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


def credential(**members: Any) -> dict[str, Any]:
    document = teamwork_badge(
        OB_SCHEMA,
        issuer={"id": DID, "type": ["Profile"]},
        credentialSubject=achievement_subject("urn:uuid:2f1c8c5e-4d3a-4b7e-9a60-6c0f7d1e5b21"),
    )
    document["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    document.update(members)
    return sign_eddsa(document, KEY, created=datetime(2024, 6, 1, tzinfo=timezone.utc))


def test_assert_verifies_returns_the_valid_result() -> None:
    result = assert_verifies(credential(), documents={DID: did_document()}, at=AT)
    assert result.outcome is Outcome.VALID


def test_assert_verifies_lists_the_checks_that_did_not_pass() -> None:
    tampered = credential()
    tampered["name"] = "Another badge"
    with pytest.raises(AssertionError) as raised:
        assert_verifies(tampered, documents={DID: did_document()}, at=AT)
    lines = str(raised.value).splitlines()
    assert lines[0] == "the credential is INVALID:"
    assert lines[1].startswith("  INVALID proof invalid_signature /proof: ")
    assert len(lines) == 2
    # Offline without the DID document: undecided, which is not VALID either.
    with pytest.raises(AssertionError, match="the credential is INDETERMINATE"):
        assert_verifies(credential(), at=AT)


def test_assert_conforms_returns_the_warnings_and_raises_for_errors() -> None:
    single = credential()
    single["proof"] = [single["proof"]]
    (warning,) = assert_conforms(single, documents={DID: did_document()}, at=AT)
    assert warning.code == "proof_single_array"
    with pytest.raises(AssertionError, match="proof_single_array"):
        assert_conforms(single, documents={DID: did_document()}, at=AT, strict=True)
    unsigned = credential()
    del unsigned["proof"]
    unsigned["credentialSubject"]["achievement"]["id"] = "achievement-1"
    with pytest.raises(AssertionError) as raised:
        assert_conforms(unsigned, verify=False)
    assert "error id_not_uri /credentialSubject/achievement/id" in str(raised.value)


def test_vector_cases_are_pytest_parameters_named_by_case_id() -> None:
    directory = default_vector_directory()
    assert directory is not None
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    params = vector_cases()
    assert [param.id for param in params] == [
        entry["id"] for entry in manifest["cases"] if entry["type"] in ("verify", "status")
    ]
    assert all(isinstance(param.values[0], VectorCase) for param in params)
    signs = vector_cases("sign")
    assert {param.values[0].type for param in signs} == {"sign"}


@pytest.mark.parametrize("case", vector_cases(["verify", "status"])[:3])
def test_vector_cases_drive_a_parametrized_test(case: VectorCase) -> None:
    # What a user's test looks like: here with vcbadge as the implementation under test.
    verifier = Verifier.offline(documents=case.documents)
    result = verifier.verify(case.data["input"], at=case.verification_time)
    assert result.outcome.value == case.expected["outcome"]


def test_the_memory_transport_runs_the_online_verifier_without_a_server() -> None:
    transport = MemoryTransport({DID_URL: did_document()})
    assert isinstance(transport, Transport)
    verifier = Verifier.online(transport=transport)
    assert_verifies(credential(), verifier=verifier, at=AT)
    assert transport.requests == [DID_URL]
    # Nothing served there: the online verifier cannot decide, as with a 404.
    empty = MemoryTransport({})
    result = Verifier.online(transport=empty).verify(credential(), at=AT)
    assert result.outcome is Outcome.INDETERMINATE
    assert empty.requests == [DID_URL]


def test_the_memory_transport_serves_media_types_as_a_server_would() -> None:
    transport = MemoryTransport(
        {
            "https://a.example/doc": {"id": "x"},
            "https://a.example/page": Served(b"<html></html>", "text/html"),
            "https://a.example/text": "plain",
        }
    )
    json_response = transport.get("https://a.example/doc", accept=["application/did+json"])
    assert json_response.media_type == "application/did+json"
    assert json.loads(json_response.body) == {"id": "x"}
    assert transport.get("https://a.example/text", accept=["text/plain"]).body == b"plain"
    with pytest.raises(ContentTypeError) as refused:
        transport.get("https://a.example/page", accept=["application/json"])
    assert refused.value.code == "content_type"
    with pytest.raises(HTTPStatusError) as missing:
        transport.get("https://a.example/none", accept=["application/json"])
    assert (missing.value.code, missing.value.status) == ("http_status", 404)
