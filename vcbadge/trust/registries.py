"""Issuer lists a verifier configures: a local allow-list and the Digital Credentials Consortium
(DCC) registry format, read from a file or fetched through an injected ``Transport``.

Two JSON shapes, told apart by their top-level member:

- vcbadge's allow-list: ``{"name": "...", "issuers": {ISSUER_ID: {"name": ..., "url": ...}}}``;
- a DCC issuer registry (the "legacy" DID map the DCC publishes, e.g. its community and sandbox
  registries): ``{"meta": {"created": ..., "updated": ...}, "registry": {DID: {"name": ...,
  "location": ..., "url": ...}}}``.

Either is read whole and refused whole when any entry is malformed
(``trust_registry_malformed``): a registry half understood is not relied on. A fetched
registry is kept for the lifetime its ``Cache-Control`` gives (default one hour, at most a
day), aged by the injected clock; a fetch that fails is not cached and makes the lookup raise
``trust_registry_unavailable`` (the issuer is then not known through that registry).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from vcbadge._json import loads_strict
from vcbadge.errors import InputError, ResolutionError, UnsupportedError
from vcbadge.protocols import Clock, RegistryEntry, Transport
from vcbadge.resolve.cache import freshness_lifetime

__all__ = [
    "MAX_REGISTRY_BYTES",
    "REGISTRY_MEDIA_TYPES",
    "RemoteRegistry",
    "StaticRegistry",
    "load_registry_file",
    "parse_registry",
]

MAX_REGISTRY_BYTES = 16 * 1024 * 1024
"""The largest registry file read (a DCC registry of thousands of issuers is well under)."""

REGISTRY_MEDIA_TYPES: tuple[str, ...] = ("application/json", "text/plain")
"""What a registry JSON file may be served as (GitHub Pages and raw hosts vary)."""

_MAX_DEPTH = 8


class StaticRegistry:
    """A :class:`vcbadge.protocols.TrustRegistry` over entries already read; immutable."""

    def __init__(self, name: str, entries: Mapping[str, RegistryEntry]) -> None:
        self._name = name
        self._entries = dict(entries)

    @property
    def name(self) -> str:
        """The registry's name, as people are shown it."""
        return self._name

    def lookup(self, issuer_id: str) -> RegistryEntry | None:
        """The entry listing ``issuer_id`` exactly, or ``None``."""
        return self._entries.get(issuer_id)

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"StaticRegistry({self._name!r}, {len(self._entries)} issuers)"


def _malformed(where: str, message: str, path: str = "") -> InputError:
    return InputError(f"{where}: {message}", code="trust_registry_malformed", path=path)


def _optional_string(value: Any, where: str, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _malformed(where, "must be a non-empty string when present", path)
    return value


def parse_registry(document: Any, *, where: str, default_name: str) -> StaticRegistry:
    """The registry ``document`` holds: a vcbadge allow-list (``issuers``) or a DCC registry
    (``registry``). ``where`` names its origin in messages; ``default_name`` is its name when
    it gives none (a DCC registry has no name of its own).

    Raises:
        InputError: ``trust_registry_malformed`` for anything else, or any malformed entry.
    """
    if not isinstance(document, Mapping):
        raise _malformed(where, "a registry is a JSON object")
    has_issuers, has_registry = "issuers" in document, "registry" in document
    if has_issuers == has_registry:
        raise _malformed(
            where,
            "expected a vcbadge allow-list (an 'issuers' object) or a Digital Credentials "
            "Consortium registry (a 'registry' object), and exactly one of them",
        )
    member = "issuers" if has_issuers else "registry"
    name = _optional_string(document.get("name"), where, "/name") or default_name
    listed = document[member]
    if not isinstance(listed, Mapping):
        raise _malformed(where, f"'{member}' must be an object keyed by issuer id", f"/{member}")
    entries: dict[str, RegistryEntry] = {}
    for issuer_id, record in listed.items():
        path = f"/{member}/{_escape(issuer_id)}"
        if ":" not in issuer_id or issuer_id != issuer_id.strip() or "#" in issuer_id:
            raise _malformed(where, f"{issuer_id!r} is not a DID or absolute URL", path)
        if not isinstance(record, Mapping):
            raise _malformed(where, "an entry is an object with a 'name'", path)
        entry_name = _optional_string(record.get("name"), where, f"{path}/name")
        url = _optional_string(record.get("url"), where, f"{path}/url")
        entries[issuer_id] = RegistryEntry(
            issuer_id=issuer_id, registry=name, name=entry_name, url=url
        )
    return StaticRegistry(name, entries)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _parse_json(data: bytes, where: str) -> Any:
    try:
        return loads_strict(data, max_bytes=MAX_REGISTRY_BYTES, max_depth=_MAX_DEPTH)
    except InputError as error:
        raise _malformed(where, f"not strict JSON: {error.message}", error.path) from None


def load_registry_file(path: str | Path) -> StaticRegistry:
    """The allow-list or DCC registry in the JSON file at ``path`` (named after the file when
    it names itself nothing).

    Raises:
        InputError: ``trust_registry_malformed``.
        OSError: the file cannot be read.
    """
    file = Path(path)
    with file.open("rb") as stream:
        data = stream.read(MAX_REGISTRY_BYTES + 1)
    if len(data) > MAX_REGISTRY_BYTES:
        raise _malformed(str(file), f"larger than {MAX_REGISTRY_BYTES} bytes")
    return parse_registry(_parse_json(data, str(file)), where=str(file), default_name=file.name)


class RemoteRegistry:
    """An allow-list or DCC registry published at an HTTPS ``url``, fetched with ``transport``
    (normally ``vcbadge.http.GuardedTransport``) and kept while fresh.

    ``name`` is what people are shown (default: the URL); ``default_ttl`` applies when the
    response says nothing about freshness, ``max_ttl`` caps whatever it says. Thread-safe.
    """

    def __init__(
        self,
        url: str,
        *,
        transport: Transport,
        clock: Clock,
        name: str | None = None,
        default_ttl: timedelta = timedelta(hours=1),
        max_ttl: timedelta = timedelta(days=1),
    ) -> None:
        if not url.startswith("https://"):
            raise ValueError(f"a registry URL must be an https: URL, not {url!r}")
        self.url = url
        self._transport = transport
        self._clock = clock
        self._name = name
        self._default_ttl = default_ttl
        self._max_ttl = max_ttl
        self._lock = threading.Lock()
        self._cached: tuple[datetime, StaticRegistry] | None = None

    @property
    def name(self) -> str:
        """The name given, else the URL (entries carry the registry's own name, if it has one)."""
        return self._name or self.url

    def lookup(self, issuer_id: str) -> RegistryEntry | None:
        """The entry for ``issuer_id`` in the registry as last fetched while fresh.

        Raises:
            ResolutionError: ``trust_registry_unavailable`` (the reason's code in the message).
            InputError: ``trust_registry_malformed``.
        """
        return self._registry().lookup(issuer_id)

    def _registry(self) -> StaticRegistry:
        now = self._clock.now()
        with self._lock:
            cached = self._cached
        if cached is not None and now < cached[0]:
            return cached[1]
        try:
            response = self._transport.get(self.url, accept=REGISTRY_MEDIA_TYPES)
        except (ResolutionError, UnsupportedError) as error:
            raise ResolutionError(
                f"the trust registry {self.url} could not be fetched: {error.message} "
                f"[{error.code}]",
                code="trust_registry_unavailable",
            ) from error
        registry = parse_registry(
            _parse_json(response.body, self.url), where=self.url, default_name=self.name
        )
        lifetime = freshness_lifetime(
            response.headers, default=self._default_ttl, maximum=self._max_ttl
        )
        if lifetime > timedelta(0):
            with self._lock:
                self._cached = (now + lifetime, registry)
        return registry

    def __repr__(self) -> str:
        return f"RemoteRegistry({self.url!r})"
