"""did:web: the DID -> URL mapping (vectors and edge cases) and resolution over loopback HTTPS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from loopback_server import PINNED_HOST, LoopbackServer, Route

from vcbadge._json import loads_strict
from vcbadge.errors import (
    ContentTypeError,
    DIDResolutionError,
    HTTPStatusError,
    UnsupportedError,
)
from vcbadge.http import GuardedTransport
from vcbadge.protocols import Resolver
from vcbadge.resolve import DidWebResolver, did_web_to_url


def test_vectors(reference: Path) -> None:
    vectors = loads_strict((reference / "vectors/did-web/did-web-vectors.json").read_bytes())
    transformations = vectors["transformations"]
    assert any("%3A" in case["did"] for case in transformations)  # the port case is there
    for case in transformations:
        assert did_web_to_url(case["did"]) == case["url"], case["title"]


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com%3a8443", "https://example.com:8443/.well-known/did.json"),
        ("did:web:localhost%3A4443:issuers:1", "https://localhost:4443/issuers/1/did.json"),
        ("did:web:example.com:u%20x:b_c.d-e", "https://example.com/u%20x/b_c.d-e/did.json"),
        ("did:web:xn--bcher-kva.example", "https://xn--bcher-kva.example/.well-known/did.json"),
        # A colon that is not percent-encoded starts the path, it is not a port.
        ("did:web:example.com:8443", "https://example.com/8443/did.json"),
    ],
)
def test_mapping(did: str, url: str) -> None:
    assert did_web_to_url(did) == url


@pytest.mark.parametrize(
    "did",
    [
        "did:web:",
        "did:web:example.com:",  # empty path segment
        "did:web:example.com::a",
        "did:web:127.0.0.1",  # IP addresses are not allowed by the method
        "did:web:%5B%3A%3A1%5D",
        "did:web:example.com%3A",  # empty port
        "did:web:example.com%3A0",
        "did:web:example.com%3A70000",
        "did:web:example.com%3Ahttp",
        "did:web:exa_mple.com",
        "did:web:-example.com",
        "did:web:example.com%2Fevil",
        "did:web:example.com:..",
        "did:web:example.com:%2e%2e:x",
        "did:web:example.com:a%2Fb",
        "did:web:example.com:a%3Fb",
        "did:web:example.com#key-1",
        "did:web:example.com/path",
        "did:web:example.com?x=1",
        "did:web:user@example.com",
        "did:web:bücher.example",
        "did:web:example.123",
        "did:key:z6Mk",
    ],
)
def test_malformed(did: str) -> None:
    with pytest.raises(DIDResolutionError) as caught:
        did_web_to_url(did)
    assert caught.value.code == "invalid_did"


def _did(server: LoopbackServer, *path: str) -> str:
    return ":".join([f"did:web:{PINNED_HOST}%3A{server.port}", *path])


def _resolver(transport: GuardedTransport, server: LoopbackServer) -> DidWebResolver:
    """did:web through the test transport, allowing the test server's name and port."""
    return DidWebResolver(transport, allowed_ports={server.port}, allowed_hosts={PINNED_HOST})


def _document(did: str) -> bytes:
    return json.dumps({"@context": "https://www.w3.org/ns/did/v1", "id": did}).encode()


def test_resolves_well_known(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    did = _did(loopback)
    loopback.routes["/.well-known/did.json"] = Route(_document(did))
    resolver = _resolver(loopback_transport, loopback)
    assert isinstance(resolver, Resolver)
    assert resolver.resolve(did)["id"] == did
    assert resolver.resolve(did + "#key-1")["id"] == did  # the fragment is not sent


def test_resolves_a_path(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    did = _did(loopback, "issuers", "42")
    loopback.routes["/issuers/42/did.json"] = Route(_document(did))
    assert _resolver(loopback_transport, loopback).resolve(did)["id"] == did


def test_document_id_must_be_the_did(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    did = _did(loopback)
    loopback.routes["/.well-known/did.json"] = Route(_document("did:web:evil.example"))
    with pytest.raises(DIDResolutionError) as caught:
        _resolver(loopback_transport, loopback).resolve(did)
    assert caught.value.code == "document_id_mismatch"
    assert "did:web:evil.example" in str(caught.value)


@pytest.mark.parametrize(
    "body", [b"not json", b'{"id": 1, "id": 2}', b"[]", b'{"a": ' * 40 + b"1" + b"}" * 40]
)
def test_invalid_document(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, body: bytes
) -> None:
    loopback.routes["/.well-known/did.json"] = Route(body)
    with pytest.raises(DIDResolutionError) as caught:
        _resolver(loopback_transport, loopback).resolve(_did(loopback))
    assert caught.value.code == "invalid_document"


def test_not_found(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    with pytest.raises(HTTPStatusError) as caught:
        _resolver(loopback_transport, loopback).resolve(_did(loopback, "nobody"))
    assert caught.value.code == "http_status"
    assert caught.value.url == f"https://{PINNED_HOST}:{loopback.port}/nobody/did.json"


def test_wrong_content_type(loopback: LoopbackServer, loopback_transport: GuardedTransport) -> None:
    did = _did(loopback)
    loopback.routes["/.well-known/did.json"] = Route(
        _document(did), headers={"Content-Type": "text/plain"}
    )
    with pytest.raises(ContentTypeError):
        _resolver(loopback_transport, loopback).resolve(did)


@pytest.mark.parametrize(
    "media", ["application/did+json", "application/did+ld+json", "application/ld+json"]
)
def test_accepted_content_types(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, media: str
) -> None:
    did = _did(loopback)
    loopback.routes["/.well-known/did.json"] = Route(
        _document(did), headers={"Content-Type": media}
    )
    assert _resolver(loopback_transport, loopback).resolve(did)["id"] == did


def test_other_methods_are_refused(loopback_transport: GuardedTransport) -> None:
    with pytest.raises(UnsupportedError) as caught:
        DidWebResolver(loopback_transport).resolve("did:key:z6Mk")
    assert caught.value.code == "unsupported_did_method"
