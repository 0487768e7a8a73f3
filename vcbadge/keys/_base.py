"""What every key class shares: immutable value semantics, secrets kept out of copies and
pickles, and the rules that turn ``controller`` and ``key_id`` into a verification method."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, NamedTuple, NoReturn, TypeVar

from vcbadge._b64url import b64url_decode
from vcbadge.errors import KeyFormatError
from vcbadge.keys.multikey import decode_multikey

__all__ = [
    "KeyBase",
    "KeyNaming",
    "MultikeyBase",
    "decode_jwk_octets",
    "derive_did_key_verification_method",
    "derive_verification_method",
]

_DID_KEY_PREFIX = "did:key:"
_MULTIKEY_CONTEXT = "https://w3id.org/security/multikey/v1"

PublicT = TypeVar("PublicT")
PrivateT = TypeVar("PrivateT")
KeyT = TypeVar("KeyT", bound="KeyBase[Any, Any]")
MultikeyT = TypeVar("MultikeyT", bound="MultikeyBase[Any, Any]")


class KeyNaming(NamedTuple):
    """The arguments of :func:`derive_verification_method` that describe the key itself."""

    did_prefix: str
    own_did: str
    fragment_under_own_did: str
    fragment_under_other_controller: str


class KeyBase(ABC, Generic[PublicT, PrivateT]):
    """Construction, immutability, equality by identity tuple, JWK import and export and pickle
    refusal for the key classes.

    A subclass lists ``_public``, ``_private``, ``_controller`` and ``_verification_method``
    (and its own derived slots) in its ``__slots__``, describes its key type in the hooks below
    (``_public_slots``, ``_public_identity``, ``_naming``, the JWK ones), defines
    ``_identity`` and says in ``_PICKLE_ADVICE`` how to store the key instead of pickling it.
    """

    __slots__ = ()

    _PICKLE_ADVICE: ClassVar[str]
    _JWK_KTY: ClassVar[str]
    """The JWK ``kty`` of the key type."""
    _JWK_NAME: ClassVar[str]
    """How JWK errors name the key type: ``"an Ed25519"``..."""

    _controller: str
    _private: PrivateT | None
    _public: PublicT
    _verification_method: str

    def __init__(
        self,
        public_key: PublicT,
        private_key: PrivateT | None = None,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> None:
        """Wrap ``cryptography`` key objects; prefer the ``generate``/``from_*`` constructors.

        Raises:
            KeyFormatError: ``key_mismatch`` when ``private_key`` is not the private key of
                ``public_key``; ``key_format`` (or the key type's code) for an unsupported key,
                controller or key id.
        """
        derived = self._public_slots(public_key)
        if private_key is not None and self._public_identity(
            self._public_of(private_key)
        ) != self._public_identity(public_key):
            raise KeyFormatError("private key does not match public key", code="key_mismatch")
        for name, value in {"_public": public_key, "_private": private_key, **derived}.items():
            object.__setattr__(self, name, value)
        controller, verification_method = derive_verification_method(
            controller=controller, key_id=key_id, **self._naming()._asdict()
        )
        object.__setattr__(self, "_controller", controller)
        object.__setattr__(self, "_verification_method", verification_method)

    @classmethod
    def _from_private(
        cls: type[KeyT], private_key: Any, controller: str | None, key_id: str | None
    ) -> KeyT:
        """The key pair of ``private_key``."""
        return cls(cls._public_of(private_key), private_key, controller=controller, key_id=key_id)

    @staticmethod
    @abstractmethod
    def _public_of(private_key: PrivateT) -> PublicT:
        """The public key of ``private_key``."""

    @abstractmethod
    def _public_slots(self, public_key: PublicT) -> dict[str, object]:
        """The subclass's own slots derived from ``public_key`` (``_curve``...); raises
        :class:`KeyFormatError` for a key the class does not support."""

    @staticmethod
    @abstractmethod
    def _public_identity(public_key: PublicT) -> object:
        """What makes two public keys the same key."""

    @abstractmethod
    def _naming(self) -> KeyNaming:
        """How :func:`derive_verification_method` names this key."""

    @property
    def has_private_key(self) -> bool:
        """Whether this key can sign."""
        return self._private is not None

    @property
    def verification_method(self) -> str:
        """The absolute id under which verifiers find this key (part of the Signer protocol)."""
        return self._verification_method

    @property
    def controller(self) -> str:
        """The controller DID or URL (the key's own DID unless another was given)."""
        return self._controller

    def public_key(self: KeyT) -> KeyT:
        """The verify-only counterpart of this key, same controller and verification method."""
        return type(self)(
            self._public, controller=self._controller, key_id=self._verification_method
        )

    @classmethod
    def from_jwk(
        cls: type[KeyT],
        jwk: Mapping[str, Any],
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> KeyT:
        """A key from a JWK of this key type (``OKP``/``Ed25519`` per RFC 8037, ``EC`` on P-256
        or P-384, or ``RSA`` per RFC 7518), public or with its private members.

        Raises:
            KeyFormatError: ``key_format`` (``path`` names the member) for a JWK that is not a
                signing key of this type or is badly encoded; ``key_too_small`` for an RSA
                modulus below 2048 bits; ``key_mismatch`` when the public members are not the
                public key of the private ones.
        """
        if not isinstance(jwk, Mapping):
            raise KeyFormatError("a JWK must be a JSON object")
        if jwk.get("kty") != cls._JWK_KTY:
            cls._bad_jwk(f"kty must be {cls._JWK_KTY!r}", "/kty")
        cls._check_jwk_algorithm(jwk)
        if "use" in jwk and jwk["use"] != "sig":
            cls._bad_jwk("use must be 'sig'", "/use")
        public, private = cls._keys_from_jwk(jwk)
        return cls(public, private, controller=controller, key_id=key_id)

    @classmethod
    def _bad_jwk(cls, message: str, path: str) -> NoReturn:
        raise KeyFormatError(f"not {cls._JWK_NAME} JWK: {message}", path=path)

    @classmethod
    @abstractmethod
    def _check_jwk_algorithm(cls, jwk: Mapping[str, Any]) -> None:
        """Refuse (with :meth:`_bad_jwk`) a ``crv`` or ``alg`` of another key type."""

    @classmethod
    @abstractmethod
    def _keys_from_jwk(cls, jwk: Mapping[str, Any]) -> tuple[PublicT, PrivateT | None]:
        """The public key of a checked JWK, and its private key when the JWK has one."""

    def to_jwk(self, *, include_private: bool = False) -> dict[str, str]:
        """This key as a JWK; the private members only with ``include_private=True``.

        Raises:
            KeyFormatError: ``private_key_missing`` when ``include_private`` is asked of a
                verify-only key.
        """
        jwk = self._public_jwk()
        if include_private:
            jwk.update(self._private_jwk_members(self._require_private()))
        return jwk

    @abstractmethod
    def _public_jwk(self) -> dict[str, str]:
        """The public JWK members (``kty``, ``crv``, ``x``...)."""

    @abstractmethod
    def _private_jwk_members(self, private_key: PrivateT) -> dict[str, str]:
        """The JWK members of the private key (``d``, and for RSA its CRT members)."""

    def _require_private(self) -> PrivateT:
        if self._private is None:
            raise KeyFormatError(
                f"{self._verification_method} is a verify-only key (no private key)",
                code="private_key_missing",
            )
        return self._private

    @abstractmethod
    def _identity(self) -> tuple[object, ...]:
        """What makes two keys equal: the public key material and the method that names it."""

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __copy__(self: KeyT) -> KeyT:
        return self

    def __deepcopy__(self: KeyT, memo: dict[int, object]) -> KeyT:
        return self

    def __reduce__(self) -> NoReturn:
        # Pickling would copy the secret into whatever stores the pickle.
        raise TypeError(f"{type(self).__name__} cannot be pickled; {self._PICKLE_ADVICE}")


class MultikeyBase(KeyBase[PublicT, PrivateT]):
    """A key published as a ``Multikey`` and named by a did:key (Ed25519, P-256, P-384)."""

    __slots__ = ()

    _PICKLE_ADVICE = "use vcbadge.keys.save_key"
    _MULTIKEY_CODECS: ClassVar[Mapping[str, str]]
    """Each multicodec of the public key type -> the multicodec of its secret key."""

    @classmethod
    def from_multikey(
        cls: type[MultikeyT],
        public_key_multibase: str,
        secret_key_multibase: str | None = None,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> MultikeyT:
        """A key from ``publicKeyMultibase`` and optionally its ``secretKeyMultibase`` (the
        secret key's multicodec + the seed or scalar).

        Raises:
            KeyFormatError: ``key_format`` for a malformed value or another key type,
                ``key_mismatch`` when the secret key does not belong to the public key.
        """
        codec, public_raw = decode_multikey(public_key_multibase)
        if codec not in cls._MULTIKEY_CODECS:
            expected = " or ".join(cls._MULTIKEY_CODECS)
            raise KeyFormatError(f"expected a {expected} multikey, got {codec}")
        public = cls._public_from_multikey(codec, public_raw)
        if secret_key_multibase is None:
            return cls(public, controller=controller, key_id=key_id)
        secret_codec, secret_raw = decode_multikey(
            secret_key_multibase, codec=cls._MULTIKEY_CODECS[codec]
        )
        private = cls._private_from_multikey(secret_codec, secret_raw)
        if cls._public_identity(cls._public_of(private)) != cls._public_identity(public):
            raise KeyFormatError(
                "secretKeyMultibase does not belong to publicKeyMultibase", code="key_mismatch"
            )
        return cls(public, private, controller=controller, key_id=key_id)

    @classmethod
    @abstractmethod
    def _public_from_multikey(cls, codec: str, raw: bytes) -> PublicT:
        """The public key of a decoded ``publicKeyMultibase``."""

    @classmethod
    @abstractmethod
    def _private_from_multikey(cls, codec: str, raw: bytes) -> PrivateT:
        """The private key of a decoded ``secretKeyMultibase``."""

    def _naming(self) -> KeyNaming:
        return _did_key_naming(self.public_key_multibase)

    @property
    @abstractmethod
    def public_key_multibase(self) -> str:
        """The Multikey public key, in the multicodec of the key type."""

    @property
    def did(self) -> str:
        """The did:key DID of the public key, whatever the controller."""
        return _DID_KEY_PREFIX + self.public_key_multibase

    def to_multikey_document(self) -> dict[str, Any]:
        """This key as a ``Multikey`` verification method (public key only)."""
        return {
            "@context": _MULTIKEY_CONTEXT,
            "id": self._verification_method,
            "type": "Multikey",
            "controller": self._controller,
            "publicKeyMultibase": self.public_key_multibase,
        }


def derive_verification_method(
    *,
    did_prefix: str,
    own_did: str,
    controller: str | None,
    key_id: str | None,
    fragment_under_own_did: str,
    fragment_under_other_controller: str,
) -> tuple[str, str]:
    """The ``(controller, verification_method)`` of a key whose own DID is ``own_did``.

    ``controller`` defaults to ``own_did`` and may not be another key's DID of the same method
    (``did_prefix``); ``key_id`` is absolute, a ``#fragment`` relative to the controller, or
    absent, and then the fragment depends on whether the key is its own controller.
    """
    if controller is None:
        controller = own_did
    _check_identifier(controller, "controller")
    if "#" in controller:
        raise KeyFormatError(f"controller must not have a fragment: {controller!r}")
    if controller.startswith(did_prefix) and controller != own_did:
        raise KeyFormatError(
            f"controller is the {did_prefix.rstrip(':')} of a different key", code="key_mismatch"
        )
    if key_id is None:
        is_own_controller = controller == own_did
        fragment = fragment_under_own_did if is_own_controller else fragment_under_other_controller
        verification_method = f"{controller}#{fragment}"
    elif key_id.startswith("#"):
        verification_method = controller + key_id
    else:
        verification_method = key_id
    _check_identifier(verification_method, "key_id")
    return controller, verification_method


def derive_did_key_verification_method(
    fingerprint: str, controller: str | None, key_id: str | None
) -> tuple[str, str]:
    """:func:`derive_verification_method` for a key whose own DID is ``did:key:<fingerprint>``;
    the default fragment is the fingerprint whoever the controller is."""
    return derive_verification_method(
        controller=controller, key_id=key_id, **_did_key_naming(fingerprint)._asdict()
    )


def _did_key_naming(fingerprint: str) -> KeyNaming:
    return KeyNaming(_DID_KEY_PREFIX, _DID_KEY_PREFIX + fingerprint, fingerprint, fingerprint)


def _check_identifier(value: object, what: str) -> None:
    """Refuse anything but an absolute DID or URL without whitespace."""
    if not isinstance(value, str) or ":" not in value or any(c.isspace() for c in value):
        raise KeyFormatError(f"{what} must be an absolute DID or URL, got {value!r}")


def decode_jwk_octets(
    value: object, member: str, size: int, refuse: Callable[[str, str], NoReturn]
) -> bytes:
    """The ``size`` bytes a JWK member encodes; anything else goes to ``refuse(message, path)``.

    RFC 7515/7518: the canonical unpadded base64url of exactly ``size`` bytes.
    """
    if not isinstance(value, str):
        refuse(f"{member} must be base64url without padding", f"/{member}")
    try:
        raw = b64url_decode(value)
    except ValueError as exc:
        refuse(f"{member} is not canonical base64url without padding ({exc})", f"/{member}")
    if len(raw) != size:
        refuse(f"{member} must encode {size} bytes, got {len(raw)}", f"/{member}")
    return raw
