"""The ``StatusStore`` protocol and the records it returns.

A status store is the issuer's durable memory of credential status: which list position each
credential has, and whether it is revoked or suspended (with who, when and why). Every
implementation guarantees, across processes and crashes:

- an index is handed out at most once (never reused, even after a crash or a revocation);
- an operation is recorded whole or not at all (allocation with its credential row; a status
  change with its event), so a revocation that returned is never lost;
- a store is only created on purpose, and a missing, damaged or rolled-back store (an older
  backup put back, detected with its watermark) is refused before an index could be reused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

__all__ = [
    "Action",
    "Allocation",
    "CredentialRecord",
    "ListSnapshot",
    "StatusEvent",
    "StatusStore",
]

Action = Literal["revoke", "suspend", "unsuspend"]


@dataclass(frozen=True)
class Allocation:
    """Where a credential's status lives: entry ``index`` of list number ``list_number``."""

    credential_id: str
    list_number: int
    index: int


@dataclass(frozen=True)
class StatusEvent:
    """One status change: ``action`` by ``actor`` at ``at`` because ``reason``."""

    action: Action
    actor: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class CredentialRecord:
    """What the store knows about one credential."""

    credential_id: str
    list_number: int
    index: int
    allocated_at: datetime
    revoked: bool
    suspended: bool
    events: tuple[StatusEvent, ...] = field(default=())


@dataclass(frozen=True)
class ListSnapshot:
    """One list read in one transaction: its size and the indexes set for each purpose."""

    list_number: int
    capacity: int
    allocated: int
    revoked: frozenset[int]
    suspended: frozenset[int]


@runtime_checkable
class StatusStore(Protocol):
    """Issuer-side status lists behind one interface (SQLite, PostgreSQL)."""

    @property
    def base_url(self) -> str: ...

    @property
    def purposes(self) -> tuple[str, ...]: ...

    def list_url(self, list_number: int, purpose: str) -> str: ...

    def allocate(self, credential_id: str) -> Allocation: ...

    def allocate_many(self, credential_ids: Sequence[str]) -> list[Allocation]: ...

    def credential_status(self, credential_id: str) -> list[dict[str, Any]]: ...

    def credential_status_many(
        self, credential_ids: Sequence[str]
    ) -> list[list[dict[str, Any]]]: ...

    def revoke(self, credential_id: str, *, actor: str, reason: str) -> bool: ...

    def suspend(self, credential_id: str, *, actor: str, reason: str) -> bool: ...

    def unsuspend(self, credential_id: str, *, actor: str, reason: str) -> bool: ...

    def record(self, credential_id: str) -> CredentialRecord: ...

    def list_numbers(self) -> Sequence[int]: ...

    def snapshot(self, list_number: int) -> ListSnapshot: ...

    def reserve_valid_from(
        self, proposed: datetime, *, not_before: datetime | None = None
    ) -> datetime: ...

    def publish(
        self,
        issuer: Any,
        *,
        directory: str | None = None,
        at: datetime | None = None,
    ) -> dict[str, dict[str, Any]]: ...

    def close(self) -> None: ...
