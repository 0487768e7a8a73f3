"""Open Badges 2.0 documents to migrate, written for these tests after the shapes of the OB 2.0
specification's examples (a hosted assertion naming its BadgeClass and issuer by URL, a signed
assertion embedding them, hashed and plain recipients, evidence, alignments, endorsements),
each with what migration must report.

The hashed identities are computed here, so each example also says which plain value it hides.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

OB2_CONTEXT_URL = "https://w3id.org/openbadges/v2"


def sha256_identity(value: str, salt: str) -> str:
    """An OB 2.0 (and OB 3.0) hashed identity: ``sha256$`` + hex(SHA-256(value + salt))."""
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Ob2Example:
    """One OB 2.0 award: the assertion, the BadgeClass and issuer when given separately, the
    plain recipient value, and the (document, path, code) entries its migration reports."""

    name: str
    assertion: dict[str, Any]
    badge_class: dict[str, Any] | None = None
    issuer: dict[str, Any] | None = None
    recipient: str
    report: frozenset[tuple[str, str, str]] = field(default_factory=frozenset)


ISSUER = {
    "@context": OB2_CONTEXT_URL,
    "id": "https://badges.example.org/issuer.json",
    "type": "Profile",
    "name": "Example Robotics Club",
    "url": "https://badges.example.org",
    "email": "badges@example.org",
    "telephone": "+1-555-0100",
    "description": "A club that awards badges for building robots.",
    "image": "https://badges.example.org/logo.png",
}

BADGE_CLASS = {
    "@context": OB2_CONTEXT_URL,
    "id": "https://badges.example.org/badges/robot-builder.json",
    "type": "BadgeClass",
    "name": "Robot Builder",
    "description": "Awarded for designing, building and demonstrating a working robot.",
    "image": "https://badges.example.org/badges/robot-builder.png",
    "criteria": {
        "id": "https://badges.example.org/badges/robot-builder.html",
        "narrative": "Build a robot that drives a 2 m course without help, and present it.",
    },
    "issuer": "https://badges.example.org/issuer.json",
    "tags": ["robotics", "engineering"],
    "alignment": [
        {
            "targetName": "Design a simple machine",
            "targetUrl": "https://standards.example.org/engineering/design-1",
            "targetDescription": "Plan and build a device that performs a task.",
            "targetFramework": "Example Engineering Standards",
            "targetCode": "ENG.DES.1",
        }
    ],
}

HOSTED_SALT = "mapleleaf"
HOSTED = Ob2Example(
    name="hosted",
    recipient="ada@example.com",
    assertion={
        "@context": OB2_CONTEXT_URL,
        "id": "https://badges.example.org/assertions/ada-robot-builder.json",
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": HOSTED_SALT,
            "identity": sha256_identity("ada@example.com", HOSTED_SALT),
        },
        "badge": "https://badges.example.org/badges/robot-builder.json",
        "verification": {"type": "HostedBadge"},
        "issuedOn": "2019-05-04T10:00:00Z",
        "expires": "2099-05-04T10:00:00Z",
        "image": "https://badges.example.org/assertions/ada-robot-builder.png",
        "narrative": "Ada's robot finished the course in 41 seconds.",
        "evidence": [
            {
                "id": "https://portfolio.example.com/ada/robot",
                "name": "Robot demonstration video",
                "narrative": "A video of the robot on the course.",
                "genre": "Video",
            }
        ],
    },
    badge_class=BADGE_CLASS,
    issuer=ISSUER,
    report=frozenset({("assertion", "/verification", "replaced_by_proof")}),
)

SIGNED_EMBEDDED = Ob2Example(
    name="signed-embedded",
    recipient="https://ada.example.com/",
    assertion={
        "@context": OB2_CONTEXT_URL,
        "id": "urn:uuid:2f7d4c1e-6b0a-4b8e-9a51-0c3f4d7e9b21",
        "type": "Assertion",
        "recipient": {"type": "url", "hashed": False, "identity": "https://ada.example.com/"},
        "badge": {
            "id": "urn:uuid:8c6b1f0a-3d2e-4f5a-b7c8-9d0e1f2a3b4c",
            "type": "BadgeClass",
            "name": "Soldering Basics",
            "description": "Can solder a through-hole circuit board safely.",
            "image": "data:image/png;base64,iVBORw0KGgo=",
            "criteria": {"narrative": "Solder the club's practice board and pass the check."},
            "issuer": {
                "id": "https://badges.example.org/issuer.json",
                "type": "Profile",
                "name": "Example Robotics Club",
                "url": "https://badges.example.org",
                "email": "badges@example.org",
                "publicKey": "https://badges.example.org/key.json",
                "revocationList": "https://badges.example.org/revocations.json",
            },
        },
        "verification": {
            "type": "SignedBadge",
            "creator": "https://badges.example.org/key.json",
        },
        "issuedOn": "2020-02-29T08:30:00+01:00",
        "evidence": "https://portfolio.example.com/ada/soldering",
    },
    report=frozenset(
        {
            ("assertion", "/verification", "replaced_by_proof"),
            # The issuer is embedded in the embedded BadgeClass: reported where it is.
            ("assertion", "/badge/issuer/publicKey", "replaced_by_proof"),
            ("assertion", "/badge/issuer/revocationList", "replaced_by_proof"),
        }
    ),
)

REPORTED_SALT = "0f3a"
REPORTED = Ob2Example(
    name="reported",
    recipient="+15550123",
    assertion={
        "@context": OB2_CONTEXT_URL,
        "id": "https://badges.example.org/assertions/grace-mentor.json",
        "type": "Assertion",
        "recipient": {
            "type": "telephone",
            "hashed": True,
            "salt": REPORTED_SALT,
            "identity": sha256_identity("+15550123", REPORTED_SALT)
            .upper()
            .replace("SHA256", "sha256"),
        },
        "badge": "https://badges.example.org/badges/mentor.json",
        "verification": {"type": "hosted"},
        "issuedOn": "2016-12-31",
        "revoked": False,
        "extensions:ApplyLink": {"url": "https://badges.example.org/apply"},
        "endorsement": [
            {
                "id": "https://partner.example.net/endorsements/1.json",
                "type": "Endorsement",
                "claim": {
                    "id": "https://badges.example.org/assertions/grace-mentor.json",
                    "endorsementComment": "Grace mentored our apprentices too.",
                },
                "issuer": "https://partner.example.net/issuer.json",
                "issuedOn": "2017-01-15T12:00:00Z",
                "verification": {"type": "HostedBadge"},
            }
        ],
    },
    badge_class={
        "@context": OB2_CONTEXT_URL,
        "id": "https://badges.example.org/badges/mentor.json",
        "type": "BadgeClass",
        "name": "Mentor",
        "description": "Mentored new members through their first robot.",
        "image": {
            "id": "https://badges.example.org/badges/mentor.png",
            "caption": "A gear with a star",
            "author": "https://artist.example.com/",
        },
        "criteria": "https://badges.example.org/badges/mentor.html",
        "issuer": "https://badges.example.org/issuer.json",
        "endorsement": "https://partner.example.net/endorsements/2.json",
        "related": [{"id": "https://badges.example.org/badges/mentor-es.json", "@language": "es"}],
    },
    issuer=ISSUER,
    report=frozenset(
        {
            ("assertion", "/verification", "replaced_by_proof"),
            ("assertion", "/issuedOn", "timezone_assumed"),
            ("assertion", "/extensions:ApplyLink", "not_migrated"),
            ("assertion", "/endorsement", "endorsement_not_migrated"),
            ("badge_class", "/image/author", "not_migrated"),
            ("badge_class", "/endorsement", "endorsement_not_migrated"),
        }
    ),
)

EXAMPLES = (HOSTED, SIGNED_EMBEDDED, REPORTED)

REVOKED_ASSERTION = {
    **HOSTED.assertion,
    "id": "https://badges.example.org/assertions/revoked.json",
    "revoked": True,
    "revocationReason": "Awarded by mistake",
}
