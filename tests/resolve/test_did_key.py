"""did:key resolution (offline)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from multiformats import multibase

from vcbadge._json import loads_strict
from vcbadge.errors import DIDResolutionError, UnsupportedError
from vcbadge.keys import Ed25519Key, decode_multikey, encode_multikey
from vcbadge.protocols import Resolver
from vcbadge.resolve import DidKeyResolver, resolve_did_key

VECTORS = "vectors/did-key/test-vectors"
DID = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"  # seed 00..00 in the vectors


def _load(reference: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = loads_strict((reference / VECTORS / name).read_bytes())
    return document


def _expected_key_bytes(method: dict[str, Any]) -> bytes:
    if "publicKeyBase58" in method:
        raw: bytes = multibase.decode("z" + method["publicKeyBase58"])
        return raw
    jwk = Ed25519Key.from_jwk(method["publicKeyJwk"])
    return jwk.public_bytes


def test_document_shape() -> None:
    fingerprint = DID.removeprefix("did:key:")
    method_id = f"{DID}#{fingerprint}"
    assert resolve_did_key(DID) == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": fingerprint,
            }
        ],
        "authentication": [method_id],
        "assertionMethod": [method_id],
        "capabilityDelegation": [method_id],
        "capabilityInvocation": [method_id],
    }


def test_each_call_returns_a_fresh_document() -> None:
    first = resolve_did_key(DID)
    first["verificationMethod"].clear()
    assert resolve_did_key(DID)["verificationMethod"]


def test_ed25519_vectors(reference: Path) -> None:
    vectors = _load(reference, "ed25519-x25519.json")
    assert vectors
    for did, vector in vectors.items():
        document = resolve_did_key(did)
        ours = document["verificationMethod"][0]
        fingerprint = did.removeprefix("did:key:")
        expected = next(
            m for m in vector["didDocument"]["verificationMethod"] if m["id"].endswith(fingerprint)
        )
        assert ours["id"] == expected["id"], did
        assert decode_multikey(ours["publicKeyMultibase"])[1] == _expected_key_bytes(expected), did
        for relationship in (
            "authentication",
            "assertionMethod",
            "capabilityDelegation",
            "capabilityInvocation",
        ):
            assert document[relationship] == vector["didDocument"][relationship], did
        assert "keyAgreement" not in document  # X25519 derivation is not implemented yet
        assert Ed25519Key.from_seed(bytes.fromhex(vector["seed"])).did == did


@pytest.mark.parametrize(
    "name", ["secp256k1.json", "nist-curves.json", "rsa.json", "bls12381.json"]
)
def test_other_key_types_in_the_vectors_are_unsupported(reference: Path, name: str) -> None:
    dids = list(_load(reference, name))
    assert dids
    for did in dids:
        with pytest.raises(UnsupportedError) as info:
            resolve_did_key(did)
        assert info.value.code == "unsupported_key_type", did


def test_x25519_did_key_is_unsupported(reference: Path) -> None:
    for did in _load(reference, "x25519.json")["didDocument"]:
        with pytest.raises(UnsupportedError) as info:
            resolve_did_key(did)
        assert info.value.code == "unsupported_key_type"


@pytest.mark.parametrize(
    "did",
    [
        "did:key:",
        "did:key:6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",  # no multibase prefix
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW0",  # '0' is not base58
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooW",  # truncated key
        f"{DID}#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",  # a DID URL, not a DID
        f"{DID}?service=x",
        f"{DID}/path",
        "did:key:1:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "did:web:example.edu",
        "did:key:" + encode_multikey("ed25519-priv", bytes(32)),
        "did:key:z" + "2" * 5000,
    ],
)
def test_malformed_did_keys(did: str) -> None:
    with pytest.raises(DIDResolutionError) as info:
        resolve_did_key(did)
    assert info.value.code == "invalid_did"


def test_private_key_did_error_does_not_echo_it() -> None:
    secret = encode_multikey("ed25519-priv", bytes(range(32)))
    with pytest.raises(DIDResolutionError) as info:
        resolve_did_key("did:key:" + secret)
    assert secret not in str(info.value)


def test_resolver_protocol_and_fragment_stripping() -> None:
    resolver = DidKeyResolver()
    assert isinstance(resolver, Resolver)
    fragment = DID.removeprefix("did:key:")
    assert resolver.resolve(f"{DID}#{fragment}") == resolve_did_key(DID)
    assert resolver.resolve(DID) == resolve_did_key(DID)


@pytest.mark.parametrize(
    "identifier", ["did:web:example.edu", "https://example.edu/keys/1", "did:KEY:z6Mk", ""]
)
def test_resolver_refuses_other_methods(identifier: str) -> None:
    with pytest.raises(UnsupportedError) as info:
        DidKeyResolver().resolve(identifier)
    assert info.value.code == "unsupported_did_method"


def test_resolver_reports_malformed_did_keys() -> None:
    with pytest.raises(DIDResolutionError):
        DidKeyResolver().resolve("did:key:nope#x")
