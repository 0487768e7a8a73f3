"""Interfaces the sans-I/O core is written against.

Everything that touches the outside world (documents, keys, time) reaches the core through one
of these protocols, so each can be replaced by a static or fixed implementation in tests and in
air-gapped verifiers (see ``vcbadge.testing``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypedDict, runtime_checkable

__all__ = [
    "BatchStatusAllocator",
    "Clock",
    "DocumentLoader",
    "JsonObject",
    "PublicKey",
    "RegistryEntry",
    "RemoteDocument",
    "Resolver",
    "Response",
    "Signer",
    "StatusAllocator",
    "StatusFetcher",
    "Transport",
    "TrustRegistry",
]

JsonObject = dict[str, Any]


class RemoteDocument(TypedDict):
    """What a JSON-LD document loader returns (the shape pyld expects)."""

    contextUrl: str | None
    documentUrl: str
    document: Any


@runtime_checkable
class DocumentLoader(Protocol):
    """Returns the JSON-LD document for ``url`` or raises ``ContextNotAllowed``."""

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument: ...


@runtime_checkable
class Resolver(Protocol):
    """Resolves a DID or URL (without fragment) to its DID or controller document.

    Raises ``ResolutionError`` (outcome INDETERMINATE) when the document cannot be obtained and
    ``UnsupportedError`` for a method it does not handle.
    """

    def resolve(self, identifier: str) -> JsonObject: ...


@dataclass(frozen=True)
class Response:
    """A successful HTTP response as a ``Transport`` returns it.

    ``url`` is the final URL (after any redirects the transport followed), ``headers`` has
    lower-case names, ``body`` is the complete (decoded) body.
    """

    url: str
    status: int
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` without parameters, lower-case (``""`` when absent)."""
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()


@runtime_checkable
class Transport(Protocol):
    """Fetches ``url`` with GET: the one way vcbadge reaches the network.

    Returns only a 200 response whose media type is one of ``accept`` (sent as the ``Accept``
    header). Raises a ``NetworkError`` subclass otherwise (not found, timeout, too large,
    refused address or redirect, wrong content type, TLS failure), never silently retrying.
    """

    def get(self, url: str, *, accept: Sequence[str]) -> Response: ...


@runtime_checkable
class StatusFetcher(Protocol):
    """Returns the status list credential (or 1EdTech revocation list) published at ``url``,
    parsed. Raises ``StatusListUnavailable`` (INDETERMINATE) when it cannot be obtained; the
    verifier verifies what it returns, so a fetcher never needs to judge it.
    """

    def fetch(self, url: str) -> JsonObject: ...


@runtime_checkable
class StatusAllocator(Protocol):
    """Issuer side: hands out status list positions (implemented by ``vcbadge.store``).

    ``credential_status`` registers ``credential_id`` and returns its ``credentialStatus``
    entries; ``publish`` signs the status list credentials with ``issuer`` (a
    ``vcbadge.Issuer``) and returns them by URL, also writing them under ``directory``.
    """

    def credential_status(self, credential_id: str) -> list[JsonObject]: ...

    def publish(
        self, issuer: Any, *, directory: str | None = None, at: datetime | None = None
    ) -> dict[str, JsonObject]: ...


@runtime_checkable
class BatchStatusAllocator(StatusAllocator, Protocol):
    """A ``StatusAllocator`` that also registers a whole group at once (the SQL stores: one
    transaction and a few statements per group instead of per credential).

    ``credential_status_many`` returns each id's entries, in order, all or nothing: when it
    refuses one id it registers none, and ``Issuer.issue_many`` then falls back to one by one
    so that only that credential fails.
    """

    def credential_status_many(self, credential_ids: Sequence[str]) -> list[list[JsonObject]]: ...


@runtime_checkable
class Clock(Protocol):
    """The source of "now"; vcbadge never reads the system time behind the caller's back."""

    def now(self) -> datetime: ...


class PublicKey(Protocol):
    """A key that verifies signatures: ``Ed25519Key``, ``EcKey``, ``RsaKey``, or your own.

    ``algorithm`` names the signature algorithm (``"Ed25519"``, ``"P-256"``, ``"P-384"``,
    ``"RSA"``); ``to_jwk`` gives the public JWK (JOSE verification needs its thumbprint).
    """

    @property
    def algorithm(self) -> str: ...

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` signs ``data``; never raises for a bad signature."""
        ...

    def to_jwk(self, *, include_private: bool = False) -> dict[str, str]: ...


@runtime_checkable
class Signer(Protocol):
    """Signs bytes without exposing the private key (in memory, HSM or cloud KMS).

    ``algorithm`` names the signature algorithm (``"Ed25519"``); ``verification_method`` is the
    absolute id (DID URL or HTTPS URL) under which verifiers find the public key;
    ``controller`` is the DID or URL that controls it (the issuer or holder id it signs for).
    Usually the method id without its fragment, but a key published at its own URL names its
    controller separately, so it is never guessed from the method id.
    """

    @property
    def algorithm(self) -> str: ...

    @property
    def verification_method(self) -> str: ...

    @property
    def controller(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


@dataclass(frozen=True, kw_only=True)
class RegistryEntry:
    """What a trust registry says about one issuer it lists.

    ``registry`` names the registry that vouches (shown to people); ``name`` and ``url`` are
    the registry's own record of the issuer, never the credential's claim.
    """

    issuer_id: str
    registry: str
    name: str | None = None
    url: str | None = None


@runtime_checkable
class TrustRegistry(Protocol):
    """A list of issuers the verifier chose to rely on (``vcbadge.trust``: an allow-list
    file, a Digital Credentials Consortium registry, an OpenID Federation trust anchor).

    ``lookup`` returns the entry for ``issuer_id``, ``None`` when the registry does not list
    it, and raises a ``VcbadgeError`` (``ResolutionError`` when the registry could not be
    consulted, another error when what it served is not acceptable); a failure never makes
    an issuer known.
    """

    @property
    def name(self) -> str: ...

    def lookup(self, issuer_id: str) -> RegistryEntry | None: ...
