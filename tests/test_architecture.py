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
# The same map is drawn in docs/architecture.md (tested below).
LAYERS = {
    "errors": 0, "protocols": 0, "vcdm": 0, "_json": 0, "_time": 0, "_b64url": 0, "_lru": 0,
    "_multibase": 0, "_cbor": 0, "atomic_files": 0, "hostnames": 0,
    "clock": 0,
    "model": 1, "schema": 1, "bake": 1, "status": 1, "migrate": 1,
    "jsonld": 2, "keys": 2,
    "proofs": 3, "resolve": 3, "trust": 3,
    "verify": 4, "issue": 4, "display": 4,
    "http": 5, "store": 5, "defaults": 5, "testing": 5, "conformance": 5,
    "parallel": 0, "batch": 5,
    "cli": 6, "web": 6,
    "api": 6,
}  # fmt: skip

# Upward imports that are deliberate, each with its reason. Only the Verifier's lazy default
# wiring: Verifier.online() imports vcbadge.defaults (the guarded HTTPS transport) when called,
# so importing the verifier never imports the network stack.
ALLOWED_UPWARD = {
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
        allowed = (importer, imported) in ALLOWED_UPWARD
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


def _graph() -> dict[str, set[str]]:
    """Module -> the vcbadge modules it imports (at any level, functions included).

    ``from vcbadge.a.b import x`` is an edge to ``vcbadge.a.b`` and, when the importer lives
    outside package ``vcbadge.a``, to ``vcbadge.a`` too: Python runs that package's
    ``__init__`` first, so a package whose ``__init__`` imports back is a real cycle.
    """
    by_name = {_module_name(path): path for path in MODULES}
    graph: dict[str, set[str]] = {}
    for name, path in by_name.items():
        edges: set[str] = set()
        for imported in _imports(path):
            if not imported.startswith("vcbadge."):
                continue
            parts = imported.split(".")
            # "from vcbadge.verify import Check" names a package; "from vcbadge.x import y"
            # may name a module y: take the longest prefix that is a module.
            target = next(
                (
                    ".".join(parts[:n])
                    for n in range(len(parts), 1, -1)
                    if ".".join(parts[:n]) in by_name
                ),
                None,
            )
            if target is None:
                continue
            edges.add(target)
            for n in range(2, len(target.split("."))):
                package = ".".join(parts[:n])
                if package in by_name and not name.startswith(package + ".") and name != package:
                    edges.add(package)
        edges.discard(name)
        graph[name] = edges
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_among_modules() -> None:
    """No two vcbadge modules import each other, directly or through others (the facade
    ``vcbadge/__init__.py`` and each package's ``__init__`` re-exporting its own modules
    excepted: a module importing its own package's facade is still a cycle)."""
    graph = _graph()
    facade_edges = {"vcbadge"}
    graph = {name: edges - facade_edges for name, edges in graph.items() if name != "vcbadge"}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_the_layer_map_is_the_documented_one() -> None:
    """docs/architecture.md lists every top-level module under the layer this test gives it."""
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, layer in LAYERS.items():
        assert f"| {layer} | " in text, layer
        row = next(line for line in text.splitlines() if line.startswith(f"| {layer} | "))
        assert f"`{name}`" in row, f"docs/architecture.md: layer {layer} does not list {name}"
