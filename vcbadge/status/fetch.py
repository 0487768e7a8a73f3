"""Status fetchers: where a verifier gets status list credentials from.

- ``StaticStatusFetcher`` serves documents it was given (tests, air-gapped verifiers,
  ``vcbadge verify --doc URL=FILE``) and nothing else;
- ``TransportStatusFetcher`` fetches them through a ``Transport`` (in practice
  ``vcbadge.http.GuardedTransport``: HTTPS only, timeouts, size cap, address guard) and parses
  the body strictly.

Both raise ``StatusListUnavailable`` (INDETERMINATE) when a list cannot be had. Neither judges
the document: the verifier verifies it as a credential.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from vcbadge._json import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, loads_strict
from vcbadge.errors import InputError, ResolutionError, StatusListUnavailable, UnsupportedError
from vcbadge.protocols import JsonObject, Transport

__all__ = ["STATUS_LIST_MEDIA_TYPES", "StaticStatusFetcher", "TransportStatusFetcher"]

#: Media types a status list credential may be served as (JSON-LD with an embedded proof).
STATUS_LIST_MEDIA_TYPES: tuple[str, ...] = (
    "application/vc+ld+json",
    "application/vc",
    "application/ld+json",
    "application/json",
)


class StaticStatusFetcher:
    """Serves the given documents for the given URLs, and nothing else."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._documents = {
            url: copy.deepcopy(dict(document)) for url, document in (documents or {}).items()
        }

    def __contains__(self, url: object) -> bool:
        return url in self._documents

    def fetch(self, url: str) -> JsonObject:
        try:
            return copy.deepcopy(self._documents[url])
        except KeyError:
            raise StatusListUnavailable(
                f"no status list was given for {url} (offline: give it with "
                "--doc URL=FILE or documents=)"
            ) from None

    def __repr__(self) -> str:
        return f"StaticStatusFetcher({len(self._documents)} documents)"


class TransportStatusFetcher:
    """Fetches status lists with ``transport.get`` and parses them as strict JSON.

    ``max_bytes``/``max_depth`` bound the parsed document (the transport has its own byte cap).
    Any network failure becomes ``StatusListUnavailable`` whose message keeps the reason.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self.transport = transport
        self._max_bytes = max_bytes
        self._max_depth = max_depth

    def fetch(self, url: str) -> JsonObject:
        if "#" in url:
            raise StatusListUnavailable(f"a status list URL has no #fragment: {url}")
        try:
            response = self.transport.get(url, accept=STATUS_LIST_MEDIA_TYPES)
        except ResolutionError as error:
            raise StatusListUnavailable(
                f"the status list {url} could not be fetched: {error.message} [{error.code}]"
            ) from error
        except UnsupportedError as error:
            raise StatusListUnavailable(
                f"the status list {url} could not be fetched: {error.message} [{error.code}]"
            ) from error
        try:
            document = loads_strict(
                response.body, max_bytes=self._max_bytes, max_depth=self._max_depth
            )
        except InputError as error:
            raise StatusListUnavailable(
                f"the status list {url} is not a JSON document: {error.message} [{error.code}]"
            ) from error
        if not isinstance(document, dict):
            raise StatusListUnavailable(f"the status list {url} is not a JSON object")
        return document

    def __repr__(self) -> str:
        return f"TransportStatusFetcher({self.transport!r})"
