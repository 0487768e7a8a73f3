"""``vcbadge canonicalize``: print the RDFC-1.0 canonical N-Quads of a JSON-LD document."""

from __future__ import annotations

import argparse
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_OK, CliError
from vcbadge.cli._io import describe_error, display_name, read_json_object, write_stdout_utf8
from vcbadge.errors import VcbadgeError
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import canonicalize

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``canonicalize`` sub-command."""
    parser = subparsers.add_parser(
        "canonicalize",
        help="print the RDFC-1.0 canonical N-Quads of a JSON-LD document",
        description=(
            "Canonicalize IN (a JSON-LD document such as a credential, or - for standard input) "
            "with RDFC-1.0 and print the canonical N-Quads. Only the JSON-LD contexts bundled "
            "with vcbadge are used (never the network); terms no context defines, relative "
            "IRIs and unknown contexts are errors (exit 65), not silently dropped. The document "
            "is canonicalized as given, including any proof."
        ),
    )
    parser.add_argument("input", metavar="IN.json", help="the JSON-LD document, or -")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Canonicalize and print the N-Quads."""
    document = read_json_object(args.input, what="a JSON-LD document (a JSON object)")
    try:
        nquads = canonicalize(document, default_loader())
    except VcbadgeError as error:
        raise CliError(
            f"{display_name(args.input)}: cannot canonicalize: {describe_error(error)}",
            EX_DATAERR,
        ) from None
    write_stdout_utf8(nquads)
    return EX_OK
