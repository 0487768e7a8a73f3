"""Helpers for the Open Badges API tests: the client side of the OAuth flow, as a browser and
a relying platform walk it (imported by name: conftest.py puts this folder on the path)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.testclient import TestClient

from vcbadge.api import SCOPES

BASE = "https://testserver/ims/ob/v3p0"
REDIRECT_URI = "https://wallet.example/callback"
USER, PASSWORD = "ada", "correct horse battery staple"
READ, UPSERT = (f"https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.{name}"
                for name in ("readonly", "upsert"))  # fmt: skip


def registration(**changes: Any) -> dict[str, Any]:
    """A valid RFC 7591 registration request of the OB 3.0 profile, with ``changes``."""
    body: dict[str, Any] = {
        "client_name": "Example Wallet",
        "client_uri": "https://wallet.example/",
        "logo_uri": "https://wallet.example/logo.png",
        "tos_uri": "https://wallet.example/terms",
        "policy_uri": "https://wallet.example/privacy",
        "software_id": "c88b6ed8-269e-448e-99be-7e2ff47167d1",
        "software_version": "1.0",
        "redirect_uris": [REDIRECT_URI],
        "scope": " ".join(SCOPES),
    }
    body.update(changes)
    return body


def pkce() -> tuple[str, str]:
    """A PKCE verifier and its S256 challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


@dataclass
class Flow:
    """A registered client walking the authorization code flow against the app."""

    http: TestClient
    client_id: str = ""
    client_secret: str = ""
    base: str = BASE  # the API's URL (the CLR 2.0 API's for a CLR flow)
    scope: str = f"{READ} {UPSERT}"  # what authorize_url asks for
    registered_scope: str = field(default_factory=lambda: " ".join(SCOPES))

    def register(self, **changes: Any) -> Any:
        body = registration(**{"scope": self.registered_scope, **changes})
        response = self.http.post(f"{self.base}/oauth/register", json=body)
        if response.status_code == 201:
            self.client_id = response.json()["client_id"]
            self.client_secret = response.json()["client_secret"]
        return response

    @property
    def basic(self) -> tuple[str, str]:
        return (self.client_id, self.client_secret)

    def authorize_url(self, **params: str) -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": self.scope,
            "state": "xyz",
            **params,
        }
        return f"{self.base}/oauth/authorize?{urlencode({k: v for k, v in query.items() if v})}"

    def log_in(self, url: str) -> Any:
        """Open ``url`` (an authorize URL), sign in on the login form; the consent page."""
        page = self.http.get(url)
        assert page.status_code == 200, page.text
        assert 'type="password"' in page.text
        form = urlsplit(re.search(r'<form method="post" action="([^"]+)"', page.text)[1])  # type: ignore[index]
        origin = urlsplit(self.base)
        login = self.http.post(
            f"{origin.scheme}://{origin.netloc}{form.path}?{form.query}".replace("&amp;", "&"),
            data={"username": USER, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        )
        assert login.status_code == 303, login.text
        return self.http.get(login.headers["location"])

    def allow(self, url: str, consent: Any) -> Any:
        """Press Allow on the consent page of ``url``: the redirect to the client."""
        return self.http.post(url, data={"csrf_token": csrf_of(consent.text), "decision": "allow"})

    def code(self, challenge: str, **params: str) -> str:
        url = self.authorize_url(code_challenge=challenge, code_challenge_method="S256", **params)
        consent = self.log_in(url)
        redirect = self.allow(url, consent)
        assert redirect.status_code == 302, redirect.text
        location = urlsplit(redirect.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
        query = parse_qs(location.query)
        assert query["state"] == ["xyz"]
        return query["code"][0]

    def token(self, **form: str) -> Any:
        return self.http.post(f"{self.base}/oauth/token", data=form, auth=self.basic)

    def tokens(self) -> dict[str, Any]:
        """Register, authorize (PKCE S256) and redeem the code: the token response."""
        verifier, challenge = pkce()
        code = self.code(challenge)
        response = self.token(
            grant_type="authorization_code", code=code, redirect_uri=REDIRECT_URI,
            code_verifier=verifier,
        )  # fmt: skip
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens


@dataclass(frozen=True)
class Credentials:
    """Badges signed by vcbadge: two JSON credentials and one VC-JWT."""

    first: dict[str, Any]
    second: dict[str, Any]
    first_reissued: dict[str, Any]  # the first's issuer and id, a day later
    jwt: str


class MovableClock:
    """A clock the test moves forward (token expiry, rate limits)."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)
