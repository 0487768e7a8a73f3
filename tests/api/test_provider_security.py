"""The Open Badges API provider's protections: rate limits, CORS, the discovery document's
caching and shape, no secret in the logs, plain HTTP only on loopback, and the refusals of
the issue's certification story that test_provider.py does not already make."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from api_world import (
    BASE,
    PASSWORD,
    READ,
    REDIRECT_URI,
    UPSERT,
    Credentials,
    Flow,
    MovableClock,
    pkce,
)  # fmt: skip
from starlette.testclient import TestClient

from vcbadge import Verifier
from vcbadge.api import SCOPES, ApiStore, create_api
from vcbadge.api.app import PlainHttpWarning
from vcbadge.api.oauth import ACCESS_TOKEN_LIFETIME, CLR20, CODE_LIFETIME, OB30

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
WALLET_ORIGIN = "https://wallet.example"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def minor_code(response: Any) -> str:
    field = response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]
    return str(field["imsx_codeMinorFieldValue"])


def registered(http: TestClient, base: str = BASE) -> Flow:
    flow = Flow(http, base=base)
    response = flow.register()
    assert response.status_code == 201, response.text
    return flow


def bad_refresh(flow: Flow) -> Any:
    return flow.token(grant_type="refresh_token", refresh_token="not-a-refresh-token")


# Rate limits


def test_the_token_endpoint_is_rate_limited_per_client(serve: Callable[..., TestClient]) -> None:
    clock = MovableClock(START)
    http = serve(clock=clock, token_rate=(3, 60.0))
    flow, other = registered(http), registered(http)
    for _ in range(3):
        assert bad_refresh(flow).status_code == 400
    limited = bad_refresh(flow)
    assert limited.status_code == 429
    assert limited.json()["error"] == "rate_limited"
    assert limited.headers["retry-after"] == "20"  # one request per 20 s refills
    assert bad_refresh(other).status_code == 400  # another client has its own bucket
    clock.advance(19)
    assert bad_refresh(flow).status_code == 429
    clock.advance(1)
    assert bad_refresh(flow).status_code == 400
    assert bad_refresh(flow).status_code == 429


def test_revocation_shares_the_token_endpoints_bucket(serve: Callable[..., TestClient]) -> None:
    http = serve(token_rate=(2, 60.0))
    flow = registered(http)
    assert bad_refresh(flow).status_code == 400
    revoked = http.post(f"{BASE}/oauth/revoke", data={"token": "unknown"}, auth=flow.basic)
    assert revoked.status_code == 200
    again = http.post(f"{BASE}/oauth/revoke", data={"token": "unknown"}, auth=flow.basic)
    assert again.status_code == 429
    assert again.headers["retry-after"] == "30"


def test_a_rate_limited_client_still_completes_its_flow_later(
    serve: Callable[..., TestClient],
) -> None:
    clock = MovableClock(START)
    http = serve(clock=clock, token_rate=(1, 10.0))
    flow = registered(http)
    assert bad_refresh(flow).status_code == 400
    assert bad_refresh(flow).status_code == 429
    clock.advance(10)
    assert flow.tokens()["access_token"]


def test_registration_is_rate_limited_per_address(serve: Callable[..., TestClient]) -> None:
    clock = MovableClock(START)
    http = serve(clock=clock, registration_rate=(2, 3600.0))
    registered(http)
    registered(http)
    limited = Flow(http).register()
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "1800"
    clock.advance(1800)
    registered(http)


def test_rate_limits_can_be_turned_off(serve: Callable[..., TestClient]) -> None:
    http = serve(token_rate=None)
    flow = registered(http)
    for _ in range(40):  # past the default of 30 a minute
        assert bad_refresh(flow).status_code == 400


@pytest.mark.parametrize("rate", [(0, 60.0), (5, 0.0), (5, -1.0)])
def test_a_rate_must_admit_something(store: ApiStore, rate: tuple[int, float]) -> None:
    with pytest.raises(ValueError, match="rate"):
        create_api(
            store, verifier=Verifier.offline(), base_url=BASE,
            privacy_policy_url="https://testserver/privacy", users={}, token_rate=rate,
        )  # fmt: skip


# CORS


def preflight(http: TestClient, url: str, origin: str, method: str = "GET") -> Any:
    return http.options(
        url,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "authorization",
        },
    )


def test_discovery_answers_any_origin(http: TestClient) -> None:
    allowed = preflight(http, f"{BASE}/discovery", "https://app.example")
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in allowed.headers
    response = http.get(f"{BASE}/discovery", headers={"Origin": "https://app.example"})
    assert response.headers["access-control-allow-origin"] == "*"
    refused = preflight(http, f"{BASE}/discovery", "https://app.example", method="POST")
    assert refused.status_code == 400


@pytest.mark.parametrize(
    "path", ["/credentials", "/profile", "/oauth/token", "/oauth/register", "/oauth/revoke"]
)
def test_no_cors_by_default_but_on_discovery(http: TestClient, path: str) -> None:
    response = preflight(http, f"{BASE}{path}", WALLET_ORIGIN, method="POST")
    assert response.status_code == 405
    assert "access-control-allow-origin" not in response.headers


def test_the_resource_endpoints_answer_the_configured_origins(
    serve: Callable[..., TestClient], credentials: Credentials
) -> None:
    http = serve(cors_origins=[WALLET_ORIGIN])
    for path, method in (("/credentials", "POST"), ("/profile", "PUT")):
        allowed = preflight(http, f"{BASE}{path}", WALLET_ORIGIN, method)
        assert allowed.status_code == 200, allowed.text
        assert allowed.headers["access-control-allow-origin"] == WALLET_ORIGIN
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in allowed.headers
        refused = preflight(http, f"{BASE}{path}", "https://evil.example", method)
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
    # The OAuth endpoints stay closed to browser pages whatever the configuration.
    token = preflight(http, f"{BASE}/oauth/token", WALLET_ORIGIN, "POST")
    assert "access-control-allow-origin" not in token.headers

    access = registered(http).tokens()["access_token"]
    listed = http.get(f"{BASE}/credentials", headers={**bearer(access), "Origin": WALLET_ORIGIN})
    assert listed.status_code == 200
    assert listed.headers["access-control-allow-origin"] == WALLET_ORIGIN
    assert "x-total-count" in listed.headers["access-control-expose-headers"].lower()
    # An OPTIONS request that is not a preflight is not an operation of the API.
    assert http.options(f"{BASE}/credentials").status_code == 405


@pytest.mark.parametrize(
    "origins",
    [["https://wallet.example/"], ["wallet.example"], ["https://wallet.example/app"],
     "https://wallet.example"],
)  # fmt: skip
def test_what_is_not_an_origin_refused(store: ApiStore, origins: Any) -> None:
    with pytest.raises(ValueError, match="origin"):
        create_api(
            store, verifier=Verifier.offline(), base_url=BASE,
            privacy_policy_url="https://testserver/privacy", users={}, cors_origins=origins,
        )  # fmt: skip


# The discovery document


def test_the_discovery_document_has_the_spec_shape(http: TestClient) -> None:
    document = http.get(f"{BASE}/discovery").json()
    assert re.fullmatch(r"3\.0\.\d+", document["openapi"])
    assert document["info"]["x-imssf-privacyPolicyUrl"] == "https://testserver/privacy"
    assert document["info"]["title"]
    assert document["info"]["version"] == "3.0"
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["type"] == "oauth2"
    assert scheme["x-imssf-registrationUrl"] == f"{BASE}/oauth/register"
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == f"{BASE}/oauth/authorize"
    assert flow["tokenUrl"] == flow["refreshUrl"] == f"{BASE}/oauth/token"
    assert set(flow["scopes"]) == set(SCOPES) == {
        f"https://purl.imsglobal.org/spec/ob/v3p0/scope/{name}"
        for name in ("credential.readonly", "credential.upsert", "profile.readonly",
                     "profile.update")
    }  # fmt: skip
    operations = {
        (path, method): (operation["operationId"], operation["security"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }

    def secured(scope: str) -> list[dict[str, list[str]]]:
        return [{"OAuth2ACG": [OB30.scope(scope)]}]

    assert operations == {
        ("/credentials", "get"): ("getCredentials", secured("credential.readonly")),
        ("/credentials", "post"): ("upsertCredential", secured("credential.upsert")),
        ("/profile", "get"): ("getProfile", secured("profile.readonly")),
        ("/profile", "put"): ("putProfile", secured("profile.update")),
        ("/discovery", "get"): ("getServiceDescription", []),
    }  # fmt: skip
    # Every advertised path is served, and answers as the document says.
    for (path, method), (_, security) in operations.items():
        response = http.request(method.upper(), f"{BASE}{path}")
        assert response.status_code == (401 if security else 200), (path, method)


def test_the_discovery_document_can_be_cached(serve: Callable[..., TestClient]) -> None:
    http = serve()
    first = http.get(f"{BASE}/discovery")
    assert first.headers["cache-control"] == "public, max-age=3600"
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    for validator in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        unchanged = http.get(f"{BASE}/discovery", headers={"If-None-Match": validator})
        assert unchanged.status_code == 304, validator
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == etag
    changed = http.get(f"{BASE}/discovery", headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200
    assert changed.json() == first.json()

    clr = serve(path=CLR20.path, standard=CLR20, discovery_max_age=60)
    other = clr.get(f"https://testserver{CLR20.path}/discovery")
    assert other.headers["cache-control"] == "public, max-age=60"
    assert other.headers["etag"] != etag


# Logs


def test_no_secret_in_the_logs_at_debug(
    flow: Flow, credentials: Credentials, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    verifier, challenge = pkce()
    code = flow.code(challenge)
    issued = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    ).json()  # fmt: skip
    access = issued["access_token"]
    flow.http.post(f"{BASE}/credentials", json=credentials.first, headers=bearer(access))
    flow.http.post(
        f"{BASE}/credentials", content=credentials.jwt,
        headers={**bearer(access), "Content-Type": "text/plain"},
    )  # fmt: skip
    flow.http.get(f"{BASE}/credentials", headers=bearer(access))
    refreshed = flow.token(grant_type="refresh_token", refresh_token=issued["refresh_token"])
    renewed = refreshed.json()
    flow.http.post(f"{BASE}/oauth/revoke", data={"token": renewed["access_token"]},
                   auth=flow.basic)  # fmt: skip

    messages = [record.getMessage() for record in caplog.records]
    assert any("Issue token" in message for message in messages), messages  # Authlib logged
    secrets = {
        "client secret": flow.client_secret,
        "code": code,
        "code verifier": verifier,
        "access token": access,
        "refresh token": issued["refresh_token"],
        "refreshed access token": renewed["access_token"],
        "refreshed refresh token": renewed["refresh_token"],
        "password": PASSWORD,
        "credential proof": credentials.first["proof"]["proofValue"],
        "VC-JWT signature": credentials.jwt.rsplit(".", 1)[1],
    }
    for message in messages:
        for name, secret in secrets.items():
            assert secret not in message, f"the {name} is in the log: {message}"


# Plain HTTP, on loopback only


def build(store: ApiStore, base_url: str, **options: Any) -> Any:
    return create_api(
        store, verifier=Verifier.offline(), base_url=base_url,
        privacy_policy_url="https://badges.example/privacy", users={"ada": PASSWORD}, **options,
    )  # fmt: skip


@pytest.mark.parametrize(
    "base_url",
    ["http://127.0.0.1:8000/ims/ob/v3p0", "http://localhost/ims/ob/v3p0",
     "http://[::1]:8000/ims/ob/v3p0"],
)  # fmt: skip
def test_a_loopback_http_base_url_needs_the_switch_and_warns(
    store: ApiStore, base_url: str
) -> None:
    with pytest.raises(ValueError, match="HTTPS"):
        build(store, base_url)
    with pytest.warns(PlainHttpWarning, match="plain HTTP"):
        build(store, base_url, allow_loopback_http=True)


@pytest.mark.parametrize(
    "base_url",
    ["http://badges.example/ims/ob/v3p0", "http://10.0.0.1/ims/ob/v3p0",
     "http://127.0.0.1.example/ims/ob/v3p0", "ftp://127.0.0.1/ims/ob/v3p0"],
)  # fmt: skip
def test_other_plain_base_urls_refused_even_with_the_switch(store: ApiStore, base_url: str) -> None:
    with pytest.raises(ValueError, match=r"127\.0\.0\.1|HTTPS"):
        build(store, base_url, allow_loopback_http=True)


def test_the_whole_flow_over_loopback_http(
    serve: Callable[..., TestClient], credentials: Credentials
) -> None:
    origin = "http://127.0.0.1:8000"
    with pytest.warns(PlainHttpWarning):
        http = serve(origin=origin, client=("127.0.0.1", 50000), allow_loopback_http=True)
    flow = registered(http, base=f"{origin}{OB30.path}")
    access = flow.tokens()["access_token"]
    url = f"{origin}{OB30.path}/credentials"
    assert http.post(url, json=credentials.first, headers=bearer(access)).status_code == 201
    assert http.get(url, headers=bearer(access)).headers["x-total-count"] == "1"


@pytest.mark.parametrize(
    ("url", "peer"),
    [
        ("http://127.0.0.1:8000", "203.0.113.5"),  # a peer on another machine
        ("http://badges.example", "127.0.0.1"),  # a URL that is not loopback
        ("http://127.0.0.1:8000", "testclient"),  # no address at all
    ],
)
def test_loopback_http_refused_unless_both_ends_are_loopback(
    serve: Callable[..., TestClient], url: str, peer: str
) -> None:
    with pytest.warns(PlainHttpWarning):
        http = serve(origin="http://127.0.0.1:8000", client=(peer, 50000),
                     allow_loopback_http=True)  # fmt: skip
    for path in ("/discovery", "/credentials", "/oauth/token"):
        method = "POST" if path == "/oauth/token" else "GET"
        response = http.request(method, f"{url}{OB30.path}{path}")
        assert response.status_code == 400, path
        assert response.json()["error"] == "insecure_transport"


def test_an_https_api_refuses_loopback_http(serve: Callable[..., TestClient]) -> None:
    """Authlib lets plain HTTP to 127.0.0.1 through; the API does not, unless switched."""
    http = serve(client=("127.0.0.1", 50000))
    for path in ("/discovery", "/credentials", "/oauth/token"):
        method = "POST" if path == "/oauth/token" else "GET"
        response = http.request(method, f"http://127.0.0.1{OB30.path}{path}")
        assert response.status_code == 400, path
        assert response.json()["error"] == "insecure_transport"


# Refusals of the certification story


def test_expired_access_token_refused_by_the_clock(serve: Callable[..., TestClient]) -> None:
    clock = MovableClock(START)
    http = serve(clock=clock)
    access = registered(http).tokens()["access_token"]
    clock.advance(ACCESS_TOKEN_LIFETIME - 1)
    assert http.get(f"{BASE}/credentials", headers=bearer(access)).status_code == 200
    clock.advance(1)
    expired = http.get(f"{BASE}/credentials", headers=bearer(access))
    assert expired.status_code == 401
    assert 'error="invalid_token"' in expired.headers["www-authenticate"]
    assert minor_code(expired) == "unauthorizedrequest"


def test_expired_code_refused_by_the_clock(serve: Callable[..., TestClient]) -> None:
    clock = MovableClock(START)
    flow = registered(serve(clock=clock))
    verifier, challenge = pkce()
    code = flow.code(challenge)
    clock.advance(CODE_LIFETIME)
    response = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "redirect_uri", ["https://wallet.example/callback/other", "https://wallet.example/", None]
)
def test_a_code_redeemed_with_another_redirect_uri_refused(
    flow: Flow, redirect_uri: str | None
) -> None:
    verifier, challenge = pkce()
    code = flow.code(challenge)
    form = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    if redirect_uri is not None:
        form["redirect_uri"] = redirect_uri
    response = flow.token(**form)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    # The code is spent: the right redirect URI does not bring it back.
    again = flow.token(**{**form, "redirect_uri": REDIRECT_URI})
    assert again.status_code == 400


@pytest.mark.parametrize(
    ("method", "path", "granted"),
    [("GET", "/credentials", UPSERT), ("POST", "/credentials", READ)],
)
def test_missing_scope_refused(
    flow: Flow, credentials: Credentials, method: str, path: str, granted: str
) -> None:
    flow.scope = granted
    access = flow.tokens()["access_token"]
    response = flow.http.request(
        method, f"{BASE}{path}", json=credentials.first, headers=bearer(access)
    )
    assert response.status_code == 403
    assert minor_code(response) == "forbidden"
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


def test_tampered_jws_refused_and_not_stored(flow: Flow, credentials: Credentials) -> None:
    access = flow.tokens()["access_token"]
    header, payload, signature = credentials.jwt.split(".")
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    for tampered in (f"{header}.{payload}.{flipped}", f"{header}.{payload[:-4]}.{signature}"):
        response = flow.http.post(
            f"{BASE}/credentials", content=tampered,
            headers={**bearer(access), "Content-Type": "text/plain"},
        )  # fmt: skip
        assert response.status_code == 400
        assert minor_code(response) == "invalid_data"
    listed = flow.http.get(f"{BASE}/credentials", headers=bearer(access))
    assert listed.headers["x-total-count"] == "0"


def test_tampered_clr_refused_and_not_stored(
    serve: Callable[..., TestClient], clr_credential: dict[str, Any]
) -> None:
    base = f"https://testserver{CLR20.path}"
    http = serve(path=CLR20.path, standard=CLR20)
    flow = Flow(http, base=base, scope=" ".join(CLR20.scopes),
                registered_scope=" ".join(CLR20.scopes))  # fmt: skip
    assert flow.register().status_code == 201
    access = flow.tokens()["access_token"]
    tampered = json.loads(json.dumps(clr_credential))
    tampered["name"] = "Someone else's learner record"
    response = http.post(f"{base}/credentials", json=tampered, headers=bearer(access))
    assert response.status_code == 400
    assert minor_code(response) == "invalid_data"
    assert http.get(f"{base}/credentials", headers=bearer(access)).headers["x-total-count"] == "0"


@pytest.mark.parametrize(
    ("method", "path"),
    [("PUT", "/credentials"), ("DELETE", "/profile"), ("POST", "/discovery"),
     ("GET", "/oauth/token")],
)  # fmt: skip
def test_another_method_refused_as_imsx(http: TestClient, method: str, path: str) -> None:
    response = http.request(method, f"{BASE}{path}")
    assert response.status_code == 405
    assert minor_code(response) == "not_allowed"
    assert response.headers["allow"]
