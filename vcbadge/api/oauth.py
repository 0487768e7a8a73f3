"""The OAuth 2.0 authorization server of the Open Badges 3.0 and CLR 2.0 APIs, built on
Authlib, and the record (:class:`ApiStandard`) of what differs between the two APIs.

Authlib does the protocol (RFC 6749 authorization code and refresh grants, RFC 7636 PKCE,
RFC 7591 dynamic registration, RFC 7009 revocation); this module is the thin adapter to
Starlette requests and to :class:`vcbadge.api.store.ApiStore`, plus the OB 3.0 profile's rules
that are stricter than Authlib's defaults:

- PKCE with S256 for every client, confidential ones included (Authlib requires a verifier
  only from public clients, and accepts ``plain``);
- registration requires the OB 3.0 metadata, every URL HTTPS and on one host;
- clients authenticate at the token and revocation endpoints with HTTP Basic only;
- codes are single-use, live ``CODE_LIFETIME`` seconds, and a replayed code revokes the
  tokens of its grant;
- refresh tokens rotate: a refresh revokes the old pair, and a rotated (or revoked) refresh
  token presented again revokes every token of its family (RFC 9700 §4.14.2); a refresh token
  lives ``REFRESH_TOKEN_LIFETIME`` seconds;
- redirect URIs are HTTPS and matched exactly; with ``allow_loopback_redirects``, a native
  app's ``http://127.0.0.1`` or ``http://[::1]`` redirect URI is accepted too and matched
  ignoring its port (RFC 8252 §7.3);
- the tokens Authlib logs at DEBUG ("Issue token ...") print with their secrets masked.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import AuthorizationServer as _AuthlibServer
from authlib.oauth2.rfc6749 import (
    JsonPayload,
    JsonRequest,
    OAuth2Payload,
    OAuth2Request,
    grants,
)
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7591 import ClientRegistrationEndpoint
from authlib.oauth2.rfc7591.errors import InvalidClientMetadataError, InvalidRedirectURIError
from authlib.oauth2.rfc7636 import CodeChallenge

from vcbadge.api.standards import CLR20, OB30, ApiStandard
from vcbadge.api.store import (
    REFRESH_TOKEN_LIFETIME,
    ApiStore,
    ClientRow,
    CodeRow,
    TokenRow,
    digest,
)
from vcbadge.clock import SystemClock
from vcbadge.protocols import Clock

__all__ = [
    "ACCESS_TOKEN_LIFETIME",
    "CLR20",
    "CODE_LIFETIME",
    "OB30",
    "REFRESH_TOKEN_LIFETIME",
    "SCOPES",
    "ApiAuthorizationServer",
    "ApiStandard",
    "FormRequest",
    "StoredClient",
    "is_loopback_redirect",
]

SCOPE_BASE = OB30.scope_base
SCOPES: Mapping[str, str] = OB30.scopes
CODE_LIFETIME = 60  # seconds; RFC 6749 §4.1.2 recommends at most ten minutes
ACCESS_TOKEN_LIFETIME = 3600

# RFC 7591 metadata the OB 3.0 security framework requires of every registration.
_REQUIRED_METADATA = (
    "client_name",
    "client_uri",
    "logo_uri",
    "tos_uri",
    "policy_uri",
    "software_id",
    "software_version",
    "redirect_uris",
    "scope",
)
_URL_METADATA = ("client_uri", "logo_uri", "tos_uri", "policy_uri")


@dataclass(frozen=True, kw_only=True)
class FormRequest:
    """What the adapter needs of an HTTP request, read (async) before Authlib runs (sync)."""

    method: str
    url: str
    headers: Mapping[str, str]  # case-insensitive (Starlette Headers)
    values: list[tuple[str, str]]
    json: Any = None


class _FormPayload(OAuth2Payload):  # type: ignore[misc]
    def __init__(self, values: list[tuple[str, str]]) -> None:
        self._datalist: defaultdict[str, list[str]] = defaultdict(list)
        for name, value in values:
            self._datalist[name].append(value)
        self._data = {name: found[0] for name, found in self._datalist.items()}

    @property
    def data(self) -> dict[str, str]:
        return self._data

    @property
    def datalist(self) -> defaultdict[str, list[str]]:
        return self._datalist


class _OAuth2Request(OAuth2Request):  # type: ignore[misc]
    def __init__(self, request: FormRequest) -> None:
        super().__init__(method=request.method, uri=request.url, headers=request.headers)
        self.payload = _FormPayload(request.values)

    @property
    def args(self) -> dict[str, str]:
        data: dict[str, str] = self.payload.data
        return data

    @property
    def form(self) -> dict[str, str]:
        data: dict[str, str] = self.payload.data
        return data


class _JsonPayload(JsonPayload):  # type: ignore[misc]
    def __init__(self, data: Any) -> None:
        self._data = data

    @property
    def data(self) -> Any:
        return self._data


class _JsonRequest(JsonRequest):  # type: ignore[misc]
    def __init__(self, request: FormRequest) -> None:
        super().__init__(request.method, request.url, request.headers)
        self.payload = _JsonPayload(request.json if isinstance(request.json, dict) else {})


def is_loopback_redirect(uri: str) -> bool:
    """A native app's loopback redirect URI (RFC 8252 §7.3): ``http`` on the literal
    ``127.0.0.1`` or ``[::1]``, any port or none, no user info or fragment. Never
    ``localhost`` (RFC 8252 §8.3: a name can resolve elsewhere)."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname in ("127.0.0.1", "::1")
        and "@" not in parts.netloc
        and not parts.fragment
    )


def _without_port(uri: str) -> tuple[str, str | None, str, str]:
    parts = urlsplit(uri)
    return parts.scheme, parts.hostname, parts.path, parts.query


class StoredClient:
    """A registered client as Authlib sees it (its ClientMixin interface).

    ``loopback_redirects``: a registered loopback redirect URI (:func:`is_loopback_redirect`)
    matches a requested one that differs only in its port; without it, a plain-HTTP redirect
    URI never matches, even one registered when the switch was on.
    """

    def __init__(self, row: ClientRow, *, loopback_redirects: bool = False) -> None:
        self.row = row
        self.metadata = row.client_metadata
        self.loopback_redirects = loopback_redirects

    def get_client_id(self) -> str:
        return self.row.client_id

    def get_default_redirect_uri(self) -> str | None:
        # No default: the authorization request must name its redirect URI (matched exactly).
        return None

    def get_allowed_scope(self, scope: str) -> str:
        allowed = set(str(self.metadata.get("scope", "")).split())
        return " ".join(part for part in scope.split() if part in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        registered = [uri for uri in self.metadata.get("redirect_uris", [])
                      if isinstance(uri, str)]  # fmt: skip
        if not is_loopback_redirect(redirect_uri):
            return urlsplit(redirect_uri).scheme == "https" and redirect_uri in registered
        if not self.loopback_redirects:
            return False
        wanted = _without_port(redirect_uri)
        return any(is_loopback_redirect(uri) and _without_port(uri) == wanted for uri in registered)

    def check_client_secret(self, client_secret: str) -> bool:
        return secrets.compare_digest(digest(client_secret), self.row.secret_hash)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in ("authorization_code", "refresh_token")


class _IssuedToken(dict[str, Any]):
    """A token response whose ``repr`` (what Authlib's DEBUG log prints) masks the secrets."""

    _SECRET_MEMBERS = frozenset({"access_token", "refresh_token"})

    def __repr__(self) -> str:
        shown = {
            name: "<redacted>" if name in self._SECRET_MEMBERS else value
            for name, value in self.items()
        }
        return repr(shown)

    __str__ = __repr__


class _S256Required(CodeChallenge):  # type: ignore[misc]
    """PKCE with S256 for every client: a challenge in every authorization request, a
    verifier in every token request, whatever the client's authentication."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': PKCE is required")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier': PKCE is required")
        super().validate_code_verifier(grant, result)


class _AuthorizationCodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

    def save_authorization_code(self, code: str, request: Any) -> None:
        data = request.payload.data
        self.server.store.add_code(
            CodeRow(
                code_hash=digest(code),
                client_id=request.client.get_client_id(),
                user_id=str(request.user),
                redirect_uri=data["redirect_uri"],
                scope=request.scope or "",
                code_challenge=data["code_challenge"],
                code_challenge_method=data["code_challenge_method"],
                expires_at=self.server.now() + CODE_LIFETIME,
                used=False,
            )
        )

    def query_authorization_code(self, code: str, client: StoredClient) -> _Code | None:
        row = self.server.store.redeem_code(code, client.get_client_id(), now=self.server.now())
        return None if row is None else _Code(row)

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        pass  # redeem_code marked it used: a used code is kept to detect its replay

    def authenticate_user(self, authorization_code: _Code) -> str:
        return authorization_code.row.user_id


class _Code:
    """An authorization code row as Authlib's grant and PKCE extension read it."""

    def __init__(self, row: CodeRow) -> None:
        self.row = row
        self.code_challenge = row.code_challenge
        self.code_challenge_method = row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope


class _RefreshTokenGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token: str) -> TokenRow | None:
        store: ApiStore = self.server.store
        token: TokenRow | None = store.token_by_refresh(refresh_token)
        if token is None or token.is_refresh_expired(self.server.now()):
            return None
        if token.revoked:
            # Rotated or revoked, and presented again: whoever holds it (the client or a
            # thief) must not keep the family alive (RFC 9700 §4.14.2).
            store.revoke_family(token.code_hash)
            return None
        return token

    def authenticate_user(self, refresh_token: TokenRow) -> str:
        return refresh_token.user_id

    def revoke_old_credential(self, refresh_token: TokenRow) -> None:
        pass  # save_token revoked it, in the transaction that saved its successor


class _RevocationEndpoint(RevocationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ["client_secret_basic"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> TokenRow | None:
        store: ApiStore = self.server.store
        if token_type_hint == "refresh_token":
            return store.token_by_refresh(token_string) or store.token_by_access(token_string)
        return store.token_by_access(token_string) or store.token_by_refresh(token_string)

    def revoke_token(self, token: TokenRow, request: Any) -> None:
        presented = str(request.form.get("token", ""))
        if token.refresh_hash is not None and secrets.compare_digest(
            digest(presented), token.refresh_hash
        ):
            # A refresh token: every access token of its grant goes too (RFC 7009 §2.1).
            self.server.store.revoke_family(token.code_hash)
        else:
            self.server.store.revoke_token(token.id)


class _RegistrationEndpoint(ClientRegistrationEndpoint):  # type: ignore[misc]
    def authenticate_token(self, request: Any) -> bool:
        return True  # OB 3.0: registration is open; what a client may do is the user's consent

    def resolve_public_key(self, request: Any) -> None:
        return None

    def get_server_metadata(self) -> dict[str, Any]:
        return {
            "scopes_supported": list(self.server.standard.scopes),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        }

    def extract_client_metadata(self, request: Any) -> dict[str, Any]:
        data = request.payload.data
        _check_ob_metadata(
            data, self.server.standard, loopback_redirects=self.server.allow_loopback_redirects
        )
        metadata: dict[str, Any] = super().extract_client_metadata(request)
        return metadata

    def save_client(
        self, client_info: dict[str, Any], client_metadata: dict[str, Any], request: Any
    ) -> StoredClient:
        metadata = {
            **client_metadata,
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
        }
        store: ApiStore = self.server.store
        store.add_client(client_info["client_id"], client_info["client_secret"], metadata)
        row = store.client(client_info["client_id"])
        assert row is not None
        return StoredClient(row, loopback_redirects=self.server.allow_loopback_redirects)


def _check_ob_metadata(
    data: dict[str, Any], standard: ApiStandard, *, loopback_redirects: bool = False
) -> None:
    """The OB 3.0 registration rules: the required fields, HTTPS URLs all on one host, known
    scopes only; with ``loopback_redirects``, loopback redirect URIs too (on the learner's
    machine, so outside the one-host rule)."""
    missing = [name for name in _REQUIRED_METADATA if not data.get(name)]
    if missing:
        raise InvalidClientMetadataError(f"missing client metadata: {', '.join(missing)}")
    redirect_uris = data["redirect_uris"]
    if not isinstance(redirect_uris, list) or not all(isinstance(u, str) for u in redirect_uris):
        raise InvalidRedirectURIError("redirect_uris must be a list of URLs")
    if loopback_redirects:
        redirect_uris = [uri for uri in redirect_uris if not is_loopback_redirect(uri)]
    urls = [data[name] for name in _URL_METADATA] + redirect_uris
    hosts = set()
    for url in urls:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme != "https" or not parts.hostname or parts.fragment:
            error = InvalidRedirectURIError if url in redirect_uris else InvalidClientMetadataError
            raise error(f"not an HTTPS URL: {url!r}")
        hosts.add(parts.hostname.lower())
    if len(hosts) != 1:
        raise InvalidClientMetadataError("every URL of a client must be on one host")
    scope = data["scope"]
    if not isinstance(scope, str) or not set(scope.split()) <= set(standard.scopes):
        raise InvalidClientMetadataError("scope names a scope this provider does not know")


class ApiAuthorizationServer(_AuthlibServer):  # type: ignore[misc]
    """Authlib's server for :class:`FormRequest` requests; responses are
    ``(status, body, headers)`` for the Starlette layer to send.

    ``allow_loopback_redirects`` admits RFC 8252 loopback redirect URIs (see
    :class:`StoredClient`); off by default, as the OB 3.0 security framework requires HTTPS
    redirect URIs.
    """

    def __init__(
        self,
        store: ApiStore,
        *,
        standard: ApiStandard = OB30,
        clock: Clock | None = None,
        allow_loopback_redirects: bool = False,
    ) -> None:
        super().__init__(scopes_supported=list(standard.scopes))
        self.store = store
        self.standard = standard
        self.clock: Clock = clock or SystemClock()
        self.allow_loopback_redirects = allow_loopback_redirects
        self.register_token_generator("default", self._generate_token)
        self.register_grant(_AuthorizationCodeGrant, [_S256Required(required=True)])
        self.register_grant(_RefreshTokenGrant)
        self.register_endpoint(_RevocationEndpoint)
        self.register_endpoint(_RegistrationEndpoint)

    def _generate_token(
        self,
        grant_type: str,
        client: StoredClient,
        user: Any = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        token: dict[str, Any] = _IssuedToken({
            "token_type": "Bearer",
            "access_token": secrets.token_urlsafe(32),
            "expires_in": ACCESS_TOKEN_LIFETIME,
        })  # fmt: skip
        if include_refresh_token:
            token["refresh_token"] = secrets.token_urlsafe(32)
        if scope:
            token["scope"] = scope
        return token

    def now(self) -> float:
        """The server's clock, in seconds since the epoch."""
        return self.clock.now().timestamp()

    def query_client(self, client_id: str) -> StoredClient | None:
        row = self.store.client(client_id)
        if row is None:
            return None
        return StoredClient(row, loopback_redirects=self.allow_loopback_redirects)

    def save_token(self, token: dict[str, Any], request: Any) -> None:
        rotating: int | None = None
        if request.authorization_code is not None:
            code_hash = request.authorization_code.row.code_hash
        else:
            code_hash = request.refresh_token.code_hash
            rotating = request.refresh_token.id
        refresh = token.get("refresh_token")
        saved = self.store.add_token(
            TokenRow(
                client_id=request.client.get_client_id(),
                user_id=str(request.user),
                scope=token.get("scope", ""),
                access_hash=digest(token["access_token"]),
                refresh_hash=digest(refresh) if refresh else None,
                code_hash=code_hash,
                issued_at=self.now(),
                expires_in=int(token["expires_in"]),
                revoked=False,
            ),
            rotating=rotating,
        )
        if not saved:
            if rotating is not None:
                # The same refresh token was used twice at once: one of the two is not the
                # client's (RFC 9700 §4.14.2).
                self.store.revoke_family(code_hash)
            raise InvalidGrantError("the grant has been revoked")

    def create_oauth2_request(self, request: FormRequest) -> OAuth2Request:
        return _OAuth2Request(request)

    def create_json_request(self, request: FormRequest) -> JsonRequest:
        return _JsonRequest(request)

    def handle_response(
        self, status: int, body: Any, headers: list[tuple[str, str]]
    ) -> tuple[int, Any, list[tuple[str, str]]]:
        return status, body, list(headers)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        pass  # no signal system: nothing listens
