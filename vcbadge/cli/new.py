"""``vcbadge new``: write an unsigned achievement or credential to start from.

    vcbadge new achievement --name N --description D --criteria TEXT [--achievement-id URL]
                            [--image URL]
    vcbadge new credential  (--achievement FILE | --name N --description D --criteria TEXT)
                            (--recipient-email EMAIL | --recipient-did DID)
                            (--issuer ID | --key KEY)
                            [--valid-from ISO] [--valid-until ISO] [--id URI]

The credential is what ``vcbadge issue`` signs, and is clean for ``vcbadge validate``: the
OB 3.0 members a verifier requires are all there (an ``id``, the issuer, ``validFrom``, the
achievement's ``id``, ``name``, ``description`` and ``criteria``). An email address is stored
only as a salted SHA-256 hash.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import datetime, timezone
from typing import Any

from pydantic import ValidationError

from vcbadge._time import parse_datetime
from vcbadge.cli._exit import EX_DATAERR, EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import (
    describe_error,
    display_name,
    dumps_pretty,
    load_key_file,
    read_public_document,
    write_text,
)
from vcbadge.errors import VcbadgeError
from vcbadge.model import (
    Achievement,
    AchievementCredential,
    Criteria,
    Image,
    Profile,
    validate_document,
)

__all__ = ["register", "run"]


def _moment(value: str) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date-time with a time zone (e.g. 2025-01-31T12:00:00Z)"
        ) from None


def _add_achievement_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--name", required=required, help="the achievement's name")
    parser.add_argument("--description", required=required, help="what the achievement recognises")
    parser.add_argument(
        "--criteria",
        metavar="TEXT",
        help="how it is earned (a narrative; Markdown allowed); --criteria-url or this is needed",
    )
    parser.add_argument("--criteria-url", metavar="URL", help="a page describing the criteria")
    parser.add_argument(
        "--achievement-id",
        metavar="URL",
        help="the achievement's id (default: a new urn:uuid; a URL where it is described is "
        "better, and stays the same for every award)",
    )
    parser.add_argument("--image", metavar="URL", help="the badge image's URL")
    parser.add_argument(
        "--achievement-type",
        metavar="TYPE",
        help="OB 3.0 achievementType, e.g. Badge, Certificate, Course, Competency",
    )


def register(subparsers: Any) -> None:
    """Add the ``new`` sub-command and its two kinds."""
    parser = subparsers.add_parser(
        "new",
        help="write an unsigned achievement or credential (JSON) to start from",
        description=(
            "Write an unsigned Open Badges 3.0 achievement, or a credential awarding one, that "
            "vcbadge validate accepts and vcbadge issue signs."
        ),
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    achievement = kinds.add_parser("achievement", help="an Achievement (what is recognised)")
    _add_achievement_options(achievement, required=True)
    credential = kinds.add_parser(
        "credential", help="an unsigned OpenBadgeCredential awarding an achievement"
    )
    credential.add_argument(
        "--achievement",
        metavar="FILE",
        help="the achievement (a file written by vcbadge new achievement), instead of --name...",
    )
    _add_achievement_options(credential, required=False)
    recipient = credential.add_mutually_exclusive_group(required=True)
    recipient.add_argument(
        "--recipient-email",
        metavar="EMAIL",
        help="stored only as a salted SHA-256 hash (of the address in lower case)",
    )
    recipient.add_argument(
        "--recipient-did", metavar="DID_OR_URL", help="the learner's DID (or URL)"
    )
    issuer = credential.add_mutually_exclusive_group(required=True)
    issuer.add_argument("--issuer", metavar="DID_OR_URL", help="the issuer's id")
    issuer.add_argument(
        "--key", metavar="KEY.json", help="the issuer is this key's controller (nothing is signed)"
    )
    credential.add_argument("--issuer-name", metavar="NAME", help="the issuer's name")
    credential.add_argument(
        "--valid-from", type=_moment, metavar="ISO", help="when it takes effect (default: now)"
    )
    credential.add_argument(
        "--valid-until", type=_moment, metavar="ISO", help="when it expires (default: never)"
    )
    credential.add_argument(
        "--id", metavar="URI", help="the credential's id (default: a new urn:uuid)"
    )
    for sub in (achievement, credential):
        sub.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
        sub.add_argument("--force", action="store_true", help="let -o replace a file holding a key")
        sub.add_argument("--json", action="store_true", help="errors as JSON on standard output")
    parser.set_defaults(handler=run)


def _one_line(error: Exception) -> str:
    """One line for a refusal by the model: its first problem, where it is."""
    if isinstance(error, VcbadgeError):
        return describe_error(error)
    problems = error.errors() if isinstance(error, ValidationError) else []
    if problems:
        first = problems[0]
        where = "/".join(str(part) for part in first.get("loc", ()))
        return f"{first.get('msg', 'invalid value')} at {where or '/'}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _achievement(args: argparse.Namespace) -> Achievement:
    missing = [
        option
        for option, value in (("--name", args.name), ("--description", args.description))
        if not value
    ]
    if args.criteria is None and args.criteria_url is None:
        missing.append("--criteria (or --criteria-url)")
    if missing:
        raise CliError(f"an achievement needs {', '.join(missing)}", EX_USAGE)
    try:
        return Achievement(
            id=args.achievement_id or f"urn:uuid:{uuid.uuid4()}",
            name=args.name,
            description=args.description,
            criteria=Criteria(id=args.criteria_url, narrative=args.criteria),
            image=Image(id=args.image) if args.image else None,
            achievement_type=args.achievement_type,
        )
    except (VcbadgeError, ValueError) as error:
        raise CliError(f"cannot make the achievement: {_one_line(error)}", EX_USAGE) from None


def _given_achievement(args: argparse.Namespace) -> Achievement:
    inline = [
        option
        for option, value in (
            ("--name", args.name),
            ("--description", args.description),
            ("--criteria", args.criteria),
            ("--criteria-url", args.criteria_url),
            ("--achievement-id", args.achievement_id),
            ("--image", args.image),
            ("--achievement-type", args.achievement_type),
        )
        if value is not None
    ]
    if inline:
        raise CliError(f"--achievement gives the achievement: drop {', '.join(inline)}", EX_USAGE)
    document = read_public_document(args.achievement, what="an achievement")
    try:
        return Achievement.from_json(document)
    except VcbadgeError as error:
        raise CliError(
            f"{display_name(args.achievement)}: {describe_error(error)}", EX_DATAERR
        ) from None


def _credential(args: argparse.Namespace) -> dict[str, Any]:
    achievement = _given_achievement(args) if args.achievement else _achievement(args)
    issuer_id = load_key_file(args.key).controller if args.key is not None else args.issuer
    valid_from = args.valid_from or datetime.now(timezone.utc).replace(microsecond=0)
    if args.valid_until is not None and args.valid_until <= valid_from:
        raise CliError("--valid-until must be later than --valid-from", EX_USAGE)
    try:
        credential = AchievementCredential.award(
            achievement,
            recipient=args.recipient_did,
            # Lower-cased before hashing, as OB verifiers compare email addresses: a verifier
            # given "alice@example.edu" finds a badge issued to "Alice@Example.edu".
            recipient_email=args.recipient_email.strip().lower() if args.recipient_email else None,
            valid_from=valid_from,
            valid_until=args.valid_until,
            issuer=Profile(id=issuer_id, name=args.issuer_name),
        )
        document = credential.to_json()
    except (VcbadgeError, ValueError) as error:
        raise CliError(f"cannot make the credential: {_one_line(error)}", EX_USAGE) from None
    if args.id is not None:
        document["id"] = args.id
    return document


def run(args: argparse.Namespace) -> int:
    """Write the achievement or the unsigned credential."""
    document = _achievement(args).to_json() if args.kind == "achievement" else _credential(args)
    problems = validate_document(document)
    if problems:
        first = problems[0]
        raise CliError(
            f"the {args.kind} would not be valid: {first.message} at {first.path or '/'} "
            f"[{first.code}]",
            EX_USAGE,
        )
    write_text(dumps_pretty(document), args.output, force=args.force, kind="JSON")
    return EX_OK
