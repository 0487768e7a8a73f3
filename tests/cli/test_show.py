"""vcbadge show: a self-contained HTML page for a credential or a badge image."""

from __future__ import annotations

import base64
import json

from badge_images import make_png


def test_show_a_credential_file(cli, tmp_path, signed_file):
    out = tmp_path / "badge.html"
    result = cli("show", signed_file, "-o", out)
    assert result.code == 0, result.err
    assert result.out == f"wrote {out}: VALID (Python 101)\n"
    page = out.read_text(encoding="utf-8")
    assert "Python 101" in page
    assert "<h2>✓ VALID</h2>" in page
    assert "default-src &#x27;none&#x27;" in page
    assert "<script" not in page


def test_show_a_baked_image_embeds_it(cli, tmp_path, signed_file):
    plain = tmp_path / "plain.png"
    plain.write_bytes(make_png(4, 4))
    baked = tmp_path / "badge.png"
    assert cli("bake", plain, signed_file, "-o", baked).code == 0
    result = cli("show", baked, "--offline", "-o", tmp_path / "badge.html")
    assert result.code == 0
    page = (tmp_path / "badge.html").read_text(encoding="utf-8")
    assert f"data:image/png;base64,{base64.b64encode(baked.read_bytes()).decode()}" in page
    assert "Open Badges 3.0 credential (JSON) in a PNG iTXt chunk" in page
    assert "<h2>✓ VALID</h2>" in page


def test_show_an_invalid_or_broken_badge_still_writes_the_page(cli, tmp_path, signed_file):
    document = json.loads(signed_file.read_text())
    document["credentialSubject"]["achievement"]["name"] = "Python 901"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    result = cli("show", tampered, "-o", tmp_path / "tampered.html")
    assert result.code == 0
    assert "INVALID (Python 901)" in result.out
    assert "invalid_signature" in (tmp_path / "tampered.html").read_text(encoding="utf-8")

    plain = tmp_path / "plain.png"
    plain.write_bytes(make_png())
    broken = cli("show", plain, "-o", tmp_path / "broken.html")
    assert broken.code == 0
    page = (tmp_path / "broken.html").read_text(encoding="utf-8")
    assert "no_credential" in page
    assert "could not be read" in page


def test_show_to_standard_output(cli, signed_file):
    result = cli("show", signed_file, "--at", "2020-01-01T00:00:00Z")
    assert result.code == 0
    assert result.out.startswith("<!DOCTYPE html>")
    assert "<h2>✗ INVALID</h2>" in result.out
    assert "not_yet_valid" in result.out


def test_show_usage_and_missing_input(cli, tmp_path):
    assert cli("show").code == 64
    assert cli("show", tmp_path / "missing.json").code == 66


def test_show_lang_chooses_the_labels(cli, signed_file):
    french = cli("show", signed_file, "--lang", "fr")
    assert french.code == 0
    assert '<html lang="fr">' in french.out
    assert "<h2>Critères</h2>" in french.out
    # a language without labels shows English ones, and the page says it is in English
    other = cli("show", signed_file, "--lang", "de")
    assert '<html lang="en">' in other.out
    assert "<h2>Criteria</h2>" in other.out
