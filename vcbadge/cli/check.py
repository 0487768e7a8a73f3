"""``vcbadge check``: the findings an issuer acts on, for each credential file it produced.

Exit status: 0 no error (warnings are printed but pass), 1 at least one error (with
``--strict``: at least one finding of any level), 64 usage error, 66 a file not found.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vcbadge.bake import BakeLimits
from vcbadge.cli._exit import EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import display_name, read_bytes, write_stdout_utf8
from vcbadge.cli._remedies import verification_hints
from vcbadge.cli._verifier import add_verification_options, build_verifier
from vcbadge.conformance.check import Finding, check_file, exit_status

__all__ = ["register", "run"]

_IMAGE_LIMIT = BakeLimits().max_image_bytes


def register(subparsers: Any) -> None:
    """Add the ``check`` sub-command."""
    parser = subparsers.add_parser(
        "check",
        help="check credentials you issued: spec rules, schemas, contexts, proofs, lints",
        description=(
            "Check each FILE (a credential as JSON, a VC-JWT / VC-JOSE-COSE text, or a baked "
            "PNG/SVG badge) as an issuer would before publishing it: verification (offline by "
            "default), every Open Badges 3.0 / CLR 2.0 MUST rule, the official OB 3.0, CLR 2.0 "
            "and VC 2.0 JSON Schemas, contexts, VC 1.1 / 2.0 consistency, recipient identity, "
            "images, and wallet-compatibility lints. Each finding has a level, a code, a JSON "
            "pointer, the spec section and how to fix it (docs/check-findings.md). Exit "
            "status: 0 no error, 1 errors (with --strict: any finding), 64 usage error, 66 "
            "file not found. --online also checks did:web keys and status lists over HTTPS."
        ),
    )
    parser.add_argument("inputs", metavar="FILE", nargs="+", help="credential files, or -")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 for warnings too, not only errors"
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="fetch did:web documents and status lists (default: offline, undecided = warning)",
    )
    parser.add_argument(
        "--unsigned",
        action="store_true",
        help="the files are not signed yet: every check but verification",
    )
    add_verification_options(parser)
    parser.add_argument("--challenge", metavar="C", help="for a presentation: its challenge")
    parser.add_argument("--domain", metavar="D", action="append", help="for a presentation")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check every file; print the findings; exit by the worst."""
    if args.offline and args.online:
        raise CliError("--offline and --online contradict each other", EX_USAGE)
    args.offline = not args.online
    verifier = build_verifier(args)
    reports: list[tuple[str, list[Finding]]] = []
    for source in args.inputs:
        # A badge image may be larger than a credential; the verifier caps each kind itself.
        data = read_bytes(source, limit=max(verifier.policy.max_bytes, _IMAGE_LIMIT))
        findings = check_file(
            data,
            verifier=verifier,
            at=args.at,
            challenge=args.challenge,
            domain=args.domain,
            verify=not args.unsigned,
        )
        reports.append((source, findings))
    status = max(exit_status(findings, strict=args.strict) for _, findings in reports)
    if args.json:
        body = {
            "ok": status == EX_OK,
            "files": [
                {
                    "file": source,
                    "errors": sum(1 for finding in findings if finding.level == "error"),
                    "warnings": sum(1 for finding in findings if finding.level == "warning"),
                    "findings": [finding.to_dict() for finding in findings],
                }
                for source, findings in reports
            ],
        }
        write_stdout_utf8(json.dumps(body, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("".join(_human(display_name(source), f) for source, f in reports))
        sys.stdout.flush()
        codes = [finding.code for _, findings in reports for finding in findings]
        for hint in verification_hints(codes, offline=args.offline, online="check with --online"):
            print(f"vcbadge: hint: {hint}", file=sys.stderr)
    return status


def _human(name: str, findings: list[Finding]) -> str:
    errors = sum(1 for finding in findings if finding.level == "error")
    warnings = len(findings) - errors
    lines = [f"{name}: {errors} error(s), {warnings} warning(s)" if findings else f"{name}: ok"]
    for finding in findings:
        lines.append(f"  {finding.level} {finding.code} {finding.path or '/'}: {finding.message}")
        lines.append(f"    fix: {finding.fix}")
        lines.append(f"    spec: {finding.spec}")
    return "\n".join(lines) + "\n"
