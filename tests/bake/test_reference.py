"""A published VC-JWT (the 1EdTech validator's CLR 2.0 simple.jwt) bakes and unbakes intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from badge_images import make_png, make_svg

from vcbadge.bake import bake, extract, unbake

pytestmark = pytest.mark.reference


@pytest.mark.parametrize("image", [make_png(), make_svg()], ids=["png", "svg"])
def test_published_vc_jwt_round_trips(reference: Path, image: bytes) -> None:
    token = (reference / "examples/1edtech-validator/clr20/simple.jwt").read_text("utf-8").strip()
    baked = bake(image, token)
    assert unbake(baked) == token
    found = extract(baked)
    assert (found.version, found.format) == ("3.0", "jwt")
