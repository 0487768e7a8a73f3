"""Open Badges 2.0 verified online: a hosted assertion, its badge class and issuer fetched over
HTTPS from a real server on loopback, through the guarded transport."""

# The loopback fixtures are imported here (tests/verify has no conftest providing them) and
# requested as parameters of the same name, which ruff reads as redefinitions.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from badge_images import chunk, make_png
from loopback_server import (  # noqa: F401 (fixtures, registered under these names)
    LoopbackServer,
    Route,
    loopback,
    loopback_ca,
    loopback_certificate,
    loopback_transport,
)

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.http import GuardedTransport

AT = datetime(2025, 6, 1, tzinfo=timezone.utc)
JSON = {"Content-Type": "application/ld+json"}
CONTEXT = "https://w3id.org/openbadges/v2"


def publish(server: LoopbackServer, **changes: Any) -> dict[str, Any]:
    """Serve an issuer, a badge class and a hosted assertion; return the assertion."""
    issuer = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": server.url("/issuer.json"),
        "name": "Loopback Issuer",
    }
    badge = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": server.url("/badge.json"),
        "name": "Loopback Badge",
        "description": "Served over HTTPS on loopback.",
        "image": server.url("/badge.png"),
        "criteria": {"narrative": "Be served."},
        "issuer": issuer["id"],
    }
    digest = hashlib.sha256(b"ada@example.org" + b"pepper").hexdigest()
    assertion = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": server.url("/assertions/1.json"),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": "pepper",
            "identity": f"sha256${digest}",
        },
        "badge": badge["id"],
        "verification": {"type": "HostedBadge"},
        "issuedOn": "2025-01-15T09:30:00Z",
        **changes,
    }
    for path, document in (
        ("/issuer.json", issuer),
        ("/badge.json", badge),
        ("/assertions/1.json", assertion),
    ):
        server.routes[path] = Route(json.dumps(document).encode(), headers=dict(JSON))
    return assertion


@pytest.fixture
def verifier(loopback_transport: GuardedTransport) -> Verifier:
    return Verifier.online(transport=loopback_transport, clock=FixedClock(AT))


def test_hosted_assertion_fetched_over_https(loopback: LoopbackServer, verifier: Verifier) -> None:
    assertion = publish(loopback)
    result = verifier.verify(assertion, recipient="ada@example.org")
    assert result.outcome is Outcome.VALID, result.to_dict()
    fetched = {path for path, _ in loopback.requests}
    assert {"/assertions/1.json", "/badge.json", "/issuer.json"} <= fetched


def test_baked_png_with_the_url_is_fetched(loopback: LoopbackServer, verifier: Verifier) -> None:
    assertion = publish(loopback)
    image = make_png(after_idat=[chunk(b"tEXt", b"openbadges\x00" + assertion["id"].encode())])
    result = verifier.verify(image)
    assert result.outcome is Outcome.VALID, result.to_dict()
    assert result.checks[0].message.startswith("Open Badges 2.0 assertion (hosted URL)")


def test_server_answering_for_another_id_is_indeterminate(
    loopback: LoopbackServer, verifier: Verifier
) -> None:
    assertion = publish(loopback)
    loopback.routes["/assertions/1.json"] = Route(
        json.dumps({**assertion, "id": loopback.url("/assertions/2.json")}).encode(),
        headers=dict(JSON),
    )
    result = verifier.verify(assertion)
    assert [(c.outcome, c.code) for c in result.failed] == [
        (Outcome.INDETERMINATE, "document_id_mismatch")
    ]


def test_withdrawn_assertion_is_indeterminate(loopback: LoopbackServer, verifier: Verifier) -> None:
    assertion = publish(loopback)
    loopback.routes["/assertions/1.json"] = Route(b"gone", status=410, headers={})
    result = verifier.verify(assertion)
    assert result.outcome is Outcome.INDETERMINATE
    assert [c.name for c in result.failed] == ["ob2_hosted"]


def test_issuer_on_another_origin_is_refused(loopback: LoopbackServer, verifier: Verifier) -> None:
    assertion = publish(loopback)
    issuer = json.loads(loopback.routes["/issuer.json"].body)
    issuer["verification"] = {"allowedOrigins": "badges.example.org"}
    loopback.routes["/issuer.json"] = Route(json.dumps(issuer).encode(), headers=dict(JSON))
    result = verifier.verify(assertion)
    assert [(c.code, c.path) for c in result.failed] == [("ob2_hosted_origin", "/id")]
