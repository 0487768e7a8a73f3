"""JSON Schema validation of credentialSchema entries: cache, transport, corpus agreement."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from vcbadge.errors import InputError, NetworkError, SchemaError
from vcbadge.protocols import Response
from vcbadge.schema import SchemaCache, SchemaUnavailable, SchemaValidator, validate_against

SCHEMA_URL = "https://schemas.example.org/badge.json"
SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": SCHEMA_URL,
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "credentialSubject": {"$ref": "https://schemas.example.org/subject.json"},
    },
}
SUBJECT: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": "https://schemas.example.org/subject.json",
    "type": "object",
    "properties": {"credits": {"type": "number"}},
}


def _credential(**members: Any) -> dict[str, Any]:
    return {
        "name": "A badge",
        "credentialSubject": {"credits": 3},
        "credentialSchema": [{"id": SCHEMA_URL, "type": "1EdTechJsonSchemaValidator2019"}],
        **members,
    }


class RecordingTransport:
    """A ``vcbadge.protocols.Transport`` serving fixed bytes; records every URL asked for."""

    def __init__(self, documents: dict[str, bytes]) -> None:
        self.documents = documents
        self.asked: list[str] = []

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        self.asked.append(url)
        assert "application/schema+json" in accept
        if url not in self.documents:
            raise NetworkError(f"404 for {url}")
        headers = {"content-type": "application/schema+json"}
        return Response(url, 200, headers, self.documents[url])


def test_valid_with_refs_from_the_cache() -> None:
    validator = SchemaValidator(SchemaCache([SCHEMA, SUBJECT]))
    [result] = validator.check(_credential())
    assert (result.status, result.path, result.schema_id) == (
        "valid",
        "/credentialSchema/0",
        SCHEMA_URL,
    )


def test_failure_has_the_instance_path() -> None:
    validator = SchemaValidator(SchemaCache([SCHEMA, SUBJECT]))
    [result] = validator.check(_credential(credentialSubject={"credits": "three"}))
    assert result.status == "invalid"
    assert [issue.path for issue in result.issues] == ["/credentialSubject/credits"]
    assert all(issue.code == "schema_invalid" for issue in result.issues)
    with pytest.raises(SchemaError) as raised:
        validator.ensure_valid(_credential(credentialSubject={"credits": "three"}))
    assert raised.value.code == "schema_invalid"
    assert raised.value.path == "/credentialSubject/credits"
    assert isinstance(raised.value, InputError)


def test_unknown_schema_is_unavailable_and_nothing_is_fetched() -> None:
    transport = RecordingTransport({SCHEMA_URL: json.dumps(SCHEMA).encode()})
    validator = SchemaValidator(SchemaCache(transport=transport))  # network not allowed
    [result] = validator.check(_credential())
    assert result.status == "unavailable"
    assert "not in the schema cache" in result.message
    assert transport.asked == []


def test_missing_ref_is_unavailable_not_valid() -> None:
    [result] = SchemaValidator(SchemaCache([SCHEMA])).check(_credential())
    assert result.status == "unavailable"


def test_transport_is_used_only_when_the_network_is_allowed() -> None:
    transport = RecordingTransport(
        {SCHEMA_URL: json.dumps(SCHEMA).encode(), SUBJECT["$id"]: json.dumps(SUBJECT).encode()}
    )
    cache = SchemaCache(transport=transport, allow_network=True)
    [result] = SchemaValidator(cache).check(_credential())
    assert result.status == "valid"
    assert transport.asked == [SCHEMA_URL, SUBJECT["$id"]]
    SchemaValidator(cache).check(_credential())
    assert transport.asked == [SCHEMA_URL, SUBJECT["$id"]]  # cached from then on


def test_failed_fetch_is_unavailable_with_the_reason() -> None:
    cache = SchemaCache(transport=RecordingTransport({}), allow_network=True)
    with pytest.raises(SchemaUnavailable, match="404"):
        cache.get(SCHEMA_URL)


def test_fetched_bytes_are_parsed_strictly() -> None:
    transport = RecordingTransport({SCHEMA_URL: b'{"type": "object", "type": "string"}'})
    cache = SchemaCache(transport=transport, allow_network=True)
    with pytest.raises(SchemaUnavailable, match="duplicate"):
        cache.get(SCHEMA_URL)


def test_unsupported_type_and_missing_id() -> None:
    validator = SchemaValidator(SchemaCache([SCHEMA, SUBJECT]))
    results = validator.check(
        _credential(credentialSchema=[{"id": SCHEMA_URL, "type": "ShaclValidator"}, {"x": 1}])
    )
    assert [r.status for r in results] == ["unsupported", "invalid"]
    assert results[1].issues[0].path == "/credentialSchema/1"


def test_single_entry_path_and_no_entry() -> None:
    validator = SchemaValidator(SchemaCache([SCHEMA, SUBJECT]))
    single = _credential(credentialSchema={"id": SCHEMA_URL, "type": "JsonSchema"})
    assert [r.path for r in validator.check(single)] == ["/credentialSchema"]
    assert validator.check({"name": "x"}) == []


def test_directory_seeding(tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "badge.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    (tmp_path / "subject.json").write_text(json.dumps(SUBJECT), encoding="utf-8")
    (tmp_path / "not-a-schema.json").write_text("[1, 2]", encoding="utf-8")
    cache = SchemaCache.from_directory(tmp_path)
    assert len(cache) == 2
    assert SCHEMA_URL in cache
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.json"):
        SchemaCache.from_directory(tmp_path)


def test_malformed_schema_is_reported() -> None:
    with pytest.raises(SchemaError) as raised:
        validate_against({}, {"type": 5})
    assert raised.value.code == "schema_malformed"


@pytest.mark.reference
@pytest.mark.slow
def test_results_match_the_corpus_observations(reference: Path) -> None:
    """Every OB/CLR example against every schema the corpus measured: same verdict, same number
    of errors (the corpus builder counted jsonschema's top-level errors too)."""
    cache = SchemaCache.from_directory(reference / "schemas")
    validator = SchemaValidator(cache)
    index = json.loads((reference / "schemas" / "index.json").read_text(encoding="utf-8"))
    by_file = {Path(entry["file"]).name: url for url, entry in index["schemas"].items()}
    examples = json.loads((reference / "examples" / "index.json").read_text(encoding="utf-8"))
    compared = 0
    for entry in examples["examples"]:
        observed = (entry.get("observed_by_corpus_builder") or {}).get("json_schema")
        if entry["group"].startswith("vc-data-model") or not observed:
            continue
        document = json.loads((reference / "examples" / entry["file"]).read_text("utf-8"))
        for label, verdict in observed.items():
            url = by_file[label.split(" (")[0].removeprefix("W3C ")]
            issues = validator.validate(document, url)
            counted = re.match(r"invalid\((\d+)\)", verdict)
            expected = int(counted.group(1)) if counted else 0
            assert verdict == "valid" or counted, verdict
            assert len(issues) == expected, (entry["file"], label, [i.path for i in issues])
            compared += 1
    assert compared == 164
