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
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vcbadge.errors import ContextNotAllowed
from vcbadge.schema._bundle import BundledFile, bundled_directory, read_manifest, verified_text

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


@dataclass(frozen=True)
class BundledContext(BundledFile):
    """One URL vcbadge serves from its bundled documents.

    ``url`` is the URL this entry is served for, ``file`` the document's file name inside the
    contexts directory and ``sha256`` the hex SHA-256 of that file. ``published_sha256`` is the
    digest of the document as published at the URL, when known (it differs from ``sha256``
    because vcbadge writes its own documents). For an alias URL ``alias_of`` names the primary
    URL whose document is served; it is ``None`` for primary entries.
    """

    published_sha256: str | None = None
    alias_of: str | None = None


def contexts_directory() -> Traversable:
    """Where the bundled context documents live.

    In an installed wheel that is the package data folder ``vcbadge/_contexts``; in a source
    checkout (including editable installs) it is the repository's ``contexts/`` folder.
    """
    return bundled_directory("contexts")


@functools.cache
def _manifest() -> Mapping[str, BundledContext]:
    return read_manifest(contexts_directory(), "contexts", BundledContext, ("published_sha256",))


def bundled_contexts() -> Mapping[str, BundledContext]:
    """Every URL vcbadge serves from its bundled documents (alias URLs included).

    The mapping is read-only and is read from ``manifest.json`` once per process.
    """
    return _manifest()


@functools.cache
def _verified_text(file: str, sha256: str) -> str:
    return verified_text(contexts_directory(), file, sha256, "JSON-LD context")


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
