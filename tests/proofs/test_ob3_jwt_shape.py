"""Which encoding a JWS uses, and that it matches the credential's data model.

OB 3.0 section 8.2.4.1 puts a VC 2.0 credential's members at the top level of the JWT payload
(``typ`` absent or ``JWT``, section 8.2.3); VC Data Model 1.1 puts the credential in a ``vc``
claim; VC-JOSE-COSE (``typ: vc+jwt``) is a VC 2.0 payload. Every other combination is described
by no specification and is never VALID, with a code naming the form that was seen.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from jose_helpers import failed, forge, unsigned

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.errors import InputError, ModelError
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import Ed25519Key, RsaKey
from vcbadge.proofs.jws import parse_compact
from vcbadge.proofs.jwt import (
    JwtEncoding,
    claims_for,
    credential_of,
    data_model_mismatch,
    encode_vc_jwt,
    encoding_of,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(b"\x31" * 32)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
HEADER = {"alg": "EdDSA", "typ": "JWT", "kid": KEY.verification_method}


def vc2() -> dict[str, Any]:
    return {**unsigned("2.0"), "issuer": KEY.controller, "validFrom": "2025-01-01T00:00:00Z"}


def vc11() -> dict[str, Any]:
    return {**unsigned("1.1"), "issuer": KEY.controller, "issuanceDate": "2025-01-01T00:00:00Z"}


def top_level(credential: dict[str, Any]) -> dict[str, Any]:
    return {**credential, **claims_for(credential)}


def in_vc_claim(credential: dict[str, Any]) -> dict[str, Any]:
    return {**claims_for(credential), "vc": credential}


# The two forms the specifications describe verify ...


def test_the_ob3_form_as_the_spec_shows_it_is_valid() -> None:
    """The shape vcbadge used to refuse with jwt_typ_mismatch."""
    rsa = RsaKey.generate(controller="https://example.edu/issuers/565049")
    credential = {
        **unsigned("2.0"),
        "issuer": {"id": rsa.controller, "type": ["Profile"], "name": "Example University"},
        "validFrom": "2010-01-01T00:00:00Z",
    }
    token = forge({"alg": "RS256", "typ": "JWT", "jwk": rsa.to_jwk()}, top_level(credential), rsa)
    issuer_document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": rsa.controller,
        "verificationMethod": [rsa.to_verification_method()],
        "assertionMethod": [rsa.verification_method],
    }
    result = Verifier.offline(
        documents={rsa.controller: issuer_document}, clock=FixedClock(NOW)
    ).verify(token)
    assert result.outcome is Outcome.VALID, failed(result)
    assert result.document == credential


def test_the_vc11_vc_claim_form_is_valid() -> None:
    result = VERIFIER.verify(forge(HEADER, in_vc_claim(vc11()), KEY))
    assert result.outcome is Outcome.VALID, failed(result)


# ... and the combinations none describes do not


@pytest.mark.parametrize("typ", ["JWT", None])
def test_vc2_credential_in_a_vc_claim_is_invalid(typ: str | None) -> None:
    header = {**HEADER, "typ": typ} if typ else {k: v for k, v in HEADER.items() if k != "typ"}
    result = VERIFIER.verify(forge(header, in_vc_claim(vc2()), KEY))
    assert failed(result) == [("envelope", "jwt_vc_claim_requires_vc1", "/payload/vc/@context/0")]
    assert result.outcome is Outcome.INVALID
    assert "'vc' claim" in result.failed[0].message


@pytest.mark.parametrize("typ", ["JWT", None])
def test_vc11_credential_at_the_top_level_is_invalid(typ: str | None) -> None:
    header = {**HEADER, "typ": typ} if typ else {k: v for k, v in HEADER.items() if k != "typ"}
    result = VERIFIER.verify(forge(header, top_level(vc11()), KEY))
    assert failed(result) == [("envelope", "jwt_top_level_requires_vc2", "/payload/@context/0")]
    assert "top level" in result.failed[0].message


def test_vc11_credential_as_vc_jose_cose_is_invalid() -> None:
    header = {**HEADER, "typ": "vc+jwt"}
    result = VERIFIER.verify(forge(header, vc11(), KEY))
    assert failed(result) == [("envelope", "jose_requires_vc2", "/payload/@context/0")]
    assert "VC-JOSE-COSE" in result.failed[0].message


def test_vc_claim_with_typ_vc_jwt_is_invalid() -> None:
    result = VERIFIER.verify(forge({**HEADER, "typ": "vc+jwt"}, in_vc_claim(vc11()), KEY))
    assert failed(result) == [("jwt_header", "jwt_typ_mismatch", "/header/typ")]
    assert "'vc' claim" in result.failed[0].message


def test_payload_with_both_a_vc_claim_and_a_context_is_ambiguous() -> None:
    payload = {**top_level(vc2()), "vc": vc11()}
    result = VERIFIER.verify(forge(HEADER, payload, KEY))
    assert failed(result) == [("jwt_header", "jwt_payload_ambiguous", "/payload")]
    assert result.outcome is Outcome.INVALID


# Issuing follows the data model


def _issuer() -> JwtIssuer:
    return JwtIssuer({"id": KEY.controller, "type": ["Profile"]}, key=KEY, clock=FixedClock(NOW))


def test_vc2_is_issued_at_the_top_level_and_vc11_in_the_vc_claim() -> None:
    ob3 = parse_compact(_issuer().issue_jwt(unsigned("2.0")))
    assert ob3.header["typ"] == "JWT"
    assert encoding_of(ob3.header, ob3.payload) is JwtEncoding.OB3
    assert {"iss", "jti", "sub", "nbf", "@context", "credentialSubject"} <= set(ob3.payload)
    legacy = parse_compact(_issuer().issue_jwt(unsigned("1.1")))
    assert encoding_of(legacy.header, legacy.payload) is JwtEncoding.VC_CLAIM
    assert set(legacy.payload) == {"iss", "jti", "sub", "nbf", "vc"}


@pytest.mark.parametrize("member", ["iss", "jti", "sub", "nbf", "exp", "vc"])
def test_a_credential_member_named_like_a_claim_is_refused(member: str) -> None:
    """It would be overwritten by the claim, or make the payload ambiguous; checked by
    encode_vc_jwt itself (JwtIssuer also refuses it as an undefined term)."""
    with pytest.raises(ModelError) as caught:
        encode_vc_jwt({**vc2(), member: "x"}, KEY)
    assert (caught.value.code, caught.value.path) == ("jwt_reserved_member", f"/{member}")
    # In the vc claim of a VC 1.1 credential the names do not collide.
    legacy = parse_compact(encode_vc_jwt({**vc11(), member: "x"}, KEY)).payload
    assert legacy["vc"][member] == "x"


# The rules, directly


@pytest.mark.parametrize(
    ("typ", "payload", "encoding"),
    [
        (None, {"@context": []}, JwtEncoding.OB3),
        ("JWT", {"@context": []}, JwtEncoding.OB3),
        ("application/JWT", {"@context": []}, JwtEncoding.OB3),
        # Any other typ is read by the payload's shape and refused with the header.
        ("foo", {"@context": []}, JwtEncoding.OB3),
        ("vc+jwt", {"@context": []}, JwtEncoding.VC_JOSE_COSE),
        ("application/vc+jwt", {"@context": []}, JwtEncoding.VC_JOSE_COSE),
        (None, {"vc": {}}, JwtEncoding.VC_CLAIM),
        ("vc+jwt", {"vc": {}}, JwtEncoding.VC_CLAIM),
    ],
)
def test_encoding_of(typ: str | None, payload: dict[str, Any], encoding: JwtEncoding) -> None:
    header = {"alg": "EdDSA"} if typ is None else {"alg": "EdDSA", "typ": typ}
    assert encoding_of(header, payload) is encoding


@pytest.mark.parametrize(
    ("payload", "code"),
    [({"iss": "x"}, "jwt_malformed"), ({"vc": {}, "@context": []}, "jwt_payload_ambiguous")],
)
def test_encoding_of_refuses(payload: dict[str, Any], code: str) -> None:
    with pytest.raises(InputError) as caught:
        encoding_of({"alg": "EdDSA"}, payload)
    assert (caught.value.code, caught.value.path) == (code, "/payload")


def test_credential_of_each_encoding() -> None:
    credential = vc2()
    assert credential_of(top_level(credential), JwtEncoding.OB3) == credential
    assert credential_of(in_vc_claim(vc11()), JwtEncoding.VC_CLAIM) == vc11()
    assert credential_of(top_level(credential), JwtEncoding.VC_JOSE_COSE) == top_level(credential)
    with pytest.raises(InputError) as caught:
        credential_of({"vc": "text"}, JwtEncoding.VC_CLAIM)
    assert (caught.value.code, caught.value.path) == ("jwt_malformed", "/payload/vc")


@pytest.mark.parametrize(
    ("encoding", "credential", "code"),
    [
        (JwtEncoding.OB3, vc2(), None),
        (JwtEncoding.OB3, vc11(), "jwt_top_level_requires_vc2"),
        (JwtEncoding.VC_CLAIM, vc11(), None),
        (JwtEncoding.VC_CLAIM, vc2(), "jwt_vc_claim_requires_vc1"),
        (JwtEncoding.VC_JOSE_COSE, vc2(), None),
        (JwtEncoding.VC_JOSE_COSE, vc11(), "jose_requires_vc2"),
        # An unknown data model is the credential checks' to report (envelope_context).
        (JwtEncoding.OB3, {"@context": ["https://example.org/x"]}, None),
    ],
)
def test_data_model_mismatch(
    encoding: JwtEncoding, credential: dict[str, Any], code: str | None
) -> None:
    error = data_model_mismatch(encoding, credential)
    assert (error.code if error else None) == code
