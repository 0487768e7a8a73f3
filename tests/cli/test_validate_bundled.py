"""``vcbadge validate`` with the bundled schemas: the published schemas' verdicts, offline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from reference_corpus import requires_reference
from schema_documents import teamwork_badge

from vcbadge.schema import SCHEMA_TYPES, SchemaCache, SchemaValidator, bundled_schemas

OB = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
OB_ACHIEVEMENT = f"{OB}ob_v3p0_achievementcredential_schema.json"


def _schema_problems(run: Any) -> list[dict[str, Any]]:
    return [p for p in run.json()["problems"] if p["kind"] == "schema"]


@pytest.mark.reference
@requires_reference
def test_spec_examples_pass_the_bundled_schemas(cli: Any, reference: Path) -> None:
    folder = reference / "examples" / "ob-v3p0-spec"
    complete = cli("validate", "--json", folder / "complete-openbadgecredential.json")
    assert complete.code == 0
    assert _schema_problems(complete) == []
    # The endorsement also names an example custom schema: it is reported as not checked (exit
    # 2, no problem); the published schema validates it.
    endorsement = cli("validate", "--json", folder / "endorsementcredential.json")
    assert endorsement.code == 2
    assert _schema_problems(endorsement) == []
    assert [(p["path"], p["code"]) for p in endorsement.json()["unchecked"]] == [
        ("/credentialSchema/1", "schema_unavailable")
    ]


def _schema_for(document: dict[str, Any]) -> str:
    types = document.get("type")
    types = types if isinstance(types, list) else [types]
    if "ClrCredential" in types:
        return f"{CLR}clr_v2p0_clrcredential_schema.json"
    if "EndorsementCredential" in types:
        return f"{OB}ob_v3p0_endorsementcredential_schema.json"
    return f"{OB}ob_v3p0_achievementcredential_schema.json"


@pytest.mark.reference
@requires_reference
@pytest.mark.slow
def test_every_corpus_example_gets_the_published_schema_verdict(
    cli: Any, reference: Path, tmp_path: Path
) -> None:
    """Every OB 3.0 / CLR 2.0 JSON example of the corpus: schema_invalid problems exactly when
    the published schemas find it invalid. An example whose credentialSchema names something
    else (or nothing) is checked against the published schema for its type instead."""
    index = json.loads((reference / "examples" / "index.json").read_text(encoding="utf-8"))
    served = bundled_schemas()
    published = SchemaValidator(SchemaCache.from_directory(reference / "schemas"))
    compared = as_named = 0
    for number, entry in enumerate(index["examples"]):
        path = reference / "examples" / entry["file"]
        if path.suffix != ".json" or entry["group"].startswith("vc-data-model"):
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document.get("credentialSchema")
        entries = entries if isinstance(entries, list) else [entries] if entries else []
        if entries and all(
            isinstance(e, dict) and e.get("id") in served and e.get("type") in SCHEMA_TYPES
            for e in entries
        ):
            as_named += 1
        else:
            url = _schema_for(document)
            document["credentialSchema"] = [{"id": url, "type": "1EdTechJsonSchemaValidator2019"}]
            path = tmp_path / f"{number}.json"
            path.write_text(json.dumps(document), encoding="utf-8")
        bundled = _schema_problems(cli("validate", "--json", path))
        assert {p["code"] for p in bundled} <= {"schema_invalid"}, entry["file"]
        invalid = [p["path"] for p in bundled]
        verdicts = {r.status for r in published.check(json.loads(path.read_text("utf-8")))}
        assert verdicts <= {"valid", "invalid"}, entry["file"]
        assert bool(invalid) == ("invalid" in verdicts), (entry["file"], invalid, verdicts)
        compared += 1
    assert (compared, as_named) == (59, 10)


def test_official_schema_needs_no_schema_dir(cli: Any, tmp_path: Path) -> None:
    document = teamwork_badge(OB_ACHIEVEMENT)
    path = tmp_path / "c.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert _schema_problems(cli("validate", "--json", path)) == []

    document["credentialSubject"]["achievement"]["criteria"] = "Team project."
    path.write_text(json.dumps(document), encoding="utf-8")
    run = cli("validate", "--json", path)
    assert run.code == 1
    assert {(p["path"], p["code"]) for p in _schema_problems(run)} == {
        ("/credentialSubject/achievement/criteria", "schema_invalid")
    }
