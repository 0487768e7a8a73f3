"""End to end: credentials whose keys are published with did:web or at HTTPS URLs, verified
online against a real HTTPS server on loopback. Every failure is its own check code."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pytest
from issued_badges import issue_badge, python_101
from loopback_server import PINNED_HOST, LoopbackServer, Route
from signing import sign_eddsa

from vcbadge import (
    AchievementCredential,
    FixedClock,
    Outcome,
    Profile,
    VerificationResult,
    Verifier,
)
from vcbadge.http import GuardedTransport
from vcbadge.keys import Ed25519Key, controller_document
from vcbadge.resolve import CachingTransport, DidWebResolver

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
JSON = {"Content-Type": "application/json"}


def _issue(key: Ed25519Key) -> dict[str, Any]:
    return issue_badge(
        key, issuer_name="Example U", at=NOW, achievement=python_101(), recipient="did:example:ada"
    )


def _sign_directly(key: Ed25519Key, issuer_id: str) -> dict[str, Any]:
    """Sign below the Issuer, which (rightly) refuses to sign for an issuer that does not
    control the key, and (in this version) compares the issuer with the verification method's
    URL without its fragment, so it cannot sign with a key document at its own URL."""
    document = AchievementCredential.award(python_101(), recipient="did:example:ada").to_json()
    document["issuer"] = Profile(id=issuer_id, name="Example U").to_json()
    document["validFrom"] = "2025-03-01T12:00:00Z"
    return sign_eddsa(document, key, created=NOW)


def _body(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def _verifier(transport: GuardedTransport, server: LoopbackServer) -> Verifier:
    """The online verifier, its did:web resolver allowing the test server's name and port
    (the default allows neither: a special-use name, a port other than 443)."""
    clock = FixedClock(NOW)
    did_web = DidWebResolver(
        CachingTransport(transport, clock=clock),
        allowed_ports={server.port},
        allowed_hosts={PINNED_HOST},
    )
    return Verifier.online(transport=transport, clock=clock, methods={"web": did_web})


def _failed(result: VerificationResult) -> list[tuple[str, str, str]]:
    return [(check.outcome.value, check.code, check.path) for check in result.failed]


def _did_web(server: LoopbackServer, *path: str) -> str:
    return ":".join([f"did:web:{PINNED_HOST}%3A{server.port}", *path])


@pytest.fixture
def web_key(loopback: LoopbackServer) -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([7]) * 32, controller=_did_web(loopback), key_id="#key-1")


def _publish(server: LoopbackServer, key: Ed25519Key, path: str = "/.well-known/did.json") -> None:
    server.routes[path] = Route(_body(controller_document(key)))


# did:web


def test_did_web_issuer_verifies(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    _publish(loopback, web_key)
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert result.outcome is Outcome.VALID, result.to_dict()
    assert loopback.hits["/.well-known/did.json"] == 1


def test_did_web_with_a_path(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    did = _did_web(loopback, "issuers", "7")
    key = Ed25519Key.from_seed(bytes([8]) * 32, controller=did, key_id="#key-1")
    _publish(loopback, key, "/issuers/7/did.json")
    assert _verifier(loopback_transport, loopback).verify(_issue(key)).outcome is Outcome.VALID


def test_documents_are_cached_between_verifications(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    _publish(loopback, web_key)
    verifier = _verifier(loopback_transport, loopback)
    signed = _issue(web_key)
    assert verifier.verify(signed).outcome is Outcome.VALID
    assert verifier.verify(signed).outcome is Outcome.VALID
    assert loopback.hits["/.well-known/did.json"] == 1


def test_not_found_is_indeterminate(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [("INDETERMINATE", "http_status", "/proof/verificationMethod")]
    assert "404" in result.failed[0].message
    assert f"https://{PINNED_HOST}:{loopback.port}/.well-known/did.json" in result.failed[0].message


@pytest.mark.slow
def test_timeout_is_indeterminate(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    loopback.routes["/.well-known/did.json"] = Route(_body(controller_document(web_key)), delay=3.0)
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [("INDETERMINATE", "timeout", "/proof/verificationMethod")]


def test_oversized_document_is_indeterminate(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    document = controller_document(web_key)
    document["padding"] = "x" * (loopback_transport.max_bytes + 1)
    loopback.routes["/.well-known/did.json"] = Route(_body(document))
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [("INDETERMINATE", "response_too_large", "/proof/verificationMethod")]


def test_redirect_to_a_private_address_is_indeterminate(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    loopback.routes["/.well-known/did.json"] = Route(
        status=302, headers={"Location": "https://192.168.1.10/did.json"}
    )
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [("INDETERMINATE", "private_address", "/proof/verificationMethod")]


def test_wrong_content_type_is_indeterminate(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    loopback.routes["/.well-known/did.json"] = Route(
        _body(controller_document(web_key)), headers={"Content-Type": "text/html"}
    )
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [("INDETERMINATE", "content_type", "/proof/verificationMethod")]


def test_document_for_another_did_is_indeterminate(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    document = controller_document(web_key)
    document["id"] = "did:web:evil.example"
    loopback.routes["/.well-known/did.json"] = Route(_body(document))
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [
        ("INDETERMINATE", "document_id_mismatch", "/proof/verificationMethod")
    ]


def test_key_only_for_authentication_cannot_sign(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    document = controller_document(web_key, purposes=("authentication",))
    loopback.routes["/.well-known/did.json"] = Route(_body(document))
    result = _verifier(loopback_transport, loopback).verify(_issue(web_key))
    assert _failed(result) == [("INVALID", "proof_purpose", "/proof/verificationMethod")]


def test_tampered_credential_is_invalid(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    _publish(loopback, web_key)
    signed = _issue(web_key)
    signed["credentialSubject"]["achievement"]["name"] = "Python 901"
    result = _verifier(loopback_transport, loopback).verify(signed)
    assert _failed(result) == [("INVALID", "invalid_signature", "/proof")]


def test_default_online_verifier_refuses_a_special_use_did_web_host(
    loopback: LoopbackServer, web_key: Ed25519Key
) -> None:
    _publish(loopback, web_key)
    result = Verifier.online(clock=FixedClock(NOW)).verify(_issue(web_key))
    assert _failed(result) == [("INDETERMINATE", "did_web_host", "/proof/verificationMethod")]
    assert ".test" in result.failed[0].message
    assert loopback.hits["/.well-known/did.json"] == 0


def test_default_online_verifier_refuses_a_did_web_port(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    did = f"did:web:badges.example.com%3A{loopback.port}"
    key = Ed25519Key.from_seed(bytes([7]) * 32, controller=did, key_id="#key-1")
    _publish(loopback, key)
    result = Verifier.online(transport=loopback_transport, clock=FixedClock(NOW)).verify(
        _issue(key)
    )
    assert _failed(result) == [("INDETERMINATE", "did_web_port", "/proof/verificationMethod")]
    assert f"port {loopback.port} is not allowed" in result.failed[0].message
    assert loopback.hits["/.well-known/did.json"] == 0


def test_default_online_verifier_refuses_loopback(loopback: LoopbackServer) -> None:
    issuer = loopback.url("/issuers/1", host="127.0.0.1")
    key = Ed25519Key.from_seed(bytes([9]) * 32, controller=issuer, key_id="#key-1")
    loopback.routes["/issuers/1"] = Route(_body(controller_document(key)), headers=JSON)
    result = Verifier.online(clock=FixedClock(NOW)).verify(_issue(key))
    assert _failed(result) == [("INDETERMINATE", "private_address", "/proof/verificationMethod")]
    assert loopback.hits["/issuers/1"] == 0


def test_offline_verifier_never_fetches(loopback: LoopbackServer, web_key: Ed25519Key) -> None:
    _publish(loopback, web_key)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(_issue(web_key))
    assert _failed(result) == [
        ("INDETERMINATE", "unsupported_did_method", "/proof/verificationMethod")
    ]
    assert "offline" in result.failed[0].message
    assert loopback.hits["/.well-known/did.json"] == 0


def test_static_documents_win_over_the_network(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, web_key: Ed25519Key
) -> None:
    verifier = Verifier.online(
        transport=loopback_transport,
        clock=FixedClock(NOW),
        documents={web_key.controller: controller_document(web_key)},
    )
    assert verifier.verify(_issue(web_key)).outcome is Outcome.VALID
    assert loopback.hits["/.well-known/did.json"] == 0


# HTTPS verification methods


def test_https_controller_document(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    issuer = loopback.url("/issuers/1")
    key = Ed25519Key.from_seed(bytes([9]) * 32, controller=issuer, key_id="#key-1")
    loopback.routes["/issuers/1"] = Route(_body(controller_document(key)), headers=JSON)
    signed = _issue(key)
    assert signed["proof"]["verificationMethod"] == issuer + "#key-1"
    result = _verifier(loopback_transport, loopback).verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


@pytest.mark.parametrize("form", ["Multikey", "JsonWebKey"])
def test_https_key_document(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, form: str
) -> None:
    issuer, key_url = loopback.url("/issuers/1"), loopback.url("/keys/1")
    key = Ed25519Key.from_seed(bytes([10]) * 32, controller=issuer, key_id=key_url)
    if form == "Multikey":
        key_document = key.to_multikey_document()
    else:
        key_document = {
            "id": key_url,
            "type": "JsonWebKey",
            "controller": issuer,
            "publicKeyJwk": key.to_jwk(),
        }
    loopback.routes["/keys/1"] = Route(_body(key_document), headers=JSON)
    loopback.routes["/issuers/1"] = Route(
        _body({"id": issuer, "assertionMethod": [key_url]}), headers=JSON
    )
    signed = _sign_directly(key, issuer)
    assert signed["proof"]["verificationMethod"] == key_url
    result = _verifier(loopback_transport, loopback).verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


def test_https_key_not_listed_by_its_controller(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    issuer, key_url = loopback.url("/issuers/1"), loopback.url("/keys/1")
    key = Ed25519Key.from_seed(bytes([10]) * 32, controller=issuer, key_id=key_url)
    loopback.routes["/keys/1"] = Route(_body(key.to_multikey_document()), headers=JSON)
    # The key claims the issuer as controller; the issuer lists it for authentication only.
    loopback.routes["/issuers/1"] = Route(
        _body({"id": issuer, "authentication": [key_url]}), headers=JSON
    )
    result = _verifier(loopback_transport, loopback).verify(_sign_directly(key, issuer))
    assert _failed(result) == [("INVALID", "proof_purpose", "/proof/verificationMethod")]


def test_key_controlled_by_someone_else(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
) -> None:
    other = loopback.url("/issuers/other")
    key = Ed25519Key.from_seed(bytes([11]) * 32, controller=other, key_id="#key-1")
    loopback.routes["/issuers/other"] = Route(_body(controller_document(key)), headers=JSON)
    signed = _sign_directly(key, loopback.url("/issuers/1"))
    result = _verifier(loopback_transport, loopback).verify(signed)
    assert _failed(result) == [("INVALID", "controller_mismatch", "/proof/verificationMethod")]


def test_plain_http_key_url_is_refused() -> None:
    key = Ed25519Key.from_seed(bytes([12]) * 32, controller="http://badges.example.edu/issuer")
    result = Verifier.online(clock=FixedClock(NOW)).verify(_issue(key))
    assert _failed(result) == [("INDETERMINATE", "scheme_not_allowed", "/proof/verificationMethod")]
