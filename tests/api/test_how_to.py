"""docs/how-to/open-badges-api.md runs: each of its Python blocks is executed on its own, and
the app it builds is driven: the Starlette mount serves the API and its registration request
registers a client; the FastAPI app serves both APIs and the whole authorization flow; the
Django router sends the API's paths to the API and the rest to Django; the Flask session signs
the learner in to the API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from api_world import REDIRECT_URI, Flow, csrf_of, pkce
from starlette.testclient import TestClient
from test_docs import ROOT, fenced_blocks

DOC = ROOT / "docs" / "how-to" / "open-badges-api.md"
ORIGIN = "https://badges.example.edu"
OB_BASE = f"{ORIGIN}/ims/ob/v3p0"
CLR_BASE = f"{ORIGIN}/ims/clr/v2p0"
# The development account of the page's examples.
DOC_USER, DOC_PASSWORD = "ada", "a long development password"


def blocks(kind: str) -> list[str]:
    return [block.text for block in fenced_blocks(DOC) if block.kind == kind]


def python_block(marker: str) -> str:
    """The one Python block of the page that contains ``marker``."""
    (found,) = [text for text in blocks("python") if marker in text]
    return found


@pytest.fixture
def run_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Executes a block in a fresh namespace, in a working directory of its own (the page's
    store is api.db there); closes the block's store afterwards."""
    monkeypatch.chdir(tmp_path)
    namespaces: list[dict[str, Any]] = []

    def run(marker: str) -> dict[str, Any]:
        namespace: dict[str, Any] = {"__name__": "how_to_example"}
        namespaces.append(namespace)
        exec(compile(python_block(marker), f"{DOC.name}[{marker}]", "exec"), namespace)
        return namespace

    yield run
    for namespace in namespaces:
        namespace["store"].close()


def sign_in(http: TestClient, url: str) -> Any:
    """Open an authorize URL and sign in with the page's development account: the consent
    page."""
    page = http.get(url)
    assert 'type="password"' in page.text, page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text)
    assert action is not None
    login = http.post(
        ORIGIN + action.group(1).replace("&amp;", "&"),
        data={"username": DOC_USER, "password": DOC_PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert login.status_code == 303, login.text
    return http.get(login.headers["location"])


def code_of(redirect: Any) -> str:
    assert redirect.status_code == 302, redirect.text
    location = urlsplit(redirect.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    return parse_qs(location.query)["code"][0]


def redeem(flow: Flow, code: str, verifier: str) -> dict[str, Any]:
    response = flow.token(
        grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
        code_verifier=verifier,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def test_the_page_has_a_block_per_framework() -> None:
    python = blocks("python")
    assert len(python) == 4
    for marker in ("create_app(", "FastAPI()", "get_asgi_application()", "Flask(__name__)"):
        python_block(marker)


def test_the_mount_serves_the_api_and_the_registration_registers(
    run_block: Any, tmp_path: Path
) -> None:
    namespace = run_block("create_app(")
    (request,) = blocks("json")
    with TestClient(namespace["app"], base_url=ORIGIN) as client:
        discovery = client.get("/ims/ob/v3p0/discovery").json()
        scheme = discovery["components"]["securitySchemes"]["OAuth2ACG"]
        registered = client.post(scheme["x-imssf-registrationUrl"], json=json.loads(request))
    assert registered.status_code == 201, registered.text
    assert registered.json()["client_secret"]
    assert (tmp_path / "api.db").is_file()


def test_the_fastapi_app_serves_both_apis_and_the_flow(run_block: Any, credentials: Any) -> None:
    pytest.importorskip("fastapi", reason="FastAPI is not installed (the dev extra has it)")
    namespace = run_block("FastAPI()")
    with TestClient(namespace["platform"], base_url=ORIGIN, follow_redirects=False) as http:
        assert http.get("/").json() == {"platform": "Example University"}  # its own route
        for base in (OB_BASE, CLR_BASE):
            discovery = http.get(f"{base}/discovery")
            assert discovery.status_code == 200
            assert discovery.json()["servers"][0]["url"] == base

        flow = Flow(http, base=OB_BASE)
        assert flow.register().status_code == 201
        verifier, challenge = pkce()
        url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
        consent = sign_in(http, url)
        assert "Example Wallet" in consent.text
        tokens = redeem(flow, code_of(flow.allow(url, consent)), verifier)
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        posted = http.post(f"{OB_BASE}/credentials", json=credentials.first, headers=headers)
        assert posted.status_code == 201, posted.text
        listed = http.get(f"{OB_BASE}/credentials", headers=headers)
        assert listed.headers["x-total-count"] == "1"
        # The CLR 2.0 API, on the same store, holds none of this token's scopes.
        assert http.get(f"{CLR_BASE}/credentials", headers=headers).status_code == 403


def test_the_flask_session_signs_the_learner_in(run_block: Any) -> None:
    namespace = run_block("Flask(__name__)")
    flask_client = namespace["flask_app"].test_client()
    assert flask_client.post("/login").status_code == 200
    session_cookie = flask_client.get_cookie("session")
    assert session_cookie is not None

    with TestClient(namespace["app"], base_url=ORIGIN, follow_redirects=False) as http:
        flow = Flow(http, base=OB_BASE)
        assert flow.register().status_code == 201
        verifier, challenge = pkce()
        url = flow.authorize_url(code_challenge=challenge, code_challenge_method="S256")
        assert http.get(url).status_code == 401  # not signed in to the platform

        http.cookies.set("session", session_cookie.value[:-2] + "xx")  # a forged signature
        assert http.get(url).status_code == 401

        http.cookies.set("session", session_cookie.value)
        consent = http.get(url)
        assert consent.status_code == 200
        assert "Allow access?" in consent.text
        assert 'type="password"' not in consent.text
        redeem(flow, code_of(flow.allow(url, consent)), verifier)


DJANGO_RUN = """
import json, sys, types
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

urls = types.ModuleType("how_to_urls")
urls.urlpatterns = [path("", lambda request: HttpResponse("django here"))]
sys.modules["how_to_urls"] = urls
settings.configure(DEBUG=False, ALLOWED_HOSTS=["badges.example.edu"],
                   ROOT_URLCONF="how_to_urls", USE_TZ=True)
namespace = {"__name__": "how_to_example"}
exec(compile(sys.stdin.read(), "django block", "exec"), namespace)
from starlette.testclient import TestClient
with TestClient(namespace["application"], base_url="https://badges.example.edu") as http:
    discovery = http.get("/ims/ob/v3p0/discovery")
    home = http.get("/")
print(json.dumps({"discovery": discovery.status_code,
                  "servers": discovery.json()["servers"][0]["url"],
                  "home": [home.status_code, home.text]}))
namespace["store"].close()
"""


def test_the_django_router_sends_the_api_paths_to_the_api(tmp_path: Path) -> None:
    """Run in a process of its own: Django's settings are global and configured once."""
    pytest.importorskip("django", reason="Django is not installed (it is not in the dev extra)")
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(DJANGO_RUN)],
        input=python_block("get_asgi_application()"),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"discovery": 200, "servers": OB_BASE, "home": [200, "django here"]}
