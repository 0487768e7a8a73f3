"""The app under a real uvicorn server: the upload cap holds while the body streams in (the
server answers 413 long before a huge upload is sent), and ``vcbadge serve`` starts it (plain
HTTP only on loopback, said loudly; HTTPS with the test CA's certificate)."""

from __future__ import annotations

import contextlib
import http.client
import select
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from asgi_server import ServerThread, running, wait_for_port
from loopback_server import unused_port

from vcbadge.cli import main
from vcbadge.http import GuardedTransport

CAP = 64 * 1024


def test_an_endless_chunked_upload_is_cut_off_at_the_cap(
    serve: Callable[..., ServerThread],
) -> None:
    server = serve(max_upload_bytes=CAP)
    piece = b"\0" * 16384
    chunk = f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(
            b"POST /verify HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=XyZ\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        head = b'--XyZ\r\nContent-Disposition: form-data; name="badge"; filename="b.png"\r\n\r\n'
        connection.sendall(f"{len(head):x}\r\n".encode() + head + b"\r\n")
        # Up to 64 MiB: the server must answer (and stop reading) long before that.
        while sent < 64 * 1024 * 1024:
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                break
            try:
                connection.sendall(chunk)
            except OSError:  # the server closed the connection after answering
                break
            sent += len(piece)
        with contextlib.suppress(OSError):
            while not answer.endswith(b"</html>\n"):
                received = connection.recv(65536)
                if not received:
                    break
                answer += received
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"<code>upload_too_large</code>" in answer
    # What the kernel's socket buffers absorb, not the 64 MiB offered.
    assert sent < 16 * 1024 * 1024, sent


# vcbadge serve: refusals before anything starts


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--host", "0.0.0.0"], 64, "refusing to serve plain HTTP on 0.0.0.0"),
        (["--host", "192.168.1.10"], 64, "refusing to serve plain HTTP"),
        (["--certfile", "cert.pem"], 64, "--certfile and --keyfile go together"),
        (["--certfile", "missing.pem", "--keyfile", "missing.key"], 66, "no such file"),
        (["--at", "2025-01-01T00:00:00Z"], 64, "--at does not apply"),
        (["--port", "70000"], 64, "not a TCP port"),
    ],
)
def test_serve_refuses(
    argv: list[str], status: int, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", *argv]) == status
    assert message in capsys.readouterr().err


def test_serve_without_the_web_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    assert main(["serve"]) == 64
    error = capsys.readouterr().err
    assert "needs the web extra (uvicorn is missing)" in error
    assert "pip install 'vcbadge[web]'" in error


# vcbadge serve: really serving


@pytest.mark.slow  # a child Python process
def test_serve_plain_http_on_loopback_says_so_loudly(tmp_path: Path) -> None:
    port = unused_port()
    log = tmp_path / "stderr.txt"
    with running(log, "--port", port, "--offline") as process:
        wait_for_port(port, process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        page = response.read().decode()
        connection.close()
        assert response.status == 200
        assert "Verify an Open Badge" in page
        assert 'name="url"' not in page  # --offline
        assert response.getheader("x-content-type-options") == "nosniff"
    error = log.read_text()
    assert "WARNING: serving PLAIN HTTP (no TLS)" in error
    assert f"http://127.0.0.1:{port}/" in error
    assert process.returncode == 0, error


@pytest.mark.slow  # a child Python process
def test_serve_https_with_a_certificate(
    loopback_certificate: tuple[Path, Path], loopback_transport: GuardedTransport, tmp_path: Path
) -> None:
    port = unused_port()
    certificate, key = loopback_certificate
    log = tmp_path / "stderr.txt"
    with running(
        log, "--port", port, "--certfile", certificate, "--keyfile", key, "--offline"
    ) as process:
        wait_for_port(port, process)
        # The guarded transport, trusting only the test CA: a real TLS handshake.
        response = loopback_transport.get(
            f"https://localhost:{port}/healthz", accept=["text/plain"]
        )
        assert response.body == b"ok\n"
    error = log.read_text()
    assert process.returncode == 0, error
    assert "PLAIN HTTP" not in error
    assert f"https://127.0.0.1:{port}/" in error
