"""did:web resolution: the DID names an HTTPS URL where its DID document is published.

``did:web:example.com`` is ``https://example.com/.well-known/did.json``;
``did:web:example.com:user:alice`` is ``https://example.com/user/alice/did.json``; a port is
percent-encoded: ``did:web:example.com%3A3000`` is ``https://example.com:3000/.well-known/did.json``
(did:web method specification, "Read (Resolve)"). The document is fetched through the injected
:class:`vcbadge.protocols.Transport` and its ``id`` must be the DID.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, NoReturn
from urllib.parse import unquote

from vcbadge.errors import DIDResolutionError
from vcbadge.protocols import Transport
from vcbadge.resolve._fetch import fetch_document
from vcbadge.resolve.did_url import did_of_method

__all__ = ["DidWebResolver", "did_web_to_url"]

_PREFIX = "did:web:"
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
# DID syntax idchar: ALPHA / DIGIT / "." / "-" / "_" / pct-encoded.
_SEGMENT = re.compile(r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})+")
_PORT = re.compile(r"[0-9]{1,5}")


def _invalid(did: str, reason: str) -> NoReturn:
    raise DIDResolutionError(f"malformed did:web {did[:120]!r}: {reason}", code="invalid_did")


def did_web_to_url(did: str) -> str:
    """The HTTPS URL of the DID document of ``did`` (a did:web without fragment, query or path).

    Raises:
        DIDResolutionError: ``invalid_did`` when ``did`` is not a well-formed did:web: the host
            is not a DNS name (IP addresses are not allowed by the method), the port is not a
            number from 1 to 65535, a path segment is empty, ``.``/``..`` or encodes ``/``,
            ``?`` or ``#``.
    """
    if not isinstance(did, str) or not did.startswith(_PREFIX):
        raise DIDResolutionError(f"not a did:web: {did!r}", code="invalid_did")
    specific = did[len(_PREFIX) :]
    if any(c in specific for c in "#?/"):
        _invalid(did, "a DID URL with a path, query or fragment; give the DID alone")
    segments = specific.split(":")
    if any(not segment for segment in segments):
        _invalid(did, "empty segment")
    # Only the port separator may be percent-encoded in the domain part.
    domain = re.sub("%3[Aa]", ":", segments[0])
    host, _, port = domain.partition(":")
    if "%" in host or not host:
        _invalid(did, "the domain is not a DNS name")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        _invalid(did, "the domain is an IP address, which did:web does not allow")
    labels = host.rstrip(".").split(".") if len(host) <= 253 else []
    if not labels or not all(_LABEL.fullmatch(label) for label in labels):
        _invalid(did, f"{host!r} is not a DNS name")
    if labels[-1].isdigit():
        _invalid(did, f"{host!r} is not a DNS name (numeric top-level label)")
    authority = host
    if port or domain.endswith(":"):
        if not _PORT.fullmatch(port) or not 1 <= int(port) <= 65535:
            _invalid(did, f"port {port!r} is not a number from 1 to 65535")
        authority = f"{host}:{int(port)}"
    path = segments[1:]
    for segment in path:
        if not _SEGMENT.fullmatch(segment):
            _invalid(did, f"path segment {segment!r} has characters a DID cannot contain")
        decoded = unquote(segment)
        if decoded in (".", "..") or any(c in decoded for c in "/?#\\"):
            _invalid(did, f"path segment {segment!r} would change the URL's path")
    location = "/" + "/".join(path) if path else "/.well-known"
    return f"https://{authority}{location}/did.json"


class DidWebResolver:
    """A :class:`vcbadge.protocols.Resolver` for did:web, fetching through ``transport``.

    ``resolve`` accepts a DID or a DID URL with a fragment (the fragment is ignored).
    """

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def resolve(self, identifier: str) -> dict[str, Any]:
        """The DID document of ``identifier``.

        Raises:
            DIDResolutionError: ``invalid_did`` (see :func:`did_web_to_url`),
                ``invalid_document``, ``document_id_mismatch``.
            NetworkError: the transport's codes (``http_status``, ``timeout``,
                ``private_address``, ``content_type``, ``tls``, ...).
            UnsupportedError: ``unsupported_did_method`` for anything but did:web.
        """
        did = did_of_method(identifier, _PREFIX, "DidWebResolver")
        return fetch_document(self._transport, did_web_to_url(did), did)

    def __repr__(self) -> str:
        return f"DidWebResolver({self._transport!r})"
