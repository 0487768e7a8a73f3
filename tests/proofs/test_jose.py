"""VC-JOSE-COSE enveloped credentials (typ vc+jwt, payload = the VC 2.0 credential)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jwt as pyjwt
import pytest
from jose_helpers import failed, forge, unsigned

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.errors import InputError, ModelError
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import EcKey, Ed25519Key, RsaKey
from vcbadge.proofs.jose import (
    MEDIA_TYPE,
    enveloped_credential,
    is_enveloped_credential,
    token_of_enveloped,
)
from vcbadge.proofs.jws import check_header, parse_compact
from vcbadge.proofs.jwt import claims_for
from vcbadge.verify import VerificationResult

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
KEY = EcKey.generate(curve="P-256")


def issue(credential: dict[str, Any] | None = None, key: Any = KEY) -> str:
    issuer = JwtIssuer({"id": key.controller, "type": ["Profile"]}, key=key, clock=FixedClock(NOW))
    return issuer.issue_enveloped(credential or unsigned())


def verify(token: Any) -> VerificationResult:
    return VERIFIER.verify(token)


@pytest.mark.parametrize("key", [KEY, EcKey.generate(curve="P-384"), Ed25519Key.generate()])
def test_issue_then_verify(key: Any) -> None:
    token = issue(key=key)
    jws = parse_compact(token)
    assert jws.header == {
        "alg": {"P-256": "ES256", "P-384": "ES384", "Ed25519": "EdDSA"}[key.algorithm],
        "kid": key.verification_method,
        "typ": "vc+jwt",
        "cty": "vc",
    }
    # The payload is the credential itself, no JWT claims added.
    assert jws.payload["issuer"]["id"] == key.controller
    assert "vc" not in jws.payload
    assert "iss" not in jws.payload
    result = verify(token)
    assert result.outcome is Outcome.VALID, failed(result)
    assert result.document == jws.payload
    assert [c.path for c in result.checks if c.name == "envelope"] == ["/payload"]


def test_vc11_is_refused_on_issue_and_verify() -> None:
    with pytest.raises(ModelError) as caught:
        issue(unsigned("1.1"))
    assert caught.value.code == "jose_requires_vc2"
    credential = {
        **unsigned("1.1"),
        "issuer": KEY.controller,
        "issuanceDate": "2025-01-01T00:00:00Z",
    }
    header = {"alg": "ES256", "typ": "vc+jwt", "kid": KEY.verification_method}
    result = verify(forge(header, credential, KEY))
    assert failed(result) == [("envelope", "jose_requires_vc2", "/payload/@context/0")]
    assert "VC-JOSE-COSE" in result.failed[0].message


def test_optional_claims_must_agree_when_present() -> None:
    credential = {**unsigned(), "issuer": KEY.controller, "validFrom": "2025-01-01T00:00:00Z"}
    header = {"alg": "ES256", "typ": "vc+jwt", "kid": KEY.verification_method}
    agreeing = {**credential, **claims_for(credential)}
    assert verify(forge(header, agreeing, KEY)).outcome is Outcome.VALID
    lying = {**credential, "iss": "https://evil.example"}
    assert failed(verify(forge(header, lying, KEY))) == [
        ("jwt_claims", "jwt_claim_mismatch", "/payload/iss")
    ]


@pytest.mark.parametrize(("member", "value"), [("cty", "vp"), ("cty", "JWT"), ("cty", "vc+jwt")])
def test_wrong_content_types_are_refused(member: str, value: str) -> None:
    credential = {**unsigned(), "issuer": KEY.controller, "validFrom": "2025-01-01T00:00:00Z"}
    header = {"alg": "ES256", "typ": "vc+jwt", "kid": KEY.verification_method}
    assert verify(forge(header, credential, KEY)).outcome is Outcome.VALID
    assert failed(verify(forge({**header, member: value}, credential, KEY))) == [
        ("jwt_header", "jwt_typ_mismatch", f"/header/{member}")
    ]


def test_media_type_forms_are_accepted() -> None:
    credential = {**unsigned(), "issuer": KEY.controller, "validFrom": "2025-01-01T00:00:00Z"}
    for typ, cty in [("application/vc+jwt", "application/vc"), ("VC+JWT", "VC")]:
        header = {"alg": "ES256", "typ": typ, "cty": cty, "kid": KEY.verification_method}
        result = verify(forge(header, credential, KEY))
        assert result.outcome is Outcome.VALID, failed(result)
        assert "VC-JOSE-COSE" in result.checks[1].message


def test_without_typ_vc_jwt_the_payload_is_read_as_the_ob3_form() -> None:
    """Only typ vc+jwt makes a top-level credential VC-JOSE-COSE; without it the token is the
    OB 3.0 form, whose registered claims must be present (OB 3.0 section 8.2.6.1)."""
    credential = {**unsigned(), "issuer": KEY.controller, "validFrom": "2025-01-01T00:00:00Z"}
    for typ in (None, "JWT"):
        header = {"alg": "ES256", "kid": KEY.verification_method}
        if typ:
            header["typ"] = typ
        result = verify(forge(header, credential, KEY))
        assert {(c.name, c.code) for c in result.failed} == {("jwt_claims", "jwt_claim_missing")}
        with_claims = verify(forge(header, {**credential, **claims_for(credential)}, KEY))
        assert with_claims.outcome is Outcome.VALID, failed(with_claims)
        assert "OB 3.0" in with_claims.checks[1].message


def test_enveloped_credential_object() -> None:
    token = issue()
    envelope = enveloped_credential(token)
    assert envelope["id"] == f"data:{MEDIA_TYPE},{token}"
    assert is_enveloped_credential(envelope)
    assert token_of_enveloped(envelope) == token
    result = verify(envelope)
    assert result.outcome is Outcome.VALID, failed(result)
    assert any(c.path == "/id/signature" for c in result.checks)
    # As JSON text too (what the CLI reads).
    assert verify(json.dumps(envelope).encode()).outcome is Outcome.VALID
    with pytest.raises(InputError):
        token_of_enveloped({"id": "data:text/plain,x", "type": "EnvelopedVerifiableCredential"})
    bad = verify({**envelope, "id": "https://example.org/x"})
    assert ("parse", "jwt_malformed", "/id") in failed(bad)


def test_rsa_enveloped_with_pyjwt() -> None:
    key = RsaKey.generate(controller="https://badges.example.edu/issuers/9")
    token = issue(key=key)
    claims = pyjwt.decode(token, pyjwt.PyJWK(key.to_jwk(), algorithm="RS256").key, ["RS256"])
    assert claims["issuer"]["id"] == key.controller
    assert pyjwt.get_unverified_header(token)["typ"] == "vc+jwt"


# The W3C VC-JOSE-COSE and OB 3.0 published examples


def _vector_pairs(reference: Path) -> list[tuple[Path, Path]]:
    folder = reference / "vectors" / "vc-jose-cose" / "pr"
    pairs = []
    for token_file in sorted(folder.glob("*.jwt.txt")):
        pairs.append(
            (token_file, token_file.with_name(token_file.name.replace(".jwt.txt", ".json")))
        )
    return pairs


@pytest.mark.reference
def test_w3c_vectors_decode_and_credential_payloads_match(reference: Path) -> None:
    """Header and payload decode; for credentials the payload equals the unsigned JSON. The
    signatures cannot be verified: they were made with a key generated when the page was
    rendered, and only its thumbprint kid is published."""
    pairs = _vector_pairs(reference)
    assert len(pairs) == 6
    credentials = 0
    for token_file, json_file in pairs:
        jws = parse_compact(token_file.read_text())
        assert check_header(jws.header, frozenset({"ES256"})) == "ES256"
        assert set(jws.header) == {"kid", "alg"}
        assert len(jws.signature) == 64  # P-256 r || s
        shown = json.loads(json_file.read_text())
        if "VerifiableCredential" in shown["type"]:
            credentials += 1
            assert jws.payload == shown
        else:
            # Presentations (Examples 2, 3, 21): the shown JSON differs in form (an enveloped
            # presentation, elided tokens), and nested JWTs were signed afresh for each
            # rendering, so only the structure is compared.
            presentation_types = jws.payload["type"]
            assert {"VerifiablePresentation", "EnvelopedVerifiablePresentation"} & set(
                presentation_types if isinstance(presentation_types, list) else [presentation_types]
            )
            for nested in jws.payload.get("verifiableCredential", []):
                # Nested tokens are elided or mangled in the rendered page (Example 2's has
                # five segments, Example 21's are "eyVjV...RMjU"): only their envelope is kept.
                assert is_enveloped_credential(nested)
                assert nested["id"].startswith("data:application/vc+")
    assert credentials == 3


@pytest.mark.reference
def test_w3c_vector_outcome_is_indeterminate(reference: Path) -> None:
    token_file, _ = _vector_pairs(reference)[0]
    result = verify(token_file.read_text())
    assert ("jwt_key", "jwt_kid_not_url", "/header/kid") in failed(result)
    assert result.outcome is not Outcome.VALID


@pytest.mark.reference
def test_ob30_sample_jose_header_is_what_we_write(reference: Path) -> None:
    sample = json.loads(
        (reference / "vectors" / "ob-v3p0-jwt" / "sample-jose-header.json").read_text()
    )
    assert sample == {"alg": "RS256", "kid": "https://example.edu/keys#key-1", "typ": "JWT"}
    key = RsaKey.generate(controller="https://example.edu/keys", key_id="#key-1")
    credential = {**unsigned(), "issuer": {"id": "https://example.edu/keys", "type": ["Profile"]}}
    token = JwtIssuer(credential["issuer"], key=key, clock=FixedClock(NOW)).issue_jwt(credential)
    assert parse_compact(token).header == sample
