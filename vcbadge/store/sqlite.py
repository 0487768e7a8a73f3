"""The embedded default status store: one SQLite file, WAL mode, ``BEGIN IMMEDIATE`` writes.

``BEGIN IMMEDIATE`` takes SQLite's write lock at the start of every write transaction, so
writers from any number of processes are serialized (each waits up to ``timeout`` seconds)
and the read-check-write of an allocation cannot interleave. WAL lets readers (publishing,
``vcbadge status show``) run while a writer works; ``synchronous=FULL`` makes a committed
revocation survive a power cut, and SQLite's journal makes a writer killed at any instruction
leave the file as it was before its transaction or after it, never between.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path

from vcbadge.errors import StatusStoreError
from vcbadge.protocols import Clock
from vcbadge.store._sql import SqlStatusStore

__all__ = ["SQLiteStatusStore"]

_SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE status_lists ("
    " list_number INTEGER PRIMARY KEY CHECK (list_number > 0),"
    " capacity INTEGER NOT NULL CHECK (capacity > 0),"
    " allocated INTEGER NOT NULL CHECK (allocated >= 0 AND allocated <= capacity),"
    " permutation_key BLOB NOT NULL,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE credentials ("
    " credential_id TEXT PRIMARY KEY,"
    " list_number INTEGER NOT NULL REFERENCES status_lists (list_number),"
    " status_index INTEGER NOT NULL CHECK (status_index >= 0),"
    " allocated_at TEXT NOT NULL,"
    " revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),"
    " suspended INTEGER NOT NULL CHECK (suspended IN (0, 1)),"
    " UNIQUE (list_number, status_index))",
    "CREATE TABLE status_events ("
    " event_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " credential_id TEXT NOT NULL REFERENCES credentials (credential_id),"
    " action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'unsuspend')),"
    " actor TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " at TEXT NOT NULL)",
    "CREATE INDEX status_events_by_credential ON status_events (credential_id)",
)


class SQLiteStatusStore(SqlStatusStore):
    """The status store in the SQLite file at ``path``, which must exist: create one with
    ``SQLiteStatusStore.create``.

    >>> store = SQLiteStatusStore("status.db")  # doctest: +SKIP

    Opening refuses, with ``StatusStoreError``: a missing file (``store_missing``); an empty,
    truncated or corrupt file, or one without the store's identity (``store_damaged``); a
    store behind its watermark, such as an older backup put back (``store_rolled_back``), or
    whose watermark is missing (``watermark_unavailable``). ``timeout``: seconds a writer waits
    for another process's write transaction. One instance may be shared by threads.
    """

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        clock: Clock | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._connect(path, clock=clock, timeout=timeout, create=False)
        self._open()

    @classmethod
    def create(
        cls,
        path: str | PathLike[str],
        *,
        base_url: str,
        capacity: int | None = None,
        suspension: bool = False,
        max_lists: int | None = None,
        watermark: str | PathLike[str] | None = None,
        clock: Clock | None = None,
        timeout: float = 30.0,
    ) -> SQLiteStatusStore:
        """Create a new store at ``path`` and open it; refuses (``store_exists``) when the file
        is there, even empty.

        ``base_url``: lists are published at ``{base_url}/{purpose}/{n}``. ``capacity``:
        credentials per list (at most 131,072). ``suspension``: also keep suspension lists.
        ``max_lists``: refuse to open more lists (``list_full``). ``watermark``: the watermark
        file (``vcbadge.store.watermark``), by default ``<path>.watermark`` next to the
        database; a relative path is taken relative to the database's directory. These
        settings are fixed for the store's life.
        """
        target = Path(path)
        cls._check_settings(base_url=base_url, capacity=capacity, max_lists=max_lists)
        try:
            # O_EXCL: of two processes creating the same store, exactly one gets the file.
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise StatusStoreError(
                f"{target}: already exists; open it with SQLiteStatusStore(path)",
                code="store_exists",
            ) from None
        except OSError as exc:
            raise StatusStoreError(
                f"{target}: cannot create the status store: {exc.strerror or exc}",
                code="store_unavailable",
            ) from exc
        try:
            store = cls.__new__(cls)
            store._connect(target, clock=clock, timeout=timeout, create=True)
            store._create(
                base_url=base_url,
                capacity=capacity,
                suspension=suspension,
                max_lists=max_lists,
                watermark=str(watermark) if watermark is not None else target.name + ".watermark",
            )
        except BaseException:
            # Nothing was created: leave no half-made store that a later open would refuse.
            for suffix in ("", "-wal", "-shm"):
                target.with_name(target.name + suffix).unlink(missing_ok=True)
            raise
        return store

    def _connect(
        self, path: str | PathLike[str], *, clock: Clock | None, timeout: float, create: bool
    ) -> None:
        super().__init__(clock=clock)
        self.path = Path(path)
        self._lock = threading.RLock()
        if not create:
            if not self.path.is_file():
                raise StatusStoreError(
                    f"{self.path}: no such status store (create one first)",
                    code="store_missing",
                )
            if self.path.stat().st_size == 0:
                raise StatusStoreError(
                    f"{self.path}: the status store file is empty", code="store_damaged"
                )
        # mode=rw: opening never creates a file; only create() may (mode=rwc).
        uri = f"{self.path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
        try:
            # isolation_level=None: no implicit transactions; each one is explicit below.
            self._connection = sqlite3.connect(
                uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise StatusStoreError(
                f"{self.path}: cannot open the status store: {exc}", code="store_unavailable"
            ) from exc
        try:
            if not create:
                # A truncated or overwritten file: refuse it before reading any counter.
                problems = self._connection.execute("PRAGMA quick_check").fetchall()
                if problems != [("ok",)]:
                    raise StatusStoreError(
                        f"{self.path}: the status store file is damaged: "
                        + "; ".join(str(row[0]) for row in problems[:3]),
                        code="store_damaged",
                    )
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            self._connection.close()
            raise StatusStoreError(
                f"{self.path}: the status store file is damaged: {exc}", code="store_damaged"
            ) from exc
        except BaseException:
            self._connection.close()
            raise

    def _store_exists(self, cur: sqlite3.Cursor) -> bool:
        cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
        return cur.fetchone() is not None

    def _missing(self) -> StatusStoreError:
        # The file is there (opening checked) but holds no store: emptied or not ours.
        return StatusStoreError(
            f"{self.path}: the file holds no status store (emptied?)", code="store_damaged"
        )

    def _watermark_path(self, configured: str) -> Path | None:
        # Resolved now: the connection is to the resolved file, whatever the working directory.
        return self.path.resolve().parent / configured if configured else None

    def _schema(self) -> Sequence[str]:
        return _SCHEMA

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Cursor]:
        with self._lock, self._transaction("BEGIN IMMEDIATE") as cursor:
            yield cursor

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Cursor]:
        # A deferred transaction reads one snapshot (WAL) without blocking writers.
        with self._lock, self._transaction("BEGIN DEFERRED") as cursor:
            yield cursor

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Cursor]:
        cursor = self._connection.cursor()
        try:
            cursor.execute(begin)
        except sqlite3.Error as exc:
            cursor.close()
            raise StatusStoreError(
                f"{self.path}: cannot start a transaction: {exc}", code="store_unavailable"
            ) from exc
        try:
            yield cursor
        except sqlite3.Error as exc:
            self._connection.rollback()
            raise StatusStoreError(
                f"{self.path}: the change was not saved: {exc}", code="store_unavailable"
            ) from exc
        except BaseException:
            self._connection.rollback()
            raise
        else:
            try:
                cursor.execute("COMMIT")
            except sqlite3.Error as exc:
                self._connection.rollback()
                raise StatusStoreError(
                    f"{self.path}: the change was not saved: {exc}", code="store_unavailable"
                ) from exc
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._connection.close()

    def __repr__(self) -> str:
        return f"SQLiteStatusStore({str(self.path)!r})"
