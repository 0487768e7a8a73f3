"""Open Badges 3.0 credentials: AchievementCredential (a.k.a. OpenBadgeCredential) with its
AchievementSubject and Results, and EndorsementCredential with its EndorsementSubject."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime
from vcbadge.errors import ModelError
from vcbadge.model.achievement import Achievement
from vcbadge.model.base import URI, DateTime, Number, OBModel, OneOrMany, as_list, types_default
from vcbadge.model.common import Alignment, Image
from vcbadge.model.envelope import (
    Credential,
    DataModel,
    EndorsementCredential,
    EndorsementSubject,
    Profile,
)
from vcbadge.model.identity import IdentityObject
from vcbadge.model.vocabulary import RESULT_STATUSES

__all__ = [
    "RESULT_STATUSES",
    "AchievementCredential",
    "AchievementSubject",
    "EndorsementCredential",
    "EndorsementSubject",
    "OpenBadgeCredential",
    "Result",
]


class Result(OBModel):
    """A result the learner obtained, described by a ResultDescription of the achievement
    (``result_description`` is that description's ``id``)."""

    type: OneOrMany[str] = types_default("Result")
    achieved_level: URI | None = None
    """The ``id`` of the RubricCriterionLevel reached."""
    alignment: OneOrMany[Alignment] | None = None
    result_description: URI | None = None
    status: str | None = None
    value: str | None = None


class AchievementSubject(OBModel):
    """The recipient and the achievement they earned."""

    id: URI | None = None
    type: OneOrMany[str] = types_default("AchievementSubject")
    achievement: Achievement
    identifier: OneOrMany[IdentityObject] | None = None
    activity_end_date: DateTime | None = None
    activity_start_date: DateTime | None = None
    credits_earned: Number | None = None
    image: Image | None = None
    license_number: str | None = None
    narrative: str | None = None
    result: OneOrMany[Result] | None = None
    role: str | None = None
    source: Profile | None = None
    term: str | None = None


class AchievementCredential(Credential):
    """An OpenBadgeCredential (a.k.a. AchievementCredential): an achievement awarded to one
    learner."""

    type: OneOrMany[str] = types_default("VerifiableCredential", "OpenBadgeCredential")
    credential_subject: AchievementSubject
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsement_jwt: OneOrMany[str] | None = None

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
        data_model: DataModel = "2.0",
        result: Result | list[Result] | None = None,
        subject: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> AchievementCredential:
        """Award ``achievement`` to a recipient given as a DID or URL (``recipient``) or as an
        email address (``recipient_email``, stored only as a salted SHA-256 hash).

        ``issuer`` and ``validFrom`` (``issuanceDate`` for ``data_model="1.1"``) are filled in
        by ``Issuer.issue`` when not given here. ``result`` is what the learner obtained (a
        score, a rubric level); other members of the subject go in ``subject`` (e.g.
        ``{"credits_earned": 3}``) and other members of the credential in ``extra`` (e.g.
        ``evidence=[...]``, ``credential_schema=[...]``).
        """
        if (recipient is None) == (recipient_email is None):
            raise ModelError(
                "give exactly one of recipient (DID or URL) and recipient_email",
                code="model_invalid",
                path="/credentialSubject",
            )
        identifier = None
        if recipient_email is not None:
            identifier = [IdentityObject.hashed_email(recipient_email, salt=salt)]
        subject_members = dict(subject or {})
        if result is not None:
            subject_members["result"] = result
        credential_subject = AchievementSubject(
            id=recipient, achievement=achievement, identifier=identifier, **subject_members
        )
        start = format_datetime(valid_from) if valid_from else None
        end = format_datetime(valid_until) if valid_until else None
        version_2 = data_model == "2.0"
        credential = cls(
            name=name or achievement.name,
            credential_subject=credential_subject,
            valid_from=start if version_2 else None,
            valid_until=end if version_2 else None,
            issuance_date=None if version_2 else start,
            expiration_date=None if version_2 else end,
            **extra,
        )
        credential.use_data_model(data_model)
        return credential

    @property
    def achievement(self) -> Achievement:
        """The achievement awarded."""
        return self.credential_subject.achievement

    @property
    def endorsements(self) -> list[EndorsementCredential]:
        """``endorsement`` as a list."""
        return as_list(self.endorsement)


OpenBadgeCredential = AchievementCredential
