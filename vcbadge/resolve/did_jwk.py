"""did:jwk resolution (offline and pure): the identifier is a base64url-encoded public JWK.

The document follows the did:jwk specification: one ``JsonWebKey2020`` verification method
``did:jwk:…#0`` whose ``publicKeyJwk`` is the decoded key, listed under the signing
relationships (authentication, assertionMethod, capabilityInvocation, capabilityDelegation)
unless the JWK says ``"use": "enc"``, and under ``keyAgreement`` unless it says ``"use": "sig"``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, x25519

from vcbadge._b64url import b64url_decode
from vcbadge._json import loads_strict
from vcbadge.errors import DIDResolutionError, InputError, KeyFormatError, UnsupportedError
from vcbadge.keys.ed25519 import check_ed25519_public_key
from vcbadge.keys.public_keys import private_jwk_members
from vcbadge.resolve.did_url import did_of_method

__all__ = ["DidJwkResolver", "decode_did_jwk", "resolve_did_jwk"]

_PREFIX = "did:jwk:"
_DID_CONTEXT = "https://www.w3.org/ns/did/v1"
_JWS_2020_CONTEXT = "https://w3id.org/security/suites/jws-2020/v1"
_SIGNING = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")
# A public JWK is small; an RSA-4096 key is under 1 KiB of JSON.
_MAX_IDENTIFIER = 4096
_REQUIRED = {"EC": ("crv", "x", "y"), "OKP": ("crv", "x"), "RSA": ("n", "e")}
_EC_CURVES: dict[str, tuple[ec.EllipticCurve, int]] = {
    "P-256": (ec.SECP256R1(), 32),
    "P-384": (ec.SECP384R1(), 48),
    "P-521": (ec.SECP521R1(), 66),
}


def _invalid(did: str, reason: str) -> NoReturn:
    raise DIDResolutionError(f"malformed did:jwk {did[:60]!r}…: {reason}", code="invalid_did")


def decode_did_jwk(did: str) -> dict[str, Any]:
    """The public JWK a did:jwk encodes, checked.

    Raises:
        DIDResolutionError: ``invalid_did`` when the identifier is not canonical base64url of a
            strict JSON object, is a private or symmetric key, lacks the members its ``kty``
            requires, or (for P-256/P-384/P-521, Ed25519, X25519) is not a valid public key.
        UnsupportedError: ``unsupported_key_type`` for a ``kty`` other than EC, OKP or RSA.
        KeyFormatError: ``weak_key`` for an Ed25519 key of small order (with it a signature
            can verify for any message); a non-canonical Ed25519 key is ``invalid_did``.
    """
    if not isinstance(did, str) or not did.startswith(_PREFIX):
        raise DIDResolutionError(f"not a did:jwk: {did!r}", code="invalid_did")
    encoded = did[len(_PREFIX) :]
    if len(encoded) > _MAX_IDENTIFIER:
        _invalid(did, f"longer than {_MAX_IDENTIFIER} characters")
    try:
        raw = b64url_decode(encoded)
    except ValueError as exc:
        _invalid(did, str(exc))
    try:
        jwk = loads_strict(raw, max_bytes=_MAX_IDENTIFIER, max_depth=4)
    except InputError as exc:
        _invalid(did, f"the decoded JWK is not strict JSON ({exc.message})")
    if not isinstance(jwk, dict):
        _invalid(did, "the decoded JWK is not a JSON object")
    # A DID is public: one that carries a private (or symmetric) key must never resolve.
    present = private_jwk_members(jwk)
    if present:
        _invalid(did, f"it encodes a private or symmetric key (member {present[0]!r})")
    kty = jwk.get("kty")
    if kty not in _REQUIRED:
        if isinstance(kty, str):
            raise UnsupportedError(
                f"did:jwk with kty {kty!r} is not supported (EC, OKP, RSA)",
                code="unsupported_key_type",
            )
        _invalid(did, "the JWK has no 'kty' string")
    for member in _REQUIRED[kty]:
        if not isinstance(jwk.get(member), str):
            _invalid(did, f"a {kty} JWK needs a string {member!r}")
    if "use" in jwk and jwk["use"] not in ("sig", "enc"):
        _invalid(did, "'use' must be 'sig' or 'enc'")
    try:
        _check_public_key(jwk)
    except ValueError as exc:
        if isinstance(exc, KeyFormatError) and exc.code == "weak_key":
            raise  # the identifier is well-formed; the key itself must never be used
        _invalid(did, f"not a valid public key: {exc}")
    return jwk


def _check_public_key(jwk: dict[str, Any]) -> None:
    """Decode the key material of curves vcbadge knows; raise ValueError when it is invalid."""
    kty, crv = jwk["kty"], jwk.get("crv")
    if kty == "EC" and crv in _EC_CURVES:
        curve, size = _EC_CURVES[crv]
        x, y = _key_material(jwk, "x"), _key_material(jwk, "y")
        if len(x) != size or len(y) != size:
            raise ValueError(f"{crv} coordinates must be {size} bytes")
        ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), curve
        ).public_key()
    elif kty == "OKP" and crv == "Ed25519":
        raw = _key_material(jwk, "x")
        ed25519.Ed25519PublicKey.from_public_bytes(raw)
        check_ed25519_public_key(raw)
    elif kty == "OKP" and crv == "X25519":
        x25519.X25519PublicKey.from_public_bytes(_key_material(jwk, "x"))
    else:
        for member in _REQUIRED[kty]:
            if member != "crv":
                _key_material(jwk, member)


def _key_material(jwk: dict[str, Any], member: str) -> bytes:
    """The bytes of a key member: canonical unpadded base64url of at least one byte."""
    raw = b64url_decode(jwk[member])
    if not raw:
        raise ValueError(f"{member} is empty")
    return raw


def resolve_did_jwk(did: str) -> dict[str, Any]:
    """The DID document of a did:jwk (a new dict on every call); errors as
    :func:`decode_did_jwk`."""
    jwk = decode_did_jwk(did)
    method_id = f"{did}#0"
    document: dict[str, Any] = {
        "@context": [_DID_CONTEXT, _JWS_2020_CONTEXT],
        "id": did,
        "verificationMethod": [
            {"id": method_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
        ],
    }
    use = jwk.get("use")
    if use != "enc":
        for relationship in _SIGNING:
            document[relationship] = [method_id]
    if use != "sig":
        document["keyAgreement"] = [method_id]
    return document


class DidJwkResolver:
    """A :class:`vcbadge.protocols.Resolver` for did:jwk, offline. A ``#fragment`` is ignored."""

    def resolve(self, identifier: str) -> dict[str, Any]:
        """The DID document for ``identifier``; errors as :func:`decode_did_jwk`, and
        ``unsupported_did_method`` for anything but did:jwk."""
        did = did_of_method(identifier, _PREFIX, "DidJwkResolver")
        return resolve_did_jwk(did)

    def __repr__(self) -> str:
        return "DidJwkResolver()"
