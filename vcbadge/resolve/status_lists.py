"""Where a verifier gets status list credentials from, and how long it keeps them.

- ``StaticStatusFetcher`` serves documents it was given (tests, air-gapped verifiers,
  ``vcbadge verify --doc URL=FILE``) and nothing else;
- ``TransportStatusFetcher`` fetches them through an injected ``Transport`` (in practice
  ``vcbadge.http.GuardedTransport``: HTTPS only, timeouts, size cap, address guard) and parses
  the body strictly;
- ``CachingStatusFetcher`` keeps each list per URL for the lifetime the list itself states:
  ``credentialSubject.ttl`` in milliseconds (the Bitstring Status List Recommendation; 5 minutes
  when absent) and never past its own ``validUntil``. A fetch that fails is not cached, so the
  next verification tries again. Time comes from the injected clock.

Each raises ``StatusListUnavailable`` (INDETERMINATE) when a list cannot be had. None judges the
document: the verifier verifies what they return as a credential
(:mod:`vcbadge.verify.dispatch`).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from vcbadge._json import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, loads_strict
from vcbadge._lru import LruCache
from vcbadge._time import parse_datetime
from vcbadge.errors import InputError, ResolutionError, StatusListUnavailable, UnsupportedError
from vcbadge.protocols import Clock, JsonObject, StatusFetcher, Transport

__all__ = [
    "DEFAULT_TTL",
    "STATUS_LIST_MEDIA_TYPES",
    "CachingStatusFetcher",
    "StaticStatusFetcher",
    "TransportStatusFetcher",
    "cache_lifetime",
]

#: Media types a status list credential may be served as (JSON-LD with an embedded proof).
STATUS_LIST_MEDIA_TYPES: tuple[str, ...] = (
    "application/vc+ld+json",
    "application/vc",
    "application/ld+json",
    "application/json",
)


class StaticStatusFetcher:
    """Serves the given documents for the given URLs, and nothing else."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._documents = {
            url: copy.deepcopy(dict(document)) for url, document in (documents or {}).items()
        }

    def __contains__(self, url: object) -> bool:
        return url in self._documents

    def fetch(self, url: str) -> JsonObject:
        try:
            return copy.deepcopy(self._documents[url])
        except KeyError:
            raise StatusListUnavailable(
                f"no status list was given for {url} (offline: give the verifier the "
                "published list)"
            ) from None

    def __repr__(self) -> str:
        return f"StaticStatusFetcher({len(self._documents)} documents)"


class TransportStatusFetcher:
    """Fetches status lists with ``transport.get`` and parses them as strict JSON.

    ``max_bytes``/``max_depth`` bound the parsed document (the transport has its own byte cap).
    Any network failure becomes ``StatusListUnavailable`` whose message keeps the reason.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self.transport = transport
        self._max_bytes = max_bytes
        self._max_depth = max_depth

    def fetch(self, url: str) -> JsonObject:
        if "#" in url:
            raise StatusListUnavailable(f"a status list URL has no #fragment: {url}")
        try:
            response = self.transport.get(url, accept=STATUS_LIST_MEDIA_TYPES)
        except ResolutionError as error:
            raise StatusListUnavailable(
                f"the status list {url} could not be fetched: {error.message} [{error.code}]"
            ) from error
        except UnsupportedError as error:
            raise StatusListUnavailable(
                f"the status list {url} could not be fetched: {error.message} [{error.code}]"
            ) from error
        try:
            document = loads_strict(
                response.body, max_bytes=self._max_bytes, max_depth=self._max_depth
            )
        except InputError as error:
            raise StatusListUnavailable(
                f"the status list {url} is not a JSON document: {error.message} [{error.code}]"
            ) from error
        if not isinstance(document, dict):
            raise StatusListUnavailable(f"the status list {url} is not a JSON object")
        return document

    def __repr__(self) -> str:
        return f"TransportStatusFetcher({self.transport!r})"


#: The Recommendation's default ``ttl`` (300000 ms).
DEFAULT_TTL = timedelta(minutes=5)


def cache_lifetime(
    document: Mapping[str, Any],
    *,
    fetched_at: datetime,
    default_ttl: timedelta = DEFAULT_TTL,
    max_ttl: timedelta = timedelta(days=1),
) -> datetime:
    """Until when ``document`` (a status list credential) may be served from a cache."""
    ttl = default_ttl
    subject = document.get("credentialSubject")
    stated = subject.get("ttl") if isinstance(subject, Mapping) else None
    if isinstance(stated, int) and not isinstance(stated, bool) and stated >= 0:
        ttl = timedelta(milliseconds=stated)
    until = fetched_at + min(ttl, max_ttl)
    valid_until = document.get("validUntil") or document.get("expirationDate")
    if isinstance(valid_until, str):
        try:
            until = min(until, parse_datetime(valid_until))
        except ValueError:
            # A malformed date is reported by the verification of the list itself; here it only
            # means "do not keep it".
            until = fetched_at
    return until


class CachingStatusFetcher:
    """Wraps ``fetcher``; serves a copy of a cached list until its lifetime ends.

    ``max_entries`` bounds memory (least recently used lists are dropped first). Thread-safe.
    """

    def __init__(
        self,
        fetcher: StatusFetcher,
        *,
        clock: Clock,
        default_ttl: timedelta = DEFAULT_TTL,
        max_ttl: timedelta = timedelta(days=1),
        max_entries: int = 256,
    ) -> None:
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.fetcher = fetcher
        self._clock = clock
        self._default_ttl = default_ttl
        self._max_ttl = max_ttl
        # url -> (cached until, document)
        self._entries: LruCache[str, tuple[datetime, JsonObject]] = LruCache(max_entries)

    def fetch(self, url: str) -> JsonObject:
        now = self._clock.now()
        cached = self._entries.get(url)
        if cached is not None:
            if now < cached[0]:
                return copy.deepcopy(cached[1])
            self._entries.pop(url)
        document = self.fetcher.fetch(url)
        until = cache_lifetime(
            document, fetched_at=now, default_ttl=self._default_ttl, max_ttl=self._max_ttl
        )
        if until > now:
            self._entries.put(url, (until, copy.deepcopy(document)))
        return document

    def clear(self) -> None:
        """Forget every cached list."""
        self._entries.clear()
