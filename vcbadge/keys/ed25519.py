"""Ed25519 keys (RFC 8032) in the encodings Data Integrity uses: Multikey, JWK and did:key."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any, NoReturn

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from vcbadge.errors import KeyFormatError
from vcbadge.keys.multikey import decode_multikey, encode_multikey

__all__ = ["Ed25519Key"]

_DID_KEY_PREFIX = "did:key:"
_MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"
_SIGNATURE_LENGTH = 64
_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")


class Ed25519Key:
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

    _controller: str
    _private: Ed25519PrivateKey | None
    _public: Ed25519PublicKey
    _public_bytes: bytes
    _verification_method: str

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
        fingerprint = encode_multikey("ed25519-pub", public_bytes)
        did = _DID_KEY_PREFIX + fingerprint
        if controller is None:
            controller = did
        _check_identifier(controller, "controller")
        if "#" in controller:
            raise KeyFormatError(f"controller must not have a fragment: {controller!r}")
        if controller.startswith(_DID_KEY_PREFIX) and controller != did:
            raise KeyFormatError(
                "controller is the did:key of a different key", code="key_mismatch"
            )
        if key_id is None:
            verification_method = f"{controller}#{fingerprint}"
        elif key_id.startswith("#"):
            verification_method = controller + key_id
        else:
            verification_method = key_id
        _check_identifier(verification_method, "key_id")
        setattr_ = object.__setattr__
        setattr_(self, "_public", public_key)
        setattr_(self, "_private", private_key)
        setattr_(self, "_public_bytes", public_bytes)
        setattr_(self, "_controller", controller)
        setattr_(self, "_verification_method", verification_method)

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
        public_raw = _b64url_decode(jwk.get("x"), "x")
        if "d" not in jwk:
            return cls.from_public_bytes(public_raw, controller=controller, key_id=key_id)
        seed = _b64url_decode(jwk["d"], "d")
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
    def has_private_key(self) -> bool:
        """Whether this key can sign."""
        return self._private is not None

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

    @property
    def did(self) -> str:
        """The did:key DID of the public key, whatever the controller."""
        return _DID_KEY_PREFIX + self.public_key_multibase

    @property
    def controller(self) -> str:
        """The controller DID or URL (the did:key unless another was given)."""
        return self._controller

    @property
    def verification_method(self) -> str:
        """The absolute id under which verifiers find this key (part of the Signer protocol)."""
        return self._verification_method

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

    def to_multikey_document(self) -> dict[str, Any]:
        """This key as a ``Multikey`` verification method (public key only)."""
        return {
            "@context": _MULTIKEY_CONTEXT,
            "id": self._verification_method,
            "type": "Multikey",
            "controller": self._controller,
            "publicKeyMultibase": self.public_key_multibase,
        }

    def to_jwk(self, *, include_private: bool = False) -> dict[str, str]:
        """This key as an RFC 8037 JWK; ``d`` (the seed) only with ``include_private=True``.

        Raises:
            KeyFormatError: ``private_key_missing`` when ``include_private`` is asked of a
                verify-only key.
        """
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url_encode(self._public_bytes)}
        if include_private:
            jwk["d"] = _b64url_encode(self._require_private().private_bytes_raw())
        return jwk

    def public_key(self) -> Ed25519Key:
        """The verify-only counterpart of this key, same controller and verification method."""
        return Ed25519Key(
            self._public, controller=self._controller, key_id=self._verification_method
        )

    # Object protocol

    def _require_private(self) -> Ed25519PrivateKey:
        if self._private is None:
            raise KeyFormatError(
                f"{self._verification_method} is a verify-only key (no private key)",
                code="private_key_missing",
            )
        return self._private

    def _identity(self) -> tuple[bytes, str, str]:
        return (self._public_bytes, self._controller, self._verification_method)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Ed25519Key):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        kind = "private" if self._private is not None else "public"
        return f"Ed25519Key({kind}, verification_method={self._verification_method!r})"

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __copy__(self) -> Ed25519Key:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Ed25519Key:
        return self

    def __reduce__(self) -> NoReturn:
        # Pickling would copy the secret into whatever stores the pickle; use keyfile instead.
        raise TypeError("Ed25519Key cannot be pickled; use vcbadge.keys.save_key")


def _check_identifier(value: object, what: str) -> None:
    if not isinstance(value, str) or ":" not in value or any(c.isspace() for c in value):
        raise KeyFormatError(f"{what} must be an absolute DID or URL, got {value!r}")


def _bad_jwk(message: str, path: str) -> NoReturn:
    raise KeyFormatError(f"not an Ed25519 JWK: {message}", path=path)


def _b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64url_decode(value: object, member: str) -> bytes:
    # RFC 7515: base64url without padding. The stdlib decoder skips invalid characters and
    # ignores non-zero trailing bits, so check the alphabet and insist on a canonical value.
    if not isinstance(value, str) or not _B64URL_RE.fullmatch(value):
        _bad_jwk(f"{member} must be base64url without padding", f"/{member}")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        _bad_jwk(f"{member} is not valid base64url", f"/{member}")
    if len(raw) != 32:
        _bad_jwk(f"{member} must encode 32 bytes, got {len(raw)}", f"/{member}")
    if _b64url_encode(raw) != value:
        _bad_jwk(f"{member} is not canonical base64url", f"/{member}")
    return raw
