"""Every baking test runs with sockets disabled: baking is pure bytes, never network."""

from __future__ import annotations

import pytest
from badge_images import no_network

__all__ = ["no_network"]


@pytest.fixture(autouse=True)
def _offline(no_network: None) -> None:
    """Apply ``no_network`` to every test in this folder."""
