"""The documentation site (mkdocs.yml): it builds with no warnings, and its navigation is whole.

- Every page under docs/ is in the nav, and every nav entry is a page that exists: a new
  tutorial cannot be left out of the site, and a renamed one cannot leave a dead entry.
- Every diagram source (docs/diagrams/*.dot) is shown by some page, and every diagram a page
  shows has a source: the SVGs are drawn at build time by docs/hooks/diagrams.py. The layers
  diagram names the modules of docs/architecture.md's table, layer by layer.
- The compatibility table of docs/concepts/proof-formats.md names every tests/interop/ file,
  and only files that exist.
- ``mkdocs build --strict`` succeeds (broken links and anchors, docstrings mkdocstrings cannot
  parse, a diagram dot cannot draw, a page missing from the nav: each is a warning, so a
  failure), and the API reference has an entry for every name each documented module exports.

The build needs the ``docs`` extra and Graphviz's ``dot``; without them it is skipped with the
reason. ``tox -e docs`` runs the same build.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIG = ROOT / "mkdocs.yml"

# A `::: module` line of an API reference page (mkdocstrings' syntax).
_DIRECTIVE = re.compile(r"^:::\s*([\w.]+)\s*$", re.MULTILINE)
# A link to a generated diagram, from any page depth: inline, or a reference definition (which
# pages use, since the SVG is not on disk for tests/test_docs.py's check of inline links).
_DIAGRAM_LINK = re.compile(
    r"(?:\]\(|^\[[\w-]+\]:\s*)(?:\.\./)*diagrams/([\w-]+)\.svg", re.MULTILINE
)


def _config() -> dict[str, Any]:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with the docs extra (mkdocs)")
    loaded = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _nav_pages(entries: Any) -> list[str]:
    """The page paths of a mkdocs nav, in order, at any depth (external URLs left out)."""
    if isinstance(entries, str):
        return [] if "://" in entries else [entries]
    if isinstance(entries, list):
        return [page for entry in entries for page in _nav_pages(entry)]
    if isinstance(entries, dict):
        return [page for value in entries.values() for page in _nav_pages(value)]
    raise AssertionError(f"unexpected nav entry: {entries!r}")


def _doc_pages() -> set[str]:
    return {path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md")}


def test_every_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    listed = _nav_pages(_config()["nav"])
    pages = _doc_pages()
    assert sorted(pages - set(listed)) == [], "pages missing from the nav of mkdocs.yml"
    assert sorted(set(listed) - pages) == [], "nav entries of mkdocs.yml that are not pages"
    repeated = sorted({page for page in listed if listed.count(page) > 1})
    assert repeated == [], "pages listed twice in the nav"


def test_the_nav_has_the_four_parts() -> None:
    sections = [next(iter(entry)) for entry in _config()["nav"] if isinstance(entry, dict)]
    assert [s for s in sections if s != "Home"] == [
        "Tutorials",
        "How-to guides",
        "Concepts",
        "Reference",
    ]


def test_every_diagram_source_is_shown_and_every_diagram_shown_has_a_source() -> None:
    sources = {path.stem for path in (DOCS / "diagrams").glob("*.dot")}
    shown = {
        name
        for page in DOCS.rglob("*.md")
        for name in _DIAGRAM_LINK.findall(page.read_text(encoding="utf-8"))
    }
    assert sources, "docs/diagrams/ has no .dot sources"
    assert sorted(sources - shown) == [], "diagram sources no page shows"
    assert sorted(shown - sources) == [], "diagrams shown without a docs/diagrams/*.dot source"


def test_the_hooks_are_registered() -> None:
    hooks = {Path(hook).as_posix() for hook in _config()["hooks"]}
    on_disk = {path.relative_to(ROOT).as_posix() for path in (DOCS / "hooks").glob("*.py")}
    assert hooks == on_disk


def _documented_modules() -> list[ModuleType]:
    """The modules the API reference pages document (a ``:::`` line may also name one object)."""
    targets = {
        target
        for page in (DOCS / "reference" / "api").glob("*.md")
        for target in _DIRECTIVE.findall(page.read_text(encoding="utf-8"))
    }
    modules = []
    for target in sorted(targets):
        try:
            modules.append(importlib.import_module(target))
        except ModuleNotFoundError as error:
            if error.name != target:
                raise
            # An object, such as a function that shares its module's name.
    return modules


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once with ``mkdocs build --strict``."""
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]')")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not on PATH (Debian: apt-get install graphviz)")
    site = tmp_path_factory.mktemp("site")
    completed = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert completed.returncode == 0, f"mkdocs build --strict failed:\n{completed.stderr}"
    return site


@pytest.mark.slow  # about 10 s: mkdocstrings loads the whole package
def test_the_site_builds_strictly_with_its_diagrams(built_site: Path) -> None:
    for source in sorted((DOCS / "diagrams").glob("*.dot")):
        drawn = built_site / "diagrams" / f"{source.stem}.svg"
        assert drawn.is_file(), f"{source.name} was not drawn"
        assert "<svg" in drawn.read_text(encoding="utf-8")
    assert (built_site / "search" / "search_index.json").is_file()


def _anchors(site: Path) -> set[str]:
    return {
        anchor
        for page in (site / "reference" / "api").rglob("index.html")
        for anchor in re.findall(r'id="(vcbadge[\w.]*)"', page.read_text(encoding="utf-8"))
    }


def _defined_as(module: Any, name: str) -> str:
    """Where an exported function or class is defined (a name documented under its defining
    module's path, as when it shares its name with that module)."""
    value = getattr(module, name)
    defined_in = getattr(value, "__module__", None)
    return f"{defined_in}.{name}" if isinstance(defined_in, str) else ""


@pytest.mark.slow
def test_the_api_reference_has_every_exported_name(built_site: Path) -> None:
    anchors = _anchors(built_site)
    missing = []
    for module in _documented_modules():
        module_name = module.__name__
        exported = getattr(module, "__all__", None)
        if module_name == "vcbadge" or exported is None:
            # The top-level page is the package map (its names are checked below, where they
            # are documented); a module without __all__ shows what does not start with "_".
            continue
        missing += [
            f"{module_name}.{name}"
            for name in exported
            if not {f"{module_name}.{name}", _defined_as(module, name)} & anchors
        ]
    assert missing == [], "exported names without an entry in the API reference"


@pytest.mark.slow
def test_every_top_level_name_is_documented_where_it_comes_from(built_site: Path) -> None:
    import vcbadge

    anchors = _anchors(built_site)
    modules = _documented_modules()
    missing = [
        name
        for name in vcbadge.__all__
        if not name.startswith("__")
        and not any(
            getattr(module, name, None) is getattr(vcbadge, name)
            and f"{module.__name__}.{name}" in anchors
            for module in modules
            if module is not vcbadge
        )
    ]
    assert missing == [], "names of vcbadge.__all__ with no entry in the API reference"


def _architecture_layers() -> dict[int, set[str]]:
    """The modules of each layer, from the table of docs/architecture.md."""
    layers: dict[int, set[str]] = {}
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    for number, modules in re.findall(r"^\| (\d) \| ([^|]+) \|", text, re.MULTILINE):
        layers[int(number)] = set(re.findall(r"`(\w+)`", modules))
    return layers


def _diagram_layers() -> dict[int, set[str]]:
    """The modules the layers diagram names for each layer ("6  cli · web · api\\n...")."""
    text = (DOCS / "diagrams" / "layers.dot").read_text(encoding="utf-8")
    return {
        int(number): {name.strip() for name in names.split("·")} - {"codecs", "..."}
        for number, names in re.findall(r'label="(\d)  ([^\\"]+)\\n', text)
    }


def test_the_layers_diagram_matches_the_architecture() -> None:
    documented, drawn = _architecture_layers(), _diagram_layers()
    assert sorted(drawn) == sorted(documented) == list(range(7))
    for layer, modules in drawn.items():
        # Layer 0 is drawn abbreviated ("codecs" for the private byte codecs, "..."): what is
        # drawn must exist; every other layer is drawn whole.
        assert modules <= documented[layer], f"layer {layer}: {modules - documented[layer]}"
        if layer:
            assert modules == documented[layer], f"layer {layer} differs from architecture.md"


def test_the_interop_table_names_every_interop_test_and_only_real_ones() -> None:
    page = (DOCS / "concepts" / "proof-formats.md").read_text(encoding="utf-8")
    table = page[page.index("## Which implementations agree") :]
    named = set(re.findall(r"`(tests/[\w/]+\.py)`", table))
    # A cell may name a second file of the same directory by its file name alone.
    named |= {f"tests/interop/{name}" for name in re.findall(r"`(test_\w+\.py)`", table)}
    assert sorted(path for path in named if not (ROOT / path).is_file()) == []
    interop = {
        path.relative_to(ROOT).as_posix() for path in (ROOT / "tests/interop").glob("test_*.py")
    }
    assert sorted(interop - named) == [], "interop tests the compatibility table does not cover"


def _diagrams_hook() -> ModuleType:
    pytest.importorskip("mkdocs", reason="the hook imports mkdocs (pip install -e '.[docs]')")
    spec = importlib.util.spec_from_file_location("diagrams_hook", DOCS / "hooks" / "diagrams.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("source", "said"),
    [
        ("digraph { a -> }", "syntax error"),
        # A warning is a failure too, as MkDocs' own are under --strict.
        ('digraph { a [color="#a33"]; }', "is not a known color"),
    ],
    ids=["syntax-error", "warning"],
)
def test_a_diagram_dot_cannot_draw_stops_the_build(tmp_path: Path, source: str, said: str) -> None:
    hook = _diagrams_hook()
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz's dot is not on PATH (Debian: apt-get install graphviz)")
    from mkdocs.exceptions import PluginError

    broken = tmp_path / "broken.dot"
    broken.write_text(source, encoding="utf-8")
    with pytest.raises(PluginError, match=f"broken.dot.*{said}"):
        hook.render(dot, broken)
