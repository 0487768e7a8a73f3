"""``ApiClient``: the client side of the Open Badges 3.0 (and CLR 2.0) REST API.

It reads a provider's discovery document (cached for its ``Cache-Control: max-age``,
revalidated with its ``ETag``), registers itself (RFC 7591 with the OB 3.0 metadata), walks the
authorization code grant with PKCE S256 (a :class:`LoopbackRedirectListener` receives the code
for a command-line client, RFC 8252), keeps its tokens fresh (refreshed when expired and once on
a 401), revokes them (RFC 7009), pushes and pulls credentials (paging through ``Link: next``)
and reads and updates the learner's profile.

Every request goes through :meth:`vcbadge.http.GuardedTransport.request`: the transport's
host-name and address rules, pinned connections, deadline and size cap apply to the discovery
document and to every URL it advertises, and no redirect is followed. The client adds the rules
of the API: HTTPS URLs without credentials, a ``Link: next`` that stays on the credentials
endpoint, a bounded number of pages, and ``Retry-After`` waits that are bounded too.

Refusals are :class:`ApiClientError` with a stable ``code`` (listed in
docs/verification-policy.md); what the transport refuses stays a
:class:`vcbadge.errors.NetworkError` with the transport's code.
"""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import json
import re
import secrets
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

from vcbadge.api.standards import CLR20, OB30, ApiStandard
from vcbadge.clock import SystemClock
from vcbadge.errors import InputError, VcbadgeError
from vcbadge.http import GuardedTransport
from vcbadge.protocols import Response

__all__ = [
    "CLR20",
    "OB30",
    "ApiClient",
    "ApiClientError",
    "ApiStandard",
    "ClientRegistration",
    "Endpoints",
    "LoopbackRedirectListener",
    "PendingAuthorization",
    "Tokens",
]

# A token this close to its expiry is refreshed before it is used.
EXPIRY_MARGIN = timedelta(seconds=30)
_JSON = ("application/json",)


class ApiClientError(VcbadgeError):
    """The provider answered something the client refuses or cannot use; ``status`` is the
    HTTP status when one was answered (0 otherwise)."""

    code = "api_client"

    def __init__(self, message: str, *, code: str, path: str = "", status: int = 0) -> None:
        super().__init__(message, code=code, path=path)
        self.status = status


class Clock(Protocol):
    def now(self) -> datetime: ...


@dataclass(frozen=True, kw_only=True)
class ClientRegistration:
    """The client's RFC 7591 metadata (the members OB 3.0 requires). ``scope`` None asks for
    every scope of the client's service."""

    client_name: str
    client_uri: str
    logo_uri: str
    tos_uri: str
    policy_uri: str
    software_id: str
    software_version: str
    redirect_uris: tuple[str, ...]
    scope: str | None = None

    def as_json(self, service: ApiStandard) -> dict[str, Any]:
        """The registration request body."""
        return {
            "client_name": self.client_name,
            "client_uri": self.client_uri,
            "logo_uri": self.logo_uri,
            "tos_uri": self.tos_uri,
            "policy_uri": self.policy_uri,
            "software_id": self.software_id,
            "software_version": self.software_version,
            "redirect_uris": list(self.redirect_uris),
            "scope": self.scope or service.all_scopes,
        }


@dataclass(frozen=True, kw_only=True)
class PendingAuthorization:
    """An authorization in progress: the URL to send the learner to, and what the callback
    must be checked against."""

    url: str
    state: str = field(repr=False)
    code_verifier: str = field(repr=False)
    redirect_uri: str


@dataclass(frozen=True, kw_only=True)
class Tokens:
    """An access token, its refresh token and when the access token expires."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime
    scope: str

    def as_json(self) -> dict[str, Any]:
        """The tokens as JSON (to keep them in a file only their owner can read)."""
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at.astimezone(timezone.utc).isoformat(),
            "scope": self.scope,
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Tokens:
        """Tokens kept with :meth:`as_json`; ``InputError`` when they are not."""
        try:
            expires_at = datetime.fromisoformat(str(value["expires_at"]))
            access, refresh, scope = value["access_token"], value["refresh_token"], value["scope"]
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"not saved tokens: {error}", path="/tokens") from None
        if (
            not isinstance(access, str)
            or not (refresh is None or isinstance(refresh, str))
            or not isinstance(scope, str)
            or expires_at.tzinfo is None
        ):
            raise InputError("not saved tokens", path="/tokens")
        return cls(access_token=access, refresh_token=refresh, expires_at=expires_at, scope=scope)


@dataclass(frozen=True, kw_only=True)
class Endpoints:
    """The URLs a discovery document advertises (``revocation`` is the scheme's
    ``x-imssf-revocationUrl``, else ``revoke`` next to the token URL)."""

    registration: str
    authorization: str
    token: str
    refresh: str
    revocation: str
    credentials: str
    profile: str


class ApiClient:
    """A client of one provider of ``service`` (Open Badges 3.0 by default, or :data:`CLR20`) at
    ``base_url`` (``https://host``, the part before ``/ims/ob/v3p0``).

    Args:
        transport: sends every request (a :class:`vcbadge.http.GuardedTransport`, whose address
            rules apply; allow loopback or a test CA there, explicitly).
        service: :data:`OB30` or :data:`CLR20`.
        clock: the client's clock (discovery caching, token expiry, ``Retry-After`` dates).
        sleep: waits out a ``Retry-After`` (tests pass one that advances their clock).
        client_id: what a prior :meth:`register` obtained, to resume without registering.
        client_secret: the secret that came with ``client_id``.
        tokens: what a prior :meth:`complete` obtained, to resume without authorizing.
        max_pages: the most pages :meth:`get_credentials` reads (``api_too_many_pages`` past it).
        max_retries: how often a 429 or 503 is retried after its ``Retry-After``.
        max_retry_wait: the longest ``Retry-After`` waited out (seconds); a longer one is
            ``api_rate_limited`` at once.
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: GuardedTransport | None = None,
        service: ApiStandard = OB30,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        client_id: str | None = None,
        client_secret: str | None = None,
        tokens: Tokens | None = None,
        max_pages: int = 100,
        max_retries: int = 3,
        max_retry_wait: float = 120.0,
    ) -> None:
        if max_pages < 1 or max_retries < 0 or max_retry_wait < 0:
            raise ValueError("max_pages must be positive, the retry bounds not negative")
        self.base_url = _checked_url(base_url.rstrip("/"), "/base_url")
        self.service = service
        self._transport = transport or GuardedTransport()
        self._clock: Clock = clock or SystemClock()
        self._sleep = sleep
        self.client_id = client_id
        self._client_secret = client_secret
        self.tokens = tokens
        self.max_pages = max_pages
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._endpoints: Endpoints | None = None
        self._fresh_until: datetime | None = None
        self._etag: str | None = None

    def __repr__(self) -> str:
        return f"ApiClient({self.base_url!r}, service={self.service.name!r})"

    @property
    def client_secret(self) -> str | None:
        """The secret the registration returned (keep it to resume this client later)."""
        return self._client_secret

    # Discovery

    def discover(self) -> Endpoints:
        """The provider's endpoints from its discovery document; fetched again once the
        ``Cache-Control: max-age`` of the last one has passed (with ``If-None-Match`` when it
        had an ``ETag``: a 304 keeps what was read)."""
        now = self._clock.now()
        if self._endpoints is not None and self._fresh_until and now < self._fresh_until:
            return self._endpoints
        headers = {"If-None-Match": self._etag} if self._endpoints and self._etag else {}
        url = f"{self.base_url}{self.service.path}/discovery"
        response = self._send("GET", url, headers=headers)
        if response.status == 304 and self._endpoints is not None:
            endpoints = self._endpoints
        else:
            document = _json_object(response, "/discovery")
            endpoints = _endpoints_of(document)
            self._etag = response.headers.get("etag")
        self._endpoints = endpoints
        self._fresh_until = now + timedelta(seconds=_max_age(response.headers))
        return endpoints

    # Registration and authorization

    def register(self, registration: ClientRegistration) -> str:
        """Register with the provider (RFC 7591); keeps and returns the client id."""
        body = json.dumps(registration.as_json(self.service)).encode()
        response = self._send(
            "POST",
            self.discover().registration,
            headers={"Content-Type": "application/json"},
            content=body,
        )
        if response.status == 400:
            # RFC 7591 §3.2.2: invalid_redirect_uri, invalid_client_metadata...
            raise ApiClientError(
                f"the provider refused the registration ({_oauth_error(response)}: "
                f"{_description(response)})",
                code="api_registration_refused",
                path="/registration",
                status=400,
            )
        answer = _json_object(response, "/registration", expect=201)
        client_id, secret = answer.get("client_id"), answer.get("client_secret")
        if not isinstance(client_id, str) or not isinstance(secret, str):
            raise ApiClientError(
                "the registration answer lacks client_id or client_secret",
                code="api_bad_response",
                path="/registration",
            )
        self.client_id, self._client_secret = client_id, secret
        return client_id

    def authorization(self, redirect_uri: str, scope: str | None = None) -> PendingAuthorization:
        """A new authorization: the URL (with a fresh ``state`` and a PKCE S256 challenge) to
        send the learner to. ``scope`` None asks for every scope of the service."""
        if self.client_id is None:
            raise ApiClientError("register first", code="api_not_registered")
        verifier = secrets.token_urlsafe(48)
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        state = secrets.token_urlsafe(24)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": scope or self.service.all_scopes,
                "state": state,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            }
        )
        return PendingAuthorization(
            url=f"{self.discover().authorization}?{query}",
            state=state,
            code_verifier=verifier,
            redirect_uri=redirect_uri,
        )

    def complete(self, pending: PendingAuthorization, callback_url: str) -> Tokens:
        """Check the callback's ``state`` against ``pending`` and redeem its code (HTTP Basic
        client authentication, the PKCE verifier)."""
        callback = urlsplit(callback_url)
        if f"{callback.scheme}://{callback.netloc}{callback.path}" != pending.redirect_uri:
            raise ApiClientError(
                "the callback is not at the redirect URI",
                code="api_redirect_mismatch",
                path="/callback",
            )
        query = parse_qs(callback.query)
        state = query.get("state", [""])
        if len(state) != 1 or not secrets.compare_digest(state[0].encode(), pending.state.encode()):
            raise ApiClientError(
                "the callback's state is not the one sent",
                code="api_state_mismatch",
                path="/callback/state",
            )
        if "error" in query:
            raise ApiClientError(
                f"the provider refused the authorization: {query['error'][0]}",
                code="api_authorization_refused",
                path="/callback/error",
            )
        codes = query.get("code", [])
        if len(codes) != 1:
            raise ApiClientError(
                "the callback has no code", code="api_bad_response", path="/callback/code"
            )
        form = {
            "grant_type": "authorization_code",
            "code": codes[0],
            "redirect_uri": pending.redirect_uri,
            "code_verifier": pending.code_verifier,
        }
        return self._token_request(form, self.discover().token)

    def log_in(
        self,
        listener: LoopbackRedirectListener,
        *,
        open_url: Callable[[str], object],
        scope: str | None = None,
        timeout: float = 300.0,
    ) -> Tokens:
        """The whole authorization for a command-line client: ``open_url`` shows the learner
        the authorization URL (a browser), ``listener`` receives the redirect, the code is
        redeemed. The listener's redirect URI must be one the client registered."""
        pending = self.authorization(listener.redirect_uri, scope)
        open_url(pending.url)
        return self.complete(pending, listener.wait(timeout))

    def refresh(self) -> Tokens:
        """Trade the refresh token for new tokens (RFC 6749 §6)."""
        if self.tokens is None or not self.tokens.refresh_token:
            raise ApiClientError("no refresh token", code="api_not_authorized", path="/token")
        form = {"grant_type": "refresh_token", "refresh_token": self.tokens.refresh_token}
        return self._token_request(form, self.discover().refresh)

    def revoke(self) -> None:
        """Revoke the refresh token (and with it what it issued) or, without one, the access
        token (RFC 7009); the client forgets its tokens."""
        if self.tokens is None:
            return
        token, hint = (
            (self.tokens.refresh_token, "refresh_token")
            if self.tokens.refresh_token
            else (self.tokens.access_token, "access_token")
        )
        response = self._send(
            "POST",
            self.discover().revocation,
            headers={**self._basic(), "Content-Type": "application/x-www-form-urlencoded"},
            content=urlencode({"token": token, "token_type_hint": hint}).encode(),
        )
        if response.status != 200:
            raise _status_error(response, "/revocation")
        self.tokens = None

    def _basic(self) -> dict[str, str]:
        if self.client_id is None or self._client_secret is None:
            raise ApiClientError("register first", code="api_not_registered")
        pair = f"{self.client_id}:{self._client_secret}".encode()
        return {"Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}

    def _token_request(self, form: Mapping[str, str], url: str) -> Tokens:
        headers = {**self._basic(), "Content-Type": "application/x-www-form-urlencoded"}
        now = self._clock.now()
        response = self._send("POST", url, headers=headers, content=urlencode(form).encode())
        if response.status in (400, 401):
            # RFC 6749 §5.2: a code or refresh token refused (invalid_grant), or this client.
            raise ApiClientError(
                f"the token endpoint refused the grant ({_oauth_error(response)})",
                code="api_not_authorized",
                path="/token",
                status=response.status,
            )
        answer = _json_object(response, "/token")
        access, lifetime = answer.get("access_token"), answer.get("expires_in", 3600)
        refresh = answer.get("refresh_token")
        if (
            not isinstance(access, str)
            or str(answer.get("token_type", "")).lower() != "bearer"
            or isinstance(lifetime, bool)
            or not isinstance(lifetime, int)
            or not (refresh is None or isinstance(refresh, str))
        ):
            raise ApiClientError(
                "the token answer is not a bearer token", code="api_bad_response", path="/token"
            )
        self.tokens = Tokens(
            access_token=access,
            refresh_token=refresh or (self.tokens.refresh_token if self.tokens else None),
            expires_at=now + timedelta(seconds=lifetime),
            scope=str(answer.get("scope", "")),
        )
        return self.tokens

    # Credentials and profile

    def upsert_credential(self, credential: Mapping[str, Any] | str) -> int:
        """Push a credential (a JSON object, or a compact JWS string); the status, 201 when
        the provider stored a new one, 200 when it replaced one. A 400 (the provider's verifier
        refused it) is ``api_credential_refused``."""
        if isinstance(credential, str):
            if not credential.isascii():
                raise InputError("a compact JWS is ASCII text", path="/credential")
            headers, body = {"Content-Type": "text/plain"}, credential.strip().encode("ascii")
        else:
            headers, body = {"Content-Type": "application/json"}, json.dumps(credential).encode()
        response = self._authorized("POST", self.discover().credentials, headers, body)
        if response.status == 400:
            raise ApiClientError(
                f"the provider refused the credential: {_description(response)}",
                code="api_credential_refused",
                path="/credentials",
                status=400,
            )
        if response.status not in (200, 201):
            raise _status_error(response, "/credentials")
        return response.status

    def get_credentials(
        self, *, limit: int | None = None, offset: int = 0, since: datetime | None = None
    ) -> Iterator[dict[str, Any] | str]:
        """Every credential the token may read, JSON objects and compact JWS strings (under
        ``compactJwsString``, or the spec sample's ``compactJwsStrings``), page by page through
        the ``Link`` header's ``next`` (at most ``max_pages`` pages)."""
        query: dict[str, str] = {}
        if limit is not None:
            query["limit"] = str(limit)
        query["offset"] = str(offset)
        if since is not None:
            if since.tzinfo is None:
                raise ValueError("since must be timezone-aware")
            query["since"] = since.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
        endpoint = self.discover().credentials
        url: str | None = f"{endpoint}?{urlencode(query)}"
        seen: set[str] = set()
        while url is not None:
            if url in seen:
                raise ApiClientError(
                    "the Link header loops", code="api_bad_response", path="/credentials"
                )
            if len(seen) == self.max_pages:
                raise ApiClientError(
                    f"more than {self.max_pages} pages of credentials",
                    code="api_too_many_pages",
                    path="/credentials",
                )
            seen.add(url)
            response = self._authorized("GET", url, {}, None)
            page = _json_object(response, "/credentials")
            yield from _page_items(page, self.service.response_members)
            url = _next_link(response.headers.get("link", ""), endpoint)

    def get_profile(self) -> dict[str, Any]:
        """The learner's profile (``GET /profile``)."""
        response = self._authorized("GET", self.discover().profile, {}, None)
        return _json_object(response, "/profile")

    def put_profile(self, profile: Mapping[str, Any]) -> dict[str, Any]:
        """Replace the learner's profile (``PUT /profile``); the profile the provider kept."""
        body = json.dumps(profile).encode()
        headers = {"Content-Type": "application/json"}
        response = self._authorized("PUT", self.discover().profile, headers, body)
        return _json_object(response, "/profile")

    # Sending

    def _authorized(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes | None
    ) -> Response:
        """Send with the access token, refreshed first when it has expired and once more on
        a 401."""
        if self.tokens is None:
            raise ApiClientError("authorize first", code="api_not_authorized")
        if self._clock.now() >= self.tokens.expires_at - EXPIRY_MARGIN:
            self.refresh()
        for attempt in range(2):
            assert self.tokens is not None
            sent = {**headers, "Authorization": f"Bearer {self.tokens.access_token}"}
            response = self._send(method, url, headers=sent, content=body)
            if response.status != 401 or attempt or not self.tokens.refresh_token:
                return response
            self.refresh()
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> Response:
        """One request through the transport, repeated after the wait a 429 or 503
        ``Retry-After`` asks for (bounded); a redirect is refused, not followed."""
        for attempt in range(self.max_retries + 1):
            response = self._transport.request(
                method, url, headers=headers, content=content, accept=_JSON
            )
            if 300 <= response.status < 400 and response.status != 304:
                raise ApiClientError(
                    f"{url} answered {response.status} (to "
                    f"{response.headers.get('location', 'nowhere')}); an API request is not "
                    "sent on to another URL",
                    code="api_redirected",
                    path=urlsplit(url).path,
                    status=response.status,
                )
            if response.status not in (429, 503):
                return response
            wait = _retry_after(response.headers.get("retry-after"), self._clock.now())
            if wait is None or wait > self.max_retry_wait or attempt == self.max_retries:
                break
            self._sleep(wait)
        raise ApiClientError(
            f"{url} answered {response.status} and did not recover",
            code="api_rate_limited",
            path=urlsplit(url).path,
            status=response.status,
        )


class LoopbackRedirectListener:
    """A one-shot HTTP server on 127.0.0.1 that receives the authorization redirect of a
    command-line client (RFC 8252 §7.3): :attr:`redirect_uri` is
    ``http://127.0.0.1:{port}{path}`` (``https`` with ``tls``, for a provider that accepts only
    HTTPS redirect URIs), :meth:`wait` returns the first request's URL at ``path``.

    ``port`` 0 takes a free port. Only the loopback interface is bound: nothing off the machine
    can reach it. Use it as a context manager (the socket is closed on exit).
    """

    def __init__(
        self, *, port: int = 0, path: str = "/callback", tls: ssl.SSLContext | None = None
    ) -> None:
        if not path.startswith("/"):
            raise ValueError("path must start with /")
        self.path = path
        self._received: list[str] = []
        self._arrived = threading.Event()
        self._server = _OneShotServer(("127.0.0.1", port), self)
        if tls is not None:
            # The handshake happens on the first read, in the request's own thread (under the
            # handler's timeout), so a client that connects and stalls cannot block accept().
            self._server.socket = tls.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
        scheme = "https" if tls is not None else "http"
        self.port: int = int(self._server.server_address[1])
        self.redirect_uri = f"{scheme}://127.0.0.1:{self.port}{path}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="vcbadge-redirect-listener",
            daemon=True,
        )
        self._thread.start()

    def _arrive(self, request_path: str) -> bool:
        """Record a request (called by the server thread); whether it was the callback."""
        if urlsplit(request_path).path != self.path or self._arrived.is_set():
            return False
        self._received.append(f"{self.redirect_uri}{request_path[len(self.path) :]}")
        self._arrived.set()
        return True

    def wait(self, timeout: float) -> str:
        """The callback URL, once the browser was redirected to it (``api_callback_timeout``
        after ``timeout`` seconds)."""
        if not self._arrived.wait(timeout):
            raise ApiClientError(
                f"no authorization redirect arrived at {self.redirect_uri} within {timeout:g} s",
                code="api_callback_timeout",
                path="/callback",
            )
        return self._received[0]

    def close(self) -> None:
        """Stop listening."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LoopbackRedirectListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _CallbackHandler(http.server.BaseHTTPRequestHandler):
    server: _OneShotServer
    timeout = 10  # a connection that says nothing cannot hold the listener

    def do_GET(self) -> None:
        if self.server.listener._arrive(self.path):
            status, text = 200, "Signed in. You can close this window and go back to vcbadge."
        else:
            status, text = 404, "Not the authorization callback."
        body = f"<!doctype html><title>vcbadge</title><p>{html.escape(text)}</p>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the callback URL carries the code: never logged


class _OneShotServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], listener: LoopbackRedirectListener) -> None:
        self.listener = listener
        super().__init__(address, _CallbackHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up (or fails TLS) is not the listener's problem


def _checked_url(url: str, path: str) -> str:
    """``url`` if it is an HTTPS URL with a host and without credentials or a fragment; else
    the refusal (``api_unsafe_url``). Addresses are the transport's to judge, when it is used."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    reason = None
    if parts is None or parts.scheme != "https" or not parts.hostname:
        reason = "not an HTTPS URL"
    elif parts.username is not None or parts.password is not None:
        reason = "carries credentials"
    elif parts.fragment:
        reason = "has a fragment"
    if reason is not None:
        raise ApiClientError(f"{url!r} is refused: {reason}", code="api_unsafe_url", path=path)
    return url


def _json_object(response: Response, path: str, *, expect: int = 200) -> dict[str, Any]:
    if response.status != expect:
        raise _status_error(response, path)
    try:
        value = json.loads(response.body)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ApiClientError("the answer is not a JSON object", code="api_bad_response", path=path)
    return value


def _status_error(response: Response, path: str) -> ApiClientError:
    if response.status == 401:
        code = "api_not_authorized"
    elif response.status == 403:
        code = "api_insufficient_scope"  # RFC 6750 §3.1
    else:
        code = "api_http_status"
    return ApiClientError(
        f"the provider answered {response.status}: {_description(response)}",
        code=code,
        path=path,
        status=response.status,
    )


def _description(response: Response) -> str:
    """What an error body says: an ``Imsx_StatusInfo``'s description or an OAuth error."""
    try:
        body = json.loads(response.body)
    except ValueError:
        return "no description"
    if isinstance(body, dict):
        for name in ("imsx_description", "error_description", "error"):
            if isinstance(body.get(name), str) and body[name]:
                return str(body[name])[:300]
    return "no description"


def _oauth_error(response: Response) -> str:
    try:
        body = json.loads(response.body)
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    return f"{response.status} {error}" if isinstance(error, str) else str(response.status)


def _endpoints_of(document: Mapping[str, Any]) -> Endpoints:
    """The endpoints a discovery document advertises, each checked by :func:`_checked_url`."""
    scheme_at = "/components/securitySchemes/OAuth2ACG"
    flow_at = f"{scheme_at}/flows/authorizationCode"
    try:
        scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
        flow = scheme["flows"]["authorizationCode"]
        server = document["servers"][0]["url"]
        token = flow["tokenUrl"]
        found = {
            "registration": (
                scheme["x-imssf-registrationUrl"],
                f"{scheme_at}/x-imssf-registrationUrl",
            ),
            "authorization": (flow["authorizationUrl"], f"{flow_at}/authorizationUrl"),
            "token": (token, f"{flow_at}/tokenUrl"),
            "refresh": (flow.get("refreshUrl") or token, f"{flow_at}/refreshUrl"),
            "revocation": (
                scheme.get("x-imssf-revocationUrl")
                or (urljoin(token, "revoke") if isinstance(token, str) else token),
                f"{scheme_at}/x-imssf-revocationUrl",
            ),
            "credentials": (f"{str(server).rstrip('/')}/credentials", "/servers/0/url"),
            "profile": (f"{str(server).rstrip('/')}/profile", "/servers/0/url"),
        }
    except (KeyError, IndexError, TypeError, AttributeError) as error:
        raise ApiClientError(
            f"the discovery document lacks {error}", code="api_bad_discovery", path="/discovery"
        ) from None
    checked: dict[str, str] = {}
    for name, (url, pointer) in found.items():
        if not isinstance(url, str) or not isinstance(server, str):
            raise ApiClientError("not a URL", code="api_bad_discovery", path=pointer)
        checked[name] = _checked_url(url, pointer)
    return Endpoints(**checked)


def _max_age(headers: Mapping[str, str]) -> int:
    """The ``max-age`` of the ``Cache-Control`` header, at most a day; 0 (no caching) when
    absent, ``no-store`` or ``no-cache``."""
    directives = [part.strip().lower() for part in headers.get("cache-control", "").split(",")]
    if "no-store" in directives or "no-cache" in directives:
        return 0
    for directive in directives:
        name, _, value = directive.partition("=")
        if name.strip() == "max-age" and value.strip().isascii() and value.strip().isdigit():
            return min(int(value.strip()), 86400)
    return 0


def _retry_after(value: str | None, now: datetime) -> float | None:
    """The seconds a ``Retry-After`` header (delta-seconds or an HTTP date) asks for."""
    if value is None:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def _page_items(
    page: Mapping[str, Any], members: tuple[str, ...]
) -> Iterator[dict[str, Any] | str]:
    """A page's credentials: JSON ones under ``members``, compact JWS under
    ``compactJwsString`` (the schema's name) or ``compactJwsStrings`` (the spec sample's)."""
    found: list[dict[str, Any] | str] = []
    for member in members:
        objects = page.get(member, [])
        if not isinstance(objects, list) or not all(isinstance(item, dict) for item in objects):
            raise ApiClientError(
                f"{member} is not a list of objects",
                code="api_bad_response",
                path=f"/credentials/{member}",
            )
        found += objects
    for member in ("compactJwsString", "compactJwsStrings"):
        strings = page.get(member, [])
        if not isinstance(strings, list) or not all(isinstance(item, str) for item in strings):
            raise ApiClientError(
                f"{member} is not a list of strings",
                code="api_bad_response",
                path=f"/credentials/{member}",
            )
        found += strings
    yield from found


_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")
_REL = re.compile(r';\s*rel\s*=\s*"?([^";,]+)"?', re.IGNORECASE)


def _next_link(header: str, endpoint: str) -> str | None:
    """The ``next`` target of a ``Link`` header (RFC 8288), which must stay on the
    credentials endpoint."""
    for target, params in _LINK.findall(header):
        rel = _REL.search(params)
        if rel is None or "next" not in rel.group(1).lower().split():
            continue
        url = urljoin(endpoint, target)
        if urlsplit(url)._replace(query="").geturl() != endpoint:
            raise ApiClientError(
                "the next page is not on the credentials endpoint",
                code="api_bad_response",
                path="/credentials",
            )
        return str(url)
    return None
