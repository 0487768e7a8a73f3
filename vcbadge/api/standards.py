"""The 1EdTech APIs vcbadge serves and calls, as data: Open Badges 3.0 and CLR 2.0 share one
architecture and differ in their base path, their scope IRIs, what their credentials are
called and which credentials they carry.

The provider (:mod:`vcbadge.api.app`, :mod:`vcbadge.api.oauth`) and the client
(:mod:`vcbadge.api.client`) both read these records, so the two cannot disagree; this module
imports nothing beyond the standard library, so the client works without the ``api`` extra.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CLR20", "OB30", "SCOPE_NAMES", "ApiStandard"]

# The last segment of each scope IRI, and what the consent page says it allows.
SCOPE_NAMES = ("credential.readonly", "credential.upsert", "profile.readonly", "profile.update")


@dataclass(frozen=True, kw_only=True)
class ApiStandard:
    """What differs between the Open Badges 3.0 API and the CLR 2.0 API, which share one
    architecture: the mount path, the scope IRIs, what the credentials are called and which
    credential classes ``POST /credentials`` takes."""

    name: str
    key: str  # what the store files this API's credentials and profiles under
    path: str
    version: str
    scope_base: str
    credential_kinds: tuple[str, ...]  # vcbadge.model.rules.verification_kind values
    credentials_noun: str  # "badges", "learner records": for the consent page
    response_members: tuple[str, ...] = ("credential",)
    """The members of a credentials page that hold JSON credentials, in the order a client
    reads them (vcbadge's provider writes ``credential``, the schemas' name)."""
    scopes: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        described = (
            f"Read your {self.credentials_noun}",
            f"Add {self.credentials_noun} to your collection or update them",
            "Read your profile",
            "Update your profile",
        )
        scopes = {
            f"{self.scope_base}{name}": text
            for name, text in zip(SCOPE_NAMES, described, strict=True)
        }
        object.__setattr__(self, "scopes", scopes)

    def scope(self, name: str) -> str:
        """The IRI of the scope ``name`` (``credential.readonly``, ...)."""
        if name not in SCOPE_NAMES:
            raise ValueError(f"no scope {name!r}")
        return f"{self.scope_base}{name}"

    @property
    def all_scopes(self) -> str:
        """Every scope of the API, space-separated (credentials and profile)."""
        return " ".join(self.scopes)


OB30 = ApiStandard(
    name="Open Badges 3.0",
    key="ob",
    path="/ims/ob/v3p0",
    version="3.0",
    scope_base="https://purl.imsglobal.org/spec/ob/v3p0/scope/",
    credential_kinds=("OpenBadgeCredential", "AchievementCredential"),
    credentials_noun="badges",
)
CLR20 = ApiStandard(
    name="Comprehensive Learner Record 2.0",
    key="clr",
    path="/ims/clr/v2p0",
    version="2.0",
    scope_base="https://purl.imsglobal.org/spec/clr/v2p0/scope/",
    credential_kinds=("ClrCredential",),
    credentials_noun="learner records",
    # The CLR 2.0 schema of the response calls the list credential, as Open Badges does; a
    # provider following the data model's class name may call it clrCredential. A client
    # reads both: every item is a credential it verifies.
    response_members=("credential", "clrCredential"),
)
