"""Exit codes of the ``vcbadge`` command and the error that carries one.

The codes are part of the stable CLI contract (other issuers script against them)::

    0   success; for ``verify``: the credential is VALID
    1   ``verify``: INVALID (including input that is not JSON: that is a failed ``parse`` check)
    2   ``verify``: INDETERMINATE (something needed to decide could not be obtained)
    64  usage error: unknown option, bad option value, missing argument (EX_USAGE)
    65  bad input data: not JSON, duplicate keys, wrong type, invalid key file (EX_DATAERR)
    66  an input file does not exist or cannot be read (EX_NOINPUT)
    73  an output file cannot be created, or exists and ``--force`` was not given (EX_CANTCREAT)
    70  internal error: a bug in vcbadge; please report it (EX_SOFTWARE)
    130 interrupted (Ctrl-C), as a shell reports a command ended by SIGINT

``docs/reference/cli.md`` documents the same table; ``tests/test_reference_docs.py`` compares the
two.
"""

from __future__ import annotations

__all__ = [
    "EX_CANTCREAT",
    "EX_DATAERR",
    "EX_INDETERMINATE",
    "EX_INTERRUPTED",
    "EX_INVALID",
    "EX_NOINPUT",
    "EX_OK",
    "EX_SOFTWARE",
    "EX_USAGE",
    "CliError",
]

EX_OK = 0
EX_INVALID = 1
EX_INDETERMINATE = 2
EX_USAGE = 64
EX_DATAERR = 65
EX_NOINPUT = 66
EX_SOFTWARE = 70
EX_CANTCREAT = 73
EX_INTERRUPTED = 130


class CliError(Exception):
    """A problem the command reports as one line on stderr, exiting with ``exit_code``."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
