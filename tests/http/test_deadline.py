"""One wall-clock deadline per fetch: a server that drips bytes just under the read timeout (in
the TLS handshake, the headers or the body) and a resolver that does not answer are cut at the
deadline, with their own codes.

Timings: deadlines of about a second; "it stopped" is asserted with generous slack (twice the
deadline plus a second, for a loaded machine), far below what the drip would last.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from loopback_server import LOOPBACK, LoopbackServer, Route, TestCertificateAuthority

from vcbadge.errors import DNSTimeout, NetworkTimeout
from vcbadge.http import GuardedTransport

DID = ("application/did+json", "application/json")
DEADLINE = 1.0
SLACK = DEADLINE * 2 + 1.0
DRIP = 0.1  # seconds between bytes, well under the read timeout
READ_TIMEOUT = 0.8


def _transport(ca: TestCertificateAuthority, **options: object) -> GuardedTransport:
    settings: dict[str, object] = {
        "ca_bundle": ca.ca_path,
        "allowed_addresses": LOOPBACK,
        "allowed_hosts": ["localhost"],
        "resolve_host": lambda host, port: ["127.0.0.1"],
        "connect_timeout": READ_TIMEOUT,
        "read_timeout": READ_TIMEOUT,
        "total_timeout": DEADLINE,
    }
    settings.update(options)
    return GuardedTransport(**settings)  # type: ignore[arg-type]


def _timed_out(transport: GuardedTransport, url: str, code: str = "timeout") -> str:
    started = time.monotonic()
    with pytest.raises(NetworkTimeout) as caught:
        transport.get(url, accept=DID)
    elapsed = time.monotonic() - started
    assert caught.value.code == code
    assert caught.value.url
    assert elapsed < SLACK, f"the fetch took {elapsed:.2f} s with a {DEADLINE} s deadline"
    return caught.value.message


# The deadline, not a read timeout, ended it.
BY_THE_DEADLINE = f"timed out after {DEADLINE:g} s fetching"


def test_a_dripping_body_is_cut_at_the_deadline(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority
) -> None:
    body = b" " * 400  # 40 s at one byte per DRIP
    loopback.routes["/drip"] = Route(body, drip=DRIP)
    assert BY_THE_DEADLINE in _timed_out(_transport(loopback_ca), loopback.url("/drip"))
    assert loopback.hits["/drip"] == 1


def test_dripping_headers_are_cut_at_the_deadline(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority
) -> None:
    padding = {"Content-Type": "application/json", "X-Padding": "p" * 200}
    loopback.routes["/drip"] = Route(b"{}", headers=padding, drip=DRIP, drip_headers=True)
    assert BY_THE_DEADLINE in _timed_out(_transport(loopback_ca), loopback.url("/drip"))


class DrippingTLSServer:
    """A TCP server on loopback that answers a TLS ClientHello with the start of a handshake
    record and then one byte every DRIP seconds, for ever."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(5.0)
        self.port = int(self._listener.getsockname()[1])
        self.accepted = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self._listener.accept()
        except OSError:
            return
        self.accepted += 1
        with connection:
            try:
                connection.recv(4096)  # the ClientHello
                connection.sendall(b"\x16\x03\x03\x40\x00")  # a 16 KiB handshake record...
                while not self._stopping.wait(DRIP):
                    connection.sendall(b"\x00")  # ...that never completes
            except OSError:
                return  # the client went away

    def stop(self) -> None:
        self._stopping.set()
        self._listener.close()
        self._thread.join(timeout=5.0)
        assert not self._thread.is_alive()


@pytest.fixture
def dripping_tls() -> Iterator[DrippingTLSServer]:
    server = DrippingTLSServer()
    try:
        yield server
    finally:
        server.stop()


def test_a_dripping_tls_handshake_is_cut_at_the_deadline(
    dripping_tls: DrippingTLSServer, loopback_ca: TestCertificateAuthority
) -> None:
    transport = _transport(loopback_ca, connect_timeout=30.0)
    _timed_out(transport, f"https://localhost:{dripping_tls.port}/x")
    assert dripping_tls.accepted == 1


def test_the_deadline_spans_redirect_hops(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority
) -> None:
    # Each hop alone is within every per-hop timeout; together they pass the deadline.
    for hop in range(4):
        loopback.routes[f"/{hop}"] = Route(
            status=302, headers={"Location": f"/{hop + 1}"}, delay=DEADLINE * 0.4
        )
    transport = _transport(loopback_ca, read_timeout=DEADLINE)
    assert "/0" in _timed_out(transport, loopback.url("/0"))  # the URL asked for is named
    assert sum(loopback.hits.values()) < 4


class StuckResolver:
    """Records every lookup and answers only when released (at teardown at the latest)."""

    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.released = threading.Event()

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        self.released.wait(10.0)
        return ["127.0.0.1"]


@pytest.fixture
def stuck() -> Iterator[StuckResolver]:
    resolver = StuckResolver()
    try:
        yield resolver
    finally:
        resolver.released.set()


def test_a_slow_lookup_is_cut_at_the_dns_timeout(
    loopback_ca: TestCertificateAuthority, stuck: StuckResolver
) -> None:
    transport = _transport(loopback_ca, resolve_host=stuck, dns_timeout=0.5, total_timeout=5.0)
    message = _timed_out(transport, "https://badges.example.com/x", code="dns_timeout")
    assert "after 0.5 s resolving" in message
    assert stuck.lookups == ["badges.example.com"]


def test_a_slow_lookup_is_cut_at_the_fetch_deadline(
    loopback_ca: TestCertificateAuthority, stuck: StuckResolver
) -> None:
    transport = _transport(loopback_ca, resolve_host=stuck, dns_timeout=30.0)
    message = _timed_out(transport, "https://badges.example.com/x", code="dns_timeout")
    assert "resolving the host name" in message
    assert stuck.lookups == ["badges.example.com"]


def test_stuck_lookups_are_bounded(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority, stuck: StuckResolver
) -> None:
    transport = _transport(loopback_ca, resolve_host=stuck, dns_timeout=0.05)
    for _ in range(8):
        _timed_out(transport, "https://badges.example.com/x", code="dns_timeout")
    # Eight lookups still hang in their threads: the next one does not start a ninth.
    with pytest.raises(DNSTimeout) as caught:
        transport.get("https://badges.example.com/x", accept=DID)
    assert "still pending" in caught.value.message
    assert len(stuck.lookups) == 8
    # Once they return, their slots are free again.
    stuck.released.set()
    loopback.routes["/x"] = Route(b"{}")
    give_up = time.monotonic() + 5.0
    while True:
        try:
            assert transport.get(loopback.url("/x"), accept=DID).body == b"{}"
            break
        except DNSTimeout:
            assert time.monotonic() < give_up, "the lookup slots were never released"
            time.sleep(0.05)
