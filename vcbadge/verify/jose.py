"""The JOSE securing mechanisms: a credential secured as a compact JWS, VC-JWT (OB 3.0) or
VC-JOSE-COSE. This adapter checks what the JWS itself secures and returns the credential inside
it; the credential then goes through the same credential checks as any other
(:func:`vcbadge.verify.dispatch.credential_checks`), with paths under ``/payload`` (OB 3.0
VC-JWT, VC-JOSE-COSE) or ``/payload/vc`` (VC 1.1 VC-JWT). The encodings and the data model
each one is defined for are :class:`vcbadge.proofs.jwt.JwtEncoding`; a credential of the other
data model gets an ``envelope`` check that is INVALID.

Checks (paths point into ``{"header": ..., "payload": ..., "signature"}``):

1. ``parse``          three base64url segments, strict JSON header and payload, size caps
2. ``jwt_header``     which encoding the payload uses; ``alg`` against the policy (before any
                      key is touched), ``crit``, ``typ`` and ``cty`` as the encoding requires
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
    KeyFormatError,
    UnsupportedError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.proofs.jose import VC_JOSE_CTY
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
from vcbadge.proofs.jwt import (
    JwtEncoding,
    claim_mismatches,
    credential_of,
    data_model_mismatch,
    encoding_of,
    media_type,
)
from vcbadge.vcdm import issuer_id
from vcbadge.verify.controller import find_authorized_method
from vcbadge.verify.frame import ASSERTION, Services
from vcbadge.verify.result import Check, Outcome

__all__ = ["JoseSecured", "verify_jose"]

_DID_JWK = "did:jwk:"


@dataclass(frozen=True, kw_only=True)
class JoseSecured:
    """What the JOSE adapter found: its checks, the credential (None when the token could not
    be read), where the credential sits in the token, and the envelope rules the encoding adds
    (the data model version it is defined for)."""

    checks: tuple[Check, ...]
    credential: dict[str, Any] | None
    credential_path: str = ""
    envelope_checks: tuple[Check, ...] = ()


def verify_jose(received: str | bytes, services: Services) -> JoseSecured:
    """Check a compact JWS credential's securing; never raises for a bad token. The key must
    be the issuer's, authorized for ``assertionMethod``."""
    policy = services.policy
    try:
        jws = parse_compact(
            received,
            max_bytes=policy.max_bytes,
            max_depth=policy.max_depth,
            max_header_bytes=policy.max_jwt_header_bytes,
            max_header_members=policy.max_jwt_header_members,
            max_payload_bytes=policy.max_jwt_payload_bytes,
        )
    except VcbadgeError as error:
        return JoseSecured(checks=(Check.from_error("parse", error),), credential=None)
    checks = [Check.passed("parse", "compact JWS with a JSON header and payload")]
    try:
        encoding = encoding_of(jws.header, jws.payload)
        credential = credential_of(jws.payload, encoding)
    except VcbadgeError as error:
        checks.append(Check.from_error("jwt_header", error))
        return JoseSecured(checks=tuple(checks), credential=None)
    header_checks = list(_header(jws, encoding, services))
    checks.extend(header_checks)
    if all(check.outcome is Outcome.VALID for check in header_checks):
        alg = str(jws.header["alg"])
        key_check, key = _key(jws, credential, services)
        checks.append(key_check)
        if key is not None:
            checks.append(_signature(jws, alg, key))
        checks.extend(_claims(jws.payload, credential, required=encoding.claims_required))
    mismatch = data_model_mismatch(encoding, credential)
    return JoseSecured(
        checks=tuple(checks),
        credential=credential,
        credential_path=encoding.credential_path,
        envelope_checks=() if mismatch is None else (Check.from_error("envelope", mismatch),),
    )


def _header(jws: CompactJws, encoding: JwtEncoding, services: Services) -> Iterator[Check]:
    try:
        alg = check_header(jws.header, services.policy.allowed_jwt_algorithms)
    except VcbadgeError as error:
        yield Check.from_error("jwt_header", error)
        return
    # The media types each encoding allows: (header member, expected, what the rule is).
    expected = [("typ", encoding.typ, f"the typ of {encoding.value} is {encoding.typ!r}")]
    if encoding is JwtEncoding.VC_JOSE_COSE:
        expected.append(("cty", VC_JOSE_CTY, f"the cty of {encoding.value} is {VC_JOSE_CTY!r}"))
    for member, required, rule in expected:
        given = jws.header.get(member)
        if given is not None and media_type(given) != media_type(required):
            yield Check.invalid(
                "jwt_header",
                code="jwt_typ_mismatch",
                message=f"{rule}, not {given!r}",
                path=f"/header/{member}",
            )
            return
    yield Check.passed("jwt_header", f"{encoding.value} header, alg {alg} allowed", "/header")


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
