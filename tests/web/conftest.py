"""Fixtures for the web app tests (helpers in web_world.py, next to this file)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The helper module sits next to this file; tests import it by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from asgi_server import ServerThread
from loopback_server import (  # noqa: F401 (fixtures)
    loopback,
    loopback_ca,
    loopback_certificate,
    loopback_transport,
)
from starlette.testclient import TestClient
from web_world import Badges, make_badges

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


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """Debian's headless Chromium driven by selenium (the browser tests skip without it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium is not None
    options.binary_location = chromium  # Debian's, never a downloaded build
    for flag in (
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=900,1200",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    # An explicit chromedriver: selenium then never looks for (or downloads) one itself.
    service = Service(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    # Elements of a page still loading are waited for, not missed.
    driver.implicitly_wait(10)
    try:
        yield driver
    finally:
        driver.quit()
