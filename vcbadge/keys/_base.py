"""What every key class shares: immutable value semantics, secrets kept out of copies and
pickles, and the rules that turn ``controller`` and ``key_id`` into a verification method."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NoReturn, TypeVar

from vcbadge._b64url import b64url_decode
from vcbadge.errors import KeyFormatError

__all__ = [
    "KeyBase",
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


class KeyBase(ABC, Generic[PublicT, PrivateT]):
    """Immutability, equality by identity tuple and pickle refusal for the key classes.

    A subclass lists ``_public``, ``_private``, ``_controller`` and ``_verification_method`` in
    its own ``__slots__``, sets them with ``object.__setattr__`` in ``__init__``, defines
    ``_identity`` and says in ``_PICKLE_ADVICE`` how to store the key instead of pickling it.
    """

    __slots__ = ()

    _PICKLE_ADVICE: ClassVar[str]

    _controller: str
    _private: PrivateT | None
    _public: PublicT
    _verification_method: str

    if TYPE_CHECKING:
        # Every key class has this constructor; public_key() builds the verify-only twin with it.
        def __init__(
            self,
            public_key: PublicT,
            private_key: PrivateT | None = None,
            *,
            controller: str | None = None,
            key_id: str | None = None,
        ) -> None: ...

    @property
    def has_private_key(self) -> bool:
        """Whether this key can sign."""
        return self._private is not None

    @property
    def verification_method(self) -> str:
        """The absolute id under which verifiers find this key (part of the Signer protocol)."""
        return self._verification_method

    def public_key(self: KeyT) -> KeyT:
        """The verify-only counterpart of this key, same controller and verification method."""
        return type(self)(
            self._public, controller=self._controller, key_id=self._verification_method
        )

    def _bind(
        self,
        public_key: PublicT,
        private_key: PrivateT | None,
        controller: str,
        verification_method: str,
        **derived: object,
    ) -> None:
        """Set the attributes once, from ``__init__`` (the class is immutable otherwise);
        ``derived`` are the subclass's own slots (``_curve``...)."""
        attributes = {
            "_public": public_key,
            "_private": private_key,
            "_controller": controller,
            "_verification_method": verification_method,
            **derived,
        }
        for name, value in attributes.items():
            object.__setattr__(self, name, value)

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

    def _bind_did_key(
        self,
        public_key: PublicT,
        private_key: PrivateT | None,
        fingerprint: str,
        controller: str | None,
        key_id: str | None,
        **derived: object,
    ) -> None:
        """:meth:`_bind` for a key whose own DID is ``did:key:<fingerprint>`` (its Multikey)."""
        controller, verification_method = derive_did_key_verification_method(
            fingerprint, controller, key_id
        )
        self._bind(public_key, private_key, controller, verification_method, **derived)

    _PICKLE_ADVICE = "use vcbadge.keys.save_key"

    @property
    @abstractmethod
    def public_key_multibase(self) -> str:
        """The Multikey public key, in the multicodec of the key type."""

    @property
    def did(self) -> str:
        """The did:key DID of the public key, whatever the controller."""
        return _DID_KEY_PREFIX + self.public_key_multibase

    @property
    def controller(self) -> str:
        """The controller DID or URL (the did:key unless another was given)."""
        return self._controller

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
        did_prefix=_DID_KEY_PREFIX,
        own_did=_DID_KEY_PREFIX + fingerprint,
        controller=controller,
        key_id=key_id,
        fragment_under_own_did=fingerprint,
        fragment_under_other_controller=fingerprint,
    )


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
