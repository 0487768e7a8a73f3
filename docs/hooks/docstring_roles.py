"""MkDocs hook: the Sphinx roles of vcbadge's docstrings become links in the API reference.

The docstrings name other objects the way ``help()`` readers and Sphinx expect,
``:class:`vcbadge.http.GuardedTransport```, which Markdown renders as the role's text followed by
the name in code. This hook turns each role into a cross-reference that mkdocs-autorefs resolves
when the name is documented on the site, and into plain code otherwise (a relative name such as
``:meth:`register``` has no unique target). It runs on the rendered HTML of the API reference
pages only, after mkdocstrings and before autorefs fixes references.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

API_PAGES = "reference/api/"

# ":class:<code>~vcbadge.x.Y</code>" as Markdown renders :class:`~vcbadge.x.Y`.
_ROLE = re.compile(
    r":(?:class|func|meth|mod|data|attr|exc|obj):<code>(?P<short>~)?(?P<name>[A-Za-z_][\w.]*)"
    r"(?P<call>\(\))?</code>"
)


def _page_module(src_uri: str) -> str:
    """The module an API page is named after: reference/api/keys.md documents vcbadge.keys."""
    stem = src_uri.removeprefix(API_PAGES).removesuffix(".md")
    return "vcbadge" if stem == "vcbadge" else f"vcbadge.{stem}"


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Rewrite the roles of one API reference page."""
    if not page.file.src_uri.startswith(API_PAGES):
        return html
    module = _page_module(page.file.src_uri)

    def reference(match: re.Match[str]) -> str:
        name = match.group("name")
        # A bare name (:class:`Issuer` in vcbadge's docstring) is looked up in the page's
        # module, where autorefs knows it as an alias of the documented object.
        identifier = name if "." in name else f"{module}.{name}"
        shown = name.rsplit(".", 1)[-1] if match.group("short") else name
        shown += match.group("call") or ""
        return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'

    return _ROLE.sub(reference, html)
