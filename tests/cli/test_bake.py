"""vcbadge bake / unbake, and vcbadge verify IMAGE."""

from __future__ import annotations

import json

import pytest
from badge_images import chunk, make_png, make_svg

CHECK_MEMBERS = {"name", "outcome", "code", "message", "path"}


@pytest.fixture
def plain_png(tmp_path):
    path = tmp_path / "plain.png"
    path.write_bytes(make_png(4, 4))
    return path


@pytest.fixture
def baked_png(cli, tmp_path, plain_png, signed_file):
    out = tmp_path / "badge.png"
    result = cli("bake", plain_png, signed_file, "-o", out)
    assert result.code == 0, result.err
    assert "Open Badges 3.0 credential (JSON) in a PNG iTXt chunk 'openbadgecredential'" in (
        result.out
    )
    return out


def test_bake_unbake_verify_png(cli, baked_png, signed_file):
    unbaked = cli("unbake", baked_png)
    assert unbaked.code == 0
    assert json.loads(unbaked.out) == json.loads(signed_file.read_text())
    verified = cli("verify", baked_png)
    assert verified.code == 0, verified.out
    lines = verified.out.splitlines()
    assert lines[0] == "VALID"
    assert lines[1].startswith("✓ image ok: Open Badges 3.0 credential (JSON) in a PNG")
    assert any(line.startswith("✓ proof ok /proof") for line in lines)


def test_bake_unbake_verify_svg(cli, tmp_path, signed_file):
    plain = tmp_path / "plain.svg"
    plain.write_bytes(make_svg())
    out = tmp_path / "badge.svg"
    assert cli("bake", plain, signed_file, "-o", out).code == 0
    assert b"<openbadges:credential><![CDATA[" in out.read_bytes()
    report = cli("verify", "--json", out)
    assert report.code == 0
    checks = report.json()["checks"]
    assert checks[0]["name"] == "image"
    assert all(set(check) == CHECK_MEMBERS for check in checks)
    written = tmp_path / "unbaked.json"
    assert cli("unbake", out, "-o", written).code == 0
    assert json.loads(written.read_text()) == json.loads(signed_file.read_text())


def test_tampered_credential_inside_an_image_is_invalid(cli, tmp_path, plain_png, signed_file):
    document = json.loads(signed_file.read_text())
    document["credentialSubject"]["achievement"]["name"] = "Python 901"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    out = tmp_path / "tampered.png"
    assert cli("bake", plain_png, tampered, "-o", out).code == 0
    result = cli("verify", out)
    assert result.code == 1
    assert "✗ proof invalid_signature /proof" in result.out


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (lambda data: data[:-5], "png_truncated"),
        (lambda data: data[:-20] + bytes([data[-20] ^ 1]) + data[-19:], "png_bad_crc"),
    ],
)
def test_broken_images_fail_the_image_check(cli, tmp_path, baked_png, mutate, code):
    broken = tmp_path / "broken.png"
    broken.write_bytes(mutate(baked_png.read_bytes()))
    result = cli("verify", "--json", broken)
    assert result.code == 1
    report = result.json()
    assert report["outcome"] == "INVALID"
    assert [(c["name"], c["outcome"], c["code"]) for c in report["checks"]] == [
        ("image", "INVALID", code)
    ]


def test_image_without_credential_is_invalid(cli, plain_png):
    result = cli("verify", plain_png)
    assert result.code == 1
    assert result.out.splitlines()[1].startswith("✗ image no_credential: ")


def test_open_badges_2_image_is_verified_as_ob2(cli, tmp_path):
    legacy = tmp_path / "ob2.png"
    legacy.write_bytes(
        make_png(after_idat=[chunk(b"tEXt", b"openbadges\x00https://example.org/assertions/1")])
    )
    # Offline, the hosted assertion cannot be fetched: INDETERMINATE, saying what is missing.
    result = cli("verify", "--offline", legacy)
    assert result.code == 2
    lines = result.out.splitlines()
    assert lines[0] == "INDETERMINATE"
    assert lines[1] == (
        "✓ image ok: Open Badges 2.0 assertion (hosted URL) in a PNG tEXt chunk 'openbadges'"
    )
    assert lines[2].startswith("? ob2_assertion unsupported_did_method: resolving ")
    unbaked = cli("unbake", legacy)
    assert unbaked.code == 0
    assert unbaked.out == "https://example.org/assertions/1\n"
    assert "Open Badges 2.0 assertion (hosted URL)" in unbaked.err


def test_unsafe_svg_is_invalid_when_verified_and_refused_when_baked(cli, tmp_path, signed_file):
    bomb = tmp_path / "bomb.svg"
    bomb.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    )
    result = cli("verify", bomb)
    assert result.code == 1
    assert "✗ image svg_unsafe: " in result.out
    baked = cli("bake", bomb, signed_file, "-o", tmp_path / "out.svg")
    assert baked.code == 65
    assert "[svg_unsafe]" in baked.err
    assert not (tmp_path / "out.svg").exists()


def test_already_baked_needs_replace(cli, tmp_path, baked_png, signed_file):
    again = cli("bake", baked_png, signed_file, "-o", tmp_path / "again.png")
    assert again.code == 65
    assert "[already_baked]" in again.err
    assert "--replace" in again.err
    replaced = cli("bake", baked_png, signed_file, "-o", tmp_path / "again.png", "--replace")
    assert replaced.code == 0
    assert cli("verify", tmp_path / "again.png").code == 0


def test_output_is_never_overwritten_without_force(cli, tmp_path, plain_png, signed_file):
    out = tmp_path / "exists.png"
    out.write_bytes(b"keep me")
    result = cli("bake", plain_png, signed_file, "-o", out)
    assert result.code == 73
    assert out.read_bytes() == b"keep me"
    assert cli("bake", plain_png, signed_file, "-o", out, "--force").code == 0
    assert cli("verify", out).code == 0


def test_bake_refuses_what_is_not_an_image_or_a_credential(cli, tmp_path, plain_png, signed_file):
    not_image = cli("bake", signed_file, signed_file, "-o", tmp_path / "x.png")
    assert not_image.code == 65
    assert "[not_an_image]" in not_image.err
    prose = tmp_path / "prose.txt"
    prose.write_text("hello")
    not_credential = cli("bake", plain_png, prose, "-o", tmp_path / "y.png")
    assert not_credential.code == 65
    assert not_credential.err.startswith(f"vcbadge: error: {prose}: ")
    assert "[invalid_payload]" in not_credential.err


def test_missing_files_exit_66(cli, tmp_path, plain_png, signed_file):
    assert cli("bake", tmp_path / "nope.png", signed_file, "-o", tmp_path / "o.png").code == 66
    assert cli("bake", plain_png, tmp_path / "nope.json", "-o", tmp_path / "o.png").code == 66
    assert cli("unbake", tmp_path / "nope.png").code == 66


def test_unbake_of_a_broken_image_exits_65(cli, tmp_path, plain_png):
    result = cli("unbake", plain_png)
    assert result.code == 65
    assert "[no_credential]" in result.err


def test_verify_still_reads_json_and_reports_non_json_as_before(cli, tmp_path, signed_file):
    assert cli("verify", signed_file).code == 0
    junk = tmp_path / "junk.txt"
    junk.write_text("<html>not a badge</html>")
    result = cli("verify", "--json", junk)
    assert result.code == 1
    assert result.json()["checks"][0]["name"] == "parse"
