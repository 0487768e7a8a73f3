"""Several real processes allocate and revoke against one store: no index is handed out twice,
no acknowledged change is lost; writers killed with SIGKILL leave the store consistent."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from store_workers import allocate_and_revoke, open_store, run_until_killed

pytestmark = pytest.mark.slow  # spawns processes and kills them: concurrency

# spawn: a fresh interpreter per worker (no fork of a threaded pytest process).
SPAWN = multiprocessing.get_context("spawn")


def _acknowledged(directory: Path) -> tuple[dict[str, tuple[int, int]], set[str]]:
    allocated: dict[str, tuple[int, int]] = {}
    revoked: set[str] = set()
    for path in directory.glob("acks-*.txt"):
        # Only complete lines count: one cut by SIGKILL mid-write promises nothing.
        complete = path.read_text(encoding="utf-8").split("\n")[:-1]
        for line in complete:
            parts = line.split()
            if parts[0] == "allocated" and len(parts) == 4:
                allocated[parts[1]] = (int(parts[2]), int(parts[3]))
            elif parts[0] == "revoked" and len(parts) == 2:
                revoked.add(parts[1])
    return allocated, revoked


def assert_consistent(store: Any, allocated: dict[str, tuple[int, int]], revoked: set[str]) -> int:
    """Every acknowledged allocation and revocation is in the store; no index twice; every list's
    counter equals its rows; every revocation has its event. Returns the number of rows."""
    records = list(store.iter_records())
    positions = Counter((number, index) for _, number, index, _, _ in records)
    duplicates = [position for position, count in positions.items() if count > 1]
    assert not duplicates, f"indexes handed out twice: {duplicates[:5]}"
    by_id = {
        credential_id: (number, index, rev) for credential_id, number, index, rev, _ in records
    }
    for credential_id, position in allocated.items():
        assert credential_id in by_id, f"acknowledged allocation lost: {credential_id}"
        assert by_id[credential_id][:2] == position
    for credential_id in revoked:
        assert by_id[credential_id][2], f"acknowledged revocation lost: {credential_id}"
    per_list = Counter(number for _, number, _, _, _ in records)
    for number in store.list_numbers():
        snapshot = store.snapshot(number)
        assert snapshot.allocated == per_list[number], f"list {number}: counter != rows"
        assert snapshot.allocated <= snapshot.capacity
        indexes = {index for _, n, index, _, _ in records if n == number}
        assert all(0 <= index < snapshot.capacity for index in indexes)
        assert snapshot.revoked == {i for _, n, i, rev, _ in records if n == number and rev}
    for credential_id, (_, _, is_revoked) in by_id.items():
        events = [e.action for e in store.record(credential_id).events]
        assert events == (["revoke"] if is_revoked else []), (credential_id, events)
    return len(records)


def test_processes_allocate_and_revoke_without_duplicates_or_lost_updates(
    location: dict[str, Any], make_store: Any, reopen: Any, tmp_path: Path
) -> None:
    options = {"capacity": 37}  # small lists: the workers race to open new ones too
    make_store(**options)  # created once, before the workers start
    workers, count = 4, 60
    processes = [
        SPAWN.Process(
            target=allocate_and_revoke,
            args=(location, worker, count, str(tmp_path / f"acks-{worker}.txt"), {}),
        )
        for worker in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=240)
        assert process.exitcode == 0, f"worker failed with exit code {process.exitcode}"
    allocated, revoked = _acknowledged(tmp_path)
    assert len(allocated) == workers * count
    assert revoked
    store = reopen()
    assert assert_consistent(store, allocated, revoked) == workers * count
    assert len(store.list_numbers()) == -(-workers * count // 37)


def test_writers_killed_at_random_points_leave_the_store_consistent(
    location: dict[str, Any], make_store: Any, reopen: Any, tmp_path: Path
) -> None:
    options = {"capacity": 50}
    make_store(**options)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    kills = 0
    for round_number in range(4):
        processes = [
            SPAWN.Process(
                target=run_until_killed,
                args=(
                    location,
                    10 * round_number + w,
                    str(tmp_path / f"acks-{round_number}-{w}.txt"),
                    {},
                ),
            )
            for w in range(3)
        ]
        for process in processes:
            process.start()
        # Spawned interpreters import vcbadge first: wait until every writer is writing.
        paths = [tmp_path / f"acks-{round_number}-{w}.txt" for w in range(3)]
        deadline = time.monotonic() + 120
        while not all(p.exists() and p.stat().st_size for p in paths):
            assert time.monotonic() < deadline, "the writers did not start"
            assert all(process.is_alive() for process in processes), "a writer died"
            time.sleep(0.05)
        for process in processes:
            time.sleep(rng.uniform(0.0, 0.5))
            assert process.pid is not None
            os.kill(process.pid, signal.SIGKILL)
            process.join(timeout=30)
            assert process.exitcode == -signal.SIGKILL, "the writer was not killed mid-run"
            kills += 1
    allocated, revoked = _acknowledged(tmp_path)
    assert kills == 12
    assert len(allocated) > 0, "the writers never got to write before being killed"
    store = reopen()
    rows = assert_consistent(store, allocated, revoked)
    # Committed but not yet acknowledged when killed: at most one operation per kill.
    assert len(allocated) <= rows <= len(allocated) + kills
    if location["kind"] == "sqlite":
        import sqlite3

        with sqlite3.connect(location["path"]) as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The store still works after the crashes.
    fresh = open_store(location)
    fresh.allocate("urn:after:crash")
    fresh.close()
