"""The verification pipeline: every named check, its code, path and outcome."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Issuer,
    Outcome,
    Policy,
    Profile,
    ResolutionError,
    VerificationError,
    Verifier,
)
from vcbadge.errors import RelativeIri
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key, controller_document
from vcbadge.verify.policy import UnsafePolicyWarning

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
ISSUER_URL = "https://badges.example.edu/issuers/1"


def _key(seed_byte: int = 1, controller: str | None = None) -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([seed_byte]) * 32, controller=controller)


def _achievement() -> Achievement:
    return Achievement(
        id="https://badges.example.edu/achievements/py101",
        name="Python 101",
        description="Writes, tests and ships small Python programs.",
        criteria=Criteria(narrative="Pass the final project."),
    )


def _issue(key: Ed25519Key, **award: Any) -> dict[str, Any]:
    issuer = Issuer(Profile(id=key.controller, name="Example U"), key=key, clock=FixedClock(NOW))
    recipient = award.pop("recipient", "did:example:learner")
    return issuer.issue(AchievementCredential.award(_achievement(), recipient=recipient, **award))


@pytest.fixture
def key() -> Ed25519Key:
    return _key()


@pytest.fixture
def verifier() -> Verifier:
    return Verifier.offline(clock=FixedClock(NOW))


@pytest.fixture
def signed(key: Ed25519Key) -> dict[str, Any]:
    return _issue(key)


def _codes(result: Any) -> list[str]:
    return [check.code for check in result.failed]


def test_issued_credential_is_valid(signed: dict[str, Any], verifier: Verifier) -> None:
    result = verifier.verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()
    assert bool(result)
    assert [c.name for c in result.checks] == [
        "parse",
        "envelope",
        "contexts",
        "ob_conformance",
        "proof",
        "validity_period",
    ]
    result.raise_for_outcome()


def test_json_text_and_bytes_are_parsed_strictly(
    signed: dict[str, Any], verifier: Verifier
) -> None:
    assert verifier.verify(json.dumps(signed)).outcome is Outcome.VALID
    assert verifier.verify(json.dumps(signed).encode()).outcome is Outcome.VALID
    duplicated = json.dumps(signed)[:-1] + ', "name": "x"}'
    result = verifier.verify(duplicated)
    assert result.outcome is Outcome.INVALID
    assert _codes(result) == ["duplicate_key"]
    assert verifier.verify(b"not json").failed[0].code == "invalid_json"
    assert verifier.verify("[1, 2]").failed[0].code == "not_an_object"


def test_tampered_value_is_invalid_signature(signed: dict[str, Any], verifier: Verifier) -> None:
    signed["credentialSubject"]["achievement"]["name"] = "Python 201"
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INVALID
    assert _codes(result) == ["invalid_signature"]
    assert result.failed[0].path == "/proof"
    with pytest.raises(VerificationError) as raised:
        result.raise_for_outcome()
    assert raised.value.code == "invalid_signature"


def test_missing_proof(signed: dict[str, Any], verifier: Verifier) -> None:
    del signed["proof"]
    assert _codes(verifier.verify(signed)) == ["proof_missing"]


def test_malformed_proof_value(signed: dict[str, Any], verifier: Verifier) -> None:
    signed["proof"]["proofValue"] = "uAAAA"
    result = verifier.verify(signed)
    assert _codes(result) == ["invalid_signature"]
    assert result.failed[0].path == "/proof/proofValue"


def test_unknown_cryptosuite_is_indeterminate(signed: dict[str, Any], verifier: Verifier) -> None:
    signed["proof"]["cryptosuite"] = "eddsa-rdf-2022"
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INDETERMINATE
    assert _codes(result) == ["unknown_cryptosuite"]
    assert result.failed[0].path == "/proof/cryptosuite"
    with pytest.raises(ResolutionError):
        result.raise_for_outcome()


def test_known_cryptosuite_not_allowed_is_invalid(signed: dict[str, Any]) -> None:
    verifier = Verifier.offline(
        clock=FixedClock(NOW), policy=Policy(allowed_cryptosuites=frozenset())
    )
    assert _codes(verifier.verify(signed)) == ["cryptosuite_not_allowed"]


def test_wrong_proof_purpose(signed: dict[str, Any], verifier: Verifier) -> None:
    signed["proof"]["proofPurpose"] = "authentication"
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INVALID
    assert _codes(result) == ["proof_purpose"]


def test_key_listed_only_under_authentication_cannot_sign() -> None:
    key = _key(2, controller=ISSUER_URL)
    signed = _issue(key)
    verifier = Verifier.offline(
        documents={ISSUER_URL: controller_document(key, purposes=("authentication",))},
        clock=FixedClock(NOW),
    )
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INVALID
    assert _codes(result) == ["proof_purpose"]
    assert result.failed[0].path == "/proof/verificationMethod"


def test_https_issuer_with_published_controller_document_is_valid() -> None:
    key = _key(3, controller=ISSUER_URL)
    signed = _issue(key)
    verifier = Verifier.offline(
        documents={ISSUER_URL: controller_document(key)}, clock=FixedClock(NOW)
    )
    assert verifier.verify(signed).outcome is Outcome.VALID


def test_https_issuer_offline_without_document_is_indeterminate() -> None:
    signed = _issue(_key(3, controller=ISSUER_URL))
    result = Verifier.offline(clock=FixedClock(NOW)).verify(signed)
    assert result.outcome is Outcome.INDETERMINATE
    assert _codes(result) == ["unsupported_did_method"]
    assert result.failed[0].path == "/proof/verificationMethod"


def test_malformed_did_key_is_invalid(signed: dict[str, Any], verifier: Verifier) -> None:
    signed["proof"]["verificationMethod"] = "did:key:z6Mk#z6Mk"
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INVALID
    assert _codes(result) == ["invalid_did"]
    assert result.failed[0].path == "/proof/verificationMethod"


def test_relative_verification_method_is_invalid(
    signed: dict[str, Any], verifier: Verifier
) -> None:
    signed["proof"]["verificationMethod"] = "#key-1"
    assert _codes(verifier.verify(signed)) == ["invalid_verification_method"]


def test_controller_document_with_wrong_id(signed: dict[str, Any]) -> None:
    key = _key(3, controller=ISSUER_URL)
    signed = _issue(key)
    document = controller_document(key)
    document["id"] = "https://evil.example/issuer"
    verifier = Verifier.offline(documents={ISSUER_URL: document}, clock=FixedClock(NOW))
    assert _codes(verifier.verify(signed)) == ["document_id_mismatch"]


def test_issuer_not_the_key_controller(signed: dict[str, Any], verifier: Verifier) -> None:
    other = _key(9)
    signed = _issue(_key(1))
    # Re-sign the same credential naming another issuer with the first key's proof kept.
    signed["issuer"]["id"] = other.did
    result = verifier.verify(signed)
    assert "controller_mismatch" in _codes(result)
    assert result.outcome is Outcome.INVALID


def test_unsafe_switch_warns() -> None:
    with pytest.warns(UnsafePolicyWarning):
        Policy(unsafe_skip_issuer_controller_check=True)


def test_created_in_the_future(key: Ed25519Key) -> None:
    signed = _issue(key)
    verifier = Verifier.offline(clock=FixedClock(NOW - timedelta(days=1)))
    codes = _codes(verifier.verify(signed))
    assert "proof_created_in_future" in codes
    assert "not_yet_valid" in codes


def test_expired_credential(key: Ed25519Key) -> None:
    signed = _issue(key, valid_until=NOW + timedelta(days=30))
    verifier = Verifier.offline(clock=FixedClock(NOW + timedelta(days=31)))
    result = verifier.verify(signed)
    assert _codes(result) == ["expired"]
    assert result.failed[0].path == "/validUntil"
    assert verifier.verify(signed, at=NOW + timedelta(days=1)).outcome is Outcome.VALID


def test_clock_skew_tolerates_small_differences(key: Ed25519Key) -> None:
    signed = _issue(key)
    verifier = Verifier.offline(clock=FixedClock(NOW - timedelta(minutes=2)))
    assert verifier.verify(signed).outcome is Outcome.VALID


def test_unknown_context_is_refused(signed: dict[str, Any], verifier: Verifier) -> None:
    signed["@context"].append("https://evil.example/context.json")
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INVALID
    contexts_check = next(c for c in result.failed if c.name == "contexts")
    assert contexts_check.code == "context_not_allowed"
    assert contexts_check.path == "/@context/2"
    assert "https://evil.example/context.json" in contexts_check.message


def test_inline_context_accepted_by_default_and_refused_by_policy(
    signed: dict[str, Any], verifier: Verifier
) -> None:
    # VC Data Model 2.0 section 4.3 allows inline context objects; the term it adds is unused,
    # so the signed statements are unchanged and the proof still verifies.
    signed["@context"].append({"foo": "https://example.org/foo"})
    assert verifier.verify(signed).outcome is Outcome.VALID
    strict = Verifier.offline(policy=Policy(allow_inline_contexts=False))
    result = strict.verify(signed)
    assert _codes(result) == ["context_not_allowed"]
    assert result.failed[0].path == "/@context/2"


def test_an_inline_context_that_redefines_a_used_term_is_not_valid(
    signed: dict[str, Any], verifier: Verifier
) -> None:
    # Still safe mode and @protected: an inline context cannot change what a signed term means.
    signed["@context"].append({"name": "https://evil.example/name"})
    assert verifier.verify(signed).outcome is Outcome.INVALID


def test_bad_envelope(signed: dict[str, Any], verifier: Verifier) -> None:
    broken = copy.deepcopy(signed)
    broken["@context"] = ["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert _codes(verifier.verify(broken)) == ["envelope_context"]
    broken = copy.deepcopy(signed)
    del broken["credentialSubject"]
    result = verifier.verify(broken)
    assert _codes(result) == ["envelope_invalid"]
    assert result.failed[0].path == "/credentialSubject"
    broken = copy.deepcopy(signed)
    broken["validFrom"] = "2025-01-01"
    assert result.failed[0].code == "envelope_invalid"
    assert verifier.verify(broken).failed[0].path == "/validFrom"


def test_status_entry_without_its_list_is_never_valid(key: Ed25519Key, verifier: Verifier) -> None:
    credential = AchievementCredential.award(_achievement(), recipient="did:example:learner")
    document = credential.to_json()
    document["credentialStatus"] = {
        "id": "https://badges.example.edu/status/1#5",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "5",
        "statusListCredential": "https://badges.example.edu/status/1",
    }
    signed = Issuer(Profile(id=key.controller), key=key, clock=FixedClock(NOW)).issue(document)
    result = verifier.verify(signed)
    assert result.outcome is Outcome.INDETERMINATE
    # The offline verifier was not given the status list (tests/status covers the rest).
    assert _codes(result) == ["status_list_unavailable"]


def test_trusted_issuers(signed: dict[str, Any], key: Ed25519Key) -> None:
    trusting = Verifier.offline(
        clock=FixedClock(NOW), policy=Policy(trusted_issuers=frozenset({key.did}))
    )
    assert trusting.verify(signed).outcome is Outcome.VALID
    other = Verifier.offline(
        clock=FixedClock(NOW), policy=Policy(trusted_issuers=frozenset({"did:web:other"}))
    )
    assert _codes(other.verify(signed)) == ["issuer_not_trusted"]


def test_depth_and_size_limits(verifier: Verifier) -> None:
    deep: dict[str, Any] = {}
    cursor = deep
    for _ in range(200):
        cursor["a"] = {}
        cursor = cursor["a"]
    assert _codes(verifier.verify(deep)) == ["limit_exceeded"]
    small = Verifier.offline(clock=FixedClock(NOW), policy=Policy(max_bytes=100))
    assert _codes(small.verify("{" + '"a": 1,' * 50 + '"b": 2}')) == ["limit_exceeded"]


def test_proof_set_every_proof_must_verify(key: Ed25519Key, verifier: Verifier) -> None:
    signed = _issue(key)
    second = copy.deepcopy(signed["proof"])
    signed["proof"] = [signed["proof"], second]
    assert verifier.verify(signed).outcome is Outcome.VALID
    signed["proof"][1]["proofValue"] = signed["proof"][1]["proofValue"][:-2] + "11"
    result = verifier.verify(signed)
    assert _codes(result) == ["invalid_signature"]
    assert result.failed[0].path == "/proof/1"


def test_undefined_term_is_refused_when_issuing(key: Ed25519Key) -> None:
    from vcbadge.errors import UndefinedTerm

    document = AchievementCredential.award(_achievement(), recipient="did:example:x").to_json()
    document["@context"] = [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    document["issuanceDate"] = "2025-01-01T00:00:00Z"
    document["credentialSubject"]["favouriteColour"] = "green"
    issuer = Issuer(Profile(id=key.controller), key=key, clock=FixedClock(NOW))
    with pytest.raises(UndefinedTerm) as raised:
        issuer.issue(document)
    assert raised.value.code == "undefined_term"
    assert raised.value.path == "/credentialSubject/favouriteColour"


def test_issuer_must_control_key(key: Ed25519Key) -> None:
    from vcbadge import ModelError

    with pytest.raises(ModelError) as raised:
        Issuer(Profile(id="https://other.example/issuer"), key=key)
    assert raised.value.code == "issuer_not_controller"


def test_result_json_shape(signed: dict[str, Any], verifier: Verifier) -> None:
    shape = verifier.verify(signed).to_dict()
    assert shape["outcome"] == "VALID"
    assert set(shape["checks"][0]) == {"name", "outcome", "code", "message", "path"}


def test_key_published_at_its_own_https_url() -> None:
    key = Ed25519Key.from_seed(
        b"\x05" * 32, controller=ISSUER_URL, key_id="https://badges.example.edu/keys/1"
    )
    signed = _issue(key)
    documents = {
        "https://badges.example.edu/keys/1": key.to_multikey_document(),
        ISSUER_URL: controller_document(key),
    }
    verifier = Verifier.offline(documents=documents, clock=FixedClock(NOW))
    assert verifier.verify(signed).outcome is Outcome.VALID
    # The key document alone is not enough: its controller must list it for assertionMethod.
    documents[ISSUER_URL] = controller_document(key, purposes=("authentication",))
    result = Verifier.offline(documents=documents, clock=FixedClock(NOW)).verify(signed)
    assert _codes(result) == ["proof_purpose"]


def test_bare_did_key_names_its_only_method(key: Ed25519Key, verifier: Verifier) -> None:
    class BareDidSigner:
        algorithm = key.algorithm
        verification_method = key.did
        controller = key.did

        def sign(self, data: bytes) -> bytes:
            return key.sign(data)

    issuer = Issuer(Profile(id=key.did), key=BareDidSigner(), clock=FixedClock(NOW))
    signed = issuer.issue(AchievementCredential.award(_achievement(), recipient="did:example:a"))
    assert signed["proof"]["verificationMethod"] == key.did
    assert verifier.verify(signed).outcome is Outcome.VALID


def test_vc_jwt_from_a_key_published_at_its_own_https_url() -> None:
    from vcbadge.issue.jwt import JwtIssuer

    key = Ed25519Key.from_seed(
        b"\x06" * 32, controller=ISSUER_URL, key_id="https://badges.example.edu/keys/2"
    )
    issuer = JwtIssuer(Profile(id=ISSUER_URL), key=key, clock=FixedClock(NOW))
    token = issuer.issue_jwt(
        AchievementCredential.award(_achievement(), recipient="did:example:learner")
    )
    documents = {
        "https://badges.example.edu/keys/2": key.to_multikey_document(),
        ISSUER_URL: controller_document(key),
    }
    result = Verifier.offline(documents=documents, clock=FixedClock(NOW)).verify(token)
    assert result.outcome is Outcome.VALID, result.to_dict()


def test_relative_context_reference_is_named_not_an_internal_error(
    signed: dict[str, Any], verifier: Verifier
) -> None:
    # Found by tests/verify/test_never_raises.py: pyld fails on it with a bare ValueError.
    # The VC data model already refuses it (a later @context entry must be a URL or an
    # object), so it is named at the envelope and never reaches pyld.
    signed["@context"][1] = ""
    result = verifier.verify(signed)
    assert [(c.name, c.code, c.path) for c in result.failed] == [
        ("envelope", "envelope_context", "/@context/1"),
    ]
    # The canonicalizer still names it for callers that skip the envelope.
    with pytest.raises(RelativeIri) as caught:
        Canonicalizer(default_loader()).canonicalize(signed)
    assert caught.value.path == "/@context/1"
