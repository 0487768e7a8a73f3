"""Compact JWS (RFC 7515) for VC-JWT and VC-JOSE-COSE, written on ``cryptography`` directly.

Why not a JOSE library: the part of JOSE credentials use is small (three base64url segments,
two JSON objects, one signature), and every line of it is a security decision vcbadge must
make itself: the header is parsed strictly (duplicate members refused, as everywhere in
vcbadge), ``alg`` is checked against the verifier's policy *before* any key is looked at, the
key comes from vcbadge's own resolver and controller checks, never from the token, and the key
type must match ``alg``. Signing and verifying go through vcbadge's key classes, so an external
:class:`vcbadge.protocols.Signer` (HSM, cloud KMS) signs JWTs exactly as it signs Data
Integrity proofs.

Refused, each with its own code: ``alg: none`` (``jwt_alg_none``), HMAC algorithms
(``jwt_alg_hmac``: a verifier holding only public keys must never treat one as an HMAC secret),
algorithms outside the policy (``jwt_alg_not_allowed``), any ``crit`` header
(``jwt_crit_unsupported``: vcbadge understands no JWS extension), a private key in a ``jwk``
header (``jwt_private_key_in_header``), malformed serialization (``jwt_malformed``), and a key
whose type does not match ``alg`` (``jwt_key_alg_mismatch``).

The header and the payload each have a size cap of their own, below the cap on the whole token
(``jwt_header_too_large``, ``jwt_payload_too_large``), and the header a cap on its number of
members (``jwt_header_too_many_members``): a header is a handful of short parameters, so a
large one is refused before it is parsed, whatever its signature.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from vcbadge._b64url import b64url_decode, b64url_encode
from vcbadge._json import loads_strict
from vcbadge.errors import (
    InputError,
    InvalidSignature,
    KeyFormatError,
    LimitExceeded,
    PolicyViolation,
    UnsupportedError,
    VerificationError,
)
from vcbadge.keys.public_keys import (
    private_jwk_members,
    public_key_from_jwk,
    public_key_from_method,
)
from vcbadge.protocols import PublicKey, Signer

__all__ = [
    "JOSE_ALGORITHMS",
    "MAX_HEADER_BYTES",
    "MAX_HEADER_MEMBERS",
    "MAX_PAYLOAD_BYTES",
    "CompactJws",
    "VerifyingKey",
    "check_header",
    "jose_algorithm_for",
    "jwk_thumbprint",
    "looks_like_compact_jws",
    "parse_compact",
    "public_key_from_jwk",
    "public_key_from_method",
    "sign_compact",
    "verify_jws_signature",
]

JOSE_ALGORITHMS: Mapping[str, str] = {
    "EdDSA": "Ed25519",
    "ES256": "P-256",
    "ES384": "P-384",
    "RS256": "RSA",
}
"""JWS ``alg`` -> the key algorithm (``Signer.algorithm``) it needs."""

MAX_HEADER_BYTES = 16 * 1024
"""Default cap on the decoded JOSE header: an RSA-4096 ``jwk`` is under 1 KiB, an ``x5c``
chain of three certificates under 8 KiB."""

MAX_HEADER_MEMBERS = 16
"""Default cap on the number of top-level header members (RFC 7515 registers 11)."""

MAX_PAYLOAD_BYTES = 2 * 1024 * 1024
"""Default cap on the decoded payload (the credential): the JSON a credential may hold once
its images are data URLs, well below the cap on the whole token."""

_BY_KEY_ALGORITHM = {key: alg for alg, key in JOSE_ALGORITHMS.items()}
# A JSON object header always base64url-encodes to a first character "e" ("{" is 0x7B), and
# no JSON text starts with "e"; padding and the standard alphabet are let through so that
# they are reported as malformed JWTs rather than as invalid JSON.
_COMPACT_RE = re.compile(r"e[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=+/.-]*")


VerifyingKey = PublicKey
"""What JWS verification needs from a public key (the name JOSE callers know it by)."""


@dataclass(frozen=True)
class CompactJws:
    """A parsed compact JWS: protected header, JSON payload, signing input and signature."""

    header: dict[str, Any]
    payload: dict[str, Any]
    signing_input: bytes
    signature: bytes


def jose_algorithm_for(key_algorithm: str) -> str:
    """The JWS ``alg`` for a signer's ``algorithm`` (``"Ed25519"`` -> ``"EdDSA"``...).

    Raises:
        UnsupportedError: ``jwt_alg_unsupported`` for a key type JOSE signing does not cover.
    """
    try:
        return _BY_KEY_ALGORITHM[key_algorithm]
    except KeyError:
        raise UnsupportedError(
            f"no JWS algorithm for {key_algorithm!r} keys; "
            f"supported: {', '.join(sorted(_BY_KEY_ALGORITHM))}",
            code="jwt_alg_unsupported",
        ) from None


def looks_like_compact_jws(received: object) -> bool:
    """Whether ``received`` (text or bytes) is shaped like a compact JWS rather than JSON.

    Only the shape is judged (base64url segments joined by dots, surrounding whitespace
    allowed), so a malformed token is still routed to JWT verification and reported as
    ``jwt_malformed`` instead of "invalid JSON".
    """
    if isinstance(received, (bytes, bytearray)):
        try:
            text = bytes(received).decode("ascii")
        except UnicodeDecodeError:
            return False
    elif isinstance(received, str):
        text = received
    else:
        return False
    return _COMPACT_RE.fullmatch(text.strip()) is not None


def parse_compact(
    token: str | bytes,
    *,
    max_bytes: int = 4 * 1024 * 1024,
    max_depth: int = 64,
    max_header_bytes: int = MAX_HEADER_BYTES,
    max_header_members: int = MAX_HEADER_MEMBERS,
    max_payload_bytes: int = MAX_PAYLOAD_BYTES,
) -> CompactJws:
    """Split and decode a compact JWS; nothing is verified yet.

    The size caps are checked on the base64url text, before anything is decoded or parsed.

    Raises:
        InputError: ``jwt_malformed`` (``path`` ``/header``, ``/payload`` or ``/signature``)
            for anything but three canonical base64url segments holding a JSON object header
            and a JSON object payload.
        LimitExceeded: ``limit_exceeded`` above ``max_bytes`` (the whole token);
            ``jwt_header_too_large`` / ``jwt_payload_too_large`` when the decoded header or
            payload would exceed ``max_header_bytes`` / ``max_payload_bytes``;
            ``jwt_header_too_many_members`` above ``max_header_members``.
    """
    if isinstance(token, (bytes, bytearray)):
        if len(token) > max_bytes:
            raise LimitExceeded(f"the JWT is larger than {max_bytes} bytes")
        try:
            token = bytes(token).decode("ascii")
        except UnicodeDecodeError:
            _malformed("a compact JWS is ASCII text", "")
    text = token.strip()
    if len(text) > max_bytes:
        raise LimitExceeded(f"the JWT is larger than {max_bytes} bytes")
    parts = text.split(".")
    if len(parts) != 3:
        _malformed(
            f"a compact JWS has 3 dot-separated parts, this has {len(parts)}"
            + (" (5 parts is JWE, which vcbadge does not decrypt)" if len(parts) == 5 else ""),
            "",
        )
    _check_segment_size(parts[0], "header", max_header_bytes, "jwt_header_too_large")
    _check_segment_size(parts[1], "payload", max_payload_bytes, "jwt_payload_too_large")
    header = _json_segment(parts[0], "header", max_bytes=max_header_bytes, max_depth=max_depth)
    if len(header) > max_header_members:
        raise LimitExceeded(
            f"the header has {len(header)} members; at most {max_header_members} are accepted",
            code="jwt_header_too_many_members",
            path="/header",
        )
    payload = _json_segment(parts[1], "payload", max_bytes=max_payload_bytes, max_depth=max_depth)
    try:
        signature = b64url_decode(parts[2])
    except ValueError as exc:
        _malformed(f"the signature is not base64url: {exc}", "/signature")
    return CompactJws(
        header=header,
        payload=payload,
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=signature,
    )


def _check_segment_size(segment: str, what: str, limit: int, code: str) -> None:
    # Four base64url characters carry three bytes; the decoded size is known without decoding.
    decoded = len(segment) * 3 // 4
    if decoded > limit:
        raise LimitExceeded(
            f"the {what} is about {decoded} bytes; at most {limit} are accepted",
            code=code,
            path=f"/{what}",
        )


def _json_segment(segment: str, what: str, *, max_bytes: int, max_depth: int) -> dict[str, Any]:
    try:
        raw = b64url_decode(segment)
    except ValueError as exc:
        _malformed(f"the {what} is not base64url: {exc}", f"/{what}")
    try:
        value = loads_strict(raw, max_bytes=max_bytes, max_depth=max_depth)
    except LimitExceeded:
        raise
    except InputError as exc:
        _malformed(f"the {what} is not strict JSON: {exc.message}", f"/{what}{exc.path}")
    if not isinstance(value, dict):
        _malformed(f"the {what} must be a JSON object", f"/{what}")
    return value


def check_header(header: Mapping[str, Any], allowed_algorithms: frozenset[str]) -> str:
    """Check the protected header against the policy and return its ``alg``.

    This runs before any key is resolved, so the token never chooses how it is verified.

    Raises:
        PolicyViolation: ``jwt_alg_none``, ``jwt_alg_hmac``, ``jwt_alg_not_allowed``,
            ``jwt_crit_unsupported``, ``jwt_private_key_in_header`` (INVALID).
        InputError: ``jwt_malformed`` when ``alg`` is missing or not a string.
        UnsupportedError: ``jwt_alg_unsupported`` for an allowed algorithm vcbadge does not
            implement (INDETERMINATE).
    """
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        _malformed("the header has no 'alg' string", "/header/alg")
    if alg.lower() == "none":
        raise PolicyViolation(
            "alg 'none' means the JWT is not signed; it is never accepted",
            code="jwt_alg_none",
            path="/header/alg",
        )
    if alg.upper().startswith("HS"):
        raise PolicyViolation(
            f"alg {alg!r} is an HMAC (shared secret) algorithm; credentials are signed with "
            "public-key algorithms, and a public key must never be used as an HMAC secret",
            code="jwt_alg_hmac",
            path="/header/alg",
        )
    if alg not in allowed_algorithms:
        raise PolicyViolation(
            f"alg {alg!r} is not allowed by the policy "
            f"(allowed: {', '.join(sorted(allowed_algorithms))})",
            code="jwt_alg_not_allowed",
            path="/header/alg",
        )
    if alg not in JOSE_ALGORITHMS:
        raise UnsupportedError(
            f"alg {alg!r} is not implemented by vcbadge "
            f"(implemented: {', '.join(sorted(JOSE_ALGORITHMS))})",
            code="jwt_alg_unsupported",
            path="/header/alg",
        )
    if "crit" in header:
        crit = header["crit"]
        if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
            _malformed("'crit' must be a non-empty array of strings", "/header/crit")
        raise PolicyViolation(
            f"the header marks {', '.join(crit)} as critical; vcbadge understands no JWS "
            "extension, so it must refuse the token (RFC 7515 section 4.1.11)",
            code="jwt_crit_unsupported",
            path="/header/crit",
        )
    if "jwk" in header:
        jwk = header["jwk"]
        if not isinstance(jwk, Mapping):
            _malformed("'jwk' must be a JSON object", "/header/jwk")
        private = private_jwk_members(jwk)
        if private:
            raise PolicyViolation(
                f"the 'jwk' header contains private key material ({private[0]!r}); "
                "the private key is compromised",
                code="jwt_private_key_in_header",
                path=f"/header/jwk/{private[0]}",
            )
    if "kid" in header and (not isinstance(header["kid"], str) or not header["kid"]):
        _malformed("'kid' must be a non-empty string", "/header/kid")
    return alg


def sign_compact(header: Mapping[str, Any], payload: Mapping[str, Any], signer: Signer) -> str:
    """Serialize and sign; ``header["alg"]`` must be the JWS algorithm of ``signer``.

    Raises:
        InputError: ``key_algorithm_mismatch`` when ``alg`` does not fit the signer's key.
    """
    alg = header.get("alg")
    expected = jose_algorithm_for(signer.algorithm)
    if alg != expected:
        raise InputError(
            f"alg {alg!r} needs a {JOSE_ALGORITHMS.get(str(alg), 'different')} key; "
            f"the signer is {signer.algorithm} ({expected})",
            code="key_algorithm_mismatch",
        )
    header_b64 = b64url_encode(_compact_json(header))
    payload_b64 = b64url_encode(_compact_json(payload))
    signing_input = f"{header_b64}.{payload_b64}"
    signature = signer.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


def _compact_json(value: Mapping[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def verify_jws_signature(jws: CompactJws, alg: str, key: VerifyingKey) -> None:
    """Raise unless ``jws`` carries a valid ``alg`` signature by ``key``.

    Raises:
        VerificationError: ``jwt_key_alg_mismatch`` when the key's type is not the one ``alg``
            names (an RSA key offered for ``EdDSA``, say).
        InvalidSignature: ``invalid_signature`` (path ``/signature``).
    """
    needed = JOSE_ALGORITHMS[alg]
    if key.algorithm != needed:
        raise VerificationError(
            f"alg {alg} needs a {needed} key; the key found is {key.algorithm}",
            code="jwt_key_alg_mismatch",
            path="/header/alg",
        )
    if not key.verify(jws.signature, jws.signing_input):
        raise InvalidSignature(
            "the JWS signature does not match the header and payload", path="/signature"
        )


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """The RFC 7638 SHA-256 thumbprint of a public JWK (base64url).

    Raises:
        KeyFormatError: the members the thumbprint needs are missing.
    """
    required = {
        "RSA": ("e", "kty", "n"),
        "EC": ("crv", "kty", "x", "y"),
        "OKP": ("crv", "kty", "x"),
    }
    members = required.get(str(jwk.get("kty")))
    if members is None or not all(isinstance(jwk.get(m), str) for m in members):
        raise KeyFormatError(f"cannot compute the thumbprint of JWK kty {jwk.get('kty')!r}")
    canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
    return b64url_encode(hashlib.sha256(canonical.encode("utf-8")).digest())


def _malformed(message: str, path: str) -> NoReturn:
    raise InputError(message, code="jwt_malformed", path=path)
