"""``vcbadge demo``: the whole story on embedded defaults, in a directory it says it wrote to.

Generate a key, build an achievement, issue a signed OpenBadgeCredential that can be revoked,
publish the issuer's status list, verify the badge (VALID), tamper with a copy (INVALID,
``invalid_signature``), bake the badge into a PNG and verify the image (VALID), revoke the badge,
publish again and verify the image again (INVALID, ``revoked``). Everything is offline: the
verifier is handed the published status list, as an air-gapped verifier would be. The directory
can be reused: the demo overwrites its own files there and nothing else.
"""

from __future__ import annotations

import argparse
import base64
import copy
import shlex
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.bake import bake_png, unbake
from vcbadge.cli._exit import EX_CANTCREAT, EX_OK, EX_SOFTWARE, CliError
from vcbadge.cli._io import dumps_pretty
from vcbadge.cli._report import render_human
from vcbadge.issue import Issuer
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.model import Achievement, AchievementCredential, Criteria, Image, Profile
from vcbadge.store import SQLiteStatusStore
from vcbadge.verify import Outcome, VerificationResult, Verifier

__all__ = ["DEMO_FILES", "demo_achievement", "register", "run"]

DEMO_FILES = (
    "key.json",
    "credential.json",
    "tampered.json",
    "status.db",
    "status.db.watermark",
    "status-list.json",
    "badge.png",
)
"""The files ``vcbadge demo`` writes (and the only ones it overwrites)."""

_STATUS_BASE_URL = "https://badges.example.edu/status"

_DEFAULT_DIR = "vcbadge-demo"
_RECIPIENT_EMAIL = "learner@example.org"
_BADGE_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<circle cx="32" cy="32" r="30" fill="#1f6feb"/>'
    '<text x="32" y="40" font-size="22" text-anchor="middle" fill="#fff">VC</text></svg>'
)


def register(subparsers: Any) -> None:
    """Add the ``demo`` sub-command."""
    parser = subparsers.add_parser(
        "demo",
        help="issue, verify, tamper, bake, revoke and verify again, end to end, offline",
        description=(
            "Run the whole story on embedded defaults, offline: generate a signing key, build "
            "an achievement, issue a revocable OpenBadgeCredential to a (hashed) email "
            "address, publish the status list, verify the badge (VALID), tamper with a copy "
            "(INVALID, invalid_signature), bake the badge into a PNG and verify the image "
            "(VALID), revoke it, publish again and verify the image again (INVALID, revoked). "
            f"Writes {', '.join(DEMO_FILES)} into DIR (the key with mode 0600) and prints "
            "their absolute paths. Re-running overwrites those files only. Exit 0 when "
            "everything went as expected."
        ),
    )
    parser.add_argument(
        "--dir",
        default=_DEFAULT_DIR,
        metavar="DIR",
        help=f"where to write the files (default: ./{_DEFAULT_DIR}; created if missing)",
    )
    parser.set_defaults(handler=run)


def _out(text: str = "") -> None:
    print(text)


def _indented(result: VerificationResult) -> str:
    lines = render_human(result, sys.stdout).splitlines()
    return "\n".join("     " + line for line in lines)


def _prepare(directory: Path) -> Path:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise CliError(f"{directory}: exists and is not a directory", EX_CANTCREAT) from None
    except OSError as exc:
        raise CliError(f"{directory}: cannot create: {exc.strerror or exc}", EX_CANTCREAT) from None
    for name in DEMO_FILES:
        if (directory / name).is_dir():
            raise CliError(f"{directory / name}: is a directory, cannot write there", EX_CANTCREAT)
    return directory.resolve()


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{path}: cannot write: {exc.strerror or exc}", EX_CANTCREAT) from None


def demo_achievement() -> Achievement:
    """The achievement the demo awards (image embedded as a ``data:`` URI)."""
    image = "data:image/svg+xml;base64," + base64.b64encode(_BADGE_SVG.encode()).decode("ascii")
    return Achievement(
        id="https://badges.example.edu/achievements/verifiable-credentials-101",
        name="Verifiable Credentials 101",
        description="Issued, verified and tampered with a W3C Verifiable Credential.",
        criteria=Criteria(narrative="Run `vcbadge demo` and read what it prints."),
        image=Image(id=image, caption="A blue VC badge"),
    )


def demo_png() -> bytes:
    """A small badge-sized PNG (a blue disc), made here so the demo needs no image file."""
    size = 64
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type: none
        for x in range(size):
            inside = (x - 31.5) ** 2 + (y - 31.5) ** 2 <= 30**2
            row += bytes((31, 111, 235, 255) if inside else (0, 0, 0, 0))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _fresh_store(path: Path) -> SQLiteStatusStore:
    # Each run is a new story with a new key: start from a new status store, removing the last
    # run's (its database files and its watermark), which only the demo may do.
    for suffix in ("", "-wal", "-shm", ".watermark"):
        leftover = path.with_name(path.name + suffix)
        if leftover.is_file():
            leftover.unlink()
    return SQLiteStatusStore.create(path, base_url=_STATUS_BASE_URL)


def run(args: argparse.Namespace) -> int:
    """Run the story; exit 0 when every verification gives the outcome it should."""
    directory = _prepare(Path(args.dir))
    paths = {name: directory / name for name in DEMO_FILES}
    _out(f"vcbadge demo: writing into {directory}")
    _out()

    key = Ed25519Key.generate()
    try:
        save_key(key, paths["key.json"], overwrite=True)
    except OSError as exc:
        raise CliError(
            f"{paths['key.json']}: cannot write: {exc.strerror or exc}", EX_CANTCREAT
        ) from None
    _out("1. Generated an Ed25519 signing key (the issuer is its did:key)")
    _out(f"     issuer:   {key.did}")
    _out(f"     key file: {paths['key.json']} (mode 0600, keep it secret)")

    achievement = demo_achievement()
    _out(f'2. Built the achievement "{achievement.name}" (criteria and an embedded image)')

    store = _fresh_store(paths["status.db"])
    try:
        issuer = Issuer(
            Profile(id=key.controller, name="vcbadge demo issuer"), key=key, status_store=store
        )
        draft = AchievementCredential.award(achievement, recipient_email=_RECIPIENT_EMAIL)
        credential = issuer.issue(draft)
        _write(paths["credential.json"], dumps_pretty(credential))
        _out(
            f"3. Issued a signed, revocable OpenBadgeCredential to {_RECIPIENT_EMAIL} "
            "(stored hashed)"
        )
        _out(f"     credential:  {paths['credential.json']}")
        _out(f"     status store: {paths['status.db']}")
        _out(f"     watermark:    {paths['status.db.watermark']}")

        lists = _publish(issuer, paths["status-list.json"])
        verifier = Verifier.offline(documents=lists)
        result = verifier.verify(paths["credential.json"].read_bytes())
        _out("4. Published the status list and verified credential.json:")
        _out(_indented(result))

        tampered: dict[str, Any] = copy.deepcopy(
            loads_strict(paths["credential.json"].read_bytes())
        )
        tampered["credentialSubject"]["achievement"]["name"] = "Verifiable Credentials 901 (forged)"
        _write(paths["tampered.json"], dumps_pretty(tampered))
        tampered_result = verifier.verify(paths["tampered.json"].read_bytes())
        _out("5. Changed the achievement name in a copy, tampered.json, and verified it:")
        _out(_indented(tampered_result))

        _write_bytes(paths["badge.png"], bake_png(demo_png(), credential))
        baked_result = verifier.verify(unbake(paths["badge.png"].read_bytes()))
        _out("6. Baked the credential into badge.png and verified the image:")
        _out(_indented(baked_result))

        store.revoke(str(credential["id"]), actor="vcbadge demo", reason="shown revoked")
        lists = _publish(issuer, paths["status-list.json"])
        revoked_result = Verifier.offline(documents=lists).verify(
            unbake(paths["badge.png"].read_bytes())
        )
        _out("7. Revoked the badge, published the status list again and verified badge.png:")
        _out(_indented(revoked_result))
        _out()
    finally:
        store.close()

    as_expected = (
        result.outcome is Outcome.VALID
        and _fails_with(tampered_result, "invalid_signature")
        and baked_result.outcome is Outcome.VALID
        and _fails_with(revoked_result, "revoked")
    )
    _out("Files written:")
    for path in paths.values():
        _out(f"  {path}")
    _out()
    if not as_expected:
        print(
            "vcbadge: error: the demo did not go as expected (see the checks above); "
            "please report this",
            file=sys.stderr,
        )
        return EX_SOFTWARE
    _out(
        "The badge verified VALID, the tampered copy INVALID (invalid_signature), the baked "
        "image VALID, and after revocation INVALID (revoked), as it should be."
    )
    status_doc = f"{next(iter(lists))}={paths['status-list.json']}"
    _out(
        f"Next: vcbadge verify {shlex.quote(str(paths['badge.png']))} --offline "
        f"--doc {shlex.quote(status_doc)}"
    )
    return EX_OK


def _publish(issuer: Issuer, target: Path) -> dict[str, dict[str, Any]]:
    lists = issuer.publish_status_lists()
    if len(lists) != 1:
        raise CliError(f"expected one status list, the store published {len(lists)}", EX_SOFTWARE)
    _write(target, dumps_pretty(next(iter(lists.values()))))
    return lists


def _fails_with(result: VerificationResult, code: str) -> bool:
    return result.outcome is Outcome.INVALID and code in {check.code for check in result.failed}


def _write_bytes(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CliError(f"{path}: cannot write: {exc.strerror or exc}", EX_CANTCREAT) from None
