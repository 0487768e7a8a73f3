"""base58btc, its multibase form (prefix ``z``) and unsigned varints: the codecs of Multikey,
``proofValue`` and multihash values, in one place.

The decoding rules are those of the ``multiformats`` package vcbadge used before (and its
property tests compare the two): base58btc is the Bitcoin alphabet, each leading ``1`` is one
zero byte, any other character is refused; an empty body decodes to no bytes. A varint is
unsigned LEB128, at least one byte, at most nine, minimally encoded. Every refusal is a
``ValueError``; callers turn it into their own typed error. Callers cap the length of what
they decode: base58 decoding is quadratic in the length.

Written here rather than called through ``multiformats`` because that package validates the
type of every character at run time, which cost about a fifth of a signature's time.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BASE58BTC_ALPHABET",
    "base58_decode",
    "base58_encode",
    "decode_base58btc_multibase",
    "encode_base58btc_multibase",
    "varint_decode",
    "varint_encode",
]

BASE58BTC_ALPHABET: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_DIGITS: Final = {char: index for index, char in enumerate(BASE58BTC_ALPHABET)}
_MAX_VARINT_BYTES: Final = 9


def base58_encode(data: bytes) -> str:
    """base58btc of ``data`` (no multibase prefix); each leading zero byte is one ``1``."""
    zeros = len(data) - len(data.lstrip(b"\x00"))
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    while number:
        number, digit = divmod(number, 58)
        digits.append(BASE58BTC_ALPHABET[digit])
    return "1" * zeros + "".join(reversed(digits))


def base58_decode(text: str) -> bytes:
    """The bytes of base58btc ``text`` (no multibase prefix).

    Raises:
        ValueError: a character outside the base58btc alphabet.
    """
    number = 0
    digits = _DIGITS
    for char in text:
        digit = digits.get(char)
        if digit is None:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + (number.to_bytes((number.bit_length() + 7) // 8, "big"))


def encode_base58btc_multibase(data: bytes) -> str:
    """Multibase base58btc: ``z`` followed by base58btc of ``data``."""
    return "z" + base58_encode(data)


def decode_base58btc_multibase(value: str) -> bytes:
    """The bytes of a multibase base58btc value (``z`` prefix).

    Raises:
        ValueError: another multibase prefix or a character outside the alphabet.
    """
    if not value.startswith("z"):
        raise ValueError("not multibase base58btc (prefix 'z')")
    return base58_decode(value[1:])


def varint_encode(value: int) -> bytes:
    """Unsigned LEB128 varint of ``value`` (multiformats unsigned-varint).

    Raises:
        ValueError: a negative value or one that needs more than nine bytes.
    """
    if value < 0 or value >= 1 << (7 * _MAX_VARINT_BYTES):
        raise ValueError(f"{value} cannot be encoded as an unsigned varint")
    out = bytearray()
    while True:
        low = value & 0x7F
        value >>= 7
        if value:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def varint_decode(data: bytes) -> tuple[int, int]:
    """Decode the varint at the start of ``data``: ``(value, bytes it used)``.

    Raises:
        ValueError: empty, truncated, longer than nine bytes, or not minimally encoded.
    """
    if not data:
        raise ValueError("a varint needs at least one byte")
    value = 0
    for index, byte in enumerate(data[:_MAX_VARINT_BYTES]):
        value |= (byte & 0x7F) << (7 * index)
        if not byte & 0x80:
            if index and not byte:
                raise ValueError("varint is not minimally encoded")
            return value, index + 1
    if len(data) > _MAX_VARINT_BYTES:
        raise ValueError(f"a varint has at most {_MAX_VARINT_BYTES} bytes")
    raise ValueError("varint is truncated")
