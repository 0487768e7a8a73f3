"""MkDocs hook: render the Graphviz sources docs/diagrams/NAME.dot to diagrams/NAME.svg.

The SVGs exist only in the built site (no drawing is committed as a binary); a page shows one
with ``![text](../diagrams/NAME.svg)``. Without Graphviz's ``dot`` the build stops with a message
saying what to install, rather than publishing pages with missing pictures. The version of
``dot`` is logged, so a build log records which Graphviz drew the site.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.diagrams")

SOURCES = "diagrams"
# A diagram is small; a renderer that takes longer than this is stuck.
RENDER_TIMEOUT_SECONDS = 60


def _dot() -> str:
    dot = shutil.which("dot")
    if dot is None:
        raise PluginError(
            "docs/hooks/diagrams.py: Graphviz's `dot` is not on PATH, so the diagrams of "
            "docs/diagrams/*.dot cannot be drawn. Install Graphviz (Debian: "
            "`apt-get install graphviz`) and build again."
        )
    return dot


def _version(dot: str) -> str:
    # `dot -V` prints its version on stderr, e.g. "dot - graphviz version 2.43.0 (0)".
    completed = subprocess.run(
        [dot, "-V"], capture_output=True, text=True, check=False, timeout=RENDER_TIMEOUT_SECONDS
    )
    return (completed.stderr or completed.stdout).strip()


def render(dot: str, source: Path) -> bytes:
    """The SVG Graphviz draws from one .dot file; an error, or a warning (an unknown colour,
    an attribute dot ignores), stops the build as MkDocs' own warnings do under --strict."""
    completed = subprocess.run(
        [dot, "-Tsvg", str(source)],
        capture_output=True,
        check=False,
        timeout=RENDER_TIMEOUT_SECONDS,
    )
    if completed.returncode != 0 or completed.stderr.strip() or not completed.stdout:
        raise PluginError(
            f"docs/hooks/diagrams.py: dot could not render {source.name}: "
            + completed.stderr.decode("utf-8", "replace").strip()
        )
    return completed.stdout


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Add one generated diagrams/NAME.svg per docs/diagrams/NAME.dot."""
    sources = sorted((Path(config.docs_dir) / SOURCES).glob("*.dot"))
    if not sources:
        return files
    dot = _dot()
    log.info("diagrams: drawing %d diagrams with %s", len(sources), _version(dot))
    for source in sources:
        files.append(
            File.generated(config, f"{SOURCES}/{source.stem}.svg", content=render(dot, source))
        )
    return files
