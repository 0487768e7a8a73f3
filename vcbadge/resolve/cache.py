"""A bounded, time-limited cache in front of a ``Transport``.

Every fetched document (DID documents, controller and key documents, status lists, schemas)
goes through the transport, so caching there serves them all. Freshness follows the response's
``Cache-Control`` where present (``max-age``, minus ``Age``; ``no-store`` and ``no-cache`` are
not stored), otherwise a default TTL; every lifetime is capped. Entries are evicted least
recently used first when the entry count or the total body size would exceed the bounds.
Failures are not cached. Time comes from the injected :class:`vcbadge.protocols.Clock`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from vcbadge._lru import LruCache
from vcbadge.protocols import Clock, Response, Transport

__all__ = ["CachingTransport", "freshness_lifetime"]


def freshness_lifetime(
    headers: Mapping[str, str], *, default: timedelta, maximum: timedelta
) -> timedelta:
    """How long a response may be reused: ``max-age`` minus ``Age`` when ``Cache-Control``
    gives one, ``default`` when it says nothing about freshness, zero for ``no-store``,
    ``no-cache`` or an unparseable ``max-age``; never more than ``maximum``.

    ``headers`` has lower-case names (as :class:`vcbadge.protocols.Response` has them).
    """
    directives: dict[str, str | None] = {}
    for part in headers.get("cache-control", "").split(","):
        name, separator, value = part.strip().partition("=")
        if name:
            directives.setdefault(name.lower(), value.strip().strip('"') if separator else None)
    if "no-store" in directives or "no-cache" in directives:
        return timedelta(0)
    if "max-age" in directives:
        max_age = directives["max-age"]
        if max_age is None or not max_age.isdigit():
            return timedelta(0)  # RFC 9111 5.2.2.1: an invalid max-age means stale
        lifetime = timedelta(seconds=int(max_age))
        age = headers.get("age", "").strip()
        if age.isdigit():
            lifetime -= timedelta(seconds=int(age))
    else:
        lifetime = default
    return max(timedelta(0), min(lifetime, maximum))


@dataclass(frozen=True)
class _Entry:
    response: Response
    expires: datetime


class CachingTransport:
    """A :class:`vcbadge.protocols.Transport` that reuses fresh responses of ``transport``.

    Args:
        transport: where misses are fetched (normally a ``GuardedTransport``).
        clock: ages the entries (vcbadge never reads the system time behind your back).
        default_ttl: lifetime of a response without ``Cache-Control`` freshness information.
        max_ttl: cap on any lifetime, whatever the server says.
        max_entries: at most this many responses are kept.
        max_bytes: at most this many body bytes in total; a larger body is not stored.

    Responses are keyed by URL and the accepted media types. Thread-safe.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        clock: Clock,
        default_ttl: timedelta = timedelta(minutes=5),
        max_ttl: timedelta = timedelta(hours=24),
        max_entries: int = 256,
        max_bytes: int = 16 * 1024 * 1024,
    ) -> None:
        if max_entries <= 0 or max_bytes <= 0:
            raise ValueError("max_entries and max_bytes must be positive")
        if default_ttl < timedelta(0) or max_ttl < timedelta(0):
            raise ValueError("TTLs must not be negative")
        self._transport = transport
        self._clock = clock
        self.default_ttl = default_ttl
        self.max_ttl = max_ttl
        # The LRU holds the size limits; max_entries and max_bytes read them from it.
        self._entries: LruCache[tuple[str, tuple[str, ...]], _Entry] = LruCache(
            max_entries, max_weight=max_bytes
        )

    @property
    def max_entries(self) -> int:
        """At most this many responses are kept."""
        return self._entries.max_entries

    @property
    def max_bytes(self) -> int | None:
        """At most this many body bytes in total."""
        return self._entries.max_weight

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        """A fresh cached response for ``(url, accept)``, or the transport's (then cached)."""
        key = (url, tuple(accept))
        now = self._clock.now()
        entry = self._entries.get(key)
        if entry is not None:
            if now < entry.expires:
                return entry.response
            self._entries.pop(key)
        # Fetched without holding the cache: a slow server must not block other lookups.
        response = self._transport.get(url, accept=accept)
        lifetime = freshness_lifetime(
            response.headers, default=self.default_ttl, maximum=self.max_ttl
        )
        if lifetime > timedelta(0):
            # The body's size is the entry's weight: max_bytes bounds the total, and a larger
            # body is not stored at all.
            self._entries.put(key, _Entry(response, now + lifetime), weight=len(response.body))
        return response

    def clear(self) -> None:
        """Forget every cached response."""
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"CachingTransport({self._transport!r}, entries={len(self)})"
