"""The one network transport: every document vcbadge fetches (DID documents, controller documents,
HTTPS keys, status lists, schemas) goes through :class:`GuardedTransport`.

A credential chooses the URLs its verifier fetches, so each fetch is treated as hostile:

- **HTTPS only**, TLS certificates always verified (against the system bundle, or a CA bundle the
  caller names), no proxies or ``.netrc`` from the environment, no cookies, no credentials in URLs.
- **A host-name guard before DNS.** A URL's host (and every redirect hop's) must be a canonical
  IP literal or a DNS name in RFC 1123 syntax: numeric forms of IPv4 addresses (``2130706433``,
  ``0x7f.1``), trailing dots and malformed labels are refused without a lookup, and so are
  special-use and single-label names (``localhost``, ``.local``, ``.internal``, ...) unless the
  caller allows them by name. Nothing the guard refuses reaches the resolver.
- **An address guard.** The host name is resolved once, every address it resolves to is checked,
  and the connection is made to a checked address. Loopback, private (RFC 1918, ULA), link-local,
  shared (CGNAT), multicast, unspecified, reserved and cloud metadata addresses are refused
  unless the caller allows them explicitly.
- **No DNS rebinding window.** The TCP connection goes to the address that was checked (it is
  never resolved a second time), while TLS uses the URL's host name for SNI and certificate
  verification and the ``Host`` header carries it too. This is done with a ``requests`` transport
  adapter whose connection pool is opened on the checked address with ``server_hostname`` and
  ``assert_hostname`` set to the host name.
- **Bounded work.** Connect and read timeouts, a DNS timeout, and one wall-clock deadline per
  :meth:`GuardedTransport.get` for everything (every lookup, connection, TLS handshake, header
  and body read of every redirect hop): when it passes, a watchdog shuts the socket down, so a
  server that drips one byte at a time cannot hold the verifier past it. A response size cap
  (checked against ``Content-Length`` and while streaming the decoded body), and a small number
  of redirects, each hop checked again (scheme, host name, address) as if it were the first URL.
- **Bounded DNS.** ``getaddrinfo`` cannot be cancelled, so each lookup runs in a daemon thread
  and the fetch stops waiting for it at the DNS timeout or the deadline (``dns_timeout``). A
  lookup that never returns keeps its thread until the process exits; at most a few such
  threads exist per transport, and when all are stuck further lookups fail at once.
- **Checked content type**, against the media types the caller accepts.
- **API requests** (:meth:`GuardedTransport.request`): any method with a body, under the same
  guards, returning every status and never following a redirect (a request carrying a token or
  a client secret is not replayed to the host a ``Location`` names).
- **No hidden retries.** One attempt per address the host resolves to; failures are raised as
  :class:`vcbadge.errors.NetworkError` subclasses whose ``code`` says why and whose message names
  the URL.

This is the only module of vcbadge that imports ``requests``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.utils import DEFAULT_CA_BUNDLE_PATH
from urllib3 import HTTPSConnectionPool
from urllib3.connection import HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from vcbadge.errors import (
    AddressNotAllowed,
    ConnectionFailed,
    ContentTypeError,
    DNSTimeout,
    HostNotAllowed,
    HTTPStatusError,
    NetworkError,
    NetworkTimeout,
    RedirectRefused,
    ResponseTooLarge,
    SchemeNotAllowed,
    TLSError,
)
from vcbadge.hostnames import dns_name_defect, local_name_refusal
from vcbadge.protocols import Response

__all__ = [
    "GuardedTransport",
    "UnsafeTransportWarning",
    "address_refusal",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
HostResolver = Callable[[str, int], Sequence[str]]

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
# A host name that resolves to dozens of addresses gains an attacker nothing but time.
_MAX_ADDRESSES = 8
# Lookups that never return keep their thread; past this many per transport, new lookups fail
# at once instead of starting more threads.
_MAX_PENDING_LOOKUPS = 8
_MAX_URL_LENGTH = 4096

_METADATA = (
    ipaddress.ip_address("169.254.169.254"),  # AWS, GCP, Azure, OpenStack, ...
    ipaddress.ip_address("fd00:ec2::254"),  # AWS IMDS over IPv6
    ipaddress.ip_address("100.100.100.200"),  # Alibaba Cloud
)
# Ranges that Python's ``is_private``/``is_global`` classify differently across versions, named
# explicitly so the guard behaves the same on every supported Python.
_NAMED_RANGES: tuple[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, str], ...] = (
    (ipaddress.ip_network("100.64.0.0/10"), "shared (CGNAT)"),
    (ipaddress.ip_network("192.0.0.0/24"), "IETF protocol assignment"),
    (ipaddress.ip_network("198.18.0.0/15"), "benchmarking"),
    (ipaddress.ip_network("64:ff9b:1::/48"), "local-use NAT64"),
    (ipaddress.ip_network("2001:db8::/32"), "documentation"),
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})
_RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
# A header that could smuggle another header (or end the head early) is the caller's bug.
_HEADER_BREAK = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


@dataclass(frozen=True, kw_only=True)
class _Outgoing:
    """What one request sends, and whether every status is handed back (``request``) or
    only a 200 (``get``: a redirect is reported for the caller to check and follow)."""

    method: str = "GET"
    accept: tuple[str, ...]
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes | None = None
    any_status: bool = False


class UnsafeTransportWarning(UserWarning):
    """A transport switch that weakens the address guard was turned on."""


def address_refusal(address: IPAddress) -> str | None:
    """Why the transport refuses to connect to ``address`` by default, or None when it is a
    public unicast address.

    IPv6 addresses that embed an IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64) are judged by
    the embedded address too, so ``::ffff:127.0.0.1`` is loopback.
    """
    if address in _METADATA:
        return "a cloud metadata address"
    if isinstance(address, ipaddress.IPv6Address):
        for embedded in _embedded_ipv4(address):
            reason = address_refusal(embedded)
            if reason is not None:
                return f"{reason} (embedded in {address})"
    for network, name in _NAMED_RANGES:
        if address in network:
            return f"a {name} address"
    checks = (
        (address.is_unspecified, "the unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "site-local"),
        (not address.is_global, "not a globally routable address"),
    )
    for refused, reason in checks:
        if refused:
            return reason
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.append(address.teredo[1])
    if address in _NAT64:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def _system_resolver(host: str, port: int) -> Sequence[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


class GuardedTransport:
    """The :class:`vcbadge.protocols.Transport` vcbadge uses for every fetch.

    Args:
        connect_timeout: seconds to establish a TCP + TLS connection to one address.
        read_timeout: seconds to wait for each read from the server.
        total_timeout: seconds of wall-clock time for the whole fetch: DNS, connections, TLS,
            headers and body of every redirect hop (a server that trickles one byte at a time
            cannot hold the verifier longer).
        dns_timeout: seconds to wait for one host-name lookup (never longer than what is left
            of ``total_timeout``).
        max_bytes: the largest (decoded) response body accepted.
        max_redirects: how many redirects to follow; each hop is checked like the first URL.
        allowed_addresses: addresses or networks (``"127.0.0.1"``, ``"10.0.0.0/8"``) the address
            guard lets through although they are not public: name exactly what a test server or
            an intranet verifier needs.
        allowed_hosts: host names accepted although they name no public host (``localhost``, a
            single label, a name under ``.test``, ``.internal``, ``.local``, ...): exactly the
            names a test server or an intranet verifier needs. They must still be DNS names, and
            their addresses still pass the address guard.
        unsafe_allow_private_addresses: switch the address guard off entirely. For debugging
            only; emits :class:`UnsafeTransportWarning`.
        ca_bundle: a PEM file of CA certificates to trust *instead of* the default bundle
            (certifi): a test CA, or a private PKI. Certificate verification is never off.
        resolve_host: ``(host, port) -> addresses``; the system resolver by default. Whatever
            it returns is checked by the address guard.
        user_agent: the ``User-Agent`` header.
    """

    def __init__(
        self,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        total_timeout: float = 30.0,
        dns_timeout: float = 5.0,
        max_bytes: int = 1024 * 1024,
        max_redirects: int = 3,
        allowed_addresses: Iterable[str] = (),
        allowed_hosts: Iterable[str] = (),
        unsafe_allow_private_addresses: bool = False,
        ca_bundle: str | os.PathLike[str] | None = None,
        resolve_host: HostResolver | None = None,
        user_agent: str = "vcbadge",
    ) -> None:
        if min(connect_timeout, read_timeout, total_timeout, dns_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if max_bytes <= 0 or max_redirects < 0:
            raise ValueError("max_bytes must be positive and max_redirects not negative")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.dns_timeout = dns_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allowed_networks = tuple(
            ipaddress.ip_network(item, strict=False) for item in allowed_addresses
        )
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        self.unsafe_allow_private_addresses = unsafe_allow_private_addresses
        if unsafe_allow_private_addresses:
            warnings.warn(
                "transport weakened: unsafe_allow_private_addresses=True lets credentials make "
                "the verifier fetch from loopback, private and cloud metadata addresses",
                UnsafeTransportWarning,
                stacklevel=2,
            )
        if ca_bundle is not None and not os.path.isfile(ca_bundle):
            raise ValueError(f"ca_bundle {os.fspath(ca_bundle)!r} is not a file")
        self.ca_bundle = os.fspath(ca_bundle) if ca_bundle is not None else None
        self._resolve_host = resolve_host or _system_resolver
        self._lookup_slots = threading.BoundedSemaphore(_MAX_PENDING_LOOKUPS)
        self.user_agent = user_agent

    def __repr__(self) -> str:
        allowed = [str(network) for network in self.allowed_networks]
        return (
            f"GuardedTransport(max_bytes={self.max_bytes}, max_redirects={self.max_redirects}, "
            f"allowed_addresses={allowed}, allowed_hosts={sorted(self.allowed_hosts)}, "
            f"unsafe_allow_private_addresses={self.unsafe_allow_private_addresses})"
        )

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        """GET ``url``; return the 200 response whose media type is one of ``accept``.

        Raises a :class:`vcbadge.errors.NetworkError` subclass: ``scheme_not_allowed``,
        ``invalid_url``, ``host_not_allowed``, ``private_address``, ``connection_failed``,
        ``tls``, ``timeout``, ``dns_timeout``,
        ``http_status`` (``.status``), ``redirect_refused``, ``too_many_redirects``,
        ``response_too_large``, ``content_type``. Each message names the URL and why.
        """
        if not accept:
            raise ValueError("accept must name at least one media type")
        accepted = {media.lower() for media in accept}
        deadline = time.monotonic() + self.total_timeout
        current = url
        for hop in range(self.max_redirects + 1):
            try:
                response, location = self._fetch_once(
                    current, _Outgoing(accept=tuple(accept)), deadline
                )
            except NetworkError as error:
                if current != url:
                    raise error.noted(f"(redirected from {url})") from error
                raise
            if location is None:
                assert response is not None
                if response.media_type not in accepted:
                    shown = response.media_type or "no Content-Type"
                    raise ContentTypeError(
                        f"{response.url} was served as {shown}, not one of {', '.join(accept)}",
                        url=response.url,
                    )
                return response
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() != "https":
                raise RedirectRefused(
                    f"{current} redirects to {target}, which is not an HTTPS URL",
                    url=current,
                )
            if hop == self.max_redirects:
                raise RedirectRefused(
                    f"{url}: more than {self.max_redirects} redirects (last to {target})",
                    url=url,
                    code="too_many_redirects",
                )
            current = target
        raise AssertionError("unreachable")  # pragma: no cover

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        accept: Sequence[str] = ("application/json",),
    ) -> Response:
        """Send one ``method`` request to ``url`` with ``content`` as its body; return the
        response whatever its status (the caller reads a 4xx or 5xx: an API answers errors in
        its body).

        The same guards as :meth:`get` apply: host-name and address checks, the connection
        pinned to the checked address, TLS verification, one deadline for everything, the
        response size cap. A redirect (3xx) is **returned, not followed**: an API request
        carries a body and credentials (a bearer token, HTTP Basic client authentication, an
        authorization code), and replaying it to wherever a ``Location`` header points would
        hand them to another host. The content type is not checked either; ``accept`` is only
        sent as the ``Accept`` header.

        ``headers`` may not set ``Host``, ``Content-Length``, ``Transfer-Encoding`` or
        ``Connection`` (the transport sets them). Raises the :class:`vcbadge.errors.NetworkError`
        subclasses of :meth:`get` except ``http_status``, ``redirect_refused``,
        ``too_many_redirects`` and ``content_type``.
        """
        if not accept:
            raise ValueError("accept must name at least one media type")
        verb = method.upper()
        if verb not in _METHODS:
            raise ValueError(f"unsupported HTTP method {method!r}")
        extra = dict(headers or {})
        reserved = sorted(name for name in extra if name.lower() in _RESERVED_HEADERS)
        if reserved:
            raise ValueError(f"the transport sets these headers itself: {', '.join(reserved)}")
        if any(_HEADER_BREAK.search(f"{name}{value}") for name, value in extra.items()):
            raise ValueError("a header name or value holds a line break or control character")
        outgoing = _Outgoing(
            method=verb, accept=tuple(accept), headers=extra, content=content, any_status=True
        )
        response, _ = self._fetch_once(url, outgoing, time.monotonic() + self.total_timeout)
        assert response is not None  # with any_status, a redirect is a response too
        return response

    # One request

    def _fetch_once(
        self, url: str, outgoing: _Outgoing, deadline: float
    ) -> tuple[Response | None, str | None]:
        """One request without following redirects: (response, None) or, unless
        ``outgoing.any_status``, (None, Location) for a redirect."""
        host, port, request_url, host_header = _parse(url)
        self._require_host_name(url, host)
        addresses = self._checked_addresses(url, host, port, deadline)
        last_error: Exception | None = None
        for address in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _raise_timeout(url, self.total_timeout)
            try:
                return self._fetch_from(
                    address, host, port, request_url, host_header, outgoing, deadline, url
                )
            except requests.exceptions.ConnectTimeout as error:
                last_error = error
            except requests.exceptions.SSLError as error:
                raise TLSError(
                    f"TLS handshake with {url} failed: {_reason(error)}", url=url
                ) from None
            except requests.exceptions.ReadTimeout:
                _raise_timeout(url, self.read_timeout, reading=True)
            except requests.exceptions.ConnectionError as error:
                if _is_read_timeout(error):
                    _raise_timeout(url, self.read_timeout, reading=True)
                if _sent_request(error):
                    raise ConnectionFailed(
                        f"the connection to {url} failed: {_reason(error)}", url=url
                    ) from None
                # The connection could not be made: try the host's next checked address (the
                # request was never sent, so this is not a retry of it).
                last_error = error
            except requests.exceptions.RequestException as error:
                # A broken chunked body, an undecodable gzip stream, ...
                raise ConnectionFailed(
                    f"the response from {url} is broken: {_reason(error)}", url=url
                ) from None
        if isinstance(last_error, requests.exceptions.ConnectTimeout):
            _raise_timeout(url, self.connect_timeout)
        raise ConnectionFailed(
            f"cannot connect to {url} ({', '.join(addresses)}): {_reason(last_error)}", url=url
        )

    def _fetch_from(
        self,
        address: str,
        host: str,
        port: int,
        request_url: str,
        host_header: str,
        outgoing: _Outgoing,
        deadline: float,
        url: str,
    ) -> tuple[Response | None, str | None]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            _raise_timeout(url, self.total_timeout)
        watchdog = _Watchdog(remaining)
        adapter = _PinnedAdapter(
            address=address, hostname=host, port=port, ca=self.ca_bundle, watchdog=watchdog
        )
        prepared = requests.Request(
            outgoing.method,
            request_url,
            headers={
                "Accept": ", ".join(outgoing.accept),
                "Accept-Encoding": "gzip, deflate",
                "User-Agent": self.user_agent,
                **outgoing.headers,
                "Host": host_header,
            },
            data=outgoing.content,
        ).prepare()
        connect = min(self.connect_timeout, remaining)
        read = min(self.read_timeout, remaining)
        interrupted = False
        try:
            try:
                raw = adapter.send(
                    prepared, stream=True, timeout=(connect, read), verify=self.ca_bundle or True
                )
                try:
                    result = self._read(raw, url, deadline, any_status=outgoing.any_status)
                finally:
                    raw.close()
            except NetworkError:
                raise
            except Exception:
                if not watchdog.expired:
                    raise
                interrupted = True
            # The watchdog may also have cut a body that has no length (read until the
            # connection closes): what arrived then is not the whole document.
            if interrupted or watchdog.expired:
                _raise_timeout(url, self.total_timeout)
            return result
        finally:
            watchdog.close()
            adapter.close()

    def _read(
        self, raw: requests.Response, url: str, deadline: float, *, any_status: bool
    ) -> tuple[Response | None, str | None]:
        status = raw.status_code
        # ``request`` hands every status back, redirects included: its caller interprets them.
        if not any_status and status in _REDIRECT_STATUSES:
            location = raw.headers.get("Location")
            if not location:
                raise RedirectRefused(f"{url} answered {status} without a Location header", url=url)
            return None, location
        if not any_status and status != 200:
            raise HTTPStatusError(
                f"{url} answered HTTP {status} {raw.reason or ''}".rstrip(), url=url, status=status
            )
        declared = raw.headers.get("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_bytes:
            raise ResponseTooLarge(
                f"{url} declares {int(declared)} bytes; the limit is {self.max_bytes}", url=url
            )
        chunks: list[bytes] = []
        received = 0
        # iter_content decodes gzip/deflate, so the cap applies to what is decoded: a small
        # compressed body cannot expand past it.
        for chunk in raw.iter_content(chunk_size=_CHUNK):
            received += len(chunk)
            if received > self.max_bytes:
                raise ResponseTooLarge(
                    f"{url} sent more than {self.max_bytes} bytes; the limit is {self.max_bytes}",
                    url=url,
                )
            if time.monotonic() > deadline:
                _raise_timeout(url, self.total_timeout)
            chunks.append(chunk)
        headers = {name.lower(): value for name, value in raw.headers.items()}
        return Response(url=url, status=status, headers=headers, body=b"".join(chunks)), None

    # The address guard

    def _require_host_name(self, url: str, host: str) -> None:
        """The host-name guard: refuse, before any lookup, what is not a DNS name (or an IP
        literal) and names that are not public unless allowed."""
        if _ip_literal(host) is not None:
            return
        reason = dns_name_defect(host)
        if reason is None and host.lower() not in self.allowed_hosts:
            reason = local_name_refusal(host)
        if reason is not None:
            raise HostNotAllowed(f"refusing to fetch {url}: {reason}", url=url)

    def _lookup(self, url: str, host: str, port: int, deadline: float) -> Sequence[str]:
        """The resolver's answer for ``host``, waited for at most the DNS timeout (and never
        past the deadline)."""
        budget = min(self.dns_timeout, deadline - time.monotonic())
        if budget <= 0:
            _raise_timeout(url, self.total_timeout)
        until = time.monotonic() + budget
        if not self._lookup_slots.acquire(timeout=budget):
            raise DNSTimeout(
                f"cannot resolve the host name of {url}: {_MAX_PENDING_LOOKUPS} earlier lookups "
                "are still pending",
                url=url,
            )
        lookup = _Lookup(self._resolve_host, host, port, self._lookup_slots)
        try:
            threading.Thread(target=lookup.run, name="vcbadge-dns", daemon=True).start()
        except RuntimeError as error:  # no thread can be started
            self._lookup_slots.release()
            raise ConnectionFailed(
                f"cannot resolve the host name of {url}: {error}", url=url
            ) from None
        if not lookup.done.wait(max(until - time.monotonic(), 0.0)):
            raise DNSTimeout(
                f"timed out after {budget:g} s resolving the host name of {url}", url=url
            )
        if isinstance(lookup.error, (OSError, UnicodeError)):
            raise ConnectionFailed(
                f"cannot resolve the host name of {url}: {lookup.error}", url=url
            ) from None
        if lookup.error is not None:
            raise lookup.error
        return lookup.addresses

    def _checked_addresses(self, url: str, host: str, port: int, deadline: float) -> list[str]:
        literal = _ip_literal(host)
        if literal is not None:
            candidates: Sequence[str] = [str(literal)]
        else:
            candidates = self._lookup(url, host, port, deadline)
        addresses: list[str] = []
        for candidate in candidates:
            # getaddrinfo may return scoped IPv6 addresses ("fe80::1%eth0").
            address = ipaddress.ip_address(candidate.split("%", 1)[0])
            self._require_allowed(address, url, host)
            if str(address) not in addresses:
                addresses.append(str(address))
        if not addresses:
            raise ConnectionFailed(f"the host name of {url} resolves to no address", url=url)
        return addresses[:_MAX_ADDRESSES]

    def _require_allowed(self, address: IPAddress, url: str, host: str) -> None:
        if self.unsafe_allow_private_addresses:
            return
        if any(address in network for network in self.allowed_networks):
            return
        reason = address_refusal(address)
        if reason is not None:
            via = "" if host == str(address) else f" ({host} resolves to {address})"
            raise AddressNotAllowed(f"refusing to fetch {url}{via}: {address} is {reason}", url=url)


class _PinnedAdapter(HTTPAdapter):
    """A requests adapter whose only connection goes to ``address``, with TLS for ``hostname``.

    ``requests`` would resolve the URL's host name itself (a second DNS lookup an attacker could
    answer differently). This adapter hands requests a urllib3 pool opened on the checked
    address; ``server_hostname`` keeps SNI and ``assert_hostname`` keeps certificate matching on
    the host name of the URL.
    """

    def __init__(
        self, *, address: str, hostname: str, port: int, ca: str | None, watchdog: _Watchdog
    ) -> None:
        # total=0: a failed connection is reported, not silently tried again.
        super().__init__(max_retries=Retry(total=0, redirect=False, raise_on_redirect=False))
        self._pool = _WatchedPool(
            host=address,
            port=port,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca or DEFAULT_CA_BUNDLE_PATH,
            server_hostname=hostname,
            assert_hostname=hostname,
            watchdog=watchdog,
        )

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Any = None,
        cert: Any = None,
    ) -> HTTPSConnectionPool:
        return self._pool

    def get_connection(self, url: str | bytes | None, proxies: Any = None) -> NoReturn:
        # requests >= 2.32.2 asks get_connection_with_tls_context (above) instead. The inherited
        # get_connection would open a pool on the URL's host name, resolved again by DNS, and so
        # bypass the checked address: an older requests that still called it must fail loudly.
        raise RuntimeError(
            "vcbadge needs requests >= 2.32.2: this requests called HTTPAdapter.get_connection, "
            "which would connect without the checked (pinned) address"
        )

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # The pool was built with verification on; never let anything turn it off.
        conn.cert_reqs = "CERT_REQUIRED"

    def close(self) -> None:
        self._pool.close()
        super().close()


class _Watchdog:
    """Shuts a fetch's connection down when its deadline passes.

    Socket timeouts bound each read, not their sum: a server that sends one byte just before
    each timeout keeps a TLS handshake, the headers or the body going for ever. The watchdog
    holds a duplicate of the connection's socket (so the descriptor cannot be closed and reused
    for something else while it is held) and shuts the connection down at the deadline, which
    ends any read blocked on it; :attr:`expired` then tells why it ended.
    """

    def __init__(self, seconds: float) -> None:
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None
        self._closed = False
        self.expired = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, sock: socket.socket) -> None:
        """Watch ``sock`` (a connected socket, before TLS)."""
        with self._lock:
            if self._closed:
                return
            if self._socket is not None:
                self._socket.close()
            self._socket = sock.dup()
            if self.expired:
                self._shut_down()

    def _expire(self) -> None:
        with self._lock:
            if self._closed:
                return
            self.expired = True
            self._shut_down()

    def _shut_down(self) -> None:
        if self._socket is not None:
            with contextlib.suppress(OSError):  # already closed by the peer
                self._socket.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        """Stop watching (the fetch is over) and release the duplicate socket."""
        with self._lock:
            self._closed = True
            self._timer.cancel()
            if self._socket is not None:
                self._socket.close()
                self._socket = None


class _WatchedConnection(HTTPSConnection):
    """An HTTPS connection whose socket is handed to a :class:`_Watchdog` once connected."""

    def __init__(self, *args: Any, watchdog: _Watchdog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watchdog = watchdog

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self._watchdog.attach(sock)
        return sock


class _WatchedPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedConnection


class _Lookup:
    """One host-name lookup run in its own thread; ``done`` is set when it returned or failed.
    The thread releases its slot when the lookup ends, even after the fetch stopped waiting."""

    def __init__(
        self, resolve: HostResolver, host: str, port: int, slots: threading.BoundedSemaphore
    ) -> None:
        self._resolve = resolve
        self._host = host
        self._port = port
        self._slots = slots
        self.done = threading.Event()
        self.addresses: list[str] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.addresses = [str(address) for address in self._resolve(self._host, self._port)]
        except BaseException as error:  # handed to the waiting fetch, which decides
            self.error = error
        finally:
            self.done.set()
            self._slots.release()


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _parse(url: str) -> tuple[str, int, str, str]:
    """(host, port, URL to request, Host header) of an https URL, or the reason it is refused."""
    if not isinstance(url, str):
        raise NetworkError(f"not a URL: {url!r}", code="invalid_url")
    if len(url) > _MAX_URL_LENGTH:
        raise NetworkError(
            f"refusing to fetch {url[:100]}...: longer than {_MAX_URL_LENGTH} characters",
            url=url[:_MAX_URL_LENGTH],
            code="invalid_url",
        )
    try:
        parts = urlsplit(url)
        port = parts.port or 443
    except ValueError as error:
        raise NetworkError(f"invalid URL {url!r}: {error}", url=url, code="invalid_url") from None
    if parts.scheme.lower() != "https":
        shown = f"{parts.scheme}: URLs" if parts.scheme else "relative URLs"
        raise SchemeNotAllowed(
            f"refusing to fetch {url}: only https is allowed, not {shown}", url=url
        )
    if parts.username is not None or parts.password is not None:
        raise NetworkError(
            f"refusing to fetch {url}: credentials in URLs are not allowed",
            url=url,
            code="invalid_url",
        )
    host = parts.hostname
    if not host:
        raise NetworkError(f"invalid URL {url!r}: no host", url=url, code="invalid_url")
    if any(ord(c) < 0x21 or c in "\\" for c in url):
        raise NetworkError(
            f"invalid URL {url!r}: whitespace or control characters", url=url, code="invalid_url"
        )
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise NetworkError(
            f"invalid URL {url!r}: bad host name ({error})", url=url, code="invalid_url"
        ) from None
    shown_host = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    host_header = shown_host if port == 443 else f"{shown_host}:{port}"
    request_url = urlunsplit(("https", host_header, parts.path or "/", parts.query, ""))
    return ascii_host, port, request_url, host_header


def _raise_timeout(url: str, seconds: float, *, reading: bool = False) -> NoReturn:
    what = "waiting for the response from" if reading else "fetching"
    raise NetworkTimeout(f"timed out after {seconds:g} s {what} {url}", url=url)


def _chain(error: BaseException | None) -> list[BaseException]:
    # requests and urllib3 nest their exceptions several deep (args[0], .reason).
    found: list[BaseException] = []
    inner = error
    while inner is not None and len(found) < 8:
        found.append(inner)
        reason = getattr(inner, "reason", None)
        if isinstance(reason, BaseException):
            inner = reason
        elif inner.args and isinstance(inner.args[0], BaseException):
            inner = inner.args[0]
        else:
            inner = None
    return found


def _is_read_timeout(error: BaseException) -> bool:
    # requests wraps a read timeout while streaming the body as ConnectionError(ReadTimeoutError).
    return any(isinstance(item, ReadTimeoutError) for item in _chain(error))


def _sent_request(error: BaseException) -> bool:
    """Whether the failure happened after the connection was established (a reset, a truncated
    body) rather than while connecting."""
    return not any(
        isinstance(item, (NewConnectionError, ConnectTimeoutError)) for item in _chain(error)
    )


def _reason(error: BaseException | None) -> str:
    if error is None:
        return "no address to try"
    inner = _chain(error)[-1]
    text = str(inner) or type(inner).__name__
    return text if len(text) <= 300 else text[:297] + "..."
