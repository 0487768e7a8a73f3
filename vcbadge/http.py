"""The one network transport: every document vcbadge fetches (DID documents, controller documents,
HTTPS keys, status lists, schemas) goes through :class:`GuardedTransport`.

A credential chooses the URLs its verifier fetches, so each fetch is treated as hostile:

- **HTTPS only**, TLS certificates always verified (against the system bundle, or a CA bundle the
  caller names), no proxies or ``.netrc`` from the environment, no cookies, no credentials in URLs.
- **An address guard.** The host name is resolved once, every address it resolves to is checked,
  and the connection is made to a checked address. Loopback, private (RFC 1918, ULA), link-local,
  shared (CGNAT), multicast, unspecified, reserved and cloud metadata addresses are refused
  unless the caller allows them explicitly.
- **No DNS rebinding window.** The TCP connection goes to the address that was checked (it is
  never resolved a second time), while TLS uses the URL's host name for SNI and certificate
  verification and the ``Host`` header carries it too. This is done with a ``requests`` transport
  adapter whose connection pool is opened on the checked address with ``server_hostname`` and
  ``assert_hostname`` set to the host name.
- **Bounded work.** Connect and read timeouts, a total deadline, a response size cap (checked
  against ``Content-Length`` and while streaming the decoded body), and a small number of
  redirects, each hop checked again (scheme and address) as if it were the first URL.
- **Checked content type**, against the media types the caller accepts.
- **No hidden retries.** One attempt per address the host resolves to; failures are raised as
  :class:`vcbadge.errors.NetworkError` subclasses whose ``code`` says why and whose message names
  the URL.

This is the only module of vcbadge that imports ``requests``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.utils import DEFAULT_CA_BUNDLE_PATH
from urllib3 import HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError
from urllib3.util.retry import Retry

from vcbadge.errors import (
    AddressNotAllowed,
    ConnectionFailed,
    ContentTypeError,
    HTTPStatusError,
    NetworkError,
    NetworkTimeout,
    RedirectRefused,
    ResponseTooLarge,
    SchemeNotAllowed,
    TLSError,
)
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
        total_timeout: seconds for the whole fetch, redirects included (a server that trickles
            one byte at a time cannot hold the verifier longer).
        max_bytes: the largest (decoded) response body accepted.
        max_redirects: how many redirects to follow; each hop is checked like the first URL.
        allowed_addresses: addresses or networks (``"127.0.0.1"``, ``"10.0.0.0/8"``) the address
            guard lets through although they are not public: name exactly what a test server or
            an intranet verifier needs.
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
        max_bytes: int = 1024 * 1024,
        max_redirects: int = 3,
        allowed_addresses: Iterable[str] = (),
        unsafe_allow_private_addresses: bool = False,
        ca_bundle: str | os.PathLike[str] | None = None,
        resolve_host: HostResolver | None = None,
        user_agent: str = "vcbadge",
    ) -> None:
        if min(connect_timeout, read_timeout, total_timeout) <= 0:
            raise ValueError("timeouts must be positive")
        if max_bytes <= 0 or max_redirects < 0:
            raise ValueError("max_bytes must be positive and max_redirects not negative")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.allowed_networks = tuple(
            ipaddress.ip_network(item, strict=False) for item in allowed_addresses
        )
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
        self.user_agent = user_agent

    def __repr__(self) -> str:
        allowed = [str(network) for network in self.allowed_networks]
        return (
            f"GuardedTransport(max_bytes={self.max_bytes}, max_redirects={self.max_redirects}, "
            f"allowed_addresses={allowed}, "
            f"unsafe_allow_private_addresses={self.unsafe_allow_private_addresses})"
        )

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        """GET ``url``; return the 200 response whose media type is one of ``accept``.

        Raises a :class:`vcbadge.errors.NetworkError` subclass: ``scheme_not_allowed``,
        ``invalid_url``, ``private_address``, ``connection_failed``, ``tls``, ``timeout``,
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
                response, location = self._fetch_once(current, accept, deadline)
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

    # One request

    def _fetch_once(
        self, url: str, accept: Sequence[str], deadline: float
    ) -> tuple[Response | None, str | None]:
        """One GET without following redirects: (response, None) or (None, Location)."""
        host, port, request_url, host_header = _parse(url)
        addresses = self._checked_addresses(url, host, port)
        last_error: Exception | None = None
        for address in addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _raise_timeout(url, self.total_timeout)
            try:
                return self._fetch_from(
                    address, host, port, request_url, host_header, accept, deadline, url
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
        accept: Sequence[str],
        deadline: float,
        url: str,
    ) -> tuple[Response | None, str | None]:
        adapter = _PinnedAdapter(address=address, hostname=host, port=port, ca=self.ca_bundle)
        prepared = requests.Request(
            "GET",
            request_url,
            headers={
                "Host": host_header,
                "Accept": ", ".join(accept),
                "Accept-Encoding": "gzip, deflate",
                "User-Agent": self.user_agent,
            },
        ).prepare()
        connect = min(self.connect_timeout, max(deadline - time.monotonic(), 0.001))
        try:
            raw = adapter.send(
                prepared,
                stream=True,
                timeout=(connect, self.read_timeout),
                verify=self.ca_bundle or True,
            )
            try:
                return self._read(raw, url, deadline)
            finally:
                raw.close()
        finally:
            adapter.close()

    def _read(
        self, raw: requests.Response, url: str, deadline: float
    ) -> tuple[Response | None, str | None]:
        status = raw.status_code
        if status in _REDIRECT_STATUSES:
            location = raw.headers.get("Location")
            if not location:
                raise RedirectRefused(f"{url} answered {status} without a Location header", url=url)
            return None, location
        if status != 200:
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

    def _checked_addresses(self, url: str, host: str, port: int) -> list[str]:
        try:
            literal: IPAddress | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            candidates: Sequence[str] = [str(literal)]
        else:
            try:
                candidates = self._resolve_host(host, port)
            except (OSError, UnicodeError) as error:
                raise ConnectionFailed(
                    f"cannot resolve the host name of {url}: {error}", url=url
                ) from None
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

    def __init__(self, *, address: str, hostname: str, port: int, ca: str | None) -> None:
        # total=0: a failed connection is reported, not silently tried again.
        super().__init__(max_retries=Retry(total=0, redirect=False, raise_on_redirect=False))
        self._pool = HTTPSConnectionPool(
            host=address,
            port=port,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca or DEFAULT_CA_BUNDLE_PATH,
            server_hostname=hostname,
            assert_hostname=hostname,
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


def _parse(url: str) -> tuple[str, int, str, str]:
    """(host, port, URL to request, Host header) of an https URL, or the reason it is refused."""
    if not isinstance(url, str):
        raise NetworkError(f"not a URL: {url!r}", code="invalid_url")
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
