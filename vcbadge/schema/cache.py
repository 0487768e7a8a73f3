"""Where JSON Schemas come from: a cache the caller seeds, or an explicitly allowed transport."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from vcbadge._json import DEFAULT_MAX_BYTES, loads_strict
from vcbadge.errors import InputError, ResolutionError, VcbadgeError

__all__ = ["SchemaCache", "SchemaTransport", "SchemaUnavailable"]


class SchemaUnavailable(ResolutionError):
    """The schema named is not in the cache and the network may not be used (INDETERMINATE)."""

    code = "schema_unavailable"


@runtime_checkable
class SchemaTransport(Protocol):
    """Fetches a document by URL (e.g. ``vcbadge.http``'s guarded client); raises a
    ``VcbadgeError`` (usually a ``ResolutionError``) when it cannot."""

    def get(self, url: str) -> bytes: ...


class SchemaCache:
    """JSON Schemas by ``$id``: seeded by the caller, optionally filled through a transport.

    ``transport`` is used only when ``allow_network`` is true, so handing a transport over is
    not enough to make vcbadge go online. Fetched schemas are kept for later lookups.
    """

    def __init__(
        self,
        schemas: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] = (),
        *,
        transport: SchemaTransport | None = None,
        allow_network: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._schemas: dict[str, dict[str, Any]] = {}
        self.version = 0
        """Incremented whenever a schema is added or fetched (validators rebuild on change)."""
        self.transport = transport
        self.allow_network = allow_network
        self.max_bytes = max_bytes
        if isinstance(schemas, Mapping):
            for url, schema in schemas.items():
                self.add(schema, url=url)
        else:
            for schema in schemas:
                self.add(schema)

    @classmethod
    def from_directory(cls, directory: str | Path, **options: Any) -> SchemaCache:
        """Every ``*.json`` file under ``directory`` that is a schema with an ``$id``.

        Raises:
            InputError: a file is not strict JSON (the message names the file).
        """
        schemas: list[dict[str, Any]] = []
        for path in sorted(Path(directory).rglob("*.json")):
            try:
                document = loads_strict(path.read_bytes())
            except InputError as error:
                raise InputError(f"{path}: {error.message}", code=error.code) from None
            if isinstance(document, dict) and isinstance(document.get("$id"), str):
                schemas.append(document)
        return cls(schemas, **options)

    def add(self, schema: Mapping[str, Any], *, url: str | None = None) -> None:
        """Add ``schema`` under ``url`` (default: its ``$id``, which then must exist)."""
        key = url if url is not None else schema.get("$id")
        if not isinstance(key, str) or not key:
            raise InputError("a schema added without a URL needs an '$id'", code="schema_no_id")
        self._schemas[_without_fragment(key)] = dict(schema)
        self.version += 1

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and _without_fragment(url) in self._schemas

    def __len__(self) -> int:
        return len(self._schemas)

    def items(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """``(url, schema)`` pairs held."""
        return self._schemas.items()

    def get(self, url: str) -> dict[str, Any]:
        """The schema for ``url``.

        Raises:
            SchemaUnavailable: not cached and the network is not allowed (or the fetch failed;
                the message says why).
        """
        key = _without_fragment(url)
        found = self._schemas.get(key)
        if found is not None:
            return found
        if not self.allow_network or self.transport is None:
            raise SchemaUnavailable(
                f"the schema {url} is not in the schema cache and fetching it is not allowed "
                "(seed the cache, or allow the network with a transport)"
            )
        try:
            document = loads_strict(self.transport.get(key), max_bytes=self.max_bytes)
        except VcbadgeError as error:
            raise SchemaUnavailable(f"the schema {url} could not be fetched: {error}") from None
        if not isinstance(document, dict):
            raise SchemaUnavailable(f"the document at {url} is not a JSON Schema object")
        self._schemas[key] = document
        self.version += 1
        return document


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]
