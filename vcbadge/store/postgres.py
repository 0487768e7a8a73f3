"""The PostgreSQL status store (``pip install 'vcbadge[postgres]'``, psycopg 3).

Every write transaction first takes a transaction-scoped advisory lock
(``pg_advisory_xact_lock``) keyed by the store's schema, so writers in any number of processes
and hosts are serialized for the few statements an allocation or a status change needs; the
lock is released by COMMIT or ROLLBACK, including when the client dies (the server ends its
session). Reads use REPEATABLE READ, so a publication sees one consistent state. The tables
live in their own schema (``vcbadge_status`` by default).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from os import PathLike
from pathlib import Path
from typing import Any

from vcbadge.errors import StatusStoreError
from vcbadge.protocols import Clock
from vcbadge.store._sql import SqlStatusStore

__all__ = ["PostgresStatusStore"]

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _schema_statements(schema: str) -> tuple[str, ...]:
    return (
        f"CREATE SCHEMA IF NOT EXISTS {schema}",
        f"CREATE TABLE {schema}.meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"CREATE TABLE {schema}.status_lists ("
        " list_number INTEGER PRIMARY KEY CHECK (list_number > 0),"
        " capacity INTEGER NOT NULL CHECK (capacity > 0),"
        " allocated INTEGER NOT NULL CHECK (allocated >= 0 AND allocated <= capacity),"
        " permutation_key BYTEA NOT NULL,"
        " created_at TEXT NOT NULL)",
        f"CREATE TABLE {schema}.credentials ("
        " credential_id TEXT PRIMARY KEY,"
        f" list_number INTEGER NOT NULL REFERENCES {schema}.status_lists (list_number),"
        " status_index INTEGER NOT NULL CHECK (status_index >= 0),"
        " allocated_at TEXT NOT NULL,"
        " revoked SMALLINT NOT NULL CHECK (revoked IN (0, 1)),"
        " suspended SMALLINT NOT NULL CHECK (suspended IN (0, 1)),"
        " UNIQUE (list_number, status_index))",
        f"CREATE TABLE {schema}.status_events ("
        " event_id BIGSERIAL PRIMARY KEY,"
        f" credential_id TEXT NOT NULL REFERENCES {schema}.credentials (credential_id),"
        " action TEXT NOT NULL CHECK (action IN ('revoke', 'suspend', 'unsuspend')),"
        " actor TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " at TEXT NOT NULL)",
        f"CREATE INDEX status_events_by_credential ON {schema}.status_events (credential_id)",
    )


class PostgresStatusStore(SqlStatusStore):
    """The status store in PostgreSQL at ``dsn`` (``postgresql://user@host:port/db``), tables in
    ``schema``, which must exist: create one with ``PostgresStatusStore.create``. Opening
    refuses a dropped schema (``store_missing``), one without the store's identity
    (``store_damaged``) and a store behind its watermark (``store_rolled_back``). One instance
    may be shared by threads (one connection, used by one thread at a time)."""

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "vcbadge_status",
        clock: Clock | None = None,
        connect_timeout: int = 10,
    ) -> None:
        self._connect(dsn, schema=schema, clock=clock, connect_timeout=connect_timeout)
        self._open()

    @classmethod
    def create(
        cls,
        dsn: str,
        *,
        base_url: str,
        capacity: int | None = None,
        suspension: bool = False,
        max_lists: int | None = None,
        watermark: str | PathLike[str] | None = None,
        schema: str = "vcbadge_status",
        clock: Clock | None = None,
        connect_timeout: int = 10,
    ) -> PostgresStatusStore:
        """Create a new store in ``schema`` and open it; refuses (``store_exists``) when the
        store's tables are already there. Settings as for ``SQLiteStatusStore.create``, except
        that there is no watermark unless ``watermark`` names one (an absolute path, on a
        file system every issuing host shares)."""
        if watermark is not None and not Path(watermark).is_absolute():
            raise StatusStoreError(
                f"a PostgreSQL store's watermark must be an absolute path, not {watermark!r}",
                code="store_config",
            )
        store = cls.__new__(cls)
        store._connect(dsn, schema=schema, clock=clock, connect_timeout=connect_timeout)
        store._create(
            base_url=base_url,
            capacity=capacity,
            suspension=suspension,
            max_lists=max_lists,
            watermark="" if watermark is None else str(watermark),
        )
        return store

    def _connect(self, dsn: str, *, schema: str, clock: Clock | None, connect_timeout: int) -> None:
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - depends on the installed extras
            raise StatusStoreError(
                "PostgresStatusStore needs psycopg: pip install 'vcbadge[postgres]'",
                code="store_unavailable",
            ) from exc
        super().__init__(clock=clock)
        if not _IDENTIFIER.match(schema):
            raise StatusStoreError(
                f"schema must be a lower-case SQL identifier, not {schema!r}",
                code="store_config",
            )
        self.schema = schema
        self._psycopg: Any = psycopg
        self._lock = threading.RLock()
        # The advisory lock key: 64 bits derived from the schema name, so stores in different
        # schemas of one database do not wait for each other.
        digest = hashlib.sha256(f"vcbadge-status:{schema}".encode()).digest()
        self._lock_key = int.from_bytes(digest[:8], "big", signed=True)
        try:
            self._connection = psycopg.connect(
                dsn, autocommit=True, connect_timeout=connect_timeout
            )
        except psycopg.Error as exc:
            raise StatusStoreError(
                f"cannot connect to the PostgreSQL status store: {exc}".strip(),
                code="store_unavailable",
            ) from exc

    def _store_exists(self, cur: Any) -> bool:
        cur.execute("SELECT to_regclass(%s)", (f"{self.schema}.meta",))
        row = cur.fetchone()
        return row is not None and row[0] is not None

    def _missing(self) -> StatusStoreError:
        return StatusStoreError(
            f"there is no status store in schema {self.schema} (dropped?); create one first",
            code="store_missing",
        )

    def _watermark_path(self, configured: str) -> Path | None:
        return Path(configured) if configured else None

    def _schema(self) -> Sequence[str]:
        return _schema_statements(self.schema)

    def _sql(self, statement: str) -> str:
        qualified = re.sub(
            r"\b(FROM|INTO|UPDATE|JOIN)\s+(meta|status_lists|credentials|status_events)\b",
            lambda m: f"{m.group(1)} {self.schema}.{m.group(2)}",
            statement,
        )
        return qualified.replace("?", "%s")

    @contextmanager
    def _write(self) -> Iterator[Any]:
        with self._transaction() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            yield cursor

    @contextmanager
    def _read(self) -> Iterator[Any]:
        with self._transaction() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield cursor

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        psycopg = self._psycopg
        with self._lock:
            try:
                with self._connection.transaction(), self._connection.cursor() as cursor:
                    yield cursor
            except psycopg.Error as exc:
                raise StatusStoreError(
                    f"the PostgreSQL status store failed: {exc}".strip(),
                    code="store_unavailable",
                ) from exc

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()

    def __repr__(self) -> str:
        return f"PostgresStatusStore(schema={self.schema!r}, base_url={self.base_url!r})"
