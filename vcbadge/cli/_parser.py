"""The argument parser: argparse, but usage errors exit 64 (EX_USAGE) instead of argparse's 2.

Exit code 2 means INDETERMINATE for ``vcbadge verify``, so a mistyped option must never be
confused with "could not decide".
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from vcbadge.cli._exit import EX_USAGE

__all__ = ["UsageError", "VcbadgeArgumentParser"]


class UsageError(Exception):
    """The command line is wrong; ``main`` prints the usage and exits 64."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
        self.exit_code = EX_USAGE


class VcbadgeArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage errors raise ``UsageError`` instead of exiting 2.

    ``--help`` and ``--version`` still raise ``SystemExit(0)``. Sub-command parsers are
    created with the parent's class, so they behave the same.
    """

    def error(self, message: str) -> NoReturn:
        """Report a usage problem: raises ``UsageError`` (exit 64)."""
        raise UsageError(message, self.format_usage())
