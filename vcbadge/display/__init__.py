"""Showing badges to people: :func:`render_badge_html` writes one self-contained, script-free
HTML page with the badge image, what it recognises, who earned it, who issued it, and whether it
verifies (and if not, why); :func:`render_badge_fragment` is the same as a fragment for a web
app's own template. Labels in English and French (``lang``, :func:`labels`); :func:`reasons`
says in words why a badge is not VALID, for pages of your own."""

from __future__ import annotations

from vcbadge.display.html import (
    CONTENT_SECURITY_POLICY,
    FRAGMENT_CSS,
    render_badge_fragment,
    render_badge_html,
)
from vcbadge.display.i18n import LANGUAGES, labels
from vcbadge.display.reasons import reasons

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "FRAGMENT_CSS",
    "LANGUAGES",
    "labels",
    "reasons",
    "render_badge_fragment",
    "render_badge_html",
]
