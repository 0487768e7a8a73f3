"""Properties: bake then unbake gives back the payload, for arbitrary credentials, compact JWS
strings, PNGs and SVGs; baking never disturbs the rest of the image."""

from __future__ import annotations

import io
import json
from xml.sax.saxutils import escape, quoteattr

import pytest
from badge_images import CHANNELS, chunk, make_png, split_chunks
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from vcbadge.bake import BakeLimits, bake, extract, unbake
from vcbadge.bake._common import encode_payload

pytestmark = pytest.mark.slow  # long hypothesis properties

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=15,
)
credentials = st.dictionaries(st.text(max_size=12), json_values, max_size=6)
b64url = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1
)
compact_jws = st.builds(
    lambda header, payload, signature: f"{header}.{payload}.{signature}",
    b64url,
    b64url,
    b64url | st.just(""),
)

ancillary = st.one_of(
    st.builds(
        lambda keyword, text: chunk(b"tEXt", keyword.encode("latin-1") + b"\x00" + text),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20).filter(
            lambda word: word not in ("openbadges", "openbadgecredential")
        ),
        st.binary(max_size=40).map(lambda data: data.replace(b"\x00", b"")),
    ),
    st.builds(lambda data: chunk(b"prVt", data), st.binary(max_size=60)),
    st.builds(lambda data: chunk(b"tIME", data), st.binary(min_size=7, max_size=7)),
)


@st.composite
def pngs(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """A valid PNG and its raw pixels."""
    width = draw(st.integers(1, 6))
    height = draw(st.integers(1, 6))
    color_type = draw(st.sampled_from(sorted(CHANNELS)))
    pixels = draw(
        st.binary(min_size=width * height * CHANNELS[color_type]).map(
            lambda data: data[: width * height * CHANNELS[color_type]]
        )
    )
    image = make_png(
        width,
        height,
        color_type=color_type,
        pixels=pixels,
        before_idat=draw(st.lists(ancillary, max_size=3)),
        after_idat=draw(st.lists(ancillary, max_size=3)),
        idat_pieces=draw(st.integers(1, 4)),
    )
    return image, pixels


xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=30,
)


@st.composite
def svgs(draw: st.DrawFn) -> bytes:
    """A well-formed SVG with arbitrary attributes, text, comments and nesting."""
    attributes = "".join(
        f" data-{name}={quoteattr(value)}"
        for name, value in draw(
            st.dictionaries(st.sampled_from(["a", "b", "c", "id", "x"]), xml_text, max_size=3)
        ).items()
    )
    children = draw(
        st.lists(
            st.one_of(
                xml_text.map(escape),
                xml_text.map(lambda text: f"<text>{escape(text)}</text>"),
                xml_text.filter(lambda text: "--" not in text and not text.endswith("-")).map(
                    lambda text: f"<!--{text}-->"
                ),
                st.just('<g transform="scale(2)"><rect width="1" height="1"/></g>'),
            ),
            max_size=5,
        )
    )
    declaration = draw(st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>\n']))
    self_closing = not children and draw(st.booleans())
    root = f'<svg xmlns="http://www.w3.org/2000/svg"{attributes}'
    body = "/>" if self_closing else ">" + "".join(children) + "</svg>"
    return (declaration + root + body + "\n").encode("utf-8")


@SETTINGS
@given(image=pngs(), credential=credentials)
def test_png_json_round_trip_keeps_payload_chunks_and_pixels(image, credential):
    original, _pixels = image
    baked = bake(original, credential)
    payload = unbake(baked)
    assert payload == encode_payload(credential, BakeLimits())[0]
    assert json.loads(payload) == credential
    assert [whole for kind, whole in split_chunks(baked) if kind != b"iTXt"] == [
        whole for _, whole in split_chunks(original)
    ]
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(baked)) as after:
        assert after.tobytes() == before.tobytes()
        assert after.text["openbadgecredential"] == payload


@SETTINGS
@given(image=pngs(), token=compact_jws)
def test_png_jwt_round_trip(image, token):
    baked = bake(image[0], token)
    assert unbake(baked) == token
    assert extract(baked).format == "jwt"


@SETTINGS
@given(image=svgs(), credential=credentials)
def test_svg_json_round_trip(image, credential):
    baked = bake(image, credential)
    payload = unbake(baked)
    assert payload == encode_payload(credential, BakeLimits())[0]
    assert json.loads(payload) == credential


@SETTINGS
@given(image=svgs(), token=compact_jws)
def test_svg_jwt_round_trip_and_the_rest_is_untouched(image, token):
    baked = bake(image, token)
    assert unbake(baked) == token
    inserted = f'<openbadges:credential verify="{token}"></openbadges:credential>'.encode()
    declaration = b' xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"'
    restored = baked.replace(inserted, b"", 1).replace(declaration, b"", 1)
    if image.rstrip().endswith(b"/>"):
        restored = restored.replace(b"></svg>", b"/>", 1)
    assert restored == image


@SETTINGS
@given(credential=credentials, replacement=compact_jws, image=pngs())
def test_replace_leaves_exactly_the_new_credential(credential, replacement, image):
    once = bake(image[0], credential)
    twice = bake(once, replacement, replace=True)
    assert unbake(twice) == replacement
    assert [kind for kind, _ in split_chunks(twice)].count(b"iTXt") == 1
