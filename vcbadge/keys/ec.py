"""NIST P-256 and P-384 ECDSA keys in the encodings Data Integrity and JOSE use.

Multikey (``zDn…`` / ``z82…``: multicodec ``p256-pub``/``p384-pub`` over the compressed SEC1
point), JWK (RFC 7518 ``EC``) and did:key. Signatures are IEEE P1363 ``r || s`` (64 bytes for
P-256, 96 for P-384), the form ecdsa-rdfc-2019, ecdsa-jcs-2019 and JWS ES256/ES384 carry, over
SHA-256 (P-256) or SHA-384 (P-384) of the data. Signing is deterministic (RFC 6979), so test
vectors built with vcbadge are reproducible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

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
from vcbadge.keys.multikey import decode_multikey, encode_multikey

__all__ = ["CURVES", "EcKey"]


class _Curve:
    __slots__ = ("curve", "hash", "jwk_alg", "name", "public_codec", "secret_codec", "size")

    def __init__(
        self,
        name: str,
        curve: ec.EllipticCurve,
        size: int,
        hash_: type[hashes.HashAlgorithm],
        jwk_alg: str,
        public_codec: str,
        secret_codec: str,
    ) -> None:
        self.name = name
        self.curve = curve
        self.size = size
        self.hash = hash_
        self.jwk_alg = jwk_alg
        self.public_codec = public_codec
        self.secret_codec = secret_codec


_CURVES: dict[str, _Curve] = {
    "P-256": _Curve("P-256", ec.SECP256R1(), 32, hashes.SHA256, "ES256", "p256-pub", "p256-priv"),
    "P-384": _Curve("P-384", ec.SECP384R1(), 48, hashes.SHA384, "ES384", "p384-pub", "p384-priv"),
}
CURVES = tuple(_CURVES)
"""The curve names :class:`EcKey` supports: ``("P-256", "P-384")``."""

_BY_PUBLIC_CODEC = {curve.public_codec: curve for curve in _CURVES.values()}


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

    def __init__(
        self,
        public_key: ec.EllipticCurvePublicKey,
        private_key: ec.EllipticCurvePrivateKey | None = None,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> None:
        """Wrap ``cryptography`` key objects; prefer the ``from_*`` constructors."""
        curve = _curve_of(public_key)
        compressed = public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
        )
        if private_key is not None:
            derived = private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.CompressedPoint
            )
            if derived != compressed:
                raise KeyFormatError("private key does not match public key", code="key_mismatch")
        self._bind_did_key(
            public_key,
            private_key,
            encode_multikey(curve.public_codec, compressed),
            controller,
            key_id,
            _curve=curve,
            _public_compressed=compressed,
        )

    # Constructors

    @classmethod
    def generate(
        cls, curve: str = "P-256", *, controller: str | None = None, key_id: str | None = None
    ) -> EcKey:
        """A new random key pair on ``curve`` (``"P-256"`` or ``"P-384"``)."""
        private = ec.generate_private_key(_curve(curve).curve)
        return cls(private.public_key(), private, controller=controller, key_id=key_id)

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
        try:
            private = ec.derive_private_key(value, spec.curve)
        except ValueError:
            # Do not echo the value: it is a secret.
            raise KeyFormatError(f"the private scalar is out of range for {spec.name}") from None
        return cls(private.public_key(), private, controller=controller, key_id=key_id)

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
        try:
            public = ec.EllipticCurvePublicKey.from_encoded_point(spec.curve, bytes(encoded_point))
        except ValueError as exc:
            raise KeyFormatError(f"invalid {spec.name} public key: {exc}") from None
        return cls(public, controller=controller, key_id=key_id)

    @classmethod
    def from_multikey(
        cls,
        public_key_multibase: str,
        secret_key_multibase: str | None = None,
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> EcKey:
        """A key from ``publicKeyMultibase`` (``zDn…`` / ``z82…``), optionally with its
        ``secretKeyMultibase`` (multicodec ``p256-priv`` / ``p384-priv`` + the scalar).

        Raises:
            KeyFormatError: ``key_format`` for a malformed value or another key type,
                ``key_mismatch`` when the secret key does not belong to the public key.
        """
        codec, raw = decode_multikey(public_key_multibase)
        if codec not in _BY_PUBLIC_CODEC:
            raise KeyFormatError(f"expected a p256-pub or p384-pub multikey, got {codec}")
        spec = _BY_PUBLIC_CODEC[codec]
        public = cls.from_public_bytes(raw, spec.name, controller=controller, key_id=key_id)
        if secret_key_multibase is None:
            return public
        _, scalar = decode_multikey(secret_key_multibase, codec=spec.secret_codec)
        pair = cls.from_private_scalar(scalar, spec.name, controller=controller, key_id=key_id)
        if pair._public_compressed != public._public_compressed:
            raise KeyFormatError(
                "secretKeyMultibase does not belong to publicKeyMultibase", code="key_mismatch"
            )
        return pair

    @classmethod
    def from_jwk(
        cls,
        jwk: Mapping[str, Any],
        *,
        controller: str | None = None,
        key_id: str | None = None,
    ) -> EcKey:
        """A key from an RFC 7518 ``EC`` JWK on P-256 or P-384, with or without ``d``.

        Raises:
            KeyFormatError: ``key_format`` (``path`` names the member) for a JWK that is not a
                P-256/P-384 signing key, is badly encoded or is not on the curve;
                ``key_mismatch`` when ``x``/``y`` is not the public key of ``d``.
        """
        if not isinstance(jwk, Mapping):
            raise KeyFormatError("a JWK must be a JSON object")
        if jwk.get("kty") != "EC":
            _bad_jwk("kty must be 'EC'", "/kty")
        crv = jwk.get("crv")
        if crv not in _CURVES:
            _bad_jwk(f"crv must be one of {', '.join(CURVES)}", "/crv")
        spec = _CURVES[crv]
        if "alg" in jwk and jwk["alg"] != spec.jwk_alg:
            _bad_jwk(f"alg must be {spec.jwk_alg!r} for {spec.name}", "/alg")
        if "use" in jwk and jwk["use"] != "sig":
            _bad_jwk("use must be 'sig'", "/use")
        x = decode_jwk_octets(jwk.get("x"), "x", spec.size, _bad_jwk)
        y = decode_jwk_octets(jwk.get("y"), "y", spec.size, _bad_jwk)
        try:
            public = ec.EllipticCurvePublicNumbers(
                int.from_bytes(x, "big"), int.from_bytes(y, "big"), spec.curve
            ).public_key()
        except ValueError:
            _bad_jwk(f"(x, y) is not a point on {spec.name}", "/x")
        if "d" not in jwk:
            return cls(public, controller=controller, key_id=key_id)
        scalar = decode_jwk_octets(jwk["d"], "d", spec.size, _bad_jwk)
        try:
            private = ec.derive_private_key(int.from_bytes(scalar, "big"), spec.curve)
        except ValueError:
            _bad_jwk(f"d is out of range for {spec.name}", "/d")
        if private.public_key().public_numbers() != public.public_numbers():
            raise KeyFormatError(
                "JWK x/y is not the public key of d", code="key_mismatch", path="/x"
            )
        return cls(public, private, controller=controller, key_id=key_id)

    # Identity

    @property
    def curve(self) -> str:
        """``"P-256"`` or ``"P-384"``."""
        return self._curve.name

    @property
    def algorithm(self) -> str:
        """The curve name (part of the Signer protocol); the hash follows from it."""
        return self._curve.name

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


def _bad_jwk(message: str, path: str) -> NoReturn:
    raise KeyFormatError(f"not a P-256/P-384 JWK: {message}", path=path)
