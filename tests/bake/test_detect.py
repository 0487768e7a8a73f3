"""Telling images and payloads apart."""

from __future__ import annotations

import pytest
from badge_images import make_png, make_svg

from vcbadge.bake import image_kind, payload_format
from vcbadge.bake.detect import is_compact_jws


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (make_png(), "png"),
        (make_svg(), "svg"),
        (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
        (b"<!-- made by hand -->\n<svg:svg xmlns:svg='http://www.w3.org/2000/svg'/>", "svg"),
        (b'{"name": "<svg>"}', None),
        (b"eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln", None),
        (b"<html><body/></html>", None),
        (b"<svgfoo/>", None),
        (b"", None),
        (make_png()[:7], None),
    ],
)
def test_image_kind(data, kind):
    assert image_kind(data) == kind


@pytest.mark.parametrize(
    ("text", "shape"),
    [
        ('  {"a": 1}\n', "json"),
        ("eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln", "jwt"),
        ("eyJhbGciOiJub25lIn0.eyJ4IjoxfQ.", "jwt"),
        ("https://example.org/assertions/1", "url"),
        ("HTTP://EXAMPLE.ORG/a", "url"),
        ("a..c", None),
        ("a.b", None),
        ("a.b.c.d", None),
        ("ftp://example.org/x", None),
        ("[1]", None),
        ("", None),
    ],
)
def test_payload_format(text, shape):
    assert payload_format(text) == shape
    assert is_compact_jws(text.strip()) == (shape == "jwt")
