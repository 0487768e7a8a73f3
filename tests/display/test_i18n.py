"""The page in the viewer's language: labels (English, French), human dates, and OB 3.0
multilingual values (JSON-LD value objects with ``@language``, ``inLanguage``)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from badge_images import signed_credential

from vcbadge import Verifier
from vcbadge.cli import main
from vcbadge.display import LANGUAGES, render_badge_fragment, render_badge_html
from vcbadge.display.i18n import LABELS, Text, human_date, labels, pick_text


def test_every_language_has_every_label():
    assert set(LANGUAGES) >= {"en", "fr"}
    keys = set(LABELS["en"])
    for lang, table in LABELS.items():
        assert set(table) == keys, lang
        assert all(value.strip() for value in table.values()), lang


def test_an_unknown_language_falls_back_to_english_and_a_region_to_its_language():
    assert labels("de") is LABELS["en"]
    assert labels("fr-CA") is LABELS["fr"]
    assert labels("FR") is LABELS["fr"]


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        ("2025-01-31T12:00:00Z", "en", "31 January 2025, 12:00 UTC"),
        ("2025-01-31T12:00:00Z", "fr", "31 janvier 2025, 12:00 UTC"),
        ("2025-08-01T09:05:00+02:00", "en", "1 August 2025, 09:05 UTC+02:00"),
        ("2025-08-01T09:05:00-05:30", "fr", "1 août 2025, 09:05 UTC-05:30"),
        ("2025-08-01T09:05:00", "en", "1 August 2025, 09:05"),
        ("2025-08-01", "en", "1 August 2025"),
        ("not a date", "en", "not a date"),
    ],
)
def test_human_dates(value, lang, shown):
    assert human_date(value, lang) == shown


TITLE = [
    {"@value": "Python 101", "@language": "en"},
    {"@value": "Python : les bases", "@language": "fr"},
    {"@value": "Python für Einsteiger", "@language": "de-AT"},
]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", Text("Python : les bases", "fr")),
        ("fr-BE", Text("Python : les bases", "fr")),  # same primary language
        ("de", Text("Python für Einsteiger", "de-AT")),
        ("en", Text("Python 101", "en")),
        ("ja", Text("Python 101", "en")),  # not given: the first
    ],
)
def test_pick_text_prefers_the_viewers_language(lang, expected):
    assert pick_text(TITLE, lang) == expected


def test_pick_text_reads_plain_strings_and_in_language():
    assert pick_text("Bonjour", "en", in_language="fr") == Text("Bonjour", "fr")
    assert pick_text("Hello", "en") == Text("Hello", None)
    assert pick_text({"@value": "Hallo", "@language": "de"}, "en") == Text("Hallo", "de")
    assert pick_text([{"@value": 5}, {"nope": 1}, "", None], "en") is None


def multilingual_credential() -> dict:
    credential = signed_credential()
    achievement = credential["credentialSubject"]["achievement"]
    achievement["name"] = TITLE
    achievement["description"] = [
        {"@value": "Wrote and tested a small Python program.", "@language": "en"},
        {"@value": "A écrit et testé un petit programme Python.", "@language": "fr"},
    ]
    achievement["criteria"] = {"narrative": "Réussir le projet final.", "id": None}
    achievement["inLanguage"] = "fr"
    return credential


def test_a_french_viewer_sees_french_labels_and_the_french_values():
    page = render_badge_html(multilingual_credential(), lang="fr")
    assert page.startswith('<!DOCTYPE html>\n<html lang="fr">')
    assert "<h1>Python : les bases</h1>" in page
    assert "A écrit et testé un petit programme Python." in page
    assert "<h2>Critères</h2>" in page
    assert "NON VÉRIFIÉ" in page
    assert "Python 101" not in page


def test_an_english_viewer_sees_english_and_text_in_another_language_is_marked():
    page = render_badge_html(multilingual_credential(), lang="en")
    assert "<h1>Python 101</h1>" in page
    assert "<h2>Criteria</h2>" in page
    # the criteria are only in French (inLanguage): marked so a screen reader reads French
    assert '<span lang="fr" class="vcb-text">Réussir le projet final.</span>' in page


def test_the_result_page_is_translated_too():
    credential = signed_credential()
    credential["credentialSubject"]["achievement"]["name"] = "Python 901"
    result = Verifier.offline().verify(credential)
    fragment = render_badge_fragment(credential, result, lang="fr")
    assert "✗ NON VALIDE" in fragment
    assert "Falsifié ou modifié : vérification proof" not in fragment  # labels, not sentences
    assert "Falsifié ou modifié: vérification proof <code>invalid_signature</code>" in fragment
    assert "31 janvier 2025, 12:00 UTC" in fragment


def test_vcbadge_show_lang(tmp_path: Path, capsys):
    source = tmp_path / "badge.json"
    source.write_text(json.dumps(multilingual_credential()), encoding="utf-8")
    out = tmp_path / "badge.html"
    assert main(["show", str(source), "--offline", "--lang", "fr", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="fr">' in page
    assert "<h1>Python : les bases</h1>" in page
    assert "Émis par" in page
    capsys.readouterr()


def test_values_in_several_languages_are_still_escaped():
    credential = copy.deepcopy(multilingual_credential())
    credential["credentialSubject"]["achievement"]["name"] = [
        {"@value": "<script>alert(1)</script>", "@language": 'fr" onload="x'}
    ]
    page = render_badge_html(credential, lang="en")
    assert "<script>alert" not in page
    assert 'lang="fr&quot; onload=&quot;x"' in page


def test_editions_in_other_languages_are_listed_not_fetched():
    credential = multilingual_credential()
    credential["credentialSubject"]["achievement"]["related"] = [
        {
            "id": "https://badges.example.edu/achievements/py101-de",
            "type": ["Related"],
            "inLanguage": "de",
        }
    ]
    page = render_badge_html(credential, lang="en")
    assert (
        "<dt>Other language editions</dt><dd>de: "
        '<a href="https://badges.example.edu/achievements/py101-de" rel="noopener noreferrer">'
    ) in page
    assert "Éditions en d&#x27;autres langues" in render_badge_html(credential, lang="fr")
