"""Ed25519 keys (RFC 8032) in the encodings Data Integrity uses: Multikey, JWK and did:key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from vcbadge._b64url import b64url_encode
from vcbadge.errors import KeyFormatError
from vcbadge.keys._base import (
    MultikeyBase,
    decode_jwk_octets,
)
from vcbadge.keys.multikey import encode_multikey

__all__ = ["Ed25519Key", "check_ed25519_public_key"]

_SIGNATURE_LENGTH = 64
_KEY_LENGTH = 32

_FIELD_PRIME = 2**255 - 19
_SIGN_BIT = 1 << 255
# The y coordinate of two of the four points of order 8 (the other two have p - y).
_ORDER_8_Y = 0x05FC536D880238B13933C6D305ACDFD5F098EFF289F4C345B027B2C28F95E826
_SMALL_ORDER_Y = frozenset({1, _FIELD_PRIME - 1, 0, _ORDER_8_Y, _FIELD_PRIME - _ORDER_8_Y})
"""y (mod p) of the eight points whose order divides the cofactor 8: the identity (1), the point
of order 2 (p - 1), the two of order 4 (0) and the four of order 8. A public key among them lets
a signature verify for any message (with the identity, R = identity and S = 0 always does)."""


def check_ed25519_public_key(raw: bytes) -> None:
    """Refuse a 32-byte Ed25519 public key no honest signer has.

    Every path that takes in a published Ed25519 key (Multikey, JWK, did:key, did:jwk,
    ``publicKeyBase58``) passes here, through :class:`Ed25519Key` or directly.

    Raises:
        KeyFormatError: ``weak_key`` for a point of small order (the identity and the seven
            other points whose order divides 8) in any encoding, canonical or not (``y >= p``,
            or the sign bit set on a point whose ``x`` is 0); ``key_format`` for another
            non-canonical encoding (``y >= p``), which RFC 8032 section 5.1.3 says to refuse.
    """
    if len(raw) != _KEY_LENGTH:
        raise KeyFormatError(f"an Ed25519 public key must be {_KEY_LENGTH} bytes")
    y = int.from_bytes(raw, "little") & (_SIGN_BIT - 1)
    if y % _FIELD_PRIME in _SMALL_ORDER_Y:
        raise KeyFormatError(
            "the Ed25519 public key is a point of small order: with it a signature can verify "
            "for any message",
            code="weak_key",
        )
    if y >= _FIELD_PRIME:
        raise KeyFormatError("the Ed25519 public key is not canonically encoded (y >= p)")


class Ed25519Key(MultikeyBase[Ed25519PublicKey, Ed25519PrivateKey]):
    """An immutable Ed25519 key pair, or a public key alone, with its controller identity.

    Build one with :meth:`generate`, :meth:`from_seed`, :meth:`from_public_bytes`,
    :meth:`from_multikey` or :meth:`from_jwk`. By default the key is its own did:key
    controller and its verification method is ``did:key:z6Mk…#z6Mk…``. Give ``controller``
    (for example a did:web) to sign as another identity: the verification method then
    becomes ``controller#<publicKeyMultibase>``, or ``key_id`` (absolute, or a ``#fragment``
    relative to the controller).

    A key with private material satisfies :class:`vcbadge.protocols.Signer`. Its ``repr``
    never shows private material; two keys are equal when their public key, controller and
    verification method are.
    """

    __slots__ = (
        "_controller",
        "_private",
        "_public",
        "_public_bytes",
        "_verification_method",
        "_verify_key",
    )

    _public_bytes: bytes
    _verify_key: VerifyKey

    _JWK_KTY = "OKP"
    _JWK_NAME = "an Ed25519"
    _MULTIKEY_CODECS = {"ed25519-pub": "ed25519-priv"}

    # Constructors

    @classmethod
    def generate(cls, *, controller: str | None = None, key_id: str | None = None) -> Ed25519Key:
        """A new random key pair (from the operating system's CSPRNG)."""
        return cls._from_private(Ed25519PrivateKey.generate(), controller, key_id)

    @classmethod
    def from_seed(
        cls, seed: bytes, *, controller: str | None = None, key_id: str | None = None
    ) -> Ed25519Key:
        """The key pair for a 32-byte RFC 8032 private key (seed)."""
        private = Ed25519PrivateKey.from_private_bytes(_key_bytes(seed, "seed"))
        return cls._from_private(private, controller, key_id)

    @classmethod
    def from_public_bytes(
        cls, raw: bytes, *, controller: str | None = None, key_id: str | None = None
    ) -> Ed25519Key:
        """A verify-only key from the 32-byte public key."""
        return cls(_public_key(_key_bytes(raw, "public key")), controller=controller, key_id=key_id)

    @classmethod
    def _public_from_multikey(cls, codec: str, raw: bytes) -> Ed25519PublicKey:
        return _public_key(raw)

    @classmethod
    def _private_from_multikey(cls, codec: str, raw: bytes) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(raw)

    @classmethod
    def _check_jwk_algorithm(cls, jwk: Mapping[str, Any]) -> None:
        if jwk.get("crv") != "Ed25519":
            cls._bad_jwk("crv must be 'Ed25519'", "/crv")
        if "alg" in jwk and jwk["alg"] not in ("EdDSA", "Ed25519"):
            cls._bad_jwk("alg must be 'EdDSA' or 'Ed25519'", "/alg")

    @classmethod
    def _keys_from_jwk(
        cls, jwk: Mapping[str, Any]
    ) -> tuple[Ed25519PublicKey, Ed25519PrivateKey | None]:
        x = decode_jwk_octets(jwk.get("x"), "x", _KEY_LENGTH, cls._bad_jwk)
        try:
            public = _public_key(x)
        except KeyFormatError as error:
            raise error.at("/x") from error
        if "d" not in jwk:
            return public, None
        private = Ed25519PrivateKey.from_private_bytes(
            decode_jwk_octets(jwk["d"], "d", _KEY_LENGTH, cls._bad_jwk)
        )
        if private.public_key().public_bytes_raw() != public.public_bytes_raw():
            raise KeyFormatError("JWK x is not the public key of d", code="key_mismatch", path="/x")
        return public, private

    @staticmethod
    def _public_of(private_key: Ed25519PrivateKey) -> Ed25519PublicKey:
        return private_key.public_key()

    def _public_slots(self, public_key: Ed25519PublicKey) -> dict[str, object]:
        raw = public_key.public_bytes_raw()
        check_ed25519_public_key(raw)
        return {"_public_bytes": raw, "_verify_key": VerifyKey(raw)}

    @staticmethod
    def _public_identity(public_key: Ed25519PublicKey) -> object:
        return public_key.public_bytes_raw()

    # Identity

    @property
    def algorithm(self) -> str:
        """``"Ed25519"``, the signature algorithm (part of the Signer protocol)."""
        return "Ed25519"

    @property
    def public_bytes(self) -> bytes:
        """The 32-byte public key."""
        return self._public_bytes

    @property
    def public_key_multibase(self) -> str:
        """The Multikey public key, ``z6Mk…``."""
        return encode_multikey("ed25519-pub", self._public_bytes)

    @property
    def secret_key_multibase(self) -> str:
        """The Multikey secret key (``ed25519-priv`` + seed), ``z3u2…``. Handle with care.

        Raises:
            KeyFormatError: ``private_key_missing`` for a verify-only key.
        """
        return encode_multikey("ed25519-priv", self._require_private().private_bytes_raw())

    # Operations

    def sign(self, data: bytes) -> bytes:
        """The 64-byte Ed25519 signature of ``data`` (deterministic).

        Raises:
            KeyFormatError: ``private_key_missing`` for a verify-only key.
        """
        return self._require_private().sign(data)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` is a valid signature of ``data``; never raises for a bad one.

        Verified by libsodium (PyNaCl), not OpenSSL: it takes half the time, and it is the
        stricter of the two. Besides what both refuse (``S`` not below the group order, an
        ``R`` that is not the encoding the check computes), libsodium refuses a signature whose
        ``R`` is a point of small order, which OpenSSL accepts. Only the key's owner can make
        one, but a verifier that accepts it lets that owner make signatures other verifiers
        read differently. Signing stays with ``cryptography``; Ed25519 signatures are
        deterministic, so the bytes signed are the same either way.
        """
        if not isinstance(signature, (bytes, bytearray)) or len(signature) != _SIGNATURE_LENGTH:
            return False
        try:
            self._verify_key.verify(bytes(data), bytes(signature))
        except BadSignatureError:
            return False
        return True

    # Documents

    def _public_jwk(self) -> dict[str, str]:
        # RFC 8037 section 2.
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(self._public_bytes)}

    def _private_jwk_members(self, private_key: Ed25519PrivateKey) -> dict[str, str]:
        # RFC 8037's d is the 32-byte seed.
        return {"d": b64url_encode(private_key.private_bytes_raw())}

    # Object protocol

    def _identity(self) -> tuple[bytes, str, str]:
        return (self._public_bytes, self._controller, self._verification_method)

    def __repr__(self) -> str:
        kind = "private" if self._private is not None else "public"
        return f"Ed25519Key({kind}, verification_method={self._verification_method!r})"


def _public_key(raw: bytes) -> Ed25519PublicKey:
    check_ed25519_public_key(raw)
    try:
        return Ed25519PublicKey.from_public_bytes(raw)
    except ValueError as exc:
        raise KeyFormatError(f"invalid Ed25519 public key: {exc}") from None


def _key_bytes(value: object, what: str) -> bytes:
    if not isinstance(value, (bytes, bytearray)) or len(value) != _KEY_LENGTH:
        raise KeyFormatError(f"an Ed25519 {what} must be {_KEY_LENGTH} bytes")
    return bytes(value)
