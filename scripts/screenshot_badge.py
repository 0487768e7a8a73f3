"""Regenerate docs/images/badge-valid.png: the badge page of the "Bake a badge image" tutorial,
rendered by headless Chromium.

    .venv/bin/python scripts/screenshot_badge.py [--chromium PATH] [-o docs/images/badge-valid.png]

The credential is deterministic (fixed key seed, fixed issuance time, fixed id) and is verified
as of a fixed moment, so the page is the same on every run; only font rendering may differ
between machines. Chromium runs with its background networking off and the page itself loads
nothing.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Issuer,
    Profile,
    Verifier,
)
from vcbadge.bake import bake, unbake
from vcbadge.display import render_badge_html
from vcbadge.keys import Ed25519Key

ROOT = Path(__file__).resolve().parents[1]
ISSUED = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
CHECKED = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
WINDOW = (900, 1180)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def draw_badge(size: int = 96) -> bytes:
    """The tutorial's badge: a blue disc in a yellow ring, 8-bit RGBA."""
    rows = []
    centre = (size - 1) / 2
    for y in range(size):
        row = bytearray(b"\x00")
        for x in range(size):
            distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
            if distance < size * 0.36:
                row += bytes((48, 105, 152, 255))
            elif distance < size * 0.47:
                row += bytes((255, 212, 59, 255))
            else:
                row += bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + _chunk(b"IEND", b"")
    )


def badge_page() -> str:
    """The deterministic badge page."""
    key = Ed25519Key.from_seed(bytes(range(32)))
    issuer = Issuer(
        Profile(id=key.did, name="Example University"), key=key, clock=FixedClock(ISSUED)
    )
    achievement = Achievement(
        id="https://badges.example.edu/achievements/python-101",
        name="Python 101",
        description="Wrote, tested and packaged a small Python program.",
        criteria=Criteria(narrative="Pass the final project: a tested command-line tool."),
    )
    draft = AchievementCredential.award(
        achievement,
        recipient="did:example:ada",
        id="urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e01",
    )
    credential = issuer.issue(draft)
    baked = bake(draw_badge(), credential)
    result = Verifier.offline().verify(unbake(baked), at=CHECKED)
    return render_badge_html(
        credential,
        result=result,
        image=baked,
        source="badge.png: Open Badges 3.0 credential (JSON) in a PNG iTXt chunk",
        checked_at=CHECKED,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium"), help="Chromium binary")
    parser.add_argument(
        "-o", "--output", type=Path, default=ROOT / "docs" / "images" / "badge-valid.png"
    )
    args = parser.parse_args(argv)
    if not args.chromium:
        print("chromium not found: apt-get install chromium, or pass --chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "badge.html"
        page.write_text(badge_page(), encoding="utf-8")
        command = [
            args.chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--screenshot={args.output.resolve()}",
            page.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
