"""Signing and verification keys: Ed25519 with Multikey, JWK and did:key encodings, key files."""

from __future__ import annotations

from vcbadge.keys.controller_document import controller_document
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.keys.keyfile import load_key, save_key
from vcbadge.keys.multikey import decode_multikey, encode_multikey

__all__ = [
    "Ed25519Key",
    "controller_document",
    "decode_multikey",
    "encode_multikey",
    "load_key",
    "save_key",
]
