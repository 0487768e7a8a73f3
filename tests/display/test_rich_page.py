"""The badge page shows what OB 3.0 defines that a person wants to see: results and rubric
levels, evidence, alignments, achievement type, credits, the issuer's contact details,
endorsements and every credential of a CLR with its own outcome; as a fragment too, with one
h1, ordered headings, alt text and colours that meet WCAG AA."""

from __future__ import annotations

import copy
import itertools
import re
from html.parser import HTMLParser

import pytest

from vcbadge import Outcome
from vcbadge.display import (
    CONTENT_SECURITY_POLICY,
    FRAGMENT_CSS,
    render_badge_fragment,
    render_badge_html,
)
from vcbadge.display.html import PALETTE


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.words: list[str] = []
        self._heading: int | None = None
        self._heading_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._heading_text = int(tag[1]), []

    def handle_endtag(self, tag: str) -> None:
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((self._heading, "".join(self._heading_text)))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.words.append(data)
        if self._heading is not None:
            self._heading_text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def parse(page: str) -> _Page:
    parsed = _Page()
    parsed.feed(page)
    parsed.close()
    assert not any(tag == "script" for tag, _ in parsed.tags)
    for _, attributes in parsed.tags:
        assert not any(name.startswith("on") for name in attributes)
        assert (attributes.get("src") or "data:image/").startswith("data:image/")
    return parsed


def assert_headings_ordered(parsed: _Page, top: int = 1) -> None:
    levels = [level for level, _ in parsed.headings]
    assert levels.count(top) == 1, parsed.headings
    assert levels[0] == top, parsed.headings
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, parsed.headings  # never skips a level going down


def test_an_achievement_shows_everything_a_person_wants_to_see(rich):
    credential, result = rich
    assert result.outcome is Outcome.VALID
    parsed = parse(render_badge_html(credential, result=result))
    text = parsed.text
    for expected in (
        "Type Course",
        "Field of study Computer science",
        "Specialization Software testing",
        "Credits available 5",
        "Code CS-101",
        "python testing",
        "Created by Department of Computing",
        "Write unit tests (Example Skills, ST-3, ceasn:Competency)",
        "Writes automated tests for a program.",
        # how it is assessed, with the rubric levels
        "Final project Result type RubricCriterionLevel Required Pass",
        "Pass, 1 points — The program runs and has tests.",
        "Distinction, 2 points — Every function is tested.",
        "Exam score Result type Percent Required 50 Range 0 \u2013 100",
        # what the recipient achieved: the level by name, the value
        "Final project — Level achieved: Distinction",
        "Exam score — Value: 87",
        "Credits earned 5",
        "Activity started 2 September 2024, 00:00 UTC",
        "Role Student",
        "Term Autumn 2024",
        # evidence
        "Narrative A tested command-line tool that renames photos by date.",
        "Genre Project",
        "Audience Teachers",
        # the issuer's contact details
        "Issuer website https://example.edu",
        "Email badges@example.edu",
        "Phone +1 555 0100",
        "Awarded 30 January 2025, 09:00 UTC",
        "Valid until 31 January 2030, 12:00 UTC",
    ):
        assert expected in text, expected
    assert (
        "a",
        {"href": "https://skills.example.org/unit-tests", "rel": "noopener noreferrer"},
    ) in (parsed.tags)
    assert_headings_ordered(parsed)


def test_dates_are_human_with_the_iso_value_on_hover(rich):
    credential, result = rich
    page = render_badge_html(credential, result=result)
    iso = credential["validFrom"]
    assert f'<time datetime="{iso}" title="{iso}">31 January 2025, 12:00 UTC</time>' in page
    assert f">{iso}<" not in page  # never shown raw


def test_a_clr_shows_every_credential_with_its_own_outcome_and_no_empty_criteria(clr):
    record, result = clr
    assert result.outcome is Outcome.INVALID
    parsed = parse(render_badge_html(record, result=result))
    text = parsed.text
    assert "None given" not in text
    assert (2, "Criteria") not in parsed.headings  # the record has none; its badges do
    assert "<h1>Ada&#x27;s learner record</h1>" in render_badge_html(record, result=result)
    assert "Credentials in this record" in text
    assert "2 credentials" in text
    assert ("h3", "Python 101") in [(f"h{level}", h) for level, h in parsed.headings]
    assert ("h3", "Python 901") in [(f"h{level}", h) for level, h in parsed.headings]
    good = text.index("Python 101 This credential: ✓ VALID")
    forged = text.index("Python 901 This credential: ✗ INVALID")
    assert good < forged
    # each bundled credential has its own sections (here: its results)
    assert text.count("Level achieved: Distinction") == 2
    # the banner says which credential failed and how
    assert "A credential inside it did not verify: /credentialSubject/verifiableCredential/1" in (
        text
    )
    assert_headings_ordered(parsed)


def test_endorsements_are_shown_with_their_own_outcome(clr):
    record, result = clr
    text = parse(render_badge_html(record, result=result)).text
    assert "Endorsements Endorsed by Example Accreditor This credential: ✓ VALID" in text
    assert "Comment A rigorous course." in text


def test_a_nested_credential_not_verified_on_its_own_says_so(clr):
    record, _ = clr
    text = parse(render_badge_html(record)).text
    assert text.count("not checked") == 3  # two bundled, one endorsement
    assert "✓ VALID" not in text


def test_the_fragment_is_scoped_and_embeddable(rich):
    credential, result = rich
    fragment = render_badge_fragment(credential, result, lang="en")
    assert fragment.startswith('<div class="vcb" lang="en"><style>')
    for tag in ("<html", "<head", "<body", "<meta", "<title", "<!DOCTYPE"):
        assert tag not in fragment
    parsed = parse(fragment)
    classes = {
        name for _, attributes in parsed.tags for name in (attributes.get("class") or "").split()
    }
    assert classes
    assert all(name == "vcb" or name.startswith("vcb-") for name in classes), classes
    # every rule of its style sheet applies only inside the fragment
    for selector_group in re.findall(r"([^{}]+)\{[^{}]*\}", FRAGMENT_CSS.replace("@media", "")):
        for selector in selector_group.split(","):
            selector = selector.strip()
            if selector and not selector.startswith("(max-width"):
                assert selector.startswith(".vcb"), selector
    page = render_badge_html(credential, result=result)
    assert fragment in page
    assert CONTENT_SECURITY_POLICY.replace("'", "&#x27;") in page


def test_the_fragment_can_start_below_the_host_page_heading(rich):
    credential, result = rich
    parsed = parse(render_badge_fragment(credential, result, heading_level=2))
    assert_headings_ordered(parsed, top=2)
    assert not [level for level, _ in parsed.headings if level == 1]


def test_images_have_alt_text(rich, showcase):
    credential, result = rich
    with_image = copy.deepcopy(credential)
    with_image["issuer"]["image"] = {"id": "data:image/png;base64,iVBORw0KGgo=", "type": "Image"}
    page = render_badge_html(with_image, result=result, image=showcase.draw_badge())
    alts = [attributes.get("alt") for tag, attributes in parse(page).tags if tag == "img"]
    assert alts == ["Badge image: Python 101", "Example University"]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_luminance_function_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # fails AA


@pytest.mark.parametrize(("role", "pair"), sorted(PALETTE.items()))
def test_every_colour_pair_meets_wcag_aa(role, pair):
    assert contrast(*pair) >= 4.5, role


def test_every_palette_colour_is_the_one_the_style_uses():
    for foreground, background in PALETTE.values():
        assert foreground in FRAGMENT_CSS or foreground == "#ffffff"
        assert background in FRAGMENT_CSS or background == "#ffffff"
