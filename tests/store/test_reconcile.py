"""A store restored from a backup taken before its last publication: it opens (no index is
at risk), but it may have forgotten revocations and suspensions that publication carried, so
publishing it is refused (``store_rolled_back``) until ``reconcile_with_published`` has
recorded them again from the published lists. Real SQLite files and the SQLite backup API."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from store_workers import BASE

from vcbadge import FixedClock, Issuer, Profile
from vcbadge.errors import StatusStoreError
from vcbadge.keys import Ed25519Key
from vcbadge.store import SQLiteStatusStore

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)


def _issuer(moment: datetime) -> Issuer:
    key = Ed25519Key.from_seed(bytes(32))
    return Issuer(Profile(id=key.did), key=key, clock=FixedClock(moment))


def _backup(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)


@pytest.fixture
def restored(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A store with two badges, published; backed up; then badge 1 revoked and badge 2
    suspended and published again; then the backup restored over it. Returns the database,
    the publication directory and the directory of the first publication."""
    database, public = tmp_path / "status.db", tmp_path / "public"
    store = SQLiteStatusStore.create(
        database, base_url=BASE, suspension=True, watermark=tmp_path / "status.watermark"
    )
    store.allocate("urn:c:1")
    store.allocate("urn:c:2")
    store.publish(_issuer(NOW), directory=str(public))
    shutil.copytree(public, tmp_path / "first-publication")
    _backup(database, tmp_path / "backup.db")
    store.revoke("urn:c:1", actor="registrar", reason="awarded in error")
    store.suspend("urn:c:2", actor="registrar", reason="under review")
    store.publish(_issuer(NOW + timedelta(hours=1)), directory=str(public))
    store.close()
    shutil.copyfile(tmp_path / "backup.db", database)
    return database, public, tmp_path / "first-publication"


def test_publishing_a_restored_store_is_refused_until_reconciled(
    restored: tuple[Path, Path, Path],
) -> None:
    database, public, _ = restored
    with SQLiteStatusStore(database) as store:
        assert store.record("urn:c:1").revoked is False  # forgotten by the restored copy
        with pytest.raises(StatusStoreError) as refused:
            store.publish(_issuer(NOW + timedelta(hours=2)), directory=str(public))
        assert refused.value.code == "store_rolled_back"
        assert "would undo them" in str(refused.value)

        recorded = store.reconcile_with_published(public)
        assert sorted(recorded) == [("urn:c:1", "revocation"), ("urn:c:2", "suspension")]
        assert store.record("urn:c:1").revoked is True
        assert store.record("urn:c:2").suspended is True
        assert store.reconcile_with_published(public) == []  # nothing left to record

        published = store.publish(_issuer(NOW + timedelta(hours=2)), directory=str(public))
        assert {c["validFrom"] for c in published.values()} == {"2025-06-01T14:00:00Z"}


def test_an_older_publication_is_refused_and_nothing_recorded(
    restored: tuple[Path, Path, Path],
) -> None:
    database, _, first_publication = restored
    with SQLiteStatusStore(database) as store:
        with pytest.raises(StatusStoreError) as refused:
            store.reconcile_with_published(first_publication)
        assert refused.value.code == "published_list_stale"
        assert store.record("urn:c:1").revoked is False
        with pytest.raises(StatusStoreError) as still:
            store.publish(_issuer(NOW + timedelta(hours=2)))
        assert still.value.code == "store_rolled_back"


def test_a_directory_without_the_lists_is_refused(
    restored: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    database, _, _ = restored
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    with SQLiteStatusStore(database) as store:
        with pytest.raises(StatusStoreError) as refused:
            store.reconcile_with_published(empty)
        assert refused.value.code == "published_list_missing"
        assert store.record("urn:c:1").revoked is False


def test_a_store_that_was_not_restored_publishes_as_before(tmp_path: Path) -> None:
    store = SQLiteStatusStore.create(
        tmp_path / "status.db", base_url=BASE, watermark=tmp_path / "status.watermark"
    )
    store.allocate("urn:c:1")
    store.publish(_issuer(NOW), directory=str(tmp_path / "public"))
    store.revoke("urn:c:1", actor="registrar", reason="awarded in error")
    store.publish(_issuer(NOW + timedelta(hours=1)), directory=str(tmp_path / "public"))
    assert store.reconcile_with_published(tmp_path / "public") == []
    store.close()
