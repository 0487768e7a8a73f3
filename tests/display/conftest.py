"""Every display test runs with sockets disabled: rendering a badge never uses the network."""

from __future__ import annotations

import pytest
from badge_images import no_network

__all__ = ["no_network"]


@pytest.fixture(autouse=True)
def _offline(no_network: None) -> None:
    """Apply ``no_network`` to every test in this folder."""
