"""The certification story over real HTTPS, driven by a script that knows only the spec
(spec_client.py): the provider in uvicorn on loopback with TLS from a throw-away CA, on
SQLite or PostgreSQL (conftest.py's store)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from api_world import PASSWORD, USER, Credentials
from asgi_server import ServerThread
from loopback_server import TestCertificateAuthority, unused_port
from spec_client import PROFILE_READ, PROFILE_UPDATE, READ, REDIRECT_URI, UPSERT, SpecClient, s256
from sqlalchemy import update
from starlette.routing import Mount

from vcbadge import Verifier
from vcbadge.api import ApiStore, create_api
from vcbadge.api.store import TokenRow
from vcbadge.web import create_app

pytestmark = pytest.mark.slow


@pytest.fixture
def script(provider: tuple[str, Path]) -> Iterator[SpecClient]:
    client = SpecClient(*provider)
    try:
        yield client
    finally:  # open keep-alive connections would hold up the server's shutdown
        client.http.close()
        client.browser.close()


@pytest.fixture
def provider(
    store: ApiStore, tmp_path: Path, credentials: Credentials
) -> Iterator[tuple[str, Path]]:
    """The API mounted in the web app, served by uvicorn over TLS on 127.0.0.1."""
    ca = TestCertificateAuthority(tmp_path)
    certfile, keyfile = ca.issue(["localhost", "127.0.0.1"])
    port = unused_port()
    base_url = f"https://localhost:{port}/ims/ob/v3p0"
    api = create_api(
        store,
        verifier=Verifier.offline(),
        base_url=base_url,
        privacy_policy_url=f"https://localhost:{port}/privacy",
        users={USER: PASSWORD},
    )
    app = create_app(offline=True, routes=[Mount("/ims/ob/v3p0", api)])
    server = ServerThread(app, port=port, ssl_certfile=str(certfile), ssl_keyfile=str(keyfile))
    server.start()
    try:
        yield base_url, ca.ca_path
    finally:
        server.stop()


def imsx_minor(response: requests.Response) -> str:
    body = response.json()
    assert body["imsx_codeMajor"] == "failure", body
    minor: str = body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
    return minor


def test_the_certification_story(script: SpecClient, credentials: Credentials) -> None:
    base_url = script.base_url

    discovery = script.discover()
    assert discovery.status_code == 200
    assert discovery.headers["content-type"].startswith("application/json")
    assert script.discovery["openapi"].startswith("3.0")
    assert "x-imssf-privacyPolicyUrl" in script.discovery["info"]
    assert script.scheme["type"] == "oauth2"
    assert {READ, UPSERT, PROFILE_READ, PROFILE_UPDATE} <= set(script.flow["scopes"])

    everything = " ".join([READ, UPSERT, PROFILE_READ, PROFILE_UPDATE])
    registered = script.register(everything)
    assert registered.status_code == 201, registered.text
    assert script.client["client_id"]
    assert script.client["client_secret"]

    tokens = script.tokens(everything)
    access = tokens["access_token"]

    first = script.call("POST", "/credentials", access, json=credentials.first)
    assert first.status_code == 201, first.text
    assert first.json() == credentials.first
    again = script.call("POST", "/credentials", access, json=credentials.first_reissued)
    assert again.status_code == 200, again.text
    jws = script.call(
        "POST", "/credentials", access, data=credentials.jwt,
        headers={"Content-Type": "text/plain"},
    )  # fmt: skip
    assert jws.status_code == 201, jws.text
    assert jws.text == credentials.jwt

    page = script.call("GET", "/credentials", access, params={"limit": 1})
    assert page.status_code == 200, page.text
    assert page.headers["X-Total-Count"] == "2"
    assert len(page.json()["credential"]) + len(page.json()["compactJwsString"]) == 1
    links = requests.utils.parse_header_links(page.headers["Link"])
    by_rel = {link["rel"]: link["url"] for link in links}
    assert {"next", "last", "first"} <= set(by_rel)
    second = script.call("GET", by_rel["next"].removeprefix(base_url), access)
    assert second.status_code == 200
    pulled = second.json()["credential"] + page.json()["credential"]
    pulled_jws = second.json()["compactJwsString"] + page.json()["compactJwsString"]
    assert pulled == [credentials.first_reissued]
    assert pulled_jws == [credentials.jwt]

    profile = {
        "id": "did:example:ada",
        "type": ["Profile"],
        "name": "Ada Lovelace",
        "email": "ada@example.org",
    }
    put = script.call("PUT", "/profile", access, json=profile)
    assert put.status_code == 200, put.text
    got = script.call("GET", "/profile", access)
    assert got.status_code == 200, got.text
    assert got.json()["name"] == "Ada Lovelace"

    refreshed = script.token(grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    new_access = refreshed.json()["access_token"]
    assert script.call("GET", "/credentials", new_access).status_code == 200

    revoked = script.http.post(
        script.discovery["components"]["securitySchemes"]["OAuth2ACG"]
        .get("x-imssf-revocationUrl", f"{base_url}/oauth/revoke"),
        data={"token": new_access, "token_type_hint": "access_token"},
        auth=script.basic,
    )  # fmt: skip
    assert revoked.status_code == 200
    refused = script.call("GET", "/credentials", new_access)
    assert refused.status_code == 401
    assert "Bearer" in refused.headers["WWW-Authenticate"]


def test_the_refusals(script: SpecClient, credentials: Credentials, store: ApiStore) -> None:
    script.discover()
    assert script.register(f"{READ} {UPSERT}").status_code == 201

    # A token without the upsert scope: 403 insufficient_scope (RFC 6750 §3.1).
    read_only = script.tokens(READ)["access_token"]
    missing_scope = script.call("POST", "/credentials", read_only, json=credentials.first)
    assert missing_scope.status_code == 403
    assert 'error="insufficient_scope"' in missing_scope.headers["WWW-Authenticate"]

    # The wrong PKCE verifier: invalid_grant, no token.
    _, challenge = s256()
    code = script.code(READ, challenge)
    wrong_verifier = script.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=s256()[0],
    )  # fmt: skip
    assert wrong_verifier.status_code == 400
    assert wrong_verifier.json()["error"] == "invalid_grant"

    # A code used twice: refused, and the token the first use issued is revoked.
    verifier, challenge = s256()
    code = script.code(READ, challenge)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": verifier,
    }
    issued = script.token(**form)
    assert issued.status_code == 200
    replayed = script.token(**form)
    assert replayed.status_code == 400
    assert replayed.json()["error"] == "invalid_grant"
    assert script.call("GET", "/credentials", issued.json()["access_token"]).status_code == 401

    # A redirect URI that is not the registered one: no redirect to it at all.
    _, challenge = s256()
    elsewhere = script.authorize(READ, challenge, redirect_uri="https://attacker.example/cb")
    assert not elsewhere.headers.get("location", "").startswith("https://attacker.example")
    assert elsewhere.status_code == 400

    # An expired access token: 401 invalid_token.
    expiring = script.tokens(READ)["access_token"]
    with store.engine.begin() as connection:
        connection.execute(update(TokenRow).values(issued_at=time.time() - 10 * 24 * 3600))
    expired = script.call("GET", "/credentials", expiring)
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]

    # A tampered credential: 400, and nothing stored.
    upsert = script.tokens(f"{READ} {UPSERT}")["access_token"]
    tampered = {
        **credentials.second,
        "credentialSubject": {**credentials.second["credentialSubject"], "id": "did:example:eve"},
    }
    refused = script.call("POST", "/credentials", upsert, json=tampered)
    assert refused.status_code == 400
    assert imsx_minor(refused) == "invalid_data"
    listed = script.call("GET", "/credentials", upsert)
    assert listed.headers["X-Total-Count"] == "0"
