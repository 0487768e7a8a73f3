"""Baking credentials into PNG images and reading them back (pure bytes, no I/O).

Open Badges 3.0 (section "Baked Badge", PNG): the credential is the text of an ``iTXt`` chunk
with the keyword ``openbadgecredential``, uncompressed, and such a chunk appears at most once.
Open Badges 2.0 used the keyword ``openbadges`` (in ``iTXt`` or ``tEXt``); those images are read
and reported as OB 2.0, never baked.

The whole datastream is checked before anything is trusted: the signature, every chunk's length
against the limits, every CRC, ``IHDR`` first and ``IEND`` last with nothing after it. Baking
copies every other chunk byte for byte and inserts the new chunk just before ``IEND``.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from vcbadge.bake._common import (
    BadgeVersion,
    BakedCredential,
    BakeInput,
    BakeLimits,
    encode_payload,
)
from vcbadge.bake.detect import PNG_SIGNATURE, payload_format
from vcbadge.errors import BakingError

__all__ = ["OB2_KEYWORD", "OB3_KEYWORD", "Chunk", "bake_png", "extract_png", "read_chunks"]

OB3_KEYWORD = b"openbadgecredential"
OB2_KEYWORD = b"openbadges"
_VERSIONS: dict[bytes, BadgeVersion] = {OB3_KEYWORD: "3.0", OB2_KEYWORD: "2.0"}
_TEXT_CHUNKS = (b"iTXt", b"tEXt", b"zTXt")
_MAX_CHUNK_LENGTH = 2**31 - 1  # PNG: "a 4-byte unsigned integer ... limited to 2^31-1"
_HEADER = struct.Struct(">I4s")


@dataclass(frozen=True)
class Chunk:
    """One PNG chunk: its type, data, and where its bytes (length to CRC) sit in the file."""

    type: bytes
    data: bytes
    start: int
    end: int

    @property
    def name(self) -> str:
        return self.type.decode("ascii")


def read_chunks(png: bytes, limits: BakeLimits | None = None) -> list[Chunk]:
    """Every chunk of a PNG datastream, from ``IHDR`` to ``IEND``, after checking it all.

    Raises:
        BakingError: ``not_an_image`` (no PNG signature), ``too_large``, ``png_truncated``,
            ``png_chunk_too_large``, ``png_too_many_chunks``, ``png_bad_crc`` or
            ``png_malformed`` (bad chunk type, ``IHDR`` not first, data after ``IEND``).
    """
    limits = limits or BakeLimits()
    limits.check_image_size(png, "PNG")
    if not png.startswith(PNG_SIGNATURE):
        if PNG_SIGNATURE.startswith(png[:8]) and png:
            raise BakingError("the PNG ends inside its signature", code="png_truncated")
        raise BakingError("not a PNG image (no PNG signature)", code="not_an_image")
    chunks: list[Chunk] = []
    position = len(PNG_SIGNATURE)
    while True:
        if len(chunks) >= limits.max_chunks:
            raise BakingError(
                f"the PNG has more than {limits.max_chunks} chunks", code="png_too_many_chunks"
            )
        chunk = _read_chunk(png, position, limits)
        if not chunks and chunk.type != b"IHDR":
            raise BakingError(
                f"the first PNG chunk is {chunk.name}, not IHDR", code="png_malformed"
            )
        chunks.append(chunk)
        position = chunk.end
        if chunk.type == b"IEND":
            break
    if position != len(png):
        raise BakingError(
            f"{len(png) - position} bytes follow the IEND chunk at byte {position}",
            code="png_malformed",
        )
    return chunks


def _read_chunk(png: bytes, start: int, limits: BakeLimits) -> Chunk:
    if start + _HEADER.size > len(png):
        raise BakingError(
            f"the PNG ends at byte {len(png)} without an IEND chunk", code="png_truncated"
        )
    length, kind = _HEADER.unpack_from(png, start)
    if not kind.isascii() or not kind.isalpha():
        raise BakingError(f"invalid PNG chunk type {kind!r} at byte {start}", code="png_malformed")
    name = kind.decode("ascii")
    if length > _MAX_CHUNK_LENGTH:
        raise BakingError(
            f"PNG chunk {name} at byte {start} declares {length} bytes, over the PNG maximum "
            f"of 2^31-1",
            code="png_malformed",
        )
    if length > limits.max_chunk_bytes:
        raise BakingError(
            f"PNG chunk {name} at byte {start} declares {length} bytes, over the limit of "
            f"{limits.max_chunk_bytes}",
            code="png_chunk_too_large",
        )
    data_start = start + _HEADER.size
    end = data_start + length + 4
    if end > len(png):
        raise BakingError(
            f"the PNG ends at byte {len(png)} inside chunk {name} (which needs {end} bytes)",
            code="png_truncated",
        )
    data = png[data_start : data_start + length]
    (stored_crc,) = struct.unpack_from(">I", png, data_start + length)
    if zlib.crc32(data, zlib.crc32(kind)) != stored_crc:
        raise BakingError(
            f"PNG chunk {name} at byte {start} has a wrong CRC (the file is corrupt)",
            code="png_bad_crc",
        )
    return Chunk(kind, data, start, end)


def _chunk_bytes(kind: bytes, data: bytes) -> bytes:
    return (
        _HEADER.pack(len(data), kind) + data + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind)))
    )


def _keyword(chunk: Chunk) -> bytes | None:
    if chunk.type not in _TEXT_CHUNKS:
        return None
    keyword, separator, _ = chunk.data.partition(b"\x00")
    return keyword if separator else None


@dataclass(frozen=True)
class _Found:
    chunk: Chunk
    version: BadgeVersion
    keyword: bytes


def _credential_chunks(chunks: list[Chunk]) -> list[_Found]:
    found = []
    for chunk in chunks:
        keyword = _keyword(chunk)
        if keyword in _VERSIONS:
            assert keyword is not None
            found.append(_Found(chunk, _VERSIONS[keyword], keyword))
    return found


def _text_of(found: _Found) -> str:
    chunk, keyword = found.chunk, found.keyword.decode("latin-1")
    where = f"PNG {chunk.name} chunk '{keyword}' at byte {chunk.start}"
    rest = chunk.data[len(found.keyword) + 1 :]
    if chunk.type == b"zTXt":
        raise BakingError(
            f"the {where} is compressed; a baked badge must not be", code="compressed_credential"
        )
    if chunk.type == b"tEXt":
        return rest.decode("latin-1")
    # iTXt: compression flag, compression method, language tag\0, translated keyword\0, text.
    if len(rest) < 2:
        raise BakingError(f"the {where} is cut short", code="png_malformed")
    if rest[0] != 0:
        raise BakingError(
            f"the {where} is compressed; a baked badge must not be", code="compressed_credential"
        )
    parts = rest[2:].split(b"\x00", 2)
    if len(parts) != 3:
        raise BakingError(
            f"the {where} lacks its language tag or translated keyword", code="png_malformed"
        )
    try:
        return parts[2].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BakingError(
            f"the text of the {where} is not UTF-8: {exc.reason}", code="invalid_payload"
        ) from None


def extract_png(png: bytes, limits: BakeLimits | None = None) -> BakedCredential:
    """The credential baked into a PNG (Open Badges 3.0, or an Open Badges 2.0 assertion).

    An OB 3.0 chunk wins over an OB 2.0 one in the same image (an issuer may keep the old
    assertion for old displayers); two chunks of the same version are refused.

    Raises:
        BakingError: any :func:`read_chunks` code; ``no_credential``; ``multiple_credentials``;
            ``compressed_credential``; ``invalid_payload`` (not UTF-8, or neither JSON, a
            compact JWS nor, for OB 2.0, a URL).
    """
    limits = limits or BakeLimits()
    found = _credential_chunks(read_chunks(png, limits))
    if not found:
        raise BakingError(
            "this PNG carries no baked credential (no 'openbadgecredential' or 'openbadges' "
            "text chunk)",
            code="no_credential",
        )
    for version in ("3.0", "2.0"):
        of_version = [item for item in found if item.version == version]
        if len(of_version) > 1:
            places = ", ".join(
                f"{item.chunk.name} at byte {item.chunk.start}" for item in of_version
            )
            raise BakingError(
                f"this PNG carries {len(of_version)} '{of_version[0].keyword.decode()}' chunks "
                f"({places}); a baked badge has exactly one",
                code="multiple_credentials",
            )
        if of_version:
            return _result(of_version[0], limits)
    raise AssertionError("unreachable: found is not empty")  # pragma: no cover


def _result(found: _Found, limits: BakeLimits) -> BakedCredential:
    text = _text_of(found)
    limits.check_payload_size(len(text.encode("utf-8", "surrogatepass")))
    payload = text.strip()
    shape = payload_format(payload)
    location = f"a PNG {found.chunk.name} chunk '{found.keyword.decode()}'"
    if shape is None or (shape == "url" and found.version == "3.0"):
        allowed = "JSON or a compact JWS" + (" or a URL" if found.version == "2.0" else "")
        raise BakingError(f"the text of {location} is not {allowed}", code="invalid_payload")
    return BakedCredential(payload, found.version, shape, "png", location)


def bake_png(
    png: bytes, credential: BakeInput, *, replace: bool = False, limits: BakeLimits | None = None
) -> bytes:
    """Bake an Open Badges 3.0 credential into a PNG.

    ``credential`` is the credential as a mapping (written as compact JSON), JSON text, or a
    compact JWS (VC-JWT). It becomes an uncompressed ``iTXt`` chunk ``openbadgecredential``
    (empty language tag and translated keyword) just before ``IEND``; every other chunk is
    copied byte for byte.

    A PNG that already carries a credential (OB 3.0 or OB 2.0) is refused unless ``replace``
    is true, in which case the old chunks are dropped.

    Raises:
        BakingError: any :func:`read_chunks` code, ``already_baked``, ``invalid_payload``,
            ``too_large``.
    """
    limits = limits or BakeLimits()
    chunks = read_chunks(png, limits)
    text, _ = encode_payload(credential, limits)
    existing = _credential_chunks(chunks)
    if existing and not replace:
        first = existing[0]
        raise BakingError(
            f"this PNG already carries an Open Badges {first.version} credential "
            f"({first.chunk.name} chunk '{first.keyword.decode()}'); pass replace=True "
            "to replace it",
            code="already_baked",
        )
    dropped = {id(item.chunk) for item in existing}
    new_chunk = _chunk_bytes(b"iTXt", OB3_KEYWORD + b"\x00\x00\x00\x00\x00" + text.encode("utf-8"))
    pieces = [PNG_SIGNATURE]
    for chunk in chunks:
        if chunk.type == b"IEND":
            pieces.append(new_chunk)
        if id(chunk) not in dropped:
            pieces.append(png[chunk.start : chunk.end])
    baked = b"".join(pieces)
    limits.check_image_size(baked, "baked PNG")
    return baked
