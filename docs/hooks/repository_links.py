"""MkDocs hook: links from a page to repository files outside docs/ keep working on the site.

In the repository, docs/index.md links ``../CHANGELOG.md`` and a how-to links
``../../schemas/manifest.json``: right when the Markdown is read on disk or on a forge, but
outside the site MkDocs builds from docs/. This hook copies each such target into the site
under ``repository/`` (a Markdown file as a page, anything else as is) and points the link
there, so the links stay relative and checked on both sides: tests/test_docs.py checks them on
disk, and a target that does not exist is left alone, for MkDocs to report as a broken link
(a failure under ``--strict``). A link that leaves the repository itself is left alone too.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

COPIES = "repository"

# An inline Markdown link or image whose target starts with "../": (text)(target)(#fragment).
_LINK = re.compile(r"(\]\()(\.\./[^)\s#]+)(#[^)\s]*)?(\))")


def _outside_target(config: MkDocsConfig, page_uri: str, target: str) -> str | None:
    """The target's path relative to the repository root, if it leaves docs/ but not the
    repository and names an existing file; otherwise None."""
    docs = Path(config.docs_dir).resolve()
    root = Path(config.config_file_path).resolve().parent
    resolved = (docs / posixpath.dirname(page_uri) / target).resolve()
    if resolved.is_relative_to(docs) or not resolved.is_relative_to(root):
        return None
    if not resolved.is_file():
        return None
    return resolved.relative_to(root).as_posix()


def _pages(config: MkDocsConfig, files: Files) -> list[File]:
    return [file for file in files if file.src_uri.endswith(".md") and file.abs_src_path]


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    """Copy every repository file a page links outside docs/ into the site."""
    wanted: set[str] = set()
    for page_file in _pages(config, files):
        text = Path(str(page_file.abs_src_path)).read_text(encoding="utf-8")
        for match in _LINK.finditer(text):
            outside = _outside_target(config, page_file.src_uri, match.group(2))
            if outside is not None:
                wanted.add(outside)
    root = Path(config.config_file_path).resolve().parent
    for path in sorted(wanted):
        # A Markdown target (CHANGELOG.md) becomes a page of its own, reached by its links only.
        files.append(
            File.generated(
                config,
                f"{COPIES}/{path}",
                abs_src_path=str(root / path),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Point the page's links outside docs/ at the copies ``on_files`` made."""
    page_uri = page.file.src_uri

    def relink(match: re.Match[str]) -> str:
        outside = _outside_target(config, page_uri, match.group(2))
        if outside is None:
            return match.group(0)
        copy = posixpath.relpath(f"{COPIES}/{outside}", posixpath.dirname(page_uri) or ".")
        return f"{match.group(1)}{copy}{match.group(3) or ''}{match.group(4)}"

    return _LINK.sub(relink, markdown)
