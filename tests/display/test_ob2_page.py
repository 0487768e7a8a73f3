"""Open Badges 2.0 assertions on the badge page: shown, marked "Open Badges 2.0", with the same
rules as every page (no script, CSP, everything escaped, nothing loaded)."""

from __future__ import annotations

import copy
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from migrate.ob2_examples import BADGE_CLASS, HOSTED, ISSUER, REPORTED, SIGNED_EMBEDDED

from vcbadge.cli import main
from vcbadge.display import CONTENT_SECURITY_POLICY, render_badge_html
from vcbadge.display.html import is_ob2_assertion
from vcbadge.verify import Check, VerificationResult

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "div", "h1", "h2", "h3", "p",
    "img", "section", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "code",
    "a", "span", "strong", "footer", "br", "h4", "h5", "h6", "ul", "li", "time",
}  # fmt: skip


class _Page(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def words(self) -> str:
        return " ".join(self.text)


def _inert(page: str) -> _Page:
    parsed = _Page(page)
    for tag, attributes in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name == "src":
                assert (value or "").startswith("data:image/"), value
            if name == "href":
                assert (value or "").startswith(("https://", "http://")), value
    assert (
        "meta",
        {"http-equiv": "Content-Security-Policy", "content": CONTENT_SECURITY_POLICY},
    ) in parsed.tags
    return parsed


VALID = VerificationResult.of([Check.passed("hosted", "the hosted assertion matches")])


def test_an_ob2_assertion_is_recognised_and_a_credential_is_not() -> None:
    assert is_ob2_assertion(HOSTED.assertion)
    assert not is_ob2_assertion({"type": ["VerifiableCredential", "OpenBadgeCredential"]})
    assert not is_ob2_assertion({"type": "BadgeClass"})


def test_a_hosted_assertion_with_its_documents_shows_everything() -> None:
    page = render_badge_html(HOSTED.assertion, result=VALID, badge_class=BADGE_CLASS, issuer=ISSUER)
    parsed = _inert(page)
    words = parsed.words
    assert ("p", {"class": "vcb-chip"}) in parsed.tags
    assert "Open Badges 2.0" in words
    assert "<h1>Robot Builder</h1>" in page
    assert BADGE_CLASS["description"] in words
    assert BADGE_CLASS["criteria"]["narrative"] in words
    assert ("a", {"href": BADGE_CLASS["criteria"]["id"], "rel": "noopener noreferrer"}) in (
        parsed.tags
    )
    assert "Example Robotics Club" in words
    assert "a hashed email address (only someone who knows it can check it)" in words
    assert HOSTED.recipient not in page
    assert '<time datetime="2019-05-04T10:00:00Z" title="2019-05-04T10:00:00Z">' in page
    assert "4 May 2019, 10:00 UTC" in words
    assert "4 May 2099, 10:00 UTC" in words
    assert "Image not loaded" in words
    assert BADGE_CLASS["image"] in words
    assert "✓ VALID" in words
    assert "hosted or signed assertion" in words
    assert "its signature, issuer key" not in words


def test_an_embedded_assertion_needs_no_documents_and_shows_a_data_image() -> None:
    page = render_badge_html(SIGNED_EMBEDDED.assertion, result=VALID)
    parsed = _inert(page)
    assert "<h1>Soldering Basics</h1>" in page
    assert (
        "img",
        {"src": "data:image/png;base64,iVBORw0KGgo=", "alt": "Badge image: Soldering Basics"},
    ) in parsed.tags
    assert "https://ada.example.com/ (URL)" in parsed.words
    assert "Open Badges 2.0" in parsed.words


def test_without_its_documents_a_hosted_assertion_still_renders() -> None:
    parsed = _inert(render_badge_html(HOSTED.assertion, result=None))
    assert "Untitled badge" in parsed.words
    assert "NOT VERIFIED" in parsed.words
    assert "(not loaded)" in parsed.words
    assert BADGE_CLASS["id"] in parsed.words


def test_documents_whose_id_is_not_the_one_named_are_not_shown() -> None:
    impostor = {**BADGE_CLASS, "id": "https://evil.example/badge.json", "name": "Fake Badge"}
    page = render_badge_html(HOSTED.assertion, badge_class=impostor, issuer=ISSUER)
    assert "Fake Badge" not in page


@pytest.mark.parametrize(
    "result",
    [
        VerificationResult.of(
            [Check.invalid("hosted", code="ob2_hosted_mismatch", message="<b>changed</b>")]
        ),
        VerificationResult.of([Check.indeterminate("fetch", code="offline", message="offline")]),
        VerificationResult.of([]),
    ],
)
def test_any_verification_result_renders(result: VerificationResult) -> None:
    page = render_badge_html(REPORTED.assertion, result=result, badge_class=REPORTED.badge_class)
    parsed = _inert(page)
    assert result.outcome.value in parsed.words
    assert "<b>" not in page
    assert "Mentor" in parsed.words


def test_revocation_and_narrative_are_shown() -> None:
    assertion = {**HOSTED.assertion, "revoked": True, "revocationReason": "Awarded by mistake"}
    parsed = _inert(render_badge_html(assertion, badge_class=BADGE_CLASS, issuer=ISSUER))
    assert "yes: Awarded by mistake" in parsed.words
    assert HOSTED.assertion["narrative"] in parsed.words


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_every_ob2_value_is_escaped() -> None:
    assertion = copy.deepcopy(SIGNED_EMBEDDED.assertion)
    badge = assertion["badge"]
    for member in ("name", "description"):
        badge[member] = HOSTILE
    badge["criteria"] = {"narrative": HOSTILE, "id": "javascript:alert(3)"}
    badge["image"] = "javascript:alert(4)"
    badge["issuer"]["name"] = HOSTILE
    badge["issuer"]["url"] = "javascript:alert(5)"
    assertion["recipient"] = {"type": HOSTILE, "hashed": False, "identity": HOSTILE}
    assertion["issuedOn"] = HOSTILE
    assertion["narrative"] = HOSTILE
    assertion["id"] = "javascript:alert(6)"
    page = render_badge_html(assertion, result=VALID)
    parsed = _inert(page)
    assert "<script" not in page
    assert HOSTILE in parsed.words


def test_vcbadge_show_renders_an_ob2_assertion_offline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {}
    for name, document in (("a", HOSTED.assertion), ("b", BADGE_CLASS), ("i", ISSUER)):
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(json.dumps(document), encoding="utf-8")
    out = tmp_path / "page.html"
    argv: list[Any] = [
        "show", files["a"], "--offline", "-o", out,
        "--doc", f"{BADGE_CLASS['id']}={files['b']}", "--doc", f"{ISSUER['id']}={files['i']}",
    ]  # fmt: skip
    assert main([str(arg) for arg in argv]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"wrote {out}: ")
    assert captured.out.endswith(" (Robot Builder)\n")
    parsed = _inert(out.read_text(encoding="utf-8"))
    assert "Open Badges 2.0" in parsed.words
    assert "Example Robotics Club" in parsed.words
