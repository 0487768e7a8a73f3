"""The issuer trust answer on real verifications: self-asserted did:key issuers, did:web issuers
bound to a domain served over real HTTPS on loopback, known issuers from real registry files,
and registries that cannot answer. Integrity never depends on the answer."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from issued_badges import issue_badge
from loopback_server import PINNED_HOST, LoopbackServer, Route

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.http import GuardedTransport
from vcbadge.keys import Ed25519Key, controller_document
from vcbadge.protocols import RegistryEntry
from vcbadge.resolve import CachingTransport, DidWebResolver
from vcbadge.trust import (
    IssuerTrust,
    NameSource,
    RemoteRegistry,
    StaticRegistry,
    TrustLevel,
    assess_issuer,
    load_registry_file,
)
from vcbadge.verify.result import VerificationResult

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
HARVARD = "Harvard University"


def _badge(key: Ed25519Key, name: str = HARVARD) -> dict:
    return issue_badge(key, issuer_name=name, at=NOW)


def _allow_list(tmp_path: Path, issuers: dict) -> StaticRegistry:
    path = tmp_path / "allow.json"
    path.write_text(json.dumps({"name": "Registrar", "issuers": issuers}), encoding="utf-8")
    return load_registry_file(path)


def test_a_fresh_did_key_calling_itself_harvard_is_self_asserted():
    key = Ed25519Key.generate()
    result = Verifier.offline(clock=FixedClock(NOW)).verify(_badge(key))
    assert result.outcome is Outcome.VALID
    trust = result.issuer_trust
    assert trust is not None
    assert (trust.level, trust.issuer_id, trust.name, trust.name_source) == (
        TrustLevel.SELF_ASSERTED,
        key.did,
        HARVARD,
        NameSource.CREDENTIAL,
    )
    assert not trust.name_confirmed
    assert trust.summary() == f'self-asserted (did:key): anyone can claim the name "{HARVARD}"'
    assert result.to_dict()["issuer_trust"]["level"] == "self_asserted"


def test_a_did_jwk_issuer_is_self_asserted():
    trust = assess_issuer(
        {"issuer": {"id": "did:jwk:eyJrdHkiOiJPS1AifQ", "name": HARVARD}}, resolver=None
    )
    assert trust.level is TrustLevel.SELF_ASSERTED
    assert trust.summary().startswith("self-asserted (did:jwk): anyone can claim")


def test_a_listed_did_key_is_known_by_the_registry_name(tmp_path):
    key = Ed25519Key.generate()
    registry = _allow_list(tmp_path, {key.did: {"name": "Example U Test Issuer"}})
    verifier = Verifier.offline(clock=FixedClock(NOW), trust_registries=[registry])
    result = verifier.verify(_badge(key))
    trust = result.issuer_trust
    assert trust is not None
    assert (trust.level, trust.name, trust.name_source, trust.registry) == (
        TrustLevel.KNOWN,
        "Example U Test Issuer",
        NameSource.REGISTRY,
        "Registrar",
    )
    assert trust.claimed_name == HARVARD
    assert "calls it 'Harvard University'" in trust.reason


def test_a_registry_never_changes_integrity(tmp_path):
    key = Ed25519Key.generate()
    registry = _allow_list(tmp_path, {key.did: {"name": "Example U"}})
    tampered = _badge(key)
    tampered["credentialSubject"]["achievement"]["name"] = "Something else"
    with_registry = Verifier.offline(clock=FixedClock(NOW), trust_registries=[registry])
    without = Verifier.offline(clock=FixedClock(NOW))
    assert with_registry.verify(tampered).outcome is Outcome.INVALID
    assert [c.code for c in with_registry.verify(tampered).failed] == [
        c.code for c in without.verify(tampered).failed
    ]
    # The answer is still about the identifier; the page and the CLI say the badge failed.
    assert with_registry.verify(tampered).issuer_trust.level is TrustLevel.KNOWN


def test_the_first_registry_that_lists_the_issuer_answers():
    issuer = "did:web:oneuni.example.edu"
    first = StaticRegistry(
        "First", {issuer: RegistryEntry(issuer_id=issuer, registry="First", name="OneUni")}
    )
    second = StaticRegistry(
        "Second", {issuer: RegistryEntry(issuer_id=issuer, registry="Second", name="Other")}
    )
    trust = assess_issuer({"issuer": issuer}, resolver=None, registries=[first, second])
    assert (trust.registry, trust.name) == ("First", "OneUni")


def test_a_registry_that_cannot_answer_never_makes_the_issuer_known(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, clock
):
    key = Ed25519Key.generate()
    unreachable = RemoteRegistry(
        loopback.url("/missing.json"), transport=loopback_transport, clock=clock, name="Down"
    )
    result = Verifier.offline(clock=FixedClock(NOW), trust_registries=[unreachable]).verify(
        _badge(key)
    )
    assert result.outcome is Outcome.VALID
    trust = result.issuer_trust
    assert trust.level is TrustLevel.SELF_ASSERTED
    assert [(p.registry, p.code) for p in trust.problems] == [
        ("Down", "trust_registry_unavailable")
    ]
    assert trust.to_dict()["problems"][0]["code"] == "trust_registry_unavailable"


@pytest.mark.parametrize(
    ("document", "issuer_id"),
    [
        (
            {"issuer": "urn:uuid:1d1f5c9e-2f7c-4bde-9e0a-6f1c2f1b7a11"},
            "urn:uuid:1d1f5c9e-2f7c-4bde-9e0a-6f1c2f1b7a11",
        ),
        ({"issuer": {"id": "did:example:123", "name": HARVARD}}, "did:example:123"),
        ({"issuer": "http://plain.example/issuer"}, "http://plain.example/issuer"),
        ({"issuer": "did:web:bad..host"}, "did:web:bad..host"),
        ({"issuer": {"name": HARVARD}}, None),
        ({"credentialSubject": {}}, None),
    ],
)
def test_identifiers_nobody_is_bound_to_are_unknown(document, issuer_id):
    trust = assess_issuer(document, resolver=None)
    assert (trust.level, trust.issuer_id) == (TrustLevel.UNKNOWN, issuer_id)
    assert not trust.name_confirmed
    assert trust.summary().startswith("unknown: ")


def test_an_ob2_assertion_with_an_embedded_issuer_is_judged_by_it():
    assertion = {
        "type": "Assertion",
        "badge": {"issuer": {"id": "https://issuer.example.org/profile", "name": "Example Org"}},
    }
    trust = assess_issuer(assertion, resolver=None)
    assert (trust.level, trust.host, trust.claimed_name) == (
        TrustLevel.DOMAIN_BOUND,
        "issuer.example.org",
        "Example Org",
    )
    assert "not looked up" in trust.reason


# did:web over real HTTPS


def _did_web(server: LoopbackServer) -> str:
    return f"did:web:{PINNED_HOST}%3A{server.port}"


def _online(server: LoopbackServer, transport: GuardedTransport, **options) -> Verifier:
    clock = FixedClock(NOW)
    did_web = DidWebResolver(
        CachingTransport(transport, clock=clock),
        allowed_ports={server.port},
        allowed_hosts={PINNED_HOST},
    )
    return Verifier.online(transport=transport, clock=clock, methods={"web": did_web}, **options)


def _publish(server: LoopbackServer, key: Ed25519Key, **members: str) -> None:
    document = {**controller_document(key), **members}
    server.routes["/.well-known/did.json"] = Route(json.dumps(document).encode())


def test_a_did_web_issuer_named_by_its_document_is_domain_bound(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
):
    key = Ed25519Key.from_seed(bytes([5]) * 32, controller=_did_web(loopback), key_id="#key-1")
    _publish(loopback, key, name="Example University")
    result = _online(loopback, loopback_transport).verify(_badge(key))
    assert result.outcome is Outcome.VALID, result.to_dict()
    trust = result.issuer_trust
    assert isinstance(trust, IssuerTrust)
    assert (trust.level, trust.host, trust.name, trust.name_source) == (
        TrustLevel.DOMAIN_BOUND,
        f"{PINNED_HOST}:{loopback.port}",
        "Example University",
        NameSource.DOMAIN,
    )
    assert trust.claimed_name == HARVARD
    assert "the credential calls it 'Harvard University'" in trust.reason
    # The document was fetched once, for the key and the name alike (cached).
    assert loopback.hits["/.well-known/did.json"] == 1


def test_a_did_web_document_without_a_name_does_not_confirm_the_claim(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
):
    key = Ed25519Key.from_seed(bytes([6]) * 32, controller=_did_web(loopback), key_id="#key-1")
    _publish(loopback, key)
    trust = _online(loopback, loopback_transport).verify(_badge(key)).issuer_trust
    assert (trust.level, trust.name, trust.name_source) == (
        TrustLevel.DOMAIN_BOUND,
        HARVARD,
        NameSource.CREDENTIAL,
    )
    assert "name not confirmed by the domain" in trust.reason
    assert trust.summary() == (
        f'domain-bound to {PINNED_HOST}:{loopback.port}: name "{HARVARD}" not confirmed by the '
        "domain"
    )


def test_a_did_web_whose_document_cannot_be_had_is_still_bound_but_unconfirmed(
    loopback: LoopbackServer, loopback_transport: GuardedTransport
):
    key = Ed25519Key.from_seed(bytes([4]) * 32, controller=_did_web(loopback), key_id="#key-1")
    result = _online(loopback, loopback_transport).verify(_badge(key))
    assert result.outcome is Outcome.INDETERMINATE
    trust = result.issuer_trust
    assert (trust.level, trust.name_source) == (TrustLevel.DOMAIN_BOUND, NameSource.CREDENTIAL)
    assert "not looked up" in trust.reason
    # The document the verification could not have is not asked for a second time (a slow
    # host would otherwise hold the verifier twice as long).
    assert len(loopback.requests) == 1, loopback.requests


def test_a_result_without_an_answer_says_null_in_json():
    assert VerificationResult.of([]).to_dict()["issuer_trust"] is None


def test_unreadable_input_has_no_answer():
    result = Verifier.offline().verify(b"{not json")
    assert result.outcome is Outcome.INVALID
    assert result.issuer_trust is None


def test_an_online_verifier_asks_its_registries_before_the_domain(
    loopback: LoopbackServer, loopback_transport: GuardedTransport, tmp_path
):
    key = Ed25519Key.from_seed(bytes([3]) * 32, controller=_did_web(loopback), key_id="#key-1")
    _publish(loopback, key, name="Example University")
    registry = _allow_list(tmp_path, {key.controller: {"name": "Example University (DCC)"}})
    result = _online(loopback, loopback_transport, trust_registries=[registry]).verify(_badge(key))
    assert result.outcome is Outcome.VALID
    trust = result.issuer_trust
    assert (trust.level, trust.name, trust.registry) == (
        TrustLevel.KNOWN,
        "Example University (DCC)",
        "Registrar",
    )


def test_a_registry_that_lists_an_id_without_a_name_does_not_confirm_the_claim(tmp_path):
    key = Ed25519Key.generate()
    registry = _allow_list(tmp_path, {key.did: {}})
    trust = (
        Verifier.offline(clock=FixedClock(NOW), trust_registries=[registry])
        .verify(_badge(key))
        .issuer_trust
    )
    assert (trust.level, trust.name, trust.name_source) == (
        TrustLevel.KNOWN,
        HARVARD,
        NameSource.CREDENTIAL,
    )
    assert not trust.name_confirmed
    assert trust.summary() == (
        f'known: listed in Registrar, which gives no name; the name "{HARVARD}" is the '
        "credential's own"
    )
