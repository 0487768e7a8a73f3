"""RSA keys for VC-JWT (RS256: RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 section 3.3).

Open Badges 3.0 names RS256 as the one JOSE algorithm every implementation must support. RSA is
used only for JWTs: there is no RSA Data Integrity cryptosuite.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from vcbadge._b64url import b64url_decode, b64url_encode
from vcbadge.errors import KeyFormatError
from vcbadge.keys._base import KeyBase, KeyNaming

__all__ = ["RsaKey"]

MIN_BITS = 2048
"""Smaller moduli are refused everywhere (NIST SP 800-131A; RFC 7518 section 3.3)."""

_MAX_GENERATE_BITS = 4096
# Verifying with a huge modulus is slow; no issuer uses more than 8192 bits.
_MAX_BITS = 8192
_DID_JWK_PREFIX = "did:jwk:"
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi")


class RsaKey(KeyBase[rsa.RSAPublicKey, rsa.RSAPrivateKey]):
    """An immutable RSA key pair, or a public key alone, with its controller identity.

    Build one with :meth:`generate` or :meth:`from_jwk`. By default the key is its own did:jwk
    controller (``did:jwk:<base64url of the public JWK>``) and its verification method is
    ``<did>#0``; give ``controller`` (a did:web or HTTPS URL) and optionally ``key_id`` (absolute,
    or a ``#fragment`` relative to the controller; default ``#<RFC 7638 thumbprint>``) to sign as
    another identity.

    ``sign`` makes RS256 signatures; a key with private material satisfies
    :class:`vcbadge.protocols.Signer` with ``algorithm == "RSA"``. The ``repr`` never shows
    private material.
    """

    __slots__ = ("_controller", "_private", "_public", "_verification_method")

    _PICKLE_ADVICE = "keep the private JWK in a protected file"

    _JWK_KTY = "RSA"
    _JWK_NAME = "an RSA"

    # Constructors

    @classmethod
    def generate(
        cls, bits: int = MIN_BITS, *, controller: str | None = None, key_id: str | None = None
    ) -> RsaKey:
        """A new key pair of ``bits`` (2048 to 4096) with public exponent 65537."""
        if isinstance(bits, bool) or not isinstance(bits, int):
            raise KeyFormatError("bits must be an integer")
        if not MIN_BITS <= bits <= _MAX_GENERATE_BITS:
            raise KeyFormatError(
                f"RSA keys are generated with {MIN_BITS} to {_MAX_GENERATE_BITS} bits, not {bits}",
                code="key_too_small" if bits < MIN_BITS else "key_format",
            )
        private = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        return cls._from_private(private, controller, key_id)

    @classmethod
    def _check_jwk_algorithm(cls, jwk: Mapping[str, Any]) -> None:
        if "alg" in jwk and jwk["alg"] != "RS256":
            cls._bad_jwk("alg must be 'RS256'", "/alg")

    @classmethod
    def _keys_from_jwk(
        cls, jwk: Mapping[str, Any]
    ) -> tuple[rsa.RSAPublicKey, rsa.RSAPrivateKey | None]:
        # Public (n, e) or private (plus d and, optionally, the CRT members p, q, dp, dq, qi).
        if "oth" in jwk:
            cls._bad_jwk("multi-prime keys ('oth') are not supported", "/oth")
        n, e = _integer(jwk, "n"), _integer(jwk, "e")
        if e < 3 or e % 2 == 0:
            cls._bad_jwk("e must be an odd integer of at least 3", "/e")
        if n.bit_length() > _MAX_BITS:
            cls._bad_jwk(f"n is larger than {_MAX_BITS} bits", "/n")
        try:
            public_numbers = rsa.RSAPublicNumbers(e, n)
            public = public_numbers.public_key()
        except ValueError as exc:
            cls._bad_jwk(f"invalid RSA public key: {exc}", "/n")
        if "d" not in jwk:
            present = [member for member in _PRIVATE_MEMBERS if member in jwk]
            if present:
                cls._bad_jwk(f"private member {present[0]!r} without 'd'", f"/{present[0]}")
            return public, None
        d = _integer(jwk, "d")
        crt = [member for member in ("p", "q", "dp", "dq", "qi") if member in jwk]
        try:
            if crt:
                if len(crt) != 5:
                    missing = sorted({"p", "q", "dp", "dq", "qi"} - set(crt))
                    cls._bad_jwk(f"incomplete CRT members, missing {missing}", f"/{missing[0]}")
                p, q = _integer(jwk, "p"), _integer(jwk, "q")
                dmp1, dmq1, iqmp = _integer(jwk, "dp"), _integer(jwk, "dq"), _integer(jwk, "qi")
            else:
                p, q = rsa.rsa_recover_prime_factors(n, e, d)
                dmp1, dmq1 = rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q)
                iqmp = rsa.rsa_crt_iqmp(p, q)
            private = rsa.RSAPrivateNumbers(p, q, d, dmp1, dmq1, iqmp, public_numbers).private_key()
        except ValueError as exc:
            raise KeyFormatError(
                f"the JWK's private members do not form a key with n and e: {exc}",
                code="key_mismatch",
                path="/d",
            ) from None
        return public, private

    @staticmethod
    def _public_of(private_key: rsa.RSAPrivateKey) -> rsa.RSAPublicKey:
        return private_key.public_key()

    def _public_slots(self, public_key: rsa.RSAPublicKey) -> dict[str, object]:
        if not MIN_BITS <= public_key.key_size <= _MAX_BITS:
            raise KeyFormatError(
                f"an RSA key must have {MIN_BITS} to {_MAX_BITS} bits, "
                f"this one has {public_key.key_size}",
                code="key_too_small" if public_key.key_size < MIN_BITS else "key_format",
                path="/n",
            )
        return {}

    @staticmethod
    def _public_identity(public_key: rsa.RSAPublicKey) -> object:
        return public_key.public_numbers()

    def _naming(self) -> KeyNaming:
        # did:jwk documents name their one method "#0"; elsewhere the RFC 7638 thumbprint.
        return KeyNaming(_DID_JWK_PREFIX, self.did, "0", self.thumbprint)

    # Identity

    @property
    def algorithm(self) -> str:
        """``"RSA"`` (part of the Signer protocol); JWTs name it ``RS256``."""
        return "RSA"

    @property
    def key_size(self) -> int:
        """The modulus size in bits."""
        return int(self._public.key_size)

    @property
    def did(self) -> str:
        """The did:jwk DID of the public key, whatever the controller."""
        return _DID_JWK_PREFIX + b64url_encode(_canonical_json(self._public_jwk()))

    @property
    def thumbprint(self) -> str:
        """The RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key."""
        return _thumbprint(self._public)

    # Operations

    def sign(self, data: bytes) -> bytes:
        """The RS256 signature (RSASSA-PKCS1-v1_5, SHA-256) of ``data``.

        Raises:
            KeyFormatError: ``private_key_missing`` for a verify-only key.
        """
        return self._require_private().sign(data, padding.PKCS1v15(), hashes.SHA256())

    def verify(self, signature: bytes, data: bytes) -> bool:
        """Whether ``signature`` is a valid RS256 signature of ``data``; never raises."""
        if not isinstance(signature, (bytes, bytearray)) or not isinstance(
            data, (bytes, bytearray)
        ):
            return False
        # RFC 8017 section 8.2.2: the signature is exactly as long as the modulus.
        if len(signature) != (self._public.key_size + 7) // 8:
            return False
        try:
            self._public.verify(bytes(signature), bytes(data), padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            return False
        return True

    # Documents

    def _public_jwk(self) -> dict[str, str]:
        return _public_jwk(self._public)

    def _private_jwk_members(self, private_key: rsa.RSAPrivateKey) -> dict[str, str]:
        # RFC 7518 section 6.3.2: d and the CRT members, so other libraries sign fast.
        numbers = private_key.private_numbers()
        return {
            "d": _encode_integer(numbers.d),
            "p": _encode_integer(numbers.p),
            "q": _encode_integer(numbers.q),
            "dp": _encode_integer(numbers.dmp1),
            "dq": _encode_integer(numbers.dmq1),
            "qi": _encode_integer(numbers.iqmp),
        }

    def to_verification_method(self) -> dict[str, Any]:
        """This key as a ``JsonWebKey`` verification method (public key only)."""
        return {
            "id": self._verification_method,
            "type": "JsonWebKey",
            "controller": self._controller,
            "publicKeyJwk": self.to_jwk(),
        }

    # Object protocol

    def _identity(self) -> tuple[int, int, str, str]:
        numbers = self._public.public_numbers()
        return (numbers.n, numbers.e, self._controller, self._verification_method)

    def __repr__(self) -> str:
        kind = "private" if self._private is not None else "public"
        return (
            f"RsaKey({kind}, {self.key_size} bits, "
            f"verification_method={self._verification_method!r})"
        )


def _public_jwk(public: rsa.RSAPublicKey) -> dict[str, str]:
    numbers = public.public_numbers()
    # Members in RFC 7638 order (lexicographic), so the JSON is also the thumbprint input.
    return {"e": _encode_integer(numbers.e), "kty": "RSA", "n": _encode_integer(numbers.n)}


def _thumbprint(public: rsa.RSAPublicKey) -> str:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(_canonical_json(_public_jwk(public)))
    return b64url_encode(digest.finalize())


def _canonical_json(jwk: Mapping[str, str]) -> bytes:
    return json.dumps(dict(jwk), sort_keys=True, separators=(",", ":")).encode("utf-8")


def _encode_integer(value: int) -> str:
    # RFC 7518 section 6.3: big-endian, the minimum number of octets (zero is one octet).
    return b64url_encode(value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def _integer(jwk: Mapping[str, Any], member: str) -> int:
    value = jwk.get(member)
    if not isinstance(value, str) or not value:
        RsaKey._bad_jwk(f"{member} must be a non-empty base64url string", f"/{member}")
    try:
        raw = b64url_decode(value)
    except ValueError as exc:
        RsaKey._bad_jwk(f"{member}: {exc}", f"/{member}")
    if len(raw) > 1 and raw[0] == 0:
        RsaKey._bad_jwk(f"{member} has leading zero octets (RFC 7518 section 6.3)", f"/{member}")
    return int.from_bytes(raw, "big")
