"""The embedded default status store: one SQLite file, WAL mode, ``BEGIN IMMEDIATE`` writes.

``BEGIN IMMEDIATE`` takes SQLite's write lock at the start of every write transaction, so
writers from any number of processes are serialized (each waits up to ``timeout`` seconds)
and the read-check-write of an allocation cannot interleave. WAL lets readers (publishing,
``vcbadge status show``) run while a writer works; ``synchronous=FULL`` makes a committed
revocation survive a power cut, and SQLite's journal makes a writer killed at any instruction
leave the file as it was before its transaction or after it, never between.
"""

from __future__ import annotations

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
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS status_lists ("
    " list_number INTEGER PRIMARY KEY CHECK (list_number > 0),"
    " capacity INTEGER NOT NULL CHECK (capacity > 0),"
    " allocated INTEGER NOT NULL CHECK (allocated >= 0 AND allocated <= capacity),"
    " permutation_key BLOB NOT NULL,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS credentials ("
    " credential_id TEXT PRIMARY KEY,"
    " list_number INTEGER NOT NULL REFERENCES status_lists (list_number),"
    " status_index INTEGER NOT NULL CHECK (status_index >= 0),"
    " allocated_at TEXT NOT NULL,"
    " revoked INTEGER NOT NULL CHECK (revoked IN (0, 1)),"
    " suspended INTEGER NOT NULL CHECK (suspended IN (0, 1)),"
    " UNIQUE (list_number, status_index))",
    "CREATE TABLE IF NOT EXISTS status_events ("
    " event_id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " credential_id TEXT NOT NULL REFERENCES credentials (credential_id),"
    " action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'unsuspend')),"
    " actor TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS status_events_by_credential ON status_events (credential_id)",
)


class SQLiteStatusStore(SqlStatusStore):
    """A status store in the SQLite file at ``path`` (created when missing).

    >>> store = SQLiteStatusStore("status.db", base_url="https://badges.example.edu/status")
    ... # doctest: +SKIP

    Creating a store needs ``base_url``; reopening one reads its settings back (giving a
    different value is ``StatusStoreError`` ``store_config``). ``timeout``: seconds a writer
    waits for another process's write transaction. One instance may be shared by threads.
    """

    def __init__(
        self,
        path: str | PathLike[str],
        *,
        base_url: str | None = None,
        capacity: int | None = None,
        suspension: bool | None = None,
        max_lists: int | None = None,
        clock: Clock | None = None,
        timeout: float = 30.0,
    ) -> None:
        super().__init__(clock=clock)
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            # isolation_level=None: no implicit transactions; each one is explicit below.
            self._connection = sqlite3.connect(
                self.path, timeout=timeout, isolation_level=None, check_same_thread=False
            )
            self._connection.execute("PRAGMA journal_mode=WAL")
            self._connection.execute("PRAGMA synchronous=FULL")
            self._connection.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StatusStoreError(
                f"{self.path}: cannot open the status store: {exc}", code="store_unavailable"
            ) from exc
        self._initialize(
            base_url=base_url, capacity=capacity, suspension=suspension, max_lists=max_lists
        )

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
        return f"SQLiteStatusStore({str(self.path)!r}, base_url={self.base_url!r})"
