"""VC-JWT as OB 3.0 section 8.2 defines it: issue, verify, and every refusal with its code.

Every refusal test forges a token that is correctly shaped (the OB 3.0 form for a VC 2.0
credential, the ``vc`` claim for a VC 1.1 one: ``test_forged_baseline_is_valid``) with the one
fault it names, and asserts that this fault is the only failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jose_helpers import failed, forge, unsigned

from vcbadge import FixedClock, Outcome, Policy, Verifier
from vcbadge._b64url import b64url_decode, b64url_encode
from vcbadge.errors import InputError, LimitExceeded, ModelError
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.jsonld.contexts import load_bundled_document
from vcbadge.jsonld.loader import BundledLoader
from vcbadge.keys import EcKey, Ed25519Key, RsaKey
from vcbadge.proofs.jws import (
    MAX_HEADER_BYTES,
    MAX_HEADER_MEMBERS,
    MAX_PAYLOAD_BYTES,
    parse_compact,
)
from vcbadge.proofs.jwt import REGISTERED_CLAIMS, claims_for, encode_vc_jwt

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
RSA_ISSUER = "https://badges.example.edu/issuers/1"

ED_KEY = Ed25519Key.from_seed(bytes(range(32)))
P256_KEY = EcKey.generate(curve="P-256")
P384_KEY = EcKey.generate(curve="P-384")
RSA_KEY = RsaKey.generate(controller=RSA_ISSUER)
KEYS: dict[str, Any] = {"EdDSA": ED_KEY, "ES256": P256_KEY, "ES384": P384_KEY, "RS256": RSA_KEY}
RSA_DOCUMENT = {
    "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
    "id": RSA_ISSUER,
    "verificationMethod": [RSA_KEY.to_verification_method()],
    "assertionMethod": [RSA_KEY.verification_method],
}
# The two JWT forms: OB 3.0 (a VC 2.0 credential at the top level of the payload) and the
# VC 1.1 form older issuers use (the credential in the ``vc`` claim).
FORMS = ["ob3", "vc-claim"]


def verifier(policy: Policy | None = None, **documents: Any) -> Verifier:
    return Verifier.offline(
        documents={RSA_ISSUER: RSA_DOCUMENT, **documents}, clock=FixedClock(NOW), policy=policy
    )


def issue(key_alg: str, credential: dict[str, Any] | None = None, **options: Any) -> str:
    key = KEYS[key_alg]
    issuer = JwtIssuer(
        {"id": key.controller, "type": ["Profile"], "name": "Example U"},
        key=key,
        clock=FixedClock(NOW),
    )
    return issuer.issue_jwt(credential or unsigned(), **options)


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    jws = parse_compact(token)
    return jws.header, jws.payload


def credential_for(key: Any = ED_KEY, form: str = "ob3", **members: Any) -> dict[str, Any]:
    """A complete unsigned credential of the data model ``form`` is defined for."""
    if form == "ob3":
        return {
            **unsigned(),
            "issuer": key.controller,
            "validFrom": "2025-01-01T00:00:00Z",
            **members,
        }
    return {
        **unsigned("1.1"),
        "issuer": key.controller,
        "issuanceDate": "2025-01-01T00:00:00Z",
        **members,
    }


def shaped(credential: dict[str, Any], form: str) -> dict[str, Any]:
    """The payload ``form`` makes of ``credential``, with its registered claims."""
    if form == "ob3":
        return {**credential, **claims_for(credential)}
    return {**claims_for(credential), "vc": credential}


def _payload(key: Any = ED_KEY, form: str = "ob3") -> dict[str, Any]:
    return shaped(credential_for(key, form), form)


def _header(key: Any = ED_KEY, **changes: Any) -> dict[str, Any]:
    header = {"alg": {"Ed25519": "EdDSA", "RSA": "RS256"}.get(key.algorithm, "ES256")}
    header.update({"typ": "JWT", "kid": key.verification_method})
    header.update(changes)
    return {name: value for name, value in header.items() if value is not None}


def _credential_path(form: str) -> str:
    return "/payload" if form == "ob3" else "/payload/vc"


# Issue and verify


@pytest.mark.parametrize("alg", sorted(KEYS))
def test_issue_then_verify_is_valid_in_the_ob3_form(alg: str) -> None:
    token = issue(alg, unsigned("2.0"))
    header, payload = decode(token)
    key = KEYS[alg]
    assert header == {"alg": alg, "typ": "JWT", "kid": key.verification_method}
    # OB 3.0 section 8.2.4.1: the payload is the credential, members at the top level.
    assert "vc" not in payload
    credential = {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}
    assert credential["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert payload["iss"] == key.controller == credential["issuer"]["id"]
    assert payload["jti"] == credential["id"]
    assert payload["sub"] == "did:example:ada"
    assert payload["nbf"] == int(NOW.timestamp())
    assert "exp" not in payload
    result = verifier().verify(token)
    assert result.outcome is Outcome.VALID, failed(result)
    names = [c.name for c in result.checks]
    assert names[:5] == ["parse", "jwt_header", "jwt_key", "jwt_signature", "jwt_claims"]
    assert "OB 3.0" in result.checks[1].message
    assert "contexts" in names
    assert "validity_period" in names
    # The registered claims are the token's, not the credential's.
    assert result.document == credential
    assert [c.path for c in result.checks if c.name == "envelope"] == ["/payload"]


@pytest.mark.parametrize("alg", sorted(KEYS))
def test_issue_then_verify_is_valid_for_vc11_in_the_vc_claim(alg: str) -> None:
    token = issue(alg, unsigned("1.1"))
    header, payload = decode(token)
    key = KEYS[alg]
    assert header == {"alg": alg, "typ": "JWT", "kid": key.verification_method}
    vc = payload["vc"]
    assert set(payload) == {"iss", "jti", "sub", "nbf", "vc"}
    assert payload["iss"] == key.controller == vc["issuer"]["id"]
    assert payload["nbf"] == int(NOW.timestamp())
    result = verifier().verify(token)
    assert result.outcome is Outcome.VALID, failed(result)
    assert "VC 1.1" in result.checks[1].message
    assert result.document == vc
    assert [c.path for c in result.checks if c.name == "envelope"] == ["/payload/vc"]


@pytest.mark.parametrize("form", FORMS)
def test_forged_baseline_is_valid(form: str) -> None:
    """The tokens the refusal tests start from verify: each refusal is its fault alone."""
    result = verifier().verify(forge(_header(), _payload(form=form), ED_KEY))
    assert result.outcome is Outcome.VALID, failed(result)
    rsa = verifier().verify(forge(_header(RSA_KEY), _payload(RSA_KEY, form), RSA_KEY))
    assert rsa.outcome is Outcome.VALID, failed(rsa)


@pytest.mark.parametrize("typ", [None, "JWT", "jwt", "application/jwt"])
def test_ob3_typ_is_absent_or_jwt(typ: str | None) -> None:
    token = forge(_header(typ=typ), _payload(), ED_KEY)
    result = verifier().verify(token)
    assert result.outcome is Outcome.VALID, failed(result)


def test_exp_claim_and_expiry() -> None:
    credential = {**unsigned(), "validUntil": "2025-06-01T00:00:00Z"}
    token = issue("EdDSA", credential)
    assert decode(token)[1]["exp"] == int(datetime(2025, 6, 1, tzinfo=timezone.utc).timestamp())
    assert verifier().verify(token).outcome is Outcome.VALID
    later = verifier().verify(token, at=datetime(2025, 7, 1, tzinfo=timezone.utc))
    assert failed(later) == [("validity_period", "expired", "/payload/validUntil")]


def test_bytes_and_surrounding_whitespace_are_accepted() -> None:
    token = issue("EdDSA")
    assert verifier().verify(f"{token}\n".encode()).outcome is Outcome.VALID


def test_alg_must_be_the_keys() -> None:
    with pytest.raises(InputError) as caught:
        issue("EdDSA", alg="RS256")
    assert caught.value.code == "key_algorithm_mismatch"
    assert decode(issue("RS256", alg="RS256"))[0]["alg"] == "RS256"


def test_issue_refuses_signed_and_undefined_terms() -> None:
    with pytest.raises(ModelError):
        issue("EdDSA", {**unsigned(), "proof": {"type": "DataIntegrityProof"}})
    with pytest.raises(Exception, match=r"undefined|not defined"):
        issue("EdDSA", {**unsigned(), "notATerm": 1})


def test_no_private_jwk_in_the_header() -> None:
    with pytest.raises(InputError) as caught:
        encode_vc_jwt(unsigned(), ED_KEY, public_jwk=ED_KEY.to_jwk(include_private=True))
    assert caught.value.code == "jwt_private_key_in_header"


def test_claims_for_vc11_dates() -> None:
    credential = {
        **unsigned("1.1"),
        "issuer": "https://example.edu/i",
        "issuanceDate": "2010-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00.5Z",
    }
    assert claims_for(credential) == {
        "iss": "https://example.edu/i",
        "nbf": 1262304000,
        "exp": 1893456000.5,
        "jti": credential["id"],
        "sub": "did:example:ada",
    }


# Embedded jwk


def test_embedded_jwk_of_a_did_jwk_issuer_is_valid() -> None:
    key = RsaKey.generate()
    issuer = JwtIssuer({"id": key.did, "type": ["Profile"]}, key=key, clock=FixedClock(NOW))
    token = issuer.issue_jwt(unsigned())
    header, _ = decode(token)
    assert header == {"alg": "RS256", "typ": "JWT", "jwk": key.to_jwk()}
    assert verifier().verify(token).outcome is Outcome.VALID


def test_embedded_jwk_listed_by_the_issuer_is_valid() -> None:
    token = issue("RS256", embed_jwk=True)
    assert "jwk" in decode(token)[0]
    assert verifier().verify(token).outcome is Outcome.VALID


@pytest.mark.parametrize("form", FORMS)
def test_embedded_jwk_not_listed_by_the_issuer_is_invalid(form: str) -> None:
    stranger = RsaKey.generate(controller=RSA_ISSUER)
    header = _header(RSA_KEY, kid=None, jwk=stranger.to_jwk())
    token = forge(header, _payload(RSA_KEY, form), stranger)
    result = verifier().verify(token)
    assert failed(result) == [("jwt_key", "jwt_jwk_not_authorized", "/header/jwk")]
    # The issuer's own key, embedded the same way, is accepted.
    own = forge(_header(RSA_KEY, kid=None, jwk=RSA_KEY.to_jwk()), _payload(RSA_KEY, form), RSA_KEY)
    assert verifier().verify(own).outcome is Outcome.VALID


def test_embedded_jwk_without_the_issuer_document_is_indeterminate() -> None:
    token = issue("RS256", embed_jwk=True)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(token)
    assert result.outcome is Outcome.INDETERMINATE
    assert failed(result) == [("jwt_key", "unsupported_did_method", "/header/jwk")]


@pytest.mark.parametrize("form", FORMS)
def test_embedded_jwk_of_another_did_jwk_is_invalid(form: str) -> None:
    owner, stranger = RsaKey.generate(), RsaKey.generate()
    credential = credential_for(form=form, issuer=owner.did)
    header = {"alg": "RS256", "typ": "JWT", "jwk": stranger.to_jwk()}
    token = forge(header, shaped(credential, form), stranger)
    assert failed(verifier().verify(token)) == [("jwt_key", "controller_mismatch", "/header/jwk")]
    mine = forge({**header, "jwk": owner.to_jwk()}, shaped(credential, form), owner)
    assert verifier().verify(mine).outcome is Outcome.VALID


# Refusals, each with its own code


@pytest.mark.parametrize("form", FORMS)
def test_alg_none_is_refused(form: str) -> None:
    token = forge(_header(alg="none"), _payload(form=form), None)
    result = verifier().verify(token)
    assert failed(result) == [("jwt_header", "jwt_alg_none", "/header/alg")]
    assert result.outcome is Outcome.INVALID
    assert "jwt_signature" not in [c.name for c in result.checks]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("alg", ["HS256", "HS384", "HS512"])
def test_hmac_with_the_public_key_as_secret_is_refused(alg: str, form: str) -> None:
    """The classic attack: sign with HMAC keyed by the (public) RSA key the verifier holds."""
    header = _header(RSA_KEY, alg=alg)
    signing_input = (
        b64url_encode(json.dumps(header).encode())
        + "."
        + b64url_encode(json.dumps(_payload(RSA_KEY, form)).encode())
    )
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}[alg]
    for secret in (json.dumps(RSA_KEY.to_jwk()).encode(), RSA_KEY.to_jwk()["n"].encode()):
        mac = hmac.new(secret, signing_input.encode(), digest).digest()
        result = verifier().verify(f"{signing_input}.{b64url_encode(mac)}")
        assert failed(result) == [("jwt_header", "jwt_alg_hmac", "/header/alg")]


def test_algorithm_outside_the_policy_is_refused() -> None:
    token = issue("RS256")
    assert verifier().verify(token).outcome is Outcome.VALID
    policy = Policy.default().replace(allowed_jwt_algorithms=frozenset({"EdDSA"}))
    result = verifier(policy).verify(token)
    assert failed(result) == [("jwt_header", "jwt_alg_not_allowed", "/header/alg")]


def test_allowed_but_unimplemented_algorithm_is_indeterminate() -> None:
    token = forge(_header(alg="PS256"), _payload(), ED_KEY)
    policy = Policy.default().replace(allowed_jwt_algorithms=frozenset({"PS256"}))
    result = verifier(policy).verify(token)
    assert result.outcome is Outcome.INDETERMINATE
    assert failed(result) == [("jwt_header", "jwt_alg_unsupported", "/header/alg")]


@pytest.mark.parametrize("form", FORMS)
def test_unknown_critical_header_is_refused(form: str) -> None:
    token = forge(_header(crit=["exp"], exp=1), _payload(form=form), ED_KEY)
    assert failed(verifier().verify(token)) == [
        ("jwt_header", "jwt_crit_unsupported", "/header/crit")
    ]
    # The same extra member without crit is ignored, as RFC 7515 says.
    assert verifier().verify(forge(_header(exp=1), _payload(form=form), ED_KEY)).outcome is (
        Outcome.VALID
    )


@pytest.mark.parametrize("form", FORMS)
def test_private_key_in_the_jwk_header_is_refused(form: str) -> None:
    header = _header(kid=None, jwk=ED_KEY.to_jwk(include_private=True))
    token = forge(header, _payload(form=form), ED_KEY)
    assert failed(verifier().verify(token)) == [
        ("jwt_header", "jwt_private_key_in_header", "/header/jwk/d")
    ]


@pytest.mark.parametrize(
    ("token", "path"),
    [
        ("eyJhbGciOiJFZERTQSJ9.e30", ""),
        ("eyJhbGciOiJFZERTQSJ9.e30.sig.extra.part", ""),
        ("eyJhbGciOiJFZERTQSJ9=.e30.AA", "/header"),
        ("e30x.e30.AA", "/header"),
        (b64url_encode(b'{"alg":"EdDSA","alg":"none"}') + ".e30.AA", "/header"),
        ("eyJhbGciOiJFZERTQSJ9." + b64url_encode(b"not json") + ".AA", "/payload"),
        ("eyJhbGciOiJFZERTQSJ9.e30.A", "/signature"),
    ],
)
def test_malformed_serialization(token: str, path: str) -> None:
    result = verifier().verify(token)
    assert [(c.name, c.code) for c in result.failed] == [("parse", "jwt_malformed")]
    assert result.failed[0].path.startswith(path)
    assert result.outcome is Outcome.INVALID


def test_header_must_be_an_object() -> None:
    with pytest.raises(InputError) as caught:
        parse_compact(b64url_encode(b"[1]") + ".e30.AA")
    assert (caught.value.code, caught.value.path) == ("jwt_malformed", "/header")


def test_payload_without_vc_or_context_is_malformed() -> None:
    token = forge(_header(), {"iss": "x"}, ED_KEY)
    assert failed(verifier().verify(token)) == [("jwt_header", "jwt_malformed", "/payload")]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("iss", "https://evil.example"),
        ("jti", "urn:other"),
        ("sub", "did:example:eve"),
        ("nbf", 1),
        ("nbf", "1735689600"),
        ("iss", None),
    ],
)
def test_claim_mismatch_names_the_claim(claim: str, value: Any, form: str) -> None:
    payload = _payload(form=form)
    payload[claim] = value
    result = verifier().verify(forge(_header(), payload, ED_KEY))
    assert failed(result) == [("jwt_claims", "jwt_claim_mismatch", f"/payload/{claim}")]
    assert claim in result.failed[0].message


@pytest.mark.parametrize("form", FORMS)
def test_exp_must_be_the_credentials_end(form: str) -> None:
    end = "validUntil" if form == "ob3" else "expirationDate"
    credential = credential_for(form=form, **{end: "2026-01-01T00:00:00Z"})
    payload = shaped(credential, form)
    assert verifier().verify(forge(_header(), payload, ED_KEY)).outcome is Outcome.VALID
    result = verifier().verify(forge(_header(), {**payload, "exp": 1767225601}, ED_KEY))
    assert failed(result) == [("jwt_claims", "jwt_claim_mismatch", "/payload/exp")]
    del payload["exp"]
    result = verifier().verify(forge(_header(), payload, ED_KEY))
    assert failed(result) == [("jwt_claims", "jwt_claim_missing", "/payload/exp")]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("claim", ["iss", "jti", "sub", "nbf"])
def test_missing_claim_is_refused(claim: str, form: str) -> None:
    """OB 3.0 section 8.2.6.1: iss, sub, nbf and jti must be present."""
    payload = _payload(form=form)
    del payload[claim]
    result = verifier().verify(forge(_header(), payload, ED_KEY))
    assert failed(result) == [("jwt_claims", "jwt_claim_missing", f"/payload/{claim}")]
    assert result.failed[0].outcome is Outcome.INVALID


@pytest.mark.parametrize("form", FORMS)
def test_extra_exp_claim_is_a_mismatch(form: str) -> None:
    payload = {**_payload(form=form), "exp": 2000000000}
    assert failed(verifier().verify(forge(_header(), payload, ED_KEY))) == [
        ("jwt_claims", "jwt_claim_mismatch", "/payload/exp")
    ]


def test_sub_is_not_required_when_the_subject_has_no_id() -> None:
    """A subject identified by ``identifier`` only has no id for ``sub`` to carry."""
    credential = credential_for()
    del credential["credentialSubject"]["id"]
    payload = shaped(credential, "ob3")
    assert "sub" not in payload
    result = verifier().verify(forge(_header(), payload, ED_KEY))
    assert "jwt_claims" not in [c.name for c in result.failed], failed(result)
    invented = forge(_header(), {**payload, "sub": "did:example:eve"}, ED_KEY)
    assert ("jwt_claims", "jwt_claim_mismatch", "/payload/sub") in failed(
        verifier().verify(invented)
    )


@pytest.mark.parametrize("form", FORMS)
def test_key_type_must_match_alg(form: str) -> None:
    # The header says ES256 but names an Ed25519 key (signed with it): refused before verifying.
    token = forge(_header(alg="ES256"), _payload(form=form), ED_KEY)
    assert failed(verifier().verify(token)) == [
        ("jwt_signature", "jwt_key_alg_mismatch", "/header/alg")
    ]


@pytest.mark.parametrize("form", FORMS)
def test_kid_controlled_by_someone_else_is_invalid(form: str) -> None:
    other = Ed25519Key.generate()
    token = forge(_header(kid=other.verification_method), _payload(form=form), other)
    assert failed(verifier().verify(token)) == [("jwt_key", "controller_mismatch", "/header/kid")]


@pytest.mark.parametrize("form", FORMS)
def test_no_kid_and_no_jwk_is_invalid(form: str) -> None:
    token = forge(_header(kid=None), _payload(form=form), ED_KEY)
    assert failed(verifier().verify(token)) == [("jwt_key", "jwt_key_missing", "/header")]


@pytest.mark.parametrize("form", FORMS)
def test_kid_that_is_not_a_url_is_indeterminate(form: str) -> None:
    result = verifier().verify(forge(_header(kid="key-1"), _payload(form=form), ED_KEY))
    assert failed(result) == [("jwt_key", "jwt_kid_not_url", "/header/kid")]
    assert result.outcome is Outcome.INDETERMINATE


@pytest.mark.parametrize(
    ("form", "typ"),
    # typ vc+jwt with a top-level credential is VC-JOSE-COSE (tests/proofs/test_jose.py).
    [("vc-claim", "vc+jwt")]
    + [(form, typ) for form in FORMS for typ in ["vc+ld+json", "JOSE", "at+jwt", "vp+jwt"]],
)
def test_wrong_typ_is_refused(form: str, typ: str) -> None:
    result = verifier().verify(forge(_header(typ=typ), _payload(form=form), ED_KEY))
    assert failed(result) == [("jwt_header", "jwt_typ_mismatch", "/header/typ")]
    assert ("OB 3.0" if form == "ob3" else "VC 1.1") in result.failed[0].message


@pytest.mark.parametrize("form", FORMS)
def test_signature_by_another_key_is_invalid(form: str) -> None:
    token = forge(_header(), _payload(form=form), Ed25519Key.generate())
    assert failed(verifier().verify(token)) == [
        ("jwt_signature", "invalid_signature", "/signature")
    ]


@pytest.mark.parametrize("form", FORMS)
def test_credential_problems_have_payload_paths(form: str) -> None:
    credential = credential_for(form=form)
    credential["@context"].append("https://example.org/unknown-context")
    token = forge(_header(), shaped(credential, form), ED_KEY)
    assert failed(verifier().verify(token)) == [
        ("contexts", "context_not_allowed", f"{_credential_path(form)}/@context/2")
    ]


# Size caps on the header and the payload


def _padded_header(size: int) -> dict[str, Any]:
    """The baseline header grown to exactly ``size`` bytes of JSON (as ``forge`` writes it)."""
    header = _header(note="")
    header["note"] = "x" * (size - len(json.dumps(header).encode()))
    assert len(json.dumps(header).encode()) == size
    return header


def test_megabyte_header_is_refused_before_parsing() -> None:
    """A correctly signed token whose header is a megabyte: refused by its own cap."""
    token = forge(_padded_header(1024 * 1024), _payload(), ED_KEY)
    result = verifier().verify(token)
    assert failed(result) == [("parse", "jwt_header_too_large", "/header")]
    assert result.outcome is Outcome.INVALID


def test_header_at_the_cap_is_accepted_and_one_byte_more_is_not() -> None:
    at_cap = forge(_padded_header(MAX_HEADER_BYTES), _payload(), ED_KEY)
    assert verifier().verify(at_cap).outcome is Outcome.VALID
    over = forge(_padded_header(MAX_HEADER_BYTES + 1), _payload(), ED_KEY)
    assert failed(verifier().verify(over)) == [("parse", "jwt_header_too_large", "/header")]


def test_header_with_too_many_members_is_refused() -> None:
    header = _header()
    extra = {f"x{i}": i for i in range(MAX_HEADER_MEMBERS - len(header))}
    at_cap = forge({**header, **extra}, _payload(), ED_KEY)
    assert verifier().verify(at_cap).outcome is Outcome.VALID
    over = forge({**header, **extra, "one_more": 1}, _payload(), ED_KEY)
    assert failed(verifier().verify(over)) == [("parse", "jwt_header_too_many_members", "/header")]


def test_payload_over_its_cap_is_refused() -> None:
    # Below the cap on the whole token (4 MiB) but above the payload's own.
    payload = {**_payload(), "description": "x" * MAX_PAYLOAD_BYTES}
    token = forge(_header(), payload, ED_KEY)
    assert len(token) < Policy.default().max_bytes
    assert failed(verifier().verify(token)) == [("parse", "jwt_payload_too_large", "/payload")]


def test_the_policy_sets_the_jose_caps() -> None:
    """The caps are policy: a verifier that allows larger headers or more members says so."""
    big = forge(_padded_header(MAX_HEADER_BYTES + 1), _payload(), ED_KEY)
    roomy = Policy(max_jwt_header_bytes=MAX_HEADER_BYTES * 2)
    assert verifier(roomy).verify(big).outcome is Outcome.VALID
    tight = Policy(max_jwt_header_members=2)
    assert [code for _, code, _ in failed(verifier(tight).verify(big))] == ["jwt_header_too_large"]
    many = forge({**_header(), "x1": 1}, _payload(), ED_KEY)
    assert failed(verifier(tight).verify(many)) == [
        ("parse", "jwt_header_too_many_members", "/header")
    ]
    short_header = forge({"alg": "EdDSA", "kid": _header()["kid"]}, _payload(), ED_KEY)
    assert failed(verifier(Policy(max_jwt_payload_bytes=64)).verify(short_header)) == [
        ("parse", "jwt_payload_too_large", "/payload")
    ]
    with pytest.raises(ValueError, match="max_jwt_header_bytes"):
        Policy(max_jwt_header_bytes=0)


@pytest.mark.parametrize(
    ("member", "limit", "code"),
    [
        ("header", "max_header_bytes", "jwt_header_too_large"),
        ("payload", "max_payload_bytes", "jwt_payload_too_large"),
    ],
)
def test_parse_compact_caps_are_exact(member: str, limit: str, code: str) -> None:
    header, payload = {"alg": "EdDSA"}, {"n": "x" * 100}
    size = len(json.dumps(header if member == "header" else payload).encode())
    token = forge(header, payload, ED_KEY)
    assert parse_compact(token, **{limit: size}).header == header
    with pytest.raises(LimitExceeded) as caught:
        parse_compact(token, **{limit: size - 1})
    assert (caught.value.code, caught.value.path) == (code, f"/{member}")


def test_parse_compact_member_cap() -> None:
    token = forge({"alg": "EdDSA", "kid": "a:b", "typ": "JWT"}, {}, ED_KEY)
    assert len(parse_compact(token, max_header_members=3).header) == 3
    with pytest.raises(LimitExceeded) as caught:
        parse_compact(token, max_header_members=2)
    assert caught.value.code == "jwt_header_too_many_members"


# A standard JOSE implementation (PyJWT) in both directions


@pytest.mark.parametrize("alg", sorted(KEYS))
def test_pyjwt_verifies_our_tokens(alg: str) -> None:
    token = issue(alg)
    public = pyjwt.PyJWK(KEYS[alg].to_jwk(), algorithm=alg)
    claims = pyjwt.decode(
        token, public.key, algorithms=[alg], options={"verify_aud": False}, leeway=10**9
    )
    assert claims["issuer"]["id"] == claims["iss"]
    assert claims["credentialSubject"]["id"] == claims["sub"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("alg", sorted(KEYS))
def test_we_verify_pyjwt_tokens(alg: str, form: str) -> None:
    key = KEYS[alg]
    private = pyjwt.PyJWK(key.to_jwk(include_private=True), algorithm=alg)
    token = pyjwt.encode(
        _payload(key, form),
        private.key,
        algorithm=alg,
        headers={"kid": key.verification_method, "typ": "JWT"},
    )
    result = verifier().verify(token)
    assert result.outcome is Outcome.VALID, failed(result)


# Properties


MUTATION_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TOKENS = {
    (alg, version): issue(alg, unsigned(version))
    for alg in sorted(KEYS)
    for version in ("2.0", "1.1")
}


@MUTATION_SETTINGS
@given(
    which=st.sampled_from(sorted(TOKENS)),
    part=st.integers(0, 2),
    position=st.integers(min_value=0),
    flip=st.integers(1, 255),
)
def test_any_byte_change_is_not_valid(
    which: tuple[str, str], part: int, position: int, flip: int
) -> None:
    parts = TOKENS[which].split(".")
    raw = bytearray(b64url_decode(parts[part]))
    raw[position % len(raw)] ^= flip
    parts[part] = b64url_encode(bytes(raw))
    result = verifier().verify(".".join(parts))
    assert result.outcome is not Outcome.VALID


@MUTATION_SETTINGS
@given(alg=st.sampled_from(sorted(KEYS)), name=st.text(min_size=1, max_size=30))
@pytest.mark.slow
def test_sign_then_verify_is_valid_for_every_alg(alg: str, name: str) -> None:
    credential = unsigned()
    credential["name"] = name
    result = verifier().verify(issue(alg, credential))
    assert result.outcome is Outcome.VALID, failed(result)


# The 1EdTech validator's files


def _draft_context_loader() -> BundledLoader:
    """The bundled loader plus the two pre-publication context URLs the 1EdTech test files use,
    served with the documents they became: the 1EdTech validator (CachingDocumentLoader) and
    spruceid/ssi both serve the OB 3.0 context for the github.io URL; the draft CLR URL became
    the published CLR 2.0 context."""
    return BundledLoader().with_documents(
        {
            "https://imsglobal.github.io/openbadges-specification/context.json": (
                load_bundled_document("https://purl.imsglobal.org/spec/ob/v3p0/context.json")
            ),
            "https://dc.imsglobal.org/draft/clr/v2p0/context": load_bundled_document(
                "https://purl.imsglobal.org/spec/clr/v2p0/context.json"
            ),
        }
    )


def _issuer_publishing(jwk: dict[str, Any], issuer: str) -> dict[str, Any]:
    """The controller document the issuer would publish at its URL for the header's key."""
    method = f"{issuer}#key-1"
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": issuer,
        "verificationMethod": [
            {"id": method, "type": "JsonWebKey", "controller": issuer, "publicKeyJwk": jwk}
        ],
        "assertionMethod": [method],
    }


@pytest.mark.reference
def test_clr20_simple_jwt_verifies(reference: Path) -> None:
    """clr20/simple.jwt: expected validator_result "valid" (CLR20Tests assertValid), reproduced
    for everything the validator checks; vcbadge's extra schema step cannot be satisfied."""
    index = json.loads((reference / "examples" / "index.json").read_text())
    entry = next(e for e in index["examples"] if e["file"] == "1edtech-validator/clr20/simple.jwt")
    assert entry["expected"]["validator_result"] == "valid"
    token = (reference / "examples" / entry["file"]).read_bytes()
    header, payload = decode(token.decode())
    vc = payload["vc"]
    assert (payload["iss"], payload["jti"], payload["sub"]) == (
        vc["issuer"]["id"],
        vc["id"],
        vc["credentialSubject"]["id"],
    )
    issuer = vc["issuer"]["id"]
    documents = {issuer: _issuer_publishing(header["jwk"], issuer)}
    result = Verifier.offline(
        documents=documents, loader=_draft_context_loader(), clock=FixedClock(NOW)
    ).verify(token)
    # Key, signature, claims, envelope, contexts and dates all verify. The one check that does
    # not is the schema: the credential names https://purl.imsglobal.org/AchievementCredential.json,
    # which was never published (the 1EdTech validator does not validate this JWT's schema).
    # The bundled AchievementCredential is itself a VC-JWT and is verified too: only its schema
    # entry (a type vcbadge does not implement) is undecided.
    assert failed(result) == [
        ("schema", "schema_unavailable", "/payload/vc/credentialSchema/0"),
        (
            "nested_credential",
            "schema_type_unsupported",
            "/payload/vc/credentialSubject/verifiableCredential/0",
        ),
    ]
    assert {c.name for c in result.checks if c.outcome is Outcome.VALID} >= {
        "parse",
        "jwt_header",
        "jwt_key",
        "jwt_signature",
        "jwt_claims",
        "envelope",
        "contexts",
        "validity_period",
    }
    # Nothing is taken on trust: without the issuer's document the jwk proves nothing ...
    alone = Verifier.offline(loader=_draft_context_loader(), clock=FixedClock(NOW)).verify(token)
    assert failed(alone)[0] == ("jwt_key", "unsupported_did_method", "/header/jwk")
    # ... and with vcbadge's bundled contexts only, the draft context URLs are refused.
    strict = Verifier.offline(documents=documents, clock=FixedClock(NOW)).verify(token)
    assert {c.code for c in strict.failed} == {"context_not_allowed", "schema_unavailable"}
    # The signature really is checked: one changed byte of the payload and it fails.
    tampered = token.decode().split(".")
    tampered[1] = b64url_encode(b64url_decode(tampered[1]).replace(b"Sample", b"Simple"))
    again = Verifier.offline(
        documents=documents, loader=_draft_context_loader(), clock=FixedClock(NOW)
    ).verify(".".join(tampered))
    assert failed(again)[0] == ("jwt_signature", "invalid_signature", "/signature")


@pytest.mark.reference
def test_clr20_nested_jwt_verifies(reference: Path) -> None:
    """The AchievementCredential nested in clr20/simple.jwt is a VC-JWT by the same key."""
    token = (reference / "examples" / "1edtech-validator" / "clr20" / "simple.jwt").read_text()
    nested = decode(token)[1]["vc"]["credentialSubject"]["verifiableCredential"][0]
    header, payload = decode(nested)
    issuer = payload["vc"]["issuer"]["id"]
    result = Verifier.offline(
        documents={issuer: _issuer_publishing(header["jwk"], issuer)},
        loader=_draft_context_loader(),
        clock=FixedClock(NOW),
    ).verify(nested)
    # Everything verifies but the schema entry, whose type is not one vcbadge implements.
    assert [(c.name, c.code) for c in result.failed] == [("schema", "schema_type_unsupported")]
    assert any(c.name == "jwt_signature" and c.outcome is Outcome.VALID for c in result.checks)


@pytest.mark.reference
@pytest.mark.parametrize("name", ["simple.jwt", "velocity.jwt"])
def test_ob30_jwts_without_published_keys(reference: Path, name: str) -> None:
    """ob30/simple.jwt ("parses") has neither kid nor jwk; velocity.jwt ("invalid") names a
    did:velocity key. Neither key is published: they parse, their claims are compared, and
    they are never VALID."""
    token = (reference / "examples" / "1edtech-validator" / "ob30" / name).read_text()
    header, payload = decode(token)
    assert header["alg"] == "RS256"
    assert "vc" in payload
    result = verifier().verify(token)
    assert result.outcome is not Outcome.VALID
    codes = {c.code for c in result.failed}
    if name == "simple.jwt":
        assert ("jwt_key", "jwt_key_missing", "/header") in failed(result)
    else:
        # Unresolvable key, the nbf claim that disagrees with validFrom (the corpus observed
        # nbf != issuanceDate/validFrom) and the unbundled Velocity context.
        assert "unsupported_did_method" in codes
        assert "context_not_allowed" in codes
