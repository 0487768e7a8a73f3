"""A badge as people see it: an HTML fragment for a web app's own template, or one
self-contained page.

:func:`render_badge_fragment` shows the badge name, the verification outcome with the reason
for anything but VALID (revoked, with the issuer's reason; expired on; not yet valid; forged, by
which check; untrusted issuer; could not be checked, and why), the issuer trust answer, the
badge image, and what Open Badges 3.0 defines that a person wants to see: the achievement (type,
criteria, field of study, credits, tags, alignments and skills, how it is assessed with its
rubric levels), the results the recipient achieved, evidence, the issuer's contact details, the
dates, the endorsements and, for a Comprehensive Learner Record, every credential it bundles
with its own outcome. Every check follows. :func:`render_badge_html` wraps the fragment in a
full page.

Labels come in English and French (``lang``); a credential's own text given in several
languages (``{"@value", "@language"}``) is shown in the viewer's language when it has it, and
text in another language carries its ``lang`` attribute. Dates are written for people, with the
ISO value in ``<time datetime>`` and on hover.

It is safe to open whatever the credential contains: every value from the credential is escaped
(``html.escape``), nothing has JavaScript, and nothing loads: the page's Content-Security-Policy
``default-src 'none'; img-src data:; style-src 'unsafe-inline'`` forbids any remote asset, and
images appear only as ``data:`` URIs (the baked badge itself, or an image that is already a
``data:`` URI). A remote image URL is shown as text next to a placeholder, never fetched:
opening a badge must not tell its issuer (or anyone) who looked at it. The fragment's classes
all start with ``vcb-`` and its style applies only inside its root element.
"""

from __future__ import annotations

import base64
import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from vcbadge.bake.detect import image_kind
from vcbadge.display.i18n import (
    LABELS,
    Text,
    human_date,
    labels,
    parse_date,
    pick_text,
    primary,
)
from vcbadge.display.reasons import Reason, ReasonKind, reasons
from vcbadge.trust.answer import IssuerTrust, TrustLevel
from vcbadge.verify.result import Check, Outcome, VerificationResult

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "FRAGMENT_CSS",
    "PALETTE",
    "is_ob2_assertion",
    "render_badge_fragment",
    "render_badge_html",
]

CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

_MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
# Image data URIs a browser shows in <img> without running anything (an SVG in <img> runs no
# script); anything else is shown as text.
_DATA_IMAGE = re.compile(
    r"data:image/(?:png|jpeg|gif|webp|svg\+xml)(?:;[A-Za-z0-9=._+-]+)*,[A-Za-z0-9+/=%._~!$&'()*,;:@?-]*",
    re.IGNORECASE,
)
_HTTP_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)
_MAILTO = re.compile(r"[^\s@\"'<>]+@[^\s@\"'<>]+")

#: Every foreground/background pair of the page, by role; each meets WCAG AA (4.5:1).
PALETTE: Mapping[str, tuple[str, str]] = {
    "text": ("#1d2330", "#ffffff"),
    "muted": ("#4a5262", "#ffffff"),
    "footer": ("#4a5262", "#f4f5f7"),
    "valid": ("#ffffff", "#1b7a3a"),
    "invalid": ("#ffffff", "#b3261e"),
    "indeterminate": ("#ffffff", "#875700"),
    "unchecked": ("#ffffff", "#555c6a"),
    "mark-valid": ("#1b7a3a", "#ffffff"),
    "mark-invalid": ("#b3261e", "#ffffff"),
    "mark-indeterminate": ("#875700", "#ffffff"),
    "trust-known": ("#1d2330", "#e6f4ea"),
    "trust-domain": ("#1d2330", "#e8f0fe"),
    "trust-warning": ("#1d2330", "#fff4d6"),
    "chip": ("#3a4252", "#e3e5e9"),
    "link": ("#1a56b0", "#ffffff"),
}

_OUTCOME_CSS = {
    Outcome.VALID: "valid",
    Outcome.INVALID: "invalid",
    Outcome.INDETERMINATE: "indeterminate",
}
_MARKS = {Outcome.VALID: "✓", Outcome.INVALID: "✗", Outcome.INDETERMINATE: "?"}
_REASON_LABELS = {kind: f"reason_{kind.value}" for kind in ReasonKind}
_OB2_MARK = "Open Badges 2.0"


def _css() -> str:
    p = PALETTE
    return f"""
.vcb {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: {p["text"][0]}; background: {p["text"][1]}; line-height: 1.45; max-width: 46rem;
  margin: 0 auto; border-radius: 10px; box-shadow: 0 1px 4px rgba(0,0,0,.12);
  overflow-wrap: anywhere; text-align: left; }}
.vcb * {{ box-sizing: border-box; }}
.vcb a {{ color: {p["link"][0]}; }}
.vcb-title {{ padding: 1rem 1.5rem .75rem; }}
.vcb-title > * {{ margin: 0; font-size: 1.6rem; line-height: 1.2; }}
.vcb-banner {{ padding: .9rem 1.5rem; color: #fff; }}
.vcb-banner h2, .vcb-banner h3, .vcb-banner h4 {{ margin: 0; font-size: 1.35rem; color: #fff; }}
.vcb-banner p {{ margin: .25rem 0 0; }}
.vcb-banner ul {{ margin: .4rem 0 0; padding-left: 1.2rem; }}
.vcb-banner a, .vcb-banner code {{ color: #fff; }}
.vcb-valid {{ background: {p["valid"][1]}; }} .vcb-invalid {{ background: {p["invalid"][1]}; }}
.vcb-indeterminate {{ background: {p["indeterminate"][1]}; }}
.vcb-unchecked {{ background: {p["unchecked"][1]}; }}
.vcb-badge {{ display: flex; flex-wrap: wrap; gap: 1rem 1.5rem; padding: 1.25rem 1.5rem;
  align-items: flex-start; }}
.vcb-badge > div {{ flex: 1 1 14rem; min-width: 0; }}
.vcb-badge img {{ width: 10rem; height: 10rem; object-fit: contain; flex: none; }}
.vcb-placeholder {{ width: 10rem; min-height: 10rem; flex: none; border: 2px dashed #6b7280;
  border-radius: 8px; display: flex; align-items: center; justify-content: center;
  text-align: center; color: {p["muted"][0]}; font-size: .85rem; padding: .5rem; }}
.vcb-text {{ white-space: pre-wrap; }}
.vcb-section {{ padding: 0 1.5rem 1rem; min-width: 0; }}
.vcb-section h2, .vcb-section h3, .vcb-section h4, .vcb-section h5, .vcb-section h6 {{
  font-size: 1.05rem; margin: 1.1rem 0 .4rem; color: #2b3240; }}
.vcb-part {{ border-left: 3px solid #c9cdd4; padding: .1rem 0 .1rem .9rem; margin: .8rem 0; }}
.vcb dl {{ display: grid; grid-template-columns: minmax(7rem, max-content) minmax(0, 1fr);
  gap: .3rem 1rem; margin: 0; }}
.vcb dt {{ font-weight: 600; color: #2b3240; }} .vcb dd {{ margin: 0; min-width: 0; }}
.vcb ul.vcb-list {{ margin: 0; padding-left: 1.2rem; }}
.vcb table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
.vcb th, .vcb td {{ text-align: left; padding: .35rem .5rem; border-bottom: 1px solid #e3e5e9;
  vertical-align: top; }}
.vcb td.vcb-mark {{ font-weight: 700; width: 1.5rem; }}
.vcb-VALID .vcb-mark {{ color: {p["mark-valid"][0]}; }}
.vcb-INVALID .vcb-mark {{ color: {p["mark-invalid"][0]}; }}
.vcb-INDETERMINATE .vcb-mark {{ color: {p["mark-indeterminate"][0]}; }}
.vcb code {{ font-size: .85em; overflow-wrap: anywhere; }}
.vcb-outcome {{ display: inline-block; padding: .05rem .5rem; border-radius: 4px; color: #fff;
  font-weight: 700; font-size: .85rem; }}
.vcb-chip {{ display: inline-block; margin: 0 .3rem .3rem 0; padding: .1rem .5rem;
  border-radius: 4px; background: {p["chip"][1]}; color: {p["chip"][0]}; font-size: .8rem;
  font-weight: 600; }}
.vcb-footer {{ padding: .75rem 1.5rem; font-size: .8rem; color: {p["footer"][0]};
  background: {p["footer"][1]}; border-radius: 0 0 10px 10px; }}
.vcb-trust {{ padding: .75rem 1.5rem; border-left: .5rem solid; }}
.vcb-trust p {{ margin: .2rem 0 0; }}
.vcb-trust-known {{ background: {p["trust-known"][1]}; border-color: #1b7a3a; }}
.vcb-trust-domain_bound {{ background: {p["trust-domain"][1]}; border-color: #1a56b0; }}
.vcb-trust-self_asserted, .vcb-trust-unknown, .vcb-trust-unconfirmed {{
  background: {p["trust-warning"][1]}; border-color: #875700; }}
.vcb-issuer-image {{ width: 3rem; height: 3rem; object-fit: contain; }}
@media (max-width: 40rem) {{
  .vcb {{ border-radius: 0; box-shadow: none; }}
  .vcb-title, .vcb-banner, .vcb-badge, .vcb-section, .vcb-footer, .vcb-trust {{
    padding-left: .9rem; padding-right: .9rem; }}
  .vcb dl {{ grid-template-columns: minmax(0, 1fr); gap: 0; }}
  .vcb dd {{ margin: 0 0 .45rem; }}
  .vcb table, .vcb tbody, .vcb tr, .vcb td {{ display: block; width: 100%; }}
  .vcb thead {{ display: none; }}
  .vcb tr {{ border-bottom: 1px solid #e3e5e9; padding: .3rem 0; }}
  .vcb td {{ border: 0; padding: .05rem 0; }}
  .vcb td.vcb-mark, .vcb td.vcb-mark + td {{ display: inline-block; width: auto;
    margin-right: .4rem; font-weight: 600; }}
}}
"""


#: The fragment's style sheet (every rule scoped under ``.vcb``); it is inside the fragment
#: already, exposed for a web app that prefers to put it in its ``<head>``.
FRAGMENT_CSS = _css()

_PAGE_CSS = "body { margin: 0; padding: 1.5rem 0; background: #f4f5f7; }\n" + (
    "@media (max-width: 40rem) { body { padding: 0; } }"
)


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, Mapping) else {}


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, Mapping)]


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if _string(item)]


def _types(value: Any) -> list[str]:
    return _strings(value.get("type")) if isinstance(value, Mapping) else []


def _link_or_text(value: str) -> str:
    # Only http(s) URLs become links (never javascript: or data:); a link is navigation the
    # reader chooses, not an asset the page loads.
    if _HTTP_URL.fullmatch(value):
        return f'<a href="{_e(value)}" rel="noopener noreferrer">{_e(value)}</a>'
    return f"<code>{_e(value)}</code>"


def _number(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return _string(value)


@dataclass(frozen=True)
class _Context:
    """The viewer's language, its labels, the heading level of the fragment's title, and the
    outcome of each nested credential by its JSON pointer."""

    lang: str
    base_level: int = 1
    nested: Mapping[str, Check] = field(default_factory=dict)
    #: The language of the credential's plain strings (its ``inLanguage``), when stated.
    content_language: Any = None

    def about(self, holder: Mapping[str, Any]) -> _Context:
        """This context for the texts of ``holder``, whose ``inLanguage`` (if any) they are in."""
        stated = holder.get("inLanguage")
        return dataclasses.replace(self, content_language=stated) if _string(stated) else self

    @property
    def words(self) -> Mapping[str, str]:
        return labels(self.lang)

    def heading(self, depth: int, html: str) -> str:
        level = min(6, self.base_level + depth)
        return f"<h{level}>{html}</h{level}>"

    def text(self, value: Any, *, in_language: Any = None, block: bool = False) -> str | None:
        """A credential's text in the viewer's language when given in several, escaped, with
        a ``lang`` attribute when it is in another language."""
        chosen: Text | None = pick_text(
            value, self.lang, in_language=in_language or self.content_language
        )
        if chosen is None:
            return None
        css = ' class="vcb-text"' if block else ""
        if chosen.language and primary(chosen.language) != primary(self.lang):
            return f'<span lang="{_e(chosen.language)}"{css}>{_e(chosen.value)}</span>'
        return f"<span{css}>{_e(chosen.value)}</span>" if block else _e(chosen.value)

    def plain(self, value: Any, *, in_language: Any = None) -> str | None:
        chosen = pick_text(value, self.lang, in_language=in_language or self.content_language)
        return chosen.value if chosen is not None else None

    def date(self, value: Any) -> str | None:
        """A date for people, the ISO value in ``datetime`` and on hover."""
        iso = _string(value)
        if iso is None:
            return None
        if parse_date(iso) is None:
            return _e(iso)
        return (
            f'<time datetime="{_e(iso)}" title="{_e(iso)}">{_e(human_date(iso, self.lang))}</time>'
        )


def _definition_list(rows: Iterable[tuple[str, str]], context: _Context) -> str:
    items = "".join(f"<dt>{_e(term)}</dt><dd>{html}</dd>" for term, html in rows)
    return f"<dl>{items}</dl>" if items else f"<p>{_e(context.words['criteria_none'])}</p>"


def _image_html(
    image: bytes | None, holder: Mapping[str, Any], alt: str, w: Mapping[str, str]
) -> str:
    if image is not None:
        kind = image_kind(image)
        if kind is not None:
            source = f"data:{_MEDIA_TYPES[kind]};base64,{base64.b64encode(image).decode('ascii')}"
            return f'<img src="{_e(source)}" alt="{_e(alt)}">'
    declared = holder.get("image")
    url = _string(declared) or _string(_mapping(declared).get("id"))
    if url and _DATA_IMAGE.fullmatch(url):
        return f'<img src="{_e(url)}" alt="{_e(alt)}">'
    if url:
        return f'<div class="vcb-placeholder">{_e(w["image_not_loaded"])}<br>{_e(url)}</div>'
    return f'<div class="vcb-placeholder">{_e(w["no_image"])}</div>'


# -- what the recipient, the issuer and the dates say ------------------------------------------


def _recipient(subject: Mapping[str, Any], w: Mapping[str, str]) -> list[str]:
    shown = []
    subject_id = _string(subject.get("id"))
    if subject_id:
        shown.append(_link_or_text(subject_id))
    for identity in _mappings(subject.get("identifier")):
        kind = _string(identity.get("identityType")) or "identifier"
        human = w.get(f"id_{kind}", w["id_identifier"] if kind.startswith("ext:") else kind)
        if identity.get("hashed") is True:
            shown.append(f"{_e(w['hashed'].format(kind=human))} <code>{_e(kind)}</code>")
        elif _string(identity.get("identityHash")):
            shown.append(f"{_e(identity['identityHash'])} ({_e(human)})")
    return shown


def _address(address: Mapping[str, Any]) -> str | None:
    parts = [
        address.get(key)
        for key in (
            "streetAddress",
            "postOfficeBoxNumber",
            "addressLocality",
            "addressRegion",
            "postalCode",
            "addressCountry",
        )
    ]
    shown = [part for part in parts if _string(part)]
    return ", ".join(_e(part) for part in shown) if shown else None


def _issuer_rows(issuer: Any, context: _Context) -> list[tuple[str, str]]:
    w = context.words
    if isinstance(issuer, str):
        return [(w["issuer"], _link_or_text(issuer))]
    issuer = _mapping(issuer)
    rows = []
    name = context.text(issuer.get("name"))
    if name:
        rows.append((w["issuer"], name))
    issuer_id = _string(issuer.get("id"))
    if issuer_id:
        rows.append((w["issuer_id"], _link_or_text(issuer_id)))
    url = _string(issuer.get("url"))
    if url:
        rows.append((w["issuer_website"], _link_or_text(url)))
    email = _string(issuer.get("email"))
    if email:
        # Shown as text: a mailto: link would be the only non-http(s) link on the page.
        rows.append(
            (w["email"], _e(email) if _MAILTO.fullmatch(email) else f"<code>{_e(email)}</code>")
        )
    phone = _string(issuer.get("phone"))
    if phone:
        rows.append((w["phone"], _e(phone)))
    address = _address(_mapping(issuer.get("address")))
    if address:
        rows.append((w["address"], address))
    description = context.text(issuer.get("description"), block=True)
    if description:
        rows.append((w["description"], description))
    declared = issuer.get("image")
    image_url = _string(declared) or _string(_mapping(declared).get("id"))
    if image_url and _DATA_IMAGE.fullmatch(image_url):
        alt = context.plain(issuer.get("name")) or w["issuer"]
        rows.append(("", f'<img class="vcb-issuer-image" src="{_e(image_url)}" alt="{_e(alt)}">'))
    elif image_url:
        rows.append(("", f"{_e(w['image_not_loaded'])} {_e(image_url)}"))
    return rows


def _with_trust(
    rows: list[tuple[str, str]], trust: IssuerTrust | None, w: Mapping[str, str]
) -> list[tuple[str, str]]:
    """The issuer rows, the name marked as a claim unless a registry or the domain vouches for
    that very name, and the trust answer."""
    if trust is None:
        return rows
    claim_unconfirmed = not trust.name_confirmed or trust.name != trust.claimed_name
    if trust.claimed_name is not None and claim_unconfirmed:
        rows = [(w["issuer_claimed"] if term == w["issuer"] else term, html) for term, html in rows]
    return [*rows, (w["issuer_trust"], _e(trust.summary()))]


def _trust_html(trust: IssuerTrust | None, outcome: Outcome | None, context: _Context) -> str:
    """The issuer trust answer, right under the banner: who stands behind the issuer's name,
    apart from whether the badge is intact."""
    if trust is None:
        return ""
    w = context.words
    heading = w[f"trust_{trust.level.value}"]
    css = f"vcb-trust-{trust.level.value}"
    if trust.level is TrustLevel.DOMAIN_BOUND and not trust.name_confirmed:
        heading, css = w["trust_unconfirmed"], "vcb-trust-unconfirmed"
    mark = "✓" if trust.name_confirmed else "⚠"
    lines = [f"<p>{_e(trust.summary())}.</p>"]
    if trust.level is TrustLevel.KNOWN and trust.url:
        lines.append(f"<p>{_e(w['trust_registry_record'])} {_link_or_text(trust.url)}</p>")
    if trust.level is TrustLevel.DOMAIN_BOUND:
        lines.append(f"<p>{_e(w['trust_only_host'].format(host=trust.host))}</p>")
    if trust.level is TrustLevel.SELF_ASSERTED:
        lines.append(f"<p>{_e(w['trust_anyone'])}</p>")
    if outcome is not None and outcome is not Outcome.VALID:
        lines.append(f"<p>{_e(w['trust_badge_failed'])}</p>")
    lines += [
        f"<p>{_e(w['trust_registry_failed'].format(registry=problem.registry))} "
        f"{_e(problem.message)} <code>{_e(problem.code)}</code></p>"
        for problem in trust.problems
    ]
    return (
        f'<div class="vcb-trust {css}" role="note"><strong>{mark} {_e(heading)}</strong>'
        f"{''.join(lines)}</div>"
    )


# -- the banner ---------------------------------------------------------------------------------


def _reason_html(reason: Reason, context: _Context) -> str:
    w = context.words
    check = reason.check
    label = _e(w[_REASON_LABELS[reason.kind]])
    if reason.kind is ReasonKind.EXPIRED and reason.when:
        return f"{label} {_e(w['on'])} {context.date(reason.when)}"
    if reason.kind is ReasonKind.NOT_YET_VALID and reason.when:
        return f"{label}: {_e(w['from'])} {context.date(reason.when)}"
    if reason.kind in (ReasonKind.REVOKED, ReasonKind.SUSPENDED):
        said = f" — {_e(w['stated_reason'])}: {_e(reason.stated)}" if reason.stated else ""
        return f"{label}{said} <code>{_e(check.code)}</code>"
    if reason.kind is ReasonKind.NESTED:
        return f"{label}: <code>{_e(check.path)}</code> <code>{_e(check.code)}</code>"
    if reason.kind is ReasonKind.FORGED:
        return f"{label}: {_e(w['check'])} {_e(check.name)} <code>{_e(check.code)}</code>"
    return f"{label}: {_e(check.message)} <code>{_e(check.code)}</code>"


def _banner(
    result: VerificationResult | None,
    document: Mapping[str, Any] | None,
    context: _Context,
    *,
    ob2: bool,
    trust: IssuerTrust | None,
) -> str:
    w = context.words
    if result is None:
        css, mark, key = "unchecked", "-", "unchecked"
    else:
        css = key = _OUTCOME_CSS[result.outcome]
        mark = _MARKS[result.outcome]
    sentence = w[f"{key}_sentence"]
    if ob2 and result is not None and result.outcome is Outcome.VALID:
        # An OB 2.0 badge may be hosted, not signed: say what was checked for either.
        sentence = w["ob2_valid_sentence"]
    if trust is not None and key == "valid" and not trust.name_confirmed:
        # A valid signature by an issuer nobody vouches for must not read like a badge from
        # the institution it names.
        sentence += w["name_unverified"]
    why = ""
    if result is not None and result.outcome is not Outcome.VALID:
        items = "".join(f"<li>{_reason_html(r, context)}</li>" for r in reasons(result, document))
        if items:
            why = f'<ul aria-label="{_e(w["why"])}">{items}</ul>'
    return (
        f'<div class="vcb-banner vcb-{css}" role="status">'
        f"{context.heading(1, f'{mark} {_e(w[key])}')}<p>{_e(sentence)}</p>{why}</div>"
    )


# -- Open Badges 3.0 ----------------------------------------------------------------------------


def _criteria_rows(criteria: Any, context: _Context) -> list[tuple[str, str]]:
    w = context.words
    if _string(criteria):
        return [(w["more"], _link_or_text(criteria))]
    criteria = _mapping(criteria)
    rows = []
    narrative = context.text(criteria.get("narrative"), block=True)
    if narrative:
        rows.append((w["narrative"], narrative))
    if _string(criteria.get("id")):
        rows.append((w["more"], _link_or_text(criteria["id"])))
    return rows


def _achievement_rows(achievement: Mapping[str, Any], context: _Context) -> list[tuple[str, str]]:
    w = context.words
    rows: list[tuple[str, str]] = []
    kind = _string(achievement.get("achievementType"))
    if kind:
        human = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind.removeprefix("ext:"))
        rows.append((w["achievement_type"], _e(human)))
    for key, label in (("fieldOfStudy", "field_of_study"), ("specialization", "specialization")):
        shown = context.text(achievement.get(key))
        if shown:
            rows.append((w[label], shown))
    credits = _number(achievement.get("creditsAvailable"))
    if credits:
        rows.append((w["credits_available"], _e(credits)))
    for key, label in (("humanCode", "human_code"), ("version", "version_label")):
        if _string(achievement.get(key)):
            rows.append((w[label], _e(achievement[key])))
    language = _strings(achievement.get("inLanguage"))
    if language:
        rows.append((w["language"], _e(", ".join(language))))
    # OB 3.0 names an achievement's editions in other languages in ``related`` (id,
    # inLanguage, version): they are not embedded, so they are listed, never fetched.
    editions = [
        f"{_e(_string(related.get('inLanguage')) or '?')}: {_link_or_text(related['id'])}"
        for related in _mappings(achievement.get("related"))
        if _string(related.get("id"))
    ]
    if editions:
        rows.append((w["other_languages"], "<br>".join(editions)))
    tags = _strings(achievement.get("tag"))
    if tags:
        rows.append((w["tags"], "".join(f'<span class="vcb-chip">{_e(t)}</span>' for t in tags)))
    creator = achievement.get("creator")
    creator_id = _string(creator)
    creator_name = context.text(_mapping(creator).get("name")) or (
        _link_or_text(creator_id) if creator_id else None
    )
    if creator_name:
        rows.append((w["creator"], creator_name))
    return rows


def _alignments(value: Any, context: _Context) -> str | None:
    items = []
    for alignment in _mappings(value):
        name = context.text(alignment.get("targetName")) or _e(alignment.get("targetCode") or "")
        url = _string(alignment.get("targetUrl"))
        if url and _HTTP_URL.fullmatch(url):
            name = f'<a href="{_e(url)}" rel="noopener noreferrer">{name or _e(url)}</a>'
        extra = [
            _e(alignment[key])
            for key in ("targetFramework", "targetCode", "targetType")
            if _string(alignment.get(key))
        ]
        description = context.text(alignment.get("targetDescription"))
        line = name + (f" ({', '.join(extra)})" if extra else "")
        if description:
            line += f" — {description}"
        if line:
            items.append(f"<li>{line}</li>")
    return f'<ul class="vcb-list">{"".join(items)}</ul>' if items else None


def _levels(description: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {
        level["id"]: level
        for level in _mappings(description.get("rubricCriterionLevel"))
        if _string(level.get("id"))
    }


def _result_descriptions(achievement: Mapping[str, Any], context: _Context, depth: int) -> str:
    w = context.words
    parts = []
    for description in _mappings(achievement.get("resultDescription")):
        rows: list[tuple[str, str]] = []
        kind = _string(description.get("resultType"))
        if kind:
            rows.append((w["result_type"], _e(kind.removeprefix("ext:"))))
        levels = _levels(description)
        required = _string(description.get("requiredLevel"))
        if required:
            named = context.text(_mapping(levels.get(required)).get("name"))
            rows.append((w["required"], named or _link_or_text(required)))
        if _number(description.get("requiredValue")):
            rows.append((w["required"], _e(_number(description.get("requiredValue")))))
        low, high = _number(description.get("valueMin")), _number(description.get("valueMax"))
        if low or high:
            rows.append((w["range"], f"{_e(low or '')} \u2013 {_e(high or '')}"))
        allowed = _strings(description.get("allowedValue"))
        if allowed:
            rows.append((w["value"], _e(", ".join(allowed))))
        level_items = []
        for level in _mappings(description.get("rubricCriterionLevel")):
            line = context.text(level.get("name")) or ""
            if _string(level.get("level")):
                line += f" ({_e(level['level'])})"
            points = _number(level.get("points"))
            if points:
                line += f", {_e(points)} {_e(w['points'])}"
            text = context.text(level.get("description"))
            if text:
                line += f" — {text}"
            level_items.append(f"<li>{line}</li>")
        if level_items:
            rows.append((w["levels"], f'<ul class="vcb-list">{"".join(level_items)}</ul>'))
        title = context.text(description.get("name")) or _e(w["results_expected"])
        parts.append(
            f'<div class="vcb-part">{context.heading(depth, title)}'
            f"{_definition_list(rows, context)}</div>"
        )
    return "".join(parts)


def _results(
    subject: Mapping[str, Any], achievement: Mapping[str, Any], context: _Context
) -> str | None:
    w = context.words
    descriptions = {
        d["id"]: d for d in _mappings(achievement.get("resultDescription")) if _string(d.get("id"))
    }
    items = []
    for result in _mappings(subject.get("result")):
        description = _mapping(descriptions.get(result.get("resultDescription") or ""))
        name = context.text(description.get("name")) or _e(w["results"])
        shown = []
        achieved = _string(result.get("achievedLevel"))
        if achieved:
            level = _mapping(_levels(description).get(achieved))
            shown.append(
                f"{_e(w['achieved_level'])}: "
                + (context.text(level.get("name")) or _link_or_text(achieved))
            )
        value = _number(result.get("value"))
        if value:
            shown.append(f"{_e(w['value'])}: {_e(value)}")
        status = _string(result.get("status"))
        if status:
            shown.append(f"{_e(w['status'])}: {_e(status)}")
        alignment = _alignments(result.get("alignment"), context)
        if shown or alignment:
            items.append(f"<li><strong>{name}</strong> — {'; '.join(shown)}{alignment or ''}</li>")
    return f'<ul class="vcb-list">{"".join(items)}</ul>' if items else None


def _subject_rows(
    subject: Mapping[str, Any], achievement: Mapping[str, Any], context: _Context
) -> list[tuple[str, str]]:
    w = context.words
    rows = [(w["recipient"], item) for item in _recipient(subject, w)]
    results = _results(subject, achievement, context)
    if results:
        rows.append((w["results"], results))
    credits = _number(subject.get("creditsEarned"))
    if credits:
        rows.append((w["credits_earned"], _e(credits)))
    for key, label in (
        ("activityStartDate", "activity_start"),
        ("activityEndDate", "activity_end"),
    ):
        when = context.date(subject.get(key))
        if when:
            rows.append((w[label], when))
    for key, label in (("role", "role"), ("term", "term"), ("licenseNumber", "license_number")):
        if _string(subject.get(key)):
            rows.append((w[label], _e(subject[key])))
    narrative = context.text(subject.get("narrative"), block=True)
    if narrative:
        rows.append((w["subject_narrative"], narrative))
    return rows


def _evidence(document: Mapping[str, Any], context: _Context, depth: int) -> str:
    w = context.words
    parts = []
    for evidence in _mappings(document.get("evidence")):
        rows = []
        for key, label in (("description", "description"), ("narrative", "narrative")):
            shown = context.text(evidence.get(key), block=True)
            if shown:
                rows.append((w[label], shown))
        for key, label in (("genre", "genre"), ("audience", "audience")):
            if _string(evidence.get(key)):
                rows.append((w[label], _e(evidence[key])))
        if _string(evidence.get("id")):
            rows.append((w["more"], _link_or_text(evidence["id"])))
        title = context.text(evidence.get("name")) or _e(w["evidence"])
        parts.append(
            f'<div class="vcb-part">{context.heading(depth, title)}'
            f"{_definition_list(rows, context)}</div>"
        )
    return "".join(parts)


_DATES = (
    ("validFrom", "valid_from"),
    ("validUntil", "valid_until"),
    ("issuanceDate", "issued"),
    ("expirationDate", "expires"),
    ("awardedDate", "awarded"),
)


def _date_rows(
    document: Mapping[str, Any], context: _Context, dates: Any = _DATES
) -> list[tuple[str, str]]:
    rows = []
    for key, label in dates:
        shown = context.date(document.get(key))
        if shown:
            rows.append((context.words[label], shown))
    return rows


def _is_clr(document: Mapping[str, Any]) -> bool:
    subject = _mapping(document.get("credentialSubject"))
    return "ClrCredential" in _types(document) or "verifiableCredential" in subject


def _endorsements(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Each endorsement of the credential, its issuer and its achievement, with its path."""
    subject = _mapping(document.get("credentialSubject"))
    subject_path = (
        "/credentialSubject/0"
        if isinstance(document.get("credentialSubject"), list)
        else "/credentialSubject"
    )
    holders = (
        ("", document),
        ("/issuer", document.get("issuer")),
        (f"{subject_path}/achievement", subject.get("achievement")),
    )
    found = []
    for base, holder in holders:
        if not isinstance(holder, Mapping):
            continue
        for key in ("endorsement", "endorsementJwt"):
            value = holder.get(key)
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                if isinstance(item, (Mapping, str)):
                    where = f"{base}/{key}/{index}" if isinstance(value, list) else f"{base}/{key}"
                    found.append((where, item))
    return found


def _bundled(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    bundled = _mapping(document.get("credentialSubject")).get("verifiableCredential")
    base = "/credentialSubject/verifiableCredential"
    if isinstance(bundled, list):
        return [
            (f"{base}/{i}", item)
            for i, item in enumerate(bundled)
            if isinstance(item, (Mapping, str))
        ]
    return [(base, bundled)] if isinstance(bundled, (Mapping, str)) else []


def _nested_outcome(path: str, context: _Context) -> str:
    w = context.words
    check = context.nested.get(path)
    if check is None:
        return f'<p><span class="vcb-chip">{_e(w["not_checked_here"])}</span></p>'
    css = _OUTCOME_CSS[check.outcome]
    message = (
        ""
        if check.outcome is Outcome.VALID
        else f" {_e(check.message)} <code>{_e(check.code)}</code>"
    )
    return (
        f'<p>{_e(w["outcome_of_this"])}: <span class="vcb-outcome vcb-{css}">'
        f"{_MARKS[check.outcome]} {_e(w[css])}</span>{message}</p>"
    )


def _nested_html(path: str, item: Any, context: _Context, depth: int, *, endorsement: bool) -> str:
    w = context.words
    if not isinstance(item, Mapping):
        # A compact JWS (VC-JWT): its outcome is known, its content is not shown unverified.
        return (
            f'<div class="vcb-part">{context.heading(depth, "<code>VC-JWT</code>")}'
            f"{_nested_outcome(path, context)}</div>"
        )
    deeper = _Context(context.lang, context.base_level)  # nested-in-nested: summarised above
    if endorsement:
        issuer = item.get("issuer")
        endorser = context.text(_mapping(issuer).get("name")) or (
            _e(issuer) if _string(issuer) else _e(w["endorsements"])
        )
        rows = _issuer_rows(issuer, context)
        comment = context.text(
            _mapping(item.get("credentialSubject")).get("endorsementComment"), block=True
        )
        if comment:
            rows.append((w["comment"], comment))
        rows += _date_rows(item, context)
        return (
            f'<div class="vcb-part">{context.heading(depth, _e(w["endorsed_by"]) + " " + endorser)}'
            f"{_nested_outcome(path, context)}{_definition_list(rows, context)}</div>"
        )
    achievement = _mapping(_mapping(item.get("credentialSubject")).get("achievement"))
    title = (
        context.text(achievement.get("name")) or context.text(item.get("name")) or _e(w["untitled"])
    )
    return (
        f'<div class="vcb-part">{context.heading(depth, title)}{_nested_outcome(path, context)}'
        f"{''.join(_ob3_sections(item, deeper, depth + 1, trust=None, nested_paths=False))}</div>"
    )


def _ob3_sections(
    document: Mapping[str, Any],
    context: _Context,
    depth: int,
    *,
    trust: IssuerTrust | None,
    nested_paths: bool = True,
) -> list[str]:
    """The sections of an OB 3.0 credential (an achievement, endorsement or CLR credential),
    headings at ``depth`` below the title."""
    context = context.about(document)
    w = context.words
    subject = _mapping(document.get("credentialSubject"))
    achievement = _mapping(subject.get("achievement"))
    told = context.about(achievement)
    clr = _is_clr(document)
    sections = []

    def section(title_key: str, body: str) -> None:
        sections.append(
            f'<div class="vcb-section">{context.heading(depth, _e(w[title_key]))}{body}</div>'
        )

    if achievement and not clr:
        criteria = _criteria_rows(achievement.get("criteria"), told)
        section("criteria", _definition_list(criteria, context))
        about = _achievement_rows(achievement, told)
        if about:
            section("achievement", _definition_list(about, context))
        alignments = _alignments(achievement.get("alignment"), told)
        if alignments:
            section("alignments", alignments)
        assessed = _result_descriptions(achievement, told, depth + 1)
        if assessed:
            section("results_expected", assessed)
    section("awarded_to", _definition_list(_subject_rows(subject, achievement, told), context))
    evidence = _evidence(document, context, depth + 1)
    if evidence:
        section("evidence", evidence)
    section(
        "issued_by",
        _definition_list(
            _with_trust(_issuer_rows(document.get("issuer"), context), trust, w), context
        ),
    )
    section("dates", _definition_list(_date_rows(document, context), context))
    details = (
        [(w["credential_id"], _link_or_text(document["id"]))] if _string(document.get("id")) else []
    )
    if details:
        section("credential", _definition_list(details, context))
    paths = context if nested_paths else _Context(context.lang, context.base_level)
    bundled = _bundled(document)
    if bundled:
        section(
            "bundled",
            f"<p>{len(bundled)} {_e(w['bundled_count'])}</p>"
            + "".join(
                _nested_html(p, item, paths, depth + 1, endorsement=False) for p, item in bundled
            ),
        )
    endorsements = _endorsements(document)
    if endorsements:
        section(
            "endorsements",
            "".join(
                _nested_html(p, item, paths, depth + 1, endorsement=True)
                for p, item in endorsements
            ),
        )
    return sections


# -- Open Badges 2.0 ----------------------------------------------------------------------------


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


def _ob2_recipient(assertion: Mapping[str, Any], w: Mapping[str, str]) -> list[str]:
    recipient = _mapping(assertion.get("recipient"))
    kind = _string(recipient.get("type")) or "identity"
    human = w.get(f"id_{kind}", kind) if kind != "email" else w["id_emailAddress"]
    identity = _string(recipient.get("identity"))
    if recipient.get("hashed") is True:
        return [f"{_e(w['hashed'].format(kind=human))} <code>{_e(kind)}</code>"]
    if identity:
        return [f"{_e(identity)} ({_e(human)})"]
    return []


@dataclass(frozen=True, kw_only=True)
class _Ob2View:
    name: str | None
    description: str | None
    image_holder: Mapping[str, Any]
    sections: list[str]


def _ob2_view(
    assertion: Mapping[str, Any],
    badge_class: Mapping[str, Any] | None,
    issuer: Mapping[str, Any] | None,
    context: _Context,
    trust: IssuerTrust | None,
) -> _Ob2View:
    w = context.words
    badge, badge_url = _linked(assertion.get("badge"), badge_class)
    issuer_object, issuer_url = _linked(badge.get("issuer"), issuer)
    issuer_rows = (
        _issuer_rows(issuer_object or issuer_url, context) if (issuer_object or issuer_url) else []
    )
    image = badge.get("image") if badge.get("image") is not None else assertion.get("image")
    details = [(w["format"], f"{_OB2_MARK} assertion")]
    if _string(assertion.get("id")):
        details.append((w["assertion_id"], _link_or_text(assertion["id"])))
    if badge_url and not badge:
        details.append((w["badge_class"], _link_or_text(badge_url) + f" {_e(w['not_loaded'])}"))
    if assertion.get("revoked") is True:
        reason = _string(assertion.get("revocationReason"))
        details.append((w["revoked"], _e(w["yes"]) + (f": {_e(reason)}" if reason else "")))
    narrative = _string(assertion.get("narrative"))
    if narrative:
        details.append((w["narrative"], f'<span class="vcb-text">{_e(narrative)}</span>'))
    alignments = _alignments(badge.get("alignment"), context)
    tags = _strings(badge.get("tags"))
    rows = [
        ("criteria", _definition_list(_criteria_rows(badge.get("criteria"), context), context)),
        (
            "awarded_to",
            _definition_list(((w["recipient"], r) for r in _ob2_recipient(assertion, w)), context),
        ),
        ("issued_by", _definition_list(_with_trust(issuer_rows, trust, w), context)),
        (
            "dates",
            _definition_list(
                _date_rows(assertion, context, (("issuedOn", "issued"), ("expires", "expires"))),
                context,
            ),
        ),
        ("credential", _definition_list(details, context)),
    ]
    if alignments:
        rows.insert(1, ("alignments", alignments))
    if tags:
        rows.insert(1, ("tags", "".join(f'<span class="vcb-chip">{_e(t)}</span>' for t in tags)))
    return _Ob2View(
        name=_string(badge.get("name")),
        description=_string(badge.get("description")),
        image_holder={"image": image},
        sections=[
            f'<div class="vcb-section">{context.heading(1, _e(w[key]))}{body}</div>'
            for key, body in rows
        ],
    )


# -- the fragment and the page ------------------------------------------------------------------


def _checks_table(checks: Iterable[Check], w: Mapping[str, str]) -> str:
    rows = "".join(
        f'<tr class="vcb-{_e(check.outcome.value)}"><td class="vcb-mark" '
        f'title="{_e(check.outcome.value)}">{_MARKS[check.outcome]}</td>'
        f"<td>{_e(check.name)}</td><td><code>{_e(check.code)}</code></td>"
        f"<td><code>{_e(check.path)}</code></td><td>{_e(check.message)}</td></tr>"
        for check in checks
    )
    return (
        f"<table><thead><tr><th></th><th>{_e(w['col_check'])}</th><th>{_e(w['col_code'])}</th>"
        f"<th>{_e(w['col_path'])}</th><th>{_e(w['col_message'])}</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _title(
    credential: Mapping[str, Any] | None, context: _Context, badge_class: Mapping[str, Any] | None
) -> tuple[str, str]:
    """The badge's name as HTML and as plain text."""
    w = context.words
    if credential is None:
        return _e(w["unreadable"]), w["unreadable"]
    if is_ob2_assertion(credential):
        badge, _ = _linked(credential.get("badge"), badge_class)
        name = _string(badge.get("name"))
        return (_e(name), name) if name else (_e(w["untitled"]), w["untitled"])
    achievement = _mapping(_mapping(credential.get("credentialSubject")).get("achievement"))
    in_language = achievement.get("inLanguage") or credential.get("inLanguage")
    for value in (achievement.get("name"), credential.get("name")):
        html = context.text(value, in_language=in_language)
        if html:
            return html, context.plain(value, in_language=in_language) or ""
    return _e(w["untitled"]), w["untitled"]


def _render(
    credential: Mapping[str, Any] | None,
    result: VerificationResult | None,
    *,
    lang: str,
    image: bytes | None,
    source: str | None,
    checked_at: datetime | None,
    badge_class: Mapping[str, Any] | None,
    issuer: Mapping[str, Any] | None,
    heading_level: int,
) -> tuple[str, str, str]:
    """The fragment, the badge's name and the outcome word (for a page title)."""
    nested = {
        check.path: check
        for check in (result.checks if result is not None else ())
        if check.name == "nested_credential"
    }
    context = _Context(lang, max(1, min(heading_level, 6)), nested)
    w = context.words
    document: Mapping[str, Any] = credential or {}
    trust = result.issuer_trust if result is not None else None
    ob2 = is_ob2_assertion(document)
    title_html, title_text = _title(credential, context, badge_class)
    word = w[_OUTCOME_CSS[result.outcome]] if result is not None else w["unchecked"]
    parts = [
        f'<div class="vcb" lang="{_e(_labels_language(lang))}"><style>{FRAGMENT_CSS}</style>',
        f'<div class="vcb-title">{context.heading(0, title_html)}</div>',
        _banner(result, credential, context, ob2=ob2, trust=trust),
        _trust_html(trust, result.outcome if result is not None else None, context),
        '<div class="vcb-badge">',
    ]
    if ob2:
        view = _ob2_view(document, badge_class, issuer, context, trust)
        holder: Mapping[str, Any] = view.image_holder
        description = _e(view.description) if view.description else None
        sections = view.sections
        mark = f'<p class="vcb-chip">{_OB2_MARK}</p>'
    else:
        subject = _mapping(document.get("credentialSubject"))
        holder = _mapping(subject.get("achievement")) or document
        in_language = holder.get("inLanguage") or document.get("inLanguage")
        description = context.text(
            holder.get("description") or document.get("description"), in_language=in_language
        )
        sections = (
            _ob3_sections(document, context, 1, trust=trust) if credential is not None else []
        )
        mark = ""
    parts.append(_image_html(image, holder, f"{w['badge_image']}: {title_text}", w))
    parts.append(f"<div>{mark}")
    if description:
        parts.append(f'<p class="vcb-text">{description}</p>')
    if credential is None:
        parts.append(f"<p>{_e(w['unreadable_note'])}</p>")
    parts.append("</div></div>")
    parts += sections
    parts.append(f'<div class="vcb-section">{context.heading(1, _e(w["verification"]))}')
    if result is None:
        parts.append(f"<p>{_e(w['not_verified'])}</p>")
    else:
        parts.append(
            f"<p>{_e(w['outcome'])}: <strong>{_e(result.outcome.value)}</strong>, "
            f"{len(result.checks)} {_e(w['checks'])}.</p>"
        )
        parts.append(_checks_table(result.checks, w))
    parts.append("</div>")
    footer = [_e(w["shown_by"])]
    if source:
        footer.append(_e(source))
    if checked_at is not None:
        footer.append(f"{_e(w['checked_at'])} {context.date(checked_at.isoformat())}")
    parts.append(f'<p class="vcb-footer">{" · ".join(footer)}. {_e(w["loads_nothing"])}</p></div>')
    return "".join(parts), title_text, word


def _labels_language(lang: str) -> str:
    # The page's lang attribute names the language its labels are in: the one asked for when
    # there are labels in it, else English (text in other languages carries its own lang).
    return lang if primary(lang) in LABELS else "en"


def render_badge_fragment(
    credential: Mapping[str, Any] | None,
    result: VerificationResult | None = None,
    *,
    lang: str = "en",
    image: bytes | None = None,
    source: str | None = None,
    checked_at: datetime | None = None,
    badge_class: Mapping[str, Any] | None = None,
    issuer: Mapping[str, Any] | None = None,
    heading_level: int = 1,
) -> str:
    """An HTML fragment showing ``credential`` and, if given, its verification ``result``, for
    a web app's own template: one ``<div class="vcb">`` with its own scoped ``<style>`` (every
    class starts with ``vcb-``), no script, and images only as ``data:`` URIs. The host page
    should send the Content-Security-Policy :data:`CONTENT_SECURITY_POLICY` (or one at least
    as strict, allowing inline style).

    ``lang`` chooses the labels (``en``, ``fr``; others fall back to English) and, among a
    credential's texts given in several languages, the one shown. ``heading_level`` is the
    level of the badge name's heading (1: ``<h1>``); the others follow it. The other
    arguments are those of :func:`render_badge_html`.
    """
    fragment, _, _ = _render(
        credential,
        result,
        lang=lang,
        image=image,
        source=source,
        checked_at=checked_at,
        badge_class=badge_class,
        issuer=issuer,
        heading_level=heading_level,
    )
    return fragment


def render_badge_html(
    credential: Mapping[str, Any] | None,
    *,
    result: VerificationResult | None = None,
    lang: str = "en",
    image: bytes | None = None,
    source: str | None = None,
    checked_at: datetime | None = None,
    badge_class: Mapping[str, Any] | None = None,
    issuer: Mapping[str, Any] | None = None,
) -> str:
    """A self-contained HTML page showing ``credential`` and, if given, its verification
    ``result``: :func:`render_badge_fragment` in a page with the Content-Security-Policy
    :data:`CONTENT_SECURITY_POLICY`, no referrer, and a phone-width viewport.

    ``image`` is the badge image (PNG or SVG bytes, typically the baked badge itself) and is
    embedded as a ``data:`` URI; without it, the achievement's image is shown only if it is
    already a ``data:`` URI. ``credential`` may be None when it could not be read (the page
    then shows the outcome and checks only). ``source`` (e.g. "baked in a PNG") and
    ``checked_at`` are shown in the footer. ``lang`` chooses the labels and the language of
    multilingual values.

    An Open Badges 2.0 Assertion is shown too, marked "Open Badges 2.0": its BadgeClass and
    issuer Profile come from the assertion when embedded, else from ``badge_class`` and
    ``issuer`` when their ``id`` is the URL the assertion (or BadgeClass) names; nothing is
    fetched.

    The result's issuer trust answer (``result.issuer_trust``) is shown right under the
    banner: a valid badge whose issuer name nobody vouches for (a did:key issuer, a domain
    whose document does not name it) says so there and in the banner.
    """
    fragment, name, word = _render(
        credential,
        result,
        lang=lang,
        image=image,
        source=source,
        checked_at=checked_at,
        badge_class=badge_class,
        issuer=issuer,
        heading_level=1,
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(_labels_language(lang))}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(name)} — {_e(word)}</title><style>{_PAGE_CSS}</style></head><body><main>"
        f"{fragment}</main></body></html>\n"
    )
