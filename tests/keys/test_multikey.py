"""Multikey (multibase base58btc + multicodec) encoding and decoding."""

from __future__ import annotations

import pytest
from multiformats import multibase, varint

from vcbadge.errors import KeyFormatError
from vcbadge.keys import decode_multikey, encode_multikey
from vcbadge.keys.multikey import KNOWN_CODECS

# The W3C vc-di-eddsa key pair (also checked against the corpus in test_ed25519.py).
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"


@pytest.mark.parametrize(
    ("codec", "prefix"),
    [("ed25519-pub", "z6Mk"), ("x25519-pub", "z6LS"), ("p256-pub", "zDna"), ("p384-pub", "z82L")],
)
def test_well_known_prefixes(codec: str, prefix: str) -> None:
    length = KNOWN_CODECS[codec][1]
    raw = bytes([2]) + bytes(range(1, length)) if codec.startswith("p") else bytes(length)
    value = encode_multikey(codec, raw)
    assert value.startswith(prefix)
    assert decode_multikey(value) == (codec, raw)


@pytest.mark.parametrize("codec", sorted(KNOWN_CODECS))
def test_round_trip_every_codec(codec: str) -> None:
    raw = bytes(range(KNOWN_CODECS[codec][1]))
    assert decode_multikey(encode_multikey(codec, raw)) == (codec, raw)
    assert decode_multikey(encode_multikey(codec, raw), codec=codec) == (codec, raw)


def test_w3c_vector_values() -> None:
    codec, public = decode_multikey(W3C_PUBLIC)
    assert codec == "ed25519-pub"
    assert len(public) == 32
    codec, seed = decode_multikey(W3C_SECRET)
    assert codec == "ed25519-priv"
    assert len(seed) == 32
    assert encode_multikey("ed25519-priv", seed) == W3C_SECRET


def _multibase(code: int, raw: bytes, base: str = "base58btc") -> str:
    value: str = multibase.encode(varint.encode(code) + raw, base)
    return value


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        pytest.param(_multibase(0xED, bytes(32), "base64url"), "base58btc", id="wrong-base"),
        pytest.param(_multibase(0xED, bytes(32), "base16"), "base58btc", id="hex-base"),
        pytest.param("", "base58btc", id="empty"),
        pytest.param("z", "base58btc", id="no-payload"),
        pytest.param("z6Mk0OIl", "base58btc", id="not-base58-alphabet"),
        pytest.param(_multibase(0xED, bytes(31)), "32 bytes", id="short-ed25519"),
        pytest.param(_multibase(0xED, bytes(33)), "32 bytes", id="long-ed25519"),
        pytest.param(_multibase(0x1300, bytes(64)), "32 bytes", id="expanded-secret"),
        pytest.param(_multibase(0xE7, bytes(33)), "secp256k1-pub", id="known-unsupported"),
        pytest.param(_multibase(0x7FFFF, bytes(32)), "0x7ffff", id="unknown-codec"),
        pytest.param("z" + "2" * 5000, "longer", id="too-long"),
    ],
)
def test_decode_errors(value: str, fragment: str) -> None:
    with pytest.raises(KeyFormatError) as info:
        decode_multikey(value)
    assert info.value.code == "key_format"
    assert fragment in info.value.message


def test_non_minimal_varint_prefix_is_rejected() -> None:
    value: str = multibase.encode(bytes([0xED, 0x81, 0x00]) + bytes(32), "base58btc")
    with pytest.raises(KeyFormatError):
        decode_multikey(value)


def test_expected_codec_is_enforced() -> None:
    with pytest.raises(KeyFormatError, match="expected a ed25519-pub multikey, got ed25519-priv"):
        decode_multikey(W3C_SECRET, codec="ed25519-pub")


def test_error_messages_do_not_echo_secret_keys() -> None:
    for bad in (W3C_SECRET[:-1] + "0", "u" + W3C_SECRET[1:]):
        with pytest.raises(KeyFormatError) as info:
            decode_multikey(bad, codec="ed25519-pub")
        assert W3C_SECRET[1:9] not in str(info.value)


@pytest.mark.parametrize(
    ("codec", "raw"), [("ed25519-pub", bytes(31)), ("nope", bytes(32)), ("p256-pub", bytes(65))]
)
def test_encode_errors(codec: str, raw: bytes) -> None:
    with pytest.raises(KeyFormatError):
        encode_multikey(codec, raw)


def test_non_string_is_a_key_format_error() -> None:
    with pytest.raises(KeyFormatError):
        decode_multikey(b"z6Mk")  # type: ignore[arg-type]
