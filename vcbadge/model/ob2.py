"""The Open Badges 2.0 data model: the badges most learners already hold.

Typed, strict and round-tripping unknown members like the 3.0 models (``from_json`` /
``to_json``). OB 2.0 is JSON-LD with the context :data:`OB2_CONTEXT`; its members are camelCase
like 3.0's, but its classes differ (an ``Assertion`` of a ``BadgeClass`` by an issuer
``Profile``, checked by hosting or by a JWS signature rather than by a VC proof).

A member that may be written as an IRI or as the embedded object (``badge``, ``issuer``,
``image``, ``criteria``, ``publicKey``...) keeps the form it was received in.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Union

from pydantic import Field, PlainValidator

from vcbadge.model.base import URI, ContextEntry, IriOr, OBModel, OneOrMany, as_list

__all__ = [
    "OB2_CONTEXT",
    "OB2_CONTEXT_ALIASES",
    "Ob2Alignment",
    "Ob2Assertion",
    "Ob2BadgeClass",
    "Ob2Criteria",
    "Ob2CryptographicKey",
    "Ob2DateTime",
    "Ob2Endorsement",
    "Ob2Evidence",
    "Ob2IdentityObject",
    "Ob2Image",
    "Ob2Profile",
    "Ob2RevocationList",
    "Ob2VerificationObject",
    "is_ob2_context",
]

OB2_CONTEXT = "https://w3id.org/openbadges/v2"
"""The JSON-LD context of Open Badges 2.0 (the URL every 2.0 document names)."""
OB2_CONTEXT_ALIASES = (OB2_CONTEXT, "https://openbadgespec.org/v2/context.json")
"""The URLs the same OB 2.0 context is published under (the second is where the first
redirects)."""

# ISO 8601 with an optional zone, as OB 2.0's DateTime allows (a zone is recommended).
_ISO_DATETIME = re.compile(
    r"^-?\d{4,}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)


def _ob2_datetime(value: Any) -> str | int:
    # OB 2.0 accepts an ISO 8601 string or a Unix timestamp (seconds); bool is not a number.
    if isinstance(value, bool):
        raise ValueError("Input should be an ISO 8601 date-time or a Unix timestamp")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return value
    raise ValueError("Input should be an ISO 8601 date-time or a Unix timestamp")


Ob2DateTime = Annotated[Union[str, int], PlainValidator(_ob2_datetime)]  # noqa: UP007
"""An OB 2.0 DateTime: an ISO 8601 string or an integer Unix timestamp, kept as received."""


def is_ob2_context(context: Any) -> bool:
    """Whether a ``@context`` value (a URL or a list) names the Open Badges 2.0 context."""
    entries = context if isinstance(context, list) else [context]
    return any(isinstance(entry, str) and entry in OB2_CONTEXT_ALIASES for entry in entries)


class _Ob2Document(OBModel):
    """A top-level OB 2.0 document: it carries its own ``@context``."""

    context: OneOrMany[ContextEntry] | None = Field(default=None, alias="@context")


class Ob2IdentityObject(OBModel):
    """The recipient: ``identity`` is the plain value or ``sha256$``/``md5$`` + hex digest of
    value + salt; ``type`` says what it identifies (``email``, ``url``, ``telephone``)."""

    type: str = "email"
    identity: str
    hashed: bool
    salt: str | None = None


class Ob2VerificationObject(OBModel):
    """How an assertion is checked (``HostedBadge`` / ``SignedBadge``) or, on an issuer
    profile, which origins and URL prefixes its hosted assertions may use."""

    type: OneOrMany[str] | None = None
    creator: URI | None = None
    """The ``id`` of the CryptographicKey that signed a SignedBadge."""
    verification_property: str | None = None
    starts_with: OneOrMany[str] | None = None
    allowed_origins: OneOrMany[str] | None = None


class Ob2Image(OBModel):
    """An image with metadata; ``id`` is its URL or a ``data:`` URI."""

    type: OneOrMany[str] | None = None
    id: URI
    caption: str | None = None
    author: URI | None = None


class Ob2Criteria(OBModel):
    """What a learner must do to earn the badge: a page (``id``), a narrative, or both."""

    type: OneOrMany[str] | None = None
    id: URI | None = None
    narrative: str | None = None


class Ob2Alignment(OBModel):
    """A link to a node in an educational framework."""

    type: OneOrMany[str] | None = None
    target_name: str
    target_url: URI
    target_description: str | None = None
    target_framework: str | None = None
    target_code: str | None = None


class Ob2Evidence(OBModel):
    """Work that supports the award."""

    type: OneOrMany[str] | None = None
    id: URI | None = None
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


class Ob2CryptographicKey(_Ob2Document):
    """A public key published by an issuer (PEM), used to check its signed assertions."""

    type: OneOrMany[str] = "CryptographicKey"
    id: URI
    owner: URI | None = None
    public_key_pem: str | None = None


class Ob2RevocationList(_Ob2Document):
    """An issuer's list of revoked assertions: each entry is an assertion ``id`` (or ``uid``)
    or an object with one and a ``revocationReason``."""

    type: OneOrMany[str] = "RevocationList"
    id: URI
    issuer: URI | None = None
    revoked_assertions: list[Union[str, dict[str, Any]]] = Field(  # noqa: UP007
        default_factory=list
    )


class Ob2Profile(_Ob2Document):
    """An issuer (or any entity) that makes claims: ``Issuer`` or ``Profile``."""

    _also_required_on_input: ClassVar[tuple[str, ...]] = ("id",)

    type: OneOrMany[str] = "Profile"
    id: URI
    name: str | None = None
    url: URI | None = None
    email: str | None = None
    telephone: str | None = None
    description: str | None = None
    image: IriOr[Ob2Image] | None = None
    public_key: OneOrMany[IriOr[Ob2CryptographicKey]] | None = None
    verification: Ob2VerificationObject | None = None
    revocation_list: URI | None = None

    @property
    def public_key_ids(self) -> list[str]:
        """The ``id`` of every ``publicKey``, whether given as an IRI or embedded."""
        keys: list[str | Ob2CryptographicKey] = as_list(self.public_key)
        return [key if isinstance(key, str) else key.id for key in keys]


class Ob2Endorsement(_Ob2Document):
    """A claim about a badge class, issuer or assertion made by another profile."""

    type: OneOrMany[str] = "Endorsement"
    id: URI
    claim: dict[str, Any]
    issuer: IriOr[Ob2Profile]
    issued_on: Ob2DateTime
    verification: Ob2VerificationObject


class Ob2BadgeClass(_Ob2Document):
    """An achievement an issuer awards: name, description, image, criteria and issuer."""

    type: OneOrMany[str] = "BadgeClass"
    id: URI
    name: str
    description: str
    image: IriOr[Ob2Image]
    criteria: IriOr[Ob2Criteria]
    issuer: IriOr[Ob2Profile]
    alignment: OneOrMany[Ob2Alignment] | None = None
    tags: OneOrMany[str] | None = None
    endorsement: OneOrMany[IriOr[Ob2Endorsement]] | None = None

    @property
    def issuer_id(self) -> str:
        """The issuer's ``id``, whether ``issuer`` is an IRI or the embedded profile."""
        return self.issuer if isinstance(self.issuer, str) else self.issuer.id


class Ob2Assertion(_Ob2Document):
    """An award of a badge class to one recipient (an OB 2.0 badge)."""

    type: OneOrMany[str] = "Assertion"
    id: URI
    recipient: Ob2IdentityObject
    badge: IriOr[Ob2BadgeClass]
    verification: Ob2VerificationObject
    issued_on: Ob2DateTime
    image: IriOr[Ob2Image] | None = None
    evidence: OneOrMany[IriOr[Ob2Evidence]] | None = None
    narrative: str | None = None
    expires: Ob2DateTime | None = None
    revoked: bool | None = None
    revocation_reason: str | None = None
    endorsement: OneOrMany[IriOr[Ob2Endorsement]] | None = None

    @property
    def badge_id(self) -> str:
        """The badge class's ``id``, whether ``badge`` is an IRI or the embedded class."""
        return self.badge if isinstance(self.badge, str) else self.badge.id
