"""CachingTransport: Cache-Control, TTL by the injected clock, size bounds (against loopback)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from loopback_server import LoopbackServer, Route

from vcbadge.errors import HTTPStatusError
from vcbadge.http import GuardedTransport
from vcbadge.protocols import Transport
from vcbadge.resolve import CachingTransport, freshness_lifetime

ACCEPT = ("application/json",)
JSON = {"Content-Type": "application/json"}
START = datetime(2025, 3, 1, tzinfo=timezone.utc)


class SteppingClock:
    """A clock the test moves forward by hand."""

    def __init__(self) -> None:
        self.moment = START

    def now(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock() -> SteppingClock:
    return SteppingClock()


def _route(server: LoopbackServer, path: str, cache_control: str | None = None) -> str:
    headers = dict(JSON)
    if cache_control is not None:
        headers["Cache-Control"] = cache_control
    server.routes[path] = Route(b'{"n": 1}', headers=headers)
    return server.url(path)


def test_is_a_transport(loopback_transport: GuardedTransport, clock: SteppingClock) -> None:
    assert isinstance(CachingTransport(loopback_transport, clock=clock), Transport)


def test_default_ttl(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock, default_ttl=timedelta(minutes=5))
    url = _route(loopback, "/doc")
    first = cache.get(url, accept=ACCEPT)
    clock.advance(minutes=4, seconds=59)
    assert cache.get(url, accept=ACCEPT) is first
    assert loopback.hits["/doc"] == 1
    clock.advance(seconds=1)
    cache.get(url, accept=ACCEPT)
    assert loopback.hits["/doc"] == 2


def test_max_age(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock)
    url = _route(loopback, "/doc", "public, max-age=30")
    cache.get(url, accept=ACCEPT)
    clock.advance(seconds=29)
    cache.get(url, accept=ACCEPT)
    assert loopback.hits["/doc"] == 1
    clock.advance(seconds=1)
    cache.get(url, accept=ACCEPT)
    assert loopback.hits["/doc"] == 2


@pytest.mark.parametrize("directive", ["no-store", "no-cache", "max-age=0", "max-age=soon"])
def test_not_stored(
    loopback: LoopbackServer,
    loopback_transport: GuardedTransport,
    clock: SteppingClock,
    directive: str,
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock)
    url = _route(loopback, "/doc", directive)
    cache.get(url, accept=ACCEPT)
    cache.get(url, accept=ACCEPT)
    assert loopback.hits["/doc"] == 2
    assert len(cache) == 0


def test_max_ttl_caps_what_the_server_says(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock, max_ttl=timedelta(hours=1))
    url = _route(loopback, "/doc", "max-age=31536000")
    cache.get(url, accept=ACCEPT)
    clock.advance(hours=1)
    cache.get(url, accept=ACCEPT)
    assert loopback.hits["/doc"] == 2


def test_entry_bound_evicts_least_recently_used(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock, max_entries=2)
    a, b, c = (_route(loopback, f"/{name}") for name in "abc")
    cache.get(a, accept=ACCEPT)
    cache.get(b, accept=ACCEPT)
    cache.get(a, accept=ACCEPT)  # a is now the most recently used
    cache.get(c, accept=ACCEPT)  # evicts b
    assert len(cache) == 2
    cache.get(a, accept=ACCEPT)
    cache.get(b, accept=ACCEPT)
    assert (loopback.hits["/a"], loopback.hits["/b"]) == (1, 2)


def test_byte_bound(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock, max_bytes=12)
    a, b = _route(loopback, "/a"), _route(loopback, "/b")  # 8 bytes each
    cache.get(a, accept=ACCEPT)
    cache.get(b, accept=ACCEPT)
    assert len(cache) == 1
    loopback.routes["/big"] = Route(b'{"n": "0123456789"}', headers=JSON)
    cache.get(loopback.url("/big"), accept=ACCEPT)  # larger than the bound: not stored
    assert len(cache) == 1


def test_failures_are_not_cached(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock)
    for _ in range(2):
        with pytest.raises(HTTPStatusError):
            cache.get(loopback.url("/missing"), accept=ACCEPT)
    assert loopback.hits["/missing"] == 2


def test_accepted_types_are_part_of_the_key(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock: SteppingClock
) -> None:
    cache = CachingTransport(loopback_transport, clock=clock)
    url = _route(loopback, "/doc")
    cache.get(url, accept=ACCEPT)
    cache.get(url, accept=("application/json", "application/ld+json"))
    assert loopback.hits["/doc"] == 2


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({}, 300),
        ({"cache-control": "max-age=60"}, 60),
        ({"cache-control": "max-age=60", "age": "50"}, 10),
        ({"cache-control": "max-age=60", "age": "500"}, 0),
        ({"cache-control": 'private, max-age="120"'}, 120),
        ({"cache-control": "must-revalidate"}, 300),
        ({"cache-control": "max-age=10, no-store"}, 0),
        ({"cache-control": "max-age=-1"}, 0),
        ({"cache-control": "max-age=999999999"}, 86400),
    ],
)
def test_freshness_lifetime(headers: dict[str, str], seconds: int) -> None:
    lifetime = freshness_lifetime(
        headers, default=timedelta(minutes=5), maximum=timedelta(hours=24)
    )
    assert lifetime == timedelta(seconds=seconds)
