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
    SchemaError,
    UnsupportedError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.issue import Holder, Issuer
from vcbadge.migrate import from_ob2
from vcbadge.model import (
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Address,
    Alignment,
    Association,
    ClrCredential,
    ClrSubject,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementCredential,
    EndorsementSubject,
    Evidence,
    GeoCoordinates,
    IdentifierEntry,
    IdentityObject,
    Image,
    OpenBadgeCredential,
    Profile,
    RefreshService,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    TermsOfUse,
)
from vcbadge.schema import SchemaCache
from vcbadge.verify import Check, Outcome, Policy, VerificationResult, Verifier

__version__ = "0.1.0"

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Address",
    "Alignment",
    "Association",
    "CanonicalizationError",
    "Check",
    "ClrCredential",
    "ClrSubject",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "FixedClock",
    "GeoCoordinates",
    "Holder",
    "IdentifierEntry",
    "IdentityObject",
    "Image",
    "InputError",
    "Issuer",
    "ModelError",
    "OpenBadgeCredential",
    "Outcome",
    "Policy",
    "Profile",
    "RefreshService",
    "Related",
    "ResolutionError",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "SchemaCache",
    "SchemaError",
    "SystemClock",
    "TermsOfUse",
    "UnsupportedError",
    "VcbadgeError",
    "VerificationError",
    "VerificationResult",
    "Verifier",
    "__version__",
    "from_ob2",
]
