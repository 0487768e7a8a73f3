"""The wiring of defaults: the online resolver (static documents, did:key, did:jwk, did:web,
HTTPS keys) over a cached :class:`vcbadge.http.GuardedTransport`.

This module sits at the top of the layers: it is the one place that puts the network transport
together with the resolvers, so the verification pipeline (L4) never imports an I/O module.
``Verifier.online()`` imports it lazily, when called.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge.clock import SystemClock
from vcbadge.http import GuardedTransport
from vcbadge.protocols import (
    Clock,
    JsonObject,
    Resolver,
    StatusFetcher,
    Transport,
    TrustRegistry,
)
from vcbadge.resolve import (
    CachingTransport,
    CompositeResolver,
    DidJwkResolver,
    DidKeyResolver,
    DidWebResolver,
    HttpsResolver,
    StaticResolver,
)
from vcbadge.resolve.status_lists import StaticStatusFetcher, TransportStatusFetcher
from vcbadge.schema import SchemaValidator
from vcbadge.trust import FederationRegistry, RemoteRegistry, load_registry_file

__all__ = [
    "TRUST_REGISTRY_KINDS",
    "default_resolver",
    "default_schema_validator",
    "default_status_fetcher",
    "trust_registry",
]

TRUST_REGISTRY_KINDS = ("list", "openid-federation")
"""What ``trust_registry`` builds: ``list`` (a vcbadge allow-list or a DCC registry, told
apart by their shape) and ``openid-federation`` (a trust anchor's entity id)."""


def default_resolver(
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    transport: Transport | None = None,
    methods: Mapping[str, Resolver] | None = None,
    clock: Clock | None = None,
    cache: bool = True,
) -> CompositeResolver:
    """The online resolver.

    ``documents`` (DID or URL -> document) are served ahead of everything; did:key and did:jwk
    are resolved locally; did:web and ``https:`` URLs are fetched with ``transport`` (default:
    a :class:`GuardedTransport`; ``http:`` URLs are refused by it with ``scheme_not_allowed``),
    through a :class:`CachingTransport` aged by ``clock`` unless ``cache=False``. ``methods``
    adds or replaces resolvers by DID method or URL scheme (``{"webvh": ...}``).
    """
    fetcher: Transport = transport if transport is not None else GuardedTransport()
    if cache and not isinstance(fetcher, CachingTransport):
        fetcher = CachingTransport(fetcher, clock=clock or SystemClock())
    https = HttpsResolver(fetcher)
    routes: dict[str, Resolver] = {
        "key": DidKeyResolver(),
        "jwk": DidJwkResolver(),
        "web": DidWebResolver(fetcher),
        "https": https,
        "http": https,
    }
    routes.update(methods or {})
    return CompositeResolver(routes, static=StaticResolver(documents or {}))


class _StaticFirst:
    """Status lists given as documents are served first; the others are fetched."""

    def __init__(self, static: StaticStatusFetcher, network: StatusFetcher) -> None:
        self._static = static
        self._network = network

    def fetch(self, url: str) -> JsonObject:
        return self._static.fetch(url) if url in self._static else self._network.fetch(url)

    def __repr__(self) -> str:
        return f"StaticFirst({self._static!r}, {self._network!r})"


def default_status_fetcher(
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    transport: Transport | None = None,
) -> StatusFetcher:
    """Status lists from ``documents`` first, else fetched with ``transport``.

    The default transport here is an uncached :class:`GuardedTransport`: the verifier caches
    status lists itself, for the lifetime the status list credential states.
    """
    network = TransportStatusFetcher(transport if transport is not None else GuardedTransport())
    return _StaticFirst(StaticStatusFetcher(documents or {}), network)


def default_schema_validator(
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    transport: Transport | None = None,
) -> SchemaValidator:
    """JSON Schemas for ``credentialSchema``: ``documents`` first, then the official schemas
    vcbadge bundles (never fetched), then any other schema fetched once with ``transport``
    (default: a :class:`GuardedTransport`)."""
    return SchemaValidator.bundled(
        documents, transport if transport is not None else GuardedTransport()
    )


def trust_registry(
    location: str,
    *,
    kind: str = "list",
    transport: Transport | None = None,
    clock: Clock | None = None,
) -> TrustRegistry:
    """The trust registry at ``location``: a file path or an ``https:`` URL of a vcbadge
    allow-list or DCC registry (``kind="list"``), or the entity id of an OpenID Federation
    trust anchor (``kind="openid-federation"``). What is fetched goes through ``transport``
    (default: a :class:`GuardedTransport`), aged by ``clock``.

    Raises:
        ValueError: an unknown ``kind``, or a federation that is not an ``https:`` URL.
        InputError: ``trust_registry_malformed`` (a file read now).
        OSError: a file that cannot be read.
    """
    if kind not in TRUST_REGISTRY_KINDS:
        raise ValueError(f"unknown trust registry kind {kind!r}: {', '.join(TRUST_REGISTRY_KINDS)}")
    is_url = location.lower().startswith(("https:", "http:"))
    if kind == "list" and not is_url:
        return load_registry_file(location)
    fetcher: Transport = transport if transport is not None else GuardedTransport()
    ticking = clock or SystemClock()
    if kind == "list":
        return RemoteRegistry(location, transport=fetcher, clock=ticking)
    return FederationRegistry(location, transport=fetcher, clock=ticking)
