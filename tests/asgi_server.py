"""uvicorn serving an ASGI app on loopback from a background thread, for the tests that need
a real server (the web app, the Open Badges API)."""

from __future__ import annotations

import threading
import time
from typing import Any

import uvicorn
from starlette.applications import Starlette

__all__ = ["ServerThread"]


class ServerThread:
    """uvicorn serving ``app`` on 127.0.0.1 (a free port unless ``port=`` is given) from a
    background thread; over TLS when ``ssl_certfile=`` and ``ssl_keyfile=`` are given."""

    def __init__(self, app: Starlette, **config: Any) -> None:
        settings: dict[str, Any] = {
            "host": "127.0.0.1",
            "port": 0,
            "log_level": "warning",
            # A client that keeps a connection open (a failed test) must not hold up the stop.
            "timeout_graceful_shutdown": 2,
        }
        self.config = uvicorn.Config(app, lifespan="off", **{**settings, **config})
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def port(self) -> int:
        (server,) = self.server.servers
        return int(server.sockets[0].getsockname()[1])

    def url(self, path: str = "/") -> str:
        scheme = "https" if self.config.ssl_certfile else "http"
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def start(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert self.thread.is_alive(), "uvicorn stopped while starting"
            assert time.monotonic() < deadline, "uvicorn did not start within 10 s"
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        assert not self.thread.is_alive(), "uvicorn did not stop"
