"""Published status lists, served by a stock static web server, are what verifiers can use.

The server is the standard library's static file handler with its default content types
(``python -m http.server``), over HTTPS on loopback; vcbadge verifies through it online.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import loopback_server
import pytest
from loopback_server import StaticFileServer

from vcbadge import Issuer, Outcome, Profile, Verifier
from vcbadge.errors import StatusStoreError
from vcbadge.http import GuardedTransport
from vcbadge.keys import Ed25519Key
from vcbadge.resolve.status_lists import STATUS_LIST_MEDIA_TYPES
from vcbadge.store import SQLiteStatusStore
from vcbadge.store.publish import LIST_EXTENSION, LIST_MEDIA_TYPE, list_file

# The loopback fixtures this module uses (pytest finds fixtures by name in the module).
loopback_ca = loopback_server.loopback_ca
loopback_certificate = loopback_server.loopback_certificate
loopback_transport = loopback_server.loopback_transport
static_server = loopback_server.static_server

CREDENTIAL = "https://badges.example.edu/credentials/1001"


def _draft(key: Ed25519Key) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": CREDENTIAL,
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "credentialSubject": {"id": "did:example:ada"},
    }


def _checks(result: Any) -> list[tuple[str, str, str]]:
    return [(check.outcome.value, check.code, check.path) for check in result.failed]


@pytest.fixture
def key() -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([5]) * 32)


def test_the_list_type_is_one_verifiers_accept() -> None:
    assert LIST_EXTENSION == ".json"
    assert LIST_MEDIA_TYPE in STATUS_LIST_MEDIA_TYPES


def test_lists_served_by_a_stock_static_server_verify_and_revoke(
    static_server: StaticFileServer,
    loopback_transport: GuardedTransport,
    key: Ed25519Key,
    tmp_path: Path,
) -> None:
    base_url = static_server.url("/status")
    with SQLiteStatusStore.create(tmp_path / "status.db", base_url=base_url) as store:
        issuer = Issuer(Profile(id=key.did), key=key, status_store=store)
        badge = issuer.issue(_draft(key))
        list_url = badge["credentialStatus"]["statusListCredential"]
        assert list_url == f"{base_url}/revocation/1.json"
        published = issuer.publish_status_lists(str(static_server.directory / "status"))
        assert list(published) == [list_url]
        served = list_file(static_server.directory / "status", base_url, list_url)
        assert served == static_server.directory / "status" / "revocation" / "1.json"

        verifier = Verifier.online(transport=loopback_transport)
        valid = verifier.verify(badge)
        assert valid.outcome is Outcome.VALID, valid.to_dict()
        assert loopback_transport.get(list_url, accept=[LIST_MEDIA_TYPE]).media_type == (
            LIST_MEDIA_TYPE
        )

        store.revoke(CREDENTIAL, actor="registrar", reason="test")
        issuer.publish_status_lists(str(static_server.directory / "status"))
        revoked = Verifier.online(transport=loopback_transport).verify(badge)
        assert _checks(revoked) == [("INVALID", "revoked", "/credentialStatus")]


def test_extension_less_lists_from_an_old_store_are_not_usable_from_a_stock_server(
    static_server: StaticFileServer,
    loopback_transport: GuardedTransport,
    key: Ed25519Key,
    tmp_path: Path,
) -> None:
    """Why the extension: the same server sends an extension-less file (what a store created
    before it publishes) as application/octet-stream, and the verifier cannot use it."""
    base_url = static_server.url("/status")
    path = tmp_path / "status.db"
    SQLiteStatusStore.create(path, base_url=base_url).close()
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM meta WHERE key = 'list_extension'")
    connection.close()
    with SQLiteStatusStore(path) as store:
        assert store.list_extension == ""
        issuer = Issuer(Profile(id=key.did), key=key, status_store=store)
        badge = issuer.issue(_draft(key))
        assert badge["credentialStatus"]["statusListCredential"] == f"{base_url}/revocation/1"
        issuer.publish_status_lists(str(static_server.directory / "status"))
    assert (static_server.directory / "status" / "revocation" / "1").is_file()
    result = Verifier.online(transport=loopback_transport).verify(badge)
    assert _checks(result) == [("INDETERMINATE", "status_list_unavailable", "/credentialStatus")]
    assert "application/octet-stream" in result.failed[0].message


def test_a_published_file_is_json_with_the_url_it_is_served_at(
    key: Ed25519Key, tmp_path: Path
) -> None:
    base_url = "https://badges.example.edu/status"
    with SQLiteStatusStore.create(tmp_path / "status.db", base_url=base_url) as store:
        issuer = Issuer(Profile(id=key.did), key=key, status_store=store)
        issuer.issue(_draft(key))
        issuer.publish_status_lists(str(tmp_path / "public"))
    written = json.loads((tmp_path / "public" / "revocation" / "1.json").read_text("utf-8"))
    assert written["id"] == f"{base_url}/revocation/1.json"
    assert written["credentialSubject"]["id"] == f"{base_url}/revocation/1.json#list"
    assert sorted(p.name for p in (tmp_path / "public" / "revocation").iterdir()) == ["1.json"]


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/status/revocation/1.json",
        "https://badges.example.edu/statusX/revocation/1.json",
        "https://badges.example.edu/status/../../etc/passwd",
    ],
)
def test_a_url_outside_the_base_url_maps_to_no_file(url: str, tmp_path: Path) -> None:
    with pytest.raises(StatusStoreError) as raised:
        list_file(tmp_path, "https://badges.example.edu/status", url)
    assert raised.value.code == "publish_failed"
