"""EcKey: P-256 and P-384 constructors, encodings, deterministic signing, identity."""

from __future__ import annotations

import copy
import json
import pickle
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from di_vectors import read_json
from hypothesis import given, settings
from hypothesis import strategies as st

from vcbadge.errors import KeyFormatError
from vcbadge.keys import EcKey, Ed25519Key, load_key, save_key
from vcbadge.protocols import Signer

# RFC 6979 A.2.5 (P-256) and A.2.6 (P-384): private key and the deterministic signatures of
# "sample" with SHA-256 / SHA-384.
RFC6979 = {
    "P-256": (
        "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721",
        "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
        "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    ),
    "P-384": (
        "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
        "96D5724E4C70A825F872C9EA60D2EDF5",
        "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
        "81A648152E44ACF96E36DD1E80FABE46"
        "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
        "A329C145786E679E7B82C71A38628AC8",
    ),
}


@pytest.mark.parametrize("curve", ["P-256", "P-384"])
def test_rfc6979_deterministic_signature(curve: str) -> None:
    scalar, signature = RFC6979[curve]
    key = EcKey.from_private_scalar(bytes.fromhex(scalar), curve)
    assert key.sign(b"sample") == bytes.fromhex(signature)
    assert key.verify(bytes.fromhex(signature), b"sample")


@pytest.mark.parametrize(("curve", "prefix", "size"), [("P-256", "zDn", 64), ("P-384", "z82", 96)])
def test_defaults_are_did_key(curve: str, prefix: str, size: int) -> None:
    key = EcKey.generate(curve)
    fingerprint = key.public_key_multibase
    assert fingerprint.startswith(prefix)
    assert key.did == f"did:key:{fingerprint}"
    assert key.controller == key.did
    assert key.verification_method == f"{key.did}#{fingerprint}"
    assert key.curve == key.algorithm == curve
    assert key.jws_algorithm == ("ES256" if curve == "P-256" else "ES384")
    assert isinstance(key, Signer)
    signature = key.sign(b"data")
    assert len(signature) == size
    assert key.verify(signature, b"data")
    assert not key.verify(signature, b"other")


@pytest.mark.parametrize("curve", ["P-256", "P-384"])
def test_signature_interoperates_with_cryptography(curve: str) -> None:
    # r || s decoded back to DER verifies with the hash the curve implies (ES256 / ES384).
    key = EcKey.generate(curve)
    signature = key.sign(b"payload")
    half = len(signature) // 2
    r, s = int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    public = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1() if curve == "P-256" else ec.SECP384R1(), key.public_bytes
    )
    algorithm = hashes.SHA256() if curve == "P-256" else hashes.SHA384()
    public.verify(encode_dss_signature(r, s), b"payload", ec.ECDSA(algorithm))


def test_verify_refuses_der_and_wrong_lengths_without_raising() -> None:
    key = EcKey.generate("P-256")
    private = ec.derive_private_key(
        int.from_bytes(bytes.fromhex(RFC6979["P-256"][0]), "big"), ec.SECP256R1()
    )
    der = private.sign(b"x", ec.ECDSA(hashes.SHA256()))
    assert decode_dss_signature(der)
    for bad in (der, b"", bytes(63), bytes(64), bytes(96), "not bytes"):
        assert key.verify(bad, b"x") is False  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["p256KeyPair.json", "p384KeyPair.json"])
def test_w3c_vector_key_pairs_round_trip(reference: Path, name: str) -> None:
    pair = read_json(reference / "vectors/vc-di-ecdsa/TestVectors" / name)
    key = EcKey.from_multikey(pair["publicKeyMultibase"], pair["secretKeyMultibase"])
    assert key.public_key_multibase == pair["publicKeyMultibase"]
    assert key.secret_key_multibase == pair["secretKeyMultibase"]
    assert EcKey.from_multikey(pair["publicKeyMultibase"]) == key.public_key()


@pytest.mark.parametrize("curve", ["P-256", "P-384"])
def test_jwk_round_trip(curve: str) -> None:
    key = EcKey.generate(curve)
    public_jwk = key.to_jwk()
    assert set(public_jwk) == {"kty", "crv", "x", "y"}
    assert EcKey.from_jwk(public_jwk) == key.public_key()
    assert not EcKey.from_jwk(public_jwk).has_private_key
    private_jwk = key.to_jwk(include_private=True)
    restored = EcKey.from_jwk(private_jwk)
    assert restored.sign(b"m") == key.sign(b"m")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"kty": "OKP"}, "/kty"),
        ({"crv": "P-521"}, "/crv"),
        ({"alg": "ES384"}, "/alg"),
        ({"use": "enc"}, "/use"),
        ({"x": "AA"}, "/x"),
        ({"y": "!!"}, "/y"),
    ],
)
def test_bad_jwks_name_the_member(change: dict[str, str], path: str) -> None:
    jwk = {**EcKey.generate("P-256").to_jwk(), **change}
    with pytest.raises(KeyFormatError) as info:
        EcKey.from_jwk(jwk)
    assert info.value.path == path


def test_point_not_on_curve_is_refused() -> None:
    jwk = EcKey.generate("P-256").to_jwk()
    jwk["y"] = jwk["x"]
    with pytest.raises(KeyFormatError) as info:
        EcKey.from_jwk(jwk)
    assert "not a point" in info.value.message


def test_mismatched_secret_is_refused() -> None:
    one, two = EcKey.generate("P-256"), EcKey.generate("P-256")
    with pytest.raises(KeyFormatError) as info:
        EcKey.from_multikey(one.public_key_multibase, two.secret_key_multibase)
    assert info.value.code == "key_mismatch"
    jwk = {**one.to_jwk(), "d": two.to_jwk(include_private=True)["d"]}
    with pytest.raises(KeyFormatError) as info:
        EcKey.from_jwk(jwk)
    assert info.value.code == "key_mismatch"


def test_other_key_types_are_refused() -> None:
    ed = Ed25519Key.generate()
    with pytest.raises(KeyFormatError):
        EcKey.from_multikey(ed.public_key_multibase)
    with pytest.raises(KeyFormatError):
        EcKey.from_jwk(ed.to_jwk())
    with pytest.raises(KeyFormatError):
        EcKey.generate("secp256k1")


@pytest.mark.parametrize(("scalar", "curve"), [(0, "P-256"), (bytes(31), "P-256"), (-1, "P-384")])
def test_bad_scalars_are_refused_without_echoing_them(scalar: int | bytes, curve: str) -> None:
    with pytest.raises(KeyFormatError) as info:
        EcKey.from_private_scalar(scalar, curve)
    assert str(scalar) not in info.value.message or scalar == 0


def test_identity_controller_and_verify_only() -> None:
    key = EcKey.from_private_scalar(7, "P-256", controller="did:web:example.edu", key_id="#k1")
    assert key.verification_method == "did:web:example.edu#k1"
    public = key.public_key()
    assert public == key
    assert hash(public) == hash(key)
    assert not public.has_private_key
    with pytest.raises(KeyFormatError) as info:
        public.sign(b"x")
    assert info.value.code == "private_key_missing"
    with pytest.raises(KeyFormatError):
        EcKey.from_private_scalar(7, "P-256", controller=EcKey.generate().did)
    document = key.to_multikey_document()
    assert document["type"] == "Multikey"
    assert document["controller"] == "did:web:example.edu"


def test_secrets_do_not_leak() -> None:
    key = EcKey.from_private_scalar(12345, "P-384")
    assert "private" in repr(key)
    assert key.secret_key_multibase not in repr(key)
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(AttributeError):
        key._private = None  # type: ignore[misc]
    assert copy.deepcopy(key) is key


@pytest.mark.parametrize("curve", ["P-256", "P-384"])
def test_key_file_round_trip(tmp_path: Path, curve: str) -> None:
    key = EcKey.generate(curve, controller="did:web:example.edu")
    target = tmp_path / "key.json"
    save_key(key, target)
    assert json.loads(target.read_text())["type"] == curve
    loaded = load_key(target)
    assert isinstance(loaded, EcKey)
    assert loaded == key
    assert loaded.sign(b"m") == key.sign(b"m")


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=256), curve=st.sampled_from(["P-256", "P-384"]))
def test_sign_verify_property(data: bytes, curve: str) -> None:
    key = _KEYS[curve]
    signature = key.sign(data)
    assert key.verify(signature, data)
    assert not key.verify(signature, data + b"\x00")
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not key.verify(flipped, data)


_KEYS = {curve: EcKey.from_private_scalar(99, curve) for curve in ("P-256", "P-384")}
