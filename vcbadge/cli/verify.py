"""``vcbadge verify``: verify a credential and exit 0 (VALID), 1 (INVALID) or 2 (INDETERMINATE)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from vcbadge._json import loads_strict
from vcbadge._time import parse_datetime
from vcbadge.cli._badge_input import read_badge_input, verify_badge_input
from vcbadge.cli._exit import EX_USAGE, CliError
from vcbadge.cli._io import read_json_object, write_stdout_utf8
from vcbadge.cli._report import exit_code_for, render_human, render_json
from vcbadge.errors import InputError
from vcbadge.verify import Policy, Verifier

__all__ = ["register", "run"]


def _moment(value: str) -> datetime:
    try:
        return parse_datetime(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 date-time with a time zone (e.g. 2025-01-31T12:00:00Z)"
        ) from None


def _document_spec(value: str) -> tuple[str, str]:
    identifier, separator, path = value.rpartition("=")
    if not separator or not identifier or not path:
        raise argparse.ArgumentTypeError(f"expected URL_OR_DID=FILE, got {value!r}")
    if ":" not in identifier:
        raise argparse.ArgumentTypeError(f"{identifier!r} is not a DID or an absolute URL")
    if "#" in identifier:
        raise argparse.ArgumentTypeError(
            f"give the DID or URL of the document without a #fragment: {identifier!r}"
        )
    return identifier, path


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
    parser.add_argument(
        "--offline",
        action="store_true",
        help="never use the network: only did:key, did:jwk and --doc documents",
    )
    parser.add_argument(
        "--trust",
        action="append",
        metavar="ISSUER",
        help="accept only credentials from this issuer id (repeat for several)",
    )
    parser.add_argument(
        "--at",
        type=_moment,
        metavar="ISO",
        help="verify as of this moment (ISO 8601 with a time zone) instead of now",
    )
    parser.add_argument(
        "--doc",
        action="append",
        type=_document_spec,
        default=[],
        metavar="URL_OR_DID=FILE",
        help=(
            "serve the JSON document in FILE (a DID document or controller document) for that "
            "DID or URL, ahead of any other resolution (repeatable)"
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
        help="for a Verifiable Presentation: the domain it must be bound to",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify and print the result; the exit code is the outcome."""
    policy = Policy.default()
    if args.trust:
        policy = policy.replace(trusted_issuers=frozenset(args.trust))
    documents: dict[str, dict[str, Any]] = {}
    for identifier, path in args.doc:
        if identifier in documents:
            raise CliError(f"--doc: {identifier} is given twice", EX_USAGE)
        documents[identifier] = read_json_object(path, what="a DID or controller document")
    if args.offline:
        verifier = Verifier.offline(documents=documents, policy=policy)
    else:
        verifier = Verifier.online(documents=documents, policy=policy)
    badge = read_badge_input(args.input, limit=policy.max_bytes)
    if badge.image is None and _is_presentation(badge.data):
        if args.challenge is None:
            raise CliError(
                f"{args.input} is a presentation: give the challenge you sent with --challenge "
                "(and --domain if you named one)",
                EX_USAGE,
            )
        result = verifier.verify_presentation(
            badge.data, challenge=args.challenge, domain=args.domain, at=args.at
        )
    elif args.challenge is not None or args.domain is not None:
        raise CliError("--challenge and --domain are for presentations only", EX_USAGE)
    else:
        result = verify_badge_input(verifier, badge, at=args.at)
    if args.json:
        write_stdout_utf8(render_json(result))
    else:
        sys.stdout.write(render_human(result, sys.stdout))
        sys.stdout.flush()
    return exit_code_for(result)
