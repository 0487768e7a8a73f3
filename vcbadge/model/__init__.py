"""Open Badges 3.0 data model (typed, round-tripping unknown members)."""

from vcbadge.model.base import OBModel
from vcbadge.model.identity import hash_identity, identity_matches
from vcbadge.model.openbadges import (
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Criteria,
    IdentityObject,
    Image,
    OpenBadgeCredential,
    Profile,
)

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Criteria",
    "IdentityObject",
    "Image",
    "OBModel",
    "OpenBadgeCredential",
    "Profile",
    "hash_identity",
    "identity_matches",
]
