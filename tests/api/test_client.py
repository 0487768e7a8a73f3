"""The Open Badges 3.0 API client (vcbadge.api.ApiClient) over the guarded transport, against
the real provider served by uvicorn over TLS on loopback, and against small stub providers
(also real HTTPS servers) for what the provider never answers.

The learner's browser is played by plain ``requests`` posting the provider's login and consent
forms; the client sees only what a browser would hand back (the redirect to its callback).
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from api_world import PASSWORD, USER, Credentials
from asgi_server import ServerThread
from consent_walk import walk_consent
from loopback_server import TestCertificateAuthority, unused_port
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from vcbadge import Verifier
from vcbadge.api import (
    CLR20,
    OB30,
    ApiClient,
    ApiClientError,
    ApiStore,
    ClientRegistration,
    LoopbackRedirectListener,
    Tokens,
    create_api,
    service_description,
)
from vcbadge.errors import AddressNotAllowed, InputError
from vcbadge.http import GuardedTransport
from vcbadge.web import create_app

REDIRECT_URI = "https://wallet.example/callback"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
READ, UPSERT = OB + "credential.readonly", OB + "credential.upsert"


@dataclass
class StepClock:
    """A clock the test moves; its ``sleep`` moves it and records the wait."""

    moment: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    slept: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.moment

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.moment += timedelta(seconds=seconds)


@dataclass
class Provider:
    """The API in the web app, served by uvicorn over TLS on 127.0.0.1."""

    origin: str
    ca: TestCertificateAuthority
    server: ServerThread

    def transport(self) -> GuardedTransport:
        """A transport told explicitly to trust the test CA and to reach 127.0.0.1."""
        return GuardedTransport(ca_bundle=self.ca.ca_path, allowed_addresses=("127.0.0.1",))

    def client(self, clock: StepClock | None = None, **options: Any) -> ApiClient:
        clock = clock or StepClock()
        return ApiClient(
            self.origin, transport=self.transport(), clock=clock, sleep=clock.sleep, **options
        )


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> TestCertificateAuthority:
    return TestCertificateAuthority(tmp_path_factory.mktemp("client-ca"))


def serve(app: Starlette, ca: TestCertificateAuthority, port: int = 0) -> ServerThread:
    certfile, keyfile = ca.issue(["localhost", "127.0.0.1"], stem=f"server-{port}")
    return ServerThread(
        app, port=port, ssl_certfile=str(certfile), ssl_keyfile=str(keyfile)
    ).start()


@pytest.fixture
def make_provider(
    store: ApiStore, ca: TestCertificateAuthority
) -> Iterator[Callable[..., Provider]]:
    """``make_provider(**create_api options)``: the Open Badges API and the CLR API on one
    store, served over TLS on 127.0.0.1 (stopped at teardown)."""
    servers: list[ServerThread] = []

    def make(**options: Any) -> Provider:
        port = unused_port()
        origin = f"https://127.0.0.1:{port}"
        common: dict[str, Any] = {
            "verifier": Verifier.offline(),
            "privacy_policy_url": f"{origin}/privacy",
            "users": {USER: PASSWORD},
            **options,
        }
        routes = [
            Mount(standard.path, create_api(store, base_url=f"{origin}{standard.path}",
                                            standard=standard, **common))
            for standard in (OB30, CLR20)
        ]  # fmt: skip
        servers.append(serve(create_app(offline=True, routes=routes), ca, port))
        return Provider(origin=origin, ca=ca, server=servers[-1])

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def provider(make_provider: Callable[..., Provider]) -> Provider:
    return make_provider()


def wallet(
    redirect_uri: str = REDIRECT_URI, scope: str | None = f"{READ} {UPSERT}"
) -> ClientRegistration:
    """The wallet's metadata, every URL on its redirect URI's host (the provider's rule)."""
    origin = f"https://{urlsplit(redirect_uri).hostname}"
    return ClientRegistration(
        client_name="Example Wallet",
        client_uri=f"{origin}/",
        logo_uri=f"{origin}/logo.png",
        tos_uri=f"{origin}/terms",
        policy_uri=f"{origin}/privacy",
        software_id="c88b6ed8-269e-448e-99be-7e2ff47167d1",
        software_version="1.0",
        redirect_uris=(redirect_uri,),
        scope=scope,
    )


class Browser:
    """The learner's browser: opens the authorization URL, signs in on the login form, presses
    Allow (or Deny) on the consent page, and hands back where the provider redirects it."""

    def __init__(self, ca: TestCertificateAuthority) -> None:
        self.http = requests.Session()
        self.http.verify = str(ca.ca_path)
        self.http.trust_env = False

    def consent(self, url: str, decision: str = "allow") -> str:
        return walk_consent(self.http, url, user=USER, password=PASSWORD, decision=decision)

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browser(ca: TestCertificateAuthority) -> Iterator[Browser]:
    browser = Browser(ca)
    try:
        yield browser
    finally:
        browser.close()


def authorized(
    provider: Provider, browser: Browser, clock: StepClock, scope: str | None = None
) -> ApiClient:
    """A client registered and authorized by the learner (login and consent forms)."""
    client = provider.client(clock)
    client.register(wallet())
    pending = client.authorization(REDIRECT_URI, scope or f"{READ} {UPSERT}")
    client.complete(pending, browser.consent(pending.url))
    return client


# Against the provider


def test_register_authorize_push_and_pull_over_three_pages(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    client = authorized(provider, browser, StepClock())
    assert client.tokens is not None
    assert client.upsert_credential(credentials.first) == 201
    assert client.upsert_credential(credentials.first) == 200
    assert client.upsert_credential(credentials.jwt) == 201
    assert client.upsert_credential(credentials.second) == 201
    assert client.upsert_credential(credentials.first_reissued) == 200

    pulled = list(client.get_credentials(limit=1))
    assert len(pulled) == 3
    assert [item for item in pulled if isinstance(item, dict)] == [
        credentials.first_reissued,
        credentials.second,
    ]
    assert [item for item in pulled if isinstance(item, str)] == [credentials.jwt]


def test_the_page_count_is_bounded(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    client = authorized(provider, browser, StepClock())
    for badge in (credentials.first, credentials.second, credentials.jwt):
        client.upsert_credential(badge)
    bounded = ApiClient(
        provider.origin, transport=provider.transport(), client_id=client.client_id,
        client_secret=client.client_secret, tokens=client.tokens, max_pages=2,
    )  # fmt: skip
    pages = bounded.get_credentials(limit=1)
    assert len([next(pages), next(pages)]) == 2
    with pytest.raises(ApiClientError) as refused:
        next(pages)
    assert refused.value.code == "api_too_many_pages"
    assert refused.value.path == "/credentials"


def test_a_tampered_credential_is_refused_and_not_stored(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    client = authorized(provider, browser, StepClock())
    tampered = json.loads(json.dumps(credentials.first))
    tampered["credentialSubject"]["achievement"]["name"] = "Python 999"
    with pytest.raises(ApiClientError) as refused:
        client.upsert_credential(tampered)
    assert (refused.value.code, refused.value.status) == ("api_credential_refused", 400)
    assert list(client.get_credentials()) == []


def test_a_missing_scope_is_insufficient_scope(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    client = authorized(provider, browser, StepClock(), scope=READ)
    with pytest.raises(ApiClientError) as refused:
        client.upsert_credential(credentials.first)
    assert (refused.value.code, refused.value.status) == ("api_insufficient_scope", 403)
    assert refused.value.path == "/credentials"


def test_an_expired_token_is_refreshed_first(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    clock = StepClock()
    client = authorized(provider, browser, clock)
    assert client.tokens is not None
    before = client.tokens
    clock.moment = before.expires_at + timedelta(seconds=1)
    assert client.upsert_credential(credentials.first) == 201
    assert client.tokens.access_token != before.access_token
    assert client.tokens.refresh_token != before.refresh_token  # refresh tokens rotate


def test_a_401_refreshes_once(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    client = authorized(provider, browser, StepClock())
    assert client.tokens is not None
    rejected = client.tokens.access_token + "x"
    client.tokens = Tokens(
        access_token=rejected, refresh_token=client.tokens.refresh_token,
        expires_at=client.tokens.expires_at, scope=client.tokens.scope,
    )  # fmt: skip
    assert client.upsert_credential(credentials.first) == 201
    assert client.tokens.access_token != rejected


def test_a_401_without_a_refresh_token_is_refused(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    clock = StepClock()
    client = authorized(provider, browser, clock)
    client.tokens = Tokens(
        access_token="not-a-token", refresh_token=None,
        expires_at=clock.moment + timedelta(hours=1), scope="",
    )  # fmt: skip
    with pytest.raises(ApiClientError) as refused:
        client.upsert_credential(credentials.first)
    assert (refused.value.code, refused.value.status) == ("api_not_authorized", 401)
    assert refused.value.path == "/credentials"


def test_a_refused_refresh_is_not_authorized(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    clock = StepClock()
    client = authorized(provider, browser, clock)
    assert client.tokens is not None
    client.tokens = Tokens(
        access_token=client.tokens.access_token, refresh_token="not-a-refresh-token",
        expires_at=clock.moment, scope=client.tokens.scope,
    )  # fmt: skip
    with pytest.raises(ApiClientError) as refused:
        client.upsert_credential(credentials.first)
    assert refused.value.code == "api_not_authorized"
    assert refused.value.path == "/token"


def test_revoked_tokens_are_refused(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    client = authorized(provider, browser, StepClock())
    kept = client.tokens
    client.revoke()
    assert client.tokens is None
    with pytest.raises(ApiClientError) as unauthorized:
        client.upsert_credential(credentials.first)
    assert unauthorized.value.code == "api_not_authorized"
    client.tokens = kept  # what a copy of the revoked tokens would still try
    with pytest.raises(ApiClientError) as refused:
        client.upsert_credential(credentials.first)
    assert refused.value.code == "api_not_authorized"


def test_a_client_resumes_from_what_it_kept(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    first = authorized(provider, browser, StepClock())
    assert first.tokens is not None
    saved = json.loads(json.dumps(first.tokens.as_json()))
    resumed = provider.client(
        client_id=first.client_id, client_secret=first.client_secret,
        tokens=Tokens.from_json(saved),
    )  # fmt: skip
    assert resumed.upsert_credential(credentials.first) == 201
    assert resumed.refresh().access_token != first.tokens.access_token


def test_profile_get_and_put(provider: Provider, browser: Browser) -> None:
    client = provider.client()
    if "/profile" not in json.dumps(
        requests.get(
            f"{provider.origin}/ims/ob/v3p0/discovery", verify=str(provider.ca.ca_path), timeout=5
        ).json()["paths"]
    ):
        pytest.skip("this provider does not serve /profile yet (issue 17, in progress)")
    client.register(wallet(scope=None))
    pending = client.authorization(REDIRECT_URI)
    client.complete(pending, browser.consent(pending.url))
    profile = {"id": "did:example:ada", "type": ["Profile"], "name": "Ada Lovelace"}
    assert client.put_profile(profile)["name"] == "Ada Lovelace"
    assert client.get_profile()["name"] == "Ada Lovelace"


def test_the_token_endpoints_rate_limit_is_waited_out_then_refused(
    make_provider: Callable[..., Provider], browser: Browser
) -> None:
    provider = make_provider(token_rate=(2, 60.0))
    clock = StepClock()
    client = authorized(provider, browser, clock)  # the first token request
    client.refresh()  # the second
    with pytest.raises(ApiClientError) as refused:
        client.refresh()  # the provider's clock does not move with the client's sleeps
    assert (refused.value.code, refused.value.status) == ("api_rate_limited", 429)
    assert len(clock.slept) == 3
    assert all(0 < wait <= 60 for wait in clock.slept)


def test_a_retry_after_over_the_cap_is_not_waited(
    make_provider: Callable[..., Provider],
) -> None:
    provider = make_provider(registration_rate=(1, 3600.0))
    clock = StepClock()
    provider.client(clock).register(wallet())
    with pytest.raises(ApiClientError) as refused:
        provider.client(clock).register(wallet())
    assert (refused.value.code, refused.value.status) == ("api_rate_limited", 429)
    assert clock.slept == []


def test_the_clr_api(provider: Provider, browser: Browser) -> None:
    client = provider.client(service=CLR20)
    client.register(wallet(scope=None))
    pending = client.authorization(REDIRECT_URI)
    assert "/ims/clr/v2p0/oauth/authorize?" in pending.url
    tokens = client.complete(pending, browser.consent(pending.url))
    assert set(tokens.scope.split()) == set(CLR20.all_scopes.split())
    assert list(client.get_credentials()) == []


def test_state_and_redirect_mismatches_are_refused(provider: Provider) -> None:
    client = provider.client()
    client.register(wallet())
    pending = client.authorization(REDIRECT_URI)
    with pytest.raises(ApiClientError) as forged:
        client.complete(pending, f"{REDIRECT_URI}?code=abc&state=forged")
    assert (forged.value.code, forged.value.path) == ("api_state_mismatch", "/callback/state")
    with pytest.raises(ApiClientError) as elsewhere:
        client.complete(pending, f"https://evil.example/callback?code=abc&state={pending.state}")
    assert elsewhere.value.code == "api_redirect_mismatch"
    with pytest.raises(ApiClientError) as codeless:
        client.complete(pending, f"{REDIRECT_URI}?state={pending.state}")
    assert (codeless.value.code, codeless.value.path) == ("api_bad_response", "/callback/code")


def test_a_refused_registration(provider: Provider) -> None:
    client = provider.client()
    elsewhere = ClientRegistration(
        **{**wallet().__dict__, "tos_uri": "https://another-host.example/terms"}
    )
    with pytest.raises(ApiClientError) as refused:
        client.register(elsewhere)
    assert (refused.value.code, refused.value.status) == ("api_registration_refused", 400)
    assert "invalid_client_metadata" in str(refused.value)
    assert client.client_id is None


def test_a_denied_authorization_is_refused(provider: Provider, browser: Browser) -> None:
    client = provider.client()
    client.register(wallet())
    pending = client.authorization(REDIRECT_URI)
    with pytest.raises(ApiClientError) as refused:
        client.complete(pending, browser.consent(pending.url, decision="deny"))
    assert refused.value.code == "api_authorization_refused"


def test_a_code_redeemed_twice_is_refused(provider: Provider, browser: Browser) -> None:
    client = provider.client()
    client.register(wallet())
    pending = client.authorization(REDIRECT_URI)
    callback = browser.consent(pending.url)
    client.complete(pending, callback)
    with pytest.raises(ApiClientError) as refused:
        client.complete(pending, callback)
    assert (refused.value.code, refused.value.status) == ("api_not_authorized", 400)


def test_calls_out_of_order_are_refused(provider: Provider, credentials: Credentials) -> None:
    client = provider.client()
    with pytest.raises(ApiClientError) as unregistered:
        client.authorization(REDIRECT_URI)
    assert unregistered.value.code == "api_not_registered"
    with pytest.raises(ApiClientError) as unauthorized:
        client.upsert_credential(credentials.first)
    assert unauthorized.value.code == "api_not_authorized"
    with pytest.raises(ApiClientError) as no_refresh:
        client.refresh()
    assert no_refresh.value.code == "api_not_authorized"


def test_the_transport_must_be_told_to_reach_loopback(provider: Provider) -> None:
    strict = ApiClient(provider.origin, transport=GuardedTransport(ca_bundle=provider.ca.ca_path))
    with pytest.raises(AddressNotAllowed) as refused:
        strict.discover()
    assert refused.value.code == "private_address"


# The loopback redirect listener (RFC 8252), as `vcbadge api login` uses it


def listener_tls(ca: TestCertificateAuthority) -> ssl.SSLContext:
    certfile, keyfile = ca.issue(["127.0.0.1"], stem="listener")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certfile, keyfile)
    return context


def test_log_in_through_the_loopback_listener(
    provider: Provider, browser: Browser, credentials: Credentials
) -> None:
    # This provider accepts only HTTPS redirect URIs all on the client's host, so the listener
    # serves TLS and the client's metadata names 127.0.0.1.
    with LoopbackRedirectListener(tls=listener_tls(provider.ca)) as listener:
        assert listener.redirect_uri == f"https://127.0.0.1:{listener.port}/callback"
        client = provider.client()
        client.register(wallet(listener.redirect_uri))
        answers: list[int] = []

        def open_in_browser(url: str) -> None:
            # The browser follows the provider's redirect to the listener, in the background
            # as a real browser would while the command waits.
            def run() -> None:
                answers.append(browser.http.get(browser.consent(url), timeout=5).status_code)

            threading.Thread(target=run, daemon=True).start()

        tokens = client.log_in(listener, open_url=open_in_browser, timeout=20)
    assert answers == [200]
    assert tokens.scope.split() == [READ, UPSERT]
    assert client.upsert_credential(credentials.first) == 201


def test_a_stalled_connection_does_not_block_the_tls_listener(
    ca: TestCertificateAuthority,
) -> None:
    with LoopbackRedirectListener(tls=listener_tls(ca)) as listener:
        stalled = socket.create_connection(("127.0.0.1", listener.port))
        try:
            answer = requests.get(
                f"{listener.redirect_uri}?code=a&state=b", verify=str(ca.ca_path), timeout=5
            )
        finally:
            stalled.close()
        assert answer.status_code == 200
        assert listener.wait(1).endswith("?code=a&state=b")


def test_the_listener_times_out() -> None:
    with LoopbackRedirectListener() as listener:
        assert listener.redirect_uri.startswith("http://127.0.0.1:")
        with pytest.raises(ApiClientError) as refused:
            listener.wait(0.05)
    assert refused.value.code == "api_callback_timeout"


def test_the_listener_takes_only_its_path_and_only_once() -> None:
    with LoopbackRedirectListener() as listener:
        base = listener.redirect_uri.removesuffix("/callback")
        assert requests.get(f"{base}/favicon.ico", timeout=5).status_code == 404
        assert requests.get(f"{listener.redirect_uri}?code=a&state=b", timeout=5).ok
        assert requests.get(f"{listener.redirect_uri}?code=c&state=d", timeout=5).status_code == 404
        assert listener.wait(1) == f"{listener.redirect_uri}?code=a&state=b"


# Against stub providers (for what the provider never answers)


class Stub:
    """A provider whose discovery and credentials endpoints answer what the test says."""

    def __init__(self, ca: TestCertificateAuthority, service_path: str = "/ims/ob/v3p0") -> None:
        self.discovery: Callable[[Request], Response] = lambda request: JSONResponse(
            self.document()
        )
        self.credentials: Callable[[Request], Response] = lambda request: JSONResponse({})
        self.hits: list[str] = []
        self.path = service_path
        app = Starlette(
            routes=[
                Route(f"{service_path}/discovery", self._discovery),
                Route(f"{service_path}/credentials", self._credentials, methods=["GET", "POST"]),
                Route("/elsewhere", self._credentials, methods=["GET", "POST"]),
            ]
        )
        self.server = serve(app, ca)
        self.origin = f"https://127.0.0.1:{self.server.port}"
        self.ca = ca

    def document(self, **flow: str) -> dict[str, Any]:
        document = service_description(
            f"{self.origin}{self.path}", privacy_policy_url=f"{self.origin}/privacy", title="Stub"
        )
        document["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"].update(
            flow
        )
        return document

    async def _discovery(self, request: Request) -> Response:
        self.hits.append(request.url.path)
        return self.discovery(request)

    async def _credentials(self, request: Request) -> Response:
        self.hits.append(f"{request.url.path}?{request.url.query}")
        return self.credentials(request)

    def client(self, clock: StepClock | None = None, **options: Any) -> ApiClient:
        clock = clock or StepClock()
        transport = GuardedTransport(ca_bundle=self.ca.ca_path, allowed_addresses=("127.0.0.1",))
        tokens = Tokens(
            access_token="stub", refresh_token=None,
            expires_at=clock.moment + timedelta(hours=1), scope="",
        )  # fmt: skip
        return ApiClient(
            self.origin, transport=transport, clock=clock, sleep=clock.sleep, tokens=tokens,
            **options,
        )  # fmt: skip


@pytest.fixture
def stub(ca: TestCertificateAuthority) -> Iterator[Stub]:
    stub = Stub(ca)
    try:
        yield stub
    finally:
        stub.server.stop()


@pytest.mark.parametrize(
    "token_url",
    [
        "http://127.0.0.1/token",
        "https://user:secret@127.0.0.1/token",
        "https://127.0.0.1/token#fragment",
        "/relative/token",
    ],
)
def test_a_discovery_document_with_an_unsafe_url_is_refused(stub: Stub, token_url: str) -> None:
    stub.discovery = lambda request: JSONResponse(stub.document(tokenUrl=token_url))
    with pytest.raises(ApiClientError) as refused:
        stub.client().discover()
    assert refused.value.code == "api_unsafe_url"
    assert refused.value.path.endswith("/authorizationCode/tokenUrl")


def test_an_advertised_private_address_is_the_transports_to_refuse(stub: Stub) -> None:
    stub.discovery = lambda request: JSONResponse(
        stub.document(refreshUrl="https://10.1.2.3/token")
    )
    client = stub.client(client_id="id", client_secret="secret")
    client.tokens = Tokens(
        access_token="a", refresh_token="r", expires_at=StepClock().moment, scope=""
    )
    with pytest.raises(AddressNotAllowed) as refused:
        client.refresh()
    assert refused.value.code == "private_address"


@pytest.mark.parametrize("document", [{"openapi": "3.0.1"}, [], {"servers": "x"}])
def test_a_discovery_document_without_the_scheme_is_refused(stub: Stub, document: Any) -> None:
    stub.discovery = lambda request: JSONResponse(document)
    with pytest.raises(ApiClientError) as refused:
        stub.client().discover()
    assert refused.value.code in ("api_bad_discovery", "api_bad_response")
    assert refused.value.code == ("api_bad_response" if document == [] else "api_bad_discovery")


def test_discovery_is_cached_for_its_max_age_then_revalidated_with_its_etag(stub: Stub) -> None:
    seen: list[str | None] = []

    def discovery(request: Request) -> Response:
        seen.append(request.headers.get("if-none-match"))
        if request.headers.get("if-none-match") == '"v1"':
            return Response(status_code=304, headers={"Cache-Control": "max-age=60"})
        return JSONResponse(
            stub.document(), headers={"Cache-Control": "max-age=60", "ETag": '"v1"'}
        )

    stub.discovery = discovery
    clock = StepClock()
    client = stub.client(clock)
    first = client.discover()
    clock.moment += timedelta(seconds=59)
    assert client.discover() is first
    assert seen == [None]
    clock.moment += timedelta(seconds=2)
    assert client.discover() == first
    assert seen == [None, '"v1"']
    clock.moment += timedelta(seconds=30)
    client.discover()
    assert len(seen) == 2  # the 304's max-age counts again


def test_no_store_is_not_cached(stub: Stub) -> None:
    stub.discovery = lambda request: JSONResponse(
        stub.document(), headers={"Cache-Control": "no-store, max-age=60"}
    )
    client = stub.client()
    client.discover()
    client.discover()
    assert stub.hits == ["/ims/ob/v3p0/discovery"] * 2


def test_retry_after_is_honoured(stub: Stub) -> None:
    clock = StepClock(moment=datetime(2026, 1, 1, tzinfo=timezone.utc))
    # Seconds, then an HTTP date 5 seconds after the client's clock at that point (7 s on).
    answers = [(429, "7"), (503, "Thu, 01 Jan 2026 00:00:12 GMT")]

    def discovery(request: Request) -> Response:
        if answers:
            status, retry_after = answers.pop(0)
            return Response(status_code=status, headers={"Retry-After": retry_after})
        return JSONResponse(stub.document())

    stub.discovery = discovery
    assert stub.client(clock).discover().token == f"{stub.origin}/ims/ob/v3p0/oauth/token"
    assert clock.slept == [7.0, 5.0]


@pytest.mark.parametrize("retry_after", ["1", "600", "soon", None])
def test_retries_are_bounded(stub: Stub, retry_after: str | None) -> None:
    headers = {"Retry-After": retry_after} if retry_after else {}
    stub.discovery = lambda request: Response(status_code=429, headers=headers)
    clock = StepClock()
    with pytest.raises(ApiClientError) as refused:
        stub.client(clock).discover()
    assert (refused.value.code, refused.value.status) == ("api_rate_limited", 429)
    # At most three waits, none past the cap, none without a readable Retry-After.
    assert clock.slept == ([1.0, 1.0, 1.0] if retry_after == "1" else [])
    assert len(stub.hits) == (4 if retry_after == "1" else 1)


def test_a_redirect_is_refused_not_followed(stub: Stub) -> None:
    stub.credentials = lambda request: Response(
        status_code=307, headers={"Location": f"{stub.origin}/elsewhere"}
    )
    with pytest.raises(ApiClientError) as refused:
        stub.client().upsert_credential({"id": "urn:example:1"})
    assert (refused.value.code, refused.value.status) == ("api_redirected", 307)
    assert not [hit for hit in stub.hits if hit.startswith("/elsewhere")]


@pytest.mark.parametrize(
    "next_url",
    [
        "https://elsewhere.example/ims/ob/v3p0/credentials?offset=1",
        "/elsewhere?offset=1",
        "/ims/ob/v3p0/credentials?offset=0",  # the first page again: a loop
    ],
)
def test_a_next_link_off_the_endpoint_or_looping_is_refused(stub: Stub, next_url: str) -> None:
    stub.credentials = lambda request: JSONResponse(
        {"compactJwsStrings": ["a.b.c"]}, headers={"Link": f'<{next_url}>; rel="next"'}
    )
    pages = stub.client().get_credentials()
    assert next(pages) == "a.b.c"  # the spec sample's plural member is read too
    with pytest.raises(ApiClientError) as refused:
        list(pages)
    assert (refused.value.code, refused.value.path) == ("api_bad_response", "/credentials")


def test_links_are_read_as_rfc_8288_says(stub: Stub) -> None:
    def page(request: Request) -> Response:
        offset = int(request.query_params["offset"])
        links = [
            '</ims/ob/v3p0/credentials?offset=0>; rel="first"',
            f'</ims/ob/v3p0/credentials?offset={offset + 1}>; title="more"; rel="next last"',
        ]
        headers = {"Link": ", ".join(links if offset < 2 else links[:1])}
        return JSONResponse({"compactJwsString": [f"jws.{offset}.x"]}, headers=headers)

    stub.credentials = page
    assert list(stub.client().get_credentials()) == ["jws.0.x", "jws.1.x", "jws.2.x"]


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"credential": {"id": 1}}, "/credentials/credential"),
        ({"credential": ["not an object"]}, "/credentials/credential"),
        ({"compactJwsString": [1]}, "/credentials/compactJwsString"),
        ({"compactJwsStrings": "a.b.c"}, "/credentials/compactJwsStrings"),
    ],
)
def test_a_malformed_page_is_refused(stub: Stub, body: dict[str, Any], path: str) -> None:
    stub.credentials = lambda request: JSONResponse(body)
    with pytest.raises(ApiClientError) as refused:
        list(stub.client().get_credentials())
    assert (refused.value.code, refused.value.path) == ("api_bad_response", path)


def test_an_unexpected_status_is_refused(stub: Stub) -> None:
    stub.credentials = lambda request: Response(status_code=500)
    with pytest.raises(ApiClientError) as refused:
        list(stub.client().get_credentials())
    assert (refused.value.code, refused.value.status) == ("api_http_status", 500)


def test_clr_uses_its_own_paths_and_member(ca: TestCertificateAuthority) -> None:
    stub = Stub(ca, service_path="/ims/clr/v2p0")
    try:
        stub.credentials = lambda request: JSONResponse(
            {
                "clrCredential": [{"id": "urn:example:clr"}],
                "credential": [{"id": "urn:example:clr2"}],
                "compactJwsString": ["a.b.c"],
            }
        )
        client = stub.client(service=CLR20)
        assert list(client.get_credentials()) == [
            {"id": "urn:example:clr2"},
            {"id": "urn:example:clr"},
            "a.b.c",
        ]
        assert stub.hits[0] == "/ims/clr/v2p0/discovery"
        assert CLR20.scope("credential.readonly").startswith("https://purl.imsglobal.org/spec/clr/")
    finally:
        stub.server.stop()


# Without a server


@pytest.mark.parametrize(
    "base_url", ["http://badges.example", "https://user:pw@badges.example", "badges.example"]
)
def test_an_unsafe_base_url_is_refused(base_url: str) -> None:
    with pytest.raises(ApiClientError) as refused:
        ApiClient(base_url)
    assert (refused.value.code, refused.value.path) == ("api_unsafe_url", "/base_url")


def test_a_jws_that_is_not_ascii_is_refused_before_sending() -> None:
    client = ApiClient("https://badges.example", tokens=Tokens(
        access_token="a", refresh_token=None,
        expires_at=datetime.now(timezone.utc) + timedelta(hours=1), scope="",
    ))  # fmt: skip
    with pytest.raises(InputError) as refused:
        client.upsert_credential("eyJ\u00e9.a.b")
    assert refused.value.code == "invalid_input"


@pytest.mark.parametrize(
    "saved",
    [
        {},
        {"access_token": "a", "refresh_token": None, "scope": "", "expires_at": "tomorrow"},
        {"access_token": "a", "refresh_token": None, "scope": "", "expires_at": "2026-01-01"},
        {"access_token": 1, "refresh_token": None, "scope": "", "expires_at": "2026-01-01Z"},
    ],
)
def test_saved_tokens_that_are_not_are_refused(saved: dict[str, Any]) -> None:
    with pytest.raises(InputError) as refused:
        Tokens.from_json(saved)
    assert (refused.value.code, refused.value.path) == ("invalid_input", "/tokens")


def test_tokens_keep_their_secrets_out_of_repr(tmp_path: Path) -> None:
    tokens = Tokens(
        access_token="secret-access", refresh_token="secret-refresh",
        expires_at=datetime.now(timezone.utc), scope="s",
    )  # fmt: skip
    assert "secret" not in repr(tokens)
    assert Tokens.from_json(tokens.as_json()) == tokens
