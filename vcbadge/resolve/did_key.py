"""did:key resolution (offline and pure): the DID document is derived from the identifier.

Only Ed25519 did:key identifiers (``did:key:z6Mk…``) are supported so far, in the Multikey
form of the did:key specification. The X25519 ``keyAgreement`` key that the specification
can derive from an Ed25519 key is left out: vcbadge only verifies signatures, and the
derivation belongs to a later issue.
"""

from __future__ import annotations

from typing import Any

from multiformats import multicodec

from vcbadge.errors import DIDResolutionError, KeyFormatError, UnsupportedError
from vcbadge.keys.multikey import KNOWN_CODECS, decode_multikey, split_multikey

__all__ = ["DidKeyResolver", "resolve_did_key"]

_PREFIX = "did:key:"
_DID_CONTEXT = "https://www.w3.org/ns/did/v1"
_MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
_RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityDelegation",
    "capabilityInvocation",
)
_PRIVATE_CODES = {code for name, (code, _) in KNOWN_CODECS.items() if name.endswith("-priv")}


def resolve_did_key(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 did:key, built without any I/O.

    The document has one ``Multikey`` verification method, ``did#<multibase>``, referenced
    from ``authentication``, ``assertionMethod``, ``capabilityDelegation`` and
    ``capabilityInvocation``. No ``keyAgreement`` (X25519 derivation is not implemented yet).
    Each call returns a new dict.

    Raises:
        DIDResolutionError: ``invalid_did`` for a malformed did:key (including DID URLs with
            a path, query or fragment: pass the DID alone).
        UnsupportedError: ``unsupported_key_type`` for a well-formed did:key of another key
            type (P-256, secp256k1, X25519, ...).
    """
    if not isinstance(did, str) or not did.startswith(_PREFIX):
        raise DIDResolutionError(f"not a did:key: {did!r}", code="invalid_did")
    fingerprint = did[len(_PREFIX) :]
    if not fingerprint or any(c in fingerprint for c in "#?/:"):
        raise DIDResolutionError(f"malformed did:key identifier: {did[:80]!r}", code="invalid_did")
    try:
        code, _ = split_multikey(fingerprint)
    except KeyFormatError as exc:
        raise DIDResolutionError(f"malformed did:key: {exc.message}", code="invalid_did") from None
    if code in _PRIVATE_CODES:
        # Someone pasted a secret key into a DID; say so without repeating it.
        raise DIDResolutionError("did:key encodes a private key", code="invalid_did")
    if code != KNOWN_CODECS["ed25519-pub"][0]:
        codec = multicodec.get(code=code) if multicodec.exists(code=code) else None
        if codec is None or codec.tag != "key" or codec.name.endswith("-priv"):
            # Not a public key type at all: most likely a corrupted or truncated identifier
            # (base58 truncation changes the leading bytes), not a key type to add later.
            raise DIDResolutionError(
                f"malformed did:key: multicodec {codec.name if codec else hex(code)} "
                "is not a public key type",
                code="invalid_did",
            )
        name = codec.name
        raise UnsupportedError(
            f"did:key with key type {name} is not supported (only ed25519-pub)",
            code="unsupported_key_type",
        )
    try:
        decode_multikey(fingerprint, codec="ed25519-pub")
    except KeyFormatError as exc:
        raise DIDResolutionError(f"malformed did:key: {exc.message}", code="invalid_did") from None
    method_id = f"{did}#{fingerprint}"
    document: dict[str, Any] = {
        "@context": [_DID_CONTEXT, _MULTIKEY_CONTEXT],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": fingerprint,
            }
        ],
    }
    for relationship in _RELATIONSHIPS:
        document[relationship] = [method_id]
    return document


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
        if not isinstance(identifier, str) or not identifier.startswith(_PREFIX):
            shown = identifier[:80] if isinstance(identifier, str) else type(identifier).__name__
            raise UnsupportedError(
                f"DidKeyResolver resolves did:key only, not {shown!r}",
                code="unsupported_did_method",
            )
        did, _, _ = identifier.partition("#")
        return resolve_did_key(did)

    def __repr__(self) -> str:
        return "DidKeyResolver()"
