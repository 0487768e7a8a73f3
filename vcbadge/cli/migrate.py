"""``vcbadge migrate``: turn an Open Badges 2.0 assertion into an unsigned Open Badges 3.0
credential (:func:`vcbadge.migrate.from_ob2`), ready for ``vcbadge issue``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_OK, CliError
from vcbadge.cli._io import (
    display_name,
    dumps_pretty,
    read_json_object,
    write_text,
)
from vcbadge.cli._remedies import describe_with_flags, migrate_remedies
from vcbadge.errors import InputError
from vcbadge.migrate import Migration, from_ob2

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``migrate`` sub-command."""
    parser = subparsers.add_parser(
        "migrate",
        help="turn an Open Badges 2.0 assertion into an unsigned Open Badges 3.0 credential",
        description=(
            "Read an Open Badges 2.0 assertion (a JSON file, or - for standard input) with its "
            "BadgeClass and issuer Profile, and write the unsigned Open Badges 3.0 "
            "OpenBadgeCredential that carries the same award, following 1EdTech's migration "
            "guidance: new urn:uuid ids that link back to the 2.0 assertion (evidence) and "
            "BadgeClass (related), the recipient identity as it was (hashed or plain), image, "
            "criteria, evidence, alignments, dates. Give --badge-class and --issuer when the "
            "assertion names them by URL (nothing is fetched). Sign the result with "
            "'vcbadge issue'. Every 2.0 member that could not be carried over is reported on "
            "standard error (with --json, in the output object). A revoked assertion is "
            "refused. Exit status: 0 migrated (possibly with report entries), 64 usage error, "
            "65 bad input, 66 input missing, 73 OUT cannot be written."
        ),
    )
    parser.add_argument("input", metavar="ASSERTION.json", help="the OB 2.0 assertion, or -")
    parser.add_argument(
        "--badge-class", metavar="FILE", help="the BadgeClass, when the assertion names it by URL"
    )
    parser.add_argument(
        "--issuer", metavar="FILE", help="the issuer Profile, when the BadgeClass names it by URL"
    )
    parser.add_argument(
        "--issuer-id",
        metavar="ID",
        help=(
            "the OB 3.0 issuer id: the controller of the key that will sign (e.g. the did:key "
            "printed by 'vcbadge keygen'); the 2.0 issuer id is kept in otherIdentifier "
            "(default: keep the 2.0 issuer id)"
        ),
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help='write one JSON object {"credential": ..., "report": [...]} instead',
    )
    parser.set_defaults(handler=run)


def _report_lines(migration: Migration) -> str:
    lines = [
        f"not migrated: {entry.document}{entry.path or '/'}: {entry.reason} [{entry.code}]"
        for entry in migration.report
    ]
    return "".join(line + "\n" for line in lines)


def run(args: argparse.Namespace) -> int:
    """Read the documents, migrate, write the credential (and the report)."""
    assertion = read_json_object(args.input, what="an OB 2.0 assertion (a JSON object)")
    badge_class = (
        read_json_object(args.badge_class, what="an OB 2.0 BadgeClass (a JSON object)")
        if args.badge_class
        else None
    )
    issuer = (
        read_json_object(args.issuer, what="an OB 2.0 issuer Profile (a JSON object)")
        if args.issuer
        else None
    )
    try:
        migration = from_ob2(assertion, badge_class, issuer, issuer_id=args.issuer_id)
    except InputError as error:
        described = describe_with_flags(error, migrate_remedies(error))
        raise CliError(
            f"{display_name(args.input)}: cannot migrate: {described}", EX_DATAERR
        ) from None
    if args.json:
        text = json.dumps(migration.to_json(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = dumps_pretty(migration.credential)
    write_text(text, args.output, kind="JSON")
    if not args.json and migration.report:
        sys.stderr.write(_report_lines(migration))
    return EX_OK
