"""Strict base64url (RFC 4648 section 5, no padding) as JOSE uses it (RFC 7515 section 2).

The standard library decoder skips characters outside the alphabet and ignores non-zero
trailing bits, so two different strings can decode to the same bytes. JOSE input is untrusted:
only the canonical unpadded encoding of some byte string is accepted.
"""

from __future__ import annotations

import base64
import binascii
import re

__all__ = ["b64url_decode", "b64url_encode"]

_ALPHABET_RE = re.compile(r"[A-Za-z0-9_-]*")


def b64url_encode(raw: bytes) -> str:
    """Unpadded base64url text of ``raw``."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(value: str) -> bytes:
    """The bytes of canonical unpadded base64url ``value``.

    Raises:
        ValueError: characters outside the alphabet, padding, an impossible length, or
            non-canonical trailing bits.
    """
    if not isinstance(value, str) or not _ALPHABET_RE.fullmatch(value):
        raise ValueError("not unpadded base64url")
    if len(value) % 4 == 1:
        raise ValueError("impossible base64url length")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"not valid base64url: {exc}") from None
    if b64url_encode(raw) != value:
        raise ValueError("not canonical base64url (non-zero trailing bits)")
    return raw
