"""Verifying a credential secured as a compact JWS: VC-JWT (OB 3.0) or VC-JOSE-COSE.

Steps, each a named check (paths point into ``{"header": ..., "payload": ..., "signature"}``):

1. ``parse``          three base64url segments, strict JSON header and payload
2. ``jwt_header``     ``alg`` against the policy (before any key is touched), ``crit``, ``typ``
3. ``jwt_key``        the key: ``kid`` resolved through the injected resolver and authorized by
                      its controller for ``assertionMethod``, controller == issuer; or an
                      embedded ``jwk`` bound to the issuer (see below)
4. ``jwt_signature``  the signature, with a key whose type matches ``alg``
5. ``jwt_claims``     ``iss``/``jti``/``sub``/``nbf``/``exp`` agree with the credential
6. then the credential itself goes through the ordinary steps of
   :mod:`vcbadge.verify.pipeline` (envelope, contexts, schema, any Data Integrity proofs it also
   carries, validity, status, issuer trust, nested credentials), with
   paths under ``/payload/vc`` (VC-JWT) or ``/payload`` (VC-JOSE-COSE).

An embedded ``jwk`` only proves that *someone* holding that key signed. It is accepted as the
issuer's key when the issuer is the did:jwk of exactly that key, or when the issuer's
controller document (resolved like any other) lists a method with the same key (RFC 7638
thumbprint) under ``assertionMethod``. Otherwise the result is INVALID
(``jwt_jwk_not_authorized``), or INDETERMINATE when the issuer's document cannot be obtained.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
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
from vcbadge.proofs.jose import (
    VC_JOSE_CTY,
    VC_JOSE_TYP,
    is_enveloped_credential,
    token_of_enveloped,
)
from vcbadge.proofs.jws import (
    CompactJws,
    VerifyingKey,
    check_header,
    jwk_thumbprint,
    looks_like_compact_jws,
    parse_compact,
    public_key_from_jwk,
    public_key_from_method,
    verify_jws_signature,
)
from vcbadge.proofs.jwt import VC_JWT_TYP, claim_mismatches, credential_of
from vcbadge.vcdm import VC_V2
from vcbadge.verify.controller import find_authorized_method
from vcbadge.verify.pipeline import (
    PipelineContext,
    _from_error,
    contexts,
    envelope,
    issuer_trust,
    nested,
    parse,
    proofs,
    run_pipeline,
    schema,
    status,
    validity,
)
from vcbadge.verify.result import Check, Outcome

__all__ = ["prefixed", "run_credential", "run_jwt_pipeline"]

_DID_JWK = "did:jwk:"


def run_credential(received: Any, ctx: PipelineContext) -> tuple[list[Check], Any]:
    """Verify any form of credential: a compact JWS (by its shape), an
    ``EnvelopedVerifiableCredential`` (its ``data:`` URL holds the JWS; paths under ``/id``),
    or a Data Integrity credential (:func:`vcbadge.verify.pipeline.run_pipeline`)."""
    if looks_like_compact_jws(received):
        return run_jwt_pipeline(received, ctx)
    parsed_check, document = parse(received, ctx.policy)
    if document is None or not is_enveloped_credential(document):
        return run_pipeline(document if document is not None else received, ctx)
    try:
        token = token_of_enveloped(document)
    except VcbadgeError as error:
        return [parsed_check, _from_error("parse", error)], document
    checks, credential = run_jwt_pipeline(token, ctx)
    return [parsed_check, *prefixed(checks, "/id")], credential


def run_jwt_pipeline(received: str | bytes, ctx: PipelineContext) -> tuple[list[Check], Any]:
    """Verify a compact JWS credential; returns the checks and the embedded credential."""
    try:
        jws = parse_compact(
            received, max_bytes=ctx.policy.max_bytes, max_depth=ctx.policy.max_depth
        )
    except VcbadgeError as error:
        return [_from_error("parse", error)], None
    checks = [_valid("parse", "compact JWS with a JSON header and payload")]
    try:
        credential, credential_path, profile = _credential_and_profile(jws)
    except VcbadgeError as error:
        checks.append(_from_error("jwt_header", error))
        return checks, None
    header_checks = list(_header(jws, profile, ctx))
    checks.extend(header_checks)
    if all(check.outcome is Outcome.VALID for check in header_checks):
        alg = str(jws.header["alg"])
        key_check, key = _key(jws, credential, ctx)
        checks.append(key_check)
        if key is not None:
            checks.append(_signature(jws, alg, key))
        checks.extend(_claims(jws.payload, credential, required=profile == "vc-jwt"))
    checks.extend(prefixed(_credential_steps(credential, profile, ctx), credential_path))
    return checks, credential


def prefixed(checks: Iterable[Check], prefix: str) -> Iterator[Check]:
    """``checks`` with ``prefix`` (a JSON pointer) put before their paths."""
    for check in checks:
        yield Check(check.name, check.outcome, check.code, check.message, prefix + check.path)


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


def _header(jws: CompactJws, profile: str, ctx: PipelineContext) -> Iterator[Check]:
    try:
        alg = check_header(jws.header, ctx.policy.allowed_jwt_algorithms)
    except VcbadgeError as error:
        yield _from_error("jwt_header", error)
        return
    typ, cty = jws.header.get("typ"), jws.header.get("cty")
    # RFC 7515 section 4.1.9: media types compare case-insensitively, "application/" optional.
    typ_name = typ.lower().removeprefix("application/") if isinstance(typ, str) else typ
    if profile == "vc-jwt":
        if typ is not None and typ_name != VC_JWT_TYP.lower():
            yield _invalid(
                "jwt_header",
                "jwt_typ_mismatch",
                f"a VC-JWT (with a 'vc' claim) has typ 'JWT', not {typ!r}",
                "/header/typ",
            )
            return
    else:
        if typ is not None and typ_name != VC_JOSE_TYP:
            yield _invalid(
                "jwt_header",
                "jwt_typ_mismatch",
                f"a VC-JOSE-COSE credential has typ 'vc+jwt', not {typ!r}",
                "/header/typ",
            )
            return
        cty_name = cty.lower().removeprefix("application/") if isinstance(cty, str) else cty
        if cty is not None and cty_name != VC_JOSE_CTY:
            yield _invalid(
                "jwt_header",
                "jwt_typ_mismatch",
                f"a VC-JOSE-COSE credential has cty 'vc', not {cty!r}",
                "/header/cty",
            )
            return
    yield _valid("jwt_header", f"{profile} header, alg {alg} allowed", "/header")


def _key(
    jws: CompactJws, credential: Mapping[str, Any], ctx: PipelineContext
) -> tuple[Check, VerifyingKey | None]:
    issuer_id = _issuer_id(credential)
    kid, jwk = jws.header.get("kid"), jws.header.get("jwk")
    try:
        if isinstance(kid, str):
            key, message = _key_from_kid(kid, issuer_id, ctx)
            if isinstance(jwk, Mapping) and jwk_thumbprint(jwk) != _thumbprint_of(key):
                raise VerificationError(
                    "the 'jwk' header is not the key 'kid' names",
                    code="jwt_key_mismatch",
                    path="/header/jwk",
                )
        elif isinstance(jwk, Mapping):
            key, message = _key_from_jwk(jwk, issuer_id, ctx)
        else:
            raise VerificationError(
                "the header names no key: OB 3.0 requires 'kid' or 'jwk'",
                code="jwt_key_missing",
                path="/header",
            )
    except VcbadgeError as error:
        return _from_error("jwt_key", error), None
    except Exception as error:
        # Not an expected failure: vcbadge could not decide, so never VALID.
        return Check(
            "jwt_key",
            Outcome.INDETERMINATE,
            "internal_error",
            f"{type(error).__name__}: {error}",
            "/header",
        ), None
    return _valid("jwt_key", message, "/header"), key


def _key_from_kid(
    kid: str, issuer_id: str | None, ctx: PipelineContext
) -> tuple[VerifyingKey, str]:
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
    authorized = find_authorized_method(method_id, ctx.proof_purpose, ctx.resolver, path=path)
    if authorized.controller != issuer_id and not ctx.policy.unsafe_skip_issuer_controller_check:
        raise ControllerMismatch(
            f"the key is controlled by {authorized.controller}, not by the issuer {issuer_id}",
            path=path,
        )
    key = public_key_from_method(authorized.method, path=path)
    return key, f"{method_id} is authorized by {authorized.controller} for {ctx.proof_purpose}"


def _key_from_jwk(
    jwk: Mapping[str, Any], issuer_id: str | None, ctx: PipelineContext
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
    if ctx.policy.unsafe_skip_issuer_controller_check:
        return key, "the embedded jwk is used without binding it to the issuer (unsafe policy)"
    if not isinstance(issuer_id, str) or ":" not in issuer_id:
        raise VerificationError(
            "the credential has no issuer id to bind the embedded jwk to",
            code="jwt_jwk_not_authorized",
            path=path,
        )
    # The issuer's own controller document must list this key for the purpose.
    try:
        document = ctx.resolver.resolve(issuer_id)
    except VcbadgeError as error:
        error.path = error.path or path
        raise
    for method_id in _listed_methods(document, ctx.proof_purpose, issuer_id):
        try:
            authorized = find_authorized_method(
                method_id, ctx.proof_purpose, ctx.resolver, path=path
            )
            listed = public_key_from_method(authorized.method, path=path)
        except (VerificationError, KeyFormatError):
            continue
        if authorized.controller == issuer_id and _thumbprint_of(listed) == thumbprint:
            return key, f"the embedded jwk is {method_id}, authorized by the issuer"
    raise VerificationError(
        f"the embedded jwk is not among the keys {issuer_id} authorizes for "
        f"{ctx.proof_purpose}; an embedded key proves nothing about who the issuer is",
        code="jwt_jwk_not_authorized",
        path=path,
    )


def _signature(jws: CompactJws, alg: str, key: VerifyingKey) -> Check:
    try:
        verify_jws_signature(jws, alg, key)
    except VcbadgeError as error:
        return _from_error("jwt_signature", error)
    return _valid("jwt_signature", f"{alg} signature verifies", "/signature")


def _claims(
    payload: Mapping[str, Any], credential: Mapping[str, Any], *, required: bool
) -> Iterator[Check]:
    errors = claim_mismatches(payload, credential, required=required)
    for error in errors:
        yield _from_error("jwt_claims", error)
    if not errors:
        yield _valid("jwt_claims", "the JWT claims agree with the credential", "/payload")


def _credential_steps(
    credential: Mapping[str, Any], profile: str, ctx: PipelineContext
) -> Iterator[Check]:
    envelope_checks = list(envelope(credential))
    yield from envelope_checks
    if any(check.outcome is Outcome.INVALID for check in envelope_checks):
        return
    first = credential.get("@context")
    first = first[0] if isinstance(first, list) and first else first
    if profile == "vc-jose-cose" and first != VC_V2:
        yield _invalid(
            "envelope",
            "jose_requires_vc2",
            f"a VC-JOSE-COSE payload must be a VC Data Model 2.0 credential ({VC_V2})",
            "/@context/0",
        )
        return
    yield from contexts(credential, ctx)
    yield from schema(credential, ctx)
    if "proof" in credential:
        # Every proof present must verify, even inside a JWT.
        yield from proofs(credential, ctx)
    yield from validity(credential, ctx)
    yield from status(credential, ctx)
    yield from issuer_trust(credential, ctx.policy)
    yield from nested(credential, ctx)


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


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    value = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    return value if isinstance(value, str) else None


def _valid(name: str, message: str, path: str = "") -> Check:
    return Check(name, Outcome.VALID, "ok", message, path)


def _invalid(name: str, code: str, message: str, path: str) -> Check:
    return Check(name, Outcome.INVALID, code, message, path)
