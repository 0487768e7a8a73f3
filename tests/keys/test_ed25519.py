"""Ed25519Key: constructors, encodings, signing, identity."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcbadge._json import loads_strict
from vcbadge.errors import KeyFormatError
from vcbadge.keys import Ed25519Key
from vcbadge.protocols import Signer
from vcbadge.resolve import resolve_did_key

# RFC 8037 Appendix A.1 (key), A.3 (thumbprint) and A.4 (JWS signing input and signature).
RFC8037_JWK = {
    "kty": "OKP",
    "crv": "Ed25519",
    "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
    "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
}
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
RFC8037_SIGNING_INPUT = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc"
RFC8037_SIGNATURE = (
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)


def _b64url(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


@pytest.fixture(scope="module")
def key() -> Ed25519Key:
    return Ed25519Key.from_seed(bytes(range(32)))


def test_defaults_are_did_key(key: Ed25519Key) -> None:
    fingerprint = key.public_key_multibase
    assert fingerprint.startswith("z6Mk")
    assert key.did == f"did:key:{fingerprint}"
    assert key.controller == key.did
    assert key.verification_method == f"{key.did}#{fingerprint}"
    assert key.algorithm == "Ed25519"
    assert key.has_private_key
    assert len(key.public_bytes) == 32
    assert isinstance(key, Signer)


def test_generate_gives_distinct_signing_keys() -> None:
    first, second = Ed25519Key.generate(), Ed25519Key.generate()
    assert first.has_private_key
    assert first != second


def test_sign_and_verify(key: Ed25519Key) -> None:
    signature = key.sign(b"hello")
    assert len(signature) == 64
    assert signature == key.sign(b"hello")  # RFC 8032 signing is deterministic
    assert key.verify(signature, b"hello")
    assert key.public_key().verify(signature, b"hello")
    assert not key.verify(signature, b"hello!")
    tampered = bytes([signature[0] ^ 1]) + signature[1:]
    assert not key.verify(tampered, b"hello")
    assert not Ed25519Key.generate().verify(signature, b"hello")


@pytest.mark.parametrize("signature", [b"", bytes(63), bytes(65), bytes(64), b"\xff" * 64])
def test_verify_never_raises_for_bad_signatures(key: Ed25519Key, signature: bytes) -> None:
    assert key.verify(signature, b"data") is False


def test_verify_only_key_cannot_sign(key: Ed25519Key) -> None:
    public = Ed25519Key.from_public_bytes(key.public_bytes)
    assert not public.has_private_key
    assert public == key  # same public key, controller and verification method
    for attempt in (
        lambda: public.sign(b"x"),
        lambda: public.secret_key_multibase,
        lambda: public.to_jwk(include_private=True),
    ):
        with pytest.raises(KeyFormatError) as info:
            attempt()
        assert info.value.code == "private_key_missing"


def test_rfc8037_jwk_vector() -> None:
    key = Ed25519Key.from_jwk(RFC8037_JWK)
    assert key.public_bytes == _b64url(RFC8037_JWK["x"])
    assert key.to_jwk() == {k: v for k, v in RFC8037_JWK.items() if k != "d"}
    assert key.to_jwk(include_private=True) == RFC8037_JWK
    assert key == Ed25519Key.from_seed(_b64url(RFC8037_JWK["d"]))
    # RFC 7638 thumbprint: the required members, sorted, no whitespace.
    canonical = json.dumps(key.to_jwk(), sort_keys=True, separators=(",", ":")).encode()
    thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical).digest()).rstrip(b"=")
    assert thumbprint.decode() == RFC8037_THUMBPRINT
    assert key.sign(RFC8037_SIGNING_INPUT) == _b64url(RFC8037_SIGNATURE)
    public = Ed25519Key.from_jwk(key.to_jwk())
    assert not public.has_private_key
    assert public.verify(_b64url(RFC8037_SIGNATURE), RFC8037_SIGNING_INPUT)


def test_jwk_never_leaks_d_by_default(key: Ed25519Key) -> None:
    assert "d" not in key.to_jwk()


@pytest.mark.parametrize(
    ("changes", "code", "path"),
    [
        ({"kty": "EC"}, "key_format", "/kty"),
        ({"crv": "X25519"}, "key_format", "/crv"),
        ({"crv": None}, "key_format", "/crv"),
        ({"alg": "ES256"}, "key_format", "/alg"),
        ({"use": "enc"}, "key_format", "/use"),
        ({"x": None}, "key_format", "/x"),
        ({"x": RFC8037_JWK["x"] + "="}, "key_format", "/x"),
        ({"x": RFC8037_JWK["x"][:-1]}, "key_format", "/x"),
        ({"x": RFC8037_JWK["x"][:-1] + "p"}, "key_format", "/x"),  # non-canonical last char
        ({"x": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo"}, "key_format", "/x"),
        ({"d": "AAAA"}, "key_format", "/d"),
        ({"d": "A" * 43}, "key_mismatch", "/x"),
    ],
)
def test_bad_jwks(changes: dict[str, object], code: str, path: str) -> None:
    jwk = {**RFC8037_JWK, **changes}
    with pytest.raises(KeyFormatError) as info:
        Ed25519Key.from_jwk(jwk)
    assert info.value.code == code
    assert info.value.path == path


def test_jwk_alg_and_use_accepted_when_right() -> None:
    key = Ed25519Key.from_jwk({**RFC8037_JWK, "alg": "EdDSA", "use": "sig", "kid": "k1"})
    assert key.has_private_key


def test_w3c_eddsa_key_pair(reference: Path) -> None:
    pair = loads_strict((reference / "vectors/vc-di-eddsa/TestVectors/keyPair.json").read_bytes())
    key = Ed25519Key.from_multikey(pair["publicKeyMultibase"], pair["privateKeyMultibase"])
    assert key.public_key_multibase == pair["publicKeyMultibase"]
    assert key.secret_key_multibase == pair["privateKeyMultibase"]
    seed = key.to_jwk(include_private=True)["d"]
    assert Ed25519Key.from_seed(_b64url(seed)).public_key_multibase == pair["publicKeyMultibase"]
    public = Ed25519Key.from_multikey(pair["publicKeyMultibase"])
    assert not public.has_private_key
    assert public == key


def test_from_multikey_rejects_mismatched_or_swapped_parts(key: Ed25519Key) -> None:
    other = Ed25519Key.generate()
    with pytest.raises(KeyFormatError) as info:
        Ed25519Key.from_multikey(key.public_key_multibase, other.secret_key_multibase)
    assert info.value.code == "key_mismatch"
    with pytest.raises(KeyFormatError) as info:
        Ed25519Key.from_multikey(key.secret_key_multibase)
    assert info.value.code == "key_format"
    with pytest.raises(KeyFormatError):
        Ed25519Key.from_multikey(key.public_key_multibase, key.public_key_multibase)


@pytest.mark.parametrize("seed", [b"", bytes(31), bytes(33), "0" * 32])
def test_from_seed_length(seed: bytes) -> None:
    with pytest.raises(KeyFormatError):
        Ed25519Key.from_seed(seed)


def test_from_public_bytes_length() -> None:
    with pytest.raises(KeyFormatError):
        Ed25519Key.from_public_bytes(bytes(31))


def test_did_web_controller_and_key_id(key: Ed25519Key) -> None:
    seed = bytes(range(32))
    web = Ed25519Key.from_seed(seed, controller="did:web:badges.example.edu")
    assert web.controller == "did:web:badges.example.edu"
    assert web.verification_method == f"did:web:badges.example.edu#{key.public_key_multibase}"
    assert web.did == key.did
    assert web != key
    named = Ed25519Key.from_seed(seed, controller="did:web:badges.example.edu", key_id="#key-1")
    assert named.verification_method == "did:web:badges.example.edu#key-1"
    https = Ed25519Key.from_seed(
        seed, controller="https://example.edu/issuer", key_id="https://example.edu/keys/1"
    )
    assert https.verification_method == "https://example.edu/keys/1"
    assert https.to_multikey_document() == {
        "@context": "https://w3id.org/security/multikey/v1",
        "id": "https://example.edu/keys/1",
        "type": "Multikey",
        "controller": "https://example.edu/issuer",
        "publicKeyMultibase": key.public_key_multibase,
    }


@pytest.mark.parametrize(
    ("controller", "key_id"),
    [
        ("not a uri", None),
        ("did:web:example.edu#frag", None),
        ("", None),
        ("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp", None),  # another key's did
        ("did:web:example.edu", "relative-id"),
    ],
)
def test_bad_controller_or_key_id(controller: str, key_id: str | None) -> None:
    with pytest.raises(KeyFormatError):
        Ed25519Key.from_seed(bytes(range(32)), controller=controller, key_id=key_id)


def test_multikey_document_matches_did_key_resolution(key: Ed25519Key) -> None:
    document = resolve_did_key(key.did)
    method = key.to_multikey_document()
    del method["@context"]
    # The second method is the X25519 key-agreement key derived from it.
    assert document["verificationMethod"][0] == method
    assert document["assertionMethod"] == [method["id"]]


def test_repr_hides_private_material(key: Ed25519Key) -> None:
    text = repr(key) + str(key)
    secrets = [
        key.secret_key_multibase,
        key.to_jwk(include_private=True)["d"],
        bytes(range(32)).hex(),
    ]
    for secret in secrets:
        assert secret not in text
    assert key.verification_method in text
    assert "private" in repr(key)
    assert "public" in repr(key.public_key())


def test_immutable_and_not_picklable(key: Ed25519Key) -> None:
    with pytest.raises(AttributeError):
        key._controller = "did:web:evil.example"
    with pytest.raises(AttributeError):
        key.controller = "did:web:evil.example"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del key._private
    with pytest.raises(TypeError):
        pickle.dumps(key)
    assert copy.deepcopy(key) is key


def test_equality_and_hash(key: Ed25519Key) -> None:
    same = Ed25519Key.from_seed(bytes(range(32)))
    assert same == key
    assert hash(same) == hash(key)
    assert len({key, same, key.public_key()}) == 1
    assert key != Ed25519Key.from_seed(bytes(range(32)), key_id="#other")
    assert key != "not a key"


@settings(max_examples=50, deadline=None)
@given(seed=st.binary(min_size=32, max_size=32))
def test_round_trips_give_the_same_key(seed: bytes) -> None:
    key = Ed25519Key.from_seed(seed)
    via_multikey = Ed25519Key.from_multikey(key.public_key_multibase, key.secret_key_multibase)
    via_jwk = Ed25519Key.from_jwk(key.to_jwk(include_private=True))
    document = resolve_did_key(key.did)
    via_did = Ed25519Key.from_multikey(document["verificationMethod"][0]["publicKeyMultibase"])
    assert via_multikey == via_jwk == via_did == key
    assert via_multikey.secret_key_multibase == key.secret_key_multibase
    assert via_jwk.sign(b"m") == key.sign(b"m")
    assert via_did.verify(key.sign(b"m"), b"m")
    assert document["verificationMethod"][0]["id"] == key.verification_method
