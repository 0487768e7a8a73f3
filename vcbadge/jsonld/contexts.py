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
    "example_context_urls",
    "example_contexts_in",
    "load_bundled_document",
]


@dataclass(frozen=True)
class BundledContext(BundledFile):
    """One URL vcbadge serves from its bundled documents.

    ``url`` is the URL this entry is served for, ``file`` the document's file name inside the
    contexts directory and ``sha256`` the hex SHA-256 of that file. ``published_sha256`` is the
    digest of the document as published at the URL, when known (it differs from ``sha256``
    because vcbadge writes its own documents). For an alias URL ``alias_of`` names the primary
    URL whose document is served; it is ``None`` for primary entries. ``purpose`` is
    ``"examples"`` for a context W3C publishes for examples and tests (see
    :func:`example_context_urls`), else ``None``.
    """

    published_sha256: str | None = None
    alias_of: str | None = None
    purpose: str | None = None


def contexts_directory() -> Traversable:
    """Where the bundled context documents live.

    In an installed wheel that is the package data folder ``vcbadge/_contexts``; in a source
    checkout (including editable installs) it is the repository's ``contexts/`` folder.
    """
    return bundled_directory("contexts")


@functools.cache
def _manifest() -> Mapping[str, BundledContext]:
    return read_manifest(
        contexts_directory(), "contexts", BundledContext, ("published_sha256", "purpose")
    )


def bundled_contexts() -> Mapping[str, BundledContext]:
    """Every URL vcbadge serves from its bundled documents (alias URLs included).

    The mapping is read-only and is read from ``manifest.json`` once per process.
    """
    return _manifest()


@functools.cache
def example_context_urls() -> frozenset[str]:
    """The bundled contexts meant for examples and tests, not for credentials in production:
    W3C's examples contexts (VC 1.1 and 2.0) and the undefined-terms catch-all, marked
    ``"purpose": "examples"`` in the manifest.

    They define terms nobody owns (the examples context gives ``name``, ``level``... whatever
    meaning the specification's examples need, and the catch-all maps every undefined term to
    a placeholder vocabulary), so a credential signed under them asserts nothing a relying party
    can interpret. Verifiers refuse them unless ``Policy.allow_example_contexts``; issuers
    unless ``allow_example_contexts=True``.
    """
    return frozenset(
        url for url, entry in bundled_contexts().items() if entry.purpose == "examples"
    )


def example_contexts_in(document: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(JSON pointer, URL)`` of each top-level ``@context`` entry of ``document`` that is an
    example context (:func:`example_context_urls`), in order."""
    entries = document.get("@context")
    listed = entries if isinstance(entries, list) else [entries]
    examples = example_context_urls()
    return [
        (f"/@context/{index}", entry)
        for index, entry in enumerate(listed)
        if isinstance(entry, str) and entry in examples
    ]


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
