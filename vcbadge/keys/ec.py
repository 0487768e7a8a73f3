"""NIST P-256 and P-384 ECDSA keys in the encodings Data Integrity and JOSE use.

Multikey (``zDn…`` / ``z82…``: multicodec ``p256-pub``/``p384-pub`` over the compressed SEC1
point), JWK (RFC 7518 ``EC``) and did:key. Signatures are IEEE P1363 ``r || s`` (64 bytes for
P-256, 96 for P-384), the form ecdsa-rdfc-2019, ecdsa-jcs-2019 and JWS ES256/ES384 carry, over
SHA-256 (P-256) or SHA-384 (P-384) of the data. Signing is deterministic (RFC 6979), so test
vectors built with vcbadge are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from vcbadge._b64url import b64url_encode
from vcbadge.errors import KeyFormatError
from vcbadge.keys._base import (
    MultikeyBase,
    decode_jwk_octets,
)
from vcbadge.keys.multikey import encode_multikey

__all__ = ["CURVES", "EcKey"]


@dataclass(frozen=True, slots=True, eq=False)
class _Curve:
    name: str
    curve: ec.EllipticCurve
    size: int
    hash: type[hashes.HashAlgorithm]
    jwk_alg: str
    public_codec: str
    secret_codec: str


_CURVES: dict[str, _Curve] = {
    "P-256": _Curve("P-256", ec.SECP256R1(), 32, hashes.SHA256, "ES256", "p256-pub", "p256-priv"),
    "P-384": _Curve("P-384", ec.SECP384R1(), 48, hashes.SHA384, "ES384", "p384-pub", "p384-priv"),
}
CURVES = tuple(_CURVES)
"""The curve names :class:`EcKey` supports: ``("P-256", "P-384")``."""

_BY_PUBLIC_CODEC = {curve.public_codec: curve for curve in _CURVES.values()}
_BY_SECRET_CODEC = {curve.secret_codec: curve for curve in _CURVES.values()}


def _curve(name: object) -> _Curve:
    if not isinstance(name, str) or name not in _CURVES:
        raise KeyFormatError(f"unsupported curve {name!r}; use one of {', '.join(CURVES)}")
    return _CURVES[name]


def _curve_of(key: ec.EllipticCurvePublicKey) -> _Curve:
    for curve in _CURVES.values():
        if key.curve.name == curve.curve.name:
            return curve
    raise KeyFormatError(f"unsupported curve {key.curve.name!r}; use one of {', '.join(CURVES)}")


class EcKey(MultikeyBase[ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey]):
    """An immutable P-256 or P-384 key pair, or a public key alone, with its controller identity.

    Build one with :meth:`generate`, :meth:`from_private_scalar`, :meth:`from_multikey` or
    :meth:`from_jwk`. By default the key is its own did:key controller and its verification
    method is ``did:key:zDn…#zDn…`` (P-256) or ``did:key:z82…#z82…`` (P-384). Give
    ``controller`` (for example a did:web) to sign as another identity, and ``key_id``
    (absolute, or a ``#fragment`` relative to the controller) to name the method.

    A key with private material satisfies :class:`vcbadge.protocols.Signer`, with
    ``algorithm`` the curve name. Its ``repr`` never shows private material; two keys are equal
    when their public key, controller and verification method are.
    """

    __slots__ = (
        "_controller",
        "_curve",
        "_private",
        "_public",
        "_public_compressed",
        "_verification_method",
    )

    _curve: _Curve
    _public_compressed: bytes

    _JWK_KTY = "EC"
    _JWK_NAME = "a P-256/P-384"
    _MULTIKEY_CODECS = {curve.public_codec: curve.secret_codec for curve in _CURVES.values()}

    # Constructors

    @classmethod
    def generate(
        cls, curve: str = "P-256", *, controller: str | None = None, key_id: str | None = None
    ) -> EcKey:
        """A new random key pair on ``curve`` (``"P-256"`` or ``"P-384"``)."""
        return cls._from_private(ec.generate_private_key(_curve(curve).curve), controller, key_id)

    @classmethod
    def from_private_scalar(
        cls,
        scalar: bytes | int,
        curve: str,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> EcKey:
        """The key pair for a private scalar: big-endian bytes of the curve's size, or an int.

        Raises:
            KeyFormatError: ``key_format`` when the scalar has the wrong length or is not in
                ``[1, n-1]`` for the curve.
        """
        spec = _curve(curve)
        if isinstance(scalar, (bytes, bytearray)):
            if len(scalar) != spec.size:
                raise KeyFormatError(
                    f"a {spec.name} private scalar must be {spec.size} bytes, got {len(scalar)}"
                )
            value = int.from_bytes(bytes(scalar), "big")
        elif isinstance(scalar, int) and not isinstance(scalar, bool):
            value = scalar
        else:
            raise KeyFormatError("the private scalar must be bytes or an int")
        return cls._from_private(_private_key(value, spec), controller, key_id)

    @classmethod
    def from_public_bytes(
        cls,
        encoded_point: bytes,
        curve: str,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> EcKey:
        """A verify-only key from a SEC1 point (compressed or uncompressed) on ``curve``."""
        spec = _curve(curve)
        if not isinstance(encoded_point, (bytes, bytearray)):
            raise KeyFormatError("an EC public key must be bytes")
        return cls(_public_key(bytes(encoded_point), spec), controller=controller, key_id=key_id)

    @classmethod
    def _public_from_multikey(cls, codec: str, raw: bytes) -> ec.EllipticCurvePublicKey:
        return _public_key(raw, _BY_PUBLIC_CODEC[codec])

    @classmethod
    def _private_from_multikey(cls, codec: str, raw: bytes) -> ec.EllipticCurvePrivateKey:
        return _private_key(int.from_bytes(raw, "big"), _BY_SECRET_CODEC[codec])

    @classmethod
    def _check_jwk_algorithm(cls, jwk: Mapping[str, Any]) -> None:
        crv = jwk.get("crv")
        if crv not in _CURVES:
            cls._bad_jwk(f"crv must be one of {', '.join(CURVES)}", "/crv")
        spec = _CURVES[crv]
        if "alg" in jwk and jwk["alg"] != spec.jwk_alg:
            cls._bad_jwk(f"alg must be {spec.jwk_alg!r} for {spec.name}", "/alg")

    @classmethod
    def _keys_from_jwk(
        cls, jwk: Mapping[str, Any]
    ) -> tuple[ec.EllipticCurvePublicKey, ec.EllipticCurvePrivateKey | None]:
        spec = _CURVES[jwk["crv"]]
        x = decode_jwk_octets(jwk.get("x"), "x", spec.size, cls._bad_jwk)
        y = decode_jwk_octets(jwk.get("y"), "y", spec.size, cls._bad_jwk)
        try:
            public = ec.EllipticCurvePublicNumbers(
                int.from_bytes(x, "big"), int.from_bytes(y, "big"), spec.curve
            ).public_key()
        except ValueError:
            cls._bad_jwk(f"(x, y) is not a point on {spec.name}", "/x")
        if "d" not in jwk:
            return public, None
        scalar = decode_jwk_octets(jwk["d"], "d", spec.size, cls._bad_jwk)
        try:
            private = ec.derive_private_key(int.from_bytes(scalar, "big"), spec.curve)
        except ValueError:
            cls._bad_jwk(f"d is out of range for {spec.name}", "/d")
        if private.public_key().public_numbers() != public.public_numbers():
            raise KeyFormatError(
                "JWK x/y is not the public key of d", code="key_mismatch", path="/x"
            )
        return public, private

    @staticmethod
    def _public_of(private_key: ec.EllipticCurvePrivateKey) -> ec.EllipticCurvePublicKey:
        return private_key.public_key()

    def _public_slots(self, public_key: ec.EllipticCurvePublicKey) -> dict[str, object]:
        return {
            "_curve": _curve_of(public_key),
            "_public_compressed": self._public_identity(public_key),
        }

    @staticmethod
    def _public_identity(public_key: ec.EllipticCurvePublicKey) -> bytes:
        return public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )

    # Identity

    @property
    def curve(self) -> str:
        """``"P-256"`` or ``"P-384"``; also the key's ``algorithm`` (part of the Signer
        protocol), from which the hash follows."""
        return self._curve.name

    algorithm = curve

    @property
    def jws_algorithm(self) -> str:
        """The JWS ``alg`` of this key: ``"ES256"`` (P-256) or ``"ES384"`` (P-384)."""
        return self._curve.jwk_alg

    @property
    def public_bytes(self) -> bytes:
        """The compressed SEC1 public point (33 or 49 bytes)."""
        return self._public_compressed

    @property
    def public_key_multibase(self) -> str:
        """The Multikey public key: ``zDn…`` (P-256) or ``z82…`` (P-384)."""
        return encode_multikey(self._curve.public_codec, self._public_compressed)

    @property
    def secret_key_multibase(self) -> str:
        """The Multikey secret key (``p256-priv``/``p384-priv`` + scalar). Handle with care.

        Raises:
            KeyFormatError: ``private_key_missing`` for a verify-only key.
        """
        return encode_multikey(self._curve.secret_codec, self._scalar_bytes())

    # Operations

    def sign(self, data: bytes) -> bytes:
        """The IEEE P1363 signature ``r || s`` of ``data`` (SHA-256 for P-256, SHA-384 for
        P-384), deterministic per RFC 6979.

        Raises:
            KeyFormatError: ``private_key_missing`` for a verify-only key.
        """
        der = self._require_private().sign(
            data, ec.ECDSA(self._curve.hash(), deterministic_signing=True)
        )
        r, s = decode_dss_signature(der)
        size = self._curve.size
        return r.to_bytes(size, "big") + s.to_bytes(size, "big")

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` (``r || s`` of this curve's size) signs ``data``; never raises.

        DER-encoded signatures are refused: Data Integrity and JWS carry only ``r || s``.
        """
        size = self._curve.size
        if not isinstance(signature, (bytes, bytearray)) or len(signature) != 2 * size:
            return False
        r = int.from_bytes(bytes(signature[:size]), "big")
        s = int.from_bytes(bytes(signature[size:]), "big")
        if r == 0 or s == 0:
            return False
        try:
            self._public.verify(encode_dss_signature(r, s), data, ec.ECDSA(self._curve.hash()))
        except InvalidSignature:
            return False
        return True

    # Documents

    def _public_jwk(self) -> dict[str, str]:
        # RFC 7518 section 6.2.1: the coordinates at the curve's full size.
        numbers = self._public.public_numbers()
        size = self._curve.size
        return {
            "kty": "EC",
            "crv": self._curve.name,
            "x": b64url_encode(numbers.x.to_bytes(size, "big")),
            "y": b64url_encode(numbers.y.to_bytes(size, "big")),
        }

    def _private_jwk_members(self, private_key: ec.EllipticCurvePrivateKey) -> dict[str, str]:
        return {"d": b64url_encode(self._scalar_bytes())}

    # Object protocol

    def _scalar_bytes(self) -> bytes:
        value = self._require_private().private_numbers().private_value
        return value.to_bytes(self._curve.size, "big")

    def _identity(self) -> tuple[str, bytes, str, str]:
        return (
            self._curve.name,
            self._public_compressed,
            self._controller,
            self._verification_method,
        )

    def __repr__(self) -> str:
        kind = "private" if self._private is not None else "public"
        return (
            f"EcKey({self._curve.name}, {kind}, verification_method={self._verification_method!r})"
        )


def _public_key(encoded_point: bytes, spec: _Curve) -> ec.EllipticCurvePublicKey:
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(spec.curve, encoded_point)
    except ValueError as exc:
        raise KeyFormatError(f"invalid {spec.name} public key: {exc}") from None


def _private_key(value: int, spec: _Curve) -> ec.EllipticCurvePrivateKey:
    try:
        return ec.derive_private_key(value, spec.curve)
    except ValueError:
        # Do not echo the value: it is a secret.
        raise KeyFormatError(f"the private scalar is out of range for {spec.name}") from None
