"""The controller document an issuer publishes for its keys (at its HTTPS URL or as did.json)."""

from __future__ import annotations

from typing import Any

from vcbadge.keys.ec import EcKey
from vcbadge.keys.ed25519 import Ed25519Key

__all__ = ["controller_document"]

DID_CONTEXT = "https://www.w3.org/ns/did/v1"
MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"


def controller_document(
    *keys: Ed25519Key | EcKey, purposes: tuple[str, ...] = ("assertionMethod",)
) -> dict[str, Any]:
    """A controller document listing ``keys`` as Multikey methods, authorized for ``purposes``.

    Every key must have the same controller, which becomes the document ``id``. Verifiers accept
    a credential proof only from a key listed under ``assertionMethod``.
    """
    if not keys:
        raise ValueError("a controller document needs at least one key")
    controllers = {key.controller for key in keys}
    if len(controllers) != 1:
        raise ValueError(f"keys have different controllers: {sorted(controllers)}")
    document: dict[str, Any] = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": keys[0].controller,
        "verificationMethod": [key.to_multikey_document() for key in keys],
    }
    for purpose in purposes:
        document[purpose] = [key.verification_method for key in keys]
    return document
