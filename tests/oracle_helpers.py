"""Shared by the interop tests against Digital Bazaar's JS stack (the oracle in ../shared/oracle).

A development check, opt-in: set VCBADGE_ORACLE to a directory where the oracle was set up
(`cp -r ../shared/oracle "$d" && (cd "$d/oracle" && npm ci)`, then VCBADGE_ORACLE=$d/oracle).
It is not a dependency of vcbadge or of the default test run, so without it every interop test
is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

__all__ = ["LATER", "NOW", "requires_oracle", "run_node"]

ORACLE = os.environ.get("VCBADGE_ORACLE")

requires_oracle = pytest.mark.skipif(
    not ORACLE or not (Path(ORACLE) / "node_modules").is_dir() or shutil.which("node") is None,
    reason="interop oracle not set up: set VCBADGE_ORACLE to a directory where "
    "../shared/oracle was copied and `npm ci` was run (development check, opt-in)",
)

# vcbadge issues at NOW; the oracle is told the time is LATER (``--now``), so both sides judge
# dates against fixed moments rather than the clock of the machine running the tests.
NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)
LATER = "2025-06-01T00:00:00Z"


def run_node(*args: str) -> subprocess.CompletedProcess[str]:
    """Run one of the oracle's scripts (``node verify.mjs ...``); the caller checks the exit
    status and output, since a failing verification is often the expected outcome."""
    return subprocess.run(
        ["node", *args], cwd=ORACLE, capture_output=True, text=True, timeout=120, check=False
    )
