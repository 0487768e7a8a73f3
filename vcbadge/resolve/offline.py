"""The offline resolver: what needs no network is resolved, the rest is refused with the reason."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from vcbadge.errors import UnsupportedError
from vcbadge.resolve.composite import CompositeResolver
from vcbadge.resolve.did_jwk import DidJwkResolver
from vcbadge.resolve.did_key import DidKeyResolver
from vcbadge.resolve.did_web import did_web_to_url
from vcbadge.resolve.static import StaticResolver

__all__ = ["NetworkDisabledResolver", "offline_resolver"]


class NetworkDisabledResolver:
    """Refuses every identifier: resolving it would need the network, and the caller said no.

    Registered for ``web``, ``https`` and ``http`` by :func:`offline_resolver` so the reason is
    explicit. The error is ``UnsupportedError`` (code ``unsupported_did_method``): verification
    reports it as INDETERMINATE, never VALID.
    """

    def resolve(self, identifier: str) -> NoReturn:
        """Raise: ``invalid_did`` for a malformed did:web (a defect of whatever names it, known
        without the network), ``unsupported_did_method`` saying "offline" otherwise."""
        if identifier.startswith("did:web:"):
            did_web_to_url(identifier.partition("#")[0])
        shown = identifier if len(identifier) <= 200 else identifier[:197] + "..."
        raise UnsupportedError(
            f"resolving {shown} needs the network and this verifier is offline; give the "
            "verifier its document, or verify online",
            code="unsupported_did_method",
        )

    def __repr__(self) -> str:
        return "NetworkDisabledResolver()"


def offline_resolver(
    documents: Mapping[str, Mapping[str, Any]] | None = None,
) -> CompositeResolver:
    """did:key and did:jwk resolved locally, ``documents`` (DID or URL -> document) served ahead
    of everything, did:web and HTTPS(S) URLs refused as needing the network."""
    disabled = NetworkDisabledResolver()
    return CompositeResolver(
        {
            "key": DidKeyResolver(),
            "jwk": DidJwkResolver(),
            "web": disabled,
            "https": disabled,
            "http": disabled,
        },
        static=StaticResolver(documents or {}),
    )
