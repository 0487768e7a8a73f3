"""Comprehensive Learner Record 2.0: ClrCredential, ClrSubject and Association.

The credentials a CLR bundles are signed by their own issuers, so ``verifiableCredential``
carries them as the JSON objects received, unchanged: re-serializing a signed credential from a
model could change what its proof covers. ``ClrSubject.credentials()`` parses them on demand.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime
from vcbadge.model.achievement import Achievement
from vcbadge.model.base import URI, JsonObject, OBModel, OneOrMany, as_list, types_default
from vcbadge.model.credential import AchievementCredential, EndorsementCredential
from vcbadge.model.envelope import Credential
from vcbadge.model.identity import IdentityObject
from vcbadge.model.vocabulary import ASSOCIATION_TYPES

__all__ = ["ASSOCIATION_TYPES", "Association", "ClrCredential", "ClrSubject"]


class Association(OBModel):
    """How two achievements of the record relate (``isChildOf``, ``precedes``...)."""

    type: OneOrMany[str] = "Association"
    association_type: str
    source_id: URI
    target_id: URI


class ClrSubject(OBModel):
    """The learner of a CLR and everything the record says about them."""

    id: URI | None = None
    type: OneOrMany[str] = types_default("ClrSubject")
    identifier: OneOrMany[IdentityObject] | None = None
    achievement: OneOrMany[Achievement] | None = None
    verifiable_credential: OneOrMany[JsonObject]
    association: OneOrMany[Association] | None = None

    def credentials(self) -> list[AchievementCredential]:
        """The bundled credentials parsed as AchievementCredentials (``ModelError`` if one is
        not)."""
        return [
            AchievementCredential.from_json(item) for item in as_list(self.verifiable_credential)
        ]


class ClrCredential(Credential):
    """A Comprehensive Learner Record: a set of (signed) credentials about one learner."""

    type: OneOrMany[str] = types_default("VerifiableCredential", "ClrCredential")
    credential_subject: ClrSubject
    partial: bool | None = None
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsement_jwt: OneOrMany[str] | None = None

    @classmethod
    def bundle(
        cls,
        credentials: Sequence[dict[str, Any]],
        *,
        name: str,
        learner: str | None = None,
        identifier: Sequence[IdentityObject] | None = None,
        achievements: Sequence[Achievement] | None = None,
        associations: Sequence[Association] | None = None,
        valid_from: datetime | None = None,
        **extra: Any,
    ) -> ClrCredential:
        """A CLR about ``learner`` (a DID or URL) bundling signed ``credentials`` (JSON
        objects, carried unchanged).

        ``issuer`` and ``validFrom`` are filled in by ``Issuer.issue``.
        """
        subject = ClrSubject(
            id=learner,
            identifier=list(identifier) if identifier else None,
            achievement=list(achievements) if achievements else None,
            verifiable_credential=[dict(item) for item in credentials],
            association=list(associations) if associations else None,
        )
        return cls(
            name=name,
            credential_subject=subject,
            valid_from=format_datetime(valid_from) if valid_from else None,
            **extra,
        )
