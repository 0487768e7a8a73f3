"""What the PNG and SVG bakers share: limits, the extraction result, and payload encoding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from vcbadge._json import DEFAULT_MAX_BYTES, loads_strict
from vcbadge.bake.detect import ImageKind, PayloadFormat, payload_format
from vcbadge.errors import BakingError, InputError

__all__ = [
    "BadgeVersion",
    "BakeInput",
    "BakeLimits",
    "BakedCredential",
    "encode_payload",
]

BadgeVersion = Literal["2.0", "3.0"]

BakeInput: TypeAlias = Mapping[str, Any] | str | bytes
"""A credential to bake: a mapping (written as compact JSON), JSON text, or a compact JWS."""


@dataclass(frozen=True)
class BakeLimits:
    """Caps applied to untrusted images before and while they are parsed.

    ``max_image_bytes`` bounds the whole PNG or SVG (and the baked result), ``max_payload_bytes``
    the baked credential (UTF-8), ``max_chunk_bytes`` any single PNG chunk and ``max_chunks``
    the number of PNG chunks. Badge images are a few KiB to a few MiB.
    """

    max_image_bytes: int = 16 * 1024 * 1024
    max_payload_bytes: int = DEFAULT_MAX_BYTES
    max_chunk_bytes: int = 8 * 1024 * 1024
    max_chunks: int = 16_384

    def check_image_size(self, data: bytes, what: str) -> None:
        """Raise ``too_large`` when ``data`` is over ``max_image_bytes``."""
        if len(data) > self.max_image_bytes:
            raise BakingError(
                f"the {what} is {len(data)} bytes, over the limit of {self.max_image_bytes}",
                code="too_large",
            )

    def check_payload_size(self, size: int) -> None:
        """Raise ``too_large`` when a payload of ``size`` bytes is over ``max_payload_bytes``."""
        if size > self.max_payload_bytes:
            raise BakingError(
                f"the baked credential is {size} bytes, over the limit of {self.max_payload_bytes}",
                code="too_large",
            )


@dataclass(frozen=True)
class BakedCredential:
    """What an image carries.

    ``payload`` is the text exactly as baked (outer whitespace removed); ``version`` is
    ``"3.0"`` for an Open Badges 3.0 credential (PNG keyword ``openbadgecredential``, SVG
    ``<openbadges:credential>``) or ``"2.0"`` for an Open Badges 2.0 assertion (keyword
    ``openbadges``, ``<openbadges:assertion>``); ``format`` is ``json``, ``jwt`` (compact JWS)
    or, for OB 2.0 hosted assertions only, ``url``; ``image`` is ``png`` or ``svg``;
    ``location`` says where it was found, for messages.
    """

    payload: str
    version: BadgeVersion
    format: PayloadFormat
    image: ImageKind
    location: str

    def describe(self) -> str:
        """One line for people, e.g. ``Open Badges 3.0 credential (JSON) in a PNG iTXt chunk
        'openbadgecredential'``."""
        what = "credential" if self.version == "3.0" else "assertion"
        shape = {"json": "JSON", "jwt": "compact JWS", "url": "hosted URL"}[self.format]
        return f"Open Badges {self.version} {what} ({shape}) in {self.location}"


def _escape_noncharacters(text: str) -> str:
    # U+FFFE and U+FFFF are valid raw in JSON strings but not in XML documents; in validated JSON
    # they can only occur inside strings, where the \u escape denotes the same value.
    return text.replace("\ufffe", "\\ufffe").replace("\uffff", "\\uffff")


def encode_payload(credential: BakeInput, limits: BakeLimits) -> tuple[str, PayloadFormat]:
    """The text to bake for an Open Badges 3.0 credential, and its format.

    A mapping becomes compact JSON (UTF-8 characters kept). Text or bytes must be a JSON object
    (checked strictly: duplicate keys refused) or a compact JWS (VC-JWT); JSON text keeps its
    bytes except outer whitespace and line ends (``\\r\\n`` becomes ``\\n``, as XML would make
    it), which do not change its value.

    Raises:
        BakingError: ``invalid_payload`` for anything else, ``too_large`` over the payload cap.
    """
    if isinstance(credential, Mapping):
        try:
            text = json.dumps(
                credential, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            )
        except (TypeError, ValueError) as exc:
            raise BakingError(
                f"the credential cannot be written as JSON: {exc}", code="invalid_payload"
            ) from None
        text = _escape_noncharacters(text)
        limits.check_payload_size(len(text.encode("utf-8")))
        return text, "json"
    if isinstance(credential, (bytes, bytearray)):
        try:
            credential = bytes(credential).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BakingError(
                f"the credential is not UTF-8 text: {exc.reason} at byte {exc.start}",
                code="invalid_payload",
            ) from None
    if not isinstance(credential, str):
        raise BakingError(
            f"cannot bake a {type(credential).__name__}: give a JSON object (dict), JSON text "
            "or a compact JWS string",
            code="invalid_payload",
        )
    text = credential.strip().replace("\r\n", "\n").replace("\r", "\n")
    limits.check_payload_size(len(text.encode("utf-8", "surrogatepass")))
    found = payload_format(text)
    if found == "json":
        try:
            document = loads_strict(text, max_bytes=limits.max_payload_bytes)
        except InputError as error:
            where = f" at {error.path}" if error.path else ""
            raise BakingError(
                f"the credential is not valid JSON: {error.message}{where}",
                code="invalid_payload",
                path=error.path,
            ) from None
        if not isinstance(document, dict):  # pragma: no cover - text starting with { is an object
            raise BakingError("the credential must be a JSON object", code="invalid_payload")
        return _escape_noncharacters(text), "json"
    if found == "jwt":
        return text, "jwt"
    raise BakingError(
        "an Open Badges 3.0 credential is baked as its JSON object or as a compact JWS "
        "(header.payload.signature); this text is neither",
        code="invalid_payload",
    )
