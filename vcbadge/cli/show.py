"""``vcbadge show``: verify a credential or badge image and render it as a self-contained HTML
page (``vcbadge.display``)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.cli._badge_input import read_badge_input, verify_badge_input
from vcbadge.cli._io import display_name, write_text
from vcbadge.cli._verifier import add_verification_options, build_verifier
from vcbadge.display import render_badge_html
from vcbadge.errors import InputError

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``show`` sub-command."""
    parser = subparsers.add_parser(
        "show",
        help="render a credential or badge image as an HTML page, with its verification",
        description=(
            "Verify a credential (JSON or VC-JWT file) or a baked PNG/SVG badge image, and write "
            "one self-contained HTML page showing the badge image, the achievement, recipient, "
            "issuer, dates and the verification outcome with every check. The page has no "
            "JavaScript and loads nothing from the network (remote images are shown as their "
            "URL). Verification works as in 'vcbadge verify' (online unless --offline). "
            "Exit status: 0 the page was written, whatever the outcome (use 'vcbadge verify' "
            "to script on the outcome); "
            "64 usage error, 66 input missing, 73 OUT cannot be written."
        ),
    )
    parser.add_argument(
        "input", metavar="FILE_OR_IMAGE", help="the credential or badge image, or -"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="the HTML file to write (default: standard output)"
    )
    add_verification_options(parser)
    parser.set_defaults(handler=run)


def _readable(document: Any, credential: bytes | str | None) -> Mapping[str, Any] | None:
    if isinstance(document, Mapping):
        return document
    if credential is None:
        return None
    try:
        parsed = loads_strict(credential)
    except InputError:
        return None
    return parsed if isinstance(parsed, Mapping) else None


def run(args: argparse.Namespace) -> int:
    """Verify the input and write the HTML page."""
    verifier = build_verifier(args)
    badge = read_badge_input(args.input, limit=verifier.policy.max_bytes)
    checked_at = args.at or verifier.clock.now().replace(microsecond=0)
    result = verify_badge_input(verifier, badge, at=checked_at)
    credential = _readable(result.document, badge.credential)
    source = display_name(args.input)
    if badge.baked is not None:
        source = f"{source}: {badge.baked.describe()}"
    page = render_badge_html(
        credential, result=result, image=badge.image, source=source, checked_at=checked_at
    )
    written = write_text(page, args.output)
    if written is not None:
        name = credential and _name(credential)
        print(f"wrote {written}: {result.outcome.value}" + (f" ({name})" if name else ""))
    return 0


def _name(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    name = achievement.get("name") if isinstance(achievement, Mapping) else None
    name = name if isinstance(name, str) else credential.get("name")
    return name if isinstance(name, str) else None
