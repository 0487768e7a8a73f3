"""CompositeResolver: static documents first, dispatch by method, and resolvers a caller plugs in
without touching vcbadge (here a universal-resolver client over the same guarded transport)."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import pytest
from issued_badges import issue_badge
from loopback_server import LoopbackServer, Route

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.errors import DIDResolutionError, UnsupportedError
from vcbadge.http import GuardedTransport
from vcbadge.keys import Ed25519Key, controller_document
from vcbadge.protocols import Transport
from vcbadge.resolve import (
    CompositeResolver,
    DidKeyResolver,
    StaticResolver,
    offline_resolver,
)

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
KEY = Ed25519Key.from_seed(bytes(32))


class UniversalResolverClient:
    """What a caller writes to use a DIF universal resolver endpoint (or did:webvh, ...):
    a class with ``resolve``, fetching through the transport vcbadge gives it."""

    def __init__(self, endpoint: str, transport: Transport) -> None:
        self.endpoint = endpoint
        self.transport = transport

    def resolve(self, identifier: str) -> dict[str, Any]:
        did = identifier.partition("#")[0]
        response = self.transport.get(
            self.endpoint + quote(did, safe=":"), accept=["application/did-resolution+json"]
        )
        result = json.loads(response.body)
        if result.get("didResolutionMetadata", {}).get("error"):
            raise DIDResolutionError(f"{did}: {result['didResolutionMetadata']['error']}")
        document: dict[str, Any] = result["didDocument"]
        return document


def test_plugged_in_method_verifies_end_to_end(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    did = "did:example:registrar"
    key = Ed25519Key.from_seed(bytes([5]) * 32, controller=did, key_id="#key-1")
    loopback.routes[f"/1.0/identifiers/{did}"] = Route(
        json.dumps({"didDocument": controller_document(key), "didResolutionMetadata": {}}).encode(),
        headers={"Content-Type": "application/did-resolution+json"},
    )
    client = UniversalResolverClient(loopback.url("/1.0/identifiers/"), loopback_transport)
    verifier = Verifier.online(
        transport=loopback_transport, clock=FixedClock(NOW), methods={"example": client}
    )
    signed = issue_badge(key, issuer_name="Registrar", at=NOW)
    result = verifier.verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()
    assert loopback.hits[f"/1.0/identifiers/{did}"] == 1


def test_static_documents_come_first() -> None:
    other = {"id": KEY.did, "note": "given"}
    resolver = CompositeResolver({"key": DidKeyResolver()}, static=StaticResolver({KEY.did: other}))
    assert resolver.resolve(KEY.did) == other
    assert resolver.resolve(KEY.verification_method) == other  # the fragment is ignored


def test_unknown_method() -> None:
    resolver = CompositeResolver({"key": DidKeyResolver()})
    with pytest.raises(UnsupportedError) as caught:
        resolver.resolve("did:ion:abc")
    assert caught.value.code == "unsupported_did_method"
    assert "'ion'" in str(caught.value)
    assert "key" in str(caught.value)


def test_with_method_returns_a_new_resolver() -> None:
    base = CompositeResolver({})
    extended = base.with_method("key", DidKeyResolver())
    assert extended.resolve(KEY.did)["id"] == KEY.did
    assert base.methods == ()
    assert extended.methods == ("key",)


@pytest.mark.parametrize(
    "identifier", ["did:web:example.com", "https://example.com/issuer", "http://example.com/k"]
)
def test_offline_resolver_refuses_what_needs_the_network(identifier: str) -> None:
    with pytest.raises(UnsupportedError) as caught:
        offline_resolver().resolve(identifier)
    assert caught.value.code == "unsupported_did_method"
    assert "offline" in str(caught.value)


def test_offline_resolver_serves_given_documents() -> None:
    document = {"id": "did:web:example.com"}
    assert offline_resolver({"did:web:example.com": document}).resolve("did:web:example.com") == (
        document
    )
