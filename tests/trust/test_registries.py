"""Allow-list and Digital Credentials Consortium registries: read from real files, and fetched
from a real HTTPS server on loopback through the guarded transport, cached by the clock."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from loopback_server import Route

from vcbadge.errors import InputError, ResolutionError
from vcbadge.http import GuardedTransport
from vcbadge.protocols import TrustRegistry
from vcbadge.trust import RemoteRegistry, StaticRegistry, load_registry_file, parse_registry

UNI = "did:web:oneuni.example.edu"
KEY_ISSUER = "did:key:z6MkpLDL3RoAoMRTwTgo3rs39ZwssfaPKtGdZw7AGRN7CK4W"
JSON = {"Content-Type": "application/json"}

# The shape the DCC publishes its registries in (meta, then a DID map).
DCC = {
    "meta": {"created": "2022-10-27T17:57:31+00:00", "updated": "2025-03-12T16:20:00+00:00"},
    "registry": {
        UNI: {
            "name": "OneUni University",
            "location": "Cambridge, MA, USA",
            "url": "https://oneuni.example.edu",
        },
        KEY_ISSUER: {"name": "(Example) My University"},
    },
}
ALLOW = {
    "name": "Registrar's allow-list",
    "issuers": {UNI: {"name": "OneUni", "url": "https://oneuni.example.edu/about"}},
}


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_an_allow_list_file(tmp_path):
    registry = load_registry_file(_write(tmp_path / "allow.json", ALLOW))
    assert isinstance(registry, TrustRegistry)
    assert registry.name == "Registrar's allow-list"
    entry = registry.lookup(UNI)
    assert entry is not None
    assert (entry.name, entry.url, entry.registry) == (
        "OneUni",
        "https://oneuni.example.edu/about",
        "Registrar's allow-list",
    )
    assert registry.lookup(KEY_ISSUER) is None


def test_a_dcc_registry_file_is_named_after_the_file(tmp_path):
    registry = load_registry_file(_write(tmp_path / "dcc-community.json", DCC))
    assert registry.name == "dcc-community.json"
    assert len(registry) == 2
    entry = registry.lookup(KEY_ISSUER)
    assert entry is not None
    assert (entry.name, entry.url) == ("(Example) My University", None)


def test_lookup_is_exact(tmp_path):
    registry = load_registry_file(_write(tmp_path / "dcc.json", DCC))
    assert registry.lookup(UNI.upper()) is None
    assert registry.lookup(UNI + "#key-1") is None
    assert registry.lookup(UNI + ":sub") is None


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ([], ""),
        ({}, ""),
        ({**ALLOW, "registry": {}}, ""),
        ({"issuers": []}, "/issuers"),
        ({"issuers": {"not-an-id": {"name": "x"}}}, "/issuers/not-an-id"),
        ({"issuers": {" did:web:a.example": {"name": "x"}}}, "/issuers/ did:web:a.example"),
        ({"issuers": {"did:web:a.example#key": {}}}, "/issuers/did:web:a.example#key"),
        ({"issuers": {UNI: "OneUni"}}, f"/issuers/{UNI}"),
        ({"issuers": {UNI: {"name": 7}}}, f"/issuers/{UNI}/name"),
        ({"issuers": {UNI: {"name": ""}}}, f"/issuers/{UNI}/name"),
        ({"registry": {UNI: {"name": "x", "url": ["https://a"]}}}, f"/registry/{UNI}/url"),
        ({"name": 3, "issuers": {}}, "/name"),
        ({"issuers": {"https://a.example/x/y": 1}}, "/issuers/https:~1~1a.example~1x~1y"),
    ],
)
def test_a_malformed_registry_is_refused_whole(document, path):
    with pytest.raises(InputError) as caught:
        parse_registry(document, where="test", default_name="test")
    assert (caught.value.code, caught.value.path) == ("trust_registry_malformed", path)


def test_a_file_that_is_not_strict_json_is_malformed(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('{"issuers": {}, "issuers": {}}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_registry_file(path)
    assert caught.value.code == "trust_registry_malformed"
    assert "duplicate" in caught.value.message


def test_a_static_registry_is_a_trust_registry():
    assert isinstance(StaticRegistry("empty", {}), TrustRegistry)


# Fetched through the guarded transport


def _remote(loopback, transport: GuardedTransport, clock, **options) -> RemoteRegistry:
    return RemoteRegistry(
        loopback.url("/registry.json"), transport=transport, clock=clock, **options
    )


def test_a_dcc_registry_fetched_over_https(loopback, loopback_transport, clock):
    loopback.routes["/registry.json"] = Route(json.dumps(DCC).encode(), headers=dict(JSON))
    registry = _remote(loopback, loopback_transport, clock, name="DCC Community Registry")
    assert isinstance(registry, TrustRegistry)
    entry = registry.lookup(UNI)
    assert entry is not None
    assert (entry.name, entry.registry) == ("OneUni University", "DCC Community Registry")
    assert registry.lookup("did:web:unknown.example") is None
    assert loopback.hits["/registry.json"] == 1  # one fetch for both lookups


def test_a_fetched_registry_is_kept_for_its_lifetime(loopback, loopback_transport, clock):
    loopback.routes["/registry.json"] = Route(
        json.dumps(ALLOW).encode(), headers={**JSON, "Cache-Control": "max-age=600"}
    )
    registry = _remote(loopback, loopback_transport, clock)
    assert registry.lookup(UNI) is not None
    clock.advance(timedelta(minutes=9))
    assert registry.lookup(UNI) is not None
    assert loopback.hits["/registry.json"] == 1
    clock.advance(timedelta(minutes=2))
    loopback.routes["/registry.json"] = Route(b'{"issuers": {}}', headers=dict(JSON))
    assert registry.lookup(UNI) is None  # refetched: the issuer was removed
    assert loopback.hits["/registry.json"] == 2


def test_no_store_is_fetched_every_time(loopback, loopback_transport, clock):
    loopback.routes["/registry.json"] = Route(
        json.dumps(ALLOW).encode(), headers={**JSON, "Cache-Control": "no-store"}
    )
    registry = _remote(loopback, loopback_transport, clock)
    registry.lookup(UNI)
    registry.lookup(UNI)
    assert loopback.hits["/registry.json"] == 2


def test_a_registry_that_cannot_be_fetched_is_unavailable(loopback, loopback_transport, clock):
    registry = _remote(loopback, loopback_transport, clock)
    with pytest.raises(ResolutionError) as caught:
        registry.lookup(UNI)
    assert caught.value.code == "trust_registry_unavailable"
    assert "[http_status]" in caught.value.message
    # A failure is not cached: once it is published, it is read.
    loopback.routes["/registry.json"] = Route(json.dumps(ALLOW).encode(), headers=dict(JSON))
    assert registry.lookup(UNI) is not None


def test_a_registry_on_a_host_the_transport_refuses_is_unavailable(clock):
    registry = RemoteRegistry(
        "https://127.0.0.1/registry.json", transport=GuardedTransport(), clock=clock
    )
    with pytest.raises(ResolutionError) as caught:
        registry.lookup(UNI)
    assert caught.value.code == "trust_registry_unavailable"


def test_a_malformed_fetched_registry_is_refused(loopback, loopback_transport, clock):
    loopback.routes["/registry.json"] = Route(b'{"issuers": []}', headers=dict(JSON))
    with pytest.raises(InputError) as caught:
        _remote(loopback, loopback_transport, clock).lookup(UNI)
    assert (caught.value.code, caught.value.path) == ("trust_registry_malformed", "/issuers")


def test_only_https_registry_urls(clock):
    with pytest.raises(ValueError, match="https"):
        RemoteRegistry("http://registry.example/r.json", transport=GuardedTransport(), clock=clock)


# The wiring of vcbadge.defaults (what --trust-registry builds)


def test_trust_registry_builds_each_kind(tmp_path, loopback, loopback_transport, clock):
    from vcbadge.defaults import trust_registry
    from vcbadge.trust import FederationRegistry

    from_file = trust_registry(str(_write(tmp_path / "allow.json", ALLOW)))
    assert isinstance(from_file, StaticRegistry)
    loopback.routes["/registry.json"] = Route(json.dumps(DCC).encode(), headers=dict(JSON))
    fetched = trust_registry(
        loopback.url("/registry.json"), transport=loopback_transport, clock=clock
    )
    assert isinstance(fetched, RemoteRegistry)
    assert fetched.lookup(UNI) is not None
    federation = trust_registry(
        loopback.url(""), kind="openid-federation", transport=loopback_transport, clock=clock
    )
    assert isinstance(federation, FederationRegistry)
    with pytest.raises(ValueError, match="kind"):
        trust_registry("x.json", kind="spreadsheet")
    with pytest.raises(ValueError, match="https"):
        trust_registry("http://registry.example/r.json")
