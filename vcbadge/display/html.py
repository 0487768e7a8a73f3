"""A badge as people see it: one self-contained HTML page.

The page shows the badge image, the achievement (name, description, criteria), the recipient,
the issuer, the dates, and the verification outcome with every check, under a banner that says
plainly whether the badge is valid.

It is safe to open whatever the credential contains: every value from the credential is escaped
(``html.escape``), the page has no JavaScript, and it loads nothing: a Content-Security-Policy
``default-src 'none'; img-src data:; style-src 'unsafe-inline'`` forbids any remote asset, and
images appear only as ``data:`` URIs (the baked badge itself, or an achievement image that is
already a ``data:`` URI). A remote image URL is shown as text next to a placeholder, never
fetched: opening a badge must not tell its issuer (or anyone) who looked at it.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from vcbadge.bake.detect import image_kind
from vcbadge.verify.result import Check, Outcome, VerificationResult

__all__ = ["CONTENT_SECURITY_POLICY", "is_ob2_assertion", "render_badge_html"]

CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
# Image data URIs a browser shows in <img> without running anything (an SVG in <img> runs no
# script); anything else is shown as text.
_DATA_IMAGE = re.compile(
    r"data:image/(?:png|jpeg|gif|webp|svg\+xml)(?:;[A-Za-z0-9=._+-]+)*,[A-Za-z0-9+/=%._~!$&'()*,;:@?-]*",
    re.IGNORECASE,
)
_HTTP_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)

_BANNERS = {
    Outcome.VALID: (
        "valid",
        "✓",
        "VALID",
        "This badge is valid: its signature, issuer key and dates all check out.",
    ),
    Outcome.INVALID: (
        "invalid",
        "✗",
        "INVALID",
        "This badge is not valid: it failed verification. Do not rely on what it says.",
    ),
    Outcome.INDETERMINATE: (
        "indeterminate",
        "?",
        "INDETERMINATE",
        "This badge could not be verified: something needed to check it was not available.",
    ),
}
_NOT_CHECKED = (
    "unchecked",
    "-",
    "NOT VERIFIED",
    "No verification was run: nothing on this page has been checked.",
)
_MARKS = {Outcome.VALID: "✓", Outcome.INVALID: "✗", Outcome.INDETERMINATE: "?"}
_IDENTITY_TYPES = {
    "emailAddress": "email address",
    "phone": "phone number",
    "sourcedId": "sourced id",
    "studentId": "student id",
    "systemId": "system id",
    "ext:OBv2IdentityType": "identifier",
}
_DATES = (
    ("validFrom", "Valid from"),
    ("validUntil", "Valid until"),
    ("issuanceDate", "Issued"),
    ("expirationDate", "Expires"),
    ("awardedDate", "Awarded"),
)
# Open Badges 2.0 recipient identity kinds (IdentityObject.type), as people say them.
_OB2_IDENTITY_TYPES = {"email": "email address", "url": "URL", "telephone": "telephone number"}
_OB2_DATES = (("issuedOn", "Issued"), ("expires", "Expires"))
_OB2_MARK = "Open Badges 2.0"
_OB2_VALID_SENTENCE = (
    "This badge is valid: the issuer's hosted or signed assertion, the issuer and the dates all "
    "check out."
)

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
  background: #f4f5f7; color: #1d2330; line-height: 1.45; }
main { max-width: 46rem; margin: 1.5rem auto; background: #fff; border-radius: 10px;
  box-shadow: 0 1px 4px rgba(0,0,0,.12); overflow: hidden; }
.banner { padding: 1rem 1.5rem; color: #fff; }
.banner h2 { margin: 0; font-size: 1.4rem; }
.banner p { margin: .25rem 0 0; }
.valid { background: #1b7a3a; } .invalid { background: #b3261e; }
.indeterminate { background: #8a5a00; } .unchecked { background: #5b6270; }
.badge { display: flex; gap: 1.5rem; padding: 1.5rem; align-items: flex-start; }
.badge img { width: 10rem; height: 10rem; object-fit: contain; flex: none; }
.placeholder { width: 10rem; height: 10rem; flex: none; border: 2px dashed #9aa1ad;
  border-radius: 8px; display: flex; align-items: center; justify-content: center;
  text-align: center; color: #5b6270; font-size: .85rem; padding: .5rem; box-sizing: border-box;
  overflow-wrap: anywhere; }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
section { padding: 0 1.5rem 1rem; }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; color: #3a4252; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; margin: 0; }
dt { font-weight: 600; color: #3a4252; } dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e5e9;
  vertical-align: top; overflow-wrap: break-word; }
td:nth-child(2), td:nth-child(3) { white-space: nowrap; }
td:nth-child(4), td:nth-child(5) { overflow-wrap: anywhere; }
td:nth-child(4) { min-width: 5rem; }
td.mark { font-weight: 700; width: 1.5rem; }
tr.VALID td.mark { color: #1b7a3a; } tr.INVALID td.mark { color: #b3261e; }
tr.INDETERMINATE td.mark { color: #8a5a00; }
code { font-size: .85em; }
.version { display: inline-block; margin: 0 0 .5rem; padding: .1rem .5rem; border-radius: 4px;
  background: #e3e5e9; color: #3a4252; font-size: .8rem; font-weight: 600; }
footer { padding: .75rem 1.5rem; font-size: .8rem; color: #5b6270; background: #f9fafb; }
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, Mapping) else {}


def _link_or_text(value: str) -> str:
    # Only http(s) URLs become links (never javascript: or data:); a link is navigation the
    # reader chooses, not an asset the page loads.
    if _HTTP_URL.fullmatch(value):
        return f'<a href="{_e(value)}" rel="noopener noreferrer">{_e(value)}</a>'
    return f"<code>{_e(value)}</code>"


def _image_html(image: bytes | None, achievement: Mapping[str, Any], alt: str) -> str:
    if image is not None:
        kind = image_kind(image)
        if kind is not None:
            source = f"data:{_MEDIA_TYPES[kind]};base64,{base64.b64encode(image).decode('ascii')}"
            return f'<img src="{_e(source)}" alt="{_e(alt)}">'
    declared = achievement.get("image")
    url = _string(declared) or _string(_mapping(declared).get("id"))
    if url and _DATA_IMAGE.fullmatch(url):
        return f'<img src="{_e(url)}" alt="{_e(alt)}">'
    if url:
        return (
            '<div class="placeholder">Image not loaded (this page loads nothing from the '
            f"network):<br>{_e(url)}</div>"
        )
    return '<div class="placeholder">No image</div>'


def _recipient(subject: Mapping[str, Any]) -> list[str]:
    shown = []
    subject_id = _string(subject.get("id"))
    if subject_id:
        shown.append(_link_or_text(subject_id))
    identifiers = subject.get("identifier")
    for identity in identifiers if isinstance(identifiers, list) else [identifiers]:
        if not isinstance(identity, Mapping):
            continue
        kind = _string(identity.get("identityType")) or "identifier"
        human = _IDENTITY_TYPES.get(kind, kind)
        if identity.get("hashed") is True:
            shown.append(
                f"a hashed {_e(human)} (only someone who knows it can check it)"
                f" <code>{_e(kind)}</code>"
            )
        elif _string(identity.get("identityHash")):
            shown.append(f"{_e(identity['identityHash'])} ({_e(human)})")
    return shown


def _issuer(credential: Mapping[str, Any]) -> list[tuple[str, str]]:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return [("Issuer", _link_or_text(issuer))]
    issuer = _mapping(issuer)
    rows = []
    name = _string(issuer.get("name"))
    if name:
        rows.append(("Issuer", _e(name)))
    issuer_id = _string(issuer.get("id"))
    if issuer_id:
        rows.append(("Issuer id", _link_or_text(issuer_id)))
    url = _string(issuer.get("url"))
    if url:
        rows.append(("Issuer website", _link_or_text(url)))
    return rows


def _definition_list(rows: Iterable[tuple[str, str]]) -> str:
    items = "".join(f"<dt>{_e(term)}</dt><dd>{html}</dd>" for term, html in rows)
    return f"<dl>{items}</dl>" if items else "<p>None given.</p>"


def _checks_table(checks: Iterable[Check]) -> str:
    rows = "".join(
        f'<tr class="{_e(check.outcome.value)}"><td class="mark" '
        f'title="{_e(check.outcome.value)}">{_MARKS[check.outcome]}</td>'
        f"<td>{_e(check.name)}</td><td><code>{_e(check.code)}</code></td>"
        f"<td><code>{_e(check.path)}</code></td><td>{_e(check.message)}</td></tr>"
        for check in checks
    )
    return (
        "<table><thead><tr><th></th><th>Check</th><th>Code</th><th>Path</th><th>Message</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


@dataclass(frozen=True, kw_only=True)
class _View:
    """What the page shows of one badge, whatever its format."""

    name: str | None
    description: str | None
    image_holder: Mapping[str, Any]
    criteria: list[tuple[str, str]]
    recipient: list[str]
    issuer: list[tuple[str, str]]
    dates: list[tuple[str, str]]
    details: list[tuple[str, str]]
    version: str | None = None


def _criteria_rows(criteria: Any) -> list[tuple[str, str]]:
    if _string(criteria):
        return [("More", _link_or_text(criteria))]
    criteria = _mapping(criteria)
    rows = []
    if _string(criteria.get("narrative")):
        rows.append(("Narrative", f'<span class="text">{_e(criteria["narrative"])}</span>'))
    if _string(criteria.get("id")):
        rows.append(("More", _link_or_text(criteria["id"])))
    return rows


def _ob3_view(document: Mapping[str, Any]) -> _View:
    subject = _mapping(document.get("credentialSubject"))
    achievement = _mapping(subject.get("achievement"))
    details = (
        [("Credential id", _link_or_text(document["id"]))] if _string(document.get("id")) else []
    )
    return _View(
        name=_string(achievement.get("name")) or _string(document.get("name")),
        description=_string(achievement.get("description")),
        image_holder=achievement,
        criteria=_criteria_rows(achievement.get("criteria")),
        recipient=_recipient(subject),
        issuer=_issuer(document),
        dates=[(label, _e(document[key])) for key, label in _DATES if _string(document.get(key))],
        details=details,
    )


def is_ob2_assertion(document: Mapping[str, Any]) -> bool:
    """Whether ``document`` is an Open Badges 2.0 Assertion rather than a Verifiable
    Credential (its ``type`` names ``Assertion``, never ``VerifiableCredential``)."""
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    return "Assertion" in types and "VerifiableCredential" not in types


def _linked(
    reference: Any, given: Mapping[str, Any] | None
) -> tuple[Mapping[str, Any], str | None]:
    """An OB 2.0 object embedded (a mapping) or named by URL; a separately given document is
    used only when its id is the URL named. Returns the object ({} if unknown) and the URL."""
    if isinstance(reference, Mapping):
        return reference, _string(reference.get("id"))
    url = _string(reference)
    if url and given is not None and given.get("id") == url:
        return given, url
    return {}, url


def _ob2_recipient(assertion: Mapping[str, Any]) -> list[str]:
    recipient = _mapping(assertion.get("recipient"))
    kind = _string(recipient.get("type")) or "identity"
    human = _OB2_IDENTITY_TYPES.get(kind, kind)
    identity = _string(recipient.get("identity"))
    if recipient.get("hashed") is True:
        return [
            f"a hashed {_e(human)} (only someone who knows it can check it) <code>{_e(kind)}</code>"
        ]
    if identity:
        return [f"{_e(identity)} ({_e(human)})"]
    return []


def _ob2_view(
    assertion: Mapping[str, Any],
    badge_class: Mapping[str, Any] | None,
    issuer: Mapping[str, Any] | None,
) -> _View:
    badge, badge_url = _linked(assertion.get("badge"), badge_class)
    issuer_object, issuer_url = _linked(badge.get("issuer"), issuer)
    issuer_rows = _issuer({"issuer": issuer_object or issuer_url})
    image = badge.get("image") if badge.get("image") is not None else assertion.get("image")
    details = [("Format", f"{_OB2_MARK} assertion")]
    if _string(assertion.get("id")):
        details.append(("Assertion id", _link_or_text(assertion["id"])))
    if badge_url and not badge:
        details.append(("Badge class", _link_or_text(badge_url) + " (not loaded)"))
    if assertion.get("revoked") is True:
        reason = _string(assertion.get("revocationReason"))
        details.append(("Revoked", "yes" + (f": {_e(reason)}" if reason else "")))
    narrative = _string(assertion.get("narrative"))
    if narrative:
        details.append(("Narrative", f'<span class="text">{_e(narrative)}</span>'))
    return _View(
        name=_string(badge.get("name")),
        description=_string(badge.get("description")),
        image_holder={"image": image},
        criteria=_criteria_rows(badge.get("criteria")),
        recipient=_ob2_recipient(assertion),
        issuer=issuer_rows,
        dates=[
            (label, _e(assertion[key])) for key, label in _OB2_DATES if _string(assertion.get(key))
        ],
        details=details,
        version=_OB2_MARK,
    )


def render_badge_html(
    credential: Mapping[str, Any] | None,
    *,
    result: VerificationResult | None = None,
    image: bytes | None = None,
    source: str | None = None,
    checked_at: datetime | None = None,
    badge_class: Mapping[str, Any] | None = None,
    issuer: Mapping[str, Any] | None = None,
) -> str:
    """A self-contained HTML page showing ``credential`` and, if given, its verification
    ``result``.

    ``image`` is the badge image (PNG or SVG bytes, typically the baked badge itself) and is
    embedded as a ``data:`` URI; without it, the achievement's image is shown only if it is
    already a ``data:`` URI. ``credential`` may be None when it could not be read (the page
    then shows the outcome and checks only). ``source`` (e.g. "baked in a PNG") and
    ``checked_at`` are shown in the footer.

    An Open Badges 2.0 Assertion is shown too, marked "Open Badges 2.0": its BadgeClass and
    issuer Profile come from the assertion when embedded, else from ``badge_class`` and
    ``issuer`` when their ``id`` is the URL the assertion (or BadgeClass) names; nothing is
    fetched.
    """
    document: Mapping[str, Any] = credential or {}
    view = (
        _ob2_view(document, badge_class, issuer)
        if is_ob2_assertion(document)
        else _ob3_view(document)
    )
    name = view.name or ("Unreadable credential" if credential is None else "Untitled badge")
    css_class, mark, word, sentence = (
        _BANNERS[result.outcome] if result is not None else _NOT_CHECKED
    )
    if view.version == _OB2_MARK and result is not None and result.outcome is Outcome.VALID:
        # An OB 2.0 badge may be hosted, not signed: say what was checked for either.
        sentence = _OB2_VALID_SENTENCE
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(name)} — {_e(word)}</title><style>{_STYLE}</style></head><body><main>",
        f'<div class="banner {css_class}" role="status"><h2>{mark} {_e(word)}</h2>'
        f"<p>{_e(sentence)}</p></div>",
        '<div class="badge">',
        _image_html(image, view.image_holder, f"Badge image: {name}"),
        f"<div><h1>{_e(name)}</h1>",
    ]
    if view.version:
        parts.append(f'<p class="version">{_e(view.version)}</p>')
    if view.description:
        parts.append(f'<p class="text">{_e(view.description)}</p>')
    if credential is None:
        parts.append("<p>The credential could not be read; see the checks below.</p>")
    parts.append("</div></div>")
    if credential is not None:
        parts += [
            "<section><h3>Criteria</h3>",
            _definition_list(view.criteria),
            "<h3>Awarded to</h3>",
            _definition_list(("Recipient", item) for item in view.recipient),
            "<h3>Issued by</h3>",
            _definition_list(view.issuer),
            "<h3>Dates</h3>",
            _definition_list(view.dates),
            "<h3>Credential</h3>",
            _definition_list(view.details),
            "</section>",
        ]
    parts.append("<section><h3>Verification</h3>")
    if result is None:
        parts.append("<p>Not verified.</p>")
    else:
        parts.append(
            f"<p>Outcome: <strong>{_e(result.outcome.value)}</strong>, "
            f"{len(result.checks)} checks.</p>"
        )
        parts.append(_checks_table(result.checks))
    parts.append("</section>")
    footer = ["Shown by vcbadge"]
    if source:
        footer.append(_e(source))
    if checked_at is not None:
        footer.append(f"checked at {_e(checked_at.isoformat())}")
    parts.append(
        f"<footer>{' · '.join(footer)}. This page loads nothing from the network.</footer>"
    )
    parts.append("</main></body></html>\n")
    return "".join(parts)
