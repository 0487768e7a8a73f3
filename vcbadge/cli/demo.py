"""``vcbadge demo``: the whole story on embedded defaults, in a directory it says it wrote to.

Generate a key, build an achievement, issue a signed OpenBadgeCredential, verify it (VALID),
tamper with a copy and show that verification fails (INVALID, ``invalid_signature``). The
directory can be reused: the demo overwrites its own three files there and nothing else.
"""

from __future__ import annotations

import argparse
import base64
import copy
import shlex
import sys
from pathlib import Path
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.cli._exit import EX_CANTCREAT, EX_OK, EX_SOFTWARE, CliError
from vcbadge.cli._io import dumps_pretty
from vcbadge.cli._report import render_human
from vcbadge.issue import Issuer
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.model import Achievement, AchievementCredential, Criteria, Image, Profile
from vcbadge.verify import Outcome, VerificationResult, Verifier

__all__ = ["DEMO_FILES", "demo_achievement", "register", "run"]

DEMO_FILES = ("key.json", "credential.json", "tampered.json")
"""The files ``vcbadge demo`` writes (and the only ones it overwrites)."""

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
        help="issue, verify and tamper with a badge, end to end, and show where files went",
        description=(
            "Run the whole story on embedded defaults: generate a signing key, build an "
            "achievement, issue a signed OpenBadgeCredential to a (hashed) email address, "
            "verify it (VALID), tamper with a copy and verify that (INVALID, "
            "invalid_signature). Writes key.json (mode 0600), credential.json and "
            "tampered.json into DIR and prints their absolute paths. Re-running overwrites "
            "those three files only. Exit 0 when everything went as expected."
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


def run(args: argparse.Namespace) -> int:
    """Run the story; exit 0 when the credential verifies and the tampered copy does not."""
    directory = _prepare(Path(args.dir))
    key_path, credential_path, tampered_path = (directory / name for name in DEMO_FILES)
    _out(f"vcbadge demo: writing into {directory}")
    _out()

    key = Ed25519Key.generate()
    try:
        save_key(key, key_path, overwrite=True)
    except OSError as exc:
        raise CliError(f"{key_path}: cannot write: {exc.strerror or exc}", EX_CANTCREAT) from None
    _out("1. Generated an Ed25519 signing key (the issuer is its did:key)")
    _out(f"     issuer:   {key.did}")
    _out(f"     key file: {key_path} (mode 0600, keep it secret)")

    achievement = demo_achievement()
    _out(f'2. Built the achievement "{achievement.name}" (criteria and an embedded image)')

    issuer = Issuer(Profile(id=key.controller, name="vcbadge demo issuer"), key=key)
    draft = AchievementCredential.award(achievement, recipient_email=_RECIPIENT_EMAIL)
    credential = issuer.issue(draft)
    _write(credential_path, dumps_pretty(credential))
    _out(f"3. Issued a signed OpenBadgeCredential to {_RECIPIENT_EMAIL} (stored hashed)")
    _out(f"     credential: {credential_path}")

    verifier = Verifier.offline()
    result = verifier.verify(credential_path.read_bytes())
    _out("4. Verified credential.json:")
    _out(_indented(result))

    tampered: dict[str, Any] = copy.deepcopy(loads_strict(credential_path.read_bytes()))
    tampered["credentialSubject"]["achievement"]["name"] = "Verifiable Credentials 901 (forged)"
    _write(tampered_path, dumps_pretty(tampered))
    tampered_result = verifier.verify(tampered_path.read_bytes())
    _out("5. Changed the achievement name in a copy, tampered.json, and verified it:")
    _out(_indented(tampered_result))
    _out()

    as_expected = result.outcome is Outcome.VALID and (
        tampered_result.outcome is Outcome.INVALID
        and "invalid_signature" in {check.code for check in tampered_result.failed}
    )
    _out("Files written:")
    for path in (key_path, credential_path, tampered_path):
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
        "The credential is VALID and the tampered copy INVALID (invalid_signature), as it "
        "should be."
    )
    _out(f"Next: vcbadge verify {shlex.quote(str(credential_path))}")
    return EX_OK
