"""A small thread-safe least-recently-used cache, bounded by entries and optionally by weight.

Every cache in vcbadge (fetched documents, processed JSON-LD contexts, status lists, schemas)
is one of these with its own policy on top, so eviction and locking are written once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

__all__ = ["LruCache"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``max_entries`` values and, with ``max_weight``, at most that total weight (e.g.
    body bytes); the least recently used go first. ``hits`` and ``misses`` count lookups."""

    def __init__(self, max_entries: int, *, max_weight: int | None = None) -> None:
        # A bound of 0 is allowed: it caches nothing, which turns a cache off.
        if max_entries < 0 or (max_weight is not None and max_weight < 0):
            raise ValueError("max_entries and max_weight must not be negative")
        self.max_entries = max_entries
        self.max_weight = max_weight
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        """The value stored under ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[0]

    def put(self, key: K, value: V, *, weight: int = 0) -> None:
        """Store ``value`` under ``key`` as the most recently used, evicting the least recently
        used beyond the bounds. A value heavier than ``max_weight`` alone is not stored."""
        if self.max_weight is not None and weight > self.max_weight:
            return
        with self._lock:
            self._discard(key)
            self._entries[key] = (value, weight)
            self._weight += weight
            while len(self._entries) > self.max_entries or (
                self.max_weight is not None and self._weight > self.max_weight
            ):
                self._discard(next(iter(self._entries)))

    def pop(self, key: K) -> V | None:
        """Remove ``key``; its value, or None when it was not stored."""
        with self._lock:
            entry = self._entries.get(key)
            self._discard(key)
            return None if entry is None else entry[0]

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _discard(self, key: K) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._weight -= entry[1]
