"""RFC 8252 loopback redirect URIs (``create_api(..., allow_loopback_redirects=True)``): refused
by default (OB 3.0 requires HTTPS redirect URIs); when on, ``http://127.0.0.1`` and
``http://[::1]`` are registered and matched ignoring the port only (RFC 8252 §7.3), never
``localhost`` (§8.3); every other redirect URI is still HTTPS and matched exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from api_world import REDIRECT_URI, Flow, pkce
from starlette.testclient import TestClient

from vcbadge.api.oauth import is_loopback_redirect

NATIVE = "http://127.0.0.1/callback"  # registered without a port: the app picks one per run


def registered(http: TestClient, *redirect_uris: str) -> tuple[Flow, Any]:
    flow = Flow(http)
    return flow, flow.register(redirect_uris=list(redirect_uris))


def authorize(flow: Flow, redirect_uri: str) -> tuple[Any, str]:
    """Sign in and allow with ``redirect_uri``: the answer, and the PKCE verifier."""
    verifier, challenge = pkce()
    url = flow.authorize_url(
        code_challenge=challenge, code_challenge_method="S256", redirect_uri=redirect_uri
    )
    page = flow.http.get(url)
    if page.status_code != 200 or 'type="password"' not in page.text:
        return page, verifier
    consent = flow.log_in(url)
    return flow.allow(url, consent), verifier


@pytest.mark.parametrize(
    "redirect_uri", ["http://127.0.0.1:8400/callback", "http://[::1]:8400/callback", NATIVE]
)
def test_loopback_redirect_uris_refused_by_default(
    serve: Callable[..., TestClient], redirect_uri: str
) -> None:
    _, response = registered(serve(), REDIRECT_URI, redirect_uri)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"


@pytest.mark.parametrize(
    "redirect_uri",
    [NATIVE, "http://127.0.0.1:8400/callback", "http://[::1]/callback",
     "http://[::1]:8400/callback?app=wallet"],
)  # fmt: skip
def test_loopback_redirect_uris_registered_when_allowed(
    serve: Callable[..., TestClient], redirect_uri: str
) -> None:
    _, response = registered(serve(allow_loopback_redirects=True), REDIRECT_URI, redirect_uri)
    assert response.status_code == 201, response.text
    assert redirect_uri in response.json()["redirect_uris"]


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://localhost:8400/callback",  # a name, which may resolve elsewhere (§8.3)
        "http://127.0.0.2:8400/callback",  # RFC 8252 names 127.0.0.1 and ::1 only
        "http://127.1/callback",
        "http://wallet.example/callback",
        "http://user@127.0.0.1:8400/callback",
        "http://127.0.0.1:8400/callback#fragment",
        "http://127.0.0.1:99999/callback",
    ],
)
def test_other_plain_http_redirect_uris_refused_even_when_allowed(
    serve: Callable[..., TestClient], redirect_uri: str
) -> None:
    _, response = registered(serve(allow_loopback_redirects=True), REDIRECT_URI, redirect_uri)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_redirect_uri"


def test_a_native_app_only_client_registers(serve: Callable[..., TestClient]) -> None:
    """A loopback redirect URI is on the learner's machine: outside the one-host rule."""
    _, response = registered(serve(allow_loopback_redirects=True), NATIVE)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("port", ["53124", "8400", ""])
def test_a_loopback_redirect_matches_any_port(serve: Callable[..., TestClient], port: str) -> None:
    flow, _ = registered(serve(allow_loopback_redirects=True), NATIVE)
    used = f"http://127.0.0.1{':' + port if port else ''}/callback"
    redirect, verifier = authorize(flow, used)
    assert redirect.status_code == 302, redirect.text
    location = urlsplit(redirect.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == used
    code = parse_qs(location.query)["code"][0]
    # The code is bound to the redirect URI used, port and all (RFC 6749 §4.1.3).
    tokens = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=used, code_verifier=verifier
    )
    assert tokens.status_code == 200, tokens.text


def test_the_code_is_bound_to_the_port_it_was_sent_to(serve: Callable[..., TestClient]) -> None:
    flow, _ = registered(serve(allow_loopback_redirects=True), NATIVE)
    redirect, verifier = authorize(flow, "http://127.0.0.1:53124/callback")
    code = parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]
    response = flow.token(
        grant_type="authorization_code", code=code,
        redirect_uri="http://127.0.0.1:53125/callback", code_verifier=verifier,
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://127.0.0.1:53124/other",  # another path
        "http://127.0.0.1:53124/callback/",
        "http://127.0.0.1:53124/callback?x=1",  # another query
        "http://[::1]:53124/callback",  # another host
        "http://localhost:53124/callback",
        "https://127.0.0.1:53124/callback",  # another scheme
        "https://wallet.example:8443/callback",  # an HTTPS URI is matched exactly, port too
    ],
)
def test_a_loopback_redirect_differing_but_by_its_port_refused(
    serve: Callable[..., TestClient], redirect_uri: str
) -> None:
    flow, response = registered(serve(allow_loopback_redirects=True), REDIRECT_URI, NATIVE)
    assert response.status_code == 201
    refused, _ = authorize(flow, redirect_uri)
    assert refused.status_code == 400
    assert "Redirect URI" in refused.text
    assert "location" not in refused.headers


def test_a_registered_loopback_uri_is_not_matched_once_the_switch_is_off(
    serve: Callable[..., TestClient],
) -> None:
    flow, _ = registered(serve(allow_loopback_redirects=True), REDIRECT_URI, NATIVE)
    flow.http = serve()  # the same store, served without the switch
    refused, _ = authorize(flow, NATIVE)
    assert refused.status_code == 400
    assert "location" not in refused.headers


@pytest.mark.parametrize(
    ("uri", "loopback"),
    [
        ("http://127.0.0.1/cb", True),
        ("http://127.0.0.1:1/cb", True),
        ("http://[::1]:65535/cb", True),
        ("http://[::1]:65536/cb", False),
        ("http://localhost/cb", False),
        ("https://127.0.0.1/cb", False),
        ("http://127.0.0.1.wallet.example/cb", False),
        ("http://[::ffff:127.0.0.1]/cb", False),
        ("not a url", False),
    ],
)
def test_is_loopback_redirect(uri: str, loopback: bool) -> None:
    assert is_loopback_redirect(uri) is loopback
