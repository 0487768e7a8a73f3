"""Compatibility names: the OB 3.0 classes first lived in this module.

The data model is now split by responsibility (``achievement``, ``profile``, ``credential``,
``envelope``, ``clr``); import from ``vcbadge.model``.
"""

from __future__ import annotations

from vcbadge.model.achievement import Achievement, Criteria
from vcbadge.model.common import Image
from vcbadge.model.credential import (
    AchievementCredential,
    AchievementSubject,
    OpenBadgeCredential,
)
from vcbadge.model.envelope import OB_CONTEXT, VC_V2_CONTEXT
from vcbadge.model.identity import IdentityObject
from vcbadge.model.profile import Profile

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
