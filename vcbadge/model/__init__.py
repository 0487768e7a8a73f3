"""The Open Badges 3.0 and CLR 2.0 data model (typed, strict, round-tripping unknown members).

Parse with ``Class.from_json(data)`` (JSON types, required members, URI and date formats; a
``ModelError`` lists every problem with its JSON pointer), check the spec's MUST rules with
``obj.issues()`` / ``obj.ensure_valid()`` or :func:`validate_document`, and write JSON with
``obj.to_json()``.
"""

from vcbadge.model.achievement import (
    Achievement,
    Criteria,
    ResultDescription,
    RubricCriterionLevel,
)
from vcbadge.model.base import OBModel, as_list
from vcbadge.model.clr import Association, ClrCredential, ClrSubject
from vcbadge.model.common import (
    Address,
    Alignment,
    GeoCoordinates,
    IdentifierEntry,
    Image,
    Related,
)
from vcbadge.model.credential import (
    AchievementCredential,
    AchievementSubject,
    EndorsementCredential,
    EndorsementSubject,
    OpenBadgeCredential,
    Result,
)
from vcbadge.model.envelope import (
    Credential,
    CredentialSchema,
    CredentialStatus,
    Evidence,
    Proof,
    RefreshService,
    TermsOfUse,
    required_contexts,
)
from vcbadge.model.identity import IdentityObject, hash_identity, identity_matches
from vcbadge.model.profile import Profile
from vcbadge.model.rules import check
from vcbadge.model.validation import model_class_for, validate_document

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Address",
    "Alignment",
    "Association",
    "ClrCredential",
    "ClrSubject",
    "Credential",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "GeoCoordinates",
    "IdentifierEntry",
    "IdentityObject",
    "Image",
    "OBModel",
    "OpenBadgeCredential",
    "Profile",
    "Proof",
    "RefreshService",
    "Related",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "TermsOfUse",
    "as_list",
    "check",
    "hash_identity",
    "identity_matches",
    "model_class_for",
    "required_contexts",
    "validate_document",
]
