"""Ed25519 keys (RFC 8032) in the encodings Data Integrity uses: Multikey, JWK and did:key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from vcbadge._b64url import b64url_encode
from vcbadge.errors import KeyFormatError
from vcbadge.keys._base import (
    MultikeyBase,
    decode_jwk_octets,
)
from vcbadge.keys.multikey import decode_multikey, encode_multikey

__all__ = ["Ed25519Key"]

_SIGNATURE_LENGTH = 64


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

    __slots__ = ("_controller", "_private", "_public", "_public_bytes", "_verification_method")

    _public_bytes: bytes

    def __init__(
        self,
        public_key: Ed25519PublicKey,
        private_key: Ed25519PrivateKey | None = None,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> None:
        """Wrap ``cryptography`` key objects; prefer the ``from_*`` constructors."""
        public_bytes = public_key.public_bytes_raw()
        if private_key is not None and private_key.public_key().public_bytes_raw() != public_bytes:
            raise KeyFormatError("private key does not match public key", code="key_mismatch")
        self._bind_did_key(
            public_key,
            private_key,
            encode_multikey("ed25519-pub", public_bytes),
            controller,
            key_id,
            _public_bytes=public_bytes,
        )

    # Constructors

    @classmethod
    def generate(cls, *, controller: str | None = None, key_id: str | None = None) -> Ed25519Key:
        """A new random key pair (from the operating system's CSPRNG)."""
        private = Ed25519PrivateKey.generate()
        return cls(private.public_key(), private, controller=controller, key_id=key_id)

    @classmethod
    def from_seed(
        cls, seed: bytes, *, controller: str | None = None, key_id: str | None = None
    ) -> Ed25519Key:
        """The key pair for a 32-byte RFC 8032 private key (seed)."""
        if not isinstance(seed, (bytes, bytearray)) or len(seed) != 32:
            raise KeyFormatError("an Ed25519 seed must be 32 bytes")
        private = Ed25519PrivateKey.from_private_bytes(bytes(seed))
        return cls(private.public_key(), private, controller=controller, key_id=key_id)

    @classmethod
    def from_public_bytes(
        cls, raw: bytes, *, controller: str | None = None, key_id: str | None = None
    ) -> Ed25519Key:
        """A verify-only key from the 32-byte public key."""
        if not isinstance(raw, (bytes, bytearray)) or len(raw) != 32:
            raise KeyFormatError("an Ed25519 public key must be 32 bytes")
        try:
            public = Ed25519PublicKey.from_public_bytes(bytes(raw))
        except ValueError as exc:
            raise KeyFormatError(f"invalid Ed25519 public key: {exc}") from None
        return cls(public, controller=controller, key_id=key_id)

    @classmethod
    def from_multikey(
        cls,
        public_key_multibase: str,
        secret_key_multibase: str | None = None,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> Ed25519Key:
        """A key from ``publicKeyMultibase`` (``z6Mk…``) and optionally ``secretKeyMultibase``.

        Raises:
            KeyFormatError: ``key_format`` for a malformed or non-Ed25519 value,
                ``key_mismatch`` when the secret key does not belong to the public key.
        """
        _, public_raw = decode_multikey(public_key_multibase, codec="ed25519-pub")
        if secret_key_multibase is None:
            return cls.from_public_bytes(public_raw, controller=controller, key_id=key_id)
        _, seed = decode_multikey(secret_key_multibase, codec="ed25519-priv")
        private = Ed25519PrivateKey.from_private_bytes(seed)
        if private.public_key().public_bytes_raw() != public_raw:
            raise KeyFormatError(
                "secretKeyMultibase does not belong to publicKeyMultibase", code="key_mismatch"
            )
        return cls(private.public_key(), private, controller=controller, key_id=key_id)

    @classmethod
    def from_jwk(
        cls,
        jwk: Mapping[str, Any],
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> Ed25519Key:
        """A key from an RFC 8037 ``OKP`` / ``Ed25519`` JWK, with or without ``d``.

        Raises:
            KeyFormatError: ``key_format`` (``path`` names the member) for a JWK that is not
                an Ed25519 signing key or is badly encoded; ``key_mismatch`` when ``x`` is
                not the public key of ``d``.
        """
        if not isinstance(jwk, Mapping):
            raise KeyFormatError("a JWK must be a JSON object")
        if jwk.get("kty") != "OKP":
            _bad_jwk("kty must be 'OKP'", "/kty")
        if jwk.get("crv") != "Ed25519":
            _bad_jwk("crv must be 'Ed25519'", "/crv")
        if "alg" in jwk and jwk["alg"] not in ("EdDSA", "Ed25519"):
            _bad_jwk("alg must be 'EdDSA' or 'Ed25519'", "/alg")
        if "use" in jwk and jwk["use"] != "sig":
            _bad_jwk("use must be 'sig'", "/use")
        public_raw = decode_jwk_octets(jwk.get("x"), "x", 32, _bad_jwk)
        if "d" not in jwk:
            return cls.from_public_bytes(public_raw, controller=controller, key_id=key_id)
        seed = decode_jwk_octets(jwk["d"], "d", 32, _bad_jwk)
        private = Ed25519PrivateKey.from_private_bytes(seed)
        if private.public_key().public_bytes_raw() != public_raw:
            raise KeyFormatError("JWK x is not the public key of d", code="key_mismatch", path="/x")
        return cls(private.public_key(), private, controller=controller, key_id=key_id)

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
        """Whether ``signature`` is a valid signature of ``data``; never raises for a bad one."""
        if not isinstance(signature, (bytes, bytearray)) or len(signature) != _SIGNATURE_LENGTH:
            return False
        try:
            self._public.verify(bytes(signature), data)
        except InvalidSignature:
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


def _bad_jwk(message: str, path: str) -> NoReturn:
    raise KeyFormatError(f"not an Ed25519 JWK: {message}", path=path)
