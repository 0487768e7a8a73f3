"""The web app's own pages (the form, refusals) and the one place that turns a verification
into the badge page. No JavaScript anywhere; every value shown is escaped."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any

from vcbadge.display import render_badge_fragment
from vcbadge.verify import VerificationResult

__all__ = ["badge_page", "form_page", "refusal_page"]

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  background: #f4f5f7; color: #1d2330; line-height: 1.45; }
main { max-width: 42rem; margin: 1.5rem auto; background: #fff; border-radius: 10px;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); padding: 1rem 1.5rem 1.5rem; }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
form { margin: 0 0 .5rem; } label { display: block; font-weight: 600; margin-bottom: .3rem; }
textarea, input[type=url] { width: 100%; box-sizing: border-box; font: inherit; }
textarea { min-height: 8rem; font-family: ui-monospace, monospace; font-size: .85rem; }
button { margin-top: .5rem; font: inherit; padding: .35rem 1rem; }
.refused { border-left: 6px solid #b3261e; padding: .5rem 1rem; background: #fbeceb; }
code { overflow-wrap: anywhere; } .note { color: #4a5160; font-size: .9rem; }
main.bare { background: none; box-shadow: none; padding: 0 .5rem; }
"""


def _page(title: str, body: str, *, card: bool = True) -> str:
    # The badge fragment is a card of its own: not one card inside another.
    main = "<main>" if card else '<main class="bare">'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{main}{body}</main></body></html>\n"
    )


def form_page(*, max_upload_bytes: int, urls_allowed: bool) -> str:
    """The start page: upload a badge file, paste a credential, or (online) give its URL.
    Three plain forms posting to ``verify`` (relative, so the app works mounted under a
    prefix)."""
    megabytes = max_upload_bytes / (1024 * 1024)
    url_form = (
        '<h2 id="by-url">Verify a badge from its URL</h2>'
        '<form method="post" action="verify" enctype="multipart/form-data">'
        '<label for="url">HTTPS URL of the badge (JSON, VC-JWT, PNG or SVG)</label>'
        '<input type="url" id="url" name="url" required placeholder="https://">'
        '<button type="submit">Verify</button></form>'
        if urls_allowed
        else '<p class="note">This verifier runs offline: it does not fetch badges by URL.</p>'
    )
    body = (
        "<h1>Verify an Open Badge</h1>"
        "<p>Check an Open Badges 3.0 or 2.0 badge: its signature, issuer, dates and status. "
        "What you upload is verified in memory and not kept.</p>"
        '<h2 id="by-file">Upload a badge file</h2>'
        '<form method="post" action="verify" enctype="multipart/form-data">'
        '<label for="badge">Badge image (PNG, SVG) or credential (JSON, VC-JWT)</label>'
        '<input type="file" id="badge" name="badge" required '
        'accept=".png,.svg,.json,.jsonld,.jwt,.txt,image/png,image/svg+xml,application/json">'
        '<br><button type="submit">Verify</button></form>'
        f'<p class="note">Up to {megabytes:.1f} MiB.</p>'
        '<h2 id="by-paste">Paste a credential</h2>'
        '<form method="post" action="verify" enctype="multipart/form-data">'
        '<label for="text">Credential JSON or VC-JWT</label>'
        '<textarea id="text" name="text" required spellcheck="false"></textarea>'
        '<button type="submit">Verify</button></form>' + url_form
    )
    return _page("Verify an Open Badge", body)


def refusal_page(message: str, code: str) -> str:
    """A request that was refused before (or instead of) verification: why, and its code."""
    body = (
        "<h1>Not verified</h1>"
        f'<div class="refused" role="alert"><p>{escape(message)}</p>'
        f"<p>Code: <code>{escape(code)}</code></p></div>"
        '<p><a href="./">Verify another badge</a></p>'
    )
    return _page("Not verified", body)


def badge_page(
    credential: Mapping[str, Any] | None,
    result: VerificationResult,
    *,
    image: bytes | None,
    source: str,
    checked_at: datetime,
) -> str:
    """The page a viewer sees after verification: the badge and its outcome
    (:func:`vcbadge.display.render_badge_fragment`) in the app's page, with a way back to the
    form. The one place the app renders a badge."""
    fragment = render_badge_fragment(
        credential, result, image=image, source=source, checked_at=checked_at
    )
    body = f'{fragment}<p><a href="./">Verify another badge</a></p>'
    return _page(f"{result.outcome.value}: verified badge", body, card=False)
