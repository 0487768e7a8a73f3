"""Regenerate the badge page screenshots in docs/images/, rendered by headless Chromium.

    .venv/bin/python scripts/screenshot_badge.py [--chromium PATH] [-o docs/images]

Writes, at desktop (900 px) and phone (360 px) width:

- ``badge-valid.png`` / ``badge-valid-phone.png``: the "Bake a badge image" tutorial's badge,
  a full Open Badges 3.0 credential (results with a rubric level, evidence, alignments, credits);
- ``badge-revoked.png`` / ``badge-revoked-phone.png``: the same badge revoked by its issuer
  through a 1EdTech Revocation List that gives a reason;
- ``badge-self-asserted.png`` / ``badge-self-asserted-phone.png``: a valid badge signed with a
  fresh did:key that calls itself "Harvard University".

The credentials are deterministic (fixed key seeds, fixed times, fixed ids) and verified as of
a fixed moment, so the pages are the same on every run; only font rendering may differ between
machines. Chromium runs with its background networking off and the pages load nothing.
:func:`showcase_pages` is also what tests/display renders in a real browser.
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
from typing import Any

from vcbadge import FixedClock, Issuer, Profile, Verifier
from vcbadge.bake import bake, unbake
from vcbadge.display import render_badge_html
from vcbadge.keys import Ed25519Key

ROOT = Path(__file__).resolve().parents[1]
ISSUED = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
CHECKED = datetime(2025, 3, 1, 9, 30, tzinfo=timezone.utc)
DESKTOP = (900, 1600)
PHONE = (360, 1400)
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
REVOCATIONS = "https://badges.example.edu/revocations"
CREDENTIAL_ID = "urn:uuid:6f1b1d7e-2d50-4f55-9d8e-3f3c1b0a9e01"
SOURCE = "badge.png: Open Badges 3.0 credential (JSON) in a PNG iTXt chunk"


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


def rich_draft(*, credential_id: str = CREDENTIAL_ID, revocable: bool = False) -> dict[str, Any]:
    """An Open Badges 3.0 credential draft using what a person wants to see: achievement type,
    field of study, credits, tags, an alignment, two result descriptions (a rubric and a
    score), the results achieved, activity dates, role and term, and evidence."""
    draft: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2", OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Python 101",
        "validUntil": "2030-01-31T12:00:00Z",
        "awardedDate": "2025-01-30T09:00:00Z",
        "credentialSubject": {
            "id": "did:example:ada",
            "type": ["AchievementSubject"],
            "activityStartDate": "2024-09-02T00:00:00Z",
            "activityEndDate": "2024-12-20T00:00:00Z",
            "creditsEarned": 5,
            "role": "Student",
            "term": "Autumn 2024",
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000001",
                    "achievedLevel": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000012",
                },
                {
                    "type": ["Result"],
                    "resultDescription": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000002",
                    "value": "87",
                },
            ],
            "achievement": {
                "id": "https://badges.example.edu/achievements/python-101",
                "type": ["Achievement"],
                "name": "Python 101",
                "description": "Wrote, tested and packaged a small Python program.",
                "criteria": {"narrative": "Pass the final project: a tested command-line tool."},
                "achievementType": "Course",
                "fieldOfStudy": "Computer science",
                "specialization": "Software testing",
                "creditsAvailable": 5,
                "humanCode": "CS-101",
                "inLanguage": "en",
                "tag": ["python", "testing"],
                "creator": {
                    "id": "https://example.edu/computing",
                    "type": ["Profile"],
                    "name": "Department of Computing",
                },
                "alignment": [
                    {
                        "type": ["Alignment"],
                        "targetName": "Write unit tests",
                        "targetUrl": "https://skills.example.org/unit-tests",
                        "targetFramework": "Example Skills",
                        "targetCode": "ST-3",
                        "targetType": "ceasn:Competency",
                        "targetDescription": "Writes automated tests for a program.",
                    }
                ],
                "resultDescription": [
                    {
                        "id": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000001",
                        "type": ["ResultDescription"],
                        "name": "Final project",
                        "resultType": "RubricCriterionLevel",
                        "requiredLevel": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000011",
                        "rubricCriterionLevel": [
                            {
                                "id": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000011",
                                "type": ["RubricCriterionLevel"],
                                "name": "Pass",
                                "description": "The program runs and has tests.",
                                "points": "1",
                            },
                            {
                                "id": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000012",
                                "type": ["RubricCriterionLevel"],
                                "name": "Distinction",
                                "description": "Every function is tested.",
                                "points": "2",
                            },
                        ],
                    },
                    {
                        "id": "urn:uuid:3c1e5b0e-0000-4000-8000-000000000002",
                        "type": ["ResultDescription"],
                        "name": "Exam score",
                        "resultType": "Percent",
                        "valueMin": "0",
                        "valueMax": "100",
                        "requiredValue": "50",
                    },
                ],
            },
        },
        "evidence": [
            {
                "id": "https://example.edu/evidence/ada-project",
                "type": ["Evidence"],
                "name": "Final project",
                "narrative": "A tested command-line tool that renames photos by date.",
                "genre": "Project",
                "audience": "Teachers",
            }
        ],
    }
    if revocable:
        draft["@context"].append(OB_EXTENSIONS)
        draft["credentialStatus"] = {"id": REVOCATIONS, "type": "1EdTechRevocationList"}
    return draft


def university_key() -> Ed25519Key:
    """The tutorial issuer's key (a fixed seed)."""
    return Ed25519Key.from_seed(bytes(range(32)))


def university(name: str = "Example University", key: Ed25519Key | None = None) -> Issuer:
    key = key or university_key()
    profile = Profile(
        id=key.did,
        name=name,
        url="https://example.edu",
        email="badges@example.edu",
        phone="+1 555 0100",
    )
    return Issuer(profile, key=key, clock=FixedClock(ISSUED))


def revocation_list(issuer_did: str, credential_id: str, reason: str) -> dict[str, Any]:
    """A 1EdTech Revocation List naming ``credential_id`` with ``reason``."""
    return {
        "id": REVOCATIONS,
        "issuer": issuer_did,
        "revokedCredentials": [{"id": credential_id, "revocationReason": reason}],
    }


def showcase_pages(lang: str = "en") -> dict[str, str]:
    """The pages of the screenshots, by name: ``valid``, ``revoked``, ``self-asserted``."""
    badge = draw_badge()
    pages = {}

    issuer = university()
    credential = issuer.issue(rich_draft())
    baked = bake(badge, credential)
    result = Verifier.offline(clock=FixedClock(CHECKED)).verify(unbake(baked))
    pages["valid"] = render_badge_html(
        credential, result=result, image=baked, source=SOURCE, checked_at=CHECKED, lang=lang
    )

    revoked_id = "https://badges.example.edu/credentials/77"
    revoked = issuer.issue(rich_draft(credential_id=revoked_id, revocable=True))
    listing = revocation_list(issuer.profile.id, revoked_id, "Awarded by mistake")
    verifier = Verifier.offline(documents={REVOCATIONS: listing}, clock=FixedClock(CHECKED))
    result = verifier.verify(revoked)
    pages["revoked"] = render_badge_html(
        revoked, result=result, image=badge, checked_at=CHECKED, lang=lang
    )

    impostor = university("Harvard University", Ed25519Key.from_seed(bytes(range(100, 132))))
    claimed = impostor.issue(rich_draft())
    result = Verifier.offline(clock=FixedClock(CHECKED)).verify(claimed)
    pages["self-asserted"] = render_badge_html(
        claimed, result=result, image=badge, checked_at=CHECKED, lang=lang
    )
    return pages


CHROMIUM_FLAGS = (
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
)


def screenshot(chromium: str, page: str, output: Path, size: tuple[int, int]) -> None:
    """Render ``page`` (HTML) at ``size`` into ``output`` (PNG)."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "badge.html"
        source.write_text(page, encoding="utf-8")
        command = [
            chromium,
            *CHROMIUM_FLAGS,
            f"--window-size={size[0]},{size[1]}",
            f"--user-data-dir={Path(work) / 'profile'}",
            f"--screenshot={output.resolve()}",
            source.as_uri(),
        ]
        subprocess.run(command, check=True, capture_output=True, timeout=120)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default=shutil.which("chromium"), help="Chromium binary")
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    if not args.chromium:
        print("chromium not found: apt-get install chromium, or pass --chromium", file=sys.stderr)
        return 1
    args.output.mkdir(parents=True, exist_ok=True)
    for name, page in showcase_pages().items():
        for suffix, size in (("", DESKTOP), ("-phone", PHONE)):
            target = args.output / f"badge-{name}{suffix}.png"
            screenshot(args.chromium, page, target, size)
            print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
