"""Interfaces the sans-I/O core is written against.

Everything that touches the outside world (documents, keys, time) reaches the core through one
of these protocols, so each can be replaced by a static or fixed implementation in tests and in
air-gapped verifiers (see ``vcbadge.testing``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol, TypedDict, runtime_checkable

__all__ = [
    "Clock",
    "DocumentLoader",
    "JsonObject",
    "RemoteDocument",
    "Resolver",
    "Signer",
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


@runtime_checkable
class Clock(Protocol):
    """The source of "now"; vcbadge never reads the system time behind the caller's back."""

    def now(self) -> datetime: ...


@runtime_checkable
class Signer(Protocol):
    """Signs bytes without exposing the private key (in memory, HSM or cloud KMS).

    ``algorithm`` names the signature algorithm (``"Ed25519"``); ``verification_method`` is the
    absolute id (DID URL or HTTPS URL) under which verifiers find the public key.
    """

    @property
    def algorithm(self) -> str: ...

    @property
    def verification_method(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...
