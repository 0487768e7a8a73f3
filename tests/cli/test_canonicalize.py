"""vcbadge canonicalize."""

from __future__ import annotations

import re

from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import canonicalize

NQUAD = re.compile(r"^(<[^>]*>|_:c14n\d+) <[^>]*> .+ \.$")


def test_canonicalize_prints_nquads(cli, signed_file):
    result = cli("canonicalize", signed_file)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines
    assert all(NQUAD.match(line) for line in lines), lines
    assert lines == sorted(lines)
    assert result.out.endswith(" .\n")
    assert "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement>" in result.out


def test_canonicalize_matches_the_library(cli, unsigned_file):
    import json

    document = json.loads(unsigned_file.read_text())
    result = cli("canonicalize", unsigned_file)
    assert result.code == 0
    assert result.out == canonicalize(document, default_loader())


def test_canonicalize_bad_inputs(cli, tmp_path, unsigned_credential, write_json):
    assert cli("canonicalize", tmp_path / "missing.json").code == 66
    not_json = tmp_path / "x.json"
    not_json.write_text("nope", encoding="utf-8")
    assert cli("canonicalize", not_json).code == 65
    unknown_context = write_json(
        tmp_path / "ctx.json",
        {**unsigned_credential(), "@context": ["https://example.com/unknown-context"]},
    )
    refused = cli("canonicalize", unknown_context)
    assert refused.code == 65
    assert "context_not_allowed" in refused.err
    assert "https://example.com/unknown-context" in refused.err
    undefined = write_json(tmp_path / "undef.json", {**unsigned_credential(), "bogusTerm": 1})
    refused = cli("canonicalize", undefined)
    assert refused.code == 65
    assert "undefined_term" in refused.err
