"""The JSON-LD context documents bundled with vcbadge.

vcbadge never fetches a ``@context`` from the network. The documents it knows live in the
project's ``contexts/`` folder (installed as ``vcbadge/_contexts`` inside the wheel), listed by
``manifest.json`` with the SHA-256 of each file. They are the project's own documents: each one
defines exactly the terms of the document published at its URL, in vcbadge's layout, so its
bytes differ from the published bytes; ``published_sha256`` records the published digest where
one is known.

Every file is checked against the manifest's digest the first time it is read; a corrupted
installation raises ``RuntimeError`` instead of quietly changing what credentials mean.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from vcbadge.errors import ContextNotAllowed

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

__all__ = [
    "BundledContext",
    "bundled_contexts",
    "contexts_directory",
    "load_bundled_document",
]

_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BundledContext:
    """One URL vcbadge serves from its bundled documents.

    ``url`` is the URL this entry is served for, ``file`` the document's file name inside the
    contexts directory and ``sha256`` the hex SHA-256 of that file. ``published_sha256`` is the
    digest of the document as published at the URL, when known (it differs from ``sha256``
    because vcbadge writes its own documents). For an alias URL ``alias_of`` names the primary
    URL whose document is served; it is ``None`` for primary entries.
    """

    url: str
    file: str
    sha256: str
    published_sha256: str | None = None
    alias_of: str | None = None


def contexts_directory() -> Traversable:
    """Where the bundled context documents live.

    In an installed wheel that is the package data folder ``vcbadge/_contexts``; in a source
    checkout (including editable installs) it is the repository's ``contexts/`` folder.
    """
    packaged = resources.files("vcbadge") / "_contexts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "contexts"


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise RuntimeError(f"vcbadge contexts manifest: {what} must be a non-empty string")
    return value


@functools.cache
def _manifest() -> Mapping[str, BundledContext]:
    raw = json.loads((contexts_directory() / _MANIFEST).read_text(encoding="utf-8"))
    entries = raw.get("contexts") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise RuntimeError("vcbadge contexts manifest: 'contexts' must be a list")
    table: dict[str, BundledContext] = {}

    def add(entry: BundledContext) -> None:
        if entry.url in table:
            raise RuntimeError(f"vcbadge contexts manifest: {entry.url} is listed twice")
        table[entry.url] = entry

    for item in entries:
        if not isinstance(item, dict):
            raise RuntimeError("vcbadge contexts manifest: every entry must be an object")
        url = _text(item.get("url"), "url")
        file = _text(item.get("file"), f"file of {url}")
        if "/" in file or "\\" in file or file.startswith("."):
            raise RuntimeError(f"vcbadge contexts manifest: bad file name {file!r} for {url}")
        sha256 = _text(item.get("sha256"), f"sha256 of {url}")
        published = item.get("published_sha256")
        if published is not None:
            published = _text(published, f"published_sha256 of {url}")
        add(BundledContext(url, file, sha256, published))
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list):
            raise RuntimeError(f"vcbadge contexts manifest: aliases of {url} must be a list")
        for alias in aliases:
            add(BundledContext(_text(alias, "alias"), file, sha256, published, alias_of=url))
    return MappingProxyType(table)


def bundled_contexts() -> Mapping[str, BundledContext]:
    """Every URL vcbadge serves from its bundled documents (alias URLs included).

    The mapping is read-only and is read from ``manifest.json`` once per process.
    """
    return _manifest()


@functools.cache
def _verified_text(file: str, sha256: str) -> str:
    data = (contexts_directory() / file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise RuntimeError(
            f"bundled JSON-LD context {file} is corrupted: its SHA-256 is {digest}, "
            f"the manifest records {sha256}; reinstall vcbadge"
        )
    text = data.decode("utf-8")
    if not isinstance(json.loads(text), dict):
        raise RuntimeError(f"bundled JSON-LD context {file} is not a JSON object")
    return text


def load_bundled_document(url: str) -> dict[str, Any]:
    """The parsed bundled document served for ``url`` (exact match, aliases included).

    The file's bytes are verified against the manifest's SHA-256 on first use (``RuntimeError``
    if they differ). Each call returns a new, independent ``dict``, so callers may modify the
    result without affecting later calls. Raises ``ContextNotAllowed`` when vcbadge bundles no
    document for ``url``.
    """
    entry = bundled_contexts().get(url)
    if entry is None:
        raise ContextNotAllowed(f"vcbadge bundles no JSON-LD document for {url!r}")
    document: dict[str, Any] = json.loads(_verified_text(entry.file, entry.sha256))
    return document
