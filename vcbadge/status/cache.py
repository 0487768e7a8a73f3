"""A per-URL cache in front of a ``StatusFetcher``, with the lifetime the list itself states.

A status list credential says how long it may be cached: ``credentialSubject.ttl`` in
milliseconds (the Bitstring Status List Recommendation; 5 minutes when absent) and never past
its own ``validUntil``. A fetch that fails is not cached, so the next verification tries again.
Time comes from the injected clock.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.protocols import Clock, JsonObject, StatusFetcher

__all__ = ["DEFAULT_TTL", "CachingStatusFetcher", "cache_lifetime"]

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
        self._max_entries = max_entries
        self._entries: OrderedDict[str, tuple[datetime, JsonObject]] = OrderedDict()
        self._lock = threading.Lock()

    def fetch(self, url: str) -> JsonObject:
        now = self._clock.now()
        with self._lock:
            cached = self._entries.get(url)
            if cached is not None and now < cached[0]:
                self._entries.move_to_end(url)
                return copy.deepcopy(cached[1])
            self._entries.pop(url, None)
        document = self.fetcher.fetch(url)
        until = cache_lifetime(
            document, fetched_at=now, default_ttl=self._default_ttl, max_ttl=self._max_ttl
        )
        if until > now:
            with self._lock:
                self._entries[url] = (until, copy.deepcopy(document))
                while len(self._entries) > self._max_entries:
                    self._entries.popitem(last=False)
        return document

    def clear(self) -> None:
        """Forget every cached list."""
        with self._lock:
            self._entries.clear()
