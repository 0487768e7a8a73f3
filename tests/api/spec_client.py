"""A client of the Open Badges 3.0 API written from the spec's text alone: plain ``requests``
and the standard library (discovery, RFC 7591, RFC 6749 with RFC 7636 PKCE, RFC 7009, RFC
6750), nothing of vcbadge's own client, so that the provider is checked against the spec
rather than against code that shares its assumptions. Beyond the spec it knows only the test
user's name and password and that the login and consent pages are HTML forms (imported by
name: conftest.py puts this folder on the path)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import requests
from api_world import PASSWORD, USER

OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
READ, UPSERT = OB + "credential.readonly", OB + "credential.upsert"
PROFILE_READ, PROFILE_UPDATE = OB + "profile.readonly", OB + "profile.update"
REDIRECT_URI = "https://wallet.example/callback"
REGISTRATION = {
    "client_name": "Spec Script Wallet",
    "client_uri": "https://wallet.example/",
    "logo_uri": "https://wallet.example/logo.png",
    "tos_uri": "https://wallet.example/terms",
    "policy_uri": "https://wallet.example/privacy",
    "software_id": "6a3c1f0e-1d2b-4c5d-8e9f-0a1b2c3d4e5f",
    "software_version": "0.1",
    "redirect_uris": [REDIRECT_URI],
}


class _Forms(HTMLParser):
    """The forms of a page: each one's action and its named inputs and buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append({"action": values.get("action") or "", "fields": {}, "buttons": []})
        elif tag in ("input", "button") and self.forms and values.get("name"):
            form, name, value = self.forms[-1], values["name"], values.get("value") or ""
            kind = values.get("type") or ("submit" if tag == "button" else "text")
            if kind == "submit":
                form["buttons"].append((name, value))
            else:
                form["fields"][name] = (kind, value)


def forms_of(page: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def s256() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class SpecClient:
    """What a relying platform does, step by step, with the spec open beside it."""

    def __init__(self, base_url: str, ca_path: Path) -> None:
        self.base_url = base_url
        self.http = self._session(ca_path)
        self.browser = self._session(ca_path)  # the learner's browser: its own cookies
        self.discovery: dict[str, Any] = {}
        self.client: dict[str, Any] = {}

    @staticmethod
    def _session(ca_path: Path) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the test CA
        session.verify = str(ca_path)
        return session

    @property
    def scheme(self) -> dict[str, Any]:
        scheme: dict[str, Any] = self.discovery["components"]["securitySchemes"]["OAuth2ACG"]
        return scheme

    @property
    def flow(self) -> dict[str, Any]:
        flow: dict[str, Any] = self.scheme["flows"]["authorizationCode"]
        return flow

    def discover(self) -> requests.Response:
        response = self.http.get(f"{self.base_url}/discovery")
        self.discovery = response.json()
        return response

    def register(self, scope: str) -> requests.Response:
        response = self.http.post(
            self.scheme["x-imssf-registrationUrl"], json={**REGISTRATION, "scope": scope}
        )
        if response.status_code == 201:
            self.client = response.json()
        return response

    @property
    def basic(self) -> tuple[str, str]:
        return (self.client["client_id"], self.client["client_secret"])

    def authorize(self, scope: str, challenge: str, *, redirect_uri: str = REDIRECT_URI) -> Any:
        """The learner's browser through the authorization URL, the provider's login and
        consent forms; the response that sends it back to ``redirect_uri`` (not followed)."""
        state = secrets.token_urlsafe(16)
        params = {
            "response_type": "code",
            "client_id": self.client["client_id"],
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        page = self.browser.get(self.flow["authorizationUrl"], params=params)
        for _ in range(4):  # login, then consent; each a form to fill in and submit
            if page.is_redirect or page.status_code != 200:
                break
            (form,) = forms_of(page.text)
            typed = {"password": PASSWORD, "text": USER}
            fields = {
                name: typed.get(kind, value) for name, (kind, value) in form["fields"].items()
            }
            if not any(kind == "password" for kind, _ in form["fields"].values()):
                allow = [(name, value) for name, value in form["buttons"] if value == "allow"]
                assert allow, f"no Allow button on the consent page: {form}"
                fields.update(allow)
            page = self.browser.post(
                urljoin(page.url, form["action"]), data=fields, allow_redirects=False
            )
            while page.is_redirect and not page.headers["location"].startswith(redirect_uri):
                page = self.browser.get(
                    urljoin(page.url, page.headers["location"]), allow_redirects=False
                )
        page.state = state  # type: ignore[attr-defined]
        return page

    def code(self, scope: str, challenge: str) -> str:
        back = self.authorize(scope, challenge)
        assert back.status_code in (302, 303), back.text
        location = urlsplit(back.headers["location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
        query = parse_qs(location.query)
        assert query["state"] == [back.state]
        return query["code"][0]

    def token(self, **form: str) -> requests.Response:
        return self.http.post(self.flow["tokenUrl"], data=form, auth=self.basic)

    def tokens(self, scope: str) -> dict[str, Any]:
        verifier, challenge = s256()
        response = self.token(
            grant_type="authorization_code", code=self.code(scope, challenge),
            redirect_uri=REDIRECT_URI, code_verifier=verifier,
        )  # fmt: skip
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        assert tokens["token_type"].lower() == "bearer"
        return tokens

    def call(self, method: str, path: str, access: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {access}", **kwargs.pop("headers", {})}
        return self.http.request(method, f"{self.base_url}{path}", headers=headers, **kwargs)
