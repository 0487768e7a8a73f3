"""Fixtures for the status tests (helpers in status_world.py, next to this file)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The helper module sits next to this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback_server import (  # noqa: F401 (fixtures)
    loopback,
    loopback_ca,
    loopback_certificate,
    loopback_transport,
)
from status_world import World


@pytest.fixture(scope="session")
def world() -> World:
    return World()
