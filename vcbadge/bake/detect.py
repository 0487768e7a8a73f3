"""What kind of badge image, and what kind of baked payload.

Pure functions over bytes and text: the CLI uses :func:`image_kind` to decide whether a file
is a credential or an image to unbake, and the bakers use :func:`payload_format` to tell a
JSON credential from a compact JWS (VC-JWT) and from an Open Badges 2.0 hosted-assertion URL.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "PNG_SIGNATURE",
    "ImageKind",
    "PayloadFormat",
    "image_kind",
    "is_compact_jws",
    "payload_format",
]

ImageKind = Literal["png", "svg"]
"""The two image formats Open Badges can be baked into."""

PayloadFormat = Literal["json", "jwt", "url"]
"""A baked payload: a JSON credential, a compact JWS (VC-JWT), or (OB 2.0 only) a URL."""

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

_UTF8_BOM = b"\xef\xbb\xbf"
# How far into a file an <svg> root may start: an XML declaration, comments and (refused later,
# but it must be recognised as an SVG to be refused as unsafe) a DOCTYPE with an entity bomb.
_SVG_SNIFF_BYTES = 64 * 1024
_SVG_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s/>]")
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_URL = re.compile(r"https?://\S+", re.IGNORECASE)


def image_kind(data: bytes) -> ImageKind | None:
    """``"png"`` for the PNG signature, ``"svg"`` for XML text with an ``<svg`` root near its
    start, else None (JSON, a JWT, anything else).

    This is a sniff, not a validation: the bakers still parse the whole image strictly.
    """
    if data.startswith(PNG_SIGNATURE):
        return "png"
    head = data[:_SVG_SNIFF_BYTES]
    if head.startswith(_UTF8_BOM):
        head = head[len(_UTF8_BOM) :]
    if head.lstrip().startswith(b"<") and _SVG_ROOT.search(head):
        return "svg"
    return None


def is_compact_jws(text: str) -> bool:
    """True for ``header.payload.signature`` in base64url (the signature may be empty)."""
    return _COMPACT_JWS.fullmatch(text) is not None


def payload_format(text: str) -> PayloadFormat | None:
    """``"json"`` (text starting with ``{``), ``"jwt"`` (a compact JWS), ``"url"`` (an
    http(s) URL, which only Open Badges 2.0 bakes), or None for anything else.

    Leading and trailing whitespace is ignored. The JSON is not parsed here: verification parses
    it strictly.
    """
    stripped = text.strip()
    if stripped.startswith("{"):
        return "json"
    if is_compact_jws(stripped):
        return "jwt"
    if _URL.fullmatch(stripped):
        return "url"
    return None
