"""PNG baking: the OB 3.0 iTXt chunk, byte-exact preservation, and every malformed input."""

from __future__ import annotations

import io
import json
import struct
import zlib

import pytest
from badge_images import chunk, compact_jws, itxt, make_png, signed_credential, split_chunks
from PIL import Image

from vcbadge.bake import BakeLimits, bake, bake_png, extract, unbake
from vcbadge.bake.png import extract_png, read_chunks
from vcbadge.errors import BakingError, InputError

GAMMA = chunk(b"gAMA", struct.pack(">I", 45455))
COMMENT = chunk(b"tEXt", b"Comment\x00made by hand")
PRIVATE = chunk(b"prVt", b"\x00\x01private ancillary data")


def rich_png() -> bytes:
    return make_png(
        5, 4, color_type=6, before_idat=[GAMMA, COMMENT], after_idat=[PRIVATE], idat_pieces=3
    )


def code_of(excinfo: pytest.ExceptionInfo[BakingError]) -> str:
    return excinfo.value.code


def test_json_round_trip_gives_compact_json_exactly():
    credential = signed_credential()
    baked = bake_png(rich_png(), credential)
    payload = unbake(baked)
    assert payload == json.dumps(credential, ensure_ascii=False, separators=(",", ":"))
    assert json.loads(payload) == credential
    found = extract(baked)
    assert (found.version, found.format, found.image) == ("3.0", "json", "png")


def test_jwt_round_trip():
    token = compact_jws({"vc": signed_credential()})
    baked = bake(rich_png(), token)
    assert unbake(baked) == token
    assert extract(baked).format == "jwt"


def test_the_chunk_is_uncompressed_itxt_with_empty_language_just_before_iend():
    token = compact_jws({"sub": "x"})
    baked = bake_png(rich_png(), token)
    kinds = [kind for kind, _ in split_chunks(baked)]
    assert kinds[-2:] == [b"iTXt", b"IEND"]
    itxt_chunk = split_chunks(baked)[-2][1]
    (length,) = struct.unpack(">I", itxt_chunk[:4])
    data = itxt_chunk[8 : 8 + length]
    # keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translation NUL.
    assert data == b"openbadgecredential\x00\x00\x00\x00\x00" + token.encode()
    assert itxt_chunk[-4:] == struct.pack(">I", zlib.crc32(b"iTXt" + data))


def test_every_other_chunk_is_kept_byte_for_byte():
    original = rich_png()
    baked = bake_png(original, signed_credential())
    before = [whole for _, whole in split_chunks(original)]
    after = [whole for kind, whole in split_chunks(baked) if kind != b"iTXt"]
    assert after == before
    assert baked.startswith(original[: -len(chunk(b"IEND", b""))])


def test_pillow_opens_the_baked_png_reads_the_chunk_and_sees_the_same_pixels():
    original = rich_png()
    baked = bake_png(original, signed_credential())
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(baked)) as after:
        after.load()
        assert after.text["openbadgecredential"] == unbake(baked)
        assert after.size == before.size
        assert after.mode == before.mode == "RGBA"
        assert after.tobytes() == before.tobytes()
    with Image.open(io.BytesIO(baked)) as again:
        again.verify()  # Pillow checks every chunk CRC


def test_already_baked_is_refused_unless_replace():
    once = bake_png(rich_png(), signed_credential())
    with pytest.raises(BakingError) as excinfo:
        bake_png(once, signed_credential(name="Python 102"))
    assert code_of(excinfo) == "already_baked"
    assert "replace" in str(excinfo.value)
    assert isinstance(excinfo.value, InputError)
    twice = bake_png(once, compact_jws({"n": 2}), replace=True)
    assert unbake(twice) == compact_jws({"n": 2})
    assert [kind for kind, _ in split_chunks(twice)].count(b"iTXt") == 1


def test_replace_also_drops_an_open_badges_2_chunk():
    old = make_png(after_idat=[chunk(b"tEXt", b"openbadges\x00https://example.org/a/1")])
    with pytest.raises(BakingError) as excinfo:
        bake_png(old, signed_credential())
    assert code_of(excinfo) == "already_baked"
    assert "2.0" in str(excinfo.value)
    baked = bake_png(old, signed_credential(), replace=True)
    assert extract(baked).version == "3.0"
    assert b"openbadges\x00https" not in baked


def test_two_credentials_are_refused():
    token = compact_jws({"n": 1})
    doubled = make_png(after_idat=[itxt(b"openbadgecredential", token)] * 2)
    for read in (extract, unbake):
        with pytest.raises(BakingError) as excinfo:
            read(doubled)
        assert code_of(excinfo) == "multiple_credentials"


def test_open_badges_3_wins_over_a_legacy_open_badges_2_chunk():
    token = compact_jws({"n": 1})
    both = make_png(
        after_idat=[
            itxt(b"openbadges", "https://example.org/a/1"),
            itxt(b"openbadgecredential", token),
        ]
    )
    assert unbake(both) == token


@pytest.mark.parametrize(
    ("legacy", "expected_format"),
    [
        (chunk(b"tEXt", b"openbadges\x00https://example.org/assertions/1"), "url"),
        (itxt(b"openbadges", '{"uid": "1", "type": "Assertion"}'), "json"),
        (itxt(b"openbadges", "eyJhbGciOiJSUzI1NiJ9.eyJ1aWQiOiIxIn0.c2ln"), "jwt"),
    ],
)
def test_open_badges_2_images_are_read_and_said_to_be_2_0(legacy, expected_format):
    image = make_png(after_idat=[legacy])
    found = extract(image)
    assert (found.version, found.format) == ("2.0", expected_format)
    assert "Open Badges 2.0 assertion" in found.describe()
    with pytest.raises(BakingError) as excinfo:
        unbake(image)
    assert code_of(excinfo) == "openbadges_2"


def test_no_credential():
    with pytest.raises(BakingError) as excinfo:
        unbake(rich_png())
    assert code_of(excinfo) == "no_credential"


def test_every_truncation_is_a_clear_error():
    baked = bake_png(make_png(2, 2), compact_jws({"n": 1}))
    for cut in range(len(baked)):
        with pytest.raises(BakingError) as excinfo:
            extract(baked[:cut])
        # Fewer than 8 bytes cannot be told apart from any other file.
        expected = "not_an_image" if cut < 8 else "png_truncated"
        assert code_of(excinfo) == expected, (cut, excinfo.value)
        if 0 < cut < 8:
            with pytest.raises(BakingError) as excinfo:
                extract_png(baked[:cut])
            assert code_of(excinfo) == "png_truncated"


@pytest.mark.parametrize("offset_from_end", [1, 5, 20])
def test_a_flipped_bit_is_a_bad_crc(offset_from_end):
    baked = bytearray(bake_png(make_png(), compact_jws({"n": 1})))
    position = len(baked) - 12 - offset_from_end  # inside the iTXt chunk (data or CRC)
    baked[position] ^= 0x01
    with pytest.raises(BakingError) as excinfo:
        extract(bytes(baked))
    assert code_of(excinfo) == "png_bad_crc"
    assert "iTXt" in str(excinfo.value)


def test_bad_crc_in_the_source_image_is_refused_when_baking():
    image = bytearray(make_png())
    image[20] ^= 0xFF  # inside IHDR
    with pytest.raises(BakingError) as excinfo:
        bake_png(bytes(image), signed_credential())
    assert code_of(excinfo) == "png_bad_crc"


def test_a_huge_declared_chunk_is_refused_before_reading_it():
    header = make_png()[:33]  # signature + IHDR
    huge = header + struct.pack(">I", 0x7FFFFFFF) + b"IDAT" + b"\x00" * 16
    with pytest.raises(BakingError) as excinfo:
        extract(huge)
    assert code_of(excinfo) == "png_chunk_too_large"
    beyond = header + struct.pack(">I", 0x80000000) + b"IDAT" + b"\x00" * 16
    with pytest.raises(BakingError) as excinfo:
        extract(beyond)
    assert code_of(excinfo) == "png_malformed"


def test_limits_are_configuration():
    image = bake_png(make_png(idat_pieces=3), compact_jws({"n": 1}))
    cases = {
        "too_large": BakeLimits(max_image_bytes=len(image) - 1),
        "png_chunk_too_large": BakeLimits(max_chunk_bytes=13),
        "png_too_many_chunks": BakeLimits(max_chunks=3),
    }
    for code, limits in cases.items():
        with pytest.raises(BakingError) as excinfo:
            extract(image, limits=limits)
        assert code_of(excinfo) == code
    with pytest.raises(BakingError) as excinfo:
        bake_png(make_png(), signed_credential(), limits=BakeLimits(max_payload_bytes=100))
    assert code_of(excinfo) == "too_large"
    with pytest.raises(BakingError) as excinfo:
        extract(image, limits=BakeLimits(max_payload_bytes=10))
    assert code_of(excinfo) == "too_large"


def test_compressed_credentials_are_refused():
    token = compact_jws({"n": 1})
    for compressed in (
        itxt(b"openbadgecredential", token, compressed=True),
        chunk(b"zTXt", b"openbadges\x00\x00" + zlib.compress(b"https://example.org/a")),
    ):
        with pytest.raises(BakingError) as excinfo:
            extract(make_png(after_idat=[compressed]))
        assert code_of(excinfo) == "compressed_credential"


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (b"", "not_an_image"),
        (b'{"@context": []}', "not_an_image"),
        (b"\xff\xd8\xff\xe0JFIF", "not_an_image"),
        (make_png()[:8] + chunk(b"IDAT", b"") + chunk(b"IEND", b""), "png_malformed"),
        (make_png() + b"trailing", "png_malformed"),
        (make_png()[:33] + chunk(b"ID4T", b"") + chunk(b"IEND", b""), "png_malformed"),
        (make_png(after_idat=[chunk(b"iTXt", b"openbadgecredential\x00\x00")]), "png_malformed"),
        (
            make_png(after_idat=[chunk(b"iTXt", b"openbadgecredential\x00\x00\x00x")]),
            "png_malformed",
        ),
        (
            make_png(after_idat=[chunk(b"iTXt", b"openbadgecredential\x00\x00\x00\x00\x00\xff")]),
            "invalid_payload",
        ),
        (
            make_png(after_idat=[itxt(b"openbadgecredential", "https://example.org/c/1")]),
            "invalid_payload",
        ),
        (make_png(after_idat=[itxt(b"openbadgecredential", "   ")]), "invalid_payload"),
    ],
)
def test_malformed_inputs_are_clear_errors(image, code):
    with pytest.raises(BakingError) as excinfo:
        extract(image)
    assert code_of(excinfo) == code
    assert str(excinfo.value)


@pytest.mark.parametrize(
    "credential",
    [
        "just some text",
        "https://example.org/credential",
        b"\xff\xfe",
        '{"a": 1, "a": 2}',
        "[1, 2]",
        {"n": float("nan")},
        {"bad": object()},
        42,
    ],
)
def test_only_json_objects_and_compact_jws_can_be_baked(credential):
    with pytest.raises(BakingError) as excinfo:
        bake_png(make_png(), credential)
    assert code_of(excinfo) == "invalid_payload"


def test_json_text_is_baked_as_given():
    text = '{\r\n  "b": 1,\r\n  "a": "\u00e9"\r\n}\r\n'
    baked = bake_png(make_png(), text.encode())
    assert unbake(baked) == '{\n  "b": 1,\n  "a": "\u00e9"\n}'


def test_read_chunks_names_each_chunk_in_order():
    names = [item.name for item in read_chunks(rich_png())]
    assert names == ["IHDR", "gAMA", "tEXt", "IDAT", "IDAT", "IDAT", "prVt", "IEND"]
