"""vcbadge: issue and verify Open Badges 3.0 / CLR 2.0 credentials as W3C Verifiable Credentials.

>>> from vcbadge import Achievement, AchievementCredential, Issuer, Profile, Verifier
>>> from vcbadge.keys import Ed25519Key
"""

from vcbadge.clock import FixedClock, SystemClock
from vcbadge.errors import (
    CanonicalizationError,
    InputError,
    ModelError,
    ResolutionError,
    UnsupportedError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.issue import Issuer
from vcbadge.model import (
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Criteria,
    IdentityObject,
    Image,
    OpenBadgeCredential,
    Profile,
)
from vcbadge.verify import Check, Outcome, Policy, VerificationResult, Verifier

__version__ = "0.1.0"

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "CanonicalizationError",
    "Check",
    "Criteria",
    "FixedClock",
    "IdentityObject",
    "Image",
    "InputError",
    "Issuer",
    "ModelError",
    "OpenBadgeCredential",
    "Outcome",
    "Policy",
    "Profile",
    "ResolutionError",
    "SystemClock",
    "UnsupportedError",
    "VcbadgeError",
    "VerificationError",
    "VerificationResult",
    "Verifier",
    "__version__",
]
