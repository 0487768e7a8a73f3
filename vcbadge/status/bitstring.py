"""Status list bitstrings: GZIP + base64url (multibase ``u``) encoding, safe decoding, lookup.

Pure functions over bytes (no I/O). Bit 0 is the most significant bit of the first byte. A
``BitstringStatusList`` value carries the multibase prefix ``u``; a ``StatusList2021`` value is
the same base64url text without it. Decoding never trusts the compressed size: the GZIP stream
is inflated incrementally and refused as soon as it would exceed ``max_bytes`` (a decompression
bomb), and a stream that ends early or carries trailing data is refused too.

Codes (``InputError.code``): ``status_list_encoding`` (not base64url, not GZIP, bad prefix),
``status_list_truncated`` (the GZIP stream ends early or its checksum fails),
``limit_exceeded`` (more than ``max_bytes`` once inflated), ``status_list_too_short`` (less
than the specification's 16 KB minimum), ``status_index_out_of_range``.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from dataclasses import dataclass

from vcbadge.errors import InputError, LimitExceeded

__all__ = [
    "DEFAULT_MAX_DECOMPRESSED_BYTES",
    "MIN_LIST_BITS",
    "Bitstring",
    "decode_status_list",
    "encode_status_list",
]

#: The specification's minimum length: 16 KB, i.e. 131,072 entries of one bit (herd privacy).
MIN_LIST_BITS = 131072

#: Default cap on an inflated list: 16 MiB is 134 million one-bit entries, far beyond any
#: deployed list, and small enough that a hostile list cannot exhaust memory.
DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024

_BASE64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Bitstring:
    """An uncompressed status list. ``value(index, size)`` reads entry ``index`` of ``size``
    bits (big-endian within the entry)."""

    data: bytes

    @property
    def length_bits(self) -> int:
        return len(self.data) * 8

    def value(self, index: int, size: int = 1, *, path: str = "") -> int:
        """The status value of entry ``index`` (``size`` bits wide).

        Raises ``InputError`` (``status_index_out_of_range``) when the entry is not inside the
        list.
        """
        if size < 1:
            raise ValueError("size must be at least 1")
        first = index * size
        if index < 0 or first + size > self.length_bits:
            raise InputError(
                f"status index {index} (size {size}) is outside the list of "
                f"{self.length_bits // size} entries",
                code="status_index_out_of_range",
                path=path,
            )
        result = 0
        for bit in range(first, first + size):
            byte = self.data[bit // 8]
            result = (result << 1) | ((byte >> (7 - bit % 8)) & 1)
        return result

    def set_bits(self) -> list[int]:
        """Indexes of every bit that is 1 (for one-bit entries: the entries with status set)."""
        found: list[int] = []
        for position, byte in enumerate(self.data):
            if byte:
                found.extend(position * 8 + bit for bit in range(8) if byte & (0x80 >> bit))
        return found

    @classmethod
    def from_indexes(cls, indexes: set[int] | list[int], *, length_bits: int) -> Bitstring:
        """A list of ``length_bits`` bits with exactly the given one-bit entries set."""
        if length_bits % 8:
            raise ValueError("length_bits must be a multiple of 8")
        data = bytearray(length_bits // 8)
        for index in indexes:
            if not 0 <= index < length_bits:
                raise ValueError(f"index {index} is outside a list of {length_bits} bits")
            data[index // 8] |= 0x80 >> (index % 8)
        return cls(bytes(data))


def encode_status_list(bitstring: Bitstring | bytes, *, multibase: bool = True) -> str:
    """GZIP-compress and base64url-encode (no padding); with the multibase ``u`` prefix unless
    ``multibase`` is false (StatusList2021).

    The GZIP header carries no timestamp, so equal lists encode to equal text.
    """
    data = bitstring.data if isinstance(bitstring, Bitstring) else bytes(bitstring)
    compressed = gzip.compress(data, compresslevel=9, mtime=0)
    text = base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")
    return ("u" + text) if multibase else text


def decode_status_list(
    encoded: object,
    *,
    multibase: bool = True,
    max_bytes: int = DEFAULT_MAX_DECOMPRESSED_BYTES,
    min_bits: int = MIN_LIST_BITS,
    path: str = "",
) -> Bitstring:
    """Decode an ``encodedList`` value into its bitstring, refusing anything unsafe.

    ``multibase``: the value must start with ``u`` (BitstringStatusList); otherwise it must not
    carry a prefix (StatusList2021 is plain base64url). Raises ``InputError`` with the codes in
    the module docstring, or ``LimitExceeded`` beyond ``max_bytes``.
    """
    if not isinstance(encoded, str) or not encoded:
        raise InputError(
            "encodedList must be a non-empty string", code="status_list_encoding", path=path
        )
    text = encoded
    if multibase:
        if not text.startswith("u"):
            raise InputError(
                f"encodedList must be multibase base64url (prefix 'u'), not prefix {text[:1]!r}",
                code="status_list_encoding",
                path=path,
            )
        text = text[1:]
    if not _BASE64URL.match(text):
        raise InputError(
            "encodedList is not base64url text", code="status_list_encoding", path=path
        )
    try:
        compressed = base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InputError(
            "encodedList is not valid base64url", code="status_list_encoding", path=path
        ) from None
    data = _gunzip(compressed, max_bytes=max_bytes, path=path)
    bits = len(data) * 8
    if bits < min_bits:
        raise InputError(
            f"the status list has {bits} bits; the specification requires at least {min_bits}",
            code="status_list_too_short",
            path=path,
        )
    return Bitstring(data)


def _gunzip(compressed: bytes, *, max_bytes: int, path: str) -> bytes:
    if not compressed.startswith(b"\x1f\x8b"):
        raise InputError("encodedList is not GZIP data", code="status_list_encoding", path=path)
    # wbits 16+15: a GZIP wrapper, checked (CRC-32 and length) by zlib at the end of the stream.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = compressed
    try:
        while True:
            room = max_bytes - len(out)
            # Ask for one byte more than the room left, so that "exactly at the cap" and
            # "beyond it" can be told apart without ever holding more than cap + 1 bytes.
            chunk = inflater.decompress(pending, min(room + 1, _CHUNK))
            out.extend(chunk)
            if len(out) > max_bytes:
                raise LimitExceeded(
                    f"the status list inflates to more than {max_bytes} bytes "
                    "(decompression bomb?)",
                    path=path,
                )
            pending = inflater.unconsumed_tail
            if inflater.eof or (not pending and not chunk):
                break
    except zlib.error as exc:
        raise InputError(
            f"encodedList is not valid GZIP data: {exc}", code="status_list_encoding", path=path
        ) from None
    if not inflater.eof:
        raise InputError(
            "the GZIP stream of encodedList ends before its end marker (truncated)",
            code="status_list_truncated",
            path=path,
        )
    if inflater.unused_data:
        raise InputError(
            "encodedList has data after the end of its GZIP stream",
            code="status_list_encoding",
            path=path,
        )
    return bytes(out)
