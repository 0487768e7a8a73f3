"""Reading a public key someone published: a JWK, or a verification method's
``publicKeyJwk`` / ``publicKeyMultibase``.

The one place these rules live, so that JOSE and Data Integrity verification accept exactly the
same published keys: private (or symmetric) JWK members are refused whichever they are, a
method may publish its key material once only, and a key type vcbadge cannot verify with is
``unsupported_key_type``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from vcbadge._json import pointer
from vcbadge.errors import KeyFormatError, UnsupportedError
from vcbadge.keys.ec import EcKey
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.keys.multikey import KNOWN_CODECS, decode_multikey, split_multikey
from vcbadge.keys.rsa import RsaKey
from vcbadge.protocols import PublicKey

__all__ = [
    "NO_KEY",
    "PRIVATE_JWK_MEMBERS",
    "PRIVATE_KEY_MEMBERS",
    "private_jwk_members",
    "private_members_in_document",
    "public_key_from_jwk",
    "public_key_from_method",
    "published_key_algorithm",
]

NO_KEY = "no key"
"""What :func:`published_key_algorithm` says of a method that publishes no key at all."""

PRIVATE_JWK_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
"""The JWK members only a private or symmetric key has (RFC 7518 sections 6.2.2, 6.3.2, 6.4):
``d`` (EC, OKP, RSA), the RSA CRT members ``p q dp dq qi oth``, and ``k`` (octet keys)."""

_MULTIKEY_ALGORITHMS = {
    KNOWN_CODECS[codec][0]: algorithm
    for codec, algorithm in (
        ("ed25519-pub", "Ed25519"),
        ("p256-pub", "P-256"),
        ("p384-pub", "P-384"),
    )
}
_JWK_ALGORITHMS = {
    ("OKP", "Ed25519"): "Ed25519",
    ("EC", "P-256"): "P-256",
    ("EC", "P-384"): "P-384",
}


PRIVATE_KEY_MEMBERS = (
    "secretKeyMultibase",
    "privateKeyMultibase",
    "privateKeyJwk",
    "privateKeyBase58",
    "privateKeyPem",
    "privateKeyHex",
)
"""The members that carry a private key outside a JWK: vcbadge key files
(``secretKeyMultibase``, ``privateKeyJwk``) and the private counterparts of the verification
method formats (Multikey, JsonWebKey2020, the older Base58/PEM/hex encodings). A published
document must carry none of them, nor a JWK with a :data:`PRIVATE_JWK_MEMBERS` member."""

_MAX_SCAN_DEPTH = 64


def private_members_in_document(document: Any) -> list[str]:
    """The JSON pointers of every private key member in ``document``, at any depth: a
    :data:`PRIVATE_KEY_MEMBERS` member, or a :data:`PRIVATE_JWK_MEMBERS` member of an object
    that is a JWK (it has ``kty``). Empty for a document fit to publish. Only the names are
    reported, never a value."""
    found: list[str] = []
    _scan(document, [], found, 0)
    return found


# Sets for the membership tests of the scan, which sees every member of every credential
# signed; the tuples above stay the documented, ordered lists.
_PRIVATE_KEY_NAMES = frozenset(PRIVATE_KEY_MEMBERS)
_PRIVATE_JWK_NAMES = frozenset(PRIVATE_JWK_MEMBERS)


def _scan(value: Any, trail: list[str | int], found: list[str], depth: int) -> None:
    # One pass, in document order; ``trail`` is the path to ``value``, turned into a pointer
    # only for a member that is reported (nearly always none). Strings, numbers and the like
    # are passed over before the (slower) Mapping check.
    if depth > _MAX_SCAN_DEPTH:
        return
    if isinstance(value, (dict, Mapping)):
        is_jwk = "kty" in value
        for member, item in value.items():
            if member in _PRIVATE_KEY_NAMES or (is_jwk and member in _PRIVATE_JWK_NAMES):
                found.append(pointer(*trail, str(member)))
            elif type(item) not in _LEAVES:
                trail.append(str(member))
                _scan(item, trail, found, depth + 1)
                trail.pop()
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if type(item) not in _LEAVES:
                trail.append(index)
                _scan(item, trail, found, depth + 1)
                trail.pop()


_LEAVES = frozenset({str, int, float, bool, type(None)})


def private_jwk_members(jwk: Mapping[str, Any]) -> list[str]:
    """The private or symmetric key members ``jwk`` has (empty for a public JWK)."""
    return [member for member in PRIVATE_JWK_MEMBERS if member in jwk]


def published_key_algorithm(method: Mapping[str, Any]) -> str:
    """The algorithm of the key a verification method publishes (``"Ed25519"``, ``"P-256"``,
    ``"P-384"``, ``"RSA"``), read without decoding the key, so a caller can refuse a key of the
    wrong type first; otherwise what it is (``"multicodec 0x1200"``, ``"EC/P-521"``).
    """
    multibase = method.get("publicKeyMultibase")
    if isinstance(multibase, str):
        known = _PUBLIC_MULTIKEY_ALGORITHM.get(multibase)
        if known is not None:
            return known
        code, _ = split_multikey(multibase)
        algorithm = _MULTIKEY_ALGORITHMS.get(code)
        if algorithm is None:
            return f"multicodec {hex(code)}"
        if len(_PUBLIC_MULTIKEY_ALGORITHM) >= _REMEMBERED_KEYS:
            _PUBLIC_MULTIKEY_ALGORITHM.clear()
        _PUBLIC_MULTIKEY_ALGORITHM[multibase] = algorithm
        return algorithm
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, Mapping):
        if jwk.get("kty") == "RSA":
            return "RSA"
        kty, crv = jwk.get("kty"), jwk.get("crv")
        return _JWK_ALGORITHMS.get((str(kty), str(crv)), f"{kty}/{crv}")
    return NO_KEY


# The algorithm of each public Multikey met lately: decoding base58 again for every proof was
# a fiftieth of a verification. Only public key codes are remembered (a secret key pasted into
# publicKeyMultibase is never kept), and the whole memo is dropped when it is full.
_PUBLIC_MULTIKEY_ALGORITHM: dict[str, str] = {}
_REMEMBERED_KEYS = 1024


def public_key_from_jwk(jwk: Mapping[str, Any], *, path: str = "") -> PublicKey:
    """The public key of an Ed25519 (``OKP``), P-256/P-384 (``EC``) or ``RSA`` JWK.

    Raises:
        KeyFormatError: a private member is present, or the JWK is malformed.
        UnsupportedError: ``unsupported_key_type`` for another key type or curve.
    """
    if not isinstance(jwk, Mapping):
        raise KeyFormatError("a JWK must be a JSON object", path=path)
    private = private_jwk_members(jwk)
    if private:
        raise KeyFormatError(
            f"the JWK publishes private key material ({private[0]!r})",
            path=f"{path}/{private[0]}",
        )
    kty = jwk.get("kty")
    try:
        if kty == "OKP" and jwk.get("crv") == "Ed25519":
            return Ed25519Key.from_jwk(jwk)
        if kty == "RSA":
            return RsaKey.from_jwk(jwk)
        if kty == "EC" and jwk.get("crv") in ("P-256", "P-384"):
            return EcKey.from_jwk(jwk)
    except KeyFormatError as error:
        raise error.under(path) from error
    raise UnsupportedError(
        f"JWK of kty {kty!r} / crv {jwk.get('crv')!r} is not supported for signatures",
        code="unsupported_key_type",
        path=path,
    )


def public_key_from_method(method: Mapping[str, Any], *, path: str = "") -> PublicKey:
    """The public key of a verification method: ``publicKeyJwk`` (JsonWebKey,
    JsonWebKey2020) or ``publicKeyMultibase`` (Multikey, Ed25519VerificationKey2020).

    Raises:
        KeyFormatError: neither or both are published (a controller document must not
            publish the same key material twice: a verifier could pick either one), or the
            key is malformed or private.
        UnsupportedError: ``unsupported_key_type`` for a key vcbadge cannot verify with.
    """
    jwk = method.get("publicKeyJwk")
    multibase = method.get("publicKeyMultibase")
    if jwk is not None and multibase is not None:
        raise KeyFormatError(
            "verification method publishes both publicKeyJwk and publicKeyMultibase", path=path
        )
    if isinstance(jwk, Mapping):
        return public_key_from_jwk(jwk, path=path)
    if isinstance(multibase, str):
        try:
            return _multikey_public_key(multibase)
        except (KeyFormatError, UnsupportedError) as error:
            raise error.under(path) from error
    raise KeyFormatError(
        "verification method has neither publicKeyJwk nor publicKeyMultibase", path=path
    )


@functools.lru_cache(maxsize=1024)
def _multikey_public_key(multibase: str) -> PublicKey:
    """The public key a ``publicKeyMultibase`` encodes, checked (on the curve, canonical, not
    of small order). A pure function of the string, cached: a verifier meets the same few
    issuer keys again and again, and the keys are immutable. Refusals raise and are never
    cached."""
    codec, _ = decode_multikey(multibase)
    if codec == "ed25519-pub":
        return Ed25519Key.from_multikey(multibase)
    if codec in ("p256-pub", "p384-pub"):
        return EcKey.from_multikey(multibase)
    raise UnsupportedError(
        f"a {codec} Multikey cannot verify signatures", code="unsupported_key_type"
    )
