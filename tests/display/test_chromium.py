"""badge.html in a real browser: headless Chromium (Debian's ``chromium``, installed by .ci/run)
shows the badge name and the outcome, and takes a screenshot of it."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from html import escape, unescape
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
        # The green VALID banner under the badge name, near the top left of the card.
        red, green, blue = rgb.getpixel((120, 110))
        assert green > red + 40
        assert green > blue + 40
        assert len(rgb.getcolors(maxcolors=1_000_000) or []) > 50  # text, not a blank page


# Headless Chromium will not make its window narrower than 500 px, and measuring needs a script,
# which the page's own policy forbids: the page is shown unchanged in a 360 px wide frame
# (``srcdoc``: same origin as the measuring page, so its layout can be read), and the measuring
# page's script writes what it found into its own DOM for --dump-dom.
MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="phone" style="width:{width}px;height:2000px;border:0" srcdoc="{page}"></iframe>
<pre id="measured"></pre>
<script>
document.getElementById("phone").addEventListener("load", (event) => {{
  const frame = event.target.contentWindow;
  const root = frame.document.scrollingElement;
  const wide = [...frame.document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > frame.innerWidth + 0.5)
    .map((e) => e.tagName + "." + e.className);
  const scripts = frame.document.scripts.length;
  document.getElementById("measured").textContent = JSON.stringify(
    {{inner: frame.innerWidth, scroll: root.scrollWidth, wide, scripts}});
}});
</script></body></html>"""


def measure(tmp_path: Path, page: str, width: int) -> dict:
    source = tmp_path / f"measured-{width}.html"
    source.write_text(MEASURE.format(width=width, page=escape(page)), encoding="utf-8")
    dom = run_chromium(
        tmp_path, "--virtual-time-budget=10000", "--dump-dom", source.as_uri()
    ).stdout.decode("utf-8")
    found = re.search(r'<pre id="measured">(.+?)</pre>', dom)
    assert found is not None, dom[-2000:]
    shown = json.loads(unescape(found.group(1)))
    assert shown["scripts"] == 0  # the page measured is the page, with no script of its own
    return shown


@pytest.mark.parametrize("name", ["valid", "revoked", "self-asserted"])
def test_the_page_fits_a_360_px_phone_without_scrolling_sideways(tmp_path, showcase, name):
    page = showcase.showcase_pages()[name]
    shown = measure(tmp_path, page, 360)
    assert shown["inner"] == 360
    assert shown["scroll"] <= 360, shown
    assert shown["wide"] == [], shown


def test_a_clr_with_long_unbroken_values_fits_360_px(tmp_path, clr):
    record, result = clr
    record = json.loads(json.dumps(record))
    record["credentialSubject"]["id"] = "did:example:" + "a" * 200
    shown = measure(tmp_path, render_badge_html(record, result=result, lang="fr"), 360)
    assert shown["inner"] == 360
    assert shown["scroll"] <= 360, shown
    assert shown["wide"] == [], shown


def test_the_measurement_can_fail(tmp_path):
    """The check above is not vacuous: a page wider than the phone is caught."""
    page = render_badge_html(signed_credential()).replace(
        "</main>", '<div style="width: 500px">wide</div></main>'
    )
    shown = measure(tmp_path, page, 360)
    assert shown["scroll"] > 360
    assert shown["wide"]
