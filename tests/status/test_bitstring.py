"""Status list bitstrings: the reference vectors, round trips, and every refusal."""

from __future__ import annotations

import base64
import gzip
import json
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcbadge.errors import InputError, LimitExceeded
from vcbadge.status.bitstring import (
    MIN_LIST_BITS,
    Bitstring,
    decode_status_list,
    encode_status_list,
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


@pytest.mark.reference
def test_reference_lists_decode_as_recorded(reference: Path) -> None:
    vectors = json.loads(
        (reference / "vectors/bitstring-status-list/status-list-vectors.json").read_text()
    )
    assert len(vectors["lists"]) == 3
    for item in vectors["lists"]:
        bits = decode_status_list(
            item["encodedList"], multibase=item["format"] == "BitstringStatusList"
        )
        assert bits.length_bits == item["decoded_length_bits"] == 131072
        assert bits.set_bits() == item["set_bit_indexes"], item["label"]


@pytest.mark.reference
def test_statuslist2021_value_has_no_prefix(reference: Path) -> None:
    vectors = json.loads(
        (reference / "vectors/bitstring-status-list/status-list-vectors.json").read_text()
    )
    legacy = next(i for i in vectors["lists"] if i["format"] == "StatusList2021")
    with pytest.raises(InputError) as raised:
        decode_status_list(legacy["encodedList"], multibase=True)
    assert raised.value.code == "status_list_encoding"
    modern = next(i for i in vectors["lists"] if i["set_bit_indexes"] == [23])
    # With its "u" taken as data, the value is no longer GZIP.
    with pytest.raises(InputError):
        decode_status_list(modern["encodedList"], multibase=False)


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    data = bytearray(MIN_LIST_BITS // 8)
    data[0] = 0b1000_0000
    data[2] = 0b0000_0001
    bits = Bitstring(bytes(data))
    assert bits.value(0) == 1
    assert bits.value(1) == 0
    assert bits.value(23) == 1
    assert bits.set_bits() == [0, 23]
    assert decode_status_list(encode_status_list(bits)).set_bits() == [0, 23]


def test_multi_bit_entries_read_big_endian() -> None:
    data = bytearray(MIN_LIST_BITS // 8)
    data[0] = 0b01_10_11_00
    bits = Bitstring(bytes(data))
    assert [bits.value(i, 2) for i in range(4)] == [1, 2, 3, 0]


@settings(max_examples=40, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=MIN_LIST_BITS - 1), max_size=64))
def test_round_trip(indexes: set[int]) -> None:
    bits = Bitstring.from_indexes(indexes, length_bits=MIN_LIST_BITS)
    for multibase in (True, False):
        text = encode_status_list(bits, multibase=multibase)
        assert text.startswith("u") is multibase or not multibase
        decoded = decode_status_list(text, multibase=multibase)
        assert decoded.set_bits() == sorted(indexes)


def test_encoding_is_deterministic() -> None:
    bits = Bitstring.from_indexes({5, 99}, length_bits=MIN_LIST_BITS)
    assert encode_status_list(bits) == encode_status_list(bits)


@pytest.mark.slow
def test_gzip_bomb_is_refused_without_inflating_it() -> None:
    # 1 GiB of zeros compresses to about 1 MB; the cap stops inflation at 16 MiB + 1 byte.
    inflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    parts = [inflater.compress(chunk) for _ in range(1024)]
    bomb = b"".join(parts) + inflater.flush()
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(LimitExceeded) as raised:
        decode_status_list("u" + _b64(bomb), max_bytes=16 * 1024 * 1024)
    assert raised.value.code == "limit_exceeded"


def test_exactly_at_the_cap_is_accepted() -> None:
    data = bytes(MIN_LIST_BITS // 8)
    text = encode_status_list(data)
    assert decode_status_list(text, max_bytes=len(data)).length_bits == MIN_LIST_BITS
    with pytest.raises(LimitExceeded):
        decode_status_list(text, max_bytes=len(data) - 1)


@pytest.mark.parametrize("cut", [10, 20, 4])
def test_truncated_gzip_is_refused(cut: int) -> None:
    compressed = gzip.compress(bytes(MIN_LIST_BITS // 8), mtime=0)
    with pytest.raises(InputError) as raised:
        decode_status_list("u" + _b64(compressed[:-cut]))
    assert raised.value.code == "status_list_truncated"


def test_corrupted_checksum_is_refused() -> None:
    compressed = bytearray(gzip.compress(bytes(MIN_LIST_BITS // 8), mtime=0))
    compressed[-6] ^= 0xFF  # inside the CRC-32 trailer
    with pytest.raises(InputError) as raised:
        decode_status_list("u" + _b64(bytes(compressed)))
    assert raised.value.code == "status_list_encoding"


def test_trailing_data_is_refused() -> None:
    compressed = gzip.compress(bytes(MIN_LIST_BITS // 8), mtime=0) + b"extra"
    with pytest.raises(InputError) as raised:
        decode_status_list("u" + _b64(compressed))
    assert raised.value.code == "status_list_encoding"


def test_a_list_shorter_than_16kb_is_refused() -> None:
    text = encode_status_list(bytes(MIN_LIST_BITS // 8 - 1))
    with pytest.raises(InputError) as raised:
        decode_status_list(text)
    assert raised.value.code == "status_list_too_short"


@pytest.mark.parametrize(
    "value",
    ["", "zH4sI", "u!!!!", "u" + _b64(b"not gzip at all"), 42, None, "uH4sI==="],
)
def test_malformed_values_are_refused(value: object) -> None:
    with pytest.raises(InputError) as raised:
        decode_status_list(value)
    assert raised.value.code in ("status_list_encoding", "status_list_truncated")


@pytest.mark.parametrize(("index", "size"), [(MIN_LIST_BITS, 1), (-1, 1), (MIN_LIST_BITS // 2, 2)])
def test_index_out_of_range(index: int, size: int) -> None:
    bits = Bitstring(bytes(MIN_LIST_BITS // 8))
    with pytest.raises(InputError) as raised:
        bits.value(index, size, path="/credentialStatus/statusListIndex")
    assert raised.value.code == "status_index_out_of_range"
    assert raised.value.path == "/credentialStatus/statusListIndex"
    assert bits.value(MIN_LIST_BITS // size - 1, size) == 0
