"""The Open Badges 3.0 classes needed to build an OpenBadgeCredential (VC 2.0 form).

The full OB 3.0 / CLR 2.0 data model grows from these classes; every class keeps members it
does not know.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field, field_validator

from vcbadge._time import format_datetime
from vcbadge.errors import ModelError
from vcbadge.model.base import OBModel
from vcbadge.model.identity import hash_identity, new_salt

__all__ = [
    "OB_CONTEXT",
    "VC_V2_CONTEXT",
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Criteria",
    "IdentityObject",
    "Image",
    "OpenBadgeCredential",
    "Profile",
]

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


def _require_uri(value: str | None) -> str | None:
    if value is not None and ":" not in value:
        raise ValueError(f"{value!r} is not an absolute URI (it needs a scheme such as https:)")
    return value


class Image(OBModel):
    """An image: ``id`` is its URL or a ``data:`` URI."""

    id: str
    type: str = "Image"
    caption: str | None = None

    _check_id = field_validator("id")(_require_uri)


class Profile(OBModel):
    """An issuer (or other party): ``id`` is a URL or DID that the issuer's key is controlled by."""

    id: str
    type: list[str] = Field(default_factory=lambda: ["Profile"])
    name: str | None = None
    url: str | None = None
    email: str | None = None
    description: str | None = None
    image: Image | None = None

    _check_id = field_validator("id")(_require_uri)


class Criteria(OBModel):
    """How the achievement is earned: a URL and/or a narrative (Markdown allowed)."""

    id: str | None = None
    narrative: str | None = None


class Achievement(OBModel):
    """What is recognised: a course completion, a skill, a certification..."""

    id: str
    type: list[str] = Field(default_factory=lambda: ["Achievement"])
    name: str
    description: str
    criteria: Criteria
    image: Image | None = None
    achievement_type: str | None = None
    tag: list[str] | None = None

    _check_id = field_validator("id")(_require_uri)


class IdentityObject(OBModel):
    """A recipient identifier, usually a salted hash of an email address."""

    type: str = "IdentityObject"
    identity_hash: str
    identity_type: str
    hashed: bool
    salt: str | None = None


class AchievementSubject(OBModel):
    """The recipient and the achievement they earned."""

    id: str | None = None
    type: list[str] = Field(default_factory=lambda: ["AchievementSubject"])
    achievement: Achievement
    identifier: list[IdentityObject] | None = None

    _check_id = field_validator("id")(_require_uri)


class AchievementCredential(OBModel):
    """An OpenBadgeCredential (a.k.a. AchievementCredential) before it is signed."""

    context: list[str] = Field(
        default_factory=lambda: [VC_V2_CONTEXT, OB_CONTEXT], alias="@context"
    )
    id: str = Field(default_factory=lambda: f"urn:uuid:{uuid.uuid4()}")
    type: list[str] = Field(default_factory=lambda: ["VerifiableCredential", "OpenBadgeCredential"])
    name: str
    issuer: Profile | str | None = None
    valid_from: str | None = None
    valid_until: str | None = None
    credential_subject: AchievementSubject

    _check_id = field_validator("id")(_require_uri)

    @classmethod
    def award(
        cls,
        achievement: Achievement,
        *,
        recipient: str | None = None,
        recipient_email: str | None = None,
        salt: str | None = None,
        name: str | None = None,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        **extra: Any,
    ) -> AchievementCredential:
        """Award ``achievement`` to a recipient given as a DID or URL (``recipient``) or as an
        email address (``recipient_email``, stored only as a salted SHA-256 hash).

        ``issuer`` and ``validFrom`` are filled in by ``Issuer.issue`` when not given here.
        """
        if (recipient is None) == (recipient_email is None):
            raise ModelError(
                "give exactly one of recipient (DID or URL) and recipient_email",
                code="model_invalid",
                path="/credentialSubject",
            )
        identifier = None
        if recipient_email is not None:
            salt = salt if salt is not None else new_salt()
            identifier = [
                IdentityObject(
                    identity_hash=hash_identity(recipient_email, salt),
                    identity_type="emailAddress",
                    hashed=True,
                    salt=salt,
                )
            ]
        subject = AchievementSubject(id=recipient, achievement=achievement, identifier=identifier)
        return cls(
            name=name or achievement.name,
            credential_subject=subject,
            valid_from=format_datetime(valid_from) if valid_from else None,
            valid_until=format_datetime(valid_until) if valid_until else None,
            **extra,
        )


OpenBadgeCredential = AchievementCredential
