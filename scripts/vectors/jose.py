"""JOSE vectors: OB 3.0 VC-JWT (EdDSA, ES256, RS256) and VC-JOSE-COSE (EdDSA): sign
(byte-exact), valid, tampered signature, ``alg: none`` and a claim that contradicts the
credential. The OB 3.0 VC-JWT is the form of OB 3.0 section 8.2.4.1 (the VC 2.0 credential's
members at the top level of the payload); the EdDSA folder adds the VC 1.1 ``vc``-claim form
older issuers use, every encoding / data model mismatch, a missing registered claim, a wrong
``typ`` and the header size cap."""

from __future__ import annotations

import json
from typing import Any

from vcbadge import Profile
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.proofs.jws import MAX_HEADER_BYTES
from vcbadge.proofs.jwt import REGISTERED_CLAIMS
from vcbadge.vcdm import VC_V1

from .common import (
    ISSUED,
    Case,
    Json,
    SigningKey,
    b64url,
    b64url_decode,
    created,
    ed25519,
    key_entry,
    p256,
    profile,
    rsa,
    sign_case,
    unsigned,
    verify_case,
)

VC_JWT = "https://www.imsglobal.org/spec/ob/v3p0/#jwt-proof-format"
VC11_JWT = "https://www.w3.org/TR/vc-data-model-1.1/#json-web-token"
VC_JOSE = "https://www.w3.org/TR/vc-jose-cose/#securing-vcs-with-jose"

# Folder suffix, JWS alg, key, credential number.
JWT_KEYS: list[tuple[str, str, SigningKey, int]] = [
    ("eddsa", "EdDSA", ed25519(0x42), 31),
    ("es256", "ES256", p256(0x51), 32),
    ("rs256", "RS256", rsa(), 33),
]


def _parts(token: str) -> tuple[Json, Json, bytes]:
    header, payload, signature = token.split(".")
    return (
        json.loads(b64url_decode(header)),
        json.loads(b64url_decode(payload)),
        b64url_decode(signature),
    )


def _compact(header: Json, payload: Json, signer: SigningKey | None) -> str:
    """A token built by hand (compact JSON members), signed by ``signer`` or unsigned."""

    def segment(value: Json) -> str:
        return b64url(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())

    signing_input = f"{segment(header)}.{segment(payload)}"
    signature = signer.sign(signing_input.encode("ascii")) if signer is not None else b""
    return f"{signing_input}.{b64url(signature)}"


def _flip_signature(token: str) -> str:
    head, body, signature = token.split(".")
    raw = bytearray(b64url_decode(signature))
    raw[-1] ^= 0x01
    return f"{head}.{body}.{b64url(bytes(raw))}"


def _vc11(number: int) -> Json:
    """The unsigned credential ``number`` in VC Data Model 1.1 (its first @context)."""
    document = unsigned(number)
    return {**document, "@context": [VC_V1, *document["@context"][1:]]}


def _unsigned_token(token: str, typ: str) -> str:
    payload = _parts(token)[1]
    return _compact({"alg": "none", "typ": typ}, payload, None)


def _jwt_cases(name: str, alg: str, key: SigningKey, number: int) -> dict[str, Case]:
    folder = f"vc-jwt-{name}"
    document = unsigned(number)
    issuer = JwtIssuer(Profile.from_json(profile(key)), key=key)
    token = issuer.issue_jwt(document, alg=alg, at=ISSUED)
    public = [key_entry(key, secret=False)]
    if alg == "RS256":
        binding = "a did:jwk issuer (the header embeds the key as jwk)"
    else:
        binding = "a did:key issuer (the header names the key with kid)"
    cases: dict[str, Case] = {
        f"{folder}/sign.json": sign_case(
            f"{folder}/sign",
            f"Issue an OB 3.0 VC-JWT signed with {alg} by {binding}: header typ JWT, the "
            "payload is the credential with its members at the top level and the registered "
            "claims iss, jti, sub and nbf (OB 3.0 section 8.2.4.1). The signature is "
            "deterministic, so the compact JWS must equal expected.output.",
            VC_JWT,
            key,
            {
                "credential": document,
                "issuer": profile(key),
                "created": created(),
                "format": "vc-jwt",
                "alg": alg,
            },
            token,
        ),
        f"{folder}/verify-valid.json": verify_case(
            f"{folder}/verify-valid",
            f"An OB 3.0 VC-JWT signed with {alg} by {binding} verifies. The input is the "
            "compact JWS text.",
            token,
            "VALID",
            [],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-tampered-signature.json": verify_case(
            f"{folder}/verify-tampered-signature",
            "One bit of the signature was flipped: invalid_signature (check jwt_signature).",
            _flip_signature(token),
            "INVALID",
            ["invalid_signature"],
            spec=VC_JWT,
            keys=public,
        ),
    }
    if alg == "EdDSA":
        cases.update(_jwt_rejections(folder, token, key, public))
    return cases


def _jwt_rejections(
    folder: str, token: str, key: SigningKey, public: list[dict[str, Any]]
) -> dict[str, Case]:
    header, payload, _ = _parts(token)
    other_jti = {**payload, "jti": "urn:uuid:00000000-0000-4000-8000-999999999999"}
    no_nbf = {name: value for name, value in payload.items() if name != "nbf"}
    claims = {name: payload[name] for name in REGISTERED_CLAIMS if name in payload}
    vc2 = {name: value for name, value in payload.items() if name not in REGISTERED_CLAIMS}
    issuer = JwtIssuer(Profile.from_json(profile(key)), key=key)
    legacy = issuer.issue_jwt(_vc11(34), alg="EdDSA", at=ISSUED)
    legacy_header, legacy_payload, _ = _parts(legacy)
    vc11_top_level = {
        **legacy_payload["vc"],
        **{name: value for name, value in legacy_payload.items() if name != "vc"},
    }
    padded = {**header, "x-padding": "x" * MAX_HEADER_BYTES}
    return {
        f"{folder}/verify-alg-none.json": verify_case(
            f"{folder}/verify-alg-none",
            "The same payload with header alg none and an empty signature (an unsigned token): "
            "jwt_alg_none, refused before any key is looked at.",
            _unsigned_token(token, "JWT"),
            "INVALID",
            ["jwt_alg_none"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-claim-mismatch.json": verify_case(
            f"{folder}/verify-claim-mismatch",
            "The jti claim names another id than the credential's id; the token is correctly "
            "signed by the issuer's key, but the claims contradict the credential: "
            "jwt_claim_mismatch.",
            _compact(header, other_jti, key),
            "INVALID",
            ["jwt_claim_mismatch"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-claim-missing.json": verify_case(
            f"{folder}/verify-claim-missing",
            "The nbf claim is left out (OB 3.0 section 8.2.6.1: iss, sub, nbf and jti must be "
            "present); otherwise the token is valid and signed by the issuer's key: "
            "jwt_claim_missing.",
            _compact(header, no_nbf, key),
            "INVALID",
            ["jwt_claim_missing"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-wrong-typ.json": verify_case(
            f"{folder}/verify-wrong-typ",
            "The OB 3.0 payload with header typ vc+ld+json (OB 3.0 section 8.2.3: typ, when "
            "present, is JWT), signed by the issuer's key: jwt_typ_mismatch.",
            _compact({**header, "typ": "vc+ld+json"}, payload, key),
            "INVALID",
            ["jwt_typ_mismatch"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-no-typ-valid.json": verify_case(
            f"{folder}/verify-no-typ-valid",
            "The OB 3.0 payload with no typ in the header (typ is optional), signed by the "
            "issuer's key: valid.",
            _compact({n: v for n, v in header.items() if n != "typ"}, payload, key),
            "VALID",
            [],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-header-too-large.json": verify_case(
            f"{folder}/verify-header-too-large",
            f"The header grown past {MAX_HEADER_BYTES} bytes with an extra member, correctly "
            "signed by the issuer's key: the header has a size cap of its own, checked before "
            "it is parsed: jwt_header_too_large.",
            _compact(padded, payload, key),
            "INVALID",
            ["jwt_header_too_large"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-vc2-in-vc-claim.json": verify_case(
            f"{folder}/verify-vc2-in-vc-claim",
            "The VC 2.0 credential put in a vc claim (the VC 1.1 JWT encoding), with the same "
            "registered claims, signed by the issuer's key: no specification describes this "
            "combination: jwt_vc_claim_requires_vc1.",
            _compact(header, {**claims, "vc": vc2}, key),
            "INVALID",
            ["jwt_vc_claim_requires_vc1"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-vc11-top-level.json": verify_case(
            f"{folder}/verify-vc11-top-level",
            "A VC 1.1 credential with its members at the top level of the payload (the OB 3.0 "
            "form, defined for VC 2.0 credentials), typ JWT, signed by the issuer's key: "
            "jwt_top_level_requires_vc2.",
            _compact(legacy_header, vc11_top_level, key),
            "INVALID",
            ["jwt_top_level_requires_vc2"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/verify-payload-ambiguous.json": verify_case(
            f"{folder}/verify-payload-ambiguous",
            "The OB 3.0 payload with a vc claim added (holding the same credential): which one "
            "is the credential is ambiguous: jwt_payload_ambiguous.",
            _compact(header, {**payload, "vc": vc2}, key),
            "INVALID",
            ["jwt_payload_ambiguous"],
            spec=VC_JWT,
            keys=public,
        ),
        f"{folder}/sign-vc11.json": sign_case(
            f"{folder}/sign-vc11",
            "Issue a VC 1.1 OpenBadgeCredential as a VC-JWT (EdDSA, did:key issuer): the "
            "credential goes in the vc claim, the JWT encoding VC Data Model 1.1 defines. "
            "Deterministic: the compact JWS must equal expected.output.",
            VC11_JWT,
            key,
            {
                "credential": _vc11(34),
                "issuer": profile(key),
                "created": created(),
                "format": "vc-jwt",
                "alg": "EdDSA",
            },
            legacy,
        ),
        f"{folder}/verify-vc11-vc-claim-valid.json": verify_case(
            f"{folder}/verify-vc11-vc-claim-valid",
            "A VC 1.1 credential in the vc claim, typ JWT, signed by the issuer's key: the form "
            "older OB 3.0 issuers use still verifies.",
            legacy,
            "VALID",
            [],
            spec=VC11_JWT,
            keys=public,
        ),
    }


def _jose_cases() -> dict[str, Case]:
    folder = "vc-jose-cose"
    key = ed25519(0x42)
    document = unsigned(35)
    issuer = JwtIssuer(Profile.from_json(profile(key)), key=key)
    token = issuer.issue_enveloped(document, alg="EdDSA", at=ISSUED)
    header, payload, _ = _parts(token)
    public = [key_entry(key, secret=False)]
    contradicting = {**payload, "iss": ed25519(0x44).did}
    return {
        f"{folder}/sign.json": sign_case(
            f"{folder}/sign",
            "Secure a VC 2.0 OpenBadgeCredential with VC-JOSE-COSE (typ vc+jwt, cty vc, the "
            "payload is the credential), EdDSA, did:key issuer. Deterministic: the compact JWS "
            "must equal expected.output.",
            VC_JOSE,
            key,
            {
                "credential": document,
                "issuer": profile(key),
                "created": created(),
                "format": "vc-jose-cose",
                "alg": "EdDSA",
            },
            token,
        ),
        f"{folder}/verify-valid.json": verify_case(
            f"{folder}/verify-valid",
            "A VC-JOSE-COSE credential (EdDSA, did:key issuer) verifies.",
            token,
            "VALID",
            [],
            spec=VC_JOSE,
            keys=public,
        ),
        f"{folder}/verify-tampered-signature.json": verify_case(
            f"{folder}/verify-tampered-signature",
            "One bit of the signature was flipped: invalid_signature.",
            _flip_signature(token),
            "INVALID",
            ["invalid_signature"],
            spec=VC_JOSE,
            keys=public,
        ),
        f"{folder}/verify-alg-none.json": verify_case(
            f"{folder}/verify-alg-none",
            "Header alg none, empty signature: jwt_alg_none.",
            _unsigned_token(token, "vc+jwt"),
            "INVALID",
            ["jwt_alg_none"],
            spec=VC_JOSE,
            keys=public,
        ),
        f"{folder}/verify-claim-mismatch.json": verify_case(
            f"{folder}/verify-claim-mismatch",
            "An iss claim naming another DID than the credential's issuer, signed by the "
            "issuer's key: the JWT claims are optional in VC-JOSE-COSE but must agree with the "
            "credential when present: jwt_claim_mismatch.",
            _compact(header, contradicting, key),
            "INVALID",
            ["jwt_claim_mismatch"],
            spec=VC_JOSE,
            keys=public,
        ),
    }


def cases() -> dict[str, Case]:
    built: dict[str, Case] = {}
    for name, alg, key, number in JWT_KEYS:
        built.update(_jwt_cases(name, alg, key, number))
    built.update(_jose_cases())
    return built
