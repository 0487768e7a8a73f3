"""Baked image vectors: PNG badge images (base64 in ``input.image``) built here chunk by chunk,
carrying an Open Badges 3.0 credential in an ``iTXt`` chunk with keyword
``openbadgecredential``; ``vcbadge unbake`` must print the baked text, and a broken PNG must be
refused with its BakingError code."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any

from vcbadge.bake import unbake
from vcbadge.errors import BakingError

from .common import Case, Json, ed25519, issue, plain_case, unsigned
from .deflate import zlib_bytes

SPEC = "https://www.imsglobal.org/spec/ob/v3p0/#baking"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes, *, crc: int | None = None) -> bytes:
    checksum = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)


def credential_chunk(text: str, *, crc: int | None = None) -> bytes:
    # keyword, NUL, compression flag 0, compression method 0, empty language tag and
    # translated keyword (each NUL-terminated), then the UTF-8 text.
    return chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00" + text.encode(), crc=crc)


def png(*extra: bytes) -> bytes:
    """A 1x1 greyscale PNG with ``extra`` chunks between IHDR and IDAT."""
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = chunk(b"IDAT", zlib_bytes(b"\x00\xff"))  # filter 0, one white pixel
    return PNG_SIGNATURE + header + b"".join(extra) + pixels + chunk(b"IEND", b"")


def run(case_input: Any) -> Json:
    """What vcbadge answers for a bake case input (``image``: base64 of the image bytes)."""
    try:
        return {"output": unbake(base64.b64decode(case_input["image"]))}
    except BakingError as error:
        return {"error": {"code": error.code}}


def _case(name: str, description: str, image: bytes, expected: Json) -> tuple[str, Case]:
    case = plain_case(
        f"bake/{name}",
        description,
        SPEC,
        "bake",
        {"image": base64.b64encode(image).decode("ascii"), "operation": "unbake"},
        expected,
        check=run,
    )
    return f"bake/{name}.json", case


def cases() -> dict[str, Case]:
    credential = issue(ed25519(0x42), unsigned(71))
    text = json.dumps(credential, separators=(",", ":"), ensure_ascii=False)
    baked = png(credential_chunk(text))
    bad_crc = png(credential_chunk(text, crc=zlib.crc32(b"not the chunk")))
    return dict(
        [
            _case(
                "unbake-png",
                "A PNG carrying a signed OpenBadgeCredential (compact JSON) in an uncompressed "
                "iTXt chunk 'openbadgecredential': expected.output is the baked text, exactly "
                "(`vcbadge unbake` prints it followed by a newline). It verifies VALID.",
                baked,
                {"output": text},
            ),
            _case(
                "unbake-png-bad-crc",
                "The credential chunk's CRC does not match its bytes: png_bad_crc.",
                bad_crc,
                {"error": {"code": "png_bad_crc"}},
            ),
            _case(
                "unbake-png-truncated",
                "The same image cut off in the middle of the credential chunk: png_truncated.",
                baked[: len(PNG_SIGNATURE) + 25 + 200],
                {"error": {"code": "png_truncated"}},
            ),
            _case(
                "unbake-png-no-credential",
                "A PNG with no credential chunk: no_credential.",
                png(),
                {"error": {"code": "no_credential"}},
            ),
        ]
    )
