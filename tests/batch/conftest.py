"""Fixtures for the batch tests: a key file, an issuer profile, and a real pool of two worker
processes (started with ``spawn``: a fresh interpreter per worker, as on macOS and Windows, and
no fork of a threaded test process)."""

from __future__ import annotations

import multiprocessing
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch_fixtures import BASE

from vcbadge import Profile
from vcbadge.keys import Ed25519Key, save_key


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor


@pytest.fixture
def key() -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([7]) * 32)


@pytest.fixture
def key_file(key: Ed25519Key, tmp_path: Path) -> Path:
    path = tmp_path / "issuer-key.json"
    save_key(key, path)
    return path


@pytest.fixture
def profile(key: Ed25519Key) -> Profile:
    return Profile(id=key.did, name="Example U")


DSN_VARIABLE = "VCBADGE_TEST_POSTGRES_DSN"


def postgres_dsn() -> str:
    """The test server's DSN, or a skip that says why there is none."""
    dsn = os.environ.get(DSN_VARIABLE)
    if not dsn:
        pytest.skip(f"no PostgreSQL server: set {DSN_VARIABLE} (.ci/start-postgres.sh starts one)")
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed: pip install -e '.[postgres]'")
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL at {DSN_VARIABLE} is not reachable: {exc}")
    return dsn


@pytest.fixture
def postgres_store() -> Iterator[Callable[..., Any]]:
    """Make a PostgreSQL status store in a schema of its own, dropped at teardown."""
    dsn = postgres_dsn()
    from vcbadge.store import PostgresStatusStore

    schemas: list[str] = []
    stores: list[Any] = []

    def make(**settings: Any) -> Any:
        schema = f"test_batch_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        store = PostgresStatusStore.create(dsn, schema=schema, **settings)
        stores.append(store)
        return store

    yield make
    for store in stores:
        store.close()
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as connection:
        for schema in schemas:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.slow)])
def status_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """A new status store on a SQLite file or on PostgreSQL, of capacity 50 (a batch of 120
    spans three lists)."""
    if request.param == "sqlite":
        from vcbadge.store import SQLiteStatusStore

        with SQLiteStatusStore.create(tmp_path / "status.db", base_url=BASE, capacity=50) as store:
            yield store
        return
    make = request.getfixturevalue("postgres_store")
    yield make(base_url=BASE, capacity=50)
