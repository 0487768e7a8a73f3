"""Fixtures for the web app tests (helpers in web_world.py, next to this file)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The helper module sits next to this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from loopback_server import (  # noqa: F401 (fixtures)
    loopback,
    loopback_ca,
    loopback_certificate,
    loopback_transport,
)
from starlette.testclient import TestClient
from web_world import Badges, ServerThread, make_badges

from vcbadge.web import create_app


@pytest.fixture(scope="session")
def badges(tmp_path_factory: pytest.TempPathFactory) -> Badges:
    return make_badges(tmp_path_factory.mktemp("status"))


@pytest.fixture
def make_client(badges: Badges) -> Iterator[Callable[..., TestClient]]:
    """``make_client(**create_app options)``: a TestClient of an app whose verifier knows the
    badges' status list (closed at teardown)."""
    clients: list[TestClient] = []

    def make(**options: Any) -> TestClient:
        options.setdefault("verifier_factory", badges.verifier)
        client = TestClient(create_app(**options), raise_server_exceptions=False)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """The app with its default URL transport (the guarded one, nothing allowed beyond it)."""
    return make_client()


@pytest.fixture
def serve(badges: Badges) -> Iterator[Callable[..., ServerThread]]:
    """``serve(**create_app options)``: the app served by uvicorn on loopback, stopped at
    teardown."""
    started: list[ServerThread] = []

    def start(**options: Any) -> ServerThread:
        options.setdefault("verifier_factory", badges.verifier)
        server = ServerThread(create_app(**options)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def badge_dir(tmp_path: Path, badges: Badges) -> Path:
    """The valid and the revoked badge baked into PNGs, as files a person would upload."""
    directory = tmp_path / "badges"
    directory.mkdir()
    (directory / "valid.png").write_bytes(badges.png(badges.valid))
    (directory / "revoked.png").write_bytes(badges.png(badges.revoked))
    return directory
