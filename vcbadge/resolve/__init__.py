"""Resolvers: from a DID or URL to the DID or controller document holding its keys.

Pure, offline: :class:`DidKeyResolver`, :class:`DidJwkResolver`, :class:`StaticResolver`.
Through an injected :class:`vcbadge.protocols.Transport`: :class:`DidWebResolver`,
:class:`HttpsResolver`. :class:`CompositeResolver` dispatches by DID method or URL scheme (static
documents first) and takes any other resolver a caller registers; :class:`CachingTransport`
caches what the transport fetches. ``vcbadge.defaults`` wires them with the guarded transport.
"""

from __future__ import annotations

from vcbadge.resolve.cache import CachingTransport, freshness_lifetime
from vcbadge.resolve.composite import CompositeResolver
from vcbadge.resolve.did_jwk import DidJwkResolver, decode_did_jwk, resolve_did_jwk
from vcbadge.resolve.did_key import DidKeyResolver, ed25519_to_x25519, resolve_did_key
from vcbadge.resolve.did_web import DidWebResolver, did_web_to_url
from vcbadge.resolve.https import HttpsResolver
from vcbadge.resolve.offline import NetworkDisabledResolver, offline_resolver
from vcbadge.resolve.static import StaticResolver

__all__ = [
    "CachingTransport",
    "CompositeResolver",
    "DidJwkResolver",
    "DidKeyResolver",
    "DidWebResolver",
    "HttpsResolver",
    "NetworkDisabledResolver",
    "StaticResolver",
    "decode_did_jwk",
    "did_web_to_url",
    "ed25519_to_x25519",
    "freshness_lifetime",
    "offline_resolver",
    "resolve_did_jwk",
    "resolve_did_key",
]
