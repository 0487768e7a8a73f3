"""``create_api``: the Open Badges 3.0 (or, with ``standard=CLR20``, the CLR 2.0) REST API
provider as a Starlette application.

Mount it at ``{base}/ims/ob/v3p0`` (``Mount(OB30.path, create_api(...))``, e.g. as a
``routes=`` entry of :func:`vcbadge.web.create_app`), the CLR 2.0 API at ``{base}/ims/clr/v2p0``
(``Mount(CLR20.path, create_api(..., standard=CLR20))``); both can share one store. Its paths:

- ``GET /discovery``: the Service Description Document (never protected);
- ``POST /oauth/register`` (RFC 7591), ``GET|POST /oauth/authorize`` (login and consent),
  ``POST /oauth/login`` (the built-in login form), ``POST /oauth/token`` (codes and refresh
  tokens, HTTP Basic client authentication), ``POST /oauth/revoke`` (RFC 7009);
- ``GET /credentials`` (scope ``credential.readonly``), ``POST /credentials``
  (``credential.upsert``): every credential is verified with the provider's verifier before it
  is stored;
- ``GET /profile`` (``profile.readonly``), ``PUT /profile`` (``profile.update``).

Every request must come over HTTPS (``allow_loopback_http`` admits plain HTTP between loopback
addresses, for development). Redirect URIs are HTTPS (``allow_loopback_redirects`` admits a
native app's RFC 8252 loopback ones). A request that meets a store failure
(:class:`~vcbadge.api.store.ApiStoreError`) is answered 503 ``server_busy`` with
``Retry-After``; the token endpoint also deletes expired rows, a bounded batch at most once per
``PURGE_INTERVAL``. The token and registration endpoints are rate limited per client
and address (429 with ``Retry-After``). Cross-origin (CORS) requests are answered on
``/discovery`` (any origin: a public document) and, for the origins given in
``cors_origins``, on ``/credentials`` and ``/profile`` (Bearer tokens, never cookies); never on
the OAuth endpoints, whose clients authenticate with a secret a browser page cannot keep.

The login and consent forms change state, so both carry a CSRF token: a random value in a
``SameSite=Lax``, ``HttpOnly``, ``Secure`` cookie that the form must repeat (double submit); a
cross-site page can neither read the cookie nor make the browser send it with a POST.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import json
import logging
import math
import secrets
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from authlib.oauth2 import OAuth2Error
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route, request_response
from starlette.types import ASGIApp, Receive, Scope, Send

from vcbadge._json import loads_strict
from vcbadge.api.oauth import (
    OB30,
    ApiAuthorizationServer,
    ApiStandard,
    FormRequest,
    StoredClient,
)
from vcbadge.api.store import ApiStore, ApiStoreError, CredentialConflict, TokenRow
from vcbadge.clock import SystemClock
from vcbadge.errors import VcbadgeError
from vcbadge.model.rules import verification_kind
from vcbadge.protocols import Clock
from vcbadge.verify import Outcome, Verifier

__all__ = ["Authenticate", "PlainHttpWarning", "create_api", "service_description"]

Authenticate = Callable[[Request], "str | None"]

CSRF_COOKIE = "vcbadge_api_csrf"
LOGIN_COOKIE = "vcbadge_api_login"
LOGIN_LIFETIME = 3600.0
# The token endpoint deletes what has expired (ApiStore.purge_expired, a bounded batch) at most
# once per this many seconds per application.
PURGE_INTERVAL = 60.0
DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
# OAuth requests (registration metadata, token and consent forms) are small.
MAX_FORM_BYTES = 64 * 1024
MAX_PROFILE_BYTES = 64 * 1024
# Defaults of create_api's rate limits: (requests, per seconds), per client and address.
TOKEN_RATE = (30, 60.0)
REGISTRATION_RATE = (20, 3600.0)
DISCOVERY_MAX_AGE = 3600
# What a request that met a store failure is told to wait (Retry-After, seconds).
STORE_RETRY_AFTER = 30
_log = logging.getLogger("vcbadge.api")
# Buckets kept by a rate limiter; the least recently used go first past this.
_MAX_RATE_KEYS = 10_000
# What a browser page on an allowed origin may send to and read from the resource endpoints.
_CORS_REQUEST_HEADERS = ["Authorization", "Content-Type"]
_CORS_EXPOSED_HEADERS = ["Link", "X-Total-Count", "WWW-Authenticate", "Retry-After", "ETag"]
# Login and consent pages: no script, nothing loaded but the client's logo over HTTPS.
_PAGE_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; img-src https:; style-src 'unsafe-inline'; "
        "form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'"
    ),
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


class PlainHttpWarning(UserWarning):
    """The API was built to answer plain HTTP (on loopback addresses only)."""


def service_description(
    base_url: str, *, privacy_policy_url: str, title: str, standard: ApiStandard = OB30
) -> dict[str, Any]:
    """The Service Description Document (a profiled OpenAPI 3.0 document) for the API at
    ``base_url`` (``https://host/ims/ob/v3p0``, or ``.../ims/clr/v2p0`` for CLR 2.0)."""
    oauth = f"{base_url}/oauth"

    def operation(operation_id: str, scope: str) -> dict[str, Any]:
        return {"operationId": operation_id,
                "security": [{"OAuth2ACG": [standard.scope(scope)]}]}  # fmt: skip

    return {
        "openapi": "3.0.1",
        "info": {
            "title": title,
            "version": standard.version,
            "x-imssf-privacyPolicyUrl": privacy_policy_url,
        },
        "servers": [{"url": base_url, "description": title}],
        "paths": {
            "/credentials": {
                "get": operation("getCredentials", "credential.readonly"),
                "post": operation("upsertCredential", "credential.upsert"),
            },
            "/profile": {
                "get": operation("getProfile", "profile.readonly"),
                "put": operation("putProfile", "profile.update"),
            },
            "/discovery": {"get": {"operationId": "getServiceDescription", "security": []}},
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
                    "x-imssf-registrationUrl": f"{oauth}/register",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": f"{oauth}/authorize",
                            "tokenUrl": f"{oauth}/token",
                            "refreshUrl": f"{oauth}/token",
                            "scopes": dict(standard.scopes),
                        }
                    },
                }
            }
        },
    }


def _status_info(
    status: int, description: str, minor: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """An error as an ``Imsx_StatusInfo`` object."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": minor}
            ]
        },
    }
    return JSONResponse(body, status_code=status, headers=headers)


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f"</title></head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=_PAGE_HEADERS)


def _refused_authorization(error: OAuth2Error) -> Response:
    # Shown, not redirected: the client or its redirect URI may be the thing refused.
    text = f"<p>{escape(error.error)}: {escape(error.description or '')}</p>"
    return _page("Authorization refused", text, 400)


class _RateLimiter:
    """A token bucket per key: ``requests`` at once, refilled at ``requests`` per
    ``per_seconds``; in memory (one process), at most ``_MAX_RATE_KEYS`` buckets."""

    def __init__(self, rate: tuple[int, float], clock: Clock) -> None:
        requests, per_seconds = rate
        if requests < 1 or not per_seconds > 0:
            raise ValueError("a rate is (requests >= 1, per_seconds > 0)")
        self._capacity = float(requests)
        self._refill = requests / per_seconds
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, key: str) -> float:
        """0 when a request under ``key`` may go ahead (it spends a token), else the seconds
        until it may."""
        now = self._clock.now().timestamp()
        with self._lock:
            tokens, then = self._buckets.pop(key, (self._capacity, now))
            tokens = min(self._capacity, tokens + max(0.0, now - then) * self._refill)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self._refill
            self._buckets[key] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > _MAX_RATE_KEYS:
                self._buckets.popitem(last=False)
        return wait


def _too_many_requests(wait: float) -> JSONResponse:
    seconds = max(1, math.ceil(wait))
    body = {
        "error": "rate_limited",
        "error_description": f"too many requests; retry in {seconds} s",
    }
    return JSONResponse(body, status_code=429, headers={"Retry-After": str(seconds)})


def _basic_client_id(request: Request) -> str:
    """The client id of an HTTP Basic ``Authorization`` header ("" without one): only a
    rate-limit key, never trusted."""
    kind, _, value = request.headers.get("authorization", "").partition(" ")
    if kind.lower() != "basic":
        return ""
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[0][:128]


def _is_loopback_host(host: str | None) -> bool:
    """``localhost`` or a loopback address."""
    return bool(host) and (str(host).lower() == "localhost" or _is_loopback_ip(str(host)))


class _SecureTransport:
    """Refuses (400 ``insecure_transport``) every request not made over HTTPS; with
    ``allow_loopback_http``, plain HTTP is admitted when both the URL's host and the peer's
    address are loopback."""

    def __init__(self, app: ASGIApp, *, allow_loopback_http: bool) -> None:
        self.app = app
        self.allow_loopback_http = allow_loopback_http

    def admits(self, scope: Scope) -> bool:
        if scope.get("scheme") == "https":
            return True
        if not (self.allow_loopback_http and scope.get("scheme") == "http"):
            return False
        host = urlsplit("//" + Headers(scope=scope).get("host", "")).hostname
        peer: tuple[str, int] | None = scope.get("client")
        return _is_loopback_host(host) and peer is not None and _is_loopback_ip(peer[0])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.admits(scope):
            body = {"error": "insecure_transport", "error_description": "use HTTPS"}
            await JSONResponse(body, status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _is_loopback_ip(text: str) -> bool:
    """A loopback IP address (not a name)."""
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:
        return False


def _oauth_response(result: tuple[int, Any, list[tuple[str, str]]]) -> Response:
    status, body, headers = result
    header_map = dict(headers)
    if isinstance(body, (dict, list)):
        header_map.pop("Content-Type", None)
        return JSONResponse(body, status_code=status, headers=header_map)
    return Response(body or b"", status_code=status, headers=header_map)


class _TooLarge(Exception):
    """A request body past ``MAX_FORM_BYTES``."""


async def _form_values(request: Request) -> list[tuple[str, str]]:
    """An ``application/x-www-form-urlencoded`` body's fields (nothing for another type),
    read under ``MAX_FORM_BYTES``."""
    body = await _capped_body(request, MAX_FORM_BYTES)
    if body is None:
        raise _TooLarge
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/x-www-form-urlencoded":
        return []
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return []
    return parse_qsl(text, keep_blank_values=True)


async def _form_request(request: Request, *, as_json: bool = False) -> FormRequest:
    values = list(request.query_params.multi_items())
    payload: Any = None
    if as_json:
        body = await _capped_body(request, MAX_FORM_BYTES)
        if body is None:
            raise _TooLarge
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
    elif request.method == "POST":
        values += await _form_values(request)
    return FormRequest(
        method=request.method,
        url=str(request.url),
        headers=request.headers,
        values=values,
        json=payload,
    )


def create_api(
    store: ApiStore,
    *,
    verifier: Verifier,
    base_url: str,
    privacy_policy_url: str,
    authenticate: Authenticate | None = None,
    users: Mapping[str, str] | None = None,
    title: str | None = None,
    standard: ApiStandard = OB30,
    clock: Clock | None = None,
    token_rate: tuple[int, float] | None = TOKEN_RATE,
    registration_rate: tuple[int, float] | None = REGISTRATION_RATE,
    cors_origins: Sequence[str] = (),
    discovery_max_age: int = DISCOVERY_MAX_AGE,
    allow_loopback_http: bool = False,
    allow_loopback_redirects: bool = False,
) -> Starlette:
    """The API as a Starlette app, to mount at ``standard.path`` (``/ims/ob/v3p0``).

    Args:
        store: where clients, tokens and credentials are kept (:meth:`ApiStore.open`).
        verifier: verifies every credential before it is stored (its policy decides).
        base_url: the API's public URL, ``https://host/ims/ob/v3p0``, as the discovery
            document and the ``Link`` headers advertise it.
        privacy_policy_url: the provider's privacy policy (``x-imssf-privacyPolicyUrl``).
        authenticate: the host application's login: the user id of the person making the
            request, or None (then the authorize page answers 401: the host logs them in).
        users: instead of ``authenticate``, the built-in login form's accounts (name to
            password), for development and tests.
        title: the discovery document's title.
        standard: ``OB30`` (Open Badges 3.0) or ``CLR20`` (CLR 2.0): the scopes, and which
            credentials ``POST /credentials`` takes (``ClrCredential`` for CLR 2.0).
        clock: the time that tokens, codes and rate limits are measured against.
        token_rate: at most this many requests per this many seconds to the token endpoint
            per client id and address, as ``(requests, per_seconds)``; None: no limit.
        registration_rate: the same for the registration endpoint, per address.
        cors_origins: the browser origins (``https://app.example``, or ``"*"``) that may call
            ``/credentials`` and ``/profile`` cross-origin; none by default.
        discovery_max_age: how long (seconds) the discovery document may be cached.
        allow_loopback_http: admit a plain-HTTP ``base_url`` and requests on
            ``http://127.0.0.1``, ``http://localhost`` or ``http://[::1]`` from a loopback
            address (development only; warns with :class:`PlainHttpWarning`). Every other
            plain-HTTP request is refused.
        allow_loopback_redirects: also register and match a native app's loopback redirect
            URIs, ``http://127.0.0.1:{port}/path`` and ``http://[::1]:{port}/path`` (never
            ``localhost``, RFC 8252 §8.3), matched ignoring the port (RFC 8252 §7.3: the app
            listens on a port it gets at run time); every other redirect URI is still HTTPS
            and matched exactly. Off by default: the OB 3.0 security framework requires
            HTTPS redirect URIs, so a certified host does not turn it on.
    """
    if (authenticate is None) == (users is None):
        raise ValueError("give exactly one of authenticate and users")
    base_parts = urlsplit(base_url)
    if base_parts.scheme == "http" and allow_loopback_http:
        if not _is_loopback_host(base_parts.hostname):
            raise ValueError("a plain-HTTP base_url must be on 127.0.0.1, localhost or [::1]")
        warnings.warn(
            f"the API at {base_url} answers plain HTTP on loopback: for development only",
            PlainHttpWarning,
            stacklevel=2,
        )
    elif base_parts.scheme != "https" or not base_parts.hostname:
        raise ValueError("base_url must be an HTTPS URL")
    if discovery_max_age < 0:
        raise ValueError("discovery_max_age must not be negative")
    _check_origins(cors_origins)
    base_url = base_url.rstrip("/")
    clock = clock or SystemClock()
    server = ApiAuthorizationServer(
        store, standard=standard, clock=clock, allow_loopback_redirects=allow_loopback_redirects
    )
    title = title or f"vcbadge {standard.name} API"
    description = service_description(
        base_url, privacy_policy_url=privacy_policy_url, title=title, standard=standard
    )
    discovery_body = JSONResponse(description).body
    discovery_headers = {
        "ETag": f'"{hashlib.sha256(discovery_body).hexdigest()[:32]}"',
        "Cache-Control": f"public, max-age={discovery_max_age}",
    }
    accounts = dict(users or {})
    token_limiter = _RateLimiter(token_rate, clock) if token_rate else None
    registration_limiter = _RateLimiter(registration_rate, clock) if registration_rate else None

    def address(request: Request) -> str:
        return request.client.host if request.client else ""

    def client_limited(request: Request) -> Response | None:
        """The 429 of a client (by its claimed id and its address) past ``token_rate``."""
        if token_limiter is None:
            return None
        wait = token_limiter.wait(f"{_basic_client_id(request)}@{address(request)}")
        return _too_many_requests(wait) if wait else None

    def current_user(request: Request) -> str | None:
        if authenticate is not None:
            return authenticate(request)
        session_id = request.cookies.get(LOGIN_COOKIE)
        return store.login_user(session_id, now=server.now()) if session_id else None

    def csrf_valid(request: Request, submitted: object) -> bool:
        expected = request.cookies.get(CSRF_COOKIE, "")
        return (
            bool(expected)
            and isinstance(submitted, str)
            and secrets.compare_digest(expected.encode(), submitted.encode())
        )

    async def discovery(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _status_info(405, "use GET", "not_allowed")
        if _etag_matches(request.headers.get("if-none-match"), discovery_headers["ETag"]):
            return Response(status_code=304, headers=discovery_headers)
        return Response(discovery_body, media_type="application/json", headers=discovery_headers)

    async def register(request: Request) -> Response:
        if registration_limiter is not None:
            wait = registration_limiter.wait(address(request))
            if wait:
                return _too_many_requests(wait)
        form = await _form_request(request, as_json=True)
        result = await run_in_threadpool(
            server.create_endpoint_response, "client_registration", form
        )
        return _oauth_response(result)

    purged_at = [-math.inf]
    purge_lock = threading.Lock()

    def purge_if_due() -> None:
        """Delete a batch of expired rows, at most once per ``PURGE_INTERVAL`` (only one
        request of those arriving together does it)."""
        now = server.now()
        with purge_lock:
            if now - purged_at[0] < PURGE_INTERVAL:
                return
            purged_at[0] = now
        store.purge_expired(now)

    def issue(form: FormRequest) -> tuple[int, Any, list[tuple[str, str]]]:
        purge_if_due()
        result: tuple[int, Any, list[tuple[str, str]]] = server.create_token_response(form)
        return result

    async def token(request: Request) -> Response:
        refusal = client_limited(request)
        if refusal is not None:
            return refusal
        form = await _form_request(request)
        return _oauth_response(await run_in_threadpool(issue, form))

    async def revoke(request: Request) -> Response:
        # The revocation endpoint checks client secrets too: it shares the token bucket.
        refusal = client_limited(request)
        if refusal is not None:
            return refusal
        form = await _form_request(request)
        result = await run_in_threadpool(server.create_endpoint_response, "revocation", form)
        return _oauth_response(result)

    def consent_or_login(request: Request, form: FormRequest, user: str | None) -> Response:
        try:
            grant = server.get_consent_grant(request=form, end_user=user)
        except OAuth2Error as error:
            return _refused_authorization(error)
        action = f"{request.url.path}?{request.url.query}"
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        if user is None:
            if authenticate is not None:
                return _page("Sign in first", "<p>Sign in to this site, then try again.</p>", 401)
            login_action = f"{request.url.path.rsplit('/', 1)[0]}/login?{request.url.query}"
            body = (
                f'<form method="post" action="{escape(login_action)}">'
                f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
                '<label>User name <input type="text" name="username" required></label> '
                '<label>Password <input type="password" name="password" required></label> '
                '<button type="submit">Sign in</button></form>'
            )
            page = _page("Sign in", body)
        else:
            client: StoredClient = grant.client
            metadata = client.metadata
            scopes = "".join(
                f"<li>{escape(standard.scopes.get(scope, scope))}</li>"
                for scope in (grant.request.scope or "").split()
            )
            body = (
                f'<p><img src="{escape(metadata["logo_uri"])}" alt="" width="64" height="64"> '
                f'<a href="{escape(metadata["client_uri"])}">{escape(metadata["client_name"])}'
                f"</a> asks to:</p><ul>{scopes}</ul>"
                f'<p><a href="{escape(metadata["tos_uri"])}">Terms of service</a> · '
                f'<a href="{escape(metadata["policy_uri"])}">Privacy policy</a></p>'
                f'<form method="post" action="{escape(action)}">'
                f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
                '<button type="submit" name="decision" value="allow">Allow</button> '
                '<button type="submit" name="decision" value="deny">Deny</button></form>'
            )
            page = _page("Allow access?", body)
        page.set_cookie(CSRF_COOKIE, csrf, secure=_secure(request), httponly=True, samesite="lax")
        return page

    async def authorize(request: Request) -> Response:
        form = await _form_request(request)
        user = await run_in_threadpool(current_user, request)
        if request.method == "GET" or user is None:
            return await run_in_threadpool(consent_or_login, request, form, user)
        submitted = dict(form.values)
        if not csrf_valid(request, submitted.get("csrf_token")):
            return _page("Authorization refused", "<p>csrf_invalid</p>", 403)
        grant_user = user if submitted.get("decision") == "allow" else None
        return await run_in_threadpool(decide, form, user, grant_user)

    def decide(form: FormRequest, user: str, grant_user: str | None) -> Response:
        """The redirect back to the client: a code (allowed) or ``access_denied``."""
        try:
            grant = server.get_consent_grant(request=form, end_user=user)
        except OAuth2Error as error:
            return _refused_authorization(error)
        return _oauth_response(
            server.create_authorization_response(request=form, grant_user=grant_user, grant=grant)
        )

    async def login(request: Request) -> Response:
        form = dict(await _form_values(request))
        if not csrf_valid(request, form.get("csrf_token")):
            return _page("Sign in refused", "<p>csrf_invalid</p>", 403)
        name, password = form.get("username"), form.get("password")
        expected = accounts.get(name) if isinstance(name, str) else None
        if (
            not isinstance(name, str)
            or expected is None
            or not isinstance(password, str)
            or not secrets.compare_digest(expected.encode(), password.encode())
        ):
            return _page("Sign in refused", "<p>Unknown user name or wrong password.</p>", 401)
        session_id = secrets.token_urlsafe(32)
        expires_at = server.now() + LOGIN_LIFETIME
        await run_in_threadpool(store.add_login, session_id, name, expires_at=expires_at)
        target = f"{request.url.path.rsplit('/', 1)[0]}/authorize?{request.url.query}"
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            LOGIN_COOKIE, session_id, secure=_secure(request), httponly=True, samesite="lax",
            max_age=int(LOGIN_LIFETIME),
        )  # fmt: skip
        return response

    def bearer(request: Request, scope: str) -> TokenRow | Response:
        """The request's valid token holding ``scope``, or the RFC 6750 refusal."""
        realm = f'Bearer realm="{base_url}"'
        header = request.headers.get("authorization", "")
        kind, _, value = header.partition(" ")
        if kind.lower() != "bearer" or not value.strip():
            refusal = "an access token is required"
            return _status_info(401, refusal, "unauthorizedrequest", {"WWW-Authenticate": realm})
        row = store.token_by_access(value.strip())
        if row is None or row.revoked or row.is_expired(server.now()):
            challenge = f'{realm}, error="invalid_token"'
            refusal = "the access token is not valid"
            return _status_info(
                401, refusal, "unauthorizedrequest", {"WWW-Authenticate": challenge}
            )
        if scope not in row.scope.split():
            challenge = f'{realm}, error="insufficient_scope", scope="{scope}"'
            refusal = f"the access token lacks the scope {scope}"
            return _status_info(403, refusal, "forbidden", {"WWW-Authenticate": challenge})
        return row

    async def credentials(request: Request) -> Response:
        if request.method == "GET":
            return await run_in_threadpool(list_credentials, request)
        if request.method != "POST":
            return _status_info(405, "use GET or POST", "not_allowed")
        token_or_refusal = await run_in_threadpool(
            bearer, request, standard.scope("credential.upsert")
        )
        if isinstance(token_or_refusal, Response):
            return token_or_refusal
        body = await _capped_body(request, verifier.policy.max_bytes)
        if body is None:
            return _status_info(413, "the credential is too large", "invalid_data")
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        return await run_in_threadpool(upsert, token_or_refusal, body, media_type)

    def list_credentials(request: Request) -> Response:
        token_or_refusal = bearer(request, standard.scope("credential.readonly"))
        if isinstance(token_or_refusal, Response):
            return token_or_refusal
        try:
            limit = _integer(request, "limit", DEFAULT_PAGE_SIZE, minimum=1)
            offset = _integer(request, "offset", 0, minimum=0)
            since = _since(request)
        except ValueError as error:
            return _status_info(400, str(error), "invalid_query_parameter")
        limit = min(limit, MAX_PAGE_SIZE)
        total, page = store.credentials(
            token_or_refusal.user_id, limit=limit, offset=offset, since=since, api=standard.key
        )
        body = {
            "credential": [json.loads(item.body) for item in page if not item.jws],
            "compactJwsString": [item.body for item in page if item.jws],
        }
        headers = {"X-Total-Count": str(total)}
        links = _links(f"{base_url}/credentials", request, total, limit, offset)
        if links:
            headers["Link"] = links
        return JSONResponse(body, headers=headers)

    def upsert(token_row: TokenRow, body: bytes, media_type: str) -> Response:
        if media_type == "application/json":
            received: bytes | str = body
        elif media_type == "text/plain":
            try:
                received = body.decode("ascii").strip()
            except UnicodeDecodeError:
                return _status_info(400, "a compact JWS is ASCII text", "invalid_data")
        else:
            return _status_info(415, "send application/json or text/plain", "invalid_data")
        result = verifier.verify(received)
        if result.outcome is not Outcome.VALID:
            codes = ", ".join(f"{check.code} at {check.path or '/'}" for check in result.failed)
            return _status_info(
                400, f"the credential did not verify ({result.outcome.value}): {codes}",
                "invalid_data",
            )  # fmt: skip
        document = result.document
        kinds = " or ".join(standard.credential_kinds)
        if not isinstance(document, Mapping) or verification_kind(document) not in (
            standard.credential_kinds
        ):
            return _status_info(400, f"the {standard.name} API takes an {kinds}", "invalid_data")
        keys = _credential_keys(document)
        if keys is None:
            return _status_info(
                400, f"not an {kinds} with an id, issuer and validFrom", "invalid_data"
            )
        issuer_id, credential_id, valid_from = keys
        try:
            created = store.upsert_credential(
                api=standard.key,
                user_id=token_row.user_id,
                issuer_id=issuer_id,
                credential_id=credential_id,
                valid_from=valid_from,
                body=body.decode("utf-8") if isinstance(received, bytes) else received,
                jws=isinstance(received, str),
            )
        except CredentialConflict as conflict:
            text = f"a credential of this issuer and id is already {conflict}"
            return _status_info(400, text, "invalid_data")
        return Response(body, status_code=201 if created else 200, media_type=media_type)

    async def profile(request: Request) -> Response:
        if request.method == "GET":
            return await run_in_threadpool(read_profile, request)
        if request.method != "PUT":
            return _status_info(405, "use GET or PUT", "not_allowed")
        token_or_refusal = await run_in_threadpool(
            bearer, request, standard.scope("profile.update")
        )
        if isinstance(token_or_refusal, Response):
            return token_or_refusal
        body = await _capped_body(request, MAX_PROFILE_BYTES)
        if body is None:
            return _status_info(413, "the profile is too large", "invalid_data")
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return _status_info(415, "send the profile as application/json", "invalid_data")
        try:
            # Strict: no duplicate members (two readers could see two profiles), UTF-8 only.
            document = loads_strict(body, max_bytes=MAX_PROFILE_BYTES)
        except VcbadgeError as error:
            return _status_info(400, f"the profile is not JSON: {error.code}", "invalid_data")
        refusal = _profile_refusal(document)
        if refusal is not None:
            return _status_info(400, refusal, "invalid_data")
        text = body.decode("utf-8")
        await run_in_threadpool(store.put_profile, token_or_refusal.user_id, text, api=standard.key)
        return Response(text, media_type="application/json")

    def read_profile(request: Request) -> Response:
        token_or_refusal = bearer(request, standard.scope("profile.readonly"))
        if isinstance(token_or_refusal, Response):
            return token_or_refusal
        text = store.profile(token_or_refusal.user_id, api=standard.key)
        if text is None:
            return _status_info(404, "no profile has been stored for this user", "not_found")
        return Response(text, media_type="application/json")

    async def http_error(request: Request, exc: Exception) -> Response:
        # Starlette's own refusals (a method a route does not take, a path it does not have),
        # as Imsx_StatusInfo like every other refusal of the API.
        assert isinstance(exc, HTTPException)
        minor = {404: "not_found", 405: "not_allowed"}.get(exc.status_code, "invalid_data")
        return _status_info(exc.status_code, exc.detail, minor, exc.headers)

    async def too_large(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "invalid_request", "error_description": "body too large"},
                            status_code=413)  # fmt: skip

    async def oauth_error(request: Request, exc: Exception) -> Response:
        # What Authlib raises outside its own handling: a request on a plain-HTTP URL
        # (insecure_transport) is refused, not answered 500.
        assert isinstance(exc, OAuth2Error)
        body = {"error": exc.error, "error_description": exc.description or ""}
        return JSONResponse(body, status_code=exc.status_code or 400)

    async def store_failed(request: Request, exc: Exception) -> Response:
        # The database is down or failing: a transient refusal the client may retry, with
        # nothing of the cause in the answer (the log has it, its URL's password masked).
        assert isinstance(exc, ApiStoreError)
        _log.error("%s %s: %s (%s)", request.method, request.url.path, exc, exc.code)
        return _status_info(
            503, "the service is unavailable; try again later", "server_busy",
            {"Retry-After": str(STORE_RETRY_AFTER)},
        )  # fmt: skip

    def resource(path: str, endpoint: Callable[..., Any], methods: list[str]) -> Route:
        if not cors_origins:
            return Route(path, endpoint, methods=methods)
        app = _cross_origin(endpoint, cors_origins, methods)
        return Route(path, app, methods=[*methods, "OPTIONS"])

    return Starlette(
        exception_handlers={
            _TooLarge: too_large,
            ApiStoreError: store_failed,
            OAuth2Error: oauth_error,
            HTTPException: http_error,
        },
        middleware=[Middleware(_SecureTransport, allow_loopback_http=allow_loopback_http)],
        routes=[
            Route(
                "/discovery", _cross_origin(discovery, ["*"], ["GET"]), methods=["GET", "OPTIONS"]
            ),
            Route("/oauth/register", register, methods=["POST"]),
            Route("/oauth/authorize", authorize, methods=["GET", "POST"]),
            Route("/oauth/login", login, methods=["POST"]),
            Route("/oauth/token", token, methods=["POST"]),
            Route("/oauth/revoke", revoke, methods=["POST"]),
            resource("/credentials", credentials, ["GET", "POST"]),
            resource("/profile", profile, ["GET", "PUT"]),
        ],
    )


def _cross_origin(
    endpoint: Callable[..., Any], origins: Sequence[str], methods: list[str]
) -> ASGIApp:
    """``endpoint`` answering CORS requests from ``origins`` (without credentials mode)."""
    return CORSMiddleware(
        request_response(endpoint),
        allow_origins=list(origins),
        allow_methods=methods,
        allow_headers=_CORS_REQUEST_HEADERS,
        expose_headers=_CORS_EXPOSED_HEADERS,
        allow_credentials=False,
        max_age=600,
    )


def _check_origins(origins: Sequence[str]) -> None:
    """Refuse what could never match a browser's ``Origin`` header (a path, a trailing
    slash, no scheme): a typo would otherwise turn CORS silently off."""
    if isinstance(origins, str):
        raise ValueError("cors_origins is a list of origins, not one string")
    for origin in origins:
        parts = urlsplit(origin)
        if origin != "*" and (
            parts.scheme not in ("https", "http")
            or not parts.hostname
            or f"{parts.scheme}://{parts.netloc}" != origin
        ):
            raise ValueError(f"not an origin (scheme://host[:port]): {origin!r}")


def _secure(request: Request) -> bool:
    """Whether cookies set on ``request`` are ``Secure``: always but on the loopback plain
    HTTP that ``allow_loopback_http`` admits (a client would not send them back)."""
    return request.url.scheme != "http"


def _etag_matches(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, RFC 9110)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    return any(item.strip().removeprefix("W/") == etag for item in header.split(","))


def _profile_refusal(document: object) -> str | None:
    """Why ``document`` is not a Profile (OB 3.0 / CLR 2.0: an object with an ``id`` and a
    ``type`` that is or contains ``Profile``), or None."""
    if not isinstance(document, dict):
        return "a profile is a JSON object"
    if not isinstance(document.get("id"), str) or not document["id"]:
        return "a profile needs an id"
    kind = document.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "Profile" not in kinds:
        return 'a profile\'s type must be or contain "Profile"'
    return None


async def _capped_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None past ``limit`` bytes (read no further)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _integer(request: Request, name: str, default: int, *, minimum: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        raise ValueError(f"{name} must be an integer of at least {minimum}")
    return int(text)


def _since(request: Request) -> float | None:
    text = request.query_params.get("since")
    if text is None:
        return None
    moment = _instant(text)
    if moment is None:
        raise ValueError("since must be an ISO 8601 date and time with a time zone")
    return moment.timestamp()


def _instant(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _links(url: str, request: Request, total: int, limit: int, offset: int) -> str:
    """The RFC 8288 ``Link`` header of a page: first, last, and next and prev where they
    exist; the request's other parameters (``since``) are kept."""
    extra = [(name, value) for name, value in request.query_params.multi_items()
             if name not in ("limit", "offset")]  # fmt: skip

    def link(rel: str, at: int) -> str:
        query = urlencode([*extra, ("limit", str(limit)), ("offset", str(at))])
        return f'<{url}?{query}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = []
    if offset + limit < total:
        links.append(link("next", offset + limit))
    links.append(link("last", last))
    links.append(link("first", 0))
    if offset > 0:
        links.append(link("prev", max(0, offset - limit)))
    return ", ".join(links)


def _credential_keys(document: object) -> tuple[str, str, str] | None:
    """A credential's issuer id, id, and validFrom normalized to UTC (the upsert equality
    rule), or None when it lacks one."""
    if not isinstance(document, Mapping):
        return None
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    credential_id = document.get("id")
    valid_from = document.get("validFrom", document.get("issuanceDate"))
    if not (isinstance(issuer_id, str) and isinstance(credential_id, str)):
        return None
    moment = _instant(valid_from) if isinstance(valid_from, str) else None
    if moment is None:
        return None
    return issuer_id, credential_id, moment.astimezone(timezone.utc).isoformat()
