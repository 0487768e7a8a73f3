"""badge.html in a real browser: headless Chromium (Debian's ``chromium``, installed by .ci/run)
shows the badge name and the outcome, and takes a screenshot of it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from badge_images import make_png, signed_credential
from PIL import Image

from vcbadge import Verifier
from vcbadge.bake import bake, unbake
from vcbadge.display import render_badge_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,  # a browser
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium is not installed (apt-get install chromium; .ci/run installs it)",
    ),
]

# Nothing may reach the network: the page has no remote assets, and Chromium's own background
# services are switched off.
FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--window-size=900,1200",
]


def run_chromium(tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *arguments]
    done = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    return done


def write_page(tmp_path: Path, credential: dict, name: str) -> Path:
    baked = bake(make_png(24, 24), credential)
    result = Verifier.offline().verify(unbake(baked))
    page = tmp_path / name
    page.write_text(render_badge_html(credential, result=result, image=baked), encoding="utf-8")
    return page


def test_chromium_shows_the_name_and_the_valid_outcome(tmp_path: Path) -> None:
    page = write_page(tmp_path, signed_credential(), "badge.html")
    dom = run_chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    assert "Python 101" in dom
    assert "✓ VALID" in dom
    assert "This badge is valid" in dom
    assert "<script" not in dom.lower()


def test_chromium_shows_an_invalid_badge_as_invalid(tmp_path: Path) -> None:
    tampered = signed_credential()
    tampered["credentialSubject"]["achievement"]["name"] = "Python 901"
    page = write_page(tmp_path, tampered, "tampered.html")
    dom = run_chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode("utf-8")
    assert "Python 901" in dom
    assert "✗ INVALID" in dom
    assert "invalid_signature" in dom


def test_chromium_screenshot_is_a_real_picture(tmp_path: Path) -> None:
    page = write_page(tmp_path, signed_credential(), "badge.html")
    shot = tmp_path / "shot.png"
    run_chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    with Image.open(io.BytesIO(shot.read_bytes())) as image:
        assert image.size == (900, 1200)
        rgb = image.convert("RGB")
        # The green VALID banner near the top left of the card.
        red, green, blue = rgb.getpixel((120, 40))
        assert green > red + 40
        assert green > blue + 40
        assert len(rgb.getcolors(maxcolors=1_000_000) or []) > 50  # text, not a blank page
