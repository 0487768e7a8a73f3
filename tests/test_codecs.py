"""vcbadge._multibase: base58btc, multibase ``z`` and varints, checked against ``multiformats``
(the implementation vcbadge used before) on valid and invalid input: same bytes, same refusals."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from multiformats import multibase, varint

from vcbadge._multibase import (
    BASE58BTC_ALPHABET,
    base58_decode,
    base58_encode,
    decode_base58btc_multibase,
    encode_base58btc_multibase,
    varint_decode,
    varint_encode,
)
from vcbadge.errors import InvalidSignature, KeyFormatError
from vcbadge.keys import Ed25519Key, decode_multikey
from vcbadge.proofs.suites._common import decode_base58_proof_value
from vcbadge.proofs.suites.ed25519_signature_2018 import Ed25519Signature2018

# Mostly alphabet characters, with the look-alikes base58 leaves out (0 O I l), separators,
# the multibase prefixes of other bases and non-ASCII digits, so refusals get exercised too.
_NEAR_BASE58 = st.text(
    alphabet=st.sampled_from(BASE58BTC_ALPHABET + "0OIl +/=-_zZ\u0661\uff11é\x00"), max_size=120
)


def _reference_decode(value: str) -> bytes | None:
    try:
        return bytes(multibase.decode(value))
    except (ValueError, KeyError):
        return None


def _ours_decode(value: str) -> bytes | None:
    try:
        return decode_base58btc_multibase(value)
    except ValueError:
        return None


@given(st.binary(max_size=200))
@example(b"")
@example(b"\x00")
@example(b"\x00\x00\x01")
@example(b"\xff" * 64)
def test_encoding_matches_multiformats_and_round_trips(data: bytes) -> None:
    encoded = encode_base58btc_multibase(data)
    assert encoded == multibase.encode(data, "base58btc")
    assert decode_base58btc_multibase(encoded) == data
    assert base58_decode(base58_encode(data)) == data


@given(_NEAR_BASE58)
@example("")
@example("1")
@example("11")
@example("0")
@example("z")
def test_decoding_accepts_and_refuses_as_multiformats(body: str) -> None:
    value = "z" + body
    assert _ours_decode(value) == _reference_decode(value)


@given(st.text(max_size=40))
def test_decoding_arbitrary_text_agrees(body: str) -> None:
    value = "z" + body
    assert _ours_decode(value) == _reference_decode(value)


@pytest.mark.parametrize("value", ["", "Z1", "u", "f00", "m", "1"])
def test_other_multibase_prefixes_are_refused(value: str) -> None:
    # multiformats would decode "Z1" (base58flickr) and "f00" (hex): base58btc only here.
    with pytest.raises(ValueError, match="base58btc"):
        decode_base58btc_multibase(value)


@pytest.mark.parametrize("char", [*"0OIl+/ =", "\u0661", "\uff11"])
def test_characters_outside_the_alphabet_are_refused(char: str) -> None:
    with pytest.raises(ValueError, match="not a base58btc character"):
        base58_decode("2" + char)


def test_leading_ones_are_zero_bytes() -> None:
    assert base58_decode("") == b""
    assert base58_decode("111") == b"\x00\x00\x00"
    assert base58_decode("112") == b"\x00\x00\x01"
    assert base58_encode(b"\x00\x00\x01") == "112"


@given(st.integers(min_value=0, max_value=(1 << 63) - 1))
@example(0)
@example(127)
@example(128)
@example(0xED)
@example(0x1300)
def test_varint_matches_multiformats(value: int) -> None:
    encoded = varint_encode(value)
    assert encoded == bytes(varint.encode(value))
    assert varint_decode(encoded + b"tail") == (value, len(encoded))


def _reference_varint(data: bytes) -> tuple[int, int] | None:
    try:
        value, used, _ = varint.decode_raw(data)
    except ValueError:
        return None
    return int(value), int(used)


def _ours_varint(data: bytes) -> tuple[int, int] | None:
    try:
        return varint_decode(data)
    except ValueError:
        return None


@given(st.binary(max_size=12))
@example(b"")
@example(b"\x80")
@example(b"\x80\x00")
@example(b"\xff" * 8 + b"\x7f")
@example(b"\xff" * 9 + b"\x01")
@example(b"\xff" * 10)
def test_varint_decoding_accepts_and_refuses_as_multiformats(data: bytes) -> None:
    assert _ours_varint(data) == _reference_varint(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "at least one byte"),
        (b"\x80", "truncated"),
        (b"\x80\x00", "minimally"),
        (b"\xff" * 10, "at most 9"),
    ],
)
def test_varint_refusals_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        varint_decode(data)


@pytest.mark.parametrize("value", [-1, 1 << 63])
def test_varint_encoding_refuses_out_of_range(value: int) -> None:
    with pytest.raises(ValueError, match="unsigned varint"):
        varint_encode(value)


# -- the call sites cap what they decode (base58 decoding is quadratic in the length) ----------


@pytest.mark.parametrize(("algorithm", "length"), [("Ed25519", 64), ("P-256", 64), ("P-384", 96)])
def test_longest_signatures_fit_under_the_proof_value_cap(algorithm: str, length: int) -> None:
    signature = b"\xff" * length
    proof_value = encode_base58btc_multibase(signature)
    assert decode_base58_proof_value(proof_value, path="/p", key_algorithm=algorithm) == signature


def test_an_overlong_proof_value_is_refused_before_decoding() -> None:
    with pytest.raises(InvalidSignature) as raised:
        decode_base58_proof_value(
            "z" + "2" * 1_000_000, path="/proof/proofValue", key_algorithm="P-384"
        )
    assert raised.value.code == "invalid_signature"
    assert raised.value.path == "/proof/proofValue"
    assert "too many" in str(raised.value)


def test_an_overlong_public_key_base58_is_refused_before_decoding() -> None:
    method = {
        "id": "did:example:issuer#key-1",
        "type": "Ed25519VerificationKey2018",
        "controller": "did:example:issuer",
        "publicKeyBase58": "2" * 1_000_000,
    }
    with pytest.raises(KeyFormatError) as raised:
        Ed25519Signature2018().public_key_from_method(method, path="/verificationMethod")
    assert raised.value.code == "key_format"
    assert raised.value.path == "/verificationMethod"
    # Real keys stay far below the cap (32 bytes are at most 44 characters).
    assert len(base58_encode(b"\xff" * 32)) == 44
    _, raw = decode_multikey(Ed25519Key.from_seed(bytes(32)).public_key_multibase)
    real = {**method, "publicKeyBase58": base58_encode(raw)}
    key = Ed25519Signature2018().public_key_from_method(real, path="/verificationMethod")
    assert key.algorithm == "Ed25519"
