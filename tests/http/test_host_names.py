"""The transport's host-name guard: what is not a public DNS name is refused before any lookup
and any connection, for the first URL, every redirect hop, and every caller (DID documents,
controller documents, status lists)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from loopback_server import LOOPBACK, LoopbackServer, Route, TestCertificateAuthority

from vcbadge.errors import HostNotAllowed, NetworkError, StatusListUnavailable
from vcbadge.http import GuardedTransport
from vcbadge.resolve import HttpsResolver
from vcbadge.resolve.status_lists import TransportStatusFetcher

DID = ("application/did+json", "application/json")
BODY = b'{"id": "https://badges.example.com/issuer"}'


class RecordingResolver:
    """Answers every name with 127.0.0.1 (where the loopback server listens) and records it:
    a name the guard let through would be looked up and connected to."""

    def __init__(self) -> None:
        self.lookups: list[str] = []

    def __call__(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        return ["127.0.0.1"]


@pytest.fixture
def lookups() -> RecordingResolver:
    return RecordingResolver()


@pytest.fixture
def transport(
    loopback_ca: TestCertificateAuthority, lookups: RecordingResolver
) -> GuardedTransport:
    return GuardedTransport(
        ca_bundle=loopback_ca.ca_path,
        allowed_addresses=LOOPBACK,
        resolve_host=lookups,
        connect_timeout=2.0,
        read_timeout=1.0,
        total_timeout=5.0,
    )


def _nothing_happened(server: LoopbackServer, lookups: RecordingResolver) -> None:
    assert lookups.lookups == []
    assert server.server_names == []  # no TLS handshake: no connection was made
    assert not server.hits


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("localhost", "special-use"),
        ("api.localhost", ".localhost"),
        ("printer.local", ".local"),
        ("db.internal", ".internal"),
        ("box.localdomain", ".localdomain"),
        ("router.home.arpa", ".arpa"),
        ("nowhere.invalid", ".invalid"),
        ("badges.example.test", ".test"),
        ("site.example", ".example"),
        ("hidden.onion", ".onion"),
        ("fileserver", "single-label"),
        ("2130706433", "IP address"),  # 127.0.0.1 as one decimal number
        ("0x7f000001", "IP address"),  # ... as one hex number
        ("0x7f.1", "IP address"),
        ("0177.0.0.1", "IP address"),  # octal
        ("127.1", "IP address"),
        ("127.0.0.01", "IP address"),
        ("example.com.", "ends with a dot"),
        ("exa_mple.com", "label"),
        ("-example.com", "label"),
        ("a" * 64 + ".com", "label"),
        (("a" * 60 + ".") * 5 + "com", "longer than 253"),
        ("example.123", "numeric"),
    ],
)
def test_refused_before_dns_and_connection(
    loopback: LoopbackServer,
    transport: GuardedTransport,
    lookups: RecordingResolver,
    host: str,
    reason: str,
) -> None:
    loopback.routes["/x"] = Route(BODY)
    url = loopback.url("/x", host=host)
    with pytest.raises(HostNotAllowed) as caught:
        transport.get(url, accept=DID)
    assert caught.value.code == "host_not_allowed"
    assert reason in caught.value.message
    assert caught.value.url == url
    _nothing_happened(loopback, lookups)


def test_a_public_name_is_looked_up_and_fetched(
    loopback: LoopbackServer, transport: GuardedTransport, lookups: RecordingResolver
) -> None:
    # The recorder sees what the guard lets through (the refusals above are not vacuous); the
    # certificate does not name this host, so the fetch ends at TLS, after connecting.
    loopback.routes["/x"] = Route(BODY)
    with pytest.raises(NetworkError) as caught:
        transport.get(loopback.url("/x", host="badges.example.com"), accept=DID)
    assert caught.value.code == "tls"
    assert lookups.lookups == ["badges.example.com"]
    assert loopback.server_names == ["badges.example.com"]


def test_allowed_hosts_are_looked_up(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority, lookups: RecordingResolver
) -> None:
    transport = GuardedTransport(
        ca_bundle=loopback_ca.ca_path,
        allowed_addresses=LOOPBACK,
        allowed_hosts=["LocalHost"],
        resolve_host=lookups,
    )
    loopback.routes["/x"] = Route(BODY)
    assert transport.get(loopback.url("/x"), accept=DID).body == BODY
    assert lookups.lookups == ["localhost"]
    # Allowing a name does not allow its neighbours.
    with pytest.raises(HostNotAllowed):
        transport.get(loopback.url("/x", host="api.localhost"), accept=DID)
    assert lookups.lookups == ["localhost"]


def test_allowed_hosts_do_not_allow_numeric_forms(loopback_ca: TestCertificateAuthority) -> None:
    lookups = RecordingResolver()
    transport = GuardedTransport(allowed_hosts=["2130706433"], resolve_host=lookups)
    with pytest.raises(HostNotAllowed) as caught:
        transport.get("https://2130706433/x", accept=DID)
    assert caught.value.code == "host_not_allowed"
    assert lookups.lookups == []


@pytest.mark.parametrize("target", ["https://2130706433/x", "https://db.internal/x", "/x."])
def test_every_redirect_hop_is_checked_before_dns(
    loopback: LoopbackServer,
    transport: GuardedTransport,
    lookups: RecordingResolver,
    target: str,
) -> None:
    start = loopback.url("/r", host="127.0.0.1")  # an IP literal: no lookup for the first hop
    if target.startswith("/"):
        target = f"https://localhost.:{loopback.port}{target}"
    loopback.routes["/r"] = Route(status=302, headers={"Location": target})
    with pytest.raises(HostNotAllowed) as caught:
        transport.get(start, accept=DID)
    assert caught.value.code == "host_not_allowed"
    assert f"redirected from {start}" in caught.value.message
    assert lookups.lookups == []
    assert loopback.hits["/r"] == 1
    assert loopback.hits["/x"] == 0
    assert loopback.hits["/x."] == 0


def test_very_long_url_is_refused_before_dns(
    transport: GuardedTransport, lookups: RecordingResolver
) -> None:
    with pytest.raises(NetworkError) as caught:
        transport.get("https://badges.example.com/" + "a" * 5000, accept=DID)
    assert caught.value.code == "invalid_url"
    assert lookups.lookups == []


def test_status_list_urls_go_through_the_guard(
    loopback: LoopbackServer, transport: GuardedTransport, lookups: RecordingResolver
) -> None:
    fetcher = TransportStatusFetcher(transport)
    with pytest.raises(StatusListUnavailable) as caught:
        fetcher.fetch(f"https://status.internal:{loopback.port}/lists/1")
    assert "[host_not_allowed]" in caught.value.message
    _nothing_happened(loopback, lookups)


def test_controller_urls_go_through_the_guard(
    loopback: LoopbackServer, transport: GuardedTransport, lookups: RecordingResolver
) -> None:
    with pytest.raises(HostNotAllowed):
        HttpsResolver(transport).resolve(f"https://0x7f.1:{loopback.port}/issuer#key-1")
    _nothing_happened(loopback, lookups)
