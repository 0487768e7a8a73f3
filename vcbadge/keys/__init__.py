"""Signing and verification keys: Ed25519, P-256 and P-384 with Multikey, JWK and did:key
encodings, key files; RSA (RS256) for VC-JWT."""

from __future__ import annotations

from vcbadge.keys.controller_document import controller_document
from vcbadge.keys.ec import EcKey
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.keys.keyfile import load_key, save_key
from vcbadge.keys.multikey import decode_multikey, encode_multikey
from vcbadge.keys.rsa import RsaKey

__all__ = [
    "EcKey",
    "Ed25519Key",
    "RsaKey",
    "controller_document",
    "decode_multikey",
    "encode_multikey",
    "load_key",
    "save_key",
]
