"""``vcbadge validate``: report the data-model and JSON Schema problems of a credential.

Exit 0 when there is none, 1 when there is at least one, 2 when there is none but a schema
could not be checked. Nothing is verified (no proof, no dates against the clock) and nothing is
fetched: the published OB 3.0 / CLR 2.0 / W3C VC 2.0 schemas come from vcbadge's bundle
(:mod:`vcbadge.schema.bundled`), any other schema from ``--schema-dir`` (whose schemas are used
ahead of the bundled ones for the same URL). A credentialSchema entry naming a schema that is in
neither place is reported as unchecked (``schema_unavailable``), like ``vcbadge verify``'s
INDETERMINATE: nothing says the credential breaks it, nor that it satisfies it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_NOINPUT, CliError
from vcbadge.cli._io import display_name, read_json_object, write_stdout_utf8
from vcbadge.errors import InputError, Issue
from vcbadge.model import validate_document
from vcbadge.schema import SchemaCache, SchemaValidator

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``validate`` sub-command."""
    parser = subparsers.add_parser(
        "validate",
        help="report data-model and JSON Schema problems: exit 0 clean, 1 problems",
        description=(
            "Check an Open Badges 3.0 / CLR 2.0 credential (a JSON file, or - for standard "
            "input) against the data model (JSON types, required members, URI and date "
            "formats, the spec's MUST rules) and against the JSON Schemas named by its "
            "credentialSchema entries. Each problem is printed with its JSON pointer. The "
            "published Open Badges 3.0, CLR 2.0 and W3C VC 2.0 schemas are bundled with "
            "vcbadge; other schemas are never fetched: give them with --schema-dir (a schema "
            "the credential names that is in neither place is reported as not checked). "
            "Exit status: 0 no problem, 1 problems, 2 no problem but a schema could not be "
            "checked, 64 usage error, 65 not a JSON object, 66 file not found. Proofs are not "
            "checked: use vcbadge verify."
        ),
    )
    parser.add_argument("input", metavar="FILE", help="the credential, or - for standard input")
    parser.add_argument("--json", action="store_true", help="print the problems as JSON")
    parser.add_argument(
        "--schema-dir",
        metavar="DIR",
        help=(
            "a directory of JSON Schema files (*.json, found by their $id), used besides and "
            "ahead of the bundled schemas"
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate and print the problems; exit 0 when there is none, 1 when there are, 2 when
    there is none but a schema could not be checked."""
    cache = _schema_cache(args.schema_dir)
    document = read_json_object(args.input, what="a credential (a JSON object)")
    problems = [("model", issue) for issue in validate_document(document)]
    unchecked: list[Issue] = []
    for result in SchemaValidator(cache).check(document):
        if result.status == "invalid":
            problems.extend(("schema", issue) for issue in result.issues)
        elif result.status in ("unavailable", "unsupported"):
            code = "schema_unavailable" if result.status == "unavailable" else "schema_unsupported"
            unchecked.append(Issue(result.path, result.message, code))
    if args.json:
        body = {
            "valid": not problems and not unchecked,
            "problems": [{"kind": kind, **issue.to_dict()} for kind, issue in problems],
            "unchecked": [{"kind": "schema", **issue.to_dict()} for issue in unchecked],
        }
        write_stdout_utf8(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_human(display_name(args.input), problems, unchecked))
        sys.stdout.flush()
    if problems:
        return 1
    return 2 if unchecked else 0


def _human(name: str, problems: list[tuple[str, Issue]], unchecked: list[Issue]) -> str:
    lines = [
        f"{name}: {len(problems)} problem(s)" if problems else f"{name}: no problems found",
        *(f"{kind} {issue.code} {issue.path or '/'}: {issue.message}" for kind, issue in problems),
    ]
    if unchecked:
        lines.append(f"not checked ({len(unchecked)}): give the schema with --schema-dir")
        lines.extend(f"? schema {issue.code} {issue.path}: {issue.message}" for issue in unchecked)
    return "\n".join(lines) + "\n"


def _schema_cache(directory: str | None) -> SchemaCache:
    """The bundled schemas, plus those of ``--schema-dir`` (ahead of the bundle)."""
    if directory is None:
        return SchemaCache.bundled()
    if not Path(directory).is_dir():
        raise CliError(f"{directory}: no such directory", EX_NOINPUT)
    try:
        given = SchemaCache.from_directory(directory)
    except InputError as error:
        raise CliError(f"--schema-dir: {error.message}", EX_DATAERR) from None
    return SchemaCache.bundled(dict(given.items()))
