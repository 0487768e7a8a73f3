"""The dependency direction of ARCHITECTURE.md, enforced on every import (module-level and
inside functions): pure model → canonicalization → keys → proofs → verification → I/O edges →
CLI. Lower layers never import higher ones, and only ``vcbadge.http`` touches the network.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "vcbadge"

# Top-level module or package of vcbadge -> layer (a module may import its own layer or lower).
LAYERS = {
    "errors": 0, "protocols": 0, "vcdm": 0, "_json": 0, "_time": 0, "_b64url": 0, "clock": 0,
    "model": 1, "schema": 1, "bake": 1,
    "jsonld": 2, "keys": 2,
    "proofs": 3,
    "verify": 4, "issue": 4, "status": 4, "display": 4,
    "resolve": 5, "http": 5, "store": 5, "defaults": 5, "testing": 5,
    "cli": 6,
}  # fmt: skip

# Upward imports that are deliberate, with the reason. The Verifier is the composition root of
# the verification layer: it wires in the resolvers and status fetchers that need no network
# (did:key, did:jwk, given documents) and, lazily inside Verifier.online(), the I/O defaults;
# the pipeline modules themselves stay free of them (tested below).
ALLOWED_UPWARD = {
    ("vcbadge.verify.verifier", "vcbadge.resolve.offline"): "offline resolution is pure",
    ("vcbadge.verify.verifier", "vcbadge.defaults"): "Verifier.online() wiring, imported lazily",
}

NETWORK_MODULES = ("requests", "urllib3", "socket", "http.client", "urllib.request")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                yield f"{base}.{node.module}" if node.module else base
            elif node.module:
                yield node.module


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "vcbadge" or len(parts) == 1:
        return None
    return LAYERS.get(parts[1])


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_top_level_module_has_a_layer() -> None:
    top = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in MODULES}
    assert top - {"__init__", "__main__", "py.typed"} <= set(LAYERS), sorted(top - set(LAYERS))


@pytest.mark.parametrize("path", MODULES, ids=lambda path: _module_name(path))
def test_imports_point_down(path: Path) -> None:
    importer = _module_name(path)
    own = _layer(importer)
    if own is None:
        return  # the facade (vcbadge/__init__.py) may re-export from any layer
    for imported in _imports(path):
        target = _layer(imported)
        if target is None or target <= own:
            continue
        allowed = any(
            importer == allowed_importer and imported.startswith(allowed_target)
            for allowed_importer, allowed_target in ALLOWED_UPWARD
        )
        assert allowed, f"{importer} (layer {own}) imports {imported} (layer {target})"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: _module_name(path))
def test_only_the_transport_touches_the_network(path: Path) -> None:
    if _module_name(path) == "vcbadge.http":
        return
    for imported in _imports(path):
        assert not imported.startswith(NETWORK_MODULES), f"{_module_name(path)} imports {imported}"


def test_the_pipeline_never_reaches_an_io_module() -> None:
    """Everything the verification pipeline imports, transitively, is free of I/O modules."""
    by_name = {_module_name(path): path for path in MODULES}
    seen: set[str] = set()
    pending = [
        name
        for name in by_name
        if name.startswith("vcbadge.verify.") and name != "vcbadge.verify.verifier"
    ]
    while pending:
        name = pending.pop()
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        pending.extend(i for i in _imports(by_name[name]) if i.startswith("vcbadge"))
    forbidden = {"vcbadge.http", "vcbadge.defaults", "vcbadge.store", "vcbadge.cli"}
    reached = {name for name in seen if name.startswith(tuple(forbidden))}
    assert not reached, sorted(reached)
