"""The one LRU cache every vcbadge cache is built on (vcbadge._lru)."""

from __future__ import annotations

import pytest

from vcbadge._lru import LruCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LruCache[str, int] = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "b" is now the least recently used
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    assert (cache.hits, cache.misses) == (3, 1)


def test_weight_bounds_the_total_and_an_overweight_value_is_not_stored() -> None:
    cache: LruCache[str, bytes] = LruCache(10, max_weight=5)
    cache.put("a", b"abc", weight=3)
    cache.put("b", b"de", weight=2)
    cache.put("c", b"f", weight=1)  # 6 > 5: "a" goes
    assert cache.get("a") is None
    assert len(cache) == 2
    cache.put("big", b"123456", weight=6)
    assert cache.get("big") is None
    assert len(cache) == 2


def test_replacing_pop_and_clear() -> None:
    cache: LruCache[str, int] = LruCache(2, max_weight=4)
    cache.put("a", 1, weight=3)
    cache.put("a", 2, weight=3)  # replaced, weight not counted twice
    cache.put("b", 3, weight=1)
    assert (cache.get("a"), cache.get("b")) == (2, 3)
    assert cache.pop("a") == 2
    assert cache.pop("a") is None
    cache.clear()
    assert len(cache) == 0


def test_a_zero_bound_caches_nothing_and_a_negative_one_is_refused() -> None:
    off: LruCache[str, int] = LruCache(0)
    off.put("a", 1)
    assert off.get("a") is None
    with pytest.raises(ValueError, match="negative"):
        LruCache(-1)
