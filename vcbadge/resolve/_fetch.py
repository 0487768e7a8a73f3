"""Fetching a DID, controller or key document through a ``Transport`` and checking its ``id``."""

from __future__ import annotations

from typing import Any

from vcbadge._json import loads_strict
from vcbadge.errors import DIDResolutionError, InputError
from vcbadge.protocols import Transport

__all__ = ["DOCUMENT_MEDIA_TYPES", "fetch_document"]

DOCUMENT_MEDIA_TYPES: tuple[str, ...] = (
    "application/did+json",
    "application/did+ld+json",
    "application/json",
    "application/ld+json",
)
"""The media types a DID document, controller document or key document may be served as."""

# DID and controller documents are shallow; anything deeper is not one.
_MAX_DEPTH = 32


def fetch_document(transport: Transport, url: str, expected_id: str) -> dict[str, Any]:
    """GET ``url``, parse it as strict JSON and require ``id == expected_id``.

    Raises:
        NetworkError: from the transport (its code says why).
        DIDResolutionError: ``invalid_document`` when the body is not a strict JSON object,
            ``document_id_mismatch`` when its ``id`` is not ``expected_id`` (a document served
            for one identifier must not speak for another).
    """
    response = transport.get(url, accept=DOCUMENT_MEDIA_TYPES)
    try:
        document = loads_strict(
            response.body, max_bytes=len(response.body) + 1, max_depth=_MAX_DEPTH
        )
    except InputError as error:
        raise DIDResolutionError(
            f"{url} did not serve a JSON document: {error.message}"
            + (f" at {error.path}" if error.path else ""),
            code="invalid_document",
        ) from None
    if not isinstance(document, dict):
        raise DIDResolutionError(f"{url} did not serve a JSON object", code="invalid_document")
    if document.get("id") != expected_id:
        raise DIDResolutionError(
            f"{url} served a document with id {document.get('id')!r}, not {expected_id}",
            code="document_id_mismatch",
        )
    return document
