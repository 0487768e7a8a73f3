"""The API store under concurrency and failure: two first writes of one profile or one
credential at once both succeed (no IntegrityError, no 500); what the database refuses is an
``ApiStoreError`` with a stable code and no password in its message; a version 2 store is
migrated to version 3."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from api_world import PASSWORD, USER, Flow
from sqlalchemy import inspect, text
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from vcbadge import Verifier
from vcbadge.api import SCOPES, ApiStore, create_api
from vcbadge.api.store import SCHEMA_VERSION, ApiStoreError, masked_location

ROUNDS = 50


@pytest.fixture
def second_store(store_location: str) -> Iterator[ApiStore]:
    """Another ApiStore on the same database: another process's engine and connections."""
    other = ApiStore.open(store_location)
    yield other
    other.close()


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run ``calls`` in threads released together; their results, or the exception raised."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        start.wait()
        try:
            results[index] = call()
        except Exception as error:  # reported to the test, which asserts there was none
            results[index] = error

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def profile(name: str) -> str:
    return json.dumps({"id": "did:example:ada", "type": "Profile", "name": name})


# Concurrent first writes


def test_two_first_profiles_at_once_both_succeed(store: ApiStore, second_store: ApiStore) -> None:
    for number in range(ROUNDS):
        user = f"learner {number}"
        results = at_once(
            lambda user=user: store.put_profile(user, profile("one")),  # type: ignore[misc]
            lambda user=user: second_store.put_profile(user, profile("two")),  # type: ignore[misc]
        )
        assert results == [None, None]
        assert store.profile(user) in (profile("one"), profile("two"))


def test_two_first_upserts_of_one_credential_at_once(
    store: ApiStore, second_store: ApiStore
) -> None:
    for number in range(ROUNDS):

        def upsert(into: ApiStore, number: int = number) -> bool:
            return into.upsert_credential(
                user_id="ada", issuer_id="did:example:issuer",
                credential_id=f"urn:uuid:{number}", valid_from="2026-01-01T00:00:00+00:00",
                body="{}", jws=False,
            )  # fmt: skip

        results = at_once(lambda: upsert(store), lambda: upsert(second_store))
        assert sorted(results) == [False, True]  # type: ignore[type-var]
    assert store.credentials("ada", limit=100, offset=0, since=None)[0] == ROUNDS


def test_two_first_profiles_over_http_at_once(
    serve: Callable[..., TestClient], second_store: ApiStore
) -> None:
    """The same race through PUT /profile on two apps (two stores): 200 each, never 500."""
    first = serve()
    flow = Flow(first, scope=" ".join(SCOPES))
    assert flow.register().status_code == 201
    access = flow.tokens()["access_token"]
    other_app = create_api(
        second_store, verifier=Verifier.offline(), base_url=flow.base,
        privacy_policy_url="https://testserver/privacy", users={USER: PASSWORD},
    )  # fmt: skip
    with TestClient(
        Starlette(routes=[Mount("/ims/ob/v3p0", other_app)]), base_url="https://testserver"
    ) as second:
        headers = {"Authorization": f"Bearer {access}", "Content-Type": "application/json"}
        url = f"{flow.base}/profile"
        responses = at_once(
            lambda: first.put(url, content=profile("one"), headers=headers),
            lambda: second.put(url, content=profile("two"), headers=headers),
        )
    assert [response.status_code for response in responses] == [200, 200]  # type: ignore[attr-defined]


# Typed errors


def test_an_unreachable_database_is_store_unavailable_without_its_password() -> None:
    with pytest.raises(ApiStoreError) as refused:
        ApiStore.open("postgresql://vcbadge:hunter2-secret@127.0.0.1:1/badges")
    assert refused.value.code == "store_unavailable"
    assert "hunter2" not in str(refused.value)
    assert "postgresql://vcbadge:***@127.0.0.1:1/badges" in str(refused.value)


@pytest.mark.parametrize(
    "location",
    [
        "nosuchdatabase://somewhere/db",  # no such SQLAlchemy dialect
        "postgresql://vcbadge:hunter2-secret@db.internal:notaport/badges",  # a bad port
    ],
)
def test_an_unusable_url_is_store_unavailable_without_its_password(location: str) -> None:
    with pytest.raises(ApiStoreError) as refused:
        ApiStore.open(location)
    assert refused.value.code == "store_unavailable"
    assert "hunter2" not in str(refused.value)


def test_a_sqlite_file_that_cannot_be_made_is_store_unavailable(tmp_path: Path) -> None:
    missing = tmp_path / "no such folder" / "api.db"
    with pytest.raises(ApiStoreError) as refused:
        ApiStore.open(missing)
    assert refused.value.code == "store_unavailable"
    assert str(missing) in str(refused.value)


def test_a_failing_operation_is_store_unavailable(store_location: str) -> None:
    broken = ApiStore.open(store_location)
    try:
        with broken.engine.begin() as connection:  # the tables vanish under a running app
            connection.execute(text("DROP TABLE vcbadge_api_profiles"))
        with pytest.raises(ApiStoreError) as refused:
            broken.profile("ada")
        assert refused.value.code == "store_unavailable"
        with pytest.raises(ApiStoreError):
            broken.put_profile("ada", profile("Ada"))
    finally:
        broken.close()


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("postgresql://vcbadge:s3cret@db/badges", "postgresql://vcbadge:***@db/badges"),
        ("postgresql://vcbadge:p@ss@db:5432/badges", "postgresql://vcbadge:***@db:5432/badges"),
        ("postgresql://vcbadge@db/badges", "postgresql://vcbadge@db/badges"),
        ("/var/lib/vcbadge/api.db", "/var/lib/vcbadge/api.db"),
        ("cannot reach postgresql://a:b@h/d now", "cannot reach postgresql://a:***@h/d now"),
    ],
)
def test_masked_location(given: str, shown: str) -> None:
    assert masked_location(given) == shown


# Migration


def test_a_version_2_store_is_migrated(store_location: str) -> None:
    """A store made before token families (schema 2) gains the family head's column and the
    indexes the purge selects on; its tokens are revoked by family afterwards."""
    store = ApiStore.open(store_location)
    with store.engine.begin() as connection:  # back to what version 2 made
        connection.execute(text("ALTER TABLE vcbadge_api_codes DROP COLUMN family_revoked"))
        for table, column in (("vcbadge_api_codes", "expires_at"),
                              ("vcbadge_api_tokens", "issued_at"),
                              ("vcbadge_api_logins", "expires_at")):  # fmt: skip
            connection.execute(text(f"DROP INDEX ix_{table}_{column}"))
        connection.execute(text("DELETE FROM vcbadge_api_schema"))
        connection.execute(text("INSERT INTO vcbadge_api_schema (version) VALUES (2)"))
    store.close()

    migrated = ApiStore.open(store_location)
    try:
        assert migrated.schema_version() == SCHEMA_VERSION == 3
        inspector = inspect(migrated.engine)
        columns = {column["name"] for column in inspector.get_columns("vcbadge_api_codes")}
        assert "family_revoked" in columns
        indexed = {
            (table, tuple(index["column_names"]))
            for table in ("vcbadge_api_codes", "vcbadge_api_tokens", "vcbadge_api_logins")
            for index in inspector.get_indexes(table)
        }
        assert {("vcbadge_api_codes", ("expires_at",)), ("vcbadge_api_tokens", ("issued_at",)),
                ("vcbadge_api_logins", ("expires_at",))} <= indexed  # fmt: skip
    finally:
        migrated.close()


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/profile"), ("PUT", "/profile"), ("GET", "/credentials"),
     ("POST", "/oauth/token"), ("GET", "/discovery")],
)  # fmt: skip
def test_a_failing_store_is_answered_503_with_retry_after(
    flow: Flow, store: ApiStore, method: str, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A request that meets a store failure gets a transient Imsx_StatusInfo refusal, never
    a 500 or the driver's words; the discovery document needs no store."""
    flow.scope = " ".join(SCOPES)
    tokens = flow.tokens()
    with store.engine.begin() as connection:
        for table in ("vcbadge_api_tokens", "vcbadge_api_profiles"):
            connection.execute(text(f"DROP TABLE {table}"))
    if path == "/oauth/token":
        response = flow.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    else:
        response = flow.http.request(
            method, f"{flow.base}{path}", content=profile("Ada"),
            headers={"Authorization": f"Bearer {tokens['access_token']}",
                     "Content-Type": "application/json"},
        )  # fmt: skip
    if path == "/discovery":
        assert response.status_code == 200
        return
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "30"
    field = response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]
    assert field["imsx_codeMinorFieldValue"] == "server_busy"
    assert "vcbadge_api" not in response.text
    assert "store_unavailable" in caplog.text
