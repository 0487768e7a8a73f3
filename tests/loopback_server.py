"""A real HTTPS server on loopback for the transport and resolver tests.

``TestCertificateAuthority`` makes a throw-away CA with ``cryptography`` and issues server
certificates from it; only the test transport trusts it (``ca_bundle=``). ``LoopbackServer``
serves canned ``Route``s over TLS on 127.0.0.1 from a background thread, records what it
received, and stops every thread it started in ``stop()`` (use it through a fixture).
``StaticFileServer`` is a stock static web server: the standard library's
``SimpleHTTPRequestHandler`` serving a directory with its default content types (from the file
extension), over the same TLS, as an issuer would host its files.
"""

from __future__ import annotations

import datetime
import functools
import http.server
import ipaddress
import socket
import ssl
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from vcbadge.http import GuardedTransport

__all__ = [
    "LOOPBACK",
    "PINNED_HOST",
    "LoopbackServer",
    "Route",
    "StaticFileServer",
    "TestCertificateAuthority",
    "loopback",
    "loopback_ca",
    "loopback_certificate",
    "loopback_transport",
    "static_server",
    "unused_port",
]

DID_JSON = {"Content-Type": "application/did+json"}
# No test needs a request to take longer than this; it bounds every server-side wait.
_MAX_WAIT = 5.0


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


class TestCertificateAuthority:
    """A CA key and self-signed certificate, written to ``directory/ca.pem``."""

    __test__ = False  # not a test class, whatever its name says

    def __init__(self, directory: Path, name: str = "vcbadge test CA") -> None:
        self.directory = directory
        self._key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        self._certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(name))
            .issuer_name(_name(name))
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(self._key.public_key()), critical=False
            )
            .sign(self._key, hashes.SHA256())
        )
        self.ca_path = directory / f"{name.replace(' ', '-')}.pem"
        self.ca_path.write_bytes(self._certificate.public_bytes(serialization.Encoding.PEM))

    def issue(self, names: Iterable[str], stem: str = "server") -> tuple[Path, Path]:
        """A server certificate for DNS names and IP addresses: (certificate path, key path)."""
        key = ec.generate_private_key(ec.SECP256R1())
        alternative: list[x509.GeneralName] = []
        for name in names:
            try:
                alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                alternative.append(x509.DNSName(name))
        now = datetime.datetime.now(datetime.timezone.utc)
        ca_public = self._key.public_key()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(stem))
            .issuer_name(self._certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(alternative), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_public), critical=False
            )
            .sign(self._key, hashes.SHA256())
        )
        cert_path = self.directory / f"{stem}.crt"
        key_path = self.directory / f"{stem}.key"
        cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path


@dataclass
class Route:
    """What the server answers for one path.

    ``delay`` waits before answering (timeouts); ``chunked`` streams ``body`` without a
    ``Content-Length``; ``declared_length`` sends that ``Content-Length`` instead of the real one.
    ``drip`` sends the body one byte every ``drip`` seconds (the status line and headers too
    with ``drip_headers``): a server that never lets a read time out.
    """

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: dict(DID_JSON))
    delay: float = 0.0
    chunked: bool = False
    declared_length: int | None = None
    drip: float = 0.0
    drip_headers: bool = False


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    timeout = _MAX_WAIT  # a client that stops talking cannot hold a thread longer

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.owner.record(path, dict(self.headers.items()))
        route = self.server.owner.routes.get(path)
        if route is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "9")
            self.end_headers()
            self.wfile.write(b"not found")
            return
        if route.delay:
            self.server.owner.stopping.wait(min(route.delay, _MAX_WAIT))
        if route.drip:
            self._drip(route)
            return
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for start in range(0, len(route.body), 16384):
                piece = route.body[start : start + 16384]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        length = route.declared_length if route.declared_length is not None else len(route.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(route.body)

    def _drip(self, route: Route) -> None:
        head = f"HTTP/1.1 {route.status} OK\r\n".encode()
        head += b"".join(f"{name}: {value}\r\n".encode() for name, value in route.headers.items())
        head += f"Content-Length: {len(route.body)}\r\n\r\n".encode()
        if not route.drip_headers:
            self.wfile.write(head)
            head = b""
        # Ends when the client goes away (the write fails) or the server stops.
        for byte in head + route.body:
            if self.server.owner.stopping.wait(route.drip):
                return
            self.wfile.write(bytes([byte]))
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    # Handler threads are joined in server_close(), so none outlives the fixture.
    daemon_threads = False
    block_on_close = True

    def __init__(self, owner: LoopbackServer, context: ssl.SSLContext) -> None:
        self.owner = owner
        self.context = context
        super().__init__((owner.host, 0), _Handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        # The TLS handshake runs in the handler thread, so a stalled client cannot block accept().
        request.settimeout(_MAX_WAIT)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that abort (size cap, timeout, refused certificate) are expected here.
        pass


class LoopbackServer:
    """An HTTPS server on 127.0.0.1 serving ``routes``; ``hits`` counts requests per path."""

    def __init__(self, cert_path: Path, key_path: Path, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server_names: list[str | None] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        context.sni_callback = self._sni
        self._server = _Server(self, context)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def _sni(self, sock: Any, server_name: str | None, context: Any) -> None:
        with self._lock:
            self.server_names.append(server_name)

    def record(self, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self.hits[path] += 1
            self.requests.append((path, headers))

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.port}{path}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=_MAX_WAIT)
        assert not self._thread.is_alive(), "the loopback server thread did not stop"


class _QuietFileHandler(http.server.SimpleHTTPRequestHandler):
    timeout = _MAX_WAIT

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _StaticTlsServer(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def __init__(self, host: str, context: ssl.SSLContext, handler: Any) -> None:
        self.context = context
        super().__init__((host, 0), handler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        request.settimeout(_MAX_WAIT)
        try:
            tls = self.context.wrap_socket(request, server_side=True)
        except (OSError, ssl.SSLError):
            return
        try:
            super().finish_request(tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class StaticFileServer:
    """``directory`` served over HTTPS on 127.0.0.1 by the standard library's static file
    handler, unchanged: its content types are the stock mapping from file extensions (what
    ``python -m http.server`` sends), so a file is served as any default web server would."""

    def __init__(
        self, directory: Path, cert_path: Path, key_path: Path, host: str = "127.0.0.1"
    ) -> None:
        self.directory = directory
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_path, key_path)
        handler = functools.partial(_QuietFileHandler, directory=str(directory))
        self._server = _StaticTlsServer(host, context, handler)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path: str, host: str = "localhost") -> str:
        return f"https://{host}:{self.port}{path}"

    def start(self) -> StaticFileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=_MAX_WAIT)
        assert not self._thread.is_alive(), "the static file server thread did not stop"


def unused_port() -> int:
    """A loopback TCP port nothing listens on (for connection-refused tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Fixtures: import them into a conftest.py to use them.

LOOPBACK = ("127.0.0.1", "::1")
PINNED_HOST = "badges.example.test"  # not in DNS: only reachable through resolve_host pinning


@pytest.fixture(scope="session")
def loopback_ca(tmp_path_factory: pytest.TempPathFactory) -> TestCertificateAuthority:
    """A throw-away CA; its server certificate covers localhost, 127.0.0.1 and PINNED_HOST."""
    return TestCertificateAuthority(tmp_path_factory.mktemp("loopback-ca"))


@pytest.fixture(scope="session")
def loopback_certificate(loopback_ca: TestCertificateAuthority) -> tuple[Path, Path]:
    return loopback_ca.issue(["localhost", "127.0.0.1", PINNED_HOST])


@pytest.fixture
def loopback(loopback_certificate: tuple[Path, Path]) -> Iterator[LoopbackServer]:
    """An HTTPS server on 127.0.0.1, stopped (threads joined) at teardown."""
    server = LoopbackServer(*loopback_certificate).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def loopback_transport(loopback_ca: TestCertificateAuthority) -> GuardedTransport:
    """A transport that trusts only the test CA and lets through loopback addresses and the
    names localhost and PINNED_HOST, nothing else that is not public; short timeouts so failure
    tests stay fast."""
    return GuardedTransport(
        ca_bundle=loopback_ca.ca_path,
        allowed_addresses=LOOPBACK,
        allowed_hosts=("localhost", PINNED_HOST),
        resolve_host=lambda host, port: ["127.0.0.1"] if host in ("localhost", PINNED_HOST) else [],
        connect_timeout=2.0,
        read_timeout=0.5,
        total_timeout=5.0,
        max_bytes=64 * 1024,
    )


@pytest.fixture
def static_server(
    loopback_certificate: tuple[Path, Path], tmp_path: Path
) -> Iterator[StaticFileServer]:
    """A stock static web server (``SimpleHTTPRequestHandler``) over HTTPS on 127.0.0.1,
    serving the empty directory ``tmp_path / "site"``; stopped (threads joined) at teardown."""
    site = tmp_path / "site"
    site.mkdir()
    server = StaticFileServer(site, *loopback_certificate).start()
    try:
        yield server
    finally:
        server.stop()
