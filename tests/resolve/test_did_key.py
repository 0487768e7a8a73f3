"""did:key resolution (offline)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from multiformats import multibase

from vcbadge._json import loads_strict
from vcbadge.errors import DIDResolutionError, KeyFormatError, UnsupportedError
from vcbadge.keys import Ed25519Key, decode_multikey, encode_multikey
from vcbadge.protocols import Resolver
from vcbadge.resolve import DidKeyResolver, ed25519_to_x25519, resolve_did_key

VECTORS = "vectors/did-key/test-vectors"
DID = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"  # seed 00..00 in the vectors


def _load(reference: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = loads_strict((reference / VECTORS / name).read_bytes())
    return document


def _expected_key_bytes(method: dict[str, Any]) -> bytes:
    """The raw OKP key (Ed25519 or X25519) of a method in the vectors."""
    if "publicKeyBase58" in method:
        raw: bytes = multibase.decode("z" + method["publicKeyBase58"])
        return raw
    return base64.urlsafe_b64decode(method["publicKeyJwk"]["x"] + "==")


def test_document_shape() -> None:
    fingerprint = DID.removeprefix("did:key:")
    method_id = f"{DID}#{fingerprint}"
    agreement = "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW"  # from the vectors
    assert resolve_did_key(DID) == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": DID,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": fingerprint,
            },
            {
                "id": f"{DID}#{agreement}",
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": agreement,
            },
        ],
        "authentication": [method_id],
        "assertionMethod": [method_id],
        "capabilityDelegation": [method_id],
        "capabilityInvocation": [method_id],
        "keyAgreement": [f"{DID}#{agreement}"],
    }


def test_each_call_returns_a_fresh_document() -> None:
    first = resolve_did_key(DID)
    first["verificationMethod"].clear()
    assert resolve_did_key(DID)["verificationMethod"]


def _methods_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {method["id"]: method for method in document["verificationMethod"]}


def _ec_point(method: dict[str, Any]) -> bytes:
    """The compressed SEC1 point of a JWK or publicKeyBase58 method in the vectors."""
    if "publicKeyBase58" in method:
        raw: bytes = multibase.decode("z" + method["publicKeyBase58"])
        return raw
    jwk = method["publicKeyJwk"]
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}[jwk["crv"]]
    numbers = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_b64url(jwk["x"]), "big"), int.from_bytes(_b64url(jwk["y"]), "big"), curve
    )
    return numbers.public_key().public_bytes(Encoding.X962, PublicFormat.CompressedPoint)


def _b64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityDelegation",
    "capabilityInvocation",
    "keyAgreement",
)


def test_ed25519_vectors_with_derived_x25519(reference: Path) -> None:
    vectors = _load(reference, "ed25519-x25519.json")
    assert vectors
    for did, vector in vectors.items():
        document = resolve_did_key(did)
        expected = vector["didDocument"]
        # Same relationships, pointing at the same method ids (Ed25519 and the X25519 key).
        for relationship in RELATIONSHIPS:
            assert document[relationship] == expected[relationship], (did, relationship)
        ours, theirs = _methods_by_id(document), _methods_by_id(expected)
        assert ours.keys() == theirs.keys(), did
        for method_id, method in ours.items():
            _, raw = decode_multikey(method["publicKeyMultibase"])
            assert raw == _expected_key_bytes(theirs[method_id]), method_id
        assert Ed25519Key.from_seed(bytes.fromhex(vector["seed"])).did == did


def test_ed25519_to_x25519_matches_the_vectors(reference: Path) -> None:
    for did, vector in _load(reference, "ed25519-x25519.json").items():
        public = Ed25519Key.from_multikey(did.removeprefix("did:key:")).public_bytes
        expected = _expected_key_bytes(vector["keyAgreementKeyPair"])
        assert ed25519_to_x25519(public) == expected, did


def test_p256_and_p384_vectors(reference: Path) -> None:
    vectors = _load(reference, "nist-curves.json")
    checked = 0
    for did, vector in vectors.items():
        expected = vector["didDocument"]
        curve = _curve_of(expected["verificationMethod"][0])
        if curve == "P-521":
            with pytest.raises(UnsupportedError) as info:
                resolve_did_key(did)
            assert info.value.code == "unsupported_key_type"
            continue
        document = resolve_did_key(did)
        for relationship in RELATIONSHIPS:
            assert document[relationship] == expected[relationship], (did, relationship)
        ours, theirs = _methods_by_id(document), _methods_by_id(expected)
        assert ours.keys() == theirs.keys(), did
        for method_id, method in ours.items():
            codec, raw = decode_multikey(method["publicKeyMultibase"])
            assert codec == {"P-256": "p256-pub", "P-384": "p384-pub"}[curve]
            assert raw == _ec_point(theirs[method_id]), method_id
        checked += 1
    assert checked >= 4


def _curve_of(method: dict[str, Any]) -> str:
    if "publicKeyJwk" in method:
        return str(method["publicKeyJwk"]["crv"])
    return {"P256Key2021": "P-256", "P384Key2021": "P-384"}.get(method["type"], "P-521")


def test_x25519_vectors(reference: Path) -> None:
    vectors = _load(reference, "x25519.json")["didDocument"]
    assert vectors
    for did, expected in vectors.items():
        document = resolve_did_key(did)
        assert document["keyAgreement"] == expected["keyAgreement"]
        for relationship in RELATIONSHIPS[:4]:
            assert relationship not in document  # a key-agreement key never signs
        method = document["verificationMethod"][0]
        assert decode_multikey(method["publicKeyMultibase"])[1] == _expected_key_bytes(
            expected["verificationMethod"][0]
        )


@pytest.mark.parametrize("name", ["secp256k1.json", "rsa.json", "bls12381.json"])
def test_other_key_types_in_the_vectors_are_unsupported(reference: Path, name: str) -> None:
    vectors = _load(reference, name)
    dids = list(vectors.get("didDocument", vectors))
    assert dids
    for did in dids:
        with pytest.raises(UnsupportedError) as info:
            resolve_did_key(did)
        assert info.value.code == "unsupported_key_type", did


def test_point_not_on_the_curve_is_invalid() -> None:
    bad = bytes([0x02]) + bytes(31) + b"\x07"  # x = 7: no P-256 point has it (checked below)
    with pytest.raises(ValueError, match="Invalid EC key"):
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), bad)
    with pytest.raises(DIDResolutionError) as info:
        resolve_did_key("did:key:" + encode_multikey("p256-pub", bad))
    assert info.value.code == "invalid_did"


def test_ed25519_neutral_point_has_no_x25519_key() -> None:
    neutral = (1).to_bytes(32, "little")
    with pytest.raises(KeyFormatError):
        ed25519_to_x25519(neutral)


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
