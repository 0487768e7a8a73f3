"""Worker processes for the concurrency and crash tests (importable by spawned children).

Each worker opens its own store connection and acknowledges an operation on its own file only
after the store returned: a line there is a promise that the change is durable.
"""

from __future__ import annotations

import os
import random
import time
from typing import Any

from vcbadge.store import PostgresStatusStore, SQLiteStatusStore
from vcbadge.store._sql import SqlStatusStore

BASE = "https://badges.example.edu/status"


def create_store(location: dict[str, Any], **settings: Any) -> SqlStatusStore:
    """Create the store at ``location`` (see tests/store/conftest.py) and open it."""
    settings.setdefault("base_url", BASE)
    if location["kind"] == "sqlite":
        return SQLiteStatusStore.create(location["path"], **settings)
    return PostgresStatusStore.create(location["dsn"], schema=location["schema"], **settings)


def open_store(location: dict[str, Any], **options: Any) -> SqlStatusStore:
    """Open the existing store at ``location`` (``options``: ``clock``)."""
    if location["kind"] == "sqlite":
        return SQLiteStatusStore(location["path"], **options)
    return PostgresStatusStore(location["dsn"], schema=location["schema"], **options)


def _acknowledge(handle: Any, line: str) -> None:
    handle.write(line + "\n")
    handle.flush()
    os.fsync(handle.fileno())


def allocate_and_revoke(
    location: dict[str, Any], worker: int, count: int, ack_path: str, options: dict[str, Any]
) -> None:
    """Allocate ``count`` credentials, revoking every third one right away."""
    store = open_store(location, **options)
    rng = random.Random(worker)
    with open(ack_path, "a", encoding="utf-8") as acks:
        for number in range(count):
            credential_id = f"urn:test:{worker}:{number}"
            allocation = store.allocate(credential_id)
            _acknowledge(
                acks, f"allocated {credential_id} {allocation.list_number} {allocation.index}"
            )
            if rng.random() < 1 / 3:
                store.revoke(credential_id, actor=f"worker-{worker}", reason="test")
                _acknowledge(acks, f"revoked {credential_id}")
    store.close()


def run_until_killed(location: dict[str, Any], worker: int, ack_path: str, options: Any) -> None:
    """Allocate and revoke forever (the crash test kills this process with SIGKILL)."""
    store = open_store(location, **options)
    rng = random.Random(worker * 7919 + int(time.time()))
    number = 0
    with open(ack_path, "a", encoding="utf-8") as acks:
        while True:
            credential_id = f"urn:crash:{worker}:{number}"
            number += 1
            allocation = store.allocate(credential_id)
            _acknowledge(
                acks, f"allocated {credential_id} {allocation.list_number} {allocation.index}"
            )
            if rng.random() < 0.5:
                store.revoke(credential_id, actor=f"worker-{worker}", reason="crash test")
                _acknowledge(acks, f"revoked {credential_id}")
