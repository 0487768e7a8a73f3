"""Reading a folder of bundled JSON documents listed by a ``manifest.json`` with their digests.

Shared by the bundled JSON Schemas (:mod:`vcbadge.schema.bundled`) and the bundled JSON-LD
contexts (:mod:`vcbadge.jsonld.contexts`, a layer above): both find their folder in the wheel
or the source checkout, read the same manifest layout and check every file's SHA-256 before
using it.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        from importlib.resources.abc import Traversable
    else:
        from importlib.abc import Traversable

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BundledFile:
    """What every manifest entry has: the URL served, the file's name and its hex SHA-256."""

    url: str
    file: str
    sha256: str


E = TypeVar("E", bound=BundledFile)


def bundled_directory(folder: str) -> Traversable:
    """The wheel's package data folder ``vcbadge/_<folder>``, else the checkout's ``<folder>/``."""
    packaged = resources.files("vcbadge") / f"_{folder}"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


def _text(kind: str, value: Any, what: str) -> str:
    """``value`` when it is a non-empty string, else a ``RuntimeError`` naming the manifest."""
    if not isinstance(value, str) or not value:
        raise RuntimeError(f"vcbadge {kind} manifest: {what} must be a non-empty string")
    return value


def read_manifest(
    directory: Traversable,
    kind: str,
    entry: Callable[..., E],
    optional: tuple[str, ...] = (),
) -> Mapping[str, E]:
    """The entries of ``directory``'s manifest by URL, alias URLs included (read-only).

    ``kind`` is both the manifest's list key and the word its errors use. Each entry is
    ``entry(url, file, sha256, alias_of=..., **extras)``: ``alias_of`` is the primary URL of an
    alias (``None`` for a primary entry) and ``extras`` holds the ``optional`` string members
    of the manifest item (``None`` when absent).
    """
    raw = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    entries = raw.get(kind) if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise RuntimeError(f"vcbadge {kind} manifest: '{kind}' must be a list")
    table: dict[str, E] = {}

    def add(made: E) -> None:
        if made.url in table:
            raise RuntimeError(f"vcbadge {kind} manifest: {made.url} is listed twice")
        table[made.url] = made

    for item in entries:
        if not isinstance(item, dict):
            raise RuntimeError(f"vcbadge {kind} manifest: every entry must be an object")
        url = _text(kind, item.get("url"), "url")
        file = _text(kind, item.get("file"), f"file of {url}")
        if "/" in file or "\\" in file or file.startswith("."):
            raise RuntimeError(f"vcbadge {kind} manifest: bad file name {file!r} for {url}")
        sha256 = _text(kind, item.get("sha256"), f"sha256 of {url}")
        extras = {
            name: None if item.get(name) is None else _text(kind, item[name], f"{name} of {url}")
            for name in optional
        }
        add(entry(url, file, sha256, alias_of=None, **extras))
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list):
            raise RuntimeError(f"vcbadge {kind} manifest: aliases of {url} must be a list")
        for alias in aliases:
            add(entry(_text(kind, alias, "alias"), file, sha256, alias_of=url, **extras))
    return MappingProxyType(table)


def verified_text(directory: Traversable, file: str, sha256: str, what: str) -> str:
    """The text of ``file``, checked against ``sha256`` and to hold a JSON object.

    ``what`` names the document in errors (``"JSON-LD context"``, ``"JSON Schema"``).
    """
    data = (directory / file).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise RuntimeError(
            f"bundled {what} {file} is corrupted: its SHA-256 is {digest}, "
            f"the manifest records {sha256}; reinstall vcbadge"
        )
    text = data.decode("utf-8")
    if not isinstance(json.loads(text), dict):
        raise RuntimeError(f"bundled {what} {file} is not a JSON object")
    return text
