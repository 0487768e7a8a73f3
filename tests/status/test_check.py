"""The status step end to end: signed lists, every purpose, every refusal, never VALID by
default."""

from __future__ import annotations

import base64
import gzip
import zlib
from datetime import timedelta
from typing import Any

import pytest
from status_world import BASE, World, entry

from vcbadge import Outcome, Policy
from vcbadge.status.bitstring import MIN_LIST_BITS
from vcbadge.verify.result import Check, VerificationResult


def status_checks(result: VerificationResult) -> list[Check]:
    return [check for check in result.checks if check.name == "status"]


def codes(result: VerificationResult) -> list[str]:
    return [check.code for check in status_checks(result)]


def test_not_revoked_is_valid(world: World) -> None:
    listing = world.status_list(set_bits={7})
    result = world.verifier([listing]).verify(world.credential(entry(8)))
    assert result.outcome is Outcome.VALID, result.failed
    assert codes(result) == ["ok"]


def test_revoked_is_invalid(world: World) -> None:
    listing = world.status_list(set_bits={7})
    result = world.verifier([listing]).verify(world.credential(entry(7)))
    assert result.outcome is Outcome.INVALID
    (check,) = status_checks(result)
    assert (check.outcome, check.code, check.path) == (
        Outcome.INVALID,
        "revoked",
        "/credentialStatus",
    )
    assert "index 7" in check.message


def test_suspended_then_unsuspended(world: World) -> None:
    url = f"{BASE}/suspension/1"
    credential = world.credential(entry(40, "suspension", url))
    suspended = world.status_list(url, purpose="suspension", set_bits={40})
    result = world.verifier([suspended]).verify(credential)
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["suspended"]
    lifted = world.status_list(url, purpose="suspension", set_bits=set())
    assert world.verifier([lifted]).verify(credential).outcome is Outcome.VALID


def test_every_entry_is_checked_not_just_the_first(world: World) -> None:
    revocation = world.status_list(set_bits=set())
    suspension_url = f"{BASE}/suspension/1"
    suspension = world.status_list(suspension_url, purpose="suspension", set_bits={3})
    credential = world.credential([entry(3), entry(3, "suspension", suspension_url)])
    result = world.verifier([revocation, suspension]).verify(credential)
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["ok", "suspended"]
    assert [c.path for c in status_checks(result)] == [
        "/credentialStatus/0",
        "/credentialStatus/1",
    ]


def _messages(size: int) -> list[dict[str, str]]:
    return [{"status": f"0x{v:x}", "message": f"message {v}"} for v in range(2**size)]


def test_message_status_is_reported_and_valid(world: World) -> None:
    url = f"{BASE}/message/1"
    listing = world.status_list(url, purpose="message", size=2, values={5: 2, 6: 3})
    for index, expected in ((5, "message 2"), (6, "message 3"), (7, "message 0")):
        status = entry(index, "message", url, statusSize=2, statusMessage=_messages(2))
        result = world.verifier([listing]).verify(world.credential(status))
        assert result.outcome is Outcome.VALID, result.failed
        (check,) = status_checks(result)
        assert (check.outcome, check.code) == (Outcome.VALID, "status_message")
        assert check.message.startswith(expected)


@pytest.mark.parametrize(
    "changes",
    [
        {"statusSize": 1},  # a message needs more than one bit
        {"statusSize": 2},  # ... and statusMessage naming every value
        {"statusSize": 2, "statusMessage": _messages(1)},
        {"statusSize": 0, "statusMessage": _messages(1)},
        {"statusListIndex": "-1", "statusSize": 2, "statusMessage": _messages(2)},
        {"statusListIndex": "01", "statusSize": 2, "statusMessage": _messages(2)},
    ],
)
def test_malformed_message_entries_are_invalid(world: World, changes: dict[str, Any]) -> None:
    url = f"{BASE}/message/1"
    listing = world.status_list(url, purpose="message", size=2, values={})
    status = {**entry(1, "message", url), **changes}
    result = world.verifier([listing]).verify(world.credential(status))
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["status_entry_invalid"]


def test_list_unreachable_is_indeterminate(world: World) -> None:
    result = world.verifier([]).verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_list_unavailable"]


def test_list_over_https_on_loopback(world: World, loopback: Any, loopback_transport: Any) -> None:
    from loopback_server import PINNED_HOST, Route

    from vcbadge.resolve.status_lists import TransportStatusFetcher
    from vcbadge.verify import Verifier

    url = loopback.url("/status/revocation/1", host=PINNED_HOST)
    listing = world.status_list(url, set_bits={9})
    import json

    loopback.routes["/status/revocation/1"] = Route(
        body=json.dumps(listing).encode(),
        headers={"Content-Type": "application/vc+ld+json"},
    )
    verifier = Verifier.offline(clock=world.verifier().clock)
    verifier = Verifier(
        resolver=verifier.resolver,
        clock=verifier.clock,
        status_fetcher=TransportStatusFetcher(loopback_transport),
    )
    assert codes(verifier.verify(world.credential(entry(9, url=url)))) == ["revoked"]
    assert codes(verifier.verify(world.credential(entry(10, url=url)))) == ["ok"]
    # Cached for the list's ttl (5 minutes by default): one request served both.
    assert loopback.hits["/status/revocation/1"] == 1
    missing = loopback.url("/status/revocation/2", host=PINNED_HOST)
    result = verifier.verify(world.credential(entry(1, url=missing)))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_list_unavailable"]
    assert "404" in status_checks(result)[0].message


def test_list_signed_by_someone_else_is_invalid_by_default(world: World) -> None:
    forged = world.status_list(set_bits=set(), key=world.stranger)
    result = world.verifier([forged]).verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["status_list_issuer_mismatch"]


def test_list_signed_by_someone_else_can_be_indeterminate(world: World) -> None:
    forged = world.status_list(set_bits=set(), key=world.stranger)
    policy = Policy.default().replace(foreign_status_list="indeterminate")
    result = world.verifier([forged], policy=policy).verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_list_issuer_mismatch"]


def test_a_delegated_status_issuer_is_accepted(world: World) -> None:
    delegated = world.status_list(set_bits={1}, key=world.stranger)
    policy = Policy.default().replace(delegated_status_issuers=frozenset({world.stranger.did}))
    result = world.verifier([delegated], policy=policy).verify(world.credential(entry(1)))
    assert codes(result) == ["revoked"]


def test_a_tampered_list_is_invalid(world: World) -> None:
    listing = world.status_list(set_bits={1})
    listing["credentialSubject"]["encodedList"] = world.status_list(set_bits=set())[
        "credentialSubject"
    ]["encodedList"]
    result = world.verifier([listing]).verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["status_list_invalid"]
    assert "invalid_signature" in status_checks(result)[0].message


def test_an_unsigned_list_is_invalid(world: World) -> None:
    listing = world.status_list(set_bits=set())
    del listing["proof"]
    result = world.verifier([listing]).verify(world.credential(entry(1)))
    assert codes(result) == ["status_list_invalid"]


def test_a_list_served_for_another_url_is_invalid(world: World) -> None:
    other = world.status_list(f"{BASE}/revocation/2")
    served = {f"{BASE}/revocation/1": other}
    from vcbadge import FixedClock, Verifier

    verifier = Verifier.offline(documents=served, clock=FixedClock(world.now))
    result = verifier.verify(world.credential(entry(1)))
    assert codes(result) == ["status_list_id_mismatch"]


def test_purpose_mismatch_is_invalid(world: World) -> None:
    listing = world.status_list(purpose="suspension")
    result = world.verifier([listing]).verify(world.credential(entry(1)))
    assert codes(result) == ["status_purpose_mismatch"]


def test_an_expired_list_is_indeterminate(world: World) -> None:
    listing = world.status_list(valid_until=world.now - timedelta(hours=1))
    result = world.verifier([listing]).verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_list_expired"]


def test_the_list_is_judged_now_even_when_verifying_as_of_another_moment(world: World) -> None:
    listing = world.status_list(set_bits={1})
    credential = world.credential(entry(1))
    result = world.verifier([listing]).verify(credential, at=world.now - timedelta(days=1))
    assert codes(result) == ["revoked"]


def _b64(data: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


@pytest.mark.slow
def test_gzip_bomb_in_a_signed_list(world: World) -> None:
    deflater = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    bomb = b"".join(deflater.compress(chunk) for _ in range(64)) + deflater.flush()
    listing = world.status_list(encoded=_b64(bomb))
    policy = Policy.default().replace(max_status_list_bytes=8 * 1024 * 1024)
    result = world.verifier([listing], policy=policy).verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["limit_exceeded"]


def test_truncated_list(world: World) -> None:
    compressed = gzip.compress(bytes(MIN_LIST_BITS // 8), mtime=0)
    listing = world.status_list(encoded=_b64(compressed[:-12]))
    result = world.verifier([listing]).verify(world.credential(entry(1)))
    assert codes(result) == ["status_list_truncated"]


def test_short_list(world: World) -> None:
    listing = world.status_list(encoded=_b64(gzip.compress(bytes(1024), mtime=0)))
    result = world.verifier([listing]).verify(world.credential(entry(1)))
    assert codes(result) == ["status_list_too_short"]


def test_index_out_of_range(world: World) -> None:
    listing = world.status_list()
    result = world.verifier([listing]).verify(world.credential(entry(MIN_LIST_BITS)))
    assert result.outcome is Outcome.INVALID
    assert codes(result) == ["status_index_out_of_range"]
    assert status_checks(result)[0].path == "/credentialStatus/statusListIndex"


def test_unknown_status_types_are_never_valid(world: World) -> None:
    status = {"id": "https://example.org/status/1", "type": "CredentialStatusList2017"}
    # The VC 2.0 context leaves an unknown type undefined; check it without a proof.
    credential: dict[str, Any] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": world.key.did,
        "credentialSubject": {"id": "did:example:ada"},
        "credentialStatus": status,
    }
    result = world.verifier([]).verify(credential)
    assert result.outcome is not Outcome.VALID
    assert codes(result) == ["status_unsupported"]


def test_unknown_purpose_is_indeterminate(world: World) -> None:
    listing = world.status_list()
    result = world.verifier([listing]).verify(world.credential(entry(1, "archival")))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_purpose_unsupported"]


def test_refresh_purpose(world: World) -> None:
    url = f"{BASE}/refresh/1"
    listing = world.status_list(url, purpose="refresh", set_bits={2})
    result = world.verifier([listing]).verify(world.credential(entry(2, "refresh", url)))
    assert result.outcome is Outcome.VALID
    assert codes(result) == ["status_refresh"]


def test_a_verifier_without_a_status_fetcher_is_never_valid(world: World) -> None:
    from vcbadge import FixedClock, Verifier

    offline = world.verifier([world.status_list()])
    verifier = Verifier(resolver=offline.resolver, clock=FixedClock(world.now))
    result = verifier.verify(world.credential(entry(1)))
    assert result.outcome is Outcome.INDETERMINATE
    assert codes(result) == ["status_unchecked"]


def test_nested_status_depth_is_bounded(world: World) -> None:
    # Each list carries a status entry pointing into the next; the chain never ends.
    urls = [f"{BASE}/revocation/{n}" for n in range(1, 5)]
    lists = [
        world.status_list(url, change={"credentialStatus": entry(0, url=urls[(n + 1) % 4])})
        for n, url in enumerate(urls)
    ]
    result = world.verifier(lists).verify(world.credential(entry(0, url=urls[0])))
    assert result.outcome is Outcome.INDETERMINATE
    (check,) = status_checks(result)
    assert check.code == "status_list_unverifiable"
    assert "status_depth_exceeded" in check.message


def test_status_list_ttl_and_valid_until_bound_the_cache(world: World) -> None:
    from vcbadge.resolve.status_lists import (
        CachingStatusFetcher,
        StaticStatusFetcher,
        cache_lifetime,
    )

    listing = world.status_list(ttl=timedelta(seconds=30))
    assert cache_lifetime(listing, fetched_at=world.now) == world.now + timedelta(seconds=30)
    short = world.status_list(valid_until=world.now + timedelta(seconds=10))
    assert cache_lifetime(short, fetched_at=world.now) == world.now + timedelta(seconds=10)
    assert cache_lifetime(world.status_list(), fetched_at=world.now) == world.now + timedelta(
        minutes=5
    )

    class Clock:
        moment = world.now

        def now(self) -> Any:
            return self.moment

    clock = Clock()
    static = StaticStatusFetcher({listing["id"]: listing})
    cache = CachingStatusFetcher(static, clock=clock)
    first = cache.fetch(listing["id"])
    first["tampered"] = True  # callers get copies
    assert "tampered" not in cache.fetch(listing["id"])
    updated = world.status_list(set_bits={1}, ttl=timedelta(seconds=30))
    static._documents[listing["id"]] = updated
    assert cache.fetch(listing["id"]) == listing  # still fresh
    clock.moment = world.now + timedelta(seconds=31)
    assert cache.fetch(listing["id"]) == updated
