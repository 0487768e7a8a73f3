"""Small value classes shared across the OB 3.0 data model: Image, Alignment, Related,
IdentifierEntry, Address, GeoCoordinates."""

from __future__ import annotations

from vcbadge.model.base import URI, Number, OBModel, OneOrMany, types_default

__all__ = [
    "Address",
    "Alignment",
    "GeoCoordinates",
    "IdentifierEntry",
    "Image",
    "Related",
]


class Image(OBModel):
    """An image: ``id`` is its URL or a ``data:`` URI."""

    id: URI
    type: OneOrMany[str] = "Image"
    caption: str | None = None


class Alignment(OBModel):
    """A link to a node in an educational framework (a competency, a standard, a skill)."""

    type: OneOrMany[str] = types_default("Alignment")
    target_name: str
    target_url: URI
    target_code: str | None = None
    target_description: str | None = None
    target_framework: str | None = None
    target_type: str | None = None
    """``ceasn:Competency``, ``CFItem``, ``CTDL``... or an ``ext:`` extension value."""


class Related(OBModel):
    """Another version of the same achievement (a translation, an earlier version)."""

    id: URI
    type: OneOrMany[str] = types_default("Related")
    in_language: str | None = None
    version: str | None = None


class IdentifierEntry(OBModel):
    """An identifier of an achievement or profile in another system (``sourcedId``, ``ext:``...)."""

    type: OneOrMany[str] = "IdentifierEntry"
    identifier: str
    identifier_type: str


class GeoCoordinates(OBModel):
    """A geographic position (WGS 84)."""

    type: OneOrMany[str] = "GeoCoordinates"
    latitude: Number
    longitude: Number


class Address(OBModel):
    """A postal address."""

    type: OneOrMany[str] = types_default("Address")
    address_country: str | None = None
    address_country_code: str | None = None
    address_region: str | None = None
    address_locality: str | None = None
    street_address: str | None = None
    post_office_box_number: str | None = None
    postal_code: str | None = None
    geo: GeoCoordinates | None = None
