"""SchemaCache / SchemaValidator with the bundle: offline, caller documents, online mode."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from schema_documents import teamwork_badge

from vcbadge.errors import NetworkError
from vcbadge.protocols import Response, Transport
from vcbadge.schema import SchemaCache, SchemaUnavailable, SchemaValidator, bundled_schemas

OB_ACHIEVEMENT = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OB_ACHIEVEMENT_JSON_LD = OB_ACHIEVEMENT.replace("/schema/json/", "/schema/json-ld/")
CUSTOM = "https://schemas.example.org/badge.json"
CUSTOM_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2019-09/schema",
    "$id": CUSTOM,
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "maxLength": 20}},
}


class FakeTransport:
    """Serves fixed documents (``vcbadge.protocols.Transport``); records what was asked."""

    def __init__(self, documents: dict[str, Any], media_type: str = "application/json") -> None:
        self.documents = documents
        self.media_type = media_type
        self.asked: list[str] = []

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        self.asked.append(url)
        if url not in self.documents:
            raise NetworkError(f"404 Not Found: {url}")
        body = json.dumps(self.documents[url]).encode()
        return Response(url, 200, {"content-type": self.media_type}, body)


def test_fake_transport_satisfies_the_protocol() -> None:
    assert isinstance(FakeTransport({}), Transport)


def test_bundled_offline_validates_the_official_schema() -> None:
    validator = SchemaValidator.bundled()
    [result] = validator.check(teamwork_badge(OB_ACHIEVEMENT))
    assert result.status == "valid"
    bad = teamwork_badge(OB_ACHIEVEMENT)
    del bad["credentialSubject"]["achievement"]["criteria"]
    [result] = validator.check(bad)
    assert result.status == "invalid"
    assert result.issues[0].path == "/credentialSubject/achievement"
    assert "criteria" in result.issues[0].message


def test_json_ld_alias_is_served_from_the_bundle() -> None:
    assert bundled_schemas()[OB_ACHIEVEMENT_JSON_LD].alias_of == OB_ACHIEVEMENT
    [result] = SchemaValidator.bundled().check(teamwork_badge(OB_ACHIEVEMENT_JSON_LD))
    assert result.status == "valid"


def test_custom_schema_offline_is_unavailable() -> None:
    [official, custom] = SchemaValidator.bundled().check(teamwork_badge(OB_ACHIEVEMENT, CUSTOM))
    assert (official.status, custom.status) == ("valid", "unavailable")
    assert "bundles no schema" in custom.message


def test_caller_documents_serve_custom_schemas() -> None:
    validator = SchemaValidator.bundled({CUSTOM: CUSTOM_SCHEMA})
    results = validator.check(teamwork_badge(OB_ACHIEVEMENT, CUSTOM, name="x" * 30))
    assert [r.status for r in results] == ["valid", "invalid"]
    assert results[1].issues[0].path == "/name"


def test_caller_documents_go_ahead_of_the_bundle() -> None:
    strict = {"type": "object", "required": ["nickname"]}
    [result] = SchemaValidator.bundled({OB_ACHIEVEMENT: strict}).check(
        teamwork_badge(OB_ACHIEVEMENT)
    )
    assert result.status == "invalid"


def test_with_documents_is_a_new_cache_and_guards_the_bundle() -> None:
    base = SchemaCache.bundled()
    extended = base.with_documents({CUSTOM: CUSTOM_SCHEMA})
    assert CUSTOM in extended
    assert CUSTOM not in base
    assert OB_ACHIEVEMENT in extended
    assert extended.with_documents({CUSTOM: CUSTOM_SCHEMA}) is not extended  # same: allowed
    with pytest.raises(ValueError, match="replace=True"):
        base.with_documents({OB_ACHIEVEMENT: {"type": "object"}})
    replaced = base.with_documents({OB_ACHIEVEMENT: {"type": "object"}}, replace=True)
    assert replaced.get(OB_ACHIEVEMENT) == {"type": "object"}
    assert base.get(OB_ACHIEVEMENT)["$id"] == OB_ACHIEVEMENT


def test_caller_objects_are_copied() -> None:
    schema = json.loads(json.dumps(CUSTOM_SCHEMA))
    cache = SchemaCache.bundled({CUSTOM: schema})
    schema["required"] = ["other"]
    assert cache.get(CUSTOM)["required"] == ["name"]


def test_online_fetches_other_schemas_once_and_never_official_ones() -> None:
    transport = FakeTransport({CUSTOM: CUSTOM_SCHEMA})
    validator = SchemaValidator.bundled(transport=transport)
    for _ in range(2):
        results = validator.check(teamwork_badge(OB_ACHIEVEMENT, OB_ACHIEVEMENT_JSON_LD, CUSTOM))
        assert [r.status for r in results] == ["valid", "valid", "valid"]
    assert transport.asked == [CUSTOM]
    assert validator.cache.online


def test_online_unreachable_schema_is_unavailable_with_the_reason() -> None:
    transport = FakeTransport({})
    [official, custom] = SchemaValidator.bundled(transport=transport).check(
        teamwork_badge(OB_ACHIEVEMENT, CUSTOM)
    )
    assert official.status == "valid"
    assert custom.status == "unavailable"
    assert "404" in custom.message
    assert transport.asked == [CUSTOM]


def test_online_fetched_document_must_be_a_json_object() -> None:
    cache = SchemaCache.bundled(transport=FakeTransport({CUSTOM: [1, 2]}))
    with pytest.raises(SchemaUnavailable, match="not a JSON Schema object"):
        cache.get(CUSTOM)


def test_offline_cache_has_no_transport() -> None:
    cache = SchemaCache.bundled()
    assert not cache.online
    assert len(cache) == len(bundled_schemas())
    assert "offline" in repr(cache)


def test_failures_inside_alternatives_name_the_deepest_path() -> None:
    """A value-or-array, string-or-language-map member reports the failure inside the form
    that fits the value, not just "not valid under any of the given schemas"."""
    document = teamwork_badge(OB_ACHIEVEMENT, type=["VerifiableCredential"])
    document["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetUrl": "https://example.org/frameworks/1"}
    ]
    document["credentialSubject"]["achievement"]["image"] = {
        "id": "https://example.org/badge.png",
        "type": "Picture",
    }
    [result] = SchemaValidator.bundled().check(document)
    found = {issue.path: issue.message for issue in result.issues}
    assert set(found) == {
        "/type",
        "/credentialSubject/achievement/alignment/0",
        "/credentialSubject/achievement/image/type",
    }
    assert "'contains'" in found["/type"]
    assert (
        "'targetName' is a required property" in found["/credentialSubject/achievement/alignment/0"]
    )
    assert "'Image' was expected" in found["/credentialSubject/achievement/image/type"]
