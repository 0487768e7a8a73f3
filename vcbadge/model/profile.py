"""The OB 3.0 Profile: an issuer, a creator, a parent organization, or a learner's profile.

Defined in :mod:`vcbadge.model.envelope`: a Profile carries endorsements, which are credentials
whose issuer is a Profile, so the two are one group of classes and live in one module.
"""

from __future__ import annotations

from vcbadge.model.envelope import Profile, ProfileRef

__all__ = ["Profile", "ProfileRef"]
