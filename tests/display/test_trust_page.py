"""The issuer trust answer on the badge page: a valid badge whose issuer name nobody vouches
for must not read like a badge from the institution it names."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

from issued_badges import issue_badge

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge.display import render_badge_html
from vcbadge.keys import Ed25519Key
from vcbadge.trust import IssuerTrust, NameSource, TrustLevel, load_registry_file
from vcbadge.verify import Check, VerificationResult

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
HARVARD = "Harvard University"


class _Page(HTMLParser):
    """The trust note's classes and text, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.notes: list[str] = []
        self.note_text: list[str] = []
        self._in_note = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        attributes = dict(attrs)
        if self._in_note:
            self._in_note += 1
        elif tag == "div" and "vcb-trust" in (attributes.get("class") or "").split():
            self.notes.append(attributes.get("class") or "")
            self._in_note = 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_note:
            self._in_note -= 1

    def handle_data(self, data: str) -> None:
        if self._in_note:
            self.note_text.append(data)


def _parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    assert "script" not in parsed.tags
    return parsed


def _harvard(key: Ed25519Key) -> dict:
    return issue_badge(key, issuer_name=HARVARD, at=NOW)


def test_a_valid_did_key_badge_says_the_issuer_name_is_not_verified():
    key = Ed25519Key.generate()
    credential = _harvard(key)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(credential)
    assert result.outcome is Outcome.VALID
    page = render_badge_html(credential, result=result)
    parsed = _parse(page)
    assert parsed.notes == ["vcb-trust vcb-trust-self_asserted"]
    note = "".join(parsed.note_text)
    assert "⚠ Issuer name not verified" in note
    assert "anyone can claim the name" in note
    assert HARVARD in note
    assert "But the issuer&#x27;s name is not verified" in page
    # The note comes right after the banner, before the badge itself.
    assert (
        page.index('class="vcb-banner')
        < page.index('class="vcb-trust')
        < page.index('class="vcb-badge"')
    )
    assert "<dt>Issuer trust</dt>" in page
    assert f"<dt>Issuer (as the badge claims)</dt><dd>{HARVARD}</dd>" in page


def test_a_known_issuer_is_shown_with_the_registry_that_lists_it(tmp_path: Path):
    key = Ed25519Key.generate()
    path = tmp_path / "allow.json"
    path.write_text(
        json.dumps(
            {
                "name": "Registrar",
                "issuers": {key.did: {"name": "Example U", "url": "https://example.edu"}},
            }
        ),
        encoding="utf-8",
    )
    verifier = Verifier.offline(clock=FixedClock(NOW), trust_registries=[load_registry_file(path)])
    credential = _harvard(key)
    page = render_badge_html(credential, result=verifier.verify(credential))
    parsed = _parse(page)
    assert parsed.notes == ["vcb-trust vcb-trust-known"]
    note = "".join(parsed.note_text)
    assert "✓ Known issuer" in note
    assert 'known: "Example U", listed in Registrar' in note
    assert "https://example.edu" in note
    assert "not verified" not in page
    # The registry names it otherwise: the credential's own name is shown as its claim.
    assert f"<dt>Issuer (as the badge claims)</dt><dd>{HARVARD}</dd>" in page


def _result(trust: IssuerTrust, outcome: Outcome = Outcome.VALID) -> VerificationResult:
    check = Check(name="proof", outcome=outcome, code="ok", message="m")
    return VerificationResult.of([check], issuer_trust=trust)


def test_a_domain_bound_issuer_shows_its_host():
    trust = IssuerTrust(
        level=TrustLevel.DOMAIN_BOUND,
        issuer_id="did:web:example.edu",
        reason="bound",
        name="Example U",
        name_source=NameSource.DOMAIN,
        host="example.edu",
    )
    parsed = _parse(render_badge_html({"issuer": "did:web:example.edu"}, result=_result(trust)))
    assert parsed.notes == ["vcb-trust vcb-trust-domain_bound"]
    assert "Only whoever controls example.edu can sign for this issuer." in "".join(
        parsed.note_text
    )


def test_a_domain_that_does_not_name_the_issuer_is_unconfirmed():
    trust = IssuerTrust(
        level=TrustLevel.DOMAIN_BOUND,
        issuer_id="did:web:example.edu",
        reason="bound",
        name=HARVARD,
        name_source=NameSource.CREDENTIAL,
        host="example.edu",
    )
    page = render_badge_html({"issuer": "did:web:example.edu"}, result=_result(trust))
    parsed = _parse(page)
    assert parsed.notes == ["vcb-trust vcb-trust-unconfirmed"]
    assert "not confirmed by the domain" in "".join(parsed.note_text)
    assert "issuer&#x27;s name is not verified" in page


def test_a_badge_that_failed_says_the_answer_does_not_vouch_for_it():
    trust = IssuerTrust(
        level=TrustLevel.KNOWN,
        issuer_id="did:web:example.edu",
        reason="listed",
        name="Example U",
        name_source=NameSource.REGISTRY,
        registry="Registrar",
    )
    parsed = _parse(render_badge_html({}, result=_result(trust, Outcome.INVALID)))
    assert "The badge itself did not verify" in "".join(parsed.note_text)


def test_every_value_in_the_note_is_escaped():
    hostile = '<img src=x onerror="alert(1)">'
    trust = IssuerTrust(
        level=TrustLevel.SELF_ASSERTED,
        issuer_id="did:key:z6Mk",
        reason=hostile,
        name=hostile,
        name_source=NameSource.CREDENTIAL,
        claimed_name=hostile,
    )
    page = render_badge_html({}, result=_result(trust))
    parsed = _parse(page)
    assert "img" not in parsed.tags
    assert hostile not in page
    assert hostile in "".join(parsed.note_text)


def test_no_answer_no_note():
    check = Check(name="proof", outcome=Outcome.VALID, code="ok", message="m")
    page = render_badge_html({}, result=VerificationResult.of([check]))
    assert _parse(page).notes == []
    assert "Issuer trust" not in page


def test_a_name_the_domain_confirms_is_shown_plainly():
    trust = IssuerTrust(
        level=TrustLevel.DOMAIN_BOUND,
        issuer_id="did:web:example.edu",
        reason="bound",
        name="Example U",
        name_source=NameSource.DOMAIN,
        claimed_name="Example U",
        host="example.edu",
    )
    credential = {"issuer": {"id": "did:web:example.edu", "name": "Example U"}}
    page = render_badge_html(credential, result=_result(trust))
    assert "<dt>Issuer</dt><dd>Example U</dd>" in page
    assert "as the badge claims" not in page
    assert "not verified" not in page
