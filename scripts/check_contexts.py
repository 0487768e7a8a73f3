#!/usr/bin/env python3
"""Maintainer check for the project's JSON-LD context documents in ``contexts/``.

Usage::

    python scripts/check_contexts.py            # check layout and manifest digests
    python scripts/check_contexts.py --fix      # rewrite files in house layout, refresh digests
    python scripts/check_contexts.py --format FILE [FILE ...]   # print FILE in house layout

House layout (so that every document reads the same way):

* UTF-8, 2-space indentation, a final newline, no trailing whitespace;
* in a context object: JSON-LD keywords first (in the order the context processing algorithm
  reads them), then keyword aliases such as ``"id": "@id"``, then every other term sorted
  case-insensitively;
* in a term definition: ``@id``/``@reverse`` first and a scoped ``@context`` last;
* an object or array without nested objects or arrays is written on one line when that line
  fits in 100 columns.

Reordering members of a JSON object does not change what a JSON-LD context means; the order of
the entries of an ``@context`` *array* does, and is kept as written. The term-by-term comparison
with the published documents lives in ``tests/jsonld/test_contexts.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

CONTEXTS = Path(__file__).resolve().parents[1] / "contexts"
MANIFEST = CONTEXTS / "manifest.json"
WIDTH = 100

_CONTEXT_KEYWORDS = (
    "@version",
    "@import",
    "@base",
    "@vocab",
    "@language",
    "@direction",
    "@propagate",
    "@protected",
)
_DEFINITION_KEYWORDS = (
    "@id",
    "@reverse",
    "@type",
    "@container",
    "@language",
    "@direction",
    "@index",
    "@nest",
    "@prefix",
    "@propagate",
    "@protected",
    "@context",
)


def _context_key(item: tuple[str, Any]) -> tuple[int, int, str, str]:
    key, value = item
    if key in _CONTEXT_KEYWORDS:
        return (0, _CONTEXT_KEYWORDS.index(key), "", "")
    if isinstance(value, str) and value.startswith("@"):
        return (1, 0, key.casefold(), key)
    return (2, 0, key.casefold(), key)


def _definition_key(key: str) -> tuple[int, str]:
    if key in _DEFINITION_KEYWORDS:
        return (_DEFINITION_KEYWORDS.index(key), "")
    return (len(_DEFINITION_KEYWORDS), key)


def _order(value: Any, *, in_context: bool) -> Any:
    """Returns ``value`` with object members in house order (arrays keep their order)."""
    if isinstance(value, list):
        return [_order(item, in_context=in_context) for item in value]
    if not isinstance(value, dict):
        return value
    if in_context:
        items = sorted(value.items(), key=_context_key)
        # every member of a context object is a keyword or a term definition
        return {key: _order(item, in_context=False) for key, item in items}
    ordered: dict[str, Any] = {}
    for key in sorted(value, key=_definition_key):
        ordered[key] = _order(value[key], in_context=key == "@context")
    return ordered


def _flat(value: Any) -> bool:
    return all(not isinstance(v, (dict, list)) for v in value)


def _render(value: Any, indent: int, prefix: str) -> str:
    """Renders ``value``; ``prefix`` is what precedes it on its first line (for the width)."""
    pad = " " * indent
    one_line = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, dict) and value:
        if _flat(value.values()) and indent + len(prefix) + len(one_line) + 1 <= WIDTH:
            return one_line
        inner = " " * (indent + 2)
        members = []
        for key, item in value.items():
            head = json.dumps(key, ensure_ascii=False) + ": "
            members.append(inner + head + _render(item, indent + 2, head))
        return "{\n" + ",\n".join(members) + "\n" + pad + "}"
    if isinstance(value, list) and value:
        if _flat(value) and indent + len(prefix) + len(one_line) + 1 <= WIDTH:
            return one_line
        inner = " " * (indent + 2)
        items = [inner + _render(item, indent + 2, "") for item in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return one_line


def house_layout(document: Any) -> str:
    """The house layout of a context document (a JSON object with an ``@context`` member)."""
    if not isinstance(document, dict):
        raise ValueError("a context document must be a JSON object")
    ordered = {key: _order(value, in_context=key == "@context") for key, value in document.items()}
    return _render(ordered, 0, "") + "\n"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check(*, fix: bool) -> list[str]:
    """Checks every manifest entry; with ``fix`` rewrites layout and digests. Returns problems."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    problems: list[str] = []
    listed: set[str] = set()
    for entry in manifest["contexts"]:
        path = CONTEXTS / entry["file"]
        listed.add(entry["file"])
        text = path.read_text(encoding="utf-8")
        wanted = house_layout(json.loads(text))
        if text != wanted:
            if fix:
                path.write_text(wanted, encoding="utf-8")
            else:
                problems.append(f"{entry['file']}: not in house layout (run with --fix)")
        digest = _sha256(path)
        if entry["sha256"] != digest:
            if fix:
                entry["sha256"] = digest
            else:
                problems.append(f"{entry['file']}: manifest sha256 is stale (run with --fix)")
    for path in sorted(CONTEXTS.iterdir()):
        if path.name != MANIFEST.name and path.name not in listed:
            problems.append(f"{path.name}: not listed in manifest.json")
    if fix:
        MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fix", action="store_true", help="rewrite layout and digests")
    parser.add_argument("--format", nargs="+", metavar="FILE", help="print FILE in house layout")
    args = parser.parse_args(argv)
    if args.format:
        for name in args.format:
            sys.stdout.write(house_layout(json.loads(Path(name).read_text(encoding="utf-8"))))
        return 0
    problems = check(fix=args.fix)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
