"""Hashed recipient identities (OB 3.0 IdentityObject): ``sha256$`` + hex(SHA-256(value + salt))."""

from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["hash_identity", "identity_matches"]


def hash_identity(value: str, salt: str) -> str:
    """The OB 3.0 ``identityHash`` of ``value`` salted with ``salt``."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def identity_matches(value: str, identity_hash: str, salt: str | None) -> bool:
    """Whether a known value (e.g. an email address) is the one behind ``identity_hash``.

    Emails are compared as given and lower-cased, since address case is rarely significant.
    """
    if not identity_hash.startswith("sha256$"):
        return False
    candidates = {value, value.lower()}
    return any(
        hmac.compare_digest(hash_identity(candidate, salt or ""), identity_hash)
        for candidate in candidates
    )


def new_salt() -> str:
    """A fresh random salt (hex, 128 bits)."""
    return secrets.token_hex(16)
