"""The watermark: a file outside the database that remembers how far a store has got.

A status store must never hand out an index twice, but a database restored from an older
backup has forgotten the indexes given out since. The watermark file records, for the store
with identity ``storeId``, each list's count of allocated indexes and the ``validFrom`` of the
last publication. The store rewrites it after every allocation and publication (while holding
its write lock, so writes are ordered) and compares it with its own counters when it is opened,
before every allocation and before every publication: a store behind its watermark is a
restored or rolled-back copy and is refused (``store_rolled_back``) before an index is reused.

The file only helps if it is not rolled back with the database: keep it out of the database's
backups, or restore only the database (docs/how-to/back-up-and-restore-the-status-store.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vcbadge._time import format_datetime, parse_datetime
from vcbadge.atomic_files import replace_durably
from vcbadge.errors import StatusStoreError

__all__ = ["Watermark", "read_watermark", "write_watermark"]

_FORMAT = "vcbadge-status-watermark/1"


@dataclass(frozen=True)
class Watermark:
    """Store ``store_id`` had allocated ``lists[n]`` indexes of list ``n`` and last published
    with ``valid_from``."""

    store_id: str
    lists: Mapping[int, int] = field(default_factory=dict)
    valid_from: datetime | None = None

    def check(self, store_id: str, lists: Mapping[int, int]) -> None:
        """Raise ``StatusStoreError`` unless a store ``store_id`` with these per-list counts is
        at or ahead of this watermark: ``store_mismatch`` (another store's watermark),
        ``store_rolled_back`` (a list missing or with fewer allocations)."""
        if store_id != self.store_id:
            raise StatusStoreError(
                f"the watermark belongs to status store {self.store_id}, not to this store "
                f"({store_id})",
                code="store_mismatch",
            )
        behind = [
            f"list {number}: {lists.get(number, 0)} allocated, the watermark says {allocated}"
            for number, allocated in sorted(self.lists.items())
            if lists.get(number, 0) < allocated
        ]
        if behind:
            raise StatusStoreError(
                "the status store is behind its watermark (restored from an older backup?); "
                "refusing to reuse indexes already given out: " + "; ".join(behind),
                code="store_rolled_back",
            )

    def check_publication(self, valid_from: datetime | None) -> None:
        """Raise ``StatusStoreError`` (``store_rolled_back``) when a store whose last
        publication is ``valid_from`` is about to publish behind this watermark's: a copy from
        before that publication may have forgotten revocations and suspensions it published,
        and publishing it would undo them. ``reconcile_with_published`` records them again."""
        if self.valid_from is not None and (valid_from is None or valid_from < self.valid_from):
            last = "never" if valid_from is None else format_datetime(valid_from)
            raise StatusStoreError(
                "the status store is behind its watermark (restored from an older backup?): "
                f"its last publication is {last}, the watermark's "
                f"{format_datetime(self.valid_from)}; it may have forgotten revocations or "
                "suspensions published since, and publishing it would undo them: reconcile it "
                "with the lists last published first",
                code="store_rolled_back",
            )

    def to_json(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "storeId": self.store_id,
            "lists": {str(number): allocated for number, allocated in sorted(self.lists.items())},
            "validFrom": None if self.valid_from is None else format_datetime(self.valid_from),
        }


def read_watermark(path: Path) -> Watermark:
    """The watermark at ``path``. Raises ``StatusStoreError`` (``watermark_unavailable``) when
    it is missing, unreadable or malformed: without it a rollback cannot be ruled out."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise StatusStoreError(
            f"{path}: cannot read the status store's watermark: {exc}",
            code="watermark_unavailable",
        ) from exc
    try:
        if document["format"] != _FORMAT or not isinstance(document["storeId"], str):
            raise ValueError("not a vcbadge status watermark")
        lists = {int(number): int(count) for number, count in document["lists"].items()}
        if any(number < 1 or count < 0 for number, count in lists.items()):
            raise ValueError("list numbers and counts out of range")
        valid_from = document["validFrom"]
        return Watermark(
            store_id=document["storeId"],
            lists=lists,
            valid_from=None if valid_from is None else parse_datetime(valid_from),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise StatusStoreError(
            f"{path}: the status store's watermark is malformed: {exc}",
            code="watermark_unavailable",
        ) from exc


def write_watermark(path: Path, watermark: Watermark) -> None:
    """Replace the watermark at ``path`` atomically and durably. Raises ``StatusStoreError``
    (``watermark_unavailable``)."""
    try:
        replace_durably(path, json.dumps(watermark.to_json(), indent=2) + "\n", mode=0o600)
    except OSError as exc:
        raise StatusStoreError(
            f"{path}: cannot write the status store's watermark: {exc.strerror or exc}",
            code="watermark_unavailable",
        ) from exc
