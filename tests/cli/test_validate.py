"""``vcbadge validate``: model and schema problems with paths; exit 0 clean, 1 problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vcbadge.model import Achievement, AchievementCredential, Criteria

SCHEMA_URL = "https://schemas.example.org/short-name.json"


def _credential(**extra: Any) -> dict[str, Any]:
    achievement = Achievement(
        id="https://badges.example.edu/achievements/py101",
        name="Python 101",
        description="Wrote and tested a small Python program.",
        criteria=Criteria(narrative="Pass the final project."),
    )
    document = AchievementCredential.award(achievement, recipient="did:example:ada").to_json()
    document.update(issuer="https://badges.example.edu", validFrom="2025-01-01T00:00:00Z")
    document.update(extra)
    return document


def _write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_clean_credential(cli: Any, tmp_path: Path) -> None:
    run = cli("validate", _write(tmp_path / "c.json", _credential()))
    assert (run.code, run.out) == (0, f"{tmp_path / 'c.json'}: no problems found\n")


def test_model_problems_with_paths(cli: Any, tmp_path: Path) -> None:
    document = _credential()
    document["credentialSubject"]["achievement"]["name"] = 7
    document["credentialSubject"]["achievement"]["achievementType"] = "Trophy"
    run = cli("validate", "--json", _write(tmp_path / "c.json", document))
    assert run.code == 1
    problems = {(p["kind"], p["path"], p["code"]) for p in run.json()["problems"]}
    assert problems == {
        ("model", "/credentialSubject/achievement/name", "model_invalid"),
        ("model", "/credentialSubject/achievement/achievementType", "model_invalid"),
    }
    human = cli("validate", tmp_path / "c.json")
    assert human.code == 1
    assert "model model_invalid /credentialSubject/achievement/name: " in human.out


def test_schema_problems_need_the_schema_dir(cli: Any, tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    _write(
        schemas / "short.json",
        {
            "$schema": "https://json-schema.org/draft/2019-09/schema",
            "$id": SCHEMA_URL,
            "properties": {"name": {"maxLength": 5}},
        },
    )
    entry = [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}]
    document = _credential(credentialSchema=entry)
    document["@context"].append("https://purl.imsglobal.org/spec/ob/v3p0/extensions.json")
    path = _write(tmp_path / "c.json", document)

    unseeded = cli("validate", "--json", path)
    # Not a problem (nothing says the credential breaks it), but not checked either: exit 2.
    assert unseeded.code == 2
    assert unseeded.json()["problems"] == []
    assert unseeded.json()["valid"] is False
    assert [(p["path"], p["code"]) for p in unseeded.json()["unchecked"]] == [
        ("/credentialSchema/0", "schema_unavailable")
    ]
    seeded = cli("validate", "--json", "--schema-dir", schemas, path)
    assert seeded.code == 1
    assert [(p["kind"], p["path"], p["code"]) for p in seeded.json()["problems"]] == [
        ("schema", "/name", "schema_invalid")
    ]


def test_usage_and_input_errors(cli: Any, tmp_path: Path) -> None:
    assert cli("validate", tmp_path / "missing.json").code == 66
    assert cli("validate", _write(tmp_path / "a.json", [1])).code == 65
    assert cli("validate", "--schema-dir", tmp_path / "nope", tmp_path / "a.json").code == 66
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "bad.json").write_text("{", encoding="utf-8")
    good = _write(tmp_path / "c.json", _credential())
    assert cli("validate", "--schema-dir", tmp_path / "s", good).code == 65
    assert cli("validate").code == 64
