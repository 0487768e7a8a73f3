"""The 1EdTech Open Badges 3.0 Displayer certification cases: a valid badge, an expired badge
that is not revoked, and a revoked badge that is not expired, each as a VC 2.0 and as a VC 1.1
credential, revocation checked through either mechanism OB 3.0 names.

A certified displayer shows each badge (image, name, description, issuer name, issuance date)
with its status, and lets the viewer verify it; these cases are the verification half: what the
displayer must answer for each. Revocation uses a W3C status list (BitstringStatusList for VC
2.0, StatusList2021 for VC 1.1, whose context predates Bitstring Status List) or the 1EdTech
Revocation List (``1EdTechRevocationList``, an unsigned JSON document of revoked credential ids
at the entry's ``id``, defined by the OB extensions context). The lists are in ``documents``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from vcbadge._time import format_datetime

from .common import ISSUED, Case, Json, SigningKey, ed25519, issue, key_entry, unsigned, verify_case
from .status import encoded_list
from .status import entry as bitstring_entry
from .status import status_list as bitstring_list

FOLDER = "displayer"
SPEC = "https://www.imsglobal.org/spec/ob/v3p0/cert/"
VC1 = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
SL2021_CONTEXT = "https://w3id.org/vc/status-list/2021/v1"
BASE = "https://badges.example.edu/displayer"
BITSTRING_URL = f"{BASE}/status/bitstring/1"
SL2021_URL = f"{BASE}/status/2021/1"
REVOCATION_LIST_URL = f"{BASE}/revocations"
REVOKED_INDEX = 3
CLEAR_INDEX = 4
# Verification is at common.AT (2025-06-01): these dates are before it, the issue date ISSUED.
EXPIRED_ON = format_datetime(ISSUED + timedelta(days=90))
NEVER_EXPIRES_BEFORE = format_datetime(ISSUED + timedelta(days=3650))


def _statuslist2021(key: SigningKey) -> Json:
    """A StatusList2021Credential (VC 1.1) with bit REVOKED_INDEX set; its encodedList has no
    multibase prefix (StatusList2021 predates it)."""
    draft: Json = {
        "@context": [VC1, SL2021_CONTEXT],
        "id": SL2021_URL,
        "type": ["VerifiableCredential", "StatusList2021Credential"],
        "issuer": key.controller,
        "credentialSubject": {
            "id": f"{SL2021_URL}#list",
            "type": "StatusList2021",
            "statusPurpose": "revocation",
            "encodedList": encoded_list({REVOKED_INDEX})[1:],
        },
    }
    return issue(key, draft)


def _sl2021_entry(index: int) -> Json:
    return {
        "id": f"{SL2021_URL}#{index}",
        "type": "StatusList2021Entry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": SL2021_URL,
    }


def _list_entry(vc11: bool, index: int) -> Json:
    """The W3C status list entry of the form: StatusList2021 (VC 1.1) or Bitstring (VC 2.0)."""
    if vc11:
        return _sl2021_entry(index)
    return bitstring_entry(BITSTRING_URL, "revocation", index)


def _revocation_list_entry() -> Json:
    return {"id": REVOCATION_LIST_URL, "type": "1EdTechRevocationList"}


def _badge(key: SigningKey, number: int, *, vc11: bool, status: Json, expires: str) -> Json:
    """An OpenBadgeCredential in the VC 2.0 or VC 1.1 form, with ``status`` and an end of
    validity (``validUntil`` / ``expirationDate``), signed at ISSUED."""
    document: dict[str, Any] = unsigned(number)
    contexts = [VC1, OB_CONTEXT] if vc11 else list(document["@context"])
    if status["type"] == "1EdTechRevocationList":
        contexts.append(OB_EXTENSIONS)
    elif status["type"] == "StatusList2021Entry":
        contexts.append(SL2021_CONTEXT)
    document["@context"] = contexts
    document["description"] = "Awarded for leading the spring term's team project."
    document["credentialStatus"] = status
    document["expirationDate" if vc11 else "validUntil"] = expires
    return issue(key, document)


def cases() -> dict[str, Case]:
    key = ed25519(0x3D)
    keys = [key_entry(key, secret=False)]
    bitstring = bitstring_list(BITSTRING_URL, "revocation", key, {REVOKED_INDEX})
    sl2021 = _statuslist2021(key)
    result: dict[str, Case] = {}
    for vc11, form, number in ((False, "vc2", 300), (True, "vc11", 310)):
        if vc11:
            list_name, list_url, listing = "StatusList2021", SL2021_URL, sl2021
            version = "VC 1.1 (issuanceDate, expirationDate)"
        else:
            list_name, list_url, listing = "BitstringStatusList", BITSTRING_URL, bitstring
            version = "VC 2.0 (validFrom, validUntil)"
        revoked_id = f"urn:uuid:00000000-0000-4000-8000-{number + 4:012d}"
        revocations = {
            "id": REVOCATION_LIST_URL,
            "issuer": key.controller,
            "revokedCredentials": [{"id": revoked_id, "revoked": True}],
        }
        status_docs = {list_url: listing}
        revocation_docs = {REVOCATION_LIST_URL: revocations}
        badges = {
            "valid": _badge(
                key,
                number,
                vc11=vc11,
                status=_list_entry(vc11, CLEAR_INDEX),
                expires=NEVER_EXPIRES_BEFORE,
            ),
            "valid-revocation-list": _badge(
                key,
                number + 1,
                vc11=vc11,
                status=_revocation_list_entry(),
                expires=NEVER_EXPIRES_BEFORE,
            ),
            "expired-not-revoked": _badge(
                key,
                number + 2,
                vc11=vc11,
                status=_list_entry(vc11, CLEAR_INDEX),
                expires=EXPIRED_ON,
            ),
            "revoked-not-expired": _badge(
                key,
                number + 3,
                vc11=vc11,
                status=_list_entry(vc11, REVOKED_INDEX),
                expires=NEVER_EXPIRES_BEFORE,
            ),
            "revoked-not-expired-revocation-list": _badge(
                key,
                number + 4,
                vc11=vc11,
                status=_revocation_list_entry(),
                expires=NEVER_EXPIRES_BEFORE,
            ),
        }
        described = {
            "valid": (
                f"Displayer certification, valid badge, {version}: signed (eddsa-rdfc-2022) by "
                f"its did:key issuer, in force, with a {list_name} revocation entry whose bit "
                "is clear. A displayer shows it (image, name, description, issuer name, issue "
                "date) as valid.",
                "VALID",
                [],
                status_docs,
            ),
            "valid-revocation-list": (
                f"Displayer certification, valid badge, {version}, revocation through the "
                "1EdTech Revocation List: the list at the entry's id (issued by the badge's "
                "issuer) does not name this credential.",
                "VALID",
                [],
                revocation_docs,
            ),
            "expired-not-revoked": (
                f"Displayer certification, expired badge that is not revoked, {version}: its "
                f"end of validity ({EXPIRED_ON}) is before the verification time and its "
                f"{list_name} bit is clear. A displayer shows it as expired (not as revoked, "
                "not as forged): expired.",
                "INVALID",
                ["expired"],
                status_docs,
            ),
            "revoked-not-expired": (
                f"Displayer certification, revoked badge that is not expired, {version}: its "
                f"{list_name} revocation bit ({REVOKED_INDEX}) is set; it is valid until "
                f"{NEVER_EXPIRES_BEFORE}. A displayer shows it as revoked: revoked.",
                "INVALID",
                ["revoked"],
                status_docs,
            ),
            "revoked-not-expired-revocation-list": (
                f"Displayer certification, revoked badge that is not expired, {version}, "
                "revocation through the 1EdTech Revocation List: the list at the entry's id "
                "names this credential (revoked: true): revoked.",
                "INVALID",
                ["revoked"],
                revocation_docs,
            ),
        }
        for name, (description, outcome, codes, documents) in described.items():
            case_id = f"{FOLDER}/{form}-{name}"
            result[f"{case_id}.json"] = verify_case(
                case_id,
                description,
                badges[name],
                outcome,
                codes,
                spec=SPEC,
                keys=keys,
                documents=documents,
            )
        if badges["revoked-not-expired-revocation-list"]["id"] != revoked_id:
            raise AssertionError("the 1EdTech list must name the revoked badge's id")
    return result
