"""Where JSON Schemas come from: the bundle, the caller, and (only if asked) a transport.

A :class:`SchemaCache` answers "the JSON Schema at this URL", in this order:

1. schemas the caller gave (constructor, :meth:`~SchemaCache.add`,
   :meth:`~SchemaCache.with_documents`);
2. vcbadge's bundled schemas (:mod:`vcbadge.schema.bundled`) when the cache serves them
   (:meth:`SchemaCache.bundled`): every published OB 3.0 / CLR 2.0 / W3C VC 2.0 schema URL.
   These URLs are always answered from the bundle, offline and online: never fetched;
3. schemas fetched earlier through the transport;
4. in online mode only, a fetch through a :class:`vcbadge.protocols.Transport` (such as the
   guarded HTTPS transport ``vcbadge.http.GuardedTransport``).

Anything else raises :class:`SchemaUnavailable`, which the verifier reports as INDETERMINATE
``schema_unavailable``: a credential naming a custom schema that cannot be obtained is neither
valid nor invalid, since nothing says whether it satisfies that schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from vcbadge._json import DEFAULT_MAX_BYTES, loads_strict
from vcbadge.errors import InputError, ResolutionError, VcbadgeError
from vcbadge.protocols import Transport
from vcbadge.schema.bundled import bundled_schemas, load_bundled_schema

__all__ = ["SCHEMA_MEDIA_TYPES", "SchemaCache", "SchemaTransport", "SchemaUnavailable"]

SCHEMA_MEDIA_TYPES = ("application/schema+json", "application/json")
"""The media types a fetched schema may be served as (sent as ``Accept``)."""

MAX_FETCHED = 32
"""At most this many schemas are fetched by one cache (a ``$ref`` chain cannot run away)."""

SchemaTransport = Transport
"""The transport a cache fetches schemas with: any :class:`vcbadge.protocols.Transport`."""


class SchemaUnavailable(ResolutionError):
    """The schema named is not in the cache and the network may not be used (INDETERMINATE)."""

    code = "schema_unavailable"


class SchemaCache:
    """JSON Schemas by URL: the caller's, optionally vcbadge's bundle, optionally fetched.

    ``schemas`` is a mapping URL → schema, or schemas that carry their ``$id``. With
    ``bundled=True`` (or :meth:`bundled`) the cache also serves vcbadge's bundled schemas.
    ``transport`` is used only when ``allow_network`` is true, so handing a transport over is
    not enough to make vcbadge go online (:meth:`bundled` with a transport is the explicit
    online mode). Fetched schemas are kept for later lookups; the bundled URLs are never
    fetched.
    """

    def __init__(
        self,
        schemas: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] = (),
        *,
        transport: Transport | None = None,
        allow_network: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        bundled: bool = False,
    ) -> None:
        self._schemas: dict[str, dict[str, Any]] = {}
        self._fetched: dict[str, dict[str, Any]] = {}
        self._parsed: dict[str, dict[str, Any]] = {}  # bundled schemas read so far
        self._bundle: frozenset[str] = frozenset(bundled_schemas()) if bundled else frozenset()
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
    def bundled(
        cls,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        *,
        transport: Transport | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> SchemaCache:
        """A cache of vcbadge's bundled schemas plus ``documents`` (URL → schema).

        ``documents`` are served ahead of the bundle, so a caller may substitute a schema even
        for a published URL. ``transport`` (``None``: offline) switches on the online mode:
        any URL that is neither given nor bundled is fetched through it, once.
        """
        cache = cls(
            transport=transport,
            allow_network=transport is not None,
            max_bytes=max_bytes,
            bundled=True,
        )
        for url, schema in (documents or {}).items():
            cache.add(schema, url=url)
        return cache

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

    def with_documents(
        self, documents: Mapping[str, Mapping[str, Any]], *, replace: bool = False
    ) -> SchemaCache:
        """A new cache that also serves ``documents`` (URL → schema); this one is unchanged.

        Giving a different schema for a URL already served (given or bundled) raises
        ``ValueError`` unless ``replace=True``: replacing a published schema changes the
        verdict for every credential that names it. Giving the same schema again is allowed.
        The new cache keeps this cache's bundle, transport and network setting.
        """
        new = SchemaCache(
            self._schemas,
            transport=self.transport,
            allow_network=self.allow_network,
            max_bytes=self.max_bytes,
        )
        new._bundle = self._bundle
        new._fetched = dict(self._fetched)
        for url, schema in documents.items():
            if not isinstance(url, str) or not url:
                raise TypeError(f"schema URLs must be non-empty strings, not {url!r}")
            if not isinstance(schema, Mapping):
                raise TypeError(f"the schema for {url!r} must be a JSON object (dict)")
            if not replace:
                known = new._known(url)
                if known is not None and known != _plain(schema):
                    raise ValueError(
                        f"the schema cache already serves a different schema for {url!r}; "
                        "pass replace=True to replace it"
                    )
            new.add(schema, url=url)
        return new

    def add(self, schema: Mapping[str, Any], *, url: str | None = None) -> None:
        """Add ``schema`` under ``url`` (default: its ``$id``, which then must exist)."""
        key = url if url is not None else schema.get("$id")
        if not isinstance(key, str) or not key:
            raise InputError("a schema added without a URL needs an '$id'", code="schema_no_id")
        self._schemas[_without_fragment(key)] = _plain(schema)
        self.version += 1

    @property
    def bundled_urls(self) -> frozenset[str]:
        """The bundled URLs this cache serves (empty unless it serves the bundle)."""
        return self._bundle

    @property
    def online(self) -> bool:
        """Whether schemas that are neither given nor bundled are fetched."""
        return self.allow_network and self.transport is not None

    def serves_from_bundle(self, url: str) -> bool:
        """Whether ``url`` is answered with a bundled schema (not one the caller gave)."""
        key = _without_fragment(url)
        return key in self._bundle and key not in self._schemas

    def __contains__(self, url: object) -> bool:
        if not isinstance(url, str):
            return False
        key = _without_fragment(url)
        return key in self._schemas or key in self._bundle or key in self._fetched

    def __len__(self) -> int:
        return len(self._schemas.keys() | self._bundle | self._fetched.keys())

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(url, schema)`` pairs held (the bundle included, each URL once)."""
        yield from self._schemas.items()
        for url in sorted(self._bundle - self._schemas.keys()):
            yield url, self._bundled(url)
        for url, schema in self._fetched.items():
            if url not in self._schemas and url not in self._bundle:
                yield url, schema

    def get(self, url: str) -> dict[str, Any]:
        """The schema for ``url``.

        Raises:
            SchemaUnavailable: neither given nor bundled, and the network is not allowed (or
                the fetch failed, or too many schemas were fetched; the message says why).
        """
        key = _without_fragment(url)
        known = self._known(key)
        if known is not None:
            return known
        if not self.online:
            where = "is not in the schema cache" + (
                " (vcbadge bundles no schema for it)" if self._bundle else ""
            )
            raise SchemaUnavailable(
                f"the schema {url} {where} and fetching it is not allowed "
                "(seed the cache, or allow the network with a transport)"
            )
        if len(self._fetched) >= MAX_FETCHED:
            raise SchemaUnavailable(
                f"the schema {url} was not fetched: this cache already fetched {MAX_FETCHED}"
            )
        assert self.transport is not None  # self.online says so
        try:
            response = self.transport.get(key, accept=SCHEMA_MEDIA_TYPES)
            document = loads_strict(response.body, max_bytes=self.max_bytes)
        except VcbadgeError as error:
            raise SchemaUnavailable(f"the schema {url} could not be fetched: {error}") from None
        if not isinstance(document, dict):
            raise SchemaUnavailable(f"the document at {url} is not a JSON Schema object")
        self._fetched[key] = document
        self.version += 1
        return document

    def _known(self, key: str) -> dict[str, Any] | None:
        found = self._schemas.get(key)
        if found is not None:
            return found
        if key in self._bundle:
            return self._bundled(key)
        return self._fetched.get(key)

    def _bundled(self, url: str) -> dict[str, Any]:
        # Parsed once per cache: the OB/CLR schemas are large and read on every validation.
        found = self._parsed.get(url)
        if found is None:
            found = self._parsed[url] = load_bundled_schema(url)
        return found

    def __repr__(self) -> str:
        mode = "online" if self.online else "offline"
        return (
            f"<{type(self).__name__}: {len(self._bundle)} bundled, {len(self._schemas)} given, "
            f"{len(self._fetched)} fetched, {mode}>"
        )


def _plain(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A detached copy: later changes to the caller's object do not change the cache."""
    try:
        copied: dict[str, Any] = json.loads(json.dumps(schema, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValueError(f"a schema must be JSON-serializable: {error}") from None
    return copied


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]
