"""``vcbadge resolve``: offline, with --doc, and online against the loopback HTTPS server (the
only network these tests touch, allowed explicitly for the test)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import loopback_server
import pytest
from loopback_server import LOOPBACK, LoopbackServer, Route, TestCertificateAuthority

from vcbadge import defaults
from vcbadge.http import GuardedTransport
from vcbadge.keys import Ed25519Key, controller_document
from vcbadge.resolve import DidWebResolver

KEY = Ed25519Key.from_seed(bytes(32))
DID = KEY.did
WEB = "did:web:badges.example.edu"

# The loopback HTTPS server fixtures (tests/loopback_server.py).
loopback = loopback_server.loopback
loopback_ca = loopback_server.loopback_ca
loopback_certificate = loopback_server.loopback_certificate


def test_did_key(cli) -> None:
    result = cli("resolve", DID)
    assert result.code == 0
    assert f"  id: {DID}" in result.out
    assert "authorized for: assertionMethod, authentication" in result.out
    assert "authorized for: keyAgreement" in result.out


def test_did_key_json(cli) -> None:
    result = cli("resolve", DID, "--json")
    assert result.code == 0
    document = result.json()
    assert document["id"] == DID
    assert document["assertionMethod"] == [KEY.verification_method]


def test_fragment_shows_the_method(cli) -> None:
    result = cli("resolve", KEY.verification_method, "--json")
    assert result.code == 0
    assert result.json()["publicKeyMultibase"] == KEY.public_key_multibase


def test_unknown_fragment(cli) -> None:
    result = cli("resolve", DID + "#nope", "--offline")
    assert result.code == 2
    assert "[verification_method_not_found]" in result.err


def test_doc_serves_a_did_web_document(cli, tmp_path: Path) -> None:
    key = Ed25519Key.from_seed(bytes(32), controller=WEB, key_id="#key-1")
    path = tmp_path / "did.json"
    path.write_text(json.dumps(controller_document(key)))
    result = cli("resolve", WEB, "--doc", f"{WEB}={path}", "--offline")
    assert result.code == 0, result.err
    assert f"{WEB}#key-1" in result.out
    assert "authorized for: assertionMethod" in result.out


def test_offline_did_web(cli) -> None:
    result = cli("resolve", WEB, "--offline")
    assert result.code == 2
    assert "offline" in result.err
    assert "[unsupported_did_method]" in result.err


@pytest.mark.parametrize("identifier", ["did:key:z6Mk#x", "did:web:127.0.0.1", "did:jwk:e30"])
def test_malformed_identifier(cli, identifier: str) -> None:
    result = cli("resolve", identifier, "--offline")
    assert result.code == 65
    assert "[invalid_did]" in result.err


def test_not_a_did_is_a_malformed_identifier(cli) -> None:
    # 65 as the help says ("65 malformed identifier"), like a malformed DID: the identifier is
    # input data, not a mistake in the command line.
    result = cli("resolve", "nothing")
    assert result.code == 65
    assert "is not a DID or an absolute URL" in result.err
    assert "exit status: 0 resolved, 2 could not be resolved, 65 malformed identifier" in " ".join(
        cli("resolve", "--help").out.lower().split()
    )


def test_doc_given_twice(cli, tmp_path: Path) -> None:
    path = tmp_path / "did.json"
    path.write_text("{}")
    assert cli("resolve", WEB, "--doc", f"{WEB}={path}", "--doc", f"{WEB}={path}").code == 64


@pytest.fixture
def online_for_tests(
    monkeypatch: pytest.MonkeyPatch,
    loopback_ca: TestCertificateAuthority,
    loopback: LoopbackServer,
) -> None:
    """The CLI's online resolver with a guarded transport that trusts the test CA and lets
    loopback through, and a did:web resolver that accepts ``localhost`` and the server's port:
    the explicit, test-only allowances."""
    configured = functools.partial(
        GuardedTransport,
        ca_bundle=loopback_ca.ca_path,
        allowed_addresses=LOOPBACK,
        allowed_hosts=["localhost"],
    )
    monkeypatch.setattr(defaults, "GuardedTransport", configured)
    did_web = functools.partial(
        DidWebResolver, allowed_hosts=["localhost"], allowed_ports=[loopback.port]
    )
    monkeypatch.setattr(defaults, "DidWebResolver", did_web)


@pytest.mark.usefixtures("online_for_tests")
def test_online_did_web(cli, loopback: LoopbackServer) -> None:
    did = f"did:web:localhost%3A{loopback.port}"
    key = Ed25519Key.from_seed(bytes(32), controller=did, key_id="#key-1")
    loopback.routes["/.well-known/did.json"] = Route(json.dumps(controller_document(key)).encode())
    result = cli("resolve", did)
    assert result.code == 0, result.err
    assert f"{did}#key-1" in result.out


@pytest.mark.usefixtures("online_for_tests")
def test_online_failure_names_url_and_code(cli, loopback: LoopbackServer) -> None:
    did = f"did:web:localhost%3A{loopback.port}:nobody"
    result = cli("resolve", did)
    assert result.code == 2
    assert f"https://localhost:{loopback.port}/nobody/did.json" in result.err
    assert "[http_status]" in result.err


def test_online_by_default_refuses_loopback(cli, loopback: LoopbackServer) -> None:
    # Refused before any request: localhost names no public host (did_web_host).
    result = cli("resolve", f"did:web:localhost%3A{loopback.port}")
    assert result.code == 2
    assert "[did_web_host]" in result.err
    assert not loopback.hits


def test_online_by_default_refuses_a_loopback_address(
    cli, loopback: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A public-looking name that resolves to loopback: refused by the transport, after DNS.
    import socket

    real_getaddrinfo = socket.getaddrinfo

    def loopback_dns(host: object, *args: object, **kwargs: object) -> object:
        if host == "badges.example.edu":
            host = "127.0.0.1"
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_dns)
    result = cli("resolve", "did:web:badges.example.edu")
    assert result.code == 2
    assert "[private_address]" in result.err
    assert not loopback.hits


@pytest.mark.parametrize("as_json", [False, True])
def test_a_key_file_given_as_document_is_refused_and_never_echoed(
    cli, tmp_path: Path, as_json: bool
) -> None:
    from vcbadge.keys import save_key

    key = Ed25519Key.from_seed(bytes(range(32)), controller=WEB)
    key_path = tmp_path / "key.json"
    save_key(key, key_path)
    argv = ["resolve", WEB, "--offline", "--doc", f"{WEB}={key_path}"]
    result = cli(*argv, *(["--json"] if as_json else []))
    assert result.code == 65
    assert key.secret_key_multibase not in result.out + result.err
    assert "/secretKeyMultibase" in result.err
    assert "[private_key_in_document]" in result.err
    if as_json:
        report = result.json()
        assert (report["code"], report["file"]) == ("private_key_in_document", str(key_path))


def test_a_document_publishing_a_private_jwk_is_refused(cli, tmp_path: Path) -> None:
    from vcbadge.keys import RsaKey

    key = RsaKey.generate(controller=WEB)
    method = key.to_verification_method()
    method["publicKeyJwk"] = key.to_jwk(include_private=True)
    document = {"id": WEB, "verificationMethod": [method], "assertionMethod": [method["id"]]}
    path = tmp_path / "did.json"
    path.write_text(json.dumps(document))
    result = cli("resolve", f"{method['id']}", "--offline", "--doc", f"{WEB}={path}", "--json")
    assert result.code == 65
    assert "/verificationMethod/0/publicKeyJwk/d" in result.err
    assert document["verificationMethod"][0]["publicKeyJwk"]["d"] not in result.out + result.err


@pytest.mark.usefixtures("online_for_tests")
def test_a_published_document_leaking_a_secret_is_not_shown(cli, loopback: LoopbackServer) -> None:
    did = f"did:web:localhost%3A{loopback.port}"
    key = Ed25519Key.from_seed(bytes(range(32)), controller=did)
    document = controller_document(key)
    document["verificationMethod"][0]["secretKeyMultibase"] = key.secret_key_multibase
    loopback.routes["/.well-known/did.json"] = Route(json.dumps(document).encode())
    result = cli("resolve", did, "--json")
    assert result.code == 65
    assert "its published document" in result.err
    assert key.secret_key_multibase not in result.out + result.err


@pytest.mark.usefixtures("online_for_tests")
def test_cli_only_issuer_served_over_https(
    cli, tmp_path: Path, loopback: LoopbackServer, unsigned_file: Path
) -> None:
    """keygen --did-web, did-document, serve did.json, issue: verified online, key found."""
    key_path = tmp_path / "key.json"
    host = f"localhost:{loopback.port}"
    assert cli("keygen", "--did-web", host, "-o", key_path).code == 0
    did_json = tmp_path / "did.json"
    written = cli("did-document", key_path, "-o", did_json)
    assert written.code == 0, written.err
    assert f"https://{host}/.well-known/did.json" in written.err
    loopback.routes["/.well-known/did.json"] = Route(did_json.read_bytes())
    signed = tmp_path / "signed.json"
    assert cli("issue", unsigned_file, "--key", key_path, "-o", signed).code == 0
    result = cli("verify", signed)
    assert result.code == 0, result.out
    assert result.out.splitlines()[0] == "VALID"
    assert "/.well-known/did.json" in [hit.split("?")[0] for hit in loopback.hits]
