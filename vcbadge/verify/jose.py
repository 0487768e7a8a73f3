"""The JOSE securing mechanisms: a credential secured as a compact JWS, VC-JWT (OB 3.0) or
VC-JOSE-COSE. This adapter checks what the JWS itself secures and returns the credential inside
it; the credential then goes through the same credential checks as any other
(:func:`vcbadge.verify.dispatch.credential_checks`), with paths under ``/payload/vc`` (VC-JWT)
or ``/payload`` (VC-JOSE-COSE).

Checks (paths point into ``{"header": ..., "payload": ..., "signature"}``):

1. ``parse``          three base64url segments, strict JSON header and payload
2. ``jwt_header``     ``alg`` against the policy (before any key is touched), ``crit``, ``typ``
3. ``jwt_key``        the key: ``kid`` resolved through the injected resolver and authorized by
                      its controller for ``assertionMethod``, controller == issuer; or an
                      embedded ``jwk`` bound to the issuer (see below)
4. ``jwt_signature``  the signature, with a key whose type matches ``alg``
5. ``jwt_claims``     ``iss``/``jti``/``sub``/``nbf``/``exp`` agree with the credential

An embedded ``jwk`` only proves that *someone* holding that key signed. It is accepted as the
issuer's key when the issuer is the did:jwk of exactly that key, or when the issuer's
controller document (resolved like any other) lists a method with the same key (RFC 7638
thumbprint) under ``assertionMethod``. Otherwise the result is INVALID
(``jwt_jwk_not_authorized``), or INDETERMINATE when the issuer's document cannot be obtained.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from vcbadge._b64url import b64url_decode
from vcbadge._json import loads_strict
from vcbadge.errors import (
    ControllerMismatch,
    InputError,
    KeyFormatError,
    UnsupportedError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.proofs.jose import VC_JOSE_CTY, VC_JOSE_TYP
from vcbadge.proofs.jws import (
    CompactJws,
    VerifyingKey,
    check_header,
    jwk_thumbprint,
    parse_compact,
    public_key_from_jwk,
    public_key_from_method,
    verify_jws_signature,
)
from vcbadge.proofs.jwt import VC_JWT_TYP, claim_mismatches, credential_of
from vcbadge.vcdm import VC_V2, data_model_version, issuer_id
from vcbadge.verify.controller import find_authorized_method
from vcbadge.verify.frame import ASSERTION, Services
from vcbadge.verify.result import Check, Outcome

__all__ = ["JoseSecured", "verify_jose"]

_DID_JWK = "did:jwk:"


@dataclass(frozen=True, kw_only=True)
class JoseSecured:
    """What the JOSE adapter found: its checks, the credential (None when the token could not
    be read), where the credential sits in the token, and the envelope rules the format adds
    (a VC-JOSE-COSE payload must be a VC 2.0 credential)."""

    checks: tuple[Check, ...]
    credential: dict[str, Any] | None
    credential_path: str = ""
    envelope_checks: tuple[Check, ...] = ()


def verify_jose(received: str | bytes, services: Services) -> JoseSecured:
    """Check a compact JWS credential's securing; never raises for a bad token. The key must
    be the issuer's, authorized for ``assertionMethod``."""
    policy = services.policy
    try:
        jws = parse_compact(received, max_bytes=policy.max_bytes, max_depth=policy.max_depth)
    except VcbadgeError as error:
        return JoseSecured(checks=(Check.from_error("parse", error),), credential=None)
    checks = [Check.passed("parse", "compact JWS with a JSON header and payload")]
    try:
        credential, credential_path, profile = _credential_and_profile(jws)
    except VcbadgeError as error:
        checks.append(Check.from_error("jwt_header", error))
        return JoseSecured(checks=tuple(checks), credential=None)
    header_checks = list(_header(jws, profile, services))
    checks.extend(header_checks)
    if all(check.outcome is Outcome.VALID for check in header_checks):
        alg = str(jws.header["alg"])
        key_check, key = _key(jws, credential, services)
        checks.append(key_check)
        if key is not None:
            checks.append(_signature(jws, alg, key))
        checks.extend(_claims(jws.payload, credential, required=profile == "vc-jwt"))
    envelope_checks: tuple[Check, ...] = ()
    if profile == "vc-jose-cose" and data_model_version(credential) not in (None, "2.0"):
        envelope_checks = (
            Check.invalid(
                "envelope",
                code="jose_requires_vc2",
                message=f"a VC-JOSE-COSE payload must be a VC Data Model 2.0 credential ({VC_V2})",
                path="/@context/0",
            ),
        )
    return JoseSecured(
        checks=tuple(checks),
        credential=credential,
        credential_path=credential_path,
        envelope_checks=envelope_checks,
    )


def _credential_and_profile(jws: CompactJws) -> tuple[dict[str, Any], str, str]:
    payload = jws.payload
    if "vc" in payload:
        return credential_of(payload), "/payload/vc", "vc-jwt"
    if "@context" in payload:
        return payload, "/payload", "vc-jose-cose"
    raise InputError(
        "the payload is neither an OB 3.0 VC-JWT (no 'vc' claim) nor a VC-JOSE-COSE "
        "credential (no '@context')",
        code="jwt_malformed",
        path="/payload",
    )


def _header(jws: CompactJws, profile: str, services: Services) -> Iterator[Check]:
    try:
        alg = check_header(jws.header, services.policy.allowed_jwt_algorithms)
    except VcbadgeError as error:
        yield Check.from_error("jwt_header", error)
        return
    # The media types each profile allows: (header member, expected, as the profile names it).
    expected = (
        [("typ", VC_JWT_TYP.lower(), "a VC-JWT (with a 'vc' claim) has typ 'JWT'")]
        if profile == "vc-jwt"
        else [
            ("typ", VC_JOSE_TYP, "a VC-JOSE-COSE credential has typ 'vc+jwt'"),
            ("cty", VC_JOSE_CTY, "a VC-JOSE-COSE credential has cty 'vc'"),
        ]
    )
    for member, media_type, rule in expected:
        given = jws.header.get(member)
        if given is not None and _media_type(given) != media_type:
            yield Check.invalid(
                "jwt_header",
                code="jwt_typ_mismatch",
                message=f"{rule}, not {given!r}",
                path=f"/header/{member}",
            )
            return
    yield Check.passed("jwt_header", f"{profile} header, alg {alg} allowed", "/header")


def _media_type(value: Any) -> Any:
    # RFC 7515 section 4.1.9: media types compare case-insensitively, "application/" optional.
    return value.lower().removeprefix("application/") if isinstance(value, str) else value


def _key(
    jws: CompactJws, credential: Mapping[str, Any], services: Services
) -> tuple[Check, VerifyingKey | None]:
    issuer = issuer_id(credential)
    kid, jwk = jws.header.get("kid"), jws.header.get("jwk")
    try:
        if isinstance(kid, str):
            key, message = _key_from_kid(kid, issuer, services)
            if isinstance(jwk, Mapping) and jwk_thumbprint(jwk) != _thumbprint_of(key):
                raise VerificationError(
                    "the 'jwk' header is not the key 'kid' names",
                    code="jwt_key_mismatch",
                    path="/header/jwk",
                )
        elif isinstance(jwk, Mapping):
            key, message = _key_from_jwk(jwk, issuer, services)
        else:
            raise VerificationError(
                "the header names no key: OB 3.0 requires 'kid' or 'jwk'",
                code="jwt_key_missing",
                path="/header",
            )
    except VcbadgeError as error:
        return Check.from_error("jwt_key", error), None
    except Exception as error:
        # Not an expected failure: vcbadge could not decide, so never VALID.
        return Check.indeterminate(
            "jwt_key",
            code="internal_error",
            message=f"{type(error).__name__}: {error}",
            path="/header",
        ), None
    return Check.passed("jwt_key", message, "/header"), key


def _key_from_kid(kid: str, issuer_id: str | None, services: Services) -> tuple[VerifyingKey, str]:
    path = "/header/kid"
    if kid.startswith("#") and issuer_id is not None:
        method_id = issuer_id + kid
    elif ":" in kid:
        method_id = kid
    else:
        # VC-JOSE-COSE allows any string (often a JWK thumbprint) with out-of-band key
        # discovery: the key may be fine, vcbadge just cannot find it.
        raise UnsupportedError(
            f"kid {kid!r} is not a DID URL or URL, so vcbadge cannot find the key "
            "(a bare thumbprint or name needs out-of-band key discovery)",
            code="jwt_kid_not_url",
            path=path,
        )
    authorized = find_authorized_method(method_id, ASSERTION.name, services.resolver, path=path)
    if (
        authorized.controller != issuer_id
        and not services.policy.unsafe_skip_issuer_controller_check
    ):
        raise ControllerMismatch(
            f"the key is controlled by {authorized.controller}, not by the issuer {issuer_id}",
            path=path,
        )
    key = public_key_from_method(authorized.method, path=path)
    return key, f"{method_id} is authorized by {authorized.controller} for {ASSERTION.name}"


def _key_from_jwk(
    jwk: Mapping[str, Any], issuer_id: str | None, services: Services
) -> tuple[VerifyingKey, str]:
    path = "/header/jwk"
    key = public_key_from_jwk(jwk, path=path)
    thumbprint = jwk_thumbprint(jwk)
    if issuer_id is not None and issuer_id.startswith(_DID_JWK):
        if _did_jwk_thumbprint(issuer_id) == thumbprint:
            return key, "the embedded jwk is the issuer's did:jwk key"
        raise ControllerMismatch(
            f"the embedded jwk is not the key of the issuer {issuer_id}", path=path
        )
    if services.policy.unsafe_skip_issuer_controller_check:
        return key, "the embedded jwk is used without binding it to the issuer (unsafe policy)"
    if not isinstance(issuer_id, str) or ":" not in issuer_id:
        raise VerificationError(
            "the credential has no issuer id to bind the embedded jwk to",
            code="jwt_jwk_not_authorized",
            path=path,
        )
    # The issuer's own controller document must list this key for the purpose.
    try:
        document = services.resolver.resolve(issuer_id)
    except VcbadgeError as error:
        raise error.at(path) from error
    for method_id in _listed_methods(document, ASSERTION.name, issuer_id):
        try:
            authorized = find_authorized_method(
                method_id, ASSERTION.name, services.resolver, path=path
            )
            listed = public_key_from_method(authorized.method, path=path)
        except (VerificationError, KeyFormatError):
            continue
        if authorized.controller == issuer_id and _thumbprint_of(listed) == thumbprint:
            return key, f"the embedded jwk is {method_id}, authorized by the issuer"
    raise VerificationError(
        f"the embedded jwk is not among the keys {issuer_id} authorizes for "
        f"{ASSERTION.name}; an embedded key proves nothing about who the issuer is",
        code="jwt_jwk_not_authorized",
        path=path,
    )


def _signature(jws: CompactJws, alg: str, key: VerifyingKey) -> Check:
    try:
        verify_jws_signature(jws, alg, key)
    except VcbadgeError as error:
        return Check.from_error("jwt_signature", error)
    return Check.passed("jwt_signature", f"{alg} signature verifies", "/signature")


def _claims(
    payload: Mapping[str, Any], credential: Mapping[str, Any], *, required: bool
) -> Iterator[Check]:
    errors = claim_mismatches(payload, credential, required=required)
    for error in errors:
        yield Check.from_error("jwt_claims", error)
    if not errors:
        yield Check.passed("jwt_claims", "the JWT claims agree with the credential", "/payload")


def _listed_methods(document: Mapping[str, Any], purpose: str, document_id: str) -> list[str]:
    entries = document.get(purpose)
    if isinstance(entries, (str, Mapping)):
        entries = [entries]
    found: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        reference = entry.get("id") if isinstance(entry, Mapping) else entry
        if isinstance(reference, str):
            found.append(document_id + reference if reference.startswith("#") else reference)
    return found


def _did_jwk_thumbprint(did: str) -> str | None:
    encoded = did[len(_DID_JWK) :].split("#", 1)[0]
    try:
        jwk = loads_strict(b64url_decode(encoded), max_bytes=16 * 1024, max_depth=4)
        return jwk_thumbprint(jwk) if isinstance(jwk, Mapping) else None
    except (ValueError, VcbadgeError):
        return None


def _thumbprint_of(key: VerifyingKey) -> str:
    return jwk_thumbprint(key.to_jwk())
