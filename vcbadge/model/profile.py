"""The OB 3.0 Profile: an issuer, a creator, a parent organization, or a learner's profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from vcbadge.model.base import URI, Date, IriOr, OBModel, OneOrMany
from vcbadge.model.common import Address, IdentifierEntry, Image

if TYPE_CHECKING:  # resolved by model_rebuild() in vcbadge.model.credential
    from vcbadge.model.credential import EndorsementCredential

__all__ = ["Profile", "ProfileRef"]


class Profile(OBModel):
    """A person or organization; as ``issuer`` its ``id`` is the URL or DID whose controller
    signs the credential."""

    id: URI
    type: OneOrMany[str] = Field(default_factory=lambda: ["Profile"])
    name: str | None = None
    url: URI | None = None
    phone: str | None = None
    description: str | None = None
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsement_jwt: OneOrMany[str] | None = None
    image: Image | None = None
    email: str | None = None
    address: Address | None = None
    other_identifier: OneOrMany[IdentifierEntry] | None = None
    official: str | None = None
    parent_org: Profile | None = None
    family_name: str | None = None
    given_name: str | None = None
    additional_name: str | None = None
    patronymic_name: str | None = None
    honorific_prefix: str | None = None
    honorific_suffix: str | None = None
    family_name_prefix: str | None = None
    date_of_birth: Date | None = None


ProfileRef = IriOr[Profile]
"""``issuer``/``creator`` style reference: the profile's URL or DID, or the profile itself."""
