"""Recipient identities: the OB 3.0 IdentityObject and hashed identifiers.

A hashed identity is ``sha256$`` + hex(SHA-256(value + salt)), the value and salt encoded in
UTF-8 (OB 3.0, IdentityHash).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from vcbadge.model.base import OBModel, OneOrMany

__all__ = [
    "IDENTITY_HASHES",
    "IdentityObject",
    "hash_identity",
    "identity_matches",
    "new_salt",
]


def hash_identity(value: str, salt: str) -> str:
    """The OB 3.0 ``identityHash`` of ``value`` salted with ``salt``."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


# The digests an OB 3.0 IdentityHash may use ("sha256$" + 64 hex digits, or "md5$" + 32).
# vcbadge issues sha256 only; md5 is read, for credentials issued elsewhere.
IDENTITY_HASHES = {"sha256": hashlib.sha256, "md5": hashlib.md5}


def identity_matches(value: str, identity_hash: str, salt: str | None) -> bool:
    """Whether a known value (e.g. an email address) is the one behind ``identity_hash``
    (``sha256$`` or ``md5$`` + hex digest of the value followed by ``salt``).

    Emails are compared as given and lower-cased, since address case is rarely significant.
    A plaintext identity (``hashed: false``) is compared with :meth:`IdentityObject.matches`.
    A hash of another algorithm never matches.
    """
    algorithm, separator, digest = identity_hash.partition("$")
    hasher = IDENTITY_HASHES.get(algorithm.lower())
    if not separator or hasher is None:
        return False
    candidates = {value, value.lower()}
    return any(
        hmac.compare_digest(
            hasher((candidate + (salt or "")).encode("utf-8")).hexdigest(), digest.lower()
        )
        for candidate in candidates
    )


def new_salt() -> str:
    """A fresh random salt (hex, 128 bits)."""
    return secrets.token_hex(16)


class IdentityObject(OBModel):
    """A recipient identifier, usually a salted hash of an email address."""

    type: OneOrMany[str] = "IdentityObject"
    identity_hash: str
    identity_type: str
    """``emailAddress``, ``sourcedId``, ``studentId``... or an ``ext:`` extension value."""
    hashed: bool
    salt: str | None = None

    @classmethod
    def hashed_email(cls, email: str, *, salt: str | None = None) -> IdentityObject:
        """The identity of an email address, salted (a fresh salt unless given) and hashed.

        The address is hashed lower-cased: a verifier that knows the address in any case
        tries its lower-cased form, while a hash of ``Ada@Example.org`` as written would match
        only that exact spelling.
        """
        salt = salt if salt is not None else new_salt()
        return cls(
            identity_hash=hash_identity(email.lower(), salt),
            identity_type="emailAddress",
            hashed=True,
            salt=salt,
        )

    def matches(self, value: str) -> bool:
        """Whether ``value`` (e.g. a known email address) is this identity."""
        if not self.hashed:
            return hmac.compare_digest(self.identity_hash, value)
        return identity_matches(value, self.identity_hash, self.salt)
