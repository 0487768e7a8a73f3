"""did:web resolution: the DID names an HTTPS URL where its DID document is published.

``did:web:example.com`` is ``https://example.com/.well-known/did.json``;
``did:web:example.com:user:alice`` is ``https://example.com/user/alice/did.json``; a port is
percent-encoded: ``did:web:example.com%3A3000`` is ``https://example.com:3000/.well-known/did.json``
(did:web method specification, "Read (Resolve)"). The document is fetched through the injected
:class:`vcbadge.protocols.Transport` and its ``id`` must be the DID.

The method-specific id is chosen by whoever wrote the credential, so it is parsed completely
before anything is looked up: a malformed one (the host is not a DNS name, an IP address in any
form, a bad port, a path segment that would change the URL) is ``invalid_did``; a path longer
than the caps is ``did_web_path``. :class:`DidWebResolver` then applies the verifier's policy: a
host that names no public DNS name (``localhost``, ``.local``, ``.internal``, a single label, ...)
is ``did_web_host`` and a port other than the default HTTPS port is ``did_web_port``, unless the
caller allowed that host or port.

The host-name rules are :mod:`vcbadge.hostnames`, shared with the transport
(:mod:`vcbadge.http`), which applies them to every URL and redirect hop before DNS.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import unquote

from vcbadge.errors import DIDResolutionError
from vcbadge.hostnames import dns_name_defect, local_name_refusal
from vcbadge.protocols import Transport
from vcbadge.resolve._fetch import fetch_document
from vcbadge.resolve.did_url import did_of_method

__all__ = [
    "DEFAULT_HTTPS_PORT",
    "MAX_PATH_LENGTH",
    "MAX_PATH_SEGMENTS",
    "DidWebResolver",
    "did_web_to_url",
]

_PREFIX = "did:web:"
DEFAULT_HTTPS_PORT = 443
MAX_PATH_SEGMENTS = 16
"""The most path segments a did:web may have (``did:web:host:a:b`` has two)."""
MAX_PATH_LENGTH = 512
"""The longest path (characters, as written in the DID) a did:web may have."""

# DID syntax idchar: ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_PORT = re.compile(r"[1-9][0-9]{0,4}")


@dataclass(frozen=True, kw_only=True)
class _Location:
    host: str
    port: int | None
    path: tuple[str, ...]

    def url(self) -> str:
        authority = self.host if self.port is None else f"{self.host}:{self.port}"
        location = "/" + "/".join(self.path) if self.path else "/.well-known"
        return f"https://{authority}{location}/did.json"


def _refuse(did: str, reason: str, *, code: str = "invalid_did") -> NoReturn:
    raise DIDResolutionError(f"did:web {did[:120]!r} refused: {reason}", code=code)


def _is_ip_address(host: str) -> bool:
    if host.startswith("[") or ":" in host:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _parse(did: str) -> _Location:
    if not isinstance(did, str) or not did.startswith(_PREFIX):
        raise DIDResolutionError(f"not a did:web: {did!r}", code="invalid_did")
    specific = did[len(_PREFIX) :]
    if any(c in specific for c in "#?/"):
        _refuse(did, "a DID URL with a path, query or fragment; give the DID alone")
    if specific.startswith("["):
        _refuse(did, "the host is an IP address, which did:web does not allow")
    segments = specific.split(":")
    if any(not segment for segment in segments):
        _refuse(did, "empty segment")
    host, port = _host_and_port(did, segments[0])
    path = tuple(segments[1:])
    if len(path) > MAX_PATH_SEGMENTS:
        _refuse(did, f"more than {MAX_PATH_SEGMENTS} path segments", code="did_web_path")
    if sum(len(segment) + 1 for segment in path) > MAX_PATH_LENGTH:
        _refuse(did, f"the path is longer than {MAX_PATH_LENGTH} characters", code="did_web_path")
    for segment in path:
        if not _SEGMENT.fullmatch(segment):
            _refuse(did, f"path segment {segment[:40]!r} has characters a DID cannot contain")
        decoded = unquote(segment)
        if decoded in (".", ".."):
            _refuse(did, f"path segment {segment[:40]!r} would change the URL's path")
        if any(c in "/?#\\" or ord(c) < 0x20 or c == "\x7f" for c in decoded):
            _refuse(did, f"path segment {segment[:40]!r} encodes a separator or control character")
    return _Location(host=host, port=port, path=path)


def _host_and_port(did: str, domain: str) -> tuple[str, int | None]:
    # Only the port separator may be percent-encoded in the domain part.
    host, separator, port = re.sub("%3[Aa]", ":", domain).partition(":")
    if "%" in host:
        if _is_ip_address(unquote(host)):
            _refuse(did, "the host is an IP address, which did:web does not allow")
        _refuse(did, "the host is percent-encoded; only the port separator %3A may be")
    if not host.isascii():
        _refuse(did, f"{host[:60]!r} is not an ASCII DNS name (use its punycode form)")
    if _is_ip_address(host):
        _refuse(did, "the host is an IP address, which did:web does not allow")
    defect = dns_name_defect(host)
    if defect is not None:
        _refuse(did, defect)
    if not separator:
        return host, None
    if not _PORT.fullmatch(port) or int(port) > 65535:
        _refuse(did, f"port {port[:12]!r} is not a number from 1 to 65535 without leading zeros")
    return host, int(port)


def did_web_to_url(did: str) -> str:
    """The HTTPS URL of the DID document of ``did`` (a did:web without fragment, query or path),
    by the method's rules alone (no policy on hosts or ports: see :class:`DidWebResolver`).

    Raises:
        DIDResolutionError: ``invalid_did`` when ``did`` is not a well-formed did:web: the host
            is not a DNS name (RFC 1123 labels, no trailing dot, not numeric; IP addresses are
            not allowed by the method, in any notation), the port is not a number from 1 to
            65535, a path segment is empty, ``.``/``..`` or encodes ``/``, ``?``, ``#``, ``\\``
            or a control character; ``did_web_path`` when the path has more than
            :data:`MAX_PATH_SEGMENTS` segments or :data:`MAX_PATH_LENGTH` characters.
    """
    return _parse(did).url()


class DidWebResolver:
    """A :class:`vcbadge.protocols.Resolver` for did:web, fetching through ``transport``.

    ``resolve`` accepts a DID or a DID URL with a fragment (the fragment is ignored). The DID is
    parsed completely before the transport is asked for anything.

    Args:
        transport: what fetches the DID document.
        allowed_ports: ports a did:web may name besides the default HTTPS port (443). None by
            default: ``did:web:example.com%3A8443`` is refused (``did_web_port``).
        allowed_hosts: host names accepted although they name no public host (a special-use
            domain such as ``.test`` or ``.internal``, a single label): an intranet or a test
            server. Compared case-insensitively; the names must still be DNS names. The
            transport checks host names too: a :class:`vcbadge.http.GuardedTransport` must be
            given the same names in its own ``allowed_hosts``.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        allowed_ports: Iterable[int] = (),
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self._transport = transport
        self.allowed_ports = frozenset(allowed_ports)
        if any(not isinstance(port, int) or not 1 <= port <= 65535 for port in self.allowed_ports):
            raise ValueError("allowed_ports must be port numbers from 1 to 65535")
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)

    def resolve(self, identifier: str) -> dict[str, Any]:
        """The DID document of ``identifier``.

        Raises:
            DIDResolutionError: ``invalid_did`` and ``did_web_path`` (see
                :func:`did_web_to_url`), ``did_web_host`` (the host names no public host and
                is not allowed), ``did_web_port`` (a port that is not allowed),
                ``invalid_document``, ``document_id_mismatch``.
            NetworkError: the transport's codes (``http_status``, ``timeout``,
                ``private_address``, ``content_type``, ``tls``, ...).
            UnsupportedError: ``unsupported_did_method`` for anything but did:web.
        """
        did = did_of_method(identifier, _PREFIX, "DidWebResolver")
        location = _parse(did)
        if location.host.lower() not in self.allowed_hosts:
            reason = local_name_refusal(location.host)
            if reason is not None:
                _refuse(did, reason, code="did_web_host")
        port = location.port
        if port is not None and port != DEFAULT_HTTPS_PORT and port not in self.allowed_ports:
            _refuse(
                did,
                f"port {port} is not allowed (only the default HTTPS port, unless the verifier "
                "allows others)",
                code="did_web_port",
            )
        return fetch_document(self._transport, location.url(), did)

    def __repr__(self) -> str:
        return (
            f"DidWebResolver({self._transport!r}, allowed_ports={sorted(self.allowed_ports)}, "
            f"allowed_hosts={sorted(self.allowed_hosts)})"
        )
