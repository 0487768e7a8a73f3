"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from reference_corpus import SKIP_REASON, reference_root


@pytest.fixture(scope="session")
def reference() -> Path:
    """The reference corpus root; skips the test when it is not present."""
    root = reference_root()
    if root is None:
        pytest.skip(SKIP_REASON)
    return root
