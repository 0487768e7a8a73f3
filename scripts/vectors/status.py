"""Status vectors: a credential with a BitstringStatusListEntry, and the signed
BitstringStatusListCredential it points to in ``documents`` (by its URL).

The lists are built here, not by vcbadge: 131,072 one-bit entries (the specification's
minimum), bit 0 the most significant bit of the first byte, GZIP (see deflate.py), base64url
with the multibase prefix ``u``. Status cases are verified exactly like verify cases."""

from __future__ import annotations

from typing import Any

from .common import (
    Case,
    Json,
    SigningKey,
    b64url,
    created,
    ed25519,
    issue,
    key_entry,
    unsigned,
    verify_case,
)
from .deflate import gzip_bytes

SPEC = "https://www.w3.org/TR/vc-bitstring-status-list/#validate-algorithm"
BASE = "https://badges.example.edu/status"
REVOCATION_URL = f"{BASE}/revocation/1"
SUSPENSION_URL = f"{BASE}/suspension/1"
LIST_BITS = 131072
SET_INDEX = 42  # set in both lists
CLEAR_INDEX = 7


def encoded_list(set_indexes: set[int]) -> str:
    bits = bytearray(LIST_BITS // 8)
    for index in set_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + b64url(gzip_bytes(bytes(bits)))


def status_list(url: str, purpose: str, key: SigningKey, set_indexes: set[int]) -> Json:
    """A BitstringStatusListCredential at ``url``, issued and signed by ``key``."""
    draft: Json = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": key.controller,
        "validFrom": created(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list(set_indexes),
        },
    }
    return issue(key, draft)


def entry(url: str, purpose: str, index: int) -> Json:
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def credential(key: SigningKey, number: int, status: Json) -> Json:
    document = unsigned(number)
    document["credentialStatus"] = status
    return issue(key, document)


def cases() -> dict[str, Case]:
    key = ed25519(0x42)
    stranger = ed25519(0x44)
    revocations = status_list(REVOCATION_URL, "revocation", key, {SET_INDEX})
    suspensions = status_list(SUSPENSION_URL, "suspension", key, {SET_INDEX})
    forged = status_list(REVOCATION_URL, "revocation", stranger, set())
    not_revoked = credential(key, 51, entry(REVOCATION_URL, "revocation", CLEAR_INDEX))
    revoked = credential(key, 52, entry(REVOCATION_URL, "revocation", SET_INDEX))
    suspended = credential(key, 53, entry(SUSPENSION_URL, "suspension", SET_INDEX))
    keys = [key_entry(key, secret=False)]
    common: dict[str, Any] = {"spec": SPEC, "kind": "status"}
    return {
        "status/verify-not-revoked.json": verify_case(
            "status/verify-not-revoked",
            f"Revocation entry at index {CLEAR_INDEX}; the issuer's list (in documents) has "
            f"only bit {SET_INDEX} set: VALID.",
            not_revoked,
            "VALID",
            [],
            keys=keys,
            documents={REVOCATION_URL: revocations},
            **common,
        ),
        "status/verify-revoked.json": verify_case(
            "status/verify-revoked",
            f"Revocation entry at index {SET_INDEX}, whose bit is set: revoked.",
            revoked,
            "INVALID",
            ["revoked"],
            keys=keys,
            documents={REVOCATION_URL: revocations},
            **common,
        ),
        "status/verify-suspended.json": verify_case(
            "status/verify-suspended",
            f"Suspension entry at index {SET_INDEX}, whose bit is set in the suspension list: "
            "suspended.",
            suspended,
            "INVALID",
            ["suspended"],
            keys=keys,
            documents={SUSPENSION_URL: suspensions},
            **common,
        ),
        "status/verify-list-missing.json": verify_case(
            "status/verify-list-missing",
            "The status list credential is not available (no document for its URL, no "
            "network): INDETERMINATE, status_list_unavailable; never VALID.",
            not_revoked,
            "INDETERMINATE",
            ["status_list_unavailable"],
            keys=keys,
            **common,
        ),
        "status/verify-list-other-issuer.json": verify_case(
            "status/verify-list-other-issuer",
            "The document served at the list's URL is a correctly signed list issued by "
            "another DID (with no bit set): a list anyone can sign would let anyone un-revoke "
            "a badge, so status_list_issuer_mismatch (INVALID by default policy).",
            revoked,
            "INVALID",
            ["status_list_issuer_mismatch"],
            keys=[*keys, key_entry(stranger, secret=False)],
            documents={REVOCATION_URL: forged},
            **common,
        ),
    }
