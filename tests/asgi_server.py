"""uvicorn serving an ASGI app on loopback from a background thread, and ``vcbadge serve`` in
a child process, for the tests that need a real server (the web app, the Open Badges API)."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette

__all__ = ["ServerThread", "running", "wait_for_port"]


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


@contextlib.contextmanager
def running(log: Path, *argv: object) -> Iterator[subprocess.Popen[bytes]]:
    """``vcbadge serve ARGV`` in a child process, its standard error in ``log``, interrupted
    (as Ctrl-C would) at the end."""
    command = [
        sys.executable,
        "-c",
        "import sys; from vcbadge.cli import main; sys.exit(main(sys.argv[1:]))",
        "serve",
        *map(str, argv),
    ]
    with log.open("wb") as error:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=error)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, f"vcbadge serve exited with {process.returncode}"
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        assert time.monotonic() < deadline, "vcbadge serve did not start within 30 s"
        time.sleep(0.1)
