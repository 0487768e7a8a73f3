"""GuardedTransport against a real HTTPS server on loopback: each failure has its own code."""

from __future__ import annotations

import gzip
import ipaddress

import pytest
from loopback_server import (
    LOOPBACK,
    PINNED_HOST,
    LoopbackServer,
    Route,
    TestCertificateAuthority,
    unused_port,
)

from vcbadge.errors import (
    AddressNotAllowed,
    ConnectionFailed,
    ContentTypeError,
    HTTPStatusError,
    NetworkError,
    NetworkTimeout,
    RedirectRefused,
    ResolutionError,
    ResponseTooLarge,
    SchemeNotAllowed,
    TLSError,
)
from vcbadge.http import GuardedTransport, UnsafeTransportWarning, address_refusal
from vcbadge.protocols import Transport

DID = ("application/did+json", "application/json")
BODY = b'{"id": "did:web:example"}'


def _fails(transport: GuardedTransport, url: str, kind: type[NetworkError], code: str) -> str:
    with pytest.raises(kind) as caught:
        transport.get(url, accept=DID)
    assert caught.value.code == code
    assert isinstance(caught.value, ResolutionError)  # INDETERMINATE in verification
    assert caught.value.url
    return str(caught.value)


def test_is_a_transport(loopback_transport: GuardedTransport) -> None:
    assert isinstance(loopback_transport, Transport)


def test_success(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    loopback.routes["/.well-known/did.json"] = Route(BODY)
    url = loopback.url("/.well-known/did.json")
    response = loopback_transport.get(url, accept=DID)
    assert (response.url, response.status, response.body) == (url, 200, BODY)
    assert response.media_type == "application/did+json"
    assert response.headers["content-length"] == str(len(BODY))
    path, headers = loopback.requests[-1]
    assert path == "/.well-known/did.json"
    assert headers["Accept"] == "application/did+json, application/json"
    assert headers["Host"] == f"localhost:{loopback.port}"


def test_connects_to_the_checked_address_with_sni_and_host_of_the_url(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    # PINNED_HOST is in no DNS: the request can only arrive if the transport connected to the
    # address its resolver returned (and checked), while TLS verified the certificate for the
    # host name and the server saw it in SNI and Host.
    loopback.routes["/did.json"] = Route(BODY)
    response = loopback_transport.get(loopback.url("/did.json", host=PINNED_HOST), accept=DID)
    assert response.body == BODY
    assert loopback.server_names[-1] == PINNED_HOST
    assert loopback.requests[-1][1]["Host"] == f"{PINNED_HOST}:{loopback.port}"


def test_not_found(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    url = loopback.url("/missing/did.json")
    message = _fails(loopback_transport, url, HTTPStatusError, "http_status")
    assert url in message
    assert "404" in message
    with pytest.raises(HTTPStatusError) as caught:
        loopback_transport.get(url, accept=DID)
    assert caught.value.status == 404


def test_server_error(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    loopback.routes["/did.json"] = Route(b"oops", status=503)
    assert "503" in _fails(
        loopback_transport, loopback.url("/did.json"), HTTPStatusError, "http_status"
    )
    assert loopback.hits["/did.json"] == 1  # no hidden retry


@pytest.mark.slow
def test_read_timeout(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    loopback.routes["/slow"] = Route(BODY, delay=3.0)
    message = _fails(loopback_transport, loopback.url("/slow"), NetworkTimeout, "timeout")
    assert loopback.url("/slow") in message
    assert loopback.hits["/slow"] == 1


@pytest.mark.slow
def test_total_deadline(loopback: LoopbackServer, loopback_ca: TestCertificateAuthority) -> None:
    transport = GuardedTransport(
        ca_bundle=loopback_ca.ca_path,
        allowed_addresses=LOOPBACK,
        allowed_hosts=["localhost"],
        read_timeout=2.0,
        total_timeout=0.3,
    )
    loopback.routes["/slow"] = Route(BODY, delay=1.0)
    _fails(transport, loopback.url("/slow"), NetworkTimeout, "timeout")


def test_declared_length_over_the_cap(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/big"] = Route(b"{}", declared_length=10 * 1024 * 1024)
    message = _fails(
        loopback_transport, loopback.url("/big"), ResponseTooLarge, "response_too_large"
    )
    assert "limit" in message


def test_streamed_body_over_the_cap(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    # No Content-Length: the cap is enforced while reading.
    loopback.routes["/big"] = Route(b" " * (200 * 1024), chunked=True)
    _fails(loopback_transport, loopback.url("/big"), ResponseTooLarge, "response_too_large")


def test_compressed_body_is_capped_after_decoding(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    bomb = gzip.compress(b" " * (1024 * 1024))
    assert len(bomb) < loopback_transport.max_bytes
    loopback.routes["/bomb"] = Route(
        bomb, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )
    _fails(loopback_transport, loopback.url("/bomb"), ResponseTooLarge, "response_too_large")


def test_compressed_body_under_the_cap_is_decoded(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/small"] = Route(
        gzip.compress(BODY),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert loopback_transport.get(loopback.url("/small"), accept=DID).body == BODY


def test_body_exactly_at_the_cap_is_accepted(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    body = b" " * loopback_transport.max_bytes
    loopback.routes["/edge"] = Route(body, chunked=True)
    assert len(loopback_transport.get(loopback.url("/edge"), accept=DID).body) == len(body)


def test_wrong_content_type(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    loopback.routes["/did.json"] = Route(BODY, headers={"Content-Type": "text/html; charset=utf-8"})
    message = _fails(
        loopback_transport, loopback.url("/did.json"), ContentTypeError, "content_type"
    )
    assert "text/html" in message


def test_missing_content_type(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/did.json"] = Route(BODY, headers={})
    assert "no Content-Type" in _fails(
        loopback_transport, loopback.url("/did.json"), ContentTypeError, "content_type"
    )


def test_content_type_parameters_and_case_are_ignored(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/did.json"] = Route(
        BODY, headers={"Content-Type": "Application/JSON; charset=utf-8"}
    )
    assert loopback_transport.get(loopback.url("/did.json"), accept=DID).body == BODY


def test_redirect_is_followed_and_rechecked(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/old"] = Route(status=301, headers={"Location": "/new"})
    loopback.routes["/new"] = Route(BODY)
    response = loopback_transport.get(loopback.url("/old"), accept=DID)
    assert response.url == loopback.url("/new")
    assert response.body == BODY


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("https://10.0.0.1/did.json", "private"),
        ("https://169.254.169.254/latest/meta-data/", "metadata"),
        ("https://[fd00:ec2::254]/latest/meta-data/", "metadata"),
        ("https://[::ffff:192.168.0.1]/x", "private"),
    ],
)
def test_redirect_to_a_private_address(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, target: str, shown: str
) -> None:
    loopback.routes["/r"] = Route(status=302, headers={"Location": target})
    message = _fails(loopback_transport, loopback.url("/r"), AddressNotAllowed, "private_address")
    assert shown in message
    assert f"redirected from {loopback.url('/r')}" in message


def test_redirect_to_plain_http(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/r"] = Route(status=307, headers={"Location": "http://example.com/did.json"})
    assert "not an HTTPS URL" in _fails(
        loopback_transport, loopback.url("/r"), RedirectRefused, "redirect_refused"
    )


def test_redirect_without_location(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    loopback.routes["/r"] = Route(status=302, headers={})
    _fails(loopback_transport, loopback.url("/r"), RedirectRefused, "redirect_refused")


def test_redirect_loop(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    loopback.routes["/a"] = Route(status=302, headers={"Location": "/b"})
    loopback.routes["/b"] = Route(status=302, headers={"Location": "/a"})
    _fails(loopback_transport, loopback.url("/a"), RedirectRefused, "too_many_redirects")
    # the initial request and max_redirects hops, no more
    assert loopback.hits["/a"] + loopback.hits["/b"] == loopback_transport.max_redirects + 1


def test_loopback_is_refused_by_default(loopback: LoopbackServer) -> None:
    loopback.routes["/did.json"] = Route(BODY)
    url = loopback.url("/did.json", host="127.0.0.1")
    message = _fails(GuardedTransport(), url, AddressNotAllowed, "private_address")
    assert "loopback" in message
    assert loopback.hits["/did.json"] == 0  # refused before connecting


def test_untrusted_certificate(loopback: LoopbackServer) -> None:
    # The system trust store does not know the test CA.
    transport = GuardedTransport(allowed_addresses=LOOPBACK, allowed_hosts=["localhost"])
    loopback.routes["/did.json"] = Route(BODY)
    _fails(transport, loopback.url("/did.json"), TLSError, "tls")
    assert loopback.hits["/did.json"] == 0


def test_certificate_for_another_host(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority
) -> None:
    # Trusted CA, but the certificate does not name the host the transport asked for.
    transport = GuardedTransport(
        ca_bundle=loopback_ca.ca_path,
        allowed_addresses=LOOPBACK,
        allowed_hosts=["evil.example.test"],
        resolve_host=lambda host, port: ["127.0.0.1"],
    )
    loopback.routes["/did.json"] = Route(BODY)
    _fails(transport, loopback.url("/did.json", host="evil.example.test"), TLSError, "tls")


@pytest.mark.parametrize(
    "url", ["http://example.com/did.json", "ftp://example.com/x", "file:///etc/passwd", "/x"]
)
def test_only_https(url: str) -> None:
    _fails(GuardedTransport(), url, SchemeNotAllowed, "scheme_not_allowed")


@pytest.mark.parametrize(
    "url", ["https://user:secret@example.com/x", "https://example.com:99999/x", "https:///x"]
)
def test_invalid_urls(url: str) -> None:
    _fails(GuardedTransport(), url, NetworkError, "invalid_url")


def test_connection_refused(loopback_transport: GuardedTransport) -> None:
    url = f"https://localhost:{unused_port()}/did.json"
    _fails(loopback_transport, url, ConnectionFailed, "connection_failed")


def test_unresolvable_host(loopback_transport: GuardedTransport) -> None:
    # The fixture's resolver knows no address for it.
    url = "https://nowhere.example.com/x"
    _fails(loopback_transport, url, ConnectionFailed, "connection_failed")


def test_one_private_address_among_public_ones_is_refused() -> None:
    transport = GuardedTransport(resolve_host=lambda host, port: ["93.184.215.14", "10.1.2.3"])
    assert "10.1.2.3" in _fails(
        transport, "https://rebind.example.com/x", AddressNotAllowed, "private_address"
    )


def test_unsafe_switch_warns() -> None:
    with pytest.warns(UnsafeTransportWarning):
        transport = GuardedTransport(unsafe_allow_private_addresses=True)
    assert transport.unsafe_allow_private_addresses


def test_unsafe_switch_lets_loopback_through(
    loopback: LoopbackServer, loopback_ca: TestCertificateAuthority
) -> None:
    with pytest.warns(UnsafeTransportWarning):
        transport = GuardedTransport(
            ca_bundle=loopback_ca.ca_path,
            allowed_hosts=["localhost"],
            unsafe_allow_private_addresses=True,
        )
    loopback.routes["/did.json"] = Route(BODY)
    assert transport.get(loopback.url("/did.json"), accept=DID).body == BODY


def test_configuration_is_checked(tmp_path) -> None:
    with pytest.raises(ValueError, match="ca_bundle"):
        GuardedTransport(ca_bundle=tmp_path / "missing.pem")
    with pytest.raises(ValueError, match="timeouts"):
        GuardedTransport(read_timeout=0)
    with pytest.raises(ValueError, match="accept"):
        GuardedTransport().get("https://example.com/", accept=[])


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.64.0.1", "CGNAT"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:c0a8:0101::1", "private"),  # 6to4 of 192.168.1.1
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("240.0.0.1", "reserved"),
        ("198.18.0.1", "benchmarking"),
        ("2001:db8::1", "documentation"),
    ],
)
def test_address_guard_refuses(address: str, reason: str) -> None:
    refusal = address_refusal(ipaddress.ip_address(address))
    assert refusal is not None
    assert reason in refusal


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_address_guard_lets_public_addresses_through(address: str) -> None:
    assert address_refusal(ipaddress.ip_address(address)) is None


def test_allow_list_is_exact() -> None:
    transport = GuardedTransport(
        allowed_addresses=["10.1.0.0/16"], resolve_host=lambda host, port: ["10.2.0.1"]
    )
    _fails(transport, "https://intranet.example.com/x", AddressNotAllowed, "private_address")
