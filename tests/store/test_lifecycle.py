"""The store's life: explicit creation, refusal of a missing, emptied, damaged or rolled-back
store (an older backup put back) before any index is reused, and durable, monotonic publishing.

Real SQLite files (and a real PostgreSQL schema when ``VCBADGE_TEST_POSTGRES_DSN`` is set),
damaged the way an operator or a crash damages them.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from store_workers import BASE, create_store

from vcbadge import FixedClock, Issuer, Profile
from vcbadge.atomic_files import STALE_AFTER, TEMPORARY_PREFIX
from vcbadge.errors import StatusStoreError
from vcbadge.keys import Ed25519Key
from vcbadge.store import SQLiteStatusStore
from vcbadge.store.watermark import read_watermark

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def _error(call: Any, *args: Any, **kwargs: Any) -> StatusStoreError:
    with pytest.raises(StatusStoreError) as raised:
        call(*args, **kwargs)
    return raised.value


def _execute(location: dict[str, Any], *statements: str) -> None:
    """Run SQL against the store behind its back, as an operator or a restore would."""
    if location["kind"] == "sqlite":
        with sqlite3.connect(location["path"]) as connection:
            for statement in statements:
                connection.execute(statement)
        connection.close()
        return
    import psycopg

    with psycopg.connect(location["dsn"], autocommit=True) as server:
        server.execute(f"SET search_path TO {location['schema']}")
        for statement in statements:
            server.execute(statement)


def _issuer() -> Issuer:
    key = Ed25519Key.from_seed(bytes(32))
    return Issuer(Profile(id=key.did), key=key, clock=FixedClock(NOW))


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# -- creation is explicit; opening never creates ---------------------------------------------


def test_opening_a_missing_store_is_refused_and_creates_nothing(
    location: dict[str, Any], reopen: Any
) -> None:
    assert _error(reopen).code == "store_missing"
    if location["kind"] == "sqlite":
        assert not Path(location["path"]).exists()
    else:
        _execute(location, "SELECT 1")  # the schema was not created either
        assert _error(reopen).code == "store_missing"


def test_a_dropped_store_is_refused_not_recreated(
    location: dict[str, Any], make_store: Any, reopen: Any
) -> None:
    make_store().close()
    if location["kind"] == "sqlite":
        _remove_database(Path(location["path"]))
    else:
        _execute(location, f"DROP SCHEMA {location['schema']} CASCADE")
    assert _error(reopen).code == "store_missing"
    assert _error(reopen).code == "store_missing"  # still not there: nothing was re-created


def test_a_store_without_its_identity_is_refused(
    location: dict[str, Any], make_store: Any, reopen: Any
) -> None:
    make_store().close()
    _execute(location, "DELETE FROM meta WHERE key = 'store_id'")
    error = _error(reopen)
    assert error.code == "store_damaged"
    assert "store_id" in str(error)
    _execute(location, "DELETE FROM meta")
    assert _error(reopen).code == "store_damaged"


def test_a_store_without_its_settings_table_is_refused(
    location: dict[str, Any], make_store: Any, reopen: Any
) -> None:
    make_store().close()
    _execute(location, "DROP TABLE meta")
    expected = "store_damaged" if location["kind"] == "sqlite" else "store_missing"
    assert _error(reopen).code == expected


def test_creating_over_an_existing_store_is_refused(make_store: Any, reopen: Any) -> None:
    first = make_store(capacity=10)
    first.allocate("urn:c:1")
    assert _error(make_store).code == "store_exists"
    assert reopen().record("urn:c:1").index == first.record("urn:c:1").index


def test_sqlite_creation_refuses_an_empty_file_and_another_stores_watermark(
    tmp_path: Path,
) -> None:
    path = tmp_path / "status.db"
    path.touch()
    assert _error(SQLiteStatusStore.create, path, base_url=BASE).code == "store_exists"
    path.unlink()
    SQLiteStatusStore.create(path, base_url=BASE).close()
    _remove_database(path)  # the database is gone, its watermark is not
    error = _error(SQLiteStatusStore.create, path, base_url=BASE)
    assert error.code == "store_exists"
    assert "watermark" in str(error)
    assert not path.exists()  # a refused creation leaves nothing behind
    bad = _error(SQLiteStatusStore.create, tmp_path / "other.db", base_url="ftp://x")
    assert bad.code == "store_config"
    assert not (tmp_path / "other.db").exists()


# -- a damaged SQLite file -------------------------------------------------------------------


@pytest.fixture
def populated(tmp_path: Path) -> Path:
    """A closed SQLite store with 300 allocations over three lists (several pages)."""
    path = tmp_path / "status.db"
    with SQLiteStatusStore.create(path, base_url=BASE, capacity=100) as store:
        for number in range(300):
            store.allocate(f"urn:c:{number}")
    return path


def test_an_emptied_file_is_refused(populated: Path) -> None:
    populated.write_bytes(b"")
    assert _error(SQLiteStatusStore, populated).code == "store_damaged"
    assert populated.stat().st_size == 0  # and left as it was


def test_a_truncated_file_is_refused(populated: Path) -> None:
    content = populated.read_bytes()
    assert len(content) > 8192
    populated.write_bytes(content[: len(content) // 2])
    assert _error(SQLiteStatusStore, populated).code == "store_damaged"


def test_a_file_that_is_not_a_database_is_refused(populated: Path) -> None:
    populated.write_bytes(b"not a database at all, " * 400)
    assert _error(SQLiteStatusStore, populated).code == "store_damaged"


def test_the_emptied_store_without_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    sqlite3.connect(path).execute("CREATE TABLE unrelated (x)").connection.close()
    assert _error(SQLiteStatusStore, path).code == "store_damaged"


# -- an older backup put back -----------------------------------------------------------------


def test_a_restored_older_backup_is_refused_before_an_index_is_reused(
    populated: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.db"
    shutil.copyfile(populated, backup)  # the store is closed: the file is the whole store
    with SQLiteStatusStore(populated) as store:
        later = [store.allocate(f"urn:later:{number}") for number in range(5)]
        store.publish(_issuer(), directory=str(tmp_path / "public"))
    _remove_database(populated)
    shutil.copyfile(backup, populated)  # the restore

    error = _error(SQLiteStatusStore, populated)
    assert error.code == "store_rolled_back"
    assert "list 4: 0 allocated, the watermark says 5" in str(error)
    with sqlite3.connect(populated) as connection:  # nothing was handed out meanwhile
        assert connection.execute("SELECT count(*) FROM credentials").fetchone() == (300,)
    connection.close()
    assert {a.list_number for a in later} == {4}  # three full lists of 100, then list 4


def test_a_store_rolled_back_under_a_running_process_allocates_nothing(
    location: dict[str, Any], make_store: Any, tmp_path: Path
) -> None:
    # PostgreSQL has a watermark only when configured; SQLite's default is next to the file.
    store = make_store(capacity=10, watermark=tmp_path / "status.watermark")
    for number in range(4):
        store.allocate(f"urn:c:{number}")
    # Forget the last two allocations, as a restore of the database would.
    _execute(
        location,
        "DELETE FROM credentials WHERE credential_id IN ('urn:c:2', 'urn:c:3')",
        "UPDATE status_lists SET allocated = 2",
    )
    assert _error(store.allocate, "urn:c:new").code == "store_rolled_back"
    assert _error(store.publish, _issuer()).code == "store_rolled_back"
    revoke = _error(store.revoke, "urn:c:0", actor="registrar", reason="")
    assert revoke.code == "store_rolled_back"
    assert not store.record("urn:c:0").revoked
    assert _error(store.record, "urn:c:new").code == "unknown_credential"
    assert store.snapshot(1).allocated == 2


def test_the_watermark_follows_every_allocation(make_store: Any, tmp_path: Path) -> None:
    store = make_store(capacity=3, watermark=tmp_path / "status.watermark")
    for number in range(4):
        store.allocate(f"urn:c:{number}")
        watermark = read_watermark(store.watermark_path)
        assert watermark.store_id == store.store_id
        assert sum(watermark.lists.values()) == number + 1
    assert dict(read_watermark(store.watermark_path).lists) == {1: 3, 2: 1}
    assert stat.S_IMODE(store.watermark_path.stat().st_mode) == 0o600


def test_a_watermark_elsewhere(location: dict[str, Any], tmp_path: Path) -> None:
    # Where a backup of the database does not reach.
    if location["kind"] == "postgres":
        assert _error(create_store, location, watermark="relative.json").code == "store_config"
    else:
        store = create_store(location)
        assert store.watermark_path == Path(location["path"] + ".watermark")
        store.close()
        _remove_database(Path(location["path"]))
    watermark = tmp_path / "elsewhere" / "status.watermark"
    store = create_store(location, watermark=watermark)
    try:
        assert store.watermark_path == watermark
        store.allocate("urn:c:1")
        assert dict(read_watermark(watermark).lists) == {1: 1}
        _execute(location, "DELETE FROM credentials", "UPDATE status_lists SET allocated = 0")
        assert _error(store.allocate, "urn:c:2").code == "store_rolled_back"
    finally:
        store.close()


def test_a_missing_foreign_or_malformed_watermark_is_refused(populated: Path) -> None:
    watermark = populated.with_name(populated.name + ".watermark")
    saved = watermark.read_bytes()
    watermark.unlink()
    assert _error(SQLiteStatusStore, populated).code == "watermark_unavailable"
    watermark.write_text("{not json", encoding="utf-8")
    assert _error(SQLiteStatusStore, populated).code == "watermark_unavailable"
    watermark.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    assert _error(SQLiteStatusStore, populated).code == "watermark_unavailable"
    other = populated.with_name("other.db")
    SQLiteStatusStore.create(other, base_url=BASE).close()
    shutil.copyfile(other.with_name("other.db.watermark"), watermark)
    assert _error(SQLiteStatusStore, populated).code == "store_mismatch"
    watermark.write_bytes(saved)
    SQLiteStatusStore(populated).close()


# -- publishing -------------------------------------------------------------------------------


class AdjustableClock:
    """A clock an operator (or NTP) can set backwards."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def _valid_from(path: Path) -> str:
    return str(json.loads(path.read_text(encoding="utf-8"))["validFrom"])


def test_valid_from_never_goes_back_when_the_clock_does(make_store: Any, tmp_path: Path) -> None:
    store = make_store(suspension=True)
    store.allocate("urn:c:1")
    public = tmp_path / "public"
    key = Ed25519Key.from_seed(bytes(32))
    clock = AdjustableClock(NOW)
    issuer = Issuer(Profile(id=key.did), key=key, clock=clock)
    first = store.publish(issuer, directory=str(public))
    assert {c["validFrom"] for c in first.values()} == {"2025-06-01T12:00:00Z"}
    clock.moment = NOW - timedelta(hours=1)  # the clock was corrected backwards
    second = store.publish(issuer, directory=str(public))
    assert {c["validFrom"] for c in second.values()} == {"2025-06-01T12:00:01Z"}
    assert {c["proof"]["created"] for c in second.values()} == {"2025-06-01T12:00:01Z"}
    assert _valid_from(public / "suspension" / "1.json") == "2025-06-01T12:00:01Z"
    # Same second again, and an explicit older moment: still strictly later.
    assert store.publish(issuer, at=NOW)[f"{BASE}/revocation/1.json"]["validFrom"] == (
        "2025-06-01T12:00:02Z"
    )
    clock.moment = NOW + timedelta(hours=1)  # a clock ahead of the last publication is used as is
    third = store.publish(issuer)
    assert third[f"{BASE}/revocation/1.json"]["validFrom"] == "2025-06-01T13:00:00Z"


def test_valid_from_is_later_than_a_list_already_in_the_directory(
    tmp_path: Path, make_store: Any
) -> None:
    store = make_store()
    store.allocate("urn:c:1")
    target = tmp_path / "public" / "revocation" / "1.json"
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps({"validFrom": "2025-06-02T00:00:00Z"}), encoding="utf-8")
    store.publish(_issuer(), directory=str(tmp_path / "public"))
    assert _valid_from(target) == "2025-06-02T00:00:01Z"


def test_publishing_removes_stale_temporary_files_only(make_store: Any, tmp_path: Path) -> None:
    store = make_store()
    store.allocate("urn:c:1")
    directory = tmp_path / "public" / "revocation"
    directory.mkdir(parents=True)
    stale = directory / f"{TEMPORARY_PREFIX}crashed"
    fresh = directory / f"{TEMPORARY_PREFIX}in-flight"
    unrelated = directory / ".keep"
    for path in (stale, fresh, unrelated):
        path.write_text("partial", encoding="utf-8")
    old = time.time() - STALE_AFTER - 5
    os.utime(stale, (old, old))
    os.utime(unrelated, (old, old))
    store.publish(_issuer(), directory=str(tmp_path / "public"))
    assert not stale.exists()
    assert fresh.exists()  # maybe another publisher's, still being written
    assert unrelated.exists()
    assert sorted(p.name for p in directory.iterdir()) == sorted(["1.json", fresh.name, ".keep"])


def test_publishing_flushes_the_file_and_then_its_directory(
    make_store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make_store()
    store.allocate("urn:c:1")
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(descriptor: int) -> None:
        real_fsync(descriptor)
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            synced.append("dir:" + os.readlink(f"/proc/self/fd/{descriptor}"))
        else:
            synced.append("file")

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to name the flushed directory")
    monkeypatch.setattr(os, "fsync", recording_fsync)
    store.publish(_issuer(), directory=str(tmp_path / "public"))
    monkeypatch.undo()
    directory = f"dir:{(tmp_path / 'public' / 'revocation').resolve()}"
    assert directory in synced
    assert synced.index(directory) > 0
    assert synced[synced.index(directory) - 1] == "file"  # the list, then its directory


def test_opening_removes_stale_temporaries_next_to_the_watermark(populated: Path) -> None:
    stale = populated.with_name(f"{TEMPORARY_PREFIX}watermark")
    fresh = populated.with_name(f"{TEMPORARY_PREFIX}being-written")
    for path in (stale, fresh):
        path.write_text("{", encoding="utf-8")
    old = time.time() - STALE_AFTER - 5
    os.utime(stale, (old, old))
    SQLiteStatusStore(populated).close()
    assert not stale.exists()
    assert fresh.exists()


def test_a_store_of_another_schema_version_is_refused(
    location: dict[str, Any], make_store: Any, reopen: Any
) -> None:
    make_store().close()
    _execute(location, "UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    error = _error(reopen)
    assert error.code == "store_config"
    assert "schema version '1'" in str(error)
