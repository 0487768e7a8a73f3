"""The ``vcbadge`` command line: ``keygen``, ``issue``, ``verify``, ``canonicalize``, ``demo``,
``bake``, ``unbake``, ``show``, ``resolve``.

``main(argv)`` returns the exit status instead of exiting, so it can be called in-process::

    0   success; ``verify``: VALID
    1   ``verify``: INVALID (input that is not JSON is INVALID too: a failed ``parse`` check)
    2   ``verify``: INDETERMINATE; ``resolve``: could not be resolved
    64  usage error (EX_USAGE)          65  bad input data (EX_DATAERR)
    66  missing/unreadable input file   73  cannot create an output file (EX_CANTCREAT)
    70  internal error (EX_SOFTWARE)

Errors are one line on standard error, ``vcbadge: error: ...``, never a traceback (set
``VCBADGE_DEBUG=1`` to see the traceback of an internal error).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence

from vcbadge import __version__
from vcbadge.cli import (
    bake,
    canonicalize,
    demo,
    issue,
    keygen,
    resolve,
    show,
    status,
    validate,
    verify,
)
from vcbadge.cli._exit import EX_SOFTWARE, CliError
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
        issue,
        verify,
        validate,
        resolve,
        canonicalize,
        demo,
        bake,
        show,
        status,
    ):
        module.register(subparsers)
    return parser


def _error(message: str) -> None:
    print(f"{_PROG}: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``vcbadge`` command with ``argv`` (default: ``sys.argv[1:]``); return the exit
    status."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except UsageError as error:
        sys.stderr.write(error.usage)
        _error(error.message)
        return error.exit_code
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    handler: Callable[..., int] = args.handler
    try:
        return handler(args)
    except CliError as error:
        _error(error.message)
        return error.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `vcbadge canonicalize x.json | head -1`): not our problem.
        _silence_stdout()
        return 0
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("VCBADGE_DEBUG"):
            traceback.print_exc()
        _error(
            f"internal error: {type(exc).__name__}: {exc} "
            "(this is a bug in vcbadge; set VCBADGE_DEBUG=1 for details and please report it)"
        )
        return EX_SOFTWARE


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
