"""``vcbadge show``: verify a credential or badge image and render it as a self-contained HTML
page (``vcbadge.display``)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.cli._badge_input import read_badge_input, verify_badge_input
from vcbadge.cli._io import display_name, read_json_object, write_text
from vcbadge.cli._verifier import add_verification_options, build_verifier
from vcbadge.display import LANGUAGES, render_badge_html
from vcbadge.display.html import is_ob2_assertion
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
            "URL); it says why a badge is not valid, and --lang chooses its language. "
            "Verification works as in 'vcbadge verify' (online unless --offline). "
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
    parser.add_argument(
        "--lang",
        default="en",
        metavar="LANG",
        help=(
            "the language of the page's labels and dates, and of the credential's own texts when "
            f"it gives them in several languages: {', '.join(LANGUAGES)} (default: en; another "
            "language shows English labels)"
        ),
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
    badge_class, issuer = _ob2_documents(credential, args.doc)
    page = render_badge_html(
        credential,
        result=result,
        lang=args.lang,
        image=badge.image,
        source=source,
        checked_at=checked_at,
        badge_class=badge_class,
        issuer=issuer,
    )
    written = write_text(page, args.output, kind="HTML")
    if written is not None:
        name = credential and _name(credential, badge_class)
        print(f"wrote {written}: {result.outcome.value}" + (f" ({name})" if name else ""))
    return 0


def _ob2_documents(
    credential: Mapping[str, Any] | None, docs: list[tuple[str, str]]
) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    """For an Open Badges 2.0 assertion that names its BadgeClass (and the BadgeClass its
    issuer) by URL: those documents when given with ``--doc URL=FILE``, for the page to show."""
    if credential is None or not is_ob2_assertion(credential):
        return None, None
    files = dict(docs)

    def given(reference: Any) -> Mapping[str, Any] | None:
        if not isinstance(reference, str) or reference not in files:
            return None
        document = read_json_object(files[reference], what="an Open Badges 2.0 document")
        # A document whose id is not the URL named is not the one the assertion means.
        return document if document.get("id") == reference else None

    reference = credential.get("badge")
    badge_class = reference if isinstance(reference, Mapping) else given(reference)
    issuer = given(badge_class.get("issuer")) if badge_class is not None else None
    return (None if isinstance(reference, Mapping) else badge_class), issuer


def _name(
    credential: Mapping[str, Any], badge_class: Mapping[str, Any] | None = None
) -> str | None:
    if is_ob2_assertion(credential):
        badge = credential.get("badge")
        badge = badge if isinstance(badge, Mapping) else badge_class
        name = badge.get("name") if isinstance(badge, Mapping) else None
        return name if isinstance(name, str) else None
    subject = credential.get("credentialSubject")
    if isinstance(subject, list) and subject:
        subject = subject[0]
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    name = achievement.get("name") if isinstance(achievement, Mapping) else None
    name = name if isinstance(name, str) else credential.get("name")
    return name if isinstance(name, str) else None
