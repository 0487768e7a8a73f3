"""The compiled schema check (vcbadge.schema.compiled) against jsonschema itself.

The compiled check may only ever confirm validity: ``accepts`` must never be ``True`` for a
document jsonschema's draft 2019-09 validator fails (a false accept would sign or pass a
credential every other validator refuses). On vcbadge's bundled schemas it must also agree
the other way (else the fast path would be dead weight). Checked on: every bundled schema against
generated credentials and their mutations; the reference corpus examples and random variants
of them; hypothesis-generated schemas of every compiled keyword against generated instances; and
each keyword's edge cases one by one.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import validators
from reference_corpus import reference_root, requires_reference
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT201909
from schema_documents import DROP, node_paths, replaced, teamwork_badge

from vcbadge.schema import SchemaCache, SchemaUnavailable, SchemaValidator
from vcbadge.schema.compiled import CompiledSchema

DRAFT = "https://json-schema.org/draft/2019-09/schema"
OB_CREDENTIAL = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


def _registry(schemas: dict[str, Any]) -> Registry[Any]:
    registry: Registry[Any] = Registry().with_resources(
        (url, Resource.from_contents(schema, default_specification=DRAFT201909))
        for url, schema in schemas.items()
    )
    return registry.crawl()


def _both(
    schema: Any, others: dict[str, Any] | None = None
) -> tuple[CompiledSchema | None, Callable[[Any], bool]]:
    """(the compiled check, jsonschema's is_valid) for ``schema``, references among
    ``others``, as SchemaValidator builds them."""
    registry = _registry(others or {})
    cls = validators.validator_for(schema, default=validators.Draft201909Validator)
    return CompiledSchema.compile(schema, registry), cls(schema, registry=registry).is_valid


def _agrees(compiled: CompiledSchema | None, is_valid: Callable[[Any], bool], doc: Any) -> None:
    assert compiled is not None
    assert compiled.accepts(doc) == is_valid(doc), json.dumps(doc, default=repr)[:2000]


@pytest.fixture(scope="module")
def bundled() -> dict[str, tuple[CompiledSchema | None, Callable[[Any], bool]]]:
    schemas = dict(SchemaCache.bundled().items())
    registry = _registry(schemas)
    pairs = {}
    for url, schema in schemas.items():
        cls = validators.validator_for(schema, default=validators.Draft201909Validator)
        pairs[url] = (
            CompiledSchema.compile(schema, registry),
            cls(schema, registry=registry).is_valid,
        )
    return pairs


# --- vcbadge's bundled schemas ---------------------------------------------------------------


def test_every_draft_2019_09_bundled_schema_compiles(
    bundled: dict[str, tuple[CompiledSchema | None, Callable[[Any], bool]]],
) -> None:
    """The OB 3.0 and CLR 2.0 schemas (draft 2019-09) compile; the W3C ones (2020-12) are
    left to jsonschema."""
    for url, (compiled, _) in bundled.items():
        assert (compiled is not None) == ("w3.org" not in url), url


_CHANGES: tuple[Callable[[Any], Any], ...] = (
    lambda value: DROP,
    lambda value: [value],
    lambda value: value[0] if isinstance(value, list) and value else [],
    lambda value: {**value, "unexpectedMember": 1} if isinstance(value, dict) else value,
    lambda value: value + "x" if isinstance(value, str) else value,
    lambda value: "" if isinstance(value, str) else value,
    lambda value: 7,
    lambda value: 7.0,
    lambda value: True,
    lambda value: None,
    lambda value: {},
    lambda value: [],
    lambda value: {"en": "text"},
)


def _credentials() -> list[dict[str, Any]]:
    """OB 3.0 credentials that satisfy the official schema, as vcbadge issues them."""
    badge = teamwork_badge(OB_CREDENTIAL)
    fuller = teamwork_badge(
        validUntil="2030-01-01T00:00:00Z",
        description="A badge for teamwork.",
        image={"id": "https://example.edu/badge.png", "type": "Image"},
        evidence=[{"id": "https://example.edu/evidence/1", "type": ["Evidence"]}],
        credentialStatus={
            "id": "https://example.edu/status/1#3",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "3",
            "statusListCredential": "https://example.edu/status/1",
        },
    )
    fuller["credentialSubject"]["achievement"]["tag"] = ["team", "work"]
    fuller["credentialSubject"]["identifier"] = [
        {
            "type": "IdentityObject",
            "identityHash": "sha256$abc",
            "identityType": "emailAddress",
            "hashed": True,
            "salt": "s",
        }
    ]
    return [badge, fuller]


@pytest.mark.slow
def test_bundled_credentials_and_every_mutation_agree(
    bundled: dict[str, tuple[CompiledSchema | None, Callable[[Any], bool]]],
) -> None:
    """Each node of each credential dropped and changed in every way, against every bundled
    schema that compiles: the verdicts are jsonschema's, and both verdicts occur."""
    verdicts: set[bool] = set()
    tried = 0
    for document in _credentials():
        assert bundled[OB_CREDENTIAL][1](document)
        for path in node_paths(document):
            for change in _CHANGES:
                mutated = replaced(document, path, change)
                for compiled, is_valid in bundled.values():
                    if compiled is None:
                        continue
                    _agrees(compiled, is_valid, mutated)
                    verdicts.add(is_valid(mutated))
                    tried += 1
    assert verdicts == {True, False}
    assert tried > 5000


def _examples() -> list[Any]:
    root = reference_root()
    assert root is not None
    index = json.loads((root / "examples" / "index.json").read_text(encoding="utf-8"))
    found = []
    for entry in index["examples"]:
        if entry["file"].endswith(".json"):
            found.append(json.loads((root / "examples" / entry["file"]).read_text("utf-8")))
    return found


@pytest.mark.reference
@requires_reference
def test_every_reference_example_agrees(
    bundled: dict[str, tuple[CompiledSchema | None, Callable[[Any], bool]]],
) -> None:
    accepted = 0
    for document in _examples():
        for compiled, is_valid in bundled.values():
            if compiled is not None:
                _agrees(compiled, is_valid, document)
                accepted += is_valid(document)
    assert accepted > 20


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@pytest.mark.reference
@requires_reference
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_variants_of_reference_examples_agree(
    bundled: dict[str, tuple[CompiledSchema | None, Callable[[Any], bool]]],
    data: st.DataObject,
) -> None:
    examples = [*_examples(), *_credentials()]
    document = examples[data.draw(st.integers(0, len(examples) - 1), "example")]
    for _ in range(data.draw(st.integers(1, 3), "edits")):
        paths = list(node_paths(document))
        path = paths[data.draw(st.integers(0, len(paths) - 1), "path")]
        if data.draw(st.booleans(), "replace"):
            value = data.draw(_JSON, "value")
            document = replaced(document, path, lambda _old, value=value: value)
        else:
            document = replaced(document, path, data.draw(st.sampled_from(_CHANGES), "change"))
    for compiled, is_valid in bundled.values():
        if compiled is not None:
            _agrees(compiled, is_valid, document)


# --- generated schemas: never a false accept -------------------------------------------------

_NAMES = st.sampled_from(["a", "b", "id", "type", "x-1"])
_PATTERNS = st.sampled_from(["^a", "b$", "^[a-z]+$", "\\d", "^$", "é"])
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from([1.0, 2.5])
    | st.text(alphabet="abé1", max_size=3)
)


def _leaf_keywords() -> st.SearchStrategy[dict[str, Any]]:
    types = st.sampled_from(["string", "object", "array", "boolean", "null", "integer", "number"])
    return st.fixed_dictionaries(
        {},
        optional={
            "type": types | st.lists(types, min_size=1, max_size=3),
            "const": st.text(alphabet="ab", max_size=2),
            "enum": st.lists(st.text(alphabet="ab", max_size=2), min_size=1, max_size=3),
            "pattern": _PATTERNS,
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(0, 3),
            "minItems": st.integers(0, 3),
            "maxItems": st.integers(0, 3),
            "minProperties": st.integers(0, 2),
            "maxProperties": st.integers(0, 2),
            "required": st.lists(_NAMES, max_size=2),
            "uniqueItems": st.booleans(),
            "format": st.sampled_from(["uri", "date-time"]),
            "title": st.text(max_size=3),
        },
    )


def _with_children(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.builds(
        lambda leaf, nested: {**leaf, **nested},
        _leaf_keywords(),
        st.fixed_dictionaries(
            {},
            optional={
                "properties": st.dictionaries(_NAMES, children, max_size=3),
                "patternProperties": st.dictionaries(_PATTERNS, children, max_size=2),
                "additionalProperties": st.booleans() | children,
                "propertyNames": children,
                "items": children | st.lists(children, max_size=3),
                "additionalItems": st.booleans() | children,
                "contains": children,
                "anyOf": st.lists(children, min_size=1, max_size=3),
                "allOf": st.lists(children, min_size=1, max_size=3),
                "$ref": st.sampled_from(["#/$defs/node", "#/$defs/text", "#"]),
            },
        ),
    )


_SCHEMAS = st.recursive(
    st.booleans() | _leaf_keywords(),
    _with_children,
    max_leaves=8,
)
_INSTANCES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_NAMES, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schema=_SCHEMAS, definitions=st.tuples(_SCHEMAS, _SCHEMAS), data=st.data())
def test_generated_schemas_never_accept_what_jsonschema_refuses(
    schema: Any, definitions: tuple[Any, Any], data: st.DataObject
) -> None:
    """Every compiled keyword, nested and referenced (a cycle through ``#`` included), on
    generated instances: ``accepts`` implies jsonschema's is_valid, and (only strings decided
    for ``uniqueItems``) the converse too."""
    if isinstance(schema, dict):
        schema = {
            **schema,
            "$schema": DRAFT,
            "$defs": dict(zip(("node", "text"), definitions, strict=True)),
        }
    compiled, is_valid = _both(schema)
    if compiled is None:
        # additionalItems beside a boolean items (jsonschema fails on it), or a $ref cycle
        # that never moves into the instance (jsonschema recurses until Python stops it).
        text = json.dumps(schema)
        assert "additionalItems" in text or "$ref" in text, schema
        return
    for _ in range(5):
        instance = data.draw(_INSTANCES, "instance")
        expected = is_valid(instance)
        got = compiled.accepts(instance)
        assert not got or expected, (schema, instance)
        if expected and not got:
            assert "uniqueItems" in json.dumps(schema), (schema, instance)


# --- keyword by keyword ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("schema", "valid", "invalid"),
    [
        ({"type": "integer"}, [1, 1.0, -3], [True, 1.5, "1", None]),
        ({"type": "number"}, [1, 2.5], [False, "2"]),
        ({"type": ["string", "null"]}, ["", None], [0, []]),
        ({"const": "a"}, ["a"], ["b", ["a"], None]),
        ({"enum": ["a", "b"]}, ["a", "b"], ["c", ["a"], 1]),
        ({"pattern": "^a"}, ["ab", 3, None], ["ba"]),
        ({"minLength": 2}, ["éé", 1], ["é"]),
        ({"maxItems": 1}, [[1], "xy"], [[1, 2]]),
        ({"minProperties": 1}, [{"a": 1}, []], [{}]),
        ({"required": ["a"]}, [{"a": None}, "a"], [{"b": 1}]),
        (
            {"properties": {"a": {"type": "string"}}, "additionalProperties": False},
            [{"a": "x"}, {}],
            [{"a": 1}, {"b": 1}],
        ),
        (
            {"patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": False},
            [{"x-a": "v"}],
            [{"x-a": 1}, {"y": "v"}],
        ),
        ({"propertyNames": {"pattern": "^[a-z]+$"}}, [{"ab": 1}], [{"a1": 1}]),
        ({"items": [{"type": "string"}], "additionalItems": False}, [["a"], []], [["a", "b"]]),
        ({"items": [{"type": "string"}], "additionalItems": {"type": "null"}}, [["a", None]], []),
        ({"items": {"type": "string"}, "additionalItems": False}, [["a", "b"]], [[1]]),
        ({"contains": {"const": "a"}}, [["b", "a"], "a"], [[], ["b"]]),
        ({"uniqueItems": True}, [["a", "b"], []], [["a", "a"]]),
        ({"anyOf": [{"type": "string"}, {"type": "array"}]}, ["", []], [1]),
        ({"allOf": [{"minLength": 1}, {"maxLength": 1}]}, ["a"], ["", "ab"]),
        ({"format": "date-time"}, ["not a date"], []),  # an annotation: no format checker
        ({"unknownKeyword": 1}, [1], []),
        (False, [], [1, None]),
    ],
)
def test_keyword_agrees_with_jsonschema(schema: Any, valid: list[Any], invalid: list[Any]) -> None:
    compiled, is_valid = _both(schema)
    assert compiled is not None
    for instance in valid:
        assert is_valid(instance), instance
        assert compiled.accepts(instance), instance
    for instance in invalid:
        assert not is_valid(instance), instance
        assert not compiled.accepts(instance), instance


def test_unique_items_beyond_strings_is_left_to_jsonschema() -> None:
    """Not decided here (True vs 1, nested lists): "not certain", jsonschema decides."""
    compiled, is_valid = _both({"uniqueItems": True})
    assert compiled is not None
    for instance in ([1, True], [[1], [1]], [{"a": 1}, {"a": 2}]):
        assert not compiled.accepts(instance)
    assert is_valid([1, True])
    assert not is_valid([[1], [1]])


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}]},
        {"not": {"type": "string"}},
        {"if": {"type": "string"}, "then": {"minLength": 1}},
        {"minimum": 1},
        {"contains": {"type": "string"}, "maxContains": 1},
        {"const": 1},
        {"enum": ["a", 1]},
        {"$recursiveRef": "#"},
        {"dependentRequired": {"a": ["b"]}},
        {"type": "whatever"},
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string"},
        {"$schema": DRAFT, "properties": {"a": {"$id": "https://elsewhere.example/a"}}},
        {"properties": {"a": {"$schema": "http://json-schema.org/draft-07/schema#"}}},
        {"pattern": "("},
    ],
)
def test_what_is_not_compiled_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert CompiledSchema.compile(schema, Registry()) is None


def test_an_unsupported_schema_behind_a_reference_is_not_compiled() -> None:
    other = {"$schema": DRAFT, "$id": "https://x.example/other.json", "oneOf": [{}]}
    schema = {"$schema": DRAFT, "$id": "https://x.example/root.json", "$ref": "other.json"}
    compiled, is_valid = _both(schema, {"https://x.example/other.json": other})
    assert compiled is None
    assert is_valid("anything")


def test_a_reference_cycle_at_the_same_instance_is_not_compiled() -> None:
    """jsonschema follows it until RecursionError, even behind a failed keyword of an anyOf
    branch, where the compiled check would have moved on to the next branch."""
    schema = {"$schema": DRAFT, "anyOf": [{"type": "null", "$ref": "#"}, {}]}
    assert CompiledSchema.compile(schema, Registry()) is None
    _, is_valid = _both(schema)
    with pytest.raises(RecursionError):
        is_valid("x")
    through_a_member = {"$schema": DRAFT, "properties": {"next": {"$ref": "#"}}}
    assert CompiledSchema.compile(through_a_member, Registry()) is not None


def test_references_across_documents_and_cycles() -> None:
    node = {
        "$schema": DRAFT,
        "$id": "https://x.example/node.json",
        "type": "object",
        "properties": {
            "name": {"$ref": "text.json#/$defs/short"},
            "children": {"type": "array", "items": {"$ref": "#"}},
        },
        "required": ["name"],
    }
    text = {
        "$schema": DRAFT,
        "$id": "https://x.example/text.json",
        "$defs": {"short": {"maxLength": 3}},
    }
    compiled, is_valid = _both(node, {node["$id"]: node, text["$id"]: text})
    tree = {"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}
    _agrees(compiled, is_valid, tree)
    assert is_valid(tree)
    deep_bad = {"name": "a", "children": [{"name": "b", "children": [{"name": "long"}]}]}
    _agrees(compiled, is_valid, deep_bad)
    _agrees(compiled, is_valid, {"name": "a", "children": [{}]})


def test_an_unresolvable_reference_is_not_compiled() -> None:
    """jsonschema raises where it meets it, even in an anyOf branch that already failed (it
    collects every error of a branch): the compiled check, which leaves a branch at its first
    failure, could not say the same."""
    schema = {
        "$schema": DRAFT,
        "anyOf": [
            {"type": "string", "properties": {"a": {"$ref": "https://nowhere.example/s.json"}}},
            {"type": "object"},
        ],
    }
    assert CompiledSchema.compile(schema, Registry()) is None
    _, is_valid = _both(schema)
    with pytest.raises(Unresolvable):
        is_valid({"a": 1})


@pytest.mark.parametrize(
    "schema",
    [
        {"patternProperties": {"^a": {"type": "string"}}},
        {"properties": {"b": {}}, "patternProperties": {"^a": {}}, "additionalProperties": False},
    ],
)
def test_a_key_that_is_not_a_string_is_left_to_jsonschema(schema: dict[str, Any]) -> None:
    """jsonschema matches keys with re.search, which raises on an integer key; the compiled
    check does not answer for such a document, wherever the key is."""
    wrapped = {"anyOf": [{"type": "string", "properties": {"x": schema}}, {"type": "object"}]}
    compiled, is_valid = _both(wrapped)
    assert compiled is not None
    document = {"x": {1: "v"}}
    assert not compiled.accepts(document)
    with pytest.raises(TypeError):
        is_valid(document)
    assert compiled.accepts({"x": {"a": "v"}})


# --- SchemaValidator uses it, with the same verdicts -------------------------------------------


def test_validator_reuses_what_it_built_and_rebuilds_when_the_cache_changes() -> None:
    validator = SchemaValidator.bundled()
    badge = teamwork_badge(OB_CREDENTIAL)
    assert validator.validate(badge, OB_CREDENTIAL) == []
    first = validator._prepared[OB_CREDENTIAL]
    assert first.compiled is not None
    assert validator.validate(badge, OB_CREDENTIAL) == []
    assert validator._prepared[OB_CREDENTIAL] is first
    validator.cache.add({"$id": "https://x.example/s.json", "type": "object"})
    assert validator.validate(badge, OB_CREDENTIAL) == []
    assert validator._prepared[OB_CREDENTIAL] is not first


def test_validator_issues_are_jsonschemas_when_the_compiled_check_refuses() -> None:
    validator = SchemaValidator.bundled()
    bad = teamwork_badge(OB_CREDENTIAL, name=7)
    issues = validator.validate(bad, OB_CREDENTIAL)
    assert [(issue.path, issue.code) for issue in issues] == [("/name", "schema_invalid")]


def test_online_validators_do_not_compile() -> None:
    class NoTransport:
        def get(self, url: str, **options: Any) -> Any:
            raise AssertionError("nothing is fetched here")

    validator = SchemaValidator.bundled(transport=NoTransport())  # type: ignore[arg-type]
    assert validator.validate(teamwork_badge(OB_CREDENTIAL), OB_CREDENTIAL) == []
    assert validator._prepared[OB_CREDENTIAL].compiled is None


def test_an_unresolvable_reference_still_raises_schema_unavailable() -> None:
    url = "https://x.example/broken.json"
    schema = {"$schema": DRAFT, "$id": url, "properties": {"a": {"$ref": "missing.json"}}}
    validator = SchemaValidator(SchemaCache({url: schema}))
    assert validator.validate({"b": 1}, url) == []
    assert validator.validate({"b": 1}, url) == []  # now from the prepared validator
    with pytest.raises(SchemaUnavailable):
        validator.validate({"a": 1}, url)


def test_threads_share_one_validator() -> None:
    validator = SchemaValidator.bundled()
    good = teamwork_badge(OB_CREDENTIAL)
    bad = teamwork_badge(OB_CREDENTIAL, name=7)
    outcomes: list[tuple[int, int]] = []

    def work() -> None:
        for _ in range(20):
            outcomes.append(
                (
                    len(validator.validate(good, OB_CREDENTIAL)),
                    len(validator.validate(bad, OB_CREDENTIAL)),
                )
            )

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(outcomes) == {(0, 1)}
    assert len(outcomes) == 80
