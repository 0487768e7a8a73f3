"""did:key resolution (offline and pure): the DID document is derived from the identifier.

Supported key types, in the Multikey form of the did:key specification:

- ``ed25519-pub`` (``did:key:z6Mk…``): the key signs (authentication, assertionMethod,
  capabilityInvocation, capabilityDelegation), and the X25519 key derived from it
  (``z6LS…``, RFC 7748 birational map) is listed under ``keyAgreement``;
- ``p256-pub`` (``zDn…``) and ``p384-pub`` (``z82…``), compressed points: the key is listed
  under every relationship, key agreement included (ECDH on the same curve), as the did:key
  test vectors do;
- ``x25519-pub`` (``z6LS…``): key agreement only.

Other well-formed key types (secp256k1, BLS12-381, RSA) are ``unsupported_key_type``.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from multiformats import multicodec

from vcbadge.errors import DIDResolutionError, KeyFormatError, UnsupportedError
from vcbadge.keys.ed25519 import check_ed25519_public_key
from vcbadge.keys.multikey import KNOWN_CODECS, decode_multikey, encode_multikey, split_multikey
from vcbadge.resolve.did_url import did_of_method

__all__ = ["DidKeyResolver", "ed25519_to_x25519", "resolve_did_key"]

_PREFIX = "did:key:"
_DID_CONTEXT = "https://www.w3.org/ns/did/v1"
_MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
_SIGNING = (
    "authentication",
    "assertionMethod",
    "capabilityDelegation",
    "capabilityInvocation",
)
_PRIVATE_CODES = {code for name, (code, _) in KNOWN_CODECS.items() if name.endswith("-priv")}
_CURVES: dict[str, ec.EllipticCurve] = {"p256-pub": ec.SECP256R1(), "p384-pub": ec.SECP384R1()}
_SUPPORTED = ("ed25519-pub", "p256-pub", "p384-pub", "x25519-pub")

# Curve25519 field prime, for the Edwards -> Montgomery map.
_P = 2**255 - 19


def ed25519_to_x25519(public_key: bytes) -> bytes:
    """The X25519 public key (Montgomery ``u``) of an Ed25519 public key (Edwards ``y``).

    ``u = (1 + y) / (1 - y) mod p`` (RFC 7748, section 4.1), as libsodium's
    ``crypto_sign_ed25519_pk_to_curve25519`` computes it.

    Raises:
        KeyFormatError: the key is not 32 bytes, ``y`` is not reduced, or ``y = 1`` (the
            neutral point, which has no X25519 counterpart).
    """
    if len(public_key) != 32:
        raise KeyFormatError("an Ed25519 public key must be 32 bytes")
    y = int.from_bytes(public_key, "little") & ((1 << 255) - 1)
    if y >= _P or y == 1:
        raise KeyFormatError("not an Ed25519 public key usable for X25519 derivation")
    u = (1 + y) * pow(1 - y, -1, _P) % _P
    return u.to_bytes(32, "little")


def resolve_did_key(did: str) -> dict[str, Any]:
    """The DID document of a did:key, built without any I/O (a new dict on every call).

    Raises:
        DIDResolutionError: ``invalid_did`` for a malformed did:key (including DID URLs with
            a path, query or fragment: pass the DID alone, or use :class:`DidKeyResolver`),
            a private key in the identifier, or a public key that is not a valid point
            (or, for Ed25519, not canonically encoded).
        KeyFormatError: ``weak_key`` for an Ed25519 key of small order (with it a signature
            can verify for any message).
        UnsupportedError: ``unsupported_key_type`` for a well-formed did:key of a key type
            vcbadge does not resolve (secp256k1, BLS12-381, RSA, ...).
    """
    if not isinstance(did, str) or not did.startswith(_PREFIX):
        raise DIDResolutionError(f"not a did:key: {did!r}", code="invalid_did")
    fingerprint = did[len(_PREFIX) :]
    if not fingerprint or any(c in fingerprint for c in "#?/:"):
        raise DIDResolutionError(f"malformed did:key identifier: {did[:80]!r}", code="invalid_did")
    codec, agreement = _checked_key(fingerprint)
    method_id = f"{did}#{fingerprint}"
    methods = [_multikey(method_id, did, fingerprint)]
    document: dict[str, Any] = {
        "@context": [_DID_CONTEXT, _MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": methods,
    }
    if codec == "x25519-pub":
        document["keyAgreement"] = [method_id]
        return document
    for relationship in _SIGNING:
        document[relationship] = [method_id]
    if agreement is not None:
        agreement_id = f"{did}#{agreement}"
        methods.append(_multikey(agreement_id, did, agreement))
        document["keyAgreement"] = [agreement_id]
    else:
        document["keyAgreement"] = [method_id]
    return document


def _codec_of(fingerprint: str) -> str:
    """The supported codec name of a did:key fingerprint, or the reason it is refused."""
    try:
        code, _ = split_multikey(fingerprint)
    except KeyFormatError as exc:
        raise DIDResolutionError(f"malformed did:key: {exc.message}", code="invalid_did") from None
    if code in _PRIVATE_CODES:
        # Someone pasted a secret key into a DID; say so without repeating it.
        raise DIDResolutionError("did:key encodes a private key", code="invalid_did")
    for name in _SUPPORTED:
        if KNOWN_CODECS[name][0] == code:
            return name
    codec = multicodec.get(code=code) if multicodec.exists(code=code) else None
    if codec is None or codec.tag != "key" or codec.name.endswith("-priv"):
        # Not a public key type at all: most likely a corrupted or truncated identifier
        # (base58 truncation changes the leading bytes), not a key type to add later.
        raise DIDResolutionError(
            f"malformed did:key: multicodec {codec.name if codec else hex(code)} "
            "is not a public key type",
            code="invalid_did",
        )
    raise UnsupportedError(
        f"did:key with key type {codec.name} is not supported (supported: {', '.join(_SUPPORTED)})",
        code="unsupported_key_type",
    )


def _multikey(method_id: str, controller: str, public_key_multibase: str) -> dict[str, Any]:
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_multibase,
    }


@functools.lru_cache(maxsize=1024)
def _checked_key(fingerprint: str) -> tuple[str, str | None]:
    """The codec of a did:key fingerprint, and for Ed25519 the Multikey of its X25519
    key-agreement key, once the key is checked (on the curve, canonical, not of small order).

    A pure function of the fingerprint, cached: a verifier meets the same few issuer keys
    again and again, and the checks and the X25519 derivation are most of the cost of
    resolving one. Refusals raise, and exceptions are never cached.
    """
    codec = _codec_of(fingerprint)
    try:
        _, raw = decode_multikey(fingerprint, codec=codec)
        if codec in _CURVES:
            # Multikey carries the compressed point; refuse one that is not on the curve.
            ec.EllipticCurvePublicKey.from_encoded_point(_CURVES[codec], raw)
        if codec == "ed25519-pub":
            check_ed25519_public_key(raw)
    except (KeyFormatError, ValueError) as exc:
        if isinstance(exc, KeyFormatError) and exc.code == "weak_key":
            raise  # the identifier is well-formed; the key itself must never be used
        reason = exc.message if isinstance(exc, KeyFormatError) else f"invalid {codec} point"
        raise DIDResolutionError(f"malformed did:key: {reason}", code="invalid_did") from None

    if codec != "ed25519-pub":
        return codec, None
    try:
        return codec, encode_multikey("x25519-pub", ed25519_to_x25519(raw))
    except KeyFormatError as exc:
        raise DIDResolutionError(f"malformed did:key: {exc.message}", code="invalid_did") from None


class DidKeyResolver:
    """A :class:`vcbadge.protocols.Resolver` for did:key, offline.

    ``resolve`` accepts a DID or a DID URL with a fragment (the fragment is ignored; pick the
    verification method from the returned document).
    """

    def resolve(self, identifier: str) -> dict[str, Any]:
        """The DID document for ``identifier``.

        Raises:
            UnsupportedError: ``unsupported_did_method`` for anything but did:key, and
                ``unsupported_key_type`` as in :func:`resolve_did_key`.
            DIDResolutionError: ``invalid_did`` for a malformed did:key.
        """
        did = did_of_method(identifier, _PREFIX, "DidKeyResolver")
        return resolve_did_key(did)

    def __repr__(self) -> str:
        return "DidKeyResolver()"
