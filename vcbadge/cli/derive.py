"""``vcbadge derive``: the credential a holder presents from an ecdsa-sd-2023 credential."""

from __future__ import annotations

import argparse
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_OK, CliError
from vcbadge.cli._io import (
    describe_error,
    display_name,
    dumps_pretty,
    read_json_object,
    write_text,
)
from vcbadge.errors import VcbadgeError
from vcbadge.issue.disclosure import derive_disclosure

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``derive`` sub-command."""
    parser = subparsers.add_parser(
        "derive",
        help="disclose part of an ecdsa-sd-2023 credential (the holder's step)",
        description=(
            "From BASE (a credential as issued with an ecdsa-sd-2023 base proof, or - for "
            "standard input), write the credential to present: the members the issuer made "
            "mandatory plus those each --reveal JSON pointer selects, with a derived proof a "
            "verifier checks. A base proof is for the holder only: verifiers refuse it "
            "(sd_base_proof_presented). Nothing is fetched."
        ),
    )
    parser.add_argument("input", metavar="BASE.json", help="the issued credential, or -")
    parser.add_argument(
        "--reveal",
        action="append",
        default=[],
        metavar="/POINTER",
        help="a JSON pointer to a member to disclose as well (repeatable), e.g. /description",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    parser.add_argument(
        "--force", action="store_true", help="let -o replace a file that holds a key"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Derive and write the disclosed credential."""
    credential = read_json_object(args.input, what="a credential (a JSON object)")
    try:
        disclosed = derive_disclosure(credential, reveal=args.reveal)
    except VcbadgeError as error:
        raise CliError(
            f"{display_name(args.input)}: cannot derive: {describe_error(error)}", EX_DATAERR
        ) from None
    write_text(dumps_pretty(disclosed), args.output, force=args.force, kind="JSON")
    return EX_OK
