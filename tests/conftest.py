"""Shared fixtures, and a guard that keeps the whole test suite off the network."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from reference_corpus import SKIP_REASON, reference_root

# CI runs the same examples every time, so a landing never depends on the luck of the draw;
# development runs keep exploring new examples (and were run with thousands of them).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_real_getaddrinfo = socket.getaddrinfo


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True  # binding to "any address" for a local server
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in _LOOPBACK_NAMES or name == "":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def _loopback_only_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host):
        raise OSError(
            f"test tried to resolve {host!r}: tests may only reach loopback "
            "(tests/conftest.py refuses every other name)"
        )
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with name resolution limited to loopback, so nothing can reach the
    network by accident (vcbadge's own transport resolves names through getaddrinfo too)."""
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only_getaddrinfo)


@pytest.fixture(scope="session")
def reference() -> Path:
    """The reference corpus root; skips the test when it is not present."""
    root = reference_root()
    if root is None:
        pytest.skip(SKIP_REASON)
    return root
