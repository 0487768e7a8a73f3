"""Locating the shared reference corpus (importable from any test: tests/ is on pythonpath)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_DEFAULT_REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"

SKIP_REASON = (
    "reference corpus not found at ../shared/reference or $VCBADGE_REFERENCE; "
    "conformance tests need it (CI provides it)"
)


def reference_root() -> Path | None:
    """Where the shared reference corpus lives, or None when this checkout has none."""
    configured = os.environ.get("VCBADGE_REFERENCE")
    root = Path(configured) if configured else _DEFAULT_REFERENCE
    return root if (root / "README.md").is_file() else None


requires_reference = pytest.mark.skipif(reference_root() is None, reason=SKIP_REASON)
