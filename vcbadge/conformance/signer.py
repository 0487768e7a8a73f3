"""vcbadge as a vector-set signer: signs a ``sign`` case's input with the case's key, the way
``vcbadge vectors sign INPUT KEY OUT`` does for ``vcbadge vectors run --issuer``.

``input`` is the case's ``input`` member (``credential``, ``issuer``, ``created``, and
``suite`` or ``format`` + ``alg``); ``key`` is the case's ``keys[0]`` entry (``type``,
``controller``, ``verificationMethod``, ``publicKeyMultibase`` + ``secretKeyMultibase`` or
``privateKeyJwk``). Another implementation's adapter reads the same two files.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.errors import InputError
from vcbadge.issue import Issuer
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys import EcKey, Ed25519Key, RsaKey
from vcbadge.model import Profile

__all__ = ["sign_case_input", "signing_key"]


def signing_key(entry: Mapping[str, Any]) -> Ed25519Key | EcKey | RsaKey:
    """The private key of a case's ``keys`` entry.

    Raises:
        InputError: ``vector_case_invalid`` when the entry holds no private key.
    """
    try:
        if entry.get("type") == "RSA":
            return RsaKey.from_jwk(entry["privateKeyJwk"])
        key_class = Ed25519Key if entry.get("type") == "Ed25519" else EcKey
        return key_class.from_multikey(entry["publicKeyMultibase"], entry["secretKeyMultibase"])
    except KeyError as missing:
        raise InputError(f"the key entry has no {missing}", code="vector_case_invalid") from None


def sign_case_input(given: Mapping[str, Any], key_entry: Mapping[str, Any]) -> dict[str, Any] | str:
    """Sign a ``sign`` case's input: a secured JSON document, or a compact JWS text."""
    key = signing_key(key_entry)
    profile = Profile.from_json(given["issuer"])
    at = parse_datetime(given["created"])
    if "suite" in given:
        return Issuer(profile, key=key, suite=given["suite"]).issue(given["credential"], at=at)
    issuer = JwtIssuer(profile, key=key)
    if given.get("format") == "vc-jwt":
        return issuer.issue_jwt(given["credential"], alg=given["alg"], at=at)
    if given.get("format") == "vc-jose-cose":
        return issuer.issue_enveloped(given["credential"], alg=given["alg"], at=at)
    raise InputError(
        "the input names neither a suite nor a known format", code="vector_case_invalid"
    )
