"""vcbadge's bundled JSON Schemas: generated, complete, and equivalent to the published ones.

Equivalence means: for every document tried, validating with the bundled schema and with the
published schema (from the shared reference corpus, draft 2019-09 / 2020-12 as each declares)
gives the same verdict, valid or invalid. The documents tried are every corpus example (the
OB 3.0 / CLR 2.0 specification and implementation-guide examples, the 1EdTech validator test
files, the W3C VC 2.0 test-suite inputs) against every bundled schema, and variants of the
examples each schema accepts: every member dropped in turn, values of the wrong type, single
values and arrays swapped, unknown members added (exhaustively on a sample, and at random with
hypothesis on all of them).
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import validators
from reference_corpus import reference_root, requires_reference
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT201909
from schema_documents import DROP, node_paths, replaced

from vcbadge.schema import (
    SchemaCache,
    SchemaValidator,
    bundled_schemas,
    load_bundled_schema,
)
from vcbadge.schema.bundled import schemas_directory

ROOT = Path(__file__).resolve().parents[2]
OB = "https://purl.imsglobal.org/spec/ob/v3p0/schema/"
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/schema/"
OB_NAMES = (
    "achievementcredential",
    "endorsementcredential",
    "profile",
    "getopenbadgecredentialsresponse",
    "imsx_statusinfo",
)
CLR_NAMES = (
    "clrcredential",
    "achievementcredential",
    "endorsementcredential",
    "profile",
    "getclrcredentialsresponse",
    "imsx_statusinfo",
)
PUBLISHED_URLS = (
    *(f"{OB}json/ob_v3p0_{name}_schema.json" for name in OB_NAMES),
    *(f"{CLR}json/clr_v2p0_{name}_schema.json" for name in CLR_NAMES),
    "https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json",
    "https://www.w3.org/2022/credentials/v2/verifiable-presentation-schema.json",
)
JSON_LD_ALIASES = {
    f"{OB}json-ld/ob_v3p0_{name}_schema.json": f"{OB}json/ob_v3p0_{name}_schema.json"
    for name in OB_NAMES
}

Validate = Callable[[Any], bool]


def _generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_schemas.py"
    spec = importlib.util.spec_from_file_location("vcbadge_generate_schemas", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def _compiled(schemas: Mapping[str, Mapping[str, Any]]) -> dict[str, Validate]:
    """One ``is_valid`` per URL, references resolved among ``schemas`` only."""
    registry: Registry[Any] = Registry().with_resources(
        (url, Resource.from_contents(schema, default_specification=DRAFT201909))
        for url, schema in schemas.items()
    )
    registry = registry.crawl()
    compiled: dict[str, Validate] = {}
    for url, schema in schemas.items():
        cls = validators.validator_for(schema, default=validators.Draft201909Validator)
        compiled[url] = cls(schema, registry=registry).is_valid
    return compiled


@cache
def _pairs() -> dict[str, tuple[Validate, Validate]]:
    """URL -> (bundled is_valid, published is_valid) for every published URL."""
    root = reference_root()
    assert root is not None
    index = json.loads((root / "schemas" / "index.json").read_text(encoding="utf-8"))
    published = {
        url: json.loads((root / "schemas" / entry["file"]).read_text(encoding="utf-8"))
        for url, entry in index["schemas"].items()
    }
    ours = _compiled(dict(SchemaCache.bundled().items()))
    theirs = _compiled(published)
    return {url: (ours[url], theirs[url]) for url in PUBLISHED_URLS}


def _jwt_payloads(text: str) -> Iterator[Any]:
    payload = text.strip().split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    yield claims
    if isinstance(claims, dict) and "vc" in claims:
        yield claims["vc"]


@cache
def _examples() -> tuple[tuple[str, Any], ...]:
    """(label, document) for every corpus example (VC-JWT: the payload and its ``vc``)."""
    root = reference_root()
    assert root is not None
    index = json.loads((root / "examples" / "index.json").read_text(encoding="utf-8"))
    found: list[tuple[str, Any]] = []
    for entry in index["examples"]:
        text = (root / "examples" / entry["file"]).read_text(encoding="utf-8")
        if entry["file"].endswith(".jwt"):
            found.extend((f"{entry['file']}#{n}", doc) for n, doc in enumerate(_jwt_payloads(text)))
        else:
            found.append((entry["file"], json.loads(text)))
    return tuple(found)


def _seeds() -> tuple[tuple[str, Any], ...]:
    """Documents written here for the schemas no corpus example is valid against (the API
    responses), built around corpus credentials."""
    examples = dict(_examples())
    badge = examples["1edtech-validator/ob30/simple.json"]
    clr = examples["1edtech-validator/clr20/simple.json"]
    jws = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    status = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": "The request could not be processed.",
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "limit", "imsx_codeMinorFieldValue": "invalid_data"}
            ]
        },
    }
    return (
        ("seed:ob-response", {"credential": [badge], "compactJwsString": [jws]}),
        ("seed:clr-response", {"credential": clr, "compactJwsString": jws}),
        ("seed:status-info", status),
    )


@cache
def _accepted() -> tuple[tuple[str, str, Any], ...]:
    """(url, label, document): every example (or seed) a published schema accepts."""
    return tuple(
        (url, label, document)
        for label, document in (*_examples(), *_seeds())
        for url, (_, theirs) in _pairs().items()
        if theirs(document)
    )


# --- the bundle itself ---------------------------------------------------------------------


def test_checked_in_files_are_what_the_generator_builds() -> None:
    wanted = _generator().build()
    folder = ROOT / "schemas"
    present = {path.name for path in folder.iterdir() if path.is_file()}
    assert present == set(wanted), "run: python scripts/generate_schemas.py"
    for name, data in wanted.items():
        assert (folder / name).read_bytes() == data, f"schemas/{name} is stale: regenerate it"


def test_every_published_url_is_served() -> None:
    served = bundled_schemas()
    assert set(served) == set(PUBLISHED_URLS) | set(JSON_LD_ALIASES)
    for alias, primary in JSON_LD_ALIASES.items():
        assert served[alias].alias_of == primary
        assert load_bundled_schema(alias) == load_bundled_schema(primary)
    for url in PUBLISHED_URLS:
        schema = load_bundled_schema(url)
        assert schema["$id"] == url
        data = (ROOT / "schemas" / served[url].file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == served[url].sha256


def test_checkout_folder_is_found() -> None:
    """An installed wheel's ``vcbadge/_schemas`` if there is one, else the checkout's folder."""
    packaged = resources.files("vcbadge") / "_schemas"
    expected = packaged if packaged.is_dir() else ROOT / "schemas"
    assert str(schemas_directory()) == str(expected)
    assert (schemas_directory() / "manifest.json").is_file()


@pytest.mark.parametrize("url", PUBLISHED_URLS)
def test_bundled_schemas_are_valid_json_schemas(url: str) -> None:
    schema = load_bundled_schema(url)
    cls = validators.validator_for(schema)
    assert cls in (validators.Draft201909Validator, validators.Draft202012Validator)
    cls.check_schema(schema)


def test_unknown_url_is_not_bundled() -> None:
    with pytest.raises(LookupError, match="bundles no JSON Schema"):
        load_bundled_schema(f"{OB}json/ob_v3p0_achievementcredential-jsonschema1.json")


@pytest.mark.reference
@requires_reference
def test_bundled_files_are_not_the_published_files(reference: Path) -> None:
    index = json.loads((reference / "schemas" / "index.json").read_text(encoding="utf-8"))
    published = {entry["sha256"] for entry in index["schemas"].values()}
    for path in (ROOT / "schemas").glob("*.json"):
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in published, path.name


# --- same verdicts as the published schemas --------------------------------------------------


@pytest.mark.reference
@requires_reference
def test_every_example_gets_the_published_verdict() -> None:
    compared = accepted = 0
    disagreements = []
    for label, document in _examples():
        for url, (ours, theirs) in _pairs().items():
            expected = theirs(document)
            if ours(document) != expected:
                disagreements.append((label, url, expected))
            compared += 1
            accepted += expected
    assert disagreements == []
    # 183 examples; each of the 3 VC-JWTs gives its payload and its ``vc`` claim.
    assert compared == 186 * len(PUBLISHED_URLS)
    assert 100 < accepted < compared  # both verdicts are exercised


_WRONG_VALUES: tuple[Any, ...] = (7, 2.5, True, None, "text", {}, [], {"en": "text"}, ["text"])
_SHAPES: tuple[Callable[[Any], Any], ...] = (
    lambda value: DROP,
    lambda value: [value],
    lambda value: value[0] if isinstance(value, list) and value else [],
    lambda value: {**value, "unexpectedMember": 1} if isinstance(value, dict) else value,
    lambda value: value + "ext:x" if isinstance(value, str) else value,
    lambda value: "Image" if isinstance(value, str) else value,
    lambda value: value.upper() if isinstance(value, str) else value,
)


def _mutations(document: Any) -> Iterator[Any]:
    """Each node dropped, plus one other change per node (taken in turn from the list, so
    every kind of change is applied somewhere): a few per node keeps this affordable."""
    changes = [*_SHAPES[1:], *(_set_to(new) for new in _WRONG_VALUES)]
    for number, path in enumerate(node_paths(document)):
        if path:
            yield replaced(document, path, _SHAPES[0])
        yield replaced(document, path, changes[number % len(changes)])


@pytest.mark.reference
@requires_reference
@pytest.mark.parametrize("url", PUBLISHED_URLS)
@pytest.mark.slow
def test_mutations_of_accepted_examples_get_the_published_verdict(url: str) -> None:
    """On the largest example (or seed) of at most 160 nodes that each schema accepts (the
    largest reach the most classes; bigger ones cost too much here and are sampled at random
    below)."""
    ours, theirs = _pairs()[url]
    candidates = [
        (len(list(node_paths(doc))), label, doc) for u, label, doc in _accepted() if u == url
    ]
    candidates = [item for item in candidates if item[0] <= 160]
    assert candidates, f"no example or seed is valid against {url}"
    _, label, document = max(candidates, key=lambda item: (item[0], item[1]))
    tried = 0
    for mutated in _mutations(document):
        assert ours(mutated) == theirs(mutated), (label, json.dumps(mutated)[:2000])
        tried += 1
    assert tried > 10


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)
_MEMBER_NAMES = st.sampled_from(
    ["id", "type", "name", "description", "achievement", "@context", "en", "fr-CA", "x"]
) | st.text(max_size=8)


def _set_to(value: Any) -> Callable[[Any], Any]:
    return lambda _old: value


def _with_member(name: str, value: Any) -> Callable[[Any], Any]:
    return lambda old: {**old, name: value} if isinstance(old, dict) else old


@pytest.mark.reference
@requires_reference
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.slow
def test_random_variants_get_the_published_verdict(data: st.DataObject) -> None:
    accepted = _accepted()
    url, label, document = accepted[data.draw(st.integers(0, len(accepted) - 1), "example")]
    for _ in range(data.draw(st.integers(1, 3), "edits")):
        paths = list(node_paths(document))
        path = paths[data.draw(st.integers(0, len(paths) - 1), "path")]
        how = data.draw(st.sampled_from(["value", "shape", "member"]), "how")
        if how == "value":
            value = data.draw(_JSON, "value")
            document = replaced(document, path, _set_to(value))
        elif how == "shape" and path:
            document = replaced(document, path, data.draw(st.sampled_from(_SHAPES), "shape"))
        else:
            name, value = data.draw(_MEMBER_NAMES, "name"), data.draw(_JSON, "value")
            document = replaced(document, path, _with_member(name, value))
    ours, theirs = _pairs()[url]
    assert ours(document) == theirs(document), (label, url, json.dumps(document)[:2000])


# --- the validator vcbadge uses ------------------------------------------------------------


@pytest.mark.reference
@requires_reference
def test_spec_examples_are_valid_with_the_bundled_validator(reference: Path) -> None:
    """The spec's complete OpenBadgeCredential and EndorsementCredential validate offline. The
    latter also names an example custom schema (https://state.gov/...), which stays
    ``unavailable``: nothing says whether the credential satisfies it."""
    validator = SchemaValidator.bundled()
    served = bundled_schemas()
    for name in ("complete-openbadgecredential.json", "endorsementcredential.json"):
        document = json.loads((reference / "examples" / "ob-v3p0-spec" / name).read_text("utf-8"))
        results = validator.check(document)
        assert results, name
        for result in results:
            expected = "valid" if result.schema_id in served else "unavailable"
            assert result.status == expected, (name, result)
