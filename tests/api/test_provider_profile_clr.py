"""The Open Badges API provider: GET and PUT /profile, the CLR 2.0 API (one implementation
with its own paths and scopes), and the store's migration to the tables they need."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from api_world import BASE, Credentials, Flow
from sqlalchemy import text
from starlette.testclient import TestClient

from vcbadge.api import SCOPES, ApiStore
from vcbadge.api.app import MAX_PROFILE_BYTES
from vcbadge.api.oauth import CLR20, OB30
from vcbadge.api.store import SCHEMA_VERSION, ApiStoreError

CLR_BASE = f"https://testserver{CLR20.path}"
PROFILE = {"id": "did:example:ada", "type": ["Profile"], "name": "Ada Lovelace"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def minor_code(response: Any) -> str:
    field = response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]
    return str(field["imsx_codeMinorFieldValue"])


def access_token(http: TestClient, *scopes: str, base: str = BASE) -> str:
    registered = " ".join(CLR20.scopes if base == CLR_BASE else SCOPES)
    flow = Flow(http, base=base, scope=" ".join(scopes), registered_scope=registered)
    assert flow.register().status_code == 201
    return str(flow.tokens()["access_token"])


def clr_api(serve: Callable[..., TestClient]) -> TestClient:
    return serve(path=CLR20.path, standard=CLR20)


def test_profile_get_put(http: TestClient) -> None:
    access = access_token(http, *SCOPES)
    missing = http.get(f"{BASE}/profile", headers=bearer(access))
    assert missing.status_code == 404
    assert minor_code(missing) == "not_found"

    stored = http.put(f"{BASE}/profile", json=PROFILE, headers=bearer(access))
    assert stored.status_code == 200, stored.text
    assert stored.json() == PROFILE
    assert http.get(f"{BASE}/profile", headers=bearer(access)).json() == PROFILE

    renamed = {**PROFILE, "type": "Profile", "name": "Ada King"}
    assert http.put(f"{BASE}/profile", json=renamed, headers=bearer(access)).status_code == 200
    fetched = http.get(f"{BASE}/profile", headers=bearer(access))
    assert fetched.status_code == 200
    assert fetched.headers["content-type"].startswith("application/json")
    assert fetched.json() == renamed


@pytest.mark.parametrize(
    "body",
    [
        [PROFILE],
        {"type": ["Profile"], "name": "no id"},
        {"id": "", "type": ["Profile"]},
        {"id": 7, "type": ["Profile"]},
        {"id": "did:example:ada"},
        {"id": "did:example:ada", "type": ["Person"]},
        {"id": "did:example:ada", "type": "Achievement"},
        "{not json",
        '{"id": "did:example:ada", "type": ["Profile"], "id": "did:example:eve"}',
        b'{"id": "did:example:ada", "type": ["Profile"], "name": "\xff"}',
    ],
    ids=[
        "array",
        "no-id",
        "empty-id",
        "number-id",
        "no-type",
        "other-type",
        "type-string",
        "not-json",
        "duplicate-member",
        "not-utf-8",
    ],
)
def test_put_profile_refuses_what_is_not_a_profile(http: TestClient, body: Any) -> None:
    access = access_token(http, *SCOPES)
    content = body if isinstance(body, (str, bytes)) else json.dumps(body)
    response = http.put(
        f"{BASE}/profile",
        content=content,
        headers={**bearer(access), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert minor_code(response) == "invalid_data"
    assert http.get(f"{BASE}/profile", headers=bearer(access)).status_code == 404


def test_put_profile_refuses_another_media_type_and_a_large_body(http: TestClient) -> None:
    access = access_token(http, *SCOPES)
    xml = http.put(
        f"{BASE}/profile",
        content=json.dumps(PROFILE),
        headers={**bearer(access), "Content-Type": "text/plain"},
    )
    assert xml.status_code == 415
    assert minor_code(xml) == "invalid_data"
    large = http.put(
        f"{BASE}/profile",
        json={**PROFILE, "description": "x" * MAX_PROFILE_BYTES},
        headers=bearer(access),
    )
    assert large.status_code == 413
    assert http.get(f"{BASE}/profile", headers=bearer(access)).status_code == 404


@pytest.mark.parametrize(
    ("method", "needed"), [("GET", "profile.readonly"), ("PUT", "profile.update")]
)
def test_profile_needs_its_scope(http: TestClient, method: str, needed: str) -> None:
    others = [scope for scope in SCOPES if not scope.endswith(needed)]
    access = access_token(http, *others)
    response = http.request(method, f"{BASE}/profile", json=PROFILE, headers=bearer(access))
    assert response.status_code == 403
    assert minor_code(response) == "forbidden"
    assert f'scope="{OB30.scope(needed)}"' in response.headers["www-authenticate"]


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_profile_without_a_token_401(http: TestClient, method: str) -> None:
    response = http.request(method, f"{BASE}/profile", json=PROFILE)
    assert response.status_code == 401
    assert minor_code(response) == "unauthorizedrequest"


def test_the_clr_api(serve: Callable[..., TestClient], clr_credential: dict[str, Any]) -> None:
    http = clr_api(serve)
    discovery = http.get(f"{CLR_BASE}/discovery").json()
    assert discovery["info"]["version"] == "2.0"
    flow = discovery["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]
    assert set(flow["scopes"]) == {
        f"https://purl.imsglobal.org/spec/clr/v2p0/scope/{name}"
        for name in ("credential.readonly", "credential.upsert", "profile.readonly",
                     "profile.update")
    }  # fmt: skip
    assert flow["tokenUrl"] == f"{CLR_BASE}/oauth/token"

    access = access_token(http, *CLR20.scopes, base=CLR_BASE)
    url = f"{CLR_BASE}/credentials"
    created = http.post(url, json=clr_credential, headers=bearer(access))
    assert created.status_code == 201, created.text
    assert created.json() == clr_credential
    assert http.post(url, json=clr_credential, headers=bearer(access)).status_code == 200
    listed = http.get(url, headers=bearer(access))
    assert listed.headers["x-total-count"] == "1"
    assert listed.json() == {"credential": [clr_credential], "compactJwsString": []}
    assert http.put(f"{CLR_BASE}/profile", json=PROFILE, headers=bearer(access)).is_success
    assert http.get(f"{CLR_BASE}/profile", headers=bearer(access)).json() == PROFILE


def test_each_api_takes_only_its_own_credentials(
    http: TestClient,
    serve: Callable[..., TestClient],
    credentials: Credentials,
    clr_credential: dict[str, Any],
) -> None:
    clr = clr_api(serve)
    clr_access = access_token(clr, *CLR20.scopes, base=CLR_BASE)
    badge = clr.post(f"{CLR_BASE}/credentials", json=credentials.first, headers=bearer(clr_access))
    assert badge.status_code == 400
    assert minor_code(badge) == "invalid_data"
    assert "ClrCredential" in badge.json()["imsx_description"]
    jwt = clr.post(
        f"{CLR_BASE}/credentials",
        content=credentials.jwt,
        headers={**bearer(clr_access), "Content-Type": "text/plain"},
    )
    assert jwt.status_code == 400

    ob_access = access_token(http, *SCOPES)
    record = http.post(f"{BASE}/credentials", json=clr_credential, headers=bearer(ob_access))
    assert record.status_code == 400
    assert minor_code(record) == "invalid_data"
    for client, base, access in ((clr, CLR_BASE, clr_access), (http, BASE, ob_access)):
        listed = client.get(f"{base}/credentials", headers=bearer(access))
        assert listed.headers["x-total-count"] == "0"


def test_the_apis_keep_their_data_and_tokens_apart(
    http: TestClient,
    serve: Callable[..., TestClient],
    credentials: Credentials,
) -> None:
    """Both APIs on one store: what one stores the other does not list, and a token of one
    holds none of the other's scopes."""
    clr = clr_api(serve)
    ob_access = access_token(http, *SCOPES)
    clr_access = access_token(clr, *CLR20.scopes, base=CLR_BASE)
    stored = http.post(f"{BASE}/credentials", json=credentials.first, headers=bearer(ob_access))
    assert stored.status_code == 201
    assert http.put(f"{BASE}/profile", json=PROFILE, headers=bearer(ob_access)).is_success

    listed = clr.get(f"{CLR_BASE}/credentials", headers=bearer(clr_access))
    assert listed.headers["x-total-count"] == "0"
    assert clr.get(f"{CLR_BASE}/profile", headers=bearer(clr_access)).status_code == 404
    crossed = clr.get(f"{CLR_BASE}/credentials", headers=bearer(ob_access))
    assert crossed.status_code == 403
    assert minor_code(crossed) == "forbidden"


def test_the_clr_api_registers_only_its_scopes(serve: Callable[..., TestClient]) -> None:
    http = clr_api(serve)
    flow = Flow(http, base=CLR_BASE, registered_scope=" ".join(SCOPES))
    response = flow.register()
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_a_version_1_store_is_migrated(store_location: str, credentials: Credentials) -> None:
    """A store made before profiles and the CLR API (schema 1) opens at the current version
    and keeps its credentials, filed under the Open Badges API."""
    store = ApiStore.open(store_location)
    store.upsert_credential(
        user_id="ada", issuer_id="did:example:issuer", credential_id="urn:uuid:1",
        valid_from="2024-01-01T00:00:00+00:00", body=json.dumps(credentials.first), jws=False,
    )  # fmt: skip
    with store.engine.begin() as connection:  # back to what version 1 made
        connection.execute(text("DROP TABLE vcbadge_api_profiles"))
        connection.execute(text("ALTER TABLE vcbadge_api_credentials DROP COLUMN api"))
        connection.execute(text("ALTER TABLE vcbadge_api_codes DROP COLUMN family_revoked"))
        connection.execute(text("DELETE FROM vcbadge_api_schema"))
        connection.execute(text("INSERT INTO vcbadge_api_schema (version) VALUES (1)"))
    store.close()

    migrated = ApiStore.open(store_location)
    try:
        assert migrated.schema_version() == SCHEMA_VERSION == 3
        total, page = migrated.credentials("ada", limit=10, offset=0, since=None, api="ob")
        assert total == 1
        assert json.loads(page[0].body) == credentials.first
        assert migrated.credentials("ada", limit=10, offset=0, since=None, api="clr")[0] == 0
        migrated.put_profile("ada", json.dumps(PROFILE), api="ob")
        assert migrated.profile("ada", api="ob") == json.dumps(PROFILE)
    finally:
        migrated.close()
    again = ApiStore.open(store_location)  # opening a current store changes nothing
    try:
        assert again.schema_version() == SCHEMA_VERSION
    finally:
        again.close()


def test_a_store_newer_than_this_version_is_refused(store_location: str) -> None:
    store = ApiStore.open(store_location)
    with store.engine.begin() as connection:
        connection.execute(
            text(f"INSERT INTO vcbadge_api_schema (version) VALUES ({SCHEMA_VERSION + 1})")
        )
    try:
        with pytest.raises(ApiStoreError, match="newer than this vcbadge") as refused:
            ApiStore.open(store_location)
        assert refused.value.code == "store_schema_newer"
    finally:  # the fixture's teardown opens the store to drop its tables
        with store.engine.begin() as connection:
            connection.execute(
                text(f"DELETE FROM vcbadge_api_schema WHERE version > {SCHEMA_VERSION}")
            )
        store.close()
