"""Showing badges to people: :func:`render_badge_html` writes one self-contained, script-free
HTML page with the badge image, what it recognises, who earned it, who issued it, and whether it
verifies."""

from __future__ import annotations

from vcbadge.display.html import CONTENT_SECURITY_POLICY, render_badge_html

__all__ = ["CONTENT_SECURITY_POLICY", "render_badge_html"]
