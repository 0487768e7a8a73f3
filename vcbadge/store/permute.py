"""A keyed pseudorandom permutation of ``range(size)``: status indexes in random order.

Herd privacy asks that the index a credential gets reveals nothing about when it was issued. The
store keeps a counter per list and maps position ``n`` to index ``permute(key, n, size)``: a
bijection, so a counter that only grows never hands out an index twice, and allocation is O(1)
with nothing pre-populated. The permutation is a four-round Feistel network over the smallest
even number of bits that covers ``size`` (HMAC-SHA256 rounds), with cycle walking to stay
inside ``range(size)``; the key is random per list and never leaves the store.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["permute"]

_ROUNDS = 4


def _round(key: bytes, round_number: int, value: int, bits: int) -> int:
    digest = hmac.new(
        key, round_number.to_bytes(1, "big") + value.to_bytes(8, "big"), hashlib.sha256
    ).digest()
    return int.from_bytes(digest[:8], "big") & ((1 << bits) - 1)


def _feistel(key: bytes, value: int, half_bits: int) -> int:
    mask = (1 << half_bits) - 1
    left, right = value >> half_bits, value & mask
    for round_number in range(_ROUNDS):
        left, right = right, left ^ _round(key, round_number, right, half_bits)
    return (left << half_bits) | right


def permute(key: bytes, position: int, size: int) -> int:
    """The index at ``position`` (0 <= position < size) of the permutation keyed by ``key``."""
    if not 0 <= position < size:
        raise ValueError(f"position {position} is outside range({size})")
    half_bits = max(1, ((size - 1).bit_length() + 1) // 2)
    value = position
    # Cycle walking: the Feistel domain is at most 4 * size, so a few steps on average.
    while True:
        value = _feistel(key, value, half_bits)
        if value < size:
            return value
