"""One set of rules for reading a published public key (vcbadge.keys.public_keys)."""

from __future__ import annotations

import pytest

from vcbadge.errors import KeyFormatError, UnsupportedError
from vcbadge.keys import EcKey, Ed25519Key
from vcbadge.keys.multikey import encode_multikey
from vcbadge.keys.public_keys import (
    PRIVATE_JWK_MEMBERS,
    private_jwk_members,
    public_key_from_jwk,
    public_key_from_method,
    published_key_algorithm,
)


def test_every_private_and_symmetric_member_is_listed() -> None:
    assert set(PRIVATE_JWK_MEMBERS) == {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
    assert private_jwk_members({"kty": "RSA", "n": "x", "e": "AQAB", "oth": []}) == ["oth"]


def test_a_jwk_with_private_material_is_refused_at_the_member() -> None:
    jwk = Ed25519Key.generate().to_jwk(include_private=True)
    with pytest.raises(KeyFormatError) as refused:
        public_key_from_jwk(jwk, path="/verificationMethod/0/publicKeyJwk")
    assert refused.value.path == "/verificationMethod/0/publicKeyJwk/d"


def test_a_method_reads_a_multikey_or_a_jwk() -> None:
    key = EcKey.generate("P-384")
    by_multikey = public_key_from_method({"publicKeyMultibase": key.public_key_multibase})
    by_jwk = public_key_from_method({"publicKeyJwk": key.to_jwk()})
    assert by_multikey.to_jwk() == by_jwk.to_jwk() == key.to_jwk()
    assert published_key_algorithm({"publicKeyJwk": key.to_jwk()}) == "P-384"


def test_a_method_publishing_its_key_twice_or_not_at_all_is_refused() -> None:
    key = Ed25519Key.generate()
    both = {"publicKeyMultibase": key.public_key_multibase, "publicKeyJwk": key.to_jwk()}
    with pytest.raises(KeyFormatError, match="both"):
        public_key_from_method(both, path="/m")
    with pytest.raises(KeyFormatError, match="neither"):
        public_key_from_method({"type": "Multikey"}, path="/m")


def test_a_key_type_that_cannot_verify_is_unsupported() -> None:
    with pytest.raises(UnsupportedError) as refused:
        public_key_from_jwk({"kty": "EC", "crv": "P-521", "x": "AA", "y": "AA"})
    assert refused.value.code == "unsupported_key_type"
    assert published_key_algorithm({"publicKeyJwk": {"kty": "EC", "crv": "P-521"}}) == "EC/P-521"


def test_a_refused_multikey_is_refused_every_time_and_a_cached_key_is_the_same_key() -> None:
    """The Multikey reader is cached by string: refusals are never cached, and the key served
    from the cache is the one the string encodes, at the path of each caller."""
    ed25519_identity = encode_multikey("ed25519-pub", (1).to_bytes(32, "little"))  # small order
    for path in ("/a", "/b"):
        with pytest.raises(KeyFormatError) as refused:
            public_key_from_method({"publicKeyMultibase": ed25519_identity}, path=path)
        assert refused.value.code == "weak_key"
        assert refused.value.path == path
    key = Ed25519Key.generate()
    first = public_key_from_method({"publicKeyMultibase": key.public_key_multibase})
    second = public_key_from_method({"publicKeyMultibase": key.public_key_multibase})
    assert first.to_jwk() == second.to_jwk() == key.to_jwk()
