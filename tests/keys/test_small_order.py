"""Ed25519 public keys of small order are refused with ``weak_key`` wherever a key enters.

With a point of small order as public key, a signature can verify for any message (with the
identity, R = identity and S = 0 always does, and OpenSSL accepts it: measured below). The eight
points and their encodings are computed here with plain curve arithmetic, independently of the
constants in :mod:`vcbadge.keys.ed25519`. At the end: a signature whose R is the identity,
which the key's owner can make and only libsodium refuses.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from jose_helpers import failed, forge, unsigned
from multiformats import multibase
from signing import sign_eddsa

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge._b64url import b64url_encode
from vcbadge.errors import DIDResolutionError, KeyFormatError
from vcbadge.keys import Ed25519Key, encode_multikey
from vcbadge.keys.ed25519 import check_ed25519_public_key
from vcbadge.keys.public_keys import public_key_from_jwk, public_key_from_method
from vcbadge.proofs.jwt import claims_for
from vcbadge.proofs.suites.ed25519_signature_2018 import Ed25519Signature2018
from vcbadge.resolve.did_jwk import decode_did_jwk
from vcbadge.resolve.did_key import resolve_did_key

# -- edwards25519, just enough to find the points of small order ---------------------------

P = 2**255 - 19
D = -121665 * pow(121666, -1, P) % P
ORDER = 2**252 + 27742317777372353535851937790883648493  # of the prime-order subgroup
SQRT_MINUS_ONE = pow(2, (P - 1) // 4, P)
IDENTITY = (0, 1)
Point = tuple[int, int]


def add(a: Point, b: Point) -> Point:
    (x1, y1), (x2, y2) = a, b
    t = D * x1 * x2 * y1 * y2 % P
    return (
        (x1 * y2 + y1 * x2) * pow(1 + t, -1, P) % P,
        (y1 * y2 + x1 * x2) * pow(1 - t, -1, P) % P,
    )


def multiply(k: int, point: Point) -> Point:
    result = IDENTITY
    while k:
        if k & 1:
            result = add(result, point)
        point, k = add(point, point), k >> 1
    return result


def x_for(y: int) -> int | None:
    """An x with (x, y) on the curve, or None."""
    u = (y * y - 1) * pow(D * y * y + 1, -1, P) % P
    x = pow(u, (P + 3) // 8, P)
    if x * x % P != u:
        x = x * SQRT_MINUS_ONE % P
    return x if x * x % P == u else None


def small_order_points() -> list[Point]:
    """The 8 points whose order divides the cofactor: multiples of a point of order 8, found
    by multiplying curve points by the prime subgroup order (which kills their large part)."""
    y = 2
    while True:
        x = x_for(y)
        if x is not None:
            torsion = multiply(ORDER, (x, y))
            if multiply(4, torsion) != IDENTITY:  # of order exactly 8: it generates them all
                return [multiply(k, torsion) for k in range(8)]
        y += 1


def encode(y: int, sign: int) -> bytes:
    return (y | sign << 255).to_bytes(32, "little")


def small_order_encodings() -> dict[str, bytes]:
    """Every 32-byte string that decodes (leniently) to a small-order point."""
    encodings: dict[str, bytes] = {}
    for index, (x, y) in enumerate(small_order_points()):
        encodings[f"point{index}"] = encode(y, x & 1)
        if y + P < 2**255:
            encodings[f"point{index}-y+p"] = encode(y + P, x & 1)
        if x == 0:
            encodings[f"point{index}-sign"] = encode(y, 1)
            if y + P < 2**255:
                encodings[f"point{index}-y+p-sign"] = encode(y + P, 1)
    return encodings


POINTS = small_order_points()
ENCODINGS = small_order_encodings()
CANONICAL = {name: raw for name, raw in ENCODINGS.items() if "-" not in name}
IDENTITY_KEY = encode(1, 0)
FORGED_SIGNATURE = IDENTITY_KEY + bytes(32)  # R = identity, S = 0
all_encodings = pytest.mark.parametrize("raw", list(ENCODINGS.values()), ids=list(ENCODINGS))
canonical_encodings = pytest.mark.parametrize("raw", list(CANONICAL.values()), ids=list(CANONICAL))


def test_the_computed_points_are_the_eight_of_small_order() -> None:
    assert len(set(POINTS)) == 8
    assert all(multiply(8, point) == IDENTITY for point in POINTS)
    assert {x for x, _ in POINTS if x == 0} == {0}
    # identity, order 2 (x = 0, two encodings each: canonical, sign set, and y + p for y = 1);
    # order 4 (y = 0: y and y + p); order 8 (y too large for y + p).
    assert len(ENCODINGS) == 14


def test_openssl_accepts_the_universal_forgery() -> None:
    """Why the check is needed: the identity key verifies (R = identity, S = 0) for any
    message in the ``cryptography`` library vcbadge uses."""
    key = Ed25519PublicKey.from_public_bytes(IDENTITY_KEY)
    for message in (b"a badge", b"any other message"):
        key.verify(FORGED_SIGNATURE, message)  # raises InvalidSignature if OpenSSL refuses


@all_encodings
def test_check_refuses_every_encoding(raw: bytes) -> None:
    with pytest.raises(KeyFormatError) as refused:
        check_ed25519_public_key(raw)
    assert refused.value.code == "weak_key"


def test_check_accepts_an_ordinary_key_and_refuses_other_non_canonical_ones() -> None:
    check_ed25519_public_key(Ed25519Key.generate().public_bytes)
    # Another non-canonical encoding (y >= p of a point of large order) is malformed, not weak.
    y = next(y for y in range(2, 19) if x_for(y) is not None and (x_for(y), y) not in POINTS)
    with pytest.raises(KeyFormatError) as refused:
        check_ed25519_public_key(encode(y + P, 0))
    assert refused.value.code == "key_format"
    with pytest.raises(KeyFormatError) as short:
        check_ed25519_public_key(bytes(31))
    assert short.value.code == "key_format"


@all_encodings
def test_raw_public_key(raw: bytes) -> None:
    with pytest.raises(KeyFormatError) as refused:
        Ed25519Key.from_public_bytes(raw)
    assert refused.value.code == "weak_key"


@canonical_encodings
def test_constructor_with_a_cryptography_key(raw: bytes) -> None:
    with pytest.raises(KeyFormatError) as refused:
        Ed25519Key(Ed25519PublicKey.from_public_bytes(raw))
    assert refused.value.code == "weak_key"


@all_encodings
def test_multikey(raw: bytes) -> None:
    multikey = encode_multikey("ed25519-pub", raw)
    with pytest.raises(KeyFormatError) as refused:
        Ed25519Key.from_multikey(multikey)
    assert refused.value.code == "weak_key"
    for method_type in ("Multikey", "Ed25519VerificationKey2020"):
        method = {"type": method_type, "publicKeyMultibase": multikey}
        with pytest.raises(KeyFormatError) as in_method:
            public_key_from_method(method, path="/verificationMethod")
        assert (in_method.value.code, in_method.value.path) == ("weak_key", "/verificationMethod")


def _jwk(raw: bytes) -> dict[str, str]:
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}


@all_encodings
def test_jwk(raw: bytes) -> None:
    with pytest.raises(KeyFormatError) as refused:
        public_key_from_jwk(_jwk(raw), path="/header/jwk")
    assert (refused.value.code, refused.value.path) == ("weak_key", "/header/jwk/x")
    method = {"type": "JsonWebKey", "publicKeyJwk": _jwk(raw)}
    with pytest.raises(KeyFormatError) as in_method:
        public_key_from_method(method, path="/m")
    assert (in_method.value.code, in_method.value.path) == ("weak_key", "/m/x")


@all_encodings
def test_did_key(raw: bytes) -> None:
    with pytest.raises(KeyFormatError) as refused:
        resolve_did_key("did:key:" + encode_multikey("ed25519-pub", raw))
    assert refused.value.code == "weak_key"


@all_encodings
def test_did_jwk(raw: bytes) -> None:
    did = "did:jwk:" + b64url_encode(json.dumps(_jwk(raw)).encode())
    with pytest.raises(KeyFormatError) as refused:
        decode_did_jwk(did)
    assert refused.value.code == "weak_key"


def test_non_canonical_ordinary_key_in_a_did_is_malformed() -> None:
    y = next(y for y in range(2, 19) if x_for(y) is not None and (x_for(y), y) not in POINTS)
    raw = encode(y + P, 0)
    with pytest.raises(DIDResolutionError) as did_key:
        resolve_did_key("did:key:" + encode_multikey("ed25519-pub", raw))
    assert did_key.value.code == "invalid_did"
    with pytest.raises(DIDResolutionError) as did_jwk:
        decode_did_jwk("did:jwk:" + b64url_encode(json.dumps(_jwk(raw)).encode()))
    assert did_jwk.value.code == "invalid_did"


def _base58_method(raw: bytes) -> dict[str, str]:
    return {
        "type": "Ed25519VerificationKey2018",
        "publicKeyBase58": multibase.encode(raw, "base58btc")[1:],
    }


@canonical_encodings
def test_publickeybase58_is_refused(raw: bytes) -> None:
    with pytest.raises(KeyFormatError):
        Ed25519Signature2018().public_key_from_method(_base58_method(raw), path="/m")


def test_publickeybase58_says_weak_key() -> None:
    with pytest.raises(KeyFormatError) as refused:
        Ed25519Signature2018().public_key_from_method(_base58_method(IDENTITY_KEY), path="/m")
    assert refused.value.code == "weak_key"


# -- end to end: a credential "signed" with the identity key ------------------------------

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
IDENTITY_DID = "did:key:" + encode_multikey("ed25519-pub", IDENTITY_KEY)
IDENTITY_METHOD = f"{IDENTITY_DID}#{IDENTITY_DID.removeprefix('did:key:')}"
ISSUER_URL = "https://issuer.example.org/keys"


@dataclass(frozen=True)
class ForgingSigner:
    """Signs anything with R = identity, S = 0: valid for the identity key without a secret."""

    verification_method: str
    controller: str
    algorithm: str = "Ed25519"

    def sign(self, data: bytes) -> bytes:
        return FORGED_SIGNATURE


def _forged_credential(signer: ForgingSigner) -> dict[str, Any]:
    credential = {**unsigned(), "issuer": signer.controller, "validFrom": "2025-01-01T00:00:00Z"}
    return sign_eddsa(credential, signer, created=NOW)


def test_forged_credential_with_an_identity_did_key_is_invalid() -> None:
    credential = _forged_credential(ForgingSigner(IDENTITY_METHOD, IDENTITY_DID))
    result = Verifier.offline(clock=FixedClock(NOW)).verify(credential)
    assert result.outcome is Outcome.INVALID
    assert ("proof", "weak_key", "/proof/verificationMethod") in failed(result)


@pytest.mark.parametrize(
    "published",
    [
        {"type": "Multikey", "publicKeyMultibase": encode_multikey("ed25519-pub", IDENTITY_KEY)},
        {"type": "JsonWebKey", "publicKeyJwk": _jwk(IDENTITY_KEY)},
    ],
    ids=["multikey", "jwk"],
)
def test_forged_credential_with_a_controller_document_key_is_invalid(
    published: dict[str, Any],
) -> None:
    method_id = f"{ISSUER_URL}#key-1"
    document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": ISSUER_URL,
        "verificationMethod": [{"id": method_id, "controller": ISSUER_URL, **published}],
        "assertionMethod": [method_id],
    }
    credential = _forged_credential(ForgingSigner(method_id, ISSUER_URL))
    verifier = Verifier.offline(documents={ISSUER_URL: document}, clock=FixedClock(NOW))
    result = verifier.verify(credential)
    assert result.outcome is Outcome.INVALID
    assert [(c.name, c.code) for c in result.failed] == [("proof", "weak_key")]


def _jwt(header: dict[str, Any], issuer: str) -> str:
    credential = {**unsigned("1.1"), "issuer": issuer, "issuanceDate": "2025-01-01T00:00:00Z"}
    payload = {**claims_for(credential), "vc": credential}
    token = forge({"alg": "EdDSA", "typ": "JWT", **header}, payload, None)
    # The forged signature, which OpenSSL accepts for the identity key and any signing input.
    return token + b64url_encode(FORGED_SIGNATURE)


def test_jwt_from_a_did_jwk_issuer_with_the_identity_key_is_invalid() -> None:
    issuer = "did:jwk:" + b64url_encode(json.dumps(_jwk(IDENTITY_KEY)).encode())
    token = _jwt({"kid": f"{issuer}#0"}, issuer)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(token)
    assert result.outcome is Outcome.INVALID
    assert failed(result) == [("jwt_key", "weak_key", "/header/kid")]


def test_jwt_with_the_identity_key_in_its_jwk_header_is_invalid() -> None:
    issuer = "did:jwk:" + b64url_encode(json.dumps(_jwk(IDENTITY_KEY)).encode())
    token = _jwt({"jwk": _jwk(IDENTITY_KEY)}, issuer)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(token)
    assert result.outcome is Outcome.INVALID
    assert failed(result) == [("jwt_key", "weak_key", "/header/jwk/x")]


def test_the_forged_signature_is_what_openssl_would_accept_for_a_jwt() -> None:
    """The JWT tests above are meaningful: without the key check, the signature would pass."""
    token = _jwt({"jwk": _jwk(IDENTITY_KEY)}, "did:example:issuer")
    signing_input = token.rsplit(".", 1)[0].encode()
    try:
        Ed25519PublicKey.from_public_bytes(IDENTITY_KEY).verify(FORGED_SIGNATURE, signing_input)
    except InvalidSignature:  # pragma: no cover - would mean OpenSSL refuses it itself
        pytest.fail("OpenSSL refused the forged signature")


# -- a signature whose R is the identity, by the key's owner ------------------------------
#
# With an ordinary key, S = k * a (k the challenge hash, a the secret scalar) makes a signature
# with R = identity that the cofactorless equation [S]B = R + [k]A accepts for any message the
# owner picks: OpenSSL takes it, libsodium (which vcbadge verifies with) refuses a small-order
# R. Computed here from RFC 8032 section 5.1.5 and 5.1.6, not by any library.

OWNER_SEED = bytes(range(32))


def _owner_scalar(seed: bytes) -> int:
    digest = bytearray(hashlib.sha512(seed).digest()[:32])
    digest[0] &= 248
    digest[31] &= 127
    digest[31] |= 64
    return int.from_bytes(digest, "little")


def identity_r_signature(seed: bytes, public: bytes, message: bytes) -> bytes:
    challenge = hashlib.sha512(IDENTITY_KEY + public + message).digest()
    k = int.from_bytes(challenge, "little") % ORDER
    return IDENTITY_KEY + (k * _owner_scalar(seed) % ORDER).to_bytes(32, "little")


def test_openssl_accepts_an_identity_r_signature_vcbadge_refuses() -> None:
    owner = Ed25519Key.from_seed(OWNER_SEED)
    message = b"a badge"
    signature = identity_r_signature(OWNER_SEED, owner.public_bytes, message)
    # The premise: the signature is well formed and OpenSSL's equation holds.
    Ed25519PublicKey.from_public_bytes(owner.public_bytes).verify(signature, message)
    assert owner.verify(signature, message) is False
    assert owner.verify(owner.sign(message), message) is True


@dataclass(frozen=True)
class IdentityRSigner:
    """The key's owner signing with R = identity."""

    key: Ed25519Key
    algorithm: str = "Ed25519"

    @property
    def verification_method(self) -> str:
        return self.key.verification_method

    @property
    def controller(self) -> str:
        return self.key.controller

    def sign(self, data: bytes) -> bytes:
        return identity_r_signature(OWNER_SEED, self.key.public_bytes, data)


def test_credential_with_an_identity_r_signature_is_invalid() -> None:
    owner = Ed25519Key.from_seed(OWNER_SEED)
    credential = {**unsigned(), "issuer": owner.controller, "validFrom": "2025-01-01T00:00:00Z"}
    signed = sign_eddsa(credential, IdentityRSigner(owner), created=NOW)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(signed)
    assert result.outcome is Outcome.INVALID
    assert [(c.name, c.code) for c in result.failed] == [("proof", "invalid_signature")]
    honest = sign_eddsa(credential, owner, created=NOW)
    assert Verifier.offline(clock=FixedClock(NOW)).verify(honest).outcome is Outcome.VALID
