"""The status store API, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from store_workers import BASE

from vcbadge import FixedClock, Issuer, Outcome, Profile, Verifier
from vcbadge.errors import StatusStoreError
from vcbadge.keys import Ed25519Key
from vcbadge.status.bitstring import decode_status_list
from vcbadge.store import StatusStore

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def _error(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(StatusStoreError) as raised:
        call(*args, **kwargs)
    return raised.value.code


def test_allocation_is_unique_random_and_rolls_over(make_store: Any) -> None:
    store = make_store(capacity=100)
    assert isinstance(store, StatusStore)
    allocations = [store.allocate(f"urn:c:{n}") for n in range(250)]
    first = [a.index for a in allocations if a.list_number == 1]
    assert sorted(first) == list(range(100))  # every index once
    assert first != sorted(first)  # but not in issuance order (herd privacy)
    assert [a.list_number for a in allocations] == [1] * 100 + [2] * 100 + [3] * 50
    assert store.list_numbers() == [1, 2, 3]
    assert store.snapshot(3).allocated == 50


def test_a_credential_is_allocated_once(make_store: Any) -> None:
    store = make_store()
    store.allocate("urn:c:1")
    assert _error(store.allocate, "urn:c:1") == "credential_exists"
    assert _error(store.allocate, "not a uri") == "invalid_credential_id"


def test_max_lists(make_store: Any) -> None:
    store = make_store(capacity=2, max_lists=1)
    store.allocate("urn:c:1")
    store.allocate("urn:c:2")
    assert _error(store.allocate, "urn:c:3") == "list_full"


def test_revoke_suspend_unsuspend_with_history(make_store: Any) -> None:
    clock = FixedClock(NOW)
    store = make_store(suspension=True, clock=clock)
    store.allocate("urn:c:1")
    assert store.suspend("urn:c:1", actor="dean", reason="under review")
    assert not store.suspend("urn:c:1", actor="dean", reason="again")
    assert store.record("urn:c:1").suspended
    assert store.unsuspend("urn:c:1", actor="dean", reason="cleared")
    assert not store.unsuspend("urn:c:1", actor="dean", reason="again")
    assert store.revoke("urn:c:1", actor="registrar", reason="awarded by mistake")
    assert not store.revoke("urn:c:1", actor="registrar", reason="twice")
    assert _error(store.suspend, "urn:c:1", actor="dean", reason="x") == "revoked_permanently"
    record = store.record("urn:c:1")
    assert (record.revoked, record.suspended) == (True, False)
    assert [(e.action, e.actor, e.reason, e.at) for e in record.events] == [
        ("suspend", "dean", "under review", NOW),
        ("unsuspend", "dean", "cleared", NOW),
        ("revoke", "registrar", "awarded by mistake", NOW),
    ]
    assert store.snapshot(1).revoked == {record.index}


def test_status_changes_need_a_known_credential_and_an_actor(make_store: Any) -> None:
    store = make_store()
    assert _error(store.revoke, "urn:c:9", actor="x", reason="") == "unknown_credential"
    assert _error(store.record, "urn:c:9") == "unknown_credential"
    store.allocate("urn:c:1")
    assert _error(store.revoke, "urn:c:1", actor=" ", reason="") == "actor_required"
    assert _error(store.suspend, "urn:c:1", actor="x", reason="") == "suspension_disabled"


def test_settings_are_fixed_at_creation(make_store: Any, reopen: Any) -> None:
    created = make_store(capacity=10, suspension=True)
    created.close()
    reopened = reopen()
    assert (reopened.base_url, reopened.capacity, reopened.purposes) == (
        BASE,
        10,
        ("revocation", "suspension"),
    )
    assert reopened.store_id == created.store_id
    assert len(reopened.store_id) == 32
    # Creating is explicit and never happens over an existing store.
    assert _error(make_store, capacity=11) == "store_exists"


def test_a_new_store_needs_a_valid_base_url(make_store: Any) -> None:
    assert _error(make_store, base_url=None) == "store_config"
    assert _error(make_store, base_url="https://x.example/status/") == "store_config"
    assert _error(make_store, capacity=200000) == "store_config"
    assert _error(make_store, max_lists=0) == "store_config"


def test_issue_revoke_publish_verify(make_store: Any, tmp_path: Path) -> None:
    key = Ed25519Key.from_seed(bytes(32))
    store = make_store(suspension=True, clock=FixedClock(NOW))
    issuer = Issuer(Profile(id=key.did), key=key, status_store=store, clock=FixedClock(NOW))
    drafts = [
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "issuer": key.did,
            "credentialSubject": {"id": f"did:example:{n}"},
        }
        for n in range(3)
    ]
    issued = [issuer.issue(draft) for draft in drafts]
    assert all(c["id"].startswith("urn:uuid:") for c in issued)
    statuses = [c["credentialStatus"] for c in issued]
    assert all([e["statusPurpose"] for e in s] == ["revocation", "suspension"] for s in statuses)
    store.revoke(issued[0]["id"], actor="registrar", reason="mistake")
    store.suspend(issued[1]["id"], actor="registrar", reason="review")
    published = issuer.publish_status_lists(str(tmp_path / "public"), at=NOW)
    assert sorted(published) == [f"{BASE}/revocation/1.json", f"{BASE}/suspension/1.json"]
    on_disk = (tmp_path / "public" / "revocation" / "1.json").read_text(encoding="utf-8")
    assert published[f"{BASE}/revocation/1.json"]["proof"]["proofValue"] in on_disk
    revocation = published[f"{BASE}/revocation/1.json"]["credentialSubject"]
    assert decode_status_list(revocation["encodedList"]).set_bits() == [
        store.record(issued[0]["id"]).index
    ]
    verifier = Verifier.offline(documents=published, clock=FixedClock(NOW + timedelta(hours=1)))
    outcomes = [verifier.verify(c) for c in issued]
    assert [r.outcome for r in outcomes] == [Outcome.INVALID, Outcome.INVALID, Outcome.VALID]
    assert [[c.code for c in r.checks if c.name == "status"] for r in outcomes] == [
        ["revoked", "ok"],
        ["ok", "suspended"],
        ["ok", "ok"],
    ]


def test_publish_without_a_store_or_outside_the_directory(make_store: Any) -> None:
    key = Ed25519Key.from_seed(bytes(32))
    issuer = Issuer(Profile(id=key.did), key=key)
    assert _error(issuer.publish_status_lists) == "no_status_store"


def test_the_issuer_keeps_existing_status_entries(make_store: Any) -> None:
    key = Ed25519Key.from_seed(bytes(32))
    store = make_store()
    issuer = Issuer(Profile(id=key.did), key=key, status_store=store)
    other = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "message",
        "statusListIndex": "1",
        "statusSize": 1,
        "statusListCredential": "https://other.example/status/1",
    }
    credential = issuer.issue(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "https://badges.example.edu/credentials/9",
            "type": ["VerifiableCredential"],
            "issuer": key.did,
            "credentialSubject": {"id": "did:example:1"},
            "credentialStatus": other,
        }
    )
    assert credential["credentialStatus"][0] == other
    assert credential["credentialStatus"][1]["statusPurpose"] == "revocation"
    assert store.record("https://badges.example.edu/credentials/9").index >= 0
