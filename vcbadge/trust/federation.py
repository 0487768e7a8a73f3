"""An OpenID Federation trust anchor as an issuer registry: the smallest sound subset.

What is implemented (OpenID Federation 1.0 names):

1. The trust anchor's **entity configuration** is fetched from
   ``{anchor}/.well-known/openid-federation`` (``application/entity-statement+jwt``). It must be a
   compact JWS with ``typ`` ``entity-statement+jwt``, ``iss`` = ``sub`` = the anchor, a current
   ``iat``/``exp``, its ``jwks``, and be signed by one of those keys. When the verifier pins the
   anchor's keys (``anchor_keys``), the configuration must be signed by a pinned key and only
   the pinned keys are used afterwards; otherwise the keys are those the configuration
   publishes over HTTPS (trust in the anchor then rests on its TLS certificate).
2. Its ``metadata.federation_entity.federation_fetch_endpoint`` (an HTTPS URL) is asked for the
   **subordinate statement** about the issuer (``?sub=ISSUER``). HTTP 404 means the anchor does
   not list the issuer. A statement must be a compact JWS with ``typ`` ``entity-statement+jwt``,
   signed by one of the anchor's keys (by ``kid``), with ``iss`` the anchor, ``sub`` the issuer
   and a current ``iat``/``exp``; its ``metadata.federation_entity.organization_name`` is the
   issuer's name and ``homepage_uri`` its URL.

Not implemented (the issuer is then simply not known through this registry): trust chains
through intermediate authorities (only direct subordinates of the anchor), the subordinate's
own entity configuration and its ``authority_hints``, metadata policies, trust marks,
``constraints``, the resolve and list endpoints, and key rollover beyond the keys of the
current configuration.

Fetched statements are kept until their ``exp`` (at most ``max_ttl``); a "not listed" answer
for ``negative_ttl``. Time comes from the injected clock; every fetch goes through the
injected ``Transport``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

from vcbadge._lru import LruCache
from vcbadge.errors import (
    HTTPStatusError,
    InputError,
    ResolutionError,
    UnsupportedError,
    VerificationError,
)
from vcbadge.proofs.jws import (
    JOSE_ALGORITHMS,
    CompactJws,
    check_header,
    parse_compact,
    public_key_from_jwk,
    verify_jws_signature,
)
from vcbadge.protocols import Clock, PublicKey, RegistryEntry, Transport

__all__ = ["ENTITY_STATEMENT_MEDIA_TYPE", "WELL_KNOWN_PATH", "FederationRegistry"]

ENTITY_STATEMENT_MEDIA_TYPE = "application/entity-statement+jwt"
WELL_KNOWN_PATH = "/.well-known/openid-federation"
_TYP = "entity-statement+jwt"
_ALGORITHMS = frozenset(JOSE_ALGORITHMS)
_MAX_STATEMENT_BYTES = 256 * 1024
# Clocks of the anchor and the verifier may differ a little.
_SKEW = timedelta(minutes=1)


def _invalid(message: str, *, code: str, path: str = "") -> VerificationError:
    return VerificationError(message, code=code, path=path)


def _keys_by_id(jwks: Any, where: str) -> dict[str, PublicKey]:
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list) or not keys:
        raise InputError(
            f"{where}: 'jwks' must hold a non-empty 'keys' array",
            code="federation_statement_malformed",
            path="/payload/jwks",
        )
    found: dict[str, PublicKey] = {}
    for index, jwk in enumerate(keys):
        path = f"/payload/jwks/keys/{index}"
        kid = jwk.get("kid") if isinstance(jwk, Mapping) else None
        if not isinstance(kid, str) or not kid:
            raise InputError(
                f"{where}: every key needs a 'kid'",
                code="federation_statement_malformed",
                path=path,
            )
        found[kid] = public_key_from_jwk(jwk, path=path)
    return found


def _moment(payload: Mapping[str, Any], claim: str, where: str) -> datetime:
    value = payload.get(claim)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(
            f"{where}: '{claim}' must be a NumericDate",
            code="federation_statement_malformed",
            path=f"/payload/{claim}",
        )
    try:
        return datetime.fromtimestamp(value, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise InputError(
            f"{where}: '{claim}' is out of range",
            code="federation_statement_malformed",
            path=f"/payload/{claim}",
        ) from None


def _verified(
    body: bytes,
    keys: Mapping[str, PublicKey] | None,
    *,
    issuer: str,
    subject: str,
    now: datetime,
    where: str,
) -> tuple[CompactJws, datetime]:
    """The statement in ``body``, checked; and until when it holds. ``keys`` None: the
    statement is self-signed and its own ``jwks`` verify it (an entity configuration)."""
    jws = parse_compact(body, max_bytes=_MAX_STATEMENT_BYTES)
    if jws.header.get("typ") != _TYP:
        raise _invalid(
            f"{where}: the header 'typ' is {jws.header.get('typ')!r}, not {_TYP!r}",
            code="federation_statement_type",
            path="/header/typ",
        )
    alg = check_header(jws.header, _ALGORITHMS)
    payload = jws.payload
    if payload.get("iss") != issuer:
        raise _invalid(
            f"{where}: issued by {payload.get('iss')!r}, not the trust anchor {issuer}",
            code="federation_issuer_mismatch",
            path="/payload/iss",
        )
    if payload.get("sub") != subject:
        raise _invalid(
            f"{where}: about {payload.get('sub')!r}, not {subject}",
            code="federation_subject_mismatch",
            path="/payload/sub",
        )
    issued, expires = _moment(payload, "iat", where), _moment(payload, "exp", where)
    signing_keys = keys if keys is not None else _keys_by_id(payload.get("jwks"), where)
    kid = jws.header.get("kid")
    key = signing_keys.get(kid) if isinstance(kid, str) else None
    if key is None:
        raise _invalid(
            f"{where}: signed with key {kid!r}, which is not one of the trust anchor's keys "
            f"({', '.join(sorted(signing_keys))})",
            code="federation_key_unknown",
            path="/header/kid",
        )
    verify_jws_signature(jws, alg, key)
    if now >= expires:
        raise _invalid(
            f"{where}: expired at {expires.isoformat()}",
            code="federation_statement_expired",
            path="/payload/exp",
        )
    if issued > now + _SKEW:
        raise _invalid(
            f"{where}: issued in the future ({issued.isoformat()})",
            code="federation_statement_not_yet_valid",
            path="/payload/iat",
        )
    return jws, expires


def _federation_entity(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    metadata = payload.get("metadata")
    entity = metadata.get("federation_entity") if isinstance(metadata, Mapping) else None
    return entity if isinstance(entity, Mapping) else {}


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


class FederationRegistry:
    """A :class:`vcbadge.protocols.TrustRegistry` answering from an OpenID Federation trust
    anchor: an issuer is known when the anchor serves a valid subordinate statement about it.

    Args:
        trust_anchor: the anchor's entity identifier (an HTTPS URL without a trailing slash).
        transport: how statements are fetched (normally ``vcbadge.http.GuardedTransport``).
        clock: judges ``iat``/``exp`` and ages the cache.
        anchor_keys: the anchor's public JWKs (each with ``kid``), pinned out of band; when
            given, the configuration must be signed by one of them and only they are used.
        name: what people are shown (default: the anchor's ``organization_name``, else its id).
        max_ttl: the longest a statement is kept, whatever its ``exp``.
        negative_ttl: how long "not listed" is kept.
        max_entries: how many issuers' answers are kept.
    """

    def __init__(
        self,
        trust_anchor: str,
        *,
        transport: Transport,
        clock: Clock,
        anchor_keys: Iterable[Mapping[str, Any]] | None = None,
        name: str | None = None,
        max_ttl: timedelta = timedelta(hours=24),
        negative_ttl: timedelta = timedelta(minutes=5),
        max_entries: int = 1024,
    ) -> None:
        parts = urlsplit(trust_anchor)
        if parts.scheme != "https" or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"a trust anchor is an https: URL, not {trust_anchor!r}")
        self.trust_anchor = trust_anchor.rstrip("/")
        self._transport = transport
        self._clock = clock
        self._pinned = (
            _keys_by_id({"keys": list(anchor_keys)}, "the pinned anchor keys")
            if anchor_keys is not None
            else None
        )
        self._name = name
        self._max_ttl = max_ttl
        self._negative_ttl = negative_ttl
        self._lock = threading.Lock()
        # (until, fetch endpoint, keys, organization name)
        self._configuration: tuple[datetime, str, dict[str, PublicKey], str | None] | None = None
        self._answers: LruCache[str, tuple[datetime, RegistryEntry | None]] = LruCache(max_entries)

    @property
    def name(self) -> str:
        """The name given, else the anchor's organization name once known, else its id."""
        if self._name is not None:
            return self._name
        configuration = self._configuration
        return (configuration[3] if configuration else None) or self.trust_anchor

    def lookup(self, issuer_id: str) -> RegistryEntry | None:
        """The anchor's subordinate statement about ``issuer_id`` as an entry; ``None`` when
        the anchor answers 404 (not listed).

        Raises:
            ResolutionError: ``federation_unavailable``.
            InputError: ``federation_statement_malformed``, ``federation_fetch_endpoint``,
                ``jwt_malformed``.
            VerificationError: ``federation_statement_type``, ``federation_issuer_mismatch``,
                ``federation_subject_mismatch``, ``federation_key_unknown``,
                ``invalid_signature``, ``federation_statement_expired``,
                ``federation_statement_not_yet_valid``, and the JWS header refusals
                (``jwt_alg_none``, ``jwt_alg_hmac``, ``jwt_crit_unsupported``...).
        """
        now = self._clock.now()
        cached = self._answers.get(issuer_id)
        if cached is not None and now < cached[0]:
            return cached[1]
        endpoint, keys = self._fetch_endpoint_and_keys(now)
        separator = "&" if "?" in endpoint else "?"
        url = f"{endpoint}{separator}{urlencode({'sub': issuer_id})}"
        try:
            body = self._get(url)
        except _NotListed:
            self._answers.put(issuer_id, (now + self._negative_ttl, None))
            return None
        where = f"the statement about {issuer_id} from {self.trust_anchor}"
        jws, expires = _verified(
            body, keys, issuer=self.trust_anchor, subject=issuer_id, now=now, where=where
        )
        entity = _federation_entity(jws.payload)
        entry = RegistryEntry(
            issuer_id=issuer_id,
            registry=self.name,
            name=_string(entity.get("organization_name")),
            url=_string(entity.get("homepage_uri")),
        )
        self._answers.put(issuer_id, (min(expires, now + self._max_ttl), entry))
        return entry

    def _fetch_endpoint_and_keys(self, now: datetime) -> tuple[str, dict[str, PublicKey]]:
        with self._lock:
            configuration = self._configuration
        if configuration is not None and now < configuration[0]:
            return configuration[1], configuration[2]
        where = f"the entity configuration of {self.trust_anchor}"
        try:
            body = self._get(self.trust_anchor + WELL_KNOWN_PATH)
        except _NotListed as missing:
            raise ResolutionError(
                f"{where} was not found (HTTP 404)", code="federation_unavailable"
            ) from missing
        jws, expires = _verified(
            body,
            self._pinned,
            issuer=self.trust_anchor,
            subject=self.trust_anchor,
            now=now,
            where=where,
        )
        keys = (
            self._pinned
            if self._pinned is not None
            else _keys_by_id(jws.payload.get("jwks"), where)
        )
        entity = _federation_entity(jws.payload)
        endpoint = entity.get("federation_fetch_endpoint")
        if not isinstance(endpoint, str) or not endpoint.startswith("https://") or "#" in endpoint:
            raise InputError(
                f"{where} names no https: federation_fetch_endpoint",
                code="federation_fetch_endpoint",
                path="/payload/metadata/federation_entity/federation_fetch_endpoint",
            )
        organization = _string(entity.get("organization_name"))
        with self._lock:
            self._configuration = (min(expires, now + self._max_ttl), endpoint, keys, organization)
        return endpoint, keys

    def _get(self, url: str) -> bytes:
        try:
            return self._transport.get(url, accept=(ENTITY_STATEMENT_MEDIA_TYPE,)).body
        except HTTPStatusError as error:
            if error.status == 404:
                raise _NotListed(url) from error
            raise self._unavailable(url, error) from error
        except (ResolutionError, UnsupportedError) as error:
            raise self._unavailable(url, error) from error

    def _unavailable(self, url: str, error: ResolutionError | UnsupportedError) -> ResolutionError:
        return ResolutionError(
            f"the federation {self.trust_anchor} could not be asked ({url}): {error.message} "
            f"[{error.code}]",
            code="federation_unavailable",
        )

    def __repr__(self) -> str:
        return f"FederationRegistry({self.trust_anchor!r})"


class _NotListed(Exception):
    """The federation answered 404."""
