"""Fixtures for the status store tests: one SQLite file, or one PostgreSQL schema, per test.

PostgreSQL tests need a real server: ``VCBADGE_TEST_POSTGRES_DSN`` (``.ci/run`` starts one
with ``.ci/start-postgres.sh`` and exports it). Without it, or when it is unreachable, they are
skipped with the reason, never passed.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_workers import create_store, open_store

DSN_VARIABLE = "VCBADGE_TEST_POSTGRES_DSN"
BASE = "https://badges.example.edu/status"


def _postgres_dsn() -> str:
    dsn = os.environ.get(DSN_VARIABLE)
    if not dsn:
        pytest.skip(
            f"no PostgreSQL server: set {DSN_VARIABLE} (.ci/start-postgres.sh starts one and "
            "prints it)"
        )
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL at {DSN_VARIABLE} is not reachable: {exc}")
    return dsn


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Where a store lives: ``{"kind": "sqlite", "path": ...}`` or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield {"kind": "sqlite", "path": str(tmp_path / "status.db")}
        return
    dsn = _postgres_dsn()
    schema = f"test_{uuid.uuid4().hex[:16]}"
    yield {"kind": "postgres", "dsn": dsn, "schema": schema}
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """Stores opened by a test, closed at teardown."""
    stores: list[Any] = []
    yield stores
    for store in stores:
        store.close()


@pytest.fixture
def make_store(location: dict[str, Any], opened: list[Any]) -> Callable[..., Any]:
    """Create the store at ``location`` (``base_url`` defaults to ``BASE``) and open it."""

    def make(**settings: Any) -> Any:
        store = create_store(location, **settings)
        opened.append(store)
        return store

    return make


@pytest.fixture
def reopen(location: dict[str, Any], opened: list[Any]) -> Callable[..., Any]:
    """Open the existing store at ``location`` again."""

    def make(**options: Any) -> Any:
        store = open_store(location, **options)
        opened.append(store)
        return store

    return make
