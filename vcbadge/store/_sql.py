"""The status store logic shared by the SQLite and PostgreSQL back ends.

Each back end supplies a write transaction that excludes other writers for its duration
(SQLite ``BEGIN IMMEDIATE``; PostgreSQL a transaction-scoped advisory lock) and a read
transaction; the SQL here is written with ``?`` placeholders and portable types.

Allocation takes a list's counter ``allocated`` and maps it through the list's keyed permutation
(``vcbadge.store.permute``): the counter increment and the credential row are written in the
same transaction, so an index is either allocated (counter moved, row present) or free, and
never handed out twice. A status change and its event row are written in one transaction too.
"""

from __future__ import annotations

import abc
import contextlib
import json
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any

from vcbadge._time import format_datetime, parse_datetime
from vcbadge.atomic_files import remove_stale_temporaries
from vcbadge.clock import SystemClock
from vcbadge.errors import StatusStoreError, VcbadgeError
from vcbadge.protocols import Clock
from vcbadge.status.bitstring import MIN_LIST_BITS, Bitstring, decode_status_list
from vcbadge.store.permute import permute
from vcbadge.store.protocol import (
    Action,
    Allocation,
    CredentialRecord,
    ListSnapshot,
    StatusEvent,
)
from vcbadge.store.publish import LIST_EXTENSION, list_file, publish_lists
from vcbadge.store.watermark import Watermark, read_watermark, write_watermark

__all__ = ["SCHEMA_VERSION", "SqlStatusStore"]

SCHEMA_VERSION = "2"
_PURPOSES = ("revocation", "suspension")
# Ids per "IN (...)" query: well under SQLite's bound on parameters per statement.
_IDS_PER_QUERY = 500
_URL = re.compile(r"^https?://[^\s#?]+[^/\s#?]$")


class SqlStatusStore(abc.ABC):
    """Status store over a SQL database; see ``SQLiteStatusStore`` and ``PostgresStatusStore``.

    ``base_url``: lists are published at ``{base_url}/{purpose}/{n}.json`` (``revocation``, and
    ``suspension`` when ``suspension=True``); the extension makes every stock static server send
    them as ``application/json``. A store created before the extension was introduced keeps its
    extension-less URLs (``{base_url}/{purpose}/{n}``), which its credentials already name.
    ``capacity``: credentials per list (at most the 131,072 entries of a minimum-size list,
    which is what is published however few are used).
    ``max_lists``: refuse to open more lists (``list_full``). These are fixed when the store is
    created; opening an existing store reads them back.
    """

    def __init__(self, *, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or SystemClock()
        self._base_url = ""
        self._purposes: tuple[str, ...] = ("revocation",)
        self._capacity = MIN_LIST_BITS
        self._max_lists: int | None = None
        self._store_id = ""
        self._watermark: Path | None = None
        self._list_extension = LIST_EXTENSION

    # -- what a back end provides -------------------------------------------------------------

    @abc.abstractmethod
    def _write(self) -> AbstractContextManager[Any]:
        """A write transaction (its cursor) that excludes every other writer until it ends;
        it commits when the block ends normally and rolls back when it raises."""

    @abc.abstractmethod
    def _read(self) -> AbstractContextManager[Any]:
        """A read transaction (its cursor) that sees one consistent state."""

    @abc.abstractmethod
    def _schema(self) -> Sequence[str]:
        """The statements that create the tables when they do not exist yet."""

    def _sql(self, statement: str) -> str:
        """``statement`` in the back end's dialect (placeholders, qualified table names)."""
        return statement

    def _one(self, cur: Any, statement: str, key: object, missing: StatusStoreError) -> Any:
        """The row ``statement`` selects for ``key`` (its one ``?``); raises ``missing`` if none."""
        cur.execute(self._sql(statement), (key,))
        row = cur.fetchone()
        if row is None:
            raise missing
        return row

    @abc.abstractmethod
    def close(self) -> None:
        """Close the connection to the database."""

    # -- set-up -------------------------------------------------------------------------------

    @abc.abstractmethod
    def _store_exists(self, cur: Any) -> bool:
        """Whether the store's tables are there (checked before creating and when opening)."""

    @abc.abstractmethod
    def _watermark_path(self, configured: str) -> Path | None:
        """Where the watermark file named ``configured`` in the store's settings lives (None:
        the store has none)."""

    def _create(
        self,
        *,
        base_url: str,
        capacity: int | None,
        suspension: bool,
        max_lists: int | None,
        watermark: str,
    ) -> None:
        """Create the tables, the settings and the store's identity, write a first watermark,
        then open the new store. Refuses (``store_exists``) when a store, or a watermark file,
        is already there: creating is never a side effect of opening. Called by a back end's
        ``create`` once it is connected; closes the connection when it fails."""
        try:
            self._check_settings(base_url=base_url, capacity=capacity, max_lists=max_lists)
            store_id = uuid.uuid4().hex
            watermark_path = self._watermark_path(watermark)
            if watermark_path is not None and watermark_path.exists():
                raise StatusStoreError(
                    f"{watermark_path}: a watermark file is already there (it belongs to "
                    "another status store; remove it only if that store is gone for good)",
                    code="store_exists",
                )
            meta = {
                "schema_version": SCHEMA_VERSION,
                "store_id": store_id,
                "created_at": format_datetime(self.clock.now()),
                "base_url": base_url,
                "capacity": str(capacity or MIN_LIST_BITS),
                "suspension": "1" if suspension else "0",
                "max_lists": "" if max_lists is None else str(max_lists),
                "watermark": watermark,
                "last_valid_from": "",
                "list_extension": LIST_EXTENSION,
            }
            with self._write() as cur:
                if self._store_exists(cur):
                    raise StatusStoreError(
                        "a status store already exists here; open it instead", code="store_exists"
                    )
                for statement in self._schema():
                    cur.execute(statement)
                for key, value in meta.items():
                    cur.execute(
                        self._sql("INSERT INTO meta (key, value) VALUES (?, ?)"), (key, value)
                    )
            if watermark_path is not None:
                write_watermark(watermark_path, Watermark(store_id))
        except BaseException:
            self.close()
            raise
        self._open()

    @staticmethod
    def _check_settings(*, base_url: object, capacity: int | None, max_lists: int | None) -> None:
        """Refuse settings a new store cannot have (``store_config``)."""
        if not isinstance(base_url, str) or not _URL.match(base_url):
            raise StatusStoreError(
                f"base_url must be an absolute http(s) URL without a trailing slash, query or "
                f"fragment: {base_url!r}",
                code="store_config",
            )
        if capacity is not None and not 1 <= capacity <= MIN_LIST_BITS:
            raise StatusStoreError(
                f"capacity must be between 1 and {MIN_LIST_BITS}", code="store_config"
            )
        if max_lists is not None and max_lists < 1:
            raise StatusStoreError("max_lists must be at least 1", code="store_config")

    def _open(self) -> None:
        """Read the settings and identity of an existing store and check it against its
        watermark; never creates anything. Closes the connection when it fails (the caller
        never gets the object to close it)."""
        try:
            with self._read() as cur:
                if not self._store_exists(cur):
                    raise self._missing()
                cur.execute(self._sql("SELECT key, value FROM meta"))
                meta = {key: value for key, value in cur.fetchall()}
            absent = [
                key
                for key in ("schema_version", "store_id", "base_url", "capacity", "suspension")
                if not meta.get(key)
            ] + [key for key in ("watermark", "last_valid_from") if key not in meta]
            if absent:
                raise StatusStoreError(
                    "the status store has lost its identity or settings "
                    f"({', '.join(absent)}); it may have been emptied",
                    code="store_damaged",
                )
            if meta.get("schema_version") != SCHEMA_VERSION:
                raise StatusStoreError(
                    f"status store schema version {meta.get('schema_version')!r} is not "
                    f"{SCHEMA_VERSION!r} (a store from vcbadge 0.1 has no identity or "
                    "watermark and cannot be opened by this version)",
                    code="store_config",
                )
            try:
                self._capacity = int(meta["capacity"])
                self._max_lists = int(meta["max_lists"]) if meta.get("max_lists") else None
            except ValueError as exc:
                raise StatusStoreError(
                    f"the status store's settings are damaged: {exc}", code="store_damaged"
                ) from exc
            self._store_id = meta["store_id"]
            self._base_url = meta["base_url"]
            self._purposes = _PURPOSES if meta["suspension"] == "1" else ("revocation",)
            self._watermark = self._watermark_path(meta["watermark"])
            # Absent in a store created before lists had an extension: its credentials name
            # extension-less URLs, so its lists stay there.
            self._list_extension = meta.get("list_extension", "")
            if self._list_extension not in ("", LIST_EXTENSION):
                raise StatusStoreError(
                    f"the status store's list extension {self._list_extension!r} is not one "
                    "this version publishes",
                    code="store_damaged",
                )
            if self._watermark is not None:
                # The watermark first, then the counters: a writer commits before it advances
                # the watermark, so counters read later are never behind a watermark read
                # earlier unless the store really was rolled back.
                watermark = read_watermark(self._watermark)
                with self._read() as cur:
                    counts = self._counts(cur)
                watermark.check(self._store_id, counts)
                # Left by a writer killed while replacing the watermark; harmless, so a
                # failure to remove them is not a reason to refuse the store.
                with contextlib.suppress(OSError):
                    remove_stale_temporaries(self._watermark.parent)
        except BaseException:
            self.close()
            raise

    def _missing(self) -> StatusStoreError:
        """The refusal for a connection that holds no status store."""
        return StatusStoreError(
            "there is no status store here (create one first)", code="store_missing"
        )

    def _counts(self, cur: Any) -> dict[int, int]:
        """Each list's number of allocated indexes: the store's own high-water marks."""
        cur.execute(self._sql("SELECT list_number, allocated FROM status_lists"))
        return {int(number): int(allocated) for number, allocated in cur.fetchall()}

    def _check_watermark(self, cur: Any) -> Watermark | None:
        """Inside the transaction ``cur``: refuse a store behind its watermark
        (``store_rolled_back``), another store's watermark (``store_mismatch``) or a missing
        one (``watermark_unavailable``)."""
        if self._watermark is None:
            return None
        watermark = read_watermark(self._watermark)
        watermark.check(self._store_id, self._counts(cur))
        return watermark

    def _advance_watermark(self) -> None:
        """Bring the watermark up to the store's counters. Runs in a write transaction of its
        own, after the allocation committed: writers, in whatever order they committed, write
        it in order, and a crash before it is written loses only an index nobody was given."""
        if self._watermark is None:
            return
        with self._write() as cur:
            self._check_watermark(cur)
            counts = self._counts(cur)
            valid_from = self._last_valid_from(cur)
            write_watermark(self._watermark, Watermark(self._store_id, counts, valid_from))

    def _last_valid_from(self, cur: Any) -> datetime | None:
        row = self._one(
            cur,
            "SELECT value FROM meta WHERE key = ?",
            "last_valid_from",
            StatusStoreError("the status store has lost its settings", code="store_damaged"),
        )
        return parse_datetime(row[0]) if row[0] else None

    @property
    def store_id(self) -> str:
        """The store's identity, random, fixed at creation (also in its watermark)."""
        return self._store_id

    @property
    def watermark_path(self) -> Path | None:
        """The watermark file this store is checked against (None: it has none)."""
        return self._watermark

    # -- configuration ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def purposes(self) -> tuple[str, ...]:
        """``("revocation",)`` or ``("revocation", "suspension")``."""
        return self._purposes

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def list_extension(self) -> str:
        """``.json`` (the extension of every list file and URL), or ``""`` for a store created
        before lists had one."""
        return self._list_extension

    def list_url(self, list_number: int, purpose: str) -> str:
        """Where list ``list_number`` for ``purpose`` is published (the URL credentials name
        in ``statusListCredential``)."""
        return f"{self._base_url}/{purpose}/{list_number}{self._list_extension}"

    # -- allocation ---------------------------------------------------------------------------

    def allocate(self, credential_id: str) -> Allocation:
        """Give ``credential_id`` the next (pseudorandom) index of the current list, opening a
        new list when it is full.

        Raises ``StatusStoreError``: ``credential_exists`` (already allocated), ``list_full``
        (``max_lists`` reached), ``invalid_credential_id``; ``store_rolled_back``,
        ``store_mismatch``, ``watermark_unavailable`` (the watermark check, before anything
        is allocated, and again before the index is returned: an index whose allocation
        committed but whose watermark could not be written is never handed out, nor reused).
        """
        _require_id(credential_id)
        now = format_datetime(self.clock.now())
        with self._write() as cur:
            # Before an index is handed out: is this store behind what it already gave out?
            self._check_watermark(cur)
            allocation = self._allocate_in(cur, credential_id, now)
        # The index is returned only once the watermark covers it.
        self._advance_watermark()
        return allocation

    def allocate_many(self, credential_ids: Sequence[str]) -> list[Allocation]:
        """Allocate an index to each of ``credential_ids``, in order, as :meth:`allocate` does,
        all in one write transaction followed by one watermark write: a range of positions
        per batch instead of a transaction and a watermark write per credential.

        All or nothing: when one id is refused (``credential_exists``, also for an id given
        twice; ``invalid_credential_id``; ``list_full``), nothing is allocated and the error
        names that id. The watermark is checked before and written before anything is
        returned, as for :meth:`allocate`.
        """
        seen: set[str] = set()
        for credential_id in credential_ids:
            _require_id(credential_id)
            if credential_id in seen:
                raise StatusStoreError(
                    f"{credential_id} is given twice in one allocation", code="credential_exists"
                )
            seen.add(credential_id)
        if not credential_ids:
            return []
        now = format_datetime(self.clock.now())
        with self._write() as cur:
            self._check_watermark(cur)
            self._require_unallocated(cur, credential_ids)
            allocations = self._allocate_range(cur, credential_ids, now)
        self._advance_watermark()
        return allocations

    def _require_unallocated(self, cur: Any, credential_ids: Sequence[str]) -> None:
        """Raise ``credential_exists`` naming the first of ``credential_ids`` (in their order)
        that already has a status entry: a few queries per batch, not one per id."""
        taken: set[str] = set()
        for start in range(0, len(credential_ids), _IDS_PER_QUERY):
            chunk = credential_ids[start : start + _IDS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            cur.execute(
                self._sql(
                    f"SELECT credential_id FROM credentials WHERE credential_id IN ({marks})"
                ),
                tuple(chunk),
            )
            taken.update(row[0] for row in cur.fetchall())
        for credential_id in credential_ids:
            if credential_id in taken:
                raise StatusStoreError(
                    f"{credential_id} already has a status entry", code="credential_exists"
                )

    def _allocate_range(
        self, cur: Any, credential_ids: Sequence[str], now: str
    ) -> list[Allocation]:
        """The next positions of the newest list (and of as many new lists as it takes) for
        ``credential_ids``, inside the write transaction ``cur``: one read of the newest
        list, one compare-and-set update per list it continues, one insert per list it opens
        and one batched insert of the credentials, whatever the batch size."""
        cur.execute(
            self._sql(
                "SELECT list_number, capacity, allocated, permutation_key FROM status_lists "
                "ORDER BY list_number DESC LIMIT 1"
            )
        )
        row = cur.fetchone()
        allocations: list[Allocation] = []
        if row is not None and row[2] < row[1]:
            number, capacity, first, key = row[0], row[1], row[2], bytes(row[3])
            taken = min(capacity - first, len(credential_ids))
            allocations += [
                Allocation(
                    credential_id=credential_id,
                    list_number=number,
                    index=permute(key, first + offset, capacity),
                )
                for offset, credential_id in enumerate(credential_ids[:taken])
            ]
            cur.execute(
                self._sql(
                    "UPDATE status_lists SET allocated = ? WHERE list_number = ? AND allocated = ?"
                ),
                (first + taken, number, first),
            )
            if cur.rowcount != 1:
                # The write lock makes this impossible; if it ever happens, fail rather than
                # risk handing out an index twice.
                raise StatusStoreError(
                    "concurrent allocation detected; nothing was allocated", code="conflict"
                )
        newest = 0 if row is None else row[0]
        while len(allocations) < len(credential_ids):
            newest += 1
            if self._max_lists is not None and newest > self._max_lists:
                raise StatusStoreError(
                    f"every status list is full ({self._max_lists} lists of {self._capacity})",
                    code="list_full",
                )
            key = os.urandom(32)
            batch = credential_ids[len(allocations) : len(allocations) + self._capacity]
            cur.execute(
                self._sql(
                    "INSERT INTO status_lists (list_number, capacity, allocated, "
                    "permutation_key, created_at) VALUES (?, ?, ?, ?, ?)"
                ),
                (newest, self._capacity, len(batch), key, now),
            )
            allocations += [
                Allocation(
                    credential_id=credential_id,
                    list_number=newest,
                    index=permute(key, position, self._capacity),
                )
                for position, credential_id in enumerate(batch)
            ]
        cur.executemany(
            self._sql(
                "INSERT INTO credentials (credential_id, list_number, status_index, "
                "allocated_at, revoked, suspended) VALUES (?, ?, ?, ?, 0, 0)"
            ),
            [(a.credential_id, a.list_number, a.index, now) for a in allocations],
        )
        return allocations

    def _allocate_in(self, cur: Any, credential_id: str, now: str) -> Allocation:
        """Allocate the next index to ``credential_id`` inside the write transaction ``cur``
        (the caller checked the watermark first and advances it after the commit)."""
        cur.execute(
            self._sql("SELECT 1 FROM credentials WHERE credential_id = ?"), (credential_id,)
        )
        if cur.fetchone() is not None:
            raise StatusStoreError(
                f"{credential_id} already has a status entry", code="credential_exists"
            )
        cur.execute(
            self._sql(
                "SELECT list_number, capacity, allocated, permutation_key FROM status_lists "
                "ORDER BY list_number DESC LIMIT 1"
            )
        )
        row = cur.fetchone()
        if row is None or row[2] >= row[1]:
            number = 1 if row is None else row[0] + 1
            if self._max_lists is not None and number > self._max_lists:
                raise StatusStoreError(
                    f"every status list is full ({self._max_lists} lists of {self._capacity})",
                    code="list_full",
                )
            key = os.urandom(32)
            cur.execute(
                self._sql(
                    "INSERT INTO status_lists (list_number, capacity, allocated, "
                    "permutation_key, created_at) VALUES (?, ?, 0, ?, ?)"
                ),
                (number, self._capacity, key, now),
            )
            capacity, position = self._capacity, 0
        else:
            number, capacity, position, key = row[0], row[1], row[2], bytes(row[3])
        index = permute(key, position, capacity)
        cur.execute(
            self._sql(
                "UPDATE status_lists SET allocated = allocated + 1 "
                "WHERE list_number = ? AND allocated = ?"
            ),
            (number, position),
        )
        if cur.rowcount != 1:
            # The write lock makes this impossible; if it ever happens, fail rather than
            # risk handing out an index twice.
            raise StatusStoreError(
                "concurrent allocation detected; nothing was allocated", code="conflict"
            )
        cur.execute(
            self._sql(
                "INSERT INTO credentials (credential_id, list_number, status_index, "
                "allocated_at, revoked, suspended) VALUES (?, ?, ?, ?, 0, 0)"
            ),
            (credential_id, number, index, now),
        )
        return Allocation(credential_id, number, index)

    def credential_status(self, credential_id: str) -> list[dict[str, Any]]:
        """Allocate an index for ``credential_id`` and return its ``credentialStatus`` entries:
        a ``BitstringStatusListEntry`` per purpose (revocation, and suspension if enabled)."""
        return self._entries(self.allocate(credential_id))

    def credential_status_many(self, credential_ids: Sequence[str]) -> list[list[dict[str, Any]]]:
        """:meth:`credential_status` for each of ``credential_ids``, allocated together
        (:meth:`allocate_many`: all or nothing, one transaction, one watermark write)."""
        return [self._entries(allocation) for allocation in self.allocate_many(credential_ids)]

    def _entries(self, allocation: Allocation) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        for purpose in self._purposes:
            url = self.list_url(allocation.list_number, purpose)
            entries.append(
                {
                    "id": f"{url}#{allocation.index}",
                    "type": "BitstringStatusListEntry",
                    "statusPurpose": purpose,
                    "statusListIndex": str(allocation.index),
                    "statusListCredential": url,
                }
            )
        return entries

    # -- status changes -----------------------------------------------------------------------

    def revoke(self, credential_id: str, *, actor: str, reason: str) -> bool:
        """Revoke (permanently). Returns False if it was already revoked (nothing recorded).

        Raises ``StatusStoreError`` (``unknown_credential``).
        """
        return self._change(credential_id, "revoke", actor=actor, reason=reason)

    def suspend(self, credential_id: str, *, actor: str, reason: str) -> bool:
        """Suspend; False if already suspended. Raises ``StatusStoreError``
        (``unknown_credential``, ``suspension_disabled``, ``revoked_permanently``)."""
        return self._change(credential_id, "suspend", actor=actor, reason=reason)

    def unsuspend(self, credential_id: str, *, actor: str, reason: str) -> bool:
        """Lift a suspension; False if it was not suspended."""
        return self._change(credential_id, "unsuspend", actor=actor, reason=reason)

    def _change(self, credential_id: str, action: Action, *, actor: str, reason: str) -> bool:
        if not isinstance(actor, str) or not actor.strip():
            raise StatusStoreError("say who makes the change (actor)", code="actor_required")
        if not isinstance(reason, str):
            raise StatusStoreError("reason must be a string", code="store_config")
        if action != "revoke" and "suspension" not in self._purposes:
            raise StatusStoreError(
                "this store was created without suspension lists", code="suspension_disabled"
            )
        now = format_datetime(self.clock.now())
        with self._write() as cur:
            # A rolled-back store must not take changes that its publication would then lose.
            self._check_watermark(cur)
            row = self._one(
                cur,
                "SELECT revoked, suspended FROM credentials WHERE credential_id = ?",
                credential_id,
                _unknown_credential(credential_id),
            )
            revoked, suspended = bool(row[0]), bool(row[1])
            if action == "revoke":
                if revoked:
                    return False
                update = "UPDATE credentials SET revoked = 1 WHERE credential_id = ?"
            else:
                if revoked:
                    raise StatusStoreError(
                        f"{credential_id} is revoked, which is permanent",
                        code="revoked_permanently",
                    )
                if suspended == (action == "suspend"):
                    return False
                value = 1 if action == "suspend" else 0
                update = f"UPDATE credentials SET suspended = {value} WHERE credential_id = ?"
            cur.execute(self._sql(update), (credential_id,))
            cur.execute(
                self._sql(
                    "INSERT INTO status_events (credential_id, action, actor, reason, at) "
                    "VALUES (?, ?, ?, ?, ?)"
                ),
                (credential_id, action, actor, reason, now),
            )
        return True

    # -- reading ------------------------------------------------------------------------------

    def record(self, credential_id: str) -> CredentialRecord:
        """The credential's index, status and history. Raises ``StatusStoreError``
        (``unknown_credential``)."""
        with self._read() as cur:
            row = self._one(
                cur,
                "SELECT list_number, status_index, allocated_at, revoked, suspended "
                "FROM credentials WHERE credential_id = ?",
                credential_id,
                _unknown_credential(credential_id),
            )
            cur.execute(
                self._sql(
                    "SELECT action, actor, reason, at FROM status_events "
                    "WHERE credential_id = ? ORDER BY event_id"
                ),
                (credential_id,),
            )
            events = tuple(
                StatusEvent(action, actor, reason, parse_datetime(at))
                for action, actor, reason, at in cur.fetchall()
            )
        return CredentialRecord(
            credential_id=credential_id,
            list_number=int(row[0]),
            index=int(row[1]),
            allocated_at=parse_datetime(row[2]),
            revoked=bool(row[3]),
            suspended=bool(row[4]),
            events=events,
        )

    def list_numbers(self) -> list[int]:
        """Every list opened so far, in order."""
        with self._read() as cur:
            cur.execute(self._sql("SELECT list_number FROM status_lists ORDER BY list_number"))
            return [int(row[0]) for row in cur.fetchall()]

    def snapshot(self, list_number: int) -> ListSnapshot:
        """List ``list_number`` as of one consistent read."""
        with self._read() as cur:
            row = self._one(
                cur,
                "SELECT capacity, allocated FROM status_lists WHERE list_number = ?",
                list_number,
                StatusStoreError(f"there is no list {list_number}", code="unknown_list"),
            )
            cur.execute(
                self._sql(
                    "SELECT status_index, revoked, suspended FROM credentials "
                    "WHERE list_number = ? AND (revoked = 1 OR suspended = 1)"
                ),
                (list_number,),
            )
            rows = cur.fetchall()
        return ListSnapshot(
            list_number=list_number,
            capacity=int(row[0]),
            allocated=int(row[1]),
            revoked=frozenset(int(r[0]) for r in rows if r[1]),
            suspended=frozenset(int(r[0]) for r in rows if r[2]),
        )

    def iter_records(self) -> Iterator[tuple[str, int, int, bool, bool]]:
        """``(credential_id, list, index, revoked, suspended)`` for every credential."""
        with self._read() as cur:
            cur.execute(
                self._sql(
                    "SELECT credential_id, list_number, status_index, revoked, suspended "
                    "FROM credentials ORDER BY list_number, status_index"
                )
            )
            rows = cur.fetchall()
        for credential_id, number, index, revoked, suspended in rows:
            yield str(credential_id), int(number), int(index), bool(revoked), bool(suspended)

    def reconcile_with_published(
        self, directory: str | PathLike[str], *, actor: str = "restore"
    ) -> list[tuple[str, str]]:
        """After restoring this store from a backup: record again every revocation and
        suspension the lists last published under ``directory`` carry and this store has
        forgotten, then take the watermark's last publication as this store's, so that it may
        publish again (until then publishing is refused, ``store_rolled_back``).

        Returns ``(credential_id, purpose)`` for each change recorded again. Fails closed:
        ``published_list_missing`` when one of this store's lists has no published file
        (the last publication wrote them all), ``published_list_stale`` when a file is older
        than that publication or is not this store's list (``directory`` is then not where
        the last publication went), each before anything is recorded. A store that is not
        behind its last publication has nothing to reconcile.
        """
        with self._write() as cur:  # the write lock: counters and watermark read as one
            watermark = self._check_watermark(cur)
            last = self._last_valid_from(cur)
        if watermark is None or watermark.valid_from is None:
            return []
        published_at = watermark.valid_from
        if last is not None and last >= published_at:
            return []  # not behind its last publication: nothing was forgotten
        lists: dict[tuple[int, str], Bitstring | None] = {}
        changes: list[tuple[str, str, int, int]] = []
        for credential_id, number, index, revoked, suspended in list(self.iter_records()):
            for purpose, recorded in (("revocation", revoked), ("suspension", suspended)):
                if recorded or purpose not in self._purposes:
                    continue
                if (number, purpose) not in lists:
                    lists[(number, purpose)] = self._published_list(
                        directory, number, purpose, published_at
                    )
                bits = lists[(number, purpose)]
                if bits is None:
                    # Every list of a copy older than the last publication was in it.
                    raise StatusStoreError(
                        f"no published {purpose} list {number} under {directory}: the last "
                        "publication wrote every list this store has",
                        code="published_list_missing",
                    )
                if bits.value(index):
                    changes.append((credential_id, purpose, number, index))
        recorded_again: list[tuple[str, str]] = []
        reason = "set in the last published list; forgotten by a restored copy of the store"
        for credential_id, purpose, _, _ in changes:
            change = self.revoke if purpose == "revocation" else self.suspend
            change(credential_id, actor=actor, reason=reason)
            recorded_again.append((credential_id, purpose))
        if last is None or last < published_at:
            with self._write() as cur:
                cur.execute(
                    self._sql("UPDATE meta SET value = ? WHERE key = ?"),
                    (format_datetime(published_at), "last_valid_from"),
                )
        return recorded_again

    def _published_list(
        self, directory: str | PathLike[str], number: int, purpose: str, published_at: datetime
    ) -> Bitstring | None:
        """The bits of list ``number`` of ``purpose`` as last published under ``directory``,
        or None when no file is there."""
        url = self.list_url(number, purpose)
        target = list_file(directory, self._base_url, url)
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StatusStoreError(
                f"cannot read the published list {target}: {exc}", code="published_list_missing"
            ) from exc
        try:
            document = json.loads(text)
            moment = parse_datetime(document["validFrom"])
            subject = document["credentialSubject"]
            ours = document.get("id") == url or subject.get("id", "").startswith(url)
            encoded = subject["encodedList"]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StatusStoreError(
                f"{target} is not a status list credential vcbadge published: {exc}",
                code="published_list_stale",
            ) from exc
        if not ours or moment < published_at:
            raise StatusStoreError(
                f"{target} is not the list {url} of the last publication "
                f"({format_datetime(published_at)}); give the directory it was published to",
                code="published_list_stale",
            )
        try:
            return decode_status_list(encoded)
        except VcbadgeError as exc:
            raise StatusStoreError(
                f"{target}: its encodedList cannot be read: {exc.message}",
                code="published_list_stale",
            ) from exc

    # -- publishing ---------------------------------------------------------------------------

    def reserve_valid_from(
        self, proposed: datetime, *, not_before: datetime | None = None
    ) -> datetime:
        """The ``validFrom`` of a new publication: ``proposed`` (whole seconds), or one second
        after the latest earlier publication (and after ``not_before``) when the clock went
        back, so that every list's ``validFrom`` only ever increases. Recorded in the store
        and its watermark. Raises ``StatusStoreError`` as the watermark check does."""
        proposed = proposed.replace(microsecond=0)
        with self._write() as cur:
            previous = self._check_watermark(cur)
            if previous is not None:
                previous.check_publication(self._last_valid_from(cur))
            floors = [self._last_valid_from(cur), not_before]
            if previous is not None:
                floors.append(previous.valid_from)
            floor = max((moment for moment in floors if moment is not None), default=None)
            chosen = proposed if floor is None or proposed > floor else floor + timedelta(seconds=1)
            chosen = chosen.replace(microsecond=0)
            cur.execute(
                self._sql("UPDATE meta SET value = ? WHERE key = ?"),
                (format_datetime(chosen), "last_valid_from"),
            )
        # After the commit, as for allocations: a watermark ahead of the committed store would
        # make it look restored from a backup.
        self._advance_watermark()
        return chosen

    def publish(
        self,
        issuer: Any,
        *,
        directory: str | None = None,
        at: datetime | None = None,
        valid_for: timedelta | None = None,
        ttl: timedelta | None = None,
    ) -> dict[str, dict[str, Any]]:
        """Sign a status list credential for every list and purpose with ``issuer`` (a
        ``vcbadge.Issuer``); see ``vcbadge.store.publish.publish_lists``."""
        return publish_lists(self, issuer, directory=directory, at=at, valid_for=valid_for, ttl=ttl)

    def __enter__(self) -> SqlStatusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _require_id(credential_id: object) -> None:
    if (
        not isinstance(credential_id, str)
        or ":" not in credential_id
        or len(credential_id) > 2048
        or any(ch.isspace() for ch in credential_id)
    ):
        raise StatusStoreError(
            f"a credential id must be an absolute URI, not {credential_id!r}",
            code="invalid_credential_id",
        )


def _unknown_credential(credential_id: str) -> StatusStoreError:
    return StatusStoreError(
        f"{credential_id} has no status entry in this store", code="unknown_credential"
    )
