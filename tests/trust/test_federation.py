"""An OpenID Federation trust anchor as an issuer registry, against a real HTTPS server on
loopback serving entity statements signed with a real key. Every refusal has its own code."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from loopback_server import Route

from vcbadge._b64url import b64url_encode
from vcbadge.errors import VcbadgeError
from vcbadge.http import GuardedTransport
from vcbadge.keys import Ed25519Key
from vcbadge.trust import FederationRegistry

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)  # the anchor fixture's moment
ISSUER = "did:web:oneuni.example.edu"
STATEMENT = {"Content-Type": "application/entity-statement+jwt"}


class _Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def _registry(anchor, transport: GuardedTransport, clock=None, **options) -> FederationRegistry:
    return FederationRegistry(
        anchor.entity_id, transport=transport, clock=clock or _Clock(NOW), **options
    )


def _refusal(registry: FederationRegistry, issuer: str = ISSUER) -> tuple[str, str]:
    with pytest.raises(VcbadgeError) as caught:
        registry.lookup(issuer)
    return caught.value.code, caught.value.path


def test_a_subordinate_is_known_with_the_name_the_anchor_gives(anchor, loopback_transport):
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER, "OneUni University")))
    registry = _registry(anchor, loopback_transport)
    entry = registry.lookup(ISSUER)
    assert entry is not None
    assert (entry.issuer_id, entry.name, entry.url) == (
        ISSUER,
        "OneUni University",
        "https://example.edu",
    )
    assert entry.registry == "Test Federation"
    fetched = [path for path, _ in anchor.server.requests]
    assert fetched == ["/.well-known/openid-federation", "/fetch"]
    assert all(
        headers["Accept"] == "application/entity-statement+jwt"
        for _, headers in anchor.server.requests
    )


def test_not_found_at_the_fetch_endpoint_means_not_listed(anchor, loopback_transport):
    anchor.publish()
    assert _registry(anchor, loopback_transport).lookup(ISSUER) is None


def test_answers_are_cached_until_they_expire(anchor, loopback_transport, clock):
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER)))
    registry = _registry(anchor, loopback_transport, clock)
    assert registry.lookup(ISSUER) is not None
    assert registry.lookup(ISSUER) is not None
    assert anchor.server.hits == {"/.well-known/openid-federation": 1, "/fetch": 1}
    clock.advance(timedelta(hours=2))  # past the statements' exp
    anchor.now = clock.moment
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER)))
    assert registry.lookup(ISSUER) is not None
    assert anchor.server.hits == {"/.well-known/openid-federation": 2, "/fetch": 2}


def test_not_listed_is_cached_for_the_negative_ttl(anchor, loopback_transport, clock):
    anchor.publish()
    registry = _registry(anchor, loopback_transport, clock, negative_ttl=timedelta(minutes=5))
    assert registry.lookup(ISSUER) is None
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER)))
    assert registry.lookup(ISSUER) is None  # still the cached answer
    clock.advance(timedelta(minutes=6))
    assert registry.lookup(ISSUER) is not None


def test_a_statement_about_another_entity_is_refused(anchor, loopback_transport):
    anchor.publish(statement=anchor.sign(anchor.subordinate("did:web:someone.else.example")))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_subject_mismatch",
        "/payload/sub",
    )


def test_a_statement_issued_by_another_entity_is_refused(anchor, loopback_transport):
    statement = anchor.subordinate(ISSUER, iss="https://rogue.example")
    anchor.publish(statement=anchor.sign(statement))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_issuer_mismatch",
        "/payload/iss",
    )


def test_a_statement_signed_by_another_key_is_refused(anchor, loopback_transport):
    rogue = Ed25519Key.from_seed(bytes([99]) * 32)
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER), key=rogue))
    assert _refusal(_registry(anchor, loopback_transport)) == ("invalid_signature", "/signature")


def test_a_statement_naming_an_unknown_key_is_refused(anchor, loopback_transport):
    statement = anchor.sign(anchor.subordinate(ISSUER), header={"kid": "not-the-anchors"})
    anchor.publish(statement=statement)
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_key_unknown",
        "/header/kid",
    )


def test_an_expired_statement_is_refused(anchor, loopback_transport):
    expired = anchor.subordinate(
        ISSUER, **anchor.times(iat=-timedelta(hours=2), exp=-timedelta(minutes=1))
    )
    anchor.publish(statement=anchor.sign(expired))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_statement_expired",
        "/payload/exp",
    )


def test_a_statement_issued_in_the_future_is_refused(anchor, loopback_transport):
    future = anchor.subordinate(
        ISSUER, **anchor.times(iat=timedelta(hours=1), exp=timedelta(hours=2))
    )
    anchor.publish(statement=anchor.sign(future))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_statement_not_yet_valid",
        "/payload/iat",
    )


def test_a_statement_of_another_type_is_refused(anchor, loopback_transport):
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER), header={"typ": "JWT"}))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_statement_type",
        "/header/typ",
    )


def test_an_unsigned_statement_is_refused(anchor, loopback_transport):
    header = b64url_encode(b'{"alg":"none","typ":"entity-statement+jwt","kid":"anchor-1"}')
    payload = b64url_encode(__import__("json").dumps(anchor.subordinate(ISSUER)).encode("utf-8"))
    anchor.publish(statement=f"{header}.{payload}.".encode())
    assert _refusal(_registry(anchor, loopback_transport)) == ("jwt_alg_none", "/header/alg")


def test_a_statement_without_times_is_malformed(anchor, loopback_transport):
    statement = anchor.subordinate(ISSUER)
    del statement["exp"]
    anchor.publish(statement=anchor.sign(statement))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_statement_malformed",
        "/payload/exp",
    )


def test_garbage_is_a_malformed_token(anchor, loopback_transport):
    anchor.publish(statement=b"not a token")
    assert _refusal(_registry(anchor, loopback_transport))[0] == "jwt_malformed"


def test_a_configuration_signed_by_another_key_is_refused(anchor, loopback_transport):
    rogue = Ed25519Key.from_seed(bytes([98]) * 32)
    anchor.publish(configuration=anchor.sign(anchor.configuration(), key=rogue))
    assert _refusal(_registry(anchor, loopback_transport)) == ("invalid_signature", "/signature")


def test_a_configuration_about_another_entity_is_refused(anchor, loopback_transport):
    configuration = anchor.configuration(sub="https://other.example")
    anchor.publish(configuration=anchor.sign(configuration))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_subject_mismatch",
        "/payload/sub",
    )


def test_a_configuration_without_keys_is_malformed(anchor, loopback_transport):
    anchor.publish(configuration=anchor.sign(anchor.configuration(jwks={"keys": []})))
    assert _refusal(_registry(anchor, loopback_transport)) == (
        "federation_statement_malformed",
        "/payload/jwks",
    )


def test_a_configuration_without_a_fetch_endpoint_is_refused(anchor, loopback_transport):
    configuration = anchor.configuration(metadata={"federation_entity": {}})
    anchor.publish(configuration=anchor.sign(configuration))
    assert _refusal(_registry(anchor, loopback_transport))[0] == "federation_fetch_endpoint"


def test_a_missing_configuration_is_unavailable(anchor, loopback_transport):
    assert _refusal(_registry(anchor, loopback_transport))[0] == "federation_unavailable"


def test_a_failing_fetch_endpoint_is_unavailable(anchor, loopback_transport):
    anchor.publish()
    anchor.server.routes["/fetch"] = Route(b"oops", status=500, headers=dict(STATEMENT))
    code, _ = _refusal(_registry(anchor, loopback_transport))
    assert code == "federation_unavailable"


def test_pinned_keys_must_sign_the_configuration(anchor, loopback_transport):
    pinned = Ed25519Key.from_seed(bytes([97]) * 32)
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER)))
    registry = _registry(anchor, loopback_transport, anchor_keys=[anchor.jwk(pinned, "pinned-1")])
    assert _refusal(registry) == ("federation_key_unknown", "/header/kid")


def test_pinned_keys_that_match_verify(anchor, loopback_transport):
    anchor.publish(statement=anchor.sign(anchor.subordinate(ISSUER)))
    registry = _registry(anchor, loopback_transport, anchor_keys=[anchor.jwk()])
    entry = registry.lookup(ISSUER)
    assert entry is not None
    assert entry.name == "Example University"


def test_only_https_anchors():
    with pytest.raises(ValueError, match="https"):
        FederationRegistry("http://fed.example", transport=GuardedTransport(), clock=_Clock(NOW))
