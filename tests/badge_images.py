"""Test helpers for badge images (importable from any test: tests/ is on pythonpath).

PNGs are written here with zlib and struct, independently of the code under test, so a bug in
``vcbadge.bake.png`` cannot hide in a helper that shares it.
"""

from __future__ import annotations

import base64
import json
import socket
import struct
import zlib
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from vcbadge import Achievement, AchievementCredential, Criteria, FixedClock, Issuer, Profile
from vcbadge.keys import Ed25519Key

SIGNATURE = b"\x89PNG\r\n\x1a\n"
SEED = bytes(range(1, 33))
ISSUED_AT = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
SVG_NS = "http://www.w3.org/2000/svg"


def chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with a correct CRC."""
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}  # grey, RGB, grey+alpha, RGBA (bit depth 8)


def make_png(
    width: int = 3,
    height: int = 2,
    *,
    color_type: int = 2,
    pixels: bytes | None = None,
    before_idat: Iterable[bytes] = (),
    after_idat: Iterable[bytes] = (),
    idat_pieces: int = 1,
) -> bytes:
    """A valid 8-bit PNG; ``pixels`` are raw samples row by row (default: a gradient).

    ``before_idat``/``after_idat`` are complete chunks (see :func:`chunk`) placed around the
    image data, which is split into ``idat_pieces`` IDAT chunks.
    """
    row_bytes = width * CHANNELS[color_type]
    if pixels is None:
        pixels = bytes((index * 37) % 256 for index in range(row_bytes * height))
    assert len(pixels) == row_bytes * height
    raw = b"".join(
        b"\x00" + pixels[row * row_bytes : (row + 1) * row_bytes] for row in range(height)
    )
    compressed = zlib.compress(raw)
    size = max(1, -(-len(compressed) // idat_pieces))
    idats = [chunk(b"IDAT", compressed[i : i + size]) for i in range(0, len(compressed), size)]
    header = struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)
    return (
        SIGNATURE
        + chunk(b"IHDR", header)
        + b"".join(before_idat)
        + b"".join(idats)
        + b"".join(after_idat)
        + chunk(b"IEND", b"")
    )


def split_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """``(type, whole chunk bytes)`` for every chunk, parsed independently of vcbadge."""
    assert png.startswith(SIGNATURE)
    found, position = [], len(SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        end = position + 12 + length
        found.append((png[position + 4 : position + 8], png[position:end]))
        position = end
    return found


def itxt(keyword: bytes, text: str, *, compressed: bool = False) -> bytes:
    """An iTXt chunk (uncompressed unless asked)."""
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body)
    flag = b"\x01" if compressed else b"\x00"
    return chunk(b"iTXt", keyword + b"\x00" + flag + b"\x00" + b"\x00" + b"\x00" + body)


def make_svg(body: str = '<circle cx="4" cy="4" r="3" fill="#b00"/>', **attributes: str) -> bytes:
    """A small SVG document (UTF-8, with an XML declaration)."""
    extra = "".join(f' {name}="{value}"' for name, value in attributes.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="{SVG_NS}" viewBox="0 0 8 8" width="64" height="64"{extra}>\n'
        f"  <!-- a badge -->\n  {body}\n</svg>\n"
    ).encode()


def issuer_key() -> Ed25519Key:
    return Ed25519Key.from_seed(SEED)


def achievement(**overrides: Any) -> Achievement:
    fields: dict[str, Any] = {
        "id": "https://badges.example.edu/achievements/py101",
        "name": "Python 101",
        "description": "Wrote and tested a small Python program.",
        "criteria": Criteria(narrative="Pass the final project."),
    }
    fields.update(overrides)
    return Achievement(**fields)


def signed_credential(**overrides: Any) -> dict[str, Any]:
    """A signed OpenBadgeCredential (did:key issuer, fixed time, deterministic)."""
    key = issuer_key()
    issuer = Issuer(
        Profile(id=key.did, name="Example University"), key=key, clock=FixedClock(ISSUED_AT)
    )
    draft = AchievementCredential.award(
        achievement(**overrides),
        recipient="did:example:ada",
        id="urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e01",
    )
    return issuer.issue(draft)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def compact_jws(payload: dict[str, Any]) -> str:
    """A compact JWS (EdDSA) over ``payload``: for baking, any compact JWS will do."""
    key = Ed25519PrivateKey.from_private_bytes(SEED)
    header = _b64url(json.dumps({"alg": "EdDSA", "typ": "vc+jwt"}).encode())
    body = _b64url(json.dumps(payload, separators=(",", ":")).encode())
    signature = _b64url(key.sign(f"{header}.{body}".encode("ascii")))
    return f"{header}.{body}.{signature}"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a socket fails the test (baking and display are offline)."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network use attempted: socket{args!r}")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
