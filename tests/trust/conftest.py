"""Fixtures for the issuer trust tests: a real HTTPS server on loopback with a transport that
trusts only its test CA, a clock a test can move forward (caches are aged by the verifier's
clock, never by sleeping), and an OpenID Federation trust anchor that signs real entity
statements with a real key."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from loopback_server import (  # noqa: F401 (fixtures)
    LoopbackServer,
    Route,
    loopback,
    loopback_ca,
    loopback_certificate,
    loopback_transport,
)

from vcbadge.keys import Ed25519Key
from vcbadge.proofs.jws import sign_compact

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)

STATEMENT = {"Content-Type": "application/entity-statement+jwt"}


class MovableClock:
    """Says ``moment`` until moved."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def advance(self, by: timedelta) -> None:
        self.moment += by


class Anchor:
    """A trust anchor served by ``server``: its entity configuration at the well-known path
    and subordinate statements at ``/fetch``, signed with ``key`` (kid ``anchor-1``)."""

    def __init__(self, server: LoopbackServer, now: datetime, seed: int = 11) -> None:
        self.server = server
        self.now = now
        self.entity_id = server.url("")
        self.key = Ed25519Key.from_seed(bytes([seed]) * 32)
        self.kid = "anchor-1"

    def jwk(self, key: Ed25519Key | None = None, kid: str | None = None) -> dict[str, Any]:
        return {**(key or self.key).to_jwk(), "kid": kid or self.kid}

    def sign(
        self,
        payload: dict[str, Any],
        *,
        key: Ed25519Key | None = None,
        header: dict[str, Any] | None = None,
    ) -> bytes:
        head = {"alg": "EdDSA", "typ": "entity-statement+jwt", "kid": self.kid, **(header or {})}
        return sign_compact(head, payload, key or self.key).encode("ascii")

    def times(self, **shift: timedelta) -> dict[str, int]:
        issued = self.now + shift.get("iat", timedelta(0))
        expires = self.now + shift.get("exp", timedelta(hours=1))
        return {"iat": int(issued.timestamp()), "exp": int(expires.timestamp())}

    def configuration(self, **changes: Any) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "iss": self.entity_id,
            "sub": self.entity_id,
            **self.times(),
            "jwks": {"keys": [self.jwk()]},
            "metadata": {
                "federation_entity": {
                    "organization_name": "Test Federation",
                    "federation_fetch_endpoint": self.server.url("/fetch"),
                }
            },
        }
        payload.update(changes)
        return payload

    def subordinate(
        self, issuer: str, name: str = "Example University", **changes: Any
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "iss": self.entity_id,
            "sub": issuer,
            **self.times(),
            "metadata": {
                "federation_entity": {
                    "organization_name": name,
                    "homepage_uri": "https://example.edu",
                }
            },
        }
        payload.update(changes)
        return payload

    def publish(self, configuration: bytes | None = None, statement: bytes | None = None) -> None:
        """Serve the configuration (default: a good one) and, when given, the statement."""
        body = configuration if configuration is not None else self.sign(self.configuration())
        self.server.routes["/.well-known/openid-federation"] = Route(body, headers=dict(STATEMENT))
        if statement is not None:
            self.server.routes["/fetch"] = Route(statement, headers=dict(STATEMENT))


@pytest.fixture
def clock() -> MovableClock:
    """A clock at NOW, for the registry under test and the anchor's statements."""
    return MovableClock(NOW)


@pytest.fixture
def anchor(loopback: LoopbackServer) -> Anchor:  # noqa: F811 (the fixture)
    """A trust anchor on the loopback server, signing statements issued at NOW."""
    return Anchor(loopback, NOW)
