"""unwrap_received: what a caller passed to verify, classified (one implementation for Python
callers and the CLI)."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from badge_images import chunk, compact_jws, make_png, make_svg

from vcbadge.bake import (
    BakeLimits,
    Received,
    bake_png,
    bake_svg,
    unwrap_received,
)
from vcbadge.cli._badge_input import read_badge_input, verify_badge_input
from vcbadge.verify import Outcome, Verifier

CREDENTIAL: dict[str, Any] = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "issuer": "did:example:issuer",
    "credentialSubject": {"id": "did:example:ada"},
}
PAYLOAD = json.dumps(CREDENTIAL, separators=(",", ":"))

OTHER_FORMATS = [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "JPEG"),
    (b"GIF87a\x01\x00\x01\x00", "GIF"),
    (b"GIF89a\x01\x00\x01\x00", "GIF"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "WebP"),
    (b"BM\x3a\x00\x00\x00", "BMP"),
    (b"II*\x00\x08\x00\x00\x00", "TIFF"),
    (b"MM\x00*\x00\x00\x00\x08", "TIFF"),
    (b"\x00\x00\x01\x00\x01\x00", "ICO"),
    (b"%PDF-1.7\n", "PDF"),
]


def assert_found(received: Received, kind: str) -> None:
    assert received.problem is None
    assert not received.uncheckable
    assert received.image == kind
    assert received.baked is not None
    assert received.baked.version == "3.0"
    assert isinstance(received.credential, str)
    assert json.loads(received.credential) == CREDENTIAL
    assert received.description is not None
    assert received.description.startswith("Open Badges 3.0 credential (JSON) in a")
    assert kind.upper() in received.description


# --- badge images ------------------------------------------------------------------------------


def test_png_badge() -> None:
    image = bake_png(make_png(), CREDENTIAL)
    received = unwrap_received(image)
    assert_found(received, "png")
    assert received.image_bytes == image


@pytest.mark.parametrize("wrap", [bytearray, memoryview])
def test_bytes_like_png_badge(wrap: Any) -> None:
    assert_found(unwrap_received(wrap(bake_png(make_png(), CREDENTIAL))), "png")


def test_png_badge_with_a_compact_jws() -> None:
    token = compact_jws(CREDENTIAL)
    received = unwrap_received(bake_png(make_png(), token))
    assert received.credential == token
    assert received.description is not None
    assert "(compact JWS)" in received.description


def test_svg_badge() -> None:
    image = bake_svg(make_svg(), CREDENTIAL)
    assert_found(unwrap_received(image), "svg")


def test_svg_badge_as_text() -> None:
    image = bake_svg(make_svg(), CREDENTIAL)
    assert_found(unwrap_received(image.decode("utf-8")), "svg")


def test_svg_in_an_encoding_vcbadge_does_not_read_is_uncheckable() -> None:
    image = bake_svg(make_svg(), CREDENTIAL).replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"')
    received = unwrap_received(image)
    assert received.problem is not None
    assert received.problem.code == "svg_encoding"
    assert received.uncheckable
    assert received.credential is None
    assert received.description is None


def test_open_badges_2_png_is_handed_to_verification() -> None:
    """An OB 2.0 image is no longer a dead end: what it carries (here a hosted assertion's
    URL) goes on to the OB 2.0 verification."""
    image = make_png(after_idat=[chunk(b"tEXt", b"openbadges\x00https://example.org/assertions/1")])
    received = unwrap_received(image)
    assert received.problem is None
    assert not received.uncheckable
    assert received.credential == "https://example.org/assertions/1"
    assert received.baked is not None
    assert received.baked.version == "2.0"
    assert received.description is not None
    assert received.description.startswith("Open Badges 2.0 assertion (hosted URL)")


def test_png_without_credential_is_a_problem_not_uncheckable() -> None:
    received = unwrap_received(make_png())
    assert received.problem is not None
    assert received.problem.code == "no_credential"
    assert not received.uncheckable
    assert received.image == "png"
    assert received.credential is None


def test_broken_png_is_a_problem() -> None:
    image = bytearray(bake_png(make_png(), CREDENTIAL))
    image[-1] ^= 0xFF  # the last byte of the IEND chunk's CRC
    received = unwrap_received(bytes(image))
    assert received.problem is not None
    assert received.problem.code == "png_bad_crc"
    assert not received.uncheckable


# --- other formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "name"), OTHER_FORMATS)
def test_other_image_formats_are_refused_by_name(data: bytes, name: str) -> None:
    received = unwrap_received(data + b"\x00" * 32)
    assert received.problem is not None
    assert received.problem.code == "image_type_unsupported"
    assert f"this is a {name} file" in received.problem.message
    assert received.image_format == name
    assert received.credential is None
    assert received.image is None
    assert not received.uncheckable


def test_cli_reports_a_jpeg_as_an_unsupported_image(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(OTHER_FORMATS[0][0] + b"\x00" * 64)
    badge = read_badge_input(str(path), limit=1 << 20)
    assert badge.credential is None
    (check,) = verify_badge_input(Verifier.offline(), badge).checks
    assert (check.name, check.outcome, check.code) == (
        "image",
        Outcome.INVALID,
        "image_type_unsupported",
    )
    assert "JPEG" in check.message


# --- credentials pass through ------------------------------------------------------------------


def test_mapping_passes_through() -> None:
    received = unwrap_received(CREDENTIAL)
    assert received.credential is CREDENTIAL
    assert received.image is None
    assert received.problem is None
    assert received.description is None


@pytest.mark.parametrize("value", [PAYLOAD, "\n  " + PAYLOAD + "\n", compact_jws(CREDENTIAL)])
def test_text_passes_through(value: str) -> None:
    assert unwrap_received(value).credential is value
    assert unwrap_received(value.encode()).credential == value.encode()


def test_bytearray_json_becomes_bytes() -> None:
    received = unwrap_received(bytearray(PAYLOAD.encode()))
    assert type(received.credential) is bytes
    assert received.credential == PAYLOAD.encode()


@pytest.mark.parametrize("value", ["not json at all", "", b"\xff\xfe garbage", "<p>html</p>"])
def test_other_text_and_bytes_go_to_the_verifier_unchanged(value: str | bytes) -> None:
    received = unwrap_received(value)
    assert received.credential == value
    assert received.problem is None


# --- wrong types -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [Path("badge.png"), PurePosixPath("/tmp/badge.svg")])
def test_paths_are_a_type_error(path: object) -> None:
    with pytest.raises(TypeError, match="read the file and pass its bytes"):
        unwrap_received(path)


@pytest.mark.parametrize("text", ["badge.png", "  c:\\x\\b.JSON"])
def test_text_that_is_a_file_name_is_a_problem_not_an_exception(text: str) -> None:
    # Text is content: verify never raises for content, but says what is wrong.
    received = unwrap_received(text)
    assert received.credential is None
    assert received.problem is not None
    assert received.problem.code == "file_name_given"
    assert "read the file and pass its bytes" in received.problem.message


@pytest.mark.parametrize("value", [42, None, 1.5, ["{}"], object()])
def test_other_types_are_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match=f"cannot verify a {type(value).__name__}"):
        unwrap_received(value)


def test_received_is_frozen_and_keyword_only() -> None:
    received = unwrap_received(CREDENTIAL)
    with pytest.raises(AttributeError):
        received.credential = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        Received(CREDENTIAL)  # type: ignore[misc]


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview, lambda data: data.decode()])
def test_oversized_input_is_a_problem_before_anything_is_copied(wrap: Any) -> None:
    limits = BakeLimits(max_image_bytes=1024)
    at_limit = unwrap_received(wrap(b"{" + b" " * 1022 + b"}"), limits=limits)
    assert at_limit.problem is None
    received = unwrap_received(wrap(b"{" + b" " * 1023 + b"}"), limits=limits)
    assert received.credential is None
    assert received.problem is not None
    assert received.problem.code == "too_large"


def test_oversized_text_costs_no_copy_of_its_size() -> None:
    huge = "x" * (40 * 1024 * 1024)
    tracemalloc.start()
    try:
        received = unwrap_received(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received.problem is not None
    assert received.problem.code == "too_large"
    assert peak < 1024 * 1024, peak
