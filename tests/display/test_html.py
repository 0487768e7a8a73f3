"""The badge page: what it shows, and that nothing in a credential can script it or load
anything."""

from __future__ import annotations

import base64
import copy
from html.parser import HTMLParser

import pytest
from badge_images import make_png, make_svg, signed_credential

from vcbadge import Outcome, Verifier
from vcbadge.bake import bake
from vcbadge.display import CONTENT_SECURITY_POLICY, render_badge_html
from vcbadge.verify import Check, VerificationResult

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "div", "h1", "h2", "h3", "p",
    "img", "section", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "th", "td", "code",
    "a", "span", "strong", "footer", "br", "h4", "h5", "h6", "ul", "li", "time",
}  # fmt: skip


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector


def assert_inert(page: str) -> _Collector:
    """No script, no event handler, no remote asset, only http(s) links; CSP present."""
    parsed = parse(page)
    for tag, attributes in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name == "src":
                assert (value or "").startswith("data:image/"), value
            if name == "href":
                assert (value or "").startswith(("https://", "http://")), value
    policies = [
        attributes["content"]
        for tag, attributes in parsed.tags
        if tag == "meta" and attributes.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies == [CONTENT_SECURITY_POLICY]
    assert "<script" not in page.lower()
    return parsed


HOSTILE = '<script>alert("x")</script>'


def hostile_credential() -> dict:
    credential = signed_credential()
    credential["name"] = HOSTILE
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = f"Python {HOSTILE} \"quoted\" 'single'"
    achievement["description"] = '"><img src=x onerror=alert(1)> & </title><script>x</script>'
    achievement["criteria"] = {"narrative": "<b>bold</b>", "id": "javascript:alert(1)"}
    achievement["image"] = {"id": "https://tracker.example/pixel.png?who=me", "type": "Image"}
    credential["issuer"] = {
        "id": 'https://example.edu/issuer" onmouseover="alert(1)',
        "name": "</dd><script>alert(2)</script>",
        "url": "javascript:alert(3)",
    }
    credential["credentialSubject"]["id"] = "data:text/html,<script>alert(4)</script>"
    return credential


def test_hostile_text_is_escaped_and_the_page_stays_inert():
    credential = hostile_credential()
    result = VerificationResult.of(
        [
            Check(
                name="proof",
                outcome=Outcome.INVALID,
                code="invalid_signature",
                message=f"bad {HOSTILE}",
                path="/proof",
            )
        ]
    )
    page = render_badge_html(credential, result=result)
    parsed = assert_inert(page)
    text = "".join(parsed.text)
    # The text is shown, as text.
    assert f"Python {HOSTILE} \"quoted\" 'single'" in text
    assert "</dd><script>alert(2)</script>" in text
    assert "&lt;script&gt;" in page
    # The remote image is named but not loaded; javascript: never becomes a link.
    assert "https://tracker.example/pixel.png?who=me" in text
    assert not any(tag == "img" for tag, _ in parsed.tags)
    assert "javascript:alert(1)" in text
    assert all(
        not (attributes.get("href") or "").startswith("javascript") for _, attributes in parsed.tags
    )


@pytest.mark.parametrize(
    ("outcome", "heading", "css"),
    [
        (Outcome.VALID, "✓ VALID", "valid"),
        (Outcome.INVALID, "✗ INVALID", "invalid"),
        (Outcome.INDETERMINATE, "? INDETERMINATE", "indeterminate"),
    ],
)
def test_banner_says_the_outcome(outcome, heading, css):
    result = VerificationResult.of(
        [Check(name="proof", outcome=outcome, code="some_code", message="a message", path="/proof")]
    )
    page = render_badge_html(signed_credential(), result=result)
    parsed = assert_inert(page)
    banners = [a for tag, a in parsed.tags if tag == "div" and "banner" in (a.get("class") or "")]
    assert banners == [{"class": f"vcb-banner vcb-{css}", "role": "status"}]
    assert f"<h2>{heading}</h2>" in page
    assert "some_code" in page
    assert "/proof" in page
    assert "a message" in page


def test_unverified_page_says_so():
    page = render_badge_html(signed_credential())
    assert_inert(page)
    assert "NOT VERIFIED" in page


def test_shows_achievement_recipient_issuer_dates_and_every_check():
    credential = signed_credential()
    result = Verifier.offline().verify(credential)
    assert result.outcome is Outcome.VALID
    page = render_badge_html(credential, result=result, source="credential.json")
    text = "".join(assert_inert(page).text)
    for expected in (
        "Python 101",
        "Wrote and tested a small Python program.",
        "Pass the final project.",
        "did:example:ada",
        "Example University",
        credential["issuer"]["id"],
        "31 January 2025, 12:00 UTC",
        "credential.json",
    ):
        assert expected in text, expected
    for check in result.checks:
        assert check.name in text
        assert check.code in text
        assert check.message in text


def test_hashed_email_recipient_is_described_not_shown():
    credential = signed_credential()
    credential["credentialSubject"].pop("id")
    credential["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "identityHash": "sha256$abc123",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": "s",
        }
    ]
    text = "".join(assert_inert(render_badge_html(credential)).text)
    assert "a hashed email address" in text
    assert "sha256$abc123" not in text


@pytest.mark.parametrize(
    ("image", "media_type"), [(make_png(), "image/png"), (make_svg(), "image/svg+xml")]
)
def test_the_badge_image_is_embedded_as_a_data_uri(image, media_type):
    baked = bake(image, signed_credential())
    page = render_badge_html(signed_credential(), image=baked)
    sources = [a["src"] for tag, a in assert_inert(page).tags if tag == "img"]
    assert sources == [f"data:{media_type};base64,{base64.b64encode(baked).decode()}"]


def test_a_data_uri_achievement_image_is_shown_and_other_schemes_are_not():
    svg = base64.b64encode(make_svg()).decode()
    credential = signed_credential()
    achievement = credential["credentialSubject"]["achievement"]
    achievement["image"] = {"id": f"data:image/svg+xml;base64,{svg}", "type": "Image"}
    sources = [a["src"] for t, a in assert_inert(render_badge_html(credential)).tags if t == "img"]
    assert sources == [f"data:image/svg+xml;base64,{svg}"]
    for refused in ("data:text/html;base64,PHNjcmlwdD4=", "javascript:alert(1)", "file:///x.png"):
        other = copy.deepcopy(credential)
        other["credentialSubject"]["achievement"]["image"] = refused
        parsed = assert_inert(render_badge_html(other))
        assert not [a for t, a in parsed.tags if t == "img"]
        assert refused in "".join(parsed.text)


def test_unreadable_credential_still_shows_the_outcome():
    result = VerificationResult.of(
        [
            Check(
                name="image",
                outcome=Outcome.INVALID,
                code="png_bad_crc",
                message="PNG chunk IDAT has a wrong CRC",
            )
        ]
    )
    page = render_badge_html(None, result=result)
    text = "".join(assert_inert(page).text)
    assert "INVALID" in text
    assert "png_bad_crc" in text
    assert "could not be read" in text


@pytest.mark.parametrize(
    "credential",
    [
        {},
        {"credentialSubject": []},
        {"credentialSubject": "x", "issuer": 5, "validFrom": 3},
        {"credentialSubject": [{"achievement": ["nope"]}], "issuer": ["a"]},
        {"credentialSubject": {"identifier": "x", "achievement": {"criteria": "y", "image": 4}}},
    ],
)
def test_odd_shapes_never_crash(credential):
    assert_inert(render_badge_html(credential))
