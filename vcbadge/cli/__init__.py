"""The ``vcbadge`` command line: the sub-commands the modules of this package register
(``vcbadge --help`` lists them; ``docs/reference/cli.md`` documents each command, flag and exit
status).

``main(argv)`` returns the exit status instead of exiting, so it can be called in-process::

    0   success; ``verify``: VALID; a bare ``vcbadge`` prints the help
    1   ``verify``: INVALID (input that is not JSON is INVALID too: a failed ``parse`` check)
    2   ``verify``: INDETERMINATE; ``resolve``: could not be resolved
    64  usage error (EX_USAGE)          65  bad input data (EX_DATAERR)
    66  missing/unreadable input file   73  cannot create an output file (EX_CANTCREAT)
    70  internal error (EX_SOFTWARE)     130 interrupted

The reference with every command, flag and the ``--json`` shapes: ``docs/reference/cli.md``.

Errors are one line on standard error, ``vcbadge: error: ...``, never a traceback (set
``VCBADGE_DEBUG=1`` to see the traceback of an internal error). A command run with ``--json``
also prints every error as exactly one JSON object on standard output, with the same exit
status::

    {"outcome": "ERROR", "code": "file_not_found", "message": "...", "exit_code": 66,
     "file": "badge.json"}

``file`` is present when the error is about one input file (``-`` for standard input).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Any

from vcbadge import __version__
from vcbadge.cli import (
    api,
    bake,
    canonicalize,
    check,
    demo,
    derive,
    did_document,
    issue,
    keygen,
    migrate,
    new,
    resolve,
    serve,
    show,
    status,
    validate,
    vectors,
    verify,
)
from vcbadge.cli._exit import (
    EX_CANTCREAT,
    EX_DATAERR,
    EX_INTERRUPTED,
    EX_NOINPUT,
    EX_SOFTWARE,
    EX_USAGE,
    CliError,
)
from vcbadge.cli._io import CliInputError, write_stdout_utf8
from vcbadge.cli._parser import UsageError, VcbadgeArgumentParser

__all__ = ["build_parser", "main"]

_PROG = "vcbadge"


def build_parser() -> VcbadgeArgumentParser:
    """The ``vcbadge`` argument parser with every sub-command registered."""
    parser = VcbadgeArgumentParser(
        prog=_PROG,
        description=(
            "Issue and verify Open Badges 3.0 credentials as W3C Verifiable Credentials "
            "(Data Integrity proofs, VC-JWT and VC-JOSE-COSE)."
        ),
        epilog=(
            "exit status: 0 success/VALID, 1 INVALID, 2 INDETERMINATE, 64 usage error, "
            "65 bad input data, 66 input file missing or unreadable, 73 cannot create output, "
            "70 internal error"
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (
        keygen,
        did_document,
        new,
        issue,
        derive,
        verify,
        validate,
        resolve,
        canonicalize,
        demo,
        bake,
        show,
        status,
        migrate,
        check,
        vectors,
        serve,
        api,
    ):
        module.register(subparsers)
    return parser


# The code of an error that does not name its own (``CliInputError`` does), by exit status.
_CODE_OF_EXIT = {
    EX_USAGE: "usage_error",
    EX_DATAERR: "bad_input",
    EX_NOINPUT: "input_unreadable",
    EX_SOFTWARE: "internal_error",
    EX_CANTCREAT: "cannot_write",
    EX_INTERRUPTED: "interrupted",
}


def _error(message: str) -> None:
    print(f"{_PROG}: error: {message}", file=sys.stderr)


def _json_error(
    message: str, exit_code: int, *, code: str | None = None, file: str | None = None
) -> None:
    """The ``--json`` form of an error: one JSON object on standard output."""
    report: dict[str, Any] = {
        "outcome": "ERROR",
        "code": code or _CODE_OF_EXIT.get(exit_code, "error"),
        "message": message,
        "exit_code": exit_code,
    }
    if file is not None:
        report["file"] = file
    # When standard output is gone, the stderr line still says what happened.
    with contextlib.suppress(OSError, ValueError):
        write_stdout_utf8(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


def _report(
    message: str, exit_code: int, *, as_json: bool, code: str | None = None, file: str | None = None
) -> int:
    """Say what went wrong (stderr, plus one JSON object on stdout under ``--json``); return
    ``exit_code``."""
    _error(message)
    if as_json:
        _json_error(message, exit_code, code=code, file=file)
    return exit_code


def _asks_for_json(argv: Sequence[str]) -> bool:
    """Whether an unparsable command line still asked for ``--json`` (before any ``--``)."""
    for item in argv:
        if item == "--":
            return False
        if item == "--json":
            return True
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vcbadge`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit
    status."""
    arguments = list(argv) if argv is not None else sys.argv[1:]
    parser = build_parser()
    if not arguments:
        # A bare ``vcbadge`` is someone finding out what it does: the help, not a usage error.
        write_stdout_utf8(parser.format_help())
        return 0
    try:
        args = parser.parse_args(arguments)
    except UsageError as error:
        sys.stderr.write(error.usage)
        return _report(
            error.message, error.exit_code, as_json=_asks_for_json(arguments), code="usage_error"
        )
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    handler: Callable[..., int] = args.handler
    as_json = bool(getattr(args, "json", False))
    try:
        return handler(args)
    except CliInputError as error:
        return _report(
            error.message, error.exit_code, as_json=as_json, code=error.code, file=error.file
        )
    except CliError as error:
        return _report(error.message, error.exit_code, as_json=as_json)
    except KeyboardInterrupt:
        return _report("interrupted", EX_INTERRUPTED, as_json=as_json)
    except BrokenPipeError:
        # The reader went away (e.g. `vcbadge canonicalize x.json | head -1`): not our problem.
        _silence_stdout()
        return 0
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("VCBADGE_DEBUG"):
            traceback.print_exc()
        return _report(
            f"internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in vcbadge; set VCBADGE_DEBUG=1 for details and please report it)",
            EX_SOFTWARE,
            as_json=as_json,
        )


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
