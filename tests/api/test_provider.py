"""The Open Badges 3.0 API provider: the whole authorized flow, then each refusal."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from api_world import (
    BASE,
    PASSWORD,
    READ,
    REDIRECT_URI,
    UPSERT,
    USER,
    Credentials,
    Flow,
    csrf_of,
    pkce,
    registration,
)  # fmt: skip
from sqlalchemy import update
from starlette.applications import Starlette
from starlette.routing import Mount
from starlette.testclient import TestClient

from vcbadge import Verifier
from vcbadge.api import SCOPES, ApiStore, create_api
from vcbadge.api.app import MAX_FORM_BYTES
from vcbadge.api.oauth import ACCESS_TOKEN_LIFETIME
from vcbadge.api.store import CodeRow, TokenRow


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def links(response: Any) -> dict[str, dict[str, list[str]]]:
    """The Link header's targets by relation, as parsed query strings."""
    found = {}
    for part in response.headers["link"].split(", "):
        target, rel = part.split("; ")
        found[rel.removeprefix('rel="').rstrip('"')] = parse_qs(urlsplit(target.strip("<>")).query)
    return found


def minor_code(response: Any) -> str:
    field = response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]
    return str(field["imsx_codeMinorFieldValue"])


def test_discovery_describes_the_security_scheme(http: TestClient) -> None:
    response = http.get(f"{BASE}/discovery")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert document["info"]["x-imssf-privacyPolicyUrl"] == "https://testserver/privacy"
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"] == f"{BASE}/oauth/register"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == f"{BASE}/oauth/authorize"
    assert flow["tokenUrl"] == flow["refreshUrl"] == f"{BASE}/oauth/token"
    assert set(flow["scopes"]) == set(SCOPES)


def test_the_whole_flow(flow: Flow, credentials: Credentials) -> None:
    tokens = flow.tokens()
    assert tokens["token_type"].lower() == "bearer"
    assert set(tokens["scope"].split()) == {READ, UPSERT}
    access = tokens["access_token"]

    created = flow.http.post(f"{BASE}/credentials", json=credentials.first, headers=bearer(access))
    assert created.status_code == 201, created.text
    assert created.json() == credentials.first
    again = flow.http.post(f"{BASE}/credentials", json=credentials.first, headers=bearer(access))
    assert again.status_code == 200
    jws = flow.http.post(
        f"{BASE}/credentials",
        content=credentials.jwt,
        headers={**bearer(access), "Content-Type": "text/plain"},
    )
    assert jws.status_code == 201, jws.text
    assert jws.text == credentials.jwt
    flow.http.post(f"{BASE}/credentials", json=credentials.second, headers=bearer(access))

    page = flow.http.get(f"{BASE}/credentials?limit=2", headers=bearer(access))
    assert page.status_code == 200, page.text
    assert page.headers["x-total-count"] == "3"
    assert page.json() == {"credential": [credentials.first], "compactJwsString": [credentials.jwt]}
    rels = links(page)
    assert set(rels) == {"next", "last", "first"}
    assert rels["next"]["offset"] == ["2"]
    assert rels["last"]["offset"] == ["2"]
    second = flow.http.get(f"{BASE}/credentials?limit=2&offset=2", headers=bearer(access))
    assert second.json() == {"credential": [credentials.second], "compactJwsString": []}
    assert set(links(second)) == {"last", "first", "prev"}

    refreshed = flow.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    new_access = refreshed.json()["access_token"]
    assert new_access != access
    # Refresh tokens rotate: the old access token no longer works.
    assert flow.http.get(f"{BASE}/credentials", headers=bearer(access)).status_code == 401
    assert flow.http.get(f"{BASE}/credentials", headers=bearer(new_access)).status_code == 200

    revoked = flow.http.post(f"{BASE}/oauth/revoke", data={"token": new_access}, auth=flow.basic)
    assert revoked.status_code == 200
    refused = flow.http.get(f"{BASE}/credentials", headers=bearer(new_access))
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    assert minor_code(refused) == "unauthorizedrequest"


def test_the_consent_page_shows_the_client(flow: Flow) -> None:
    _, challenge = pkce()
    consent = flow.log_in(
        flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
    )
    for shown in ("Example Wallet", "https://wallet.example/logo.png",
                  "https://wallet.example/terms", "https://wallet.example/privacy"):  # fmt: skip
        assert shown in consent.text
    assert 'value="allow"' in consent.text


def test_without_a_token_401(http: TestClient) -> None:
    response = http.get(f"{BASE}/credentials")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert minor_code(response) == "unauthorizedrequest"


def test_wrong_scope_403(flow: Flow, credentials: Credentials) -> None:
    verifier, challenge = pkce()
    code = flow.code(challenge, scope=READ)
    tokens = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    ).json()  # fmt: skip
    response = flow.http.post(
        f"{BASE}/credentials", json=credentials.first, headers=bearer(tokens["access_token"])
    )
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert minor_code(response) == "forbidden"


def authorize_refusal(flow: Flow, **params: str) -> str:
    """Sign in on an authorize URL with ``params``: the refusal page's text."""
    url = flow.authorize_url(**params)
    page = flow.http.get(url)
    assert page.status_code == 400, page.text
    return page.text


def test_no_pkce_refused(flow: Flow) -> None:
    assert "PKCE is required" in authorize_refusal(flow)


def test_plain_pkce_refused(flow: Flow) -> None:
    _, challenge = pkce()
    text = authorize_refusal(flow, code_challenge=challenge, code_challenge_method="plain")
    assert "must be S256" in text


def test_redirect_uri_mismatch_refused(flow: Flow) -> None:
    _, challenge = pkce()
    text = authorize_refusal(
        flow, code_challenge=challenge, code_challenge_method="S256",
        redirect_uri="https://wallet.example/callback/other",
    )  # fmt: skip
    assert "invalid_request" in text
    assert "Redirect URI" in text


def test_wrong_verifier_refused(flow: Flow) -> None:
    _, challenge = pkce()
    other_verifier, _ = pkce()
    code = flow.code(challenge)
    response = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=other_verifier,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_missing_verifier_refused_for_a_confidential_client(flow: Flow) -> None:
    _, challenge = pkce()
    code = flow.code(challenge)
    response = flow.token(grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_reused_code_refused_and_its_tokens_revoked(flow: Flow) -> None:
    verifier, challenge = pkce()
    code = flow.code(challenge)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier}  # fmt: skip
    first = flow.token(**form)
    assert first.status_code == 200
    replay = flow.token(**form)
    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    access = first.json()["access_token"]
    assert flow.http.get(f"{BASE}/credentials", headers=bearer(access)).status_code == 401
    refresh = flow.token(grant_type="refresh_token", refresh_token=first.json()["refresh_token"])
    assert refresh.status_code == 400


def test_token_endpoint_requires_basic_authentication(flow: Flow) -> None:
    verifier, challenge = pkce()
    code = flow.code(challenge)
    response = flow.http.post(
        f"{BASE}/oauth/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
              "code_verifier": verifier, "client_id": flow.client_id,
              "client_secret": flow.client_secret},
    )  # fmt: skip
    assert response.status_code in (400, 401)
    assert response.json()["error"] == "invalid_client"


@pytest.mark.parametrize(
    "changes",
    [
        {"logo_uri": "http://wallet.example/logo.png"},
        {"redirect_uris": ["http://wallet.example/callback"]},
        {"tos_uri": "https://elsewhere.example/terms"},
    ],
    ids=["http-logo", "http-redirect", "two-hosts"],
)
def test_registration_urls_must_be_https_on_one_host(
    http: TestClient, changes: dict[str, Any]
) -> None:
    response = http.post(f"{BASE}/oauth/register", json=registration(**changes))
    assert response.status_code == 400
    assert response.json()["error"] in ("invalid_client_metadata", "invalid_redirect_uri")


def test_registration_requires_the_ob_metadata(http: TestClient) -> None:
    body = registration()
    del body["software_id"]
    response = http.post(f"{BASE}/oauth/register", json=body)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"
    assert "software_id" in response.json()["error_description"]


def test_invalid_credential_refused_with_its_check_codes(
    flow: Flow, credentials: Credentials
) -> None:
    access = flow.tokens()["access_token"]
    tampered = json.loads(json.dumps(credentials.first))
    tampered["credentialSubject"]["achievement"]["name"] = "Python 999"
    response = flow.http.post(f"{BASE}/credentials", json=tampered, headers=bearer(access))
    assert response.status_code == 400
    assert minor_code(response) == "invalid_data"
    assert "proof" in response.json()["imsx_description"]
    listed = flow.http.get(f"{BASE}/credentials", headers=bearer(access))
    assert listed.headers["x-total-count"] == "0"


def test_tokens_not_stored_in_clear(
    flow: Flow, credentials: Credentials, store_location: str
) -> None:
    if "://" in store_location:
        pytest.skip("reads the SQLite file; this run uses PostgreSQL")
    tokens = flow.tokens()
    raw = Path(store_location).read_bytes()
    with sqlite3.connect(store_location) as connection:
        dump = "\n".join(connection.iterdump())
    for secret in (tokens["access_token"], tokens["refresh_token"], flow.client_secret):
        assert secret.encode() not in raw
        assert secret not in dump


def test_consent_without_its_csrf_token_refused(flow: Flow) -> None:
    _, challenge = pkce()
    url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
    flow.log_in(url)
    for token in ("", "forged"):
        response = flow.http.post(url, data={"csrf_token": token, "decision": "allow"})
        assert response.status_code == 403
        assert "csrf_invalid" in response.text
        assert "location" not in response.headers


def test_login_without_its_csrf_token_refused(flow: Flow) -> None:
    _, challenge = pkce()
    url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
    login = url.replace("/oauth/authorize?", "/oauth/login?")
    response = flow.http.post(login, data={"username": USER, "password": PASSWORD})
    assert response.status_code == 403
    assert "csrf_invalid" in response.text


def test_wrong_password_refused(flow: Flow) -> None:
    _, challenge = pkce()
    url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
    page = flow.http.get(url)
    login = url.replace("/oauth/authorize?", "/oauth/login?")
    response = flow.http.post(
        login, data={"username": USER, "password": "wrong", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert "set-cookie" not in {name.lower() for name in response.headers}


def test_deny_redirects_with_access_denied(flow: Flow) -> None:
    _, challenge = pkce()
    url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
    consent = flow.log_in(url)
    response = flow.http.post(url, data={"csrf_token": csrf_of(consent.text), "decision": "deny"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["location"]).query)["error"] == ["access_denied"]


def test_another_clients_refresh_token_refused(flow: Flow) -> None:
    tokens = flow.tokens()
    other = Flow(flow.http)
    assert other.register().status_code == 201
    response = other.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_oversized_registration_refused(http: TestClient) -> None:
    response = http.post(
        f"{BASE}/oauth/register", json=registration(client_name="x" * (MAX_FORM_BYTES + 1))
    )
    assert response.status_code == 413


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=x", "offset=-1", "limit=%C2%B2", "since=yesterday"]
)
def test_bad_paging_parameters_refused(flow: Flow, query: str) -> None:
    access = flow.tokens()["access_token"]
    response = flow.http.get(f"{BASE}/credentials?{query}", headers=bearer(access))
    assert response.status_code == 400
    assert minor_code(response) == "invalid_query_parameter"


def test_other_media_type_refused(flow: Flow, credentials: Credentials) -> None:
    access = flow.tokens()["access_token"]
    response = flow.http.post(
        f"{BASE}/credentials",
        content=json.dumps(credentials.first),
        headers={**bearer(access), "Content-Type": "application/xml"},
    )
    assert response.status_code == 415
    assert minor_code(response) == "invalid_data"


def test_expired_code_refused(flow: Flow, store: ApiStore) -> None:
    verifier, challenge = pkce()
    code = flow.code(challenge)
    with store.engine.begin() as connection:
        connection.execute(update(CodeRow).values(expires_at=time.time() - 1))
    response = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_expired_access_token_refused(flow: Flow, store: ApiStore) -> None:
    access = flow.tokens()["access_token"]
    with store.engine.begin() as connection:
        connection.execute(update(TokenRow).values(issued_at=time.time() - ACCESS_TOKEN_LIFETIME))
    response = flow.http.get(f"{BASE}/credentials", headers=bearer(access))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_rotated_refresh_token_refused(flow: Flow) -> None:
    tokens = flow.tokens()
    assert flow.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"]).is_success
    again = flow.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_the_host_applications_login(store: ApiStore) -> None:
    """With ``authenticate=``, the host's session says who is signed in: no login form."""
    api = create_api(
        store,
        verifier=Verifier.offline(),
        base_url=BASE,
        privacy_policy_url="https://testserver/privacy",
        authenticate=lambda request: request.headers.get("x-host-user"),
    )
    app = Starlette(routes=[Mount("/ims/ob/v3p0", api)])
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as http:
        flow = Flow(http)
        assert flow.register().status_code == 201
        _, challenge = pkce()
        url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
        anonymous = http.get(url)
        assert anonymous.status_code == 401
        assert 'type="password"' not in anonymous.text
        consent = http.get(url, headers={"x-host-user": "ada"})
        assert consent.status_code == 200
        redirect = http.post(
            url,
            data={"csrf_token": csrf_of(consent.text), "decision": "allow"},
            headers={"x-host-user": "ada"},
        )
        assert redirect.status_code == 302
        assert "code" in parse_qs(urlsplit(redirect.headers["location"]).query)


def test_plain_http_refused(flow: Flow) -> None:
    response = flow.http.post(
        f"{BASE.replace('https:', 'http:')}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        auth=flow.basic,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "insecure_transport"


def test_registration_of_an_unknown_scope_refused(http: TestClient) -> None:
    response = http.post(
        f"{BASE}/oauth/register", json=registration(scope=f"{READ} https://example.org/all")
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_client_metadata"


def test_wrong_client_secret_refused(flow: Flow) -> None:
    response = flow.http.post(
        f"{BASE}/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": "x"},
        auth=(flow.client_id, "not-the-secret"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_since_selects_by_change_time(flow: Flow, credentials: Credentials) -> None:
    access = flow.tokens()["access_token"]
    flow.http.post(f"{BASE}/credentials", json=credentials.first, headers=bearer(access))
    for since, count in (("2000-01-01T00:00:00Z", "1"), ("2999-01-01T00:00:00Z", "0")):
        response = flow.http.get(
            f"{BASE}/credentials", params={"since": since}, headers=bearer(access)
        )
        assert response.headers["x-total-count"] == count
        assert f"since={since.replace(':', '%3A')}" in response.headers["link"]


def test_the_newer_valid_from_wins(flow: Flow, credentials: Credentials) -> None:
    access = flow.tokens()["access_token"]
    url = f"{BASE}/credentials"
    assert flow.http.post(url, json=credentials.first, headers=bearer(access)).status_code == 201
    newer = flow.http.post(url, json=credentials.first_reissued, headers=bearer(access))
    assert newer.status_code == 200
    older = flow.http.post(url, json=credentials.first, headers=bearer(access))
    assert older.status_code == 200
    listed = flow.http.get(url, headers=bearer(access))
    assert listed.headers["x-total-count"] == "1"
    assert listed.json()["credential"] == [credentials.first_reissued]
