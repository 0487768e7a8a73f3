"""``allocate_many``: a range of indexes in one transaction and one watermark write, with the
guarantees of ``allocate``: unique indexes across lists, all or nothing, the watermark written
before anything is returned, and a rolled-back store refused before an index is reused.
Real SQLite files (and a real PostgreSQL schema when ``VCBADGE_TEST_POSTGRES_DSN`` is set)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from store_workers import BASE

from vcbadge.errors import StatusStoreError
from vcbadge.store import SQLiteStatusStore
from vcbadge.store.watermark import read_watermark


def test_a_range_spans_lists_and_matches_one_by_one_allocation(
    make_store: Any, tmp_path: Path
) -> None:
    store = make_store(capacity=10, watermark=tmp_path / "status.watermark")
    first = store.allocate("urn:c:first")
    allocations = store.allocate_many([f"urn:c:{number}" for number in range(25)])

    assert [a.credential_id for a in allocations] == [f"urn:c:{n}" for n in range(25)]
    positions = {(a.list_number, a.index) for a in [first, *allocations]}
    assert len(positions) == 26
    assert [a.list_number for a in allocations] == [1] * 9 + [2] * 10 + [3] * 6
    for allocation in allocations:
        record = store.record(allocation.credential_id)
        assert (record.list_number, record.index) == (allocation.list_number, allocation.index)
    assert dict(read_watermark(store.watermark_path).lists) == {1: 10, 2: 10, 3: 6}


def test_one_refused_id_allocates_nothing(make_store: Any) -> None:
    store = make_store(capacity=10)
    store.allocate("urn:c:taken")
    with pytest.raises(StatusStoreError) as refused:
        store.allocate_many(["urn:c:a", "urn:c:b", "urn:c:taken", "urn:c:d"])
    assert refused.value.code == "credential_exists"
    assert "urn:c:taken" in str(refused.value)
    assert store.snapshot(1).allocated == 1
    for credential_id in ("urn:c:a", "urn:c:b", "urn:c:d"):
        with pytest.raises(StatusStoreError) as unknown:
            store.record(credential_id)
        assert unknown.value.code == "unknown_credential"


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        (["urn:c:a", "urn:c:a"], "credential_exists"),
        (["urn:c:a", ""], "invalid_credential_id"),
    ],
)
def test_a_bad_list_of_ids_is_refused_before_the_transaction(
    make_store: Any, ids: list[str], code: str
) -> None:
    store = make_store(capacity=10)
    with pytest.raises(StatusStoreError) as refused:
        store.allocate_many(ids)
    assert refused.value.code == code
    assert store.list_numbers() == []


def test_a_full_store_refuses_the_whole_range(make_store: Any) -> None:
    store = make_store(capacity=3, max_lists=2)
    with pytest.raises(StatusStoreError) as refused:
        store.allocate_many([f"urn:c:{number}" for number in range(7)])
    assert refused.value.code == "list_full"
    assert store.list_numbers() == []
    assert len(store.allocate_many([f"urn:c:{number}" for number in range(6)])) == 6


def test_an_empty_range_allocates_nothing(make_store: Any) -> None:
    store = make_store(capacity=3)
    assert store.allocate_many([]) == []
    assert store.list_numbers() == []


def test_credential_status_many_gives_each_its_entries(make_store: Any) -> None:
    store = make_store(capacity=10, suspension=True)
    entries = store.credential_status_many(["urn:c:1", "urn:c:2"])
    assert [[entry["statusPurpose"] for entry in each] for each in entries] == [
        ["revocation", "suspension"]
    ] * 2
    for credential_id, each in zip(["urn:c:1", "urn:c:2"], entries, strict=True):
        index = str(store.record(credential_id).index)
        assert {entry["statusListIndex"] for entry in each} == {index}


def test_a_restored_backup_is_refused_after_a_range_and_before_another(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    with SQLiteStatusStore.create(path, base_url=BASE, capacity=10) as store:
        store.allocate_many(["urn:c:0", "urn:c:1"])
    backup = tmp_path / "backup.db"
    shutil.copyfile(path, backup)
    with SQLiteStatusStore(path) as store:
        store.allocate_many([f"urn:later:{number}" for number in range(5)])
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(backup, path)  # the restore

    with pytest.raises(StatusStoreError) as refused:
        SQLiteStatusStore(path)
    assert refused.value.code == "store_rolled_back"
    assert "list 1: 2 allocated, the watermark says 7" in str(refused.value)


def test_a_store_rolled_back_under_a_running_process_gives_no_range(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    with SQLiteStatusStore.create(path, base_url=BASE, capacity=10) as store:
        store.allocate_many([f"urn:c:{number}" for number in range(4)])
        # Forget the last two allocations behind the store's back, as a restore would.
        with sqlite3.connect(path) as connection:
            connection.execute(
                "DELETE FROM credentials WHERE credential_id IN ('urn:c:2', 'urn:c:3')"
            )
            connection.execute("UPDATE status_lists SET allocated = 2")
        connection.close()
        with pytest.raises(StatusStoreError) as refused:
            store.allocate_many(["urn:c:new", "urn:c:newer"])
        assert refused.value.code == "store_rolled_back"
        assert store.snapshot(1).allocated == 2


def test_an_allocated_id_past_the_first_query_chunk_is_found(make_store: Any) -> None:
    """The already-allocated check runs in chunks of ids; one taken in a later chunk still
    refuses the whole batch."""
    store = make_store(capacity=2000)
    store.allocate("urn:c:1700")
    with pytest.raises(StatusStoreError) as refused:
        store.allocate_many([f"urn:c:{number}" for number in range(1800)])
    assert refused.value.code == "credential_exists"
    assert "urn:c:1700" in str(refused.value)
    assert store.snapshot(1).allocated == 1
