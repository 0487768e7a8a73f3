"""``vcbadge vectors``: run another implementation over vcbadge's test vectors.

    vcbadge vectors run  [--vectors DIR] [--verifier CMD] [--issuer CMD] [--only GLOB]...
                         [--skip GLOB]... [--timeout S] [--jobs N] [--json] [--junit FILE] [--all]
    vcbadge vectors sign INPUT KEY OUT      (vcbadge as the signer of a sign case)

``run`` exits 0 when every case agrees, 1 when one does not, 64 for a usage error (no command,
bad placeholder), 66 when the vector set cannot be found or is stale. The set is not in the
wheel: ``--vectors`` defaults to ``test_vectors/`` of the source checkout vcbadge runs from.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_NOINPUT, EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import (
    check_output_type,
    describe_error,
    read_json_object,
    write_stdout_utf8,
    write_text,
)
from vcbadge.conformance import report, runner
from vcbadge.conformance.signer import sign_case_input
from vcbadge.conformance.vectors import VectorSet, selected
from vcbadge.errors import InputError, VcbadgeError

__all__ = ["register", "run"]


def _timeout(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if not number > 0:
        raise argparse.ArgumentTypeError("the timeout must be greater than zero")
    return number


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if not 1 <= number <= 64:
        raise argparse.ArgumentTypeError("--jobs must be between 1 and 64")
    return number


def register(subparsers: Any) -> None:
    """Add the ``vectors`` sub-command and its actions."""
    parser = subparsers.add_parser(
        "vectors",
        help="run another verifier or signer over vcbadge's test vectors",
        description=(
            "Run another implementation's verifier (--verifier) over every verify and status "
            "case, and its signer (--issuer) over every sign case, of vcbadge's test vectors, "
            "and report case by case where it disagrees. Exit status: 0 every case agrees, 1 "
            "some do not, 64 usage error, 66 vector set not found or stale."
        ),
    )
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    run_parser = actions.add_parser(
        "run",
        help="run a verifier and/or a signer over the vectors",
        description=(
            "Placeholders for --verifier: {file} (the input: input.json, input.jwt, or "
            "input.png / input.svg for a badge image), {at}, {docs} (a directory of "
            "the case's documents with index.json), {docargs} (--doc ID=FILE per document), "
            "{challenge}, {domain}, {presentationargs} (--challenge C --domain D...), "
            "{recipient}, {recipientargs} (--recipient R when the case names one), {case} "
            "(the whole case file). For --issuer: {input} (the case's input: credential, "
            "issuer, created, suite or format+alg), {key} (the case's key entry with its "
            "private key), {out} (write the signed credential, JSON or JWS text, there), {case}, "
            "{at}. vcbadge itself: --verifier 'vcbadge verify {file} --offline --json --at {at} "
            "{docargs} {presentationargs} {recipientargs}' "
            "--issuer 'vcbadge vectors sign {input} {key} {out}'. "
            "A verifier's answer is the outcome of its JSON output, else its exit status "
            "(0 VALID, 1 INVALID, 2 INDETERMINATE)."
        ),
    )
    run_parser.add_argument(
        "--vectors",
        metavar="DIR",
        help="the vector set (default: test_vectors/ of the vcbadge checkout; not in the wheel)",
    )
    run_parser.add_argument("--verifier", metavar="CMD", help="the verifier command template")
    run_parser.add_argument("--issuer", metavar="CMD", help="the signer command template")
    run_parser.add_argument(
        "--only", action="append", default=[], metavar="GLOB",
        help="run only the cases whose id or type matches (repeatable)",
    )  # fmt: skip
    run_parser.add_argument(
        "--skip", action="append", default=[], metavar="GLOB",
        help="leave out the cases whose id or type matches (repeatable)",
    )  # fmt: skip
    run_parser.add_argument(
        "--timeout", type=_timeout, default=runner.DEFAULT_TIMEOUT, metavar="S",
        help=f"seconds per case before the command is killed (default {runner.DEFAULT_TIMEOUT:g})",
    )  # fmt: skip
    run_parser.add_argument(
        "--jobs", type=_jobs, default=1, metavar="N", help="cases run at once (default 1)"
    )
    run_parser.add_argument(
        "--ignore-codes",
        action="store_true",
        help="compare outcomes only (an implementation with its own failure codes)",
    )
    run_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    run_parser.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    run_parser.add_argument(
        "--all", action="store_true", help="list every case in the table, not only failures"
    )
    run_parser.set_defaults(handler=run_vectors)
    sign_parser = actions.add_parser(
        "sign",
        help="sign a sign case's input with vcbadge (the reference --issuer)",
        description=(
            "Sign INPUT (a sign case's input: credential, issuer, created, suite or "
            "format+alg) with KEY (the case's key entry) and write the result to OUT."
        ),
    )
    sign_parser.add_argument("case_input", metavar="INPUT")
    sign_parser.add_argument("key", metavar="KEY")
    sign_parser.add_argument("output", metavar="OUT")
    sign_parser.set_defaults(handler=run_sign)


def run(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires an action
    raise CliError("give an action: run or sign", EX_USAGE)


def _template(text: str, allowed: frozenset[str], option: str) -> runner.CommandTemplate:
    try:
        return runner.CommandTemplate.parse(text, allowed=allowed)
    except runner.TemplateError as error:
        raise CliError(f"{option}: {error}", EX_USAGE) from None


def run_vectors(args: argparse.Namespace) -> int:
    """Run the commands over the selected cases and report; exit 0 only when all agree."""
    if args.verifier is None and args.issuer is None:
        raise CliError("give --verifier CMD, --issuer CMD, or both", EX_USAGE)
    check_output_type(args.junit, "XML")  # before the run, not after it
    verifier = (
        None
        if args.verifier is None
        else _template(args.verifier, runner.VERIFIER_PLACEHOLDERS, "--verifier")
    )
    issuer = (
        None
        if args.issuer is None
        else _template(args.issuer, runner.SIGNER_PLACEHOLDERS, "--issuer")
    )
    try:
        vectors = VectorSet.load(args.vectors)
    except InputError as error:
        hint = "" if args.vectors else " (the wheel does not ship them: give --vectors DIR)"
        raise CliError(f"{describe_error(error)}{hint}", EX_NOINPUT) from None
    chosen = selected(vectors, only=args.only, skip=args.skip)
    results: list[runner.CaseResult] = []
    if verifier is not None:
        run_one = partial(
            runner.run_verifier,
            template=verifier,
            timeout=args.timeout,
            compare_codes=not args.ignore_codes,
        )
        cases = [case for case in chosen if case.type in ("verify", "status")]
        results += runner.run_cases(cases, run_one, jobs=args.jobs)
    if issuer is not None:
        sign_one = partial(runner.run_signer, template=issuer, timeout=args.timeout)
        cases = [case for case in chosen if case.type == "sign"]
        results += runner.run_cases(cases, sign_one, jobs=args.jobs)
    if not results:
        raise CliError("no case selected (check --only and --skip)", EX_USAGE)
    if args.junit:
        write_text(report.render_junit(results, version=vectors.version), args.junit, kind="XML")
    if args.json:
        write_stdout_utf8(report.render_json(results, version=vectors.version))
    else:
        sys.stdout.write(report.render_table(results, version=vectors.version, all_rows=args.all))
        sys.stdout.flush()
    return EX_OK if all(result.agrees for result in results) else 1


def run_sign(args: argparse.Namespace) -> int:
    """vcbadge as a vector-set signer."""
    given = read_json_object(args.case_input, what="a sign case's input")
    key = read_json_object(args.key, what="a key entry")
    try:
        output = sign_case_input(given, key)
    except (VcbadgeError, KeyError, TypeError) as error:
        message = describe_error(error) if isinstance(error, VcbadgeError) else repr(error)
        raise CliError(f"{args.case_input}: cannot sign: {message}", EX_DATAERR) from None
    text = output if isinstance(output, str) else json.dumps(output, indent=2, ensure_ascii=False)
    write_text(text + "\n", args.output, kind="JWT" if isinstance(output, str) else "JSON")
    return EX_OK
