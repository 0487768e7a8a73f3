"""Multikey encoding: multibase base58btc (``z``) over a multicodec varint prefix and raw key.

This is the ``publicKeyMultibase`` / ``secretKeyMultibase`` form of the W3C Controlled
Identifiers "Multikey" type, and the method-specific identifier of did:key.
"""

from __future__ import annotations

from multiformats import multicodec

from vcbadge._multibase import (
    decode_base58btc_multibase,
    encode_base58btc_multibase,
    varint_decode,
    varint_encode,
)
from vcbadge.errors import KeyFormatError

__all__ = ["KNOWN_CODECS", "decode_multikey", "encode_multikey"]

KNOWN_CODECS: dict[str, tuple[int, int]] = {
    "ed25519-pub": (0xED, 32),
    # The W3C eddsa vectors encode the 32-byte RFC 8032 seed, not the 64-byte expanded key.
    "ed25519-priv": (0x1300, 32),
    "x25519-pub": (0xEC, 32),
    # Multikey requires the compressed SEC1 point for the NIST curves.
    "p256-pub": (0x1200, 33),
    "p384-pub": (0x1201, 49),
    "p256-priv": (0x1306, 32),
    "p384-priv": (0x1307, 48),
}
"""Codec name -> (multicodec code, raw key length in bytes) that vcbadge encodes and decodes."""

_BY_CODE = {code: (name, length) for name, (code, length) in KNOWN_CODECS.items()}

# Longer than any key vcbadge handles (an RSA-4096 multikey is ~750 characters); base58
# decoding is quadratic, so refuse silly input before doing the work.
_MAX_MULTIKEY_CHARS = 2048


def encode_multikey(codec: str, raw: bytes) -> str:
    """Encode ``raw`` key bytes as a base58btc multibase string with the ``codec`` prefix.

    >>> encode_multikey("ed25519-pub", bytes(32))[:4]
    'z6Mk'

    Raises:
        KeyFormatError: ``key_format`` for an unknown codec or a key of the wrong length.
    """
    if codec not in KNOWN_CODECS:
        raise KeyFormatError(f"unknown multikey codec {codec!r}")
    code, length = KNOWN_CODECS[codec]
    if len(raw) != length:
        raise KeyFormatError(f"{codec} key must be {length} bytes, got {len(raw)}")
    return encode_base58btc_multibase(varint_encode(code) + bytes(raw))


def split_multikey(value: str) -> tuple[int, bytes]:
    """Decode a base58btc multibase value into (multicodec code, remaining bytes), unchecked.

    Lower level than :func:`decode_multikey`: the code may be any multicodec, known or not,
    and the key length is not checked. did:key resolution uses it to tell an unsupported key
    type from a malformed identifier.

    Raises:
        KeyFormatError: ``key_format`` when ``value`` is not base58btc or lacks a varint prefix.
    """
    if not isinstance(value, str):
        raise KeyFormatError(f"multikey value must be a string, not {type(value).__name__}")
    if not value.startswith("z"):
        raise KeyFormatError(
            f"multikey value must be multibase base58btc (start with 'z'), got {_preview(value)}"
        )
    if len(value) > _MAX_MULTIKEY_CHARS:
        raise KeyFormatError(f"multikey value is longer than {_MAX_MULTIKEY_CHARS} characters")
    try:
        data = decode_base58btc_multibase(value)
        code, prefix_length = varint_decode(data)
    except ValueError as exc:
        raise KeyFormatError(f"multikey value is not valid base58btc multicodec: {exc}") from None
    return code, data[prefix_length:]


def decode_multikey(value: str, *, codec: str | None = None) -> tuple[str, bytes]:
    """Decode a multikey string into ``(codec name, raw key bytes)``.

    Recognises the codecs in :data:`KNOWN_CODECS` (``ed25519-pub``, ``ed25519-priv``,
    ``x25519-pub``, ``p256-pub``, ``p384-pub`` and the P-256/P-384 secret keys). With
    ``codec``, anything else is refused too.

    Raises:
        KeyFormatError: ``key_format`` when ``value`` is not base58btc, has an unknown or
            unexpected multicodec prefix, or the key has the wrong length.
    """
    code, raw = split_multikey(value)
    if code not in _BY_CODE:
        known = multicodec.get(code=code).name if multicodec.exists(code=code) else hex(code)
        raise KeyFormatError(f"unsupported multikey type {known}")
    name, length = _BY_CODE[code]
    if codec is not None and name != codec:
        raise KeyFormatError(f"expected a {codec} multikey, got {name}")
    if len(raw) != length:
        raise KeyFormatError(f"{name} key must be {length} bytes, got {len(raw)}")
    return name, raw


def _preview(value: str) -> str:
    # The value may be a secret key: never echo more than its multibase prefix character.
    return f"value starting {value[:1]!r}" if value else "empty value"
