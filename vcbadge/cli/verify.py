"""``vcbadge verify``: verify a credential and exit 0 (VALID), 1 (INVALID) or 2 (INDETERMINATE)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.cli._badge_input import read_badge_input, verify_badge_input
from vcbadge.cli._exit import EX_USAGE, CliError
from vcbadge.cli._io import write_stdout_utf8
from vcbadge.cli._remedies import verification_hints
from vcbadge.cli._report import exit_code_for, render_human, render_json
from vcbadge.cli._verifier import add_verification_options, build_verifier
from vcbadge.errors import InputError

__all__ = ["register", "run"]


def _is_presentation(data: bytes) -> bool:
    # A cheap look only: the verifier parses the bytes strictly again, and anything that is not
    # clearly a presentation goes down the credential path and gets its checks there.
    try:
        document = loads_strict(data)
    except InputError:
        return False
    if not isinstance(document, dict):
        return False
    types = document.get("type")
    return "VerifiablePresentation" in (types if isinstance(types, list) else [types])


def register(subparsers: Any) -> None:
    """Add the ``verify`` sub-command."""
    parser = subparsers.add_parser(
        "verify",
        help="verify a credential: exit 0 VALID, 1 INVALID, 2 INDETERMINATE",
        description=(
            "Verify a credential (a JSON file, a VC-JWT or VC-JOSE-COSE compact JWS text "
            "file, a baked PNG or SVG badge image, or - for standard input), or a Verifiable "
            "Presentation (with --challenge, and --domain if one was named). Prints VALID, INVALID "
            "or INDETERMINATE and one line per check, or the result as JSON with --json. "
            "Exit status: 0 VALID, 1 INVALID, 2 INDETERMINATE, 64 usage error, 66 file not "
            "found. Input that is not JSON (or has duplicate keys) is verified too: it fails "
            "the 'parse' check, so the result is INVALID (exit 1). "
            "Keys are resolved online by default: did:key and did:jwk locally, did:web "
            "documents and HTTPS keys over HTTPS only (timeouts, size cap, no private or "
            "loopback addresses). Documents given with --doc are served ahead of the network. "
            "With --offline nothing is fetched: a key that needs the network makes the result "
            "INDETERMINATE (give its document with --doc)."
        ),
    )
    parser.add_argument("input", metavar="FILE", help="the credential, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    add_verification_options(parser)
    parser.add_argument(
        "--recipient",
        metavar="EMAIL_OR_ID",
        help=(
            "check that the badge was awarded to this person: an email address, DID or URL, "
            "compared with the subject's id or (hashed) identity; another recipient is INVALID "
            "(recipient_mismatch), a badge that names none INDETERMINATE (recipient_unknown)"
        ),
    )
    parser.add_argument(
        "--challenge",
        metavar="C",
        help=(
            "for a Verifiable Presentation: the one-time challenge you sent the holder; a "
            "presentation made for another challenge is INVALID (required for presentations)"
        ),
    )
    parser.add_argument(
        "--domain",
        metavar="D",
        action="append",
        help=(
            "for a Verifiable Presentation: the domain it must be bound to; repeat it when the "
            "proof names a set of domains (the sets must be equal)"
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify and print the result; the exit code is the outcome."""
    verifier = build_verifier(args)
    badge = read_badge_input(args.input, limit=verifier.policy.max_bytes)
    if badge.image is None and _is_presentation(badge.data):
        if args.challenge is None:
            raise CliError(
                f"{args.input} is a presentation: give the challenge you sent with --challenge "
                "(and --domain if you named one)",
                EX_USAGE,
            )
        if args.recipient is not None:
            raise CliError(
                "--recipient is for a credential: verify the credential taken out of the "
                "presentation",
                EX_USAGE,
            )
        result = verifier.verify_presentation(
            badge.data, challenge=args.challenge, domain=args.domain, at=args.at
        )
    elif args.challenge is not None or args.domain is not None:
        raise CliError("--challenge and --domain are for presentations only", EX_USAGE)
    else:
        result = verify_badge_input(verifier, badge, at=args.at, recipient=args.recipient)
    if args.json:
        write_stdout_utf8(render_json(result))
    else:
        sys.stdout.write(render_human(result, sys.stdout))
        sys.stdout.flush()
        codes = [check.code for check in result.failed]
        for hint in verification_hints(codes, offline=bool(args.offline)):
            print(f"vcbadge: hint: {hint}", file=sys.stderr)
    return exit_code_for(result)
