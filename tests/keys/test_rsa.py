"""RsaKey: RS256 keys for VC-JWT."""

from __future__ import annotations

import copy
import pickle

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from vcbadge.errors import KeyFormatError
from vcbadge.keys import RsaKey


@pytest.fixture(scope="module")
def key() -> RsaKey:
    return RsaKey.generate()


def test_generate_sign_verify(key: RsaKey) -> None:
    signature = key.sign(b"data")
    assert len(signature) == 256
    assert key.verify(signature, b"data")
    assert not key.verify(signature, b"other")
    assert not key.verify(signature[:-1], b"data")
    assert not key.verify(b"\x00" * 256, b"data")
    assert not key.verify("not bytes", b"data")  # type: ignore[arg-type]
    assert key.algorithm == "RSA"
    assert key.has_private_key
    assert key.key_size == 2048


def test_default_identity_is_did_jwk(key: RsaKey) -> None:
    assert key.controller == key.did
    assert key.did.startswith("did:jwk:")
    assert key.verification_method == key.did + "#0"


def test_controller_and_key_id() -> None:
    key = RsaKey.generate(controller="https://example.edu/issuers/1")
    assert key.verification_method == f"https://example.edu/issuers/1#{key.thumbprint}"
    key = RsaKey.generate(controller="did:web:example.edu", key_id="#rsa-1")
    assert key.verification_method == "did:web:example.edu#rsa-1"


@pytest.mark.parametrize("bits", [1024, 2047, 4097, 8192])
def test_generate_refuses_sizes(bits: int) -> None:
    with pytest.raises(KeyFormatError):
        RsaKey.generate(bits)


def test_small_keys_are_refused_from_jwk_too() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(KeyFormatError) as caught:
        RsaKey(small.public_key())
    assert caught.value.code == "key_too_small"


def test_jwk_round_trip(key: RsaKey) -> None:
    public = key.to_jwk()
    assert set(public) == {"kty", "n", "e"}
    assert RsaKey.from_jwk(public) == key.public_key()
    private = key.to_jwk(include_private=True)
    assert {"d", "p", "q", "dp", "dq", "qi"} <= set(private)
    again = RsaKey.from_jwk(private)
    assert again.verify(key.sign(b"x"), b"x")
    assert key.verify(again.sign(b"x"), b"x")


def test_jwk_with_d_only_recovers_the_primes(key: RsaKey) -> None:
    jwk = {k: v for k, v in key.to_jwk(include_private=True).items() if k in ("kty", "n", "e", "d")}
    assert key.verify(RsaKey.from_jwk(jwk).sign(b"x"), b"x")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"kty": "EC"}, "/kty"),
        ({"alg": "RS512"}, "/alg"),
        ({"use": "enc"}, "/use"),
        ({"e": "AQAB=="}, "/e"),
        ({"e": "AAEAAQ"}, "/e"),
        ({"n": 5}, "/n"),
        ({"e": "Ag"}, "/e"),
    ],
)
def test_bad_jwks(key: RsaKey, change: dict[str, object], path: str) -> None:
    with pytest.raises(KeyFormatError) as caught:
        RsaKey.from_jwk({**key.to_jwk(), **change})
    assert caught.value.path == path


def test_private_members_must_match(key: RsaKey) -> None:
    other = RsaKey.generate().to_jwk(include_private=True)
    mixed = {**other, "n": key.to_jwk()["n"]}
    with pytest.raises(KeyFormatError) as caught:
        RsaKey.from_jwk(mixed)
    assert caught.value.code == "key_mismatch"


def test_public_only_key_cannot_sign(key: RsaKey) -> None:
    public = key.public_key()
    assert not public.has_private_key
    with pytest.raises(KeyFormatError) as caught:
        public.sign(b"x")
    assert caught.value.code == "private_key_missing"
    with pytest.raises(KeyFormatError):
        public.to_jwk(include_private=True)


def test_repr_pickle_and_immutability(key: RsaKey) -> None:
    private_d = key.to_jwk(include_private=True)["d"]
    assert private_d not in repr(key)
    assert "private" in repr(key)
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(AttributeError):
        key._controller = "x"  # type: ignore[misc]
    assert copy.deepcopy(key) is key


def test_signatures_interoperate_with_pyjwt(key: RsaKey) -> None:
    """RS256 as a standard JOSE implementation (PyJWT) makes and checks it."""
    pem_key = pyjwt.PyJWK(key.to_jwk(include_private=True), algorithm="RS256")
    token = pyjwt.encode({"a": 1}, pem_key.key, algorithm="RS256")
    signing_input, _, signature = token.rpartition(".")
    from vcbadge._b64url import b64url_decode

    assert key.verify(b64url_decode(signature), signing_input.encode())
    ours = key.sign(signing_input.encode())
    public = pyjwt.PyJWK(key.to_jwk(), algorithm="RS256")
    from vcbadge._b64url import b64url_encode

    assert pyjwt.decode(f"{signing_input}.{b64url_encode(ours)}", public.key, algorithms=["RS256"])
