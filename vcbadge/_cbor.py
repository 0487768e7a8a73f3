"""A strict CBOR (RFC 8949) subset: exactly what ecdsa-sd-2023 ``proofValue`` uses.

Decoded: unsigned integers, byte strings, UTF-8 text strings, arrays and maps, each with a
definite length, every length and integer in its shortest form (RFC 8949 section 4.2.1,
"preferred serialization"), and map keys unique. Refused: negative integers, tags (the
three-byte proof headers are compared as bytes by the caller, before decoding), floats,
``true``/``false``/``null`` and other simple values, indefinite lengths, trailing bytes,
nesting deeper than ``max_depth``. One byte string never decodes to two values.

Every item takes at least one byte of input, so a declared count larger than what is left is
refused before anything is allocated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["CborError", "CborValue", "decode_cbor", "encode_cbor"]

CborValue = int | bytes | str | list["CborValue"] | dict[int, "CborValue"]
"""What :func:`decode_cbor` returns and :func:`encode_cbor` takes (map keys: unsigned ints)."""

_UNSIGNED, _BYTES, _TEXT, _ARRAY, _MAP = 0, 2, 3, 4, 5
_MAX_DEPTH = 4


class CborError(ValueError):
    """Input that is not CBOR of the accepted subset (a ``ValueError``, for callers that
    translate decoding failures into their own errors)."""


def decode_cbor(data: bytes, *, max_depth: int = _MAX_DEPTH) -> CborValue:
    """The one value ``data`` encodes; ``CborError`` for anything outside the subset."""
    if not isinstance(data, (bytes, bytearray)):
        raise CborError("CBOR input must be bytes")
    reader = _Reader(bytes(data))
    value = reader.item(max_depth)
    if reader.offset != len(reader.data):
        raise CborError(f"{len(reader.data) - reader.offset} bytes follow the CBOR value")
    return value


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def take(self, count: int) -> bytes:
        end = self.offset + count
        if end > len(self.data):
            raise CborError(f"CBOR input ends early (needs {count} bytes at {self.offset})")
        chunk = self.data[self.offset : end]
        self.offset = end
        return chunk

    def head(self) -> tuple[int, int]:
        (initial,) = self.take(1)
        major, info = initial >> 5, initial & 0x1F
        if info < 24:
            return major, info
        if info > 27:
            # 28-30 are reserved; 31 is an indefinite length (or "break"): neither is accepted.
            raise CborError(f"CBOR additional information {info} is not accepted")
        size = 1 << (info - 24)
        argument = int.from_bytes(self.take(size), "big")
        smallest = 24 if size == 1 else 1 << (8 * (size // 2))
        if argument < smallest:
            raise CborError("CBOR argument not in its shortest form")
        return major, argument

    def item(self, depth: int) -> CborValue:
        major, argument = self.head()
        if major == _UNSIGNED:
            return argument
        if major in (_BYTES, _TEXT):
            raw = self.take(argument)
            if major == _BYTES:
                return raw
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CborError(f"CBOR text string is not UTF-8: {exc}") from None
        if major in (_ARRAY, _MAP):
            if depth <= 0:
                raise CborError("CBOR value nests too deeply")
            per_entry = 1 if major == _ARRAY else 2
            if argument * per_entry > len(self.data) - self.offset:
                raise CborError(f"CBOR container declares {argument} entries; the input is shorter")
            if major == _ARRAY:
                return [self.item(depth - 1) for _ in range(argument)]
            entries: dict[int, CborValue] = {}
            for _ in range(argument):
                key = self.item(0)
                if not isinstance(key, int):
                    raise CborError("CBOR map keys must be unsigned integers")
                if key in entries:
                    raise CborError(f"CBOR map key {key} appears twice")
                entries[key] = self.item(depth - 1)
            return entries
        raise CborError(f"CBOR major type {major} is not accepted")


def encode_cbor(value: CborValue) -> bytes:
    """The preferred serialization of ``value`` (map entries in the order given)."""
    out = bytearray()
    _encode_into(value, out)
    return bytes(out)


def _head(major: int, argument: int, out: bytearray) -> None:
    if argument < 0:
        raise CborError("only unsigned integers are encoded")
    if argument < 24:
        out.append(major << 5 | argument)
        return
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            out.append(major << 5 | info)
            out += argument.to_bytes(size, "big")
            return
    raise CborError("integer too large for CBOR")


def _encode_into(value: CborValue, out: bytearray) -> None:
    if isinstance(value, bool):
        raise CborError("booleans are not part of the accepted subset")
    if isinstance(value, int):
        _head(_UNSIGNED, value, out)
    elif isinstance(value, (bytes, bytearray)):
        _head(_BYTES, len(value), out)
        out += value
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _head(_TEXT, len(raw), out)
        out += raw
    elif isinstance(value, Mapping):
        _head(_MAP, len(value), out)
        for key, item in value.items():
            if not isinstance(key, int) or isinstance(key, bool):
                raise CborError("map keys must be unsigned integers")
            _head(_UNSIGNED, key, out)
            _encode_into(item, out)
    elif isinstance(value, Sequence):
        _head(_ARRAY, len(value), out)
        for item in value:
            _encode_into(item, out)
    else:
        raise CborError(f"{type(value).__name__} is not part of the accepted subset")
