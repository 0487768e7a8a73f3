"""Differential tests of the fast canonicalization paths: every document goes through three
Canonicalizers, the compiled walk (vcbadge.jsonld.compiled, the default), pyld's expansion with
the one-pass RDF emitter (vcbadge.jsonld.fast_rdf) and pyld's expansion and node map alone; the
three must agree byte for byte, or raise the same error with the same code and path.

Documents: every JSON-LD object in the reference corpus and in test_vectors/ (as published,
without its proof as signing sees it, and each proof as proof options), plus hypothesis-generated
OB 3.0 credentials and JSON-LD documents with inline contexts built to cross the boundaries of
the emitter's subset (lists, graphs, JSON literals, doubles, language maps, blank node ids,
relative IRIs, undefined terms). CI runs the derandomized profile with ``EXAMPLES`` examples per
generator; set ``VCBADGE_DIFFERENTIAL_EXAMPLES`` to run more.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld
from reference_corpus import reference_root

from vcbadge.errors import VcbadgeError
from vcbadge.jsonld.fast_rdf import dataset_from_expanded
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.protocols import RemoteDocument

EXAMPLES = int(os.environ.get("VCBADGE_DIFFERENTIAL_EXAMPLES", "600"))
_REPO = Path(__file__).resolve().parents[2]
V2 = "https://www.w3.org/ns/credentials/v2"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
V = "https://vocab.example/#"

_LOADER = default_loader()
# One set per mode, shared by every example: warm caches are what production runs with, and
# sharing them is part of what is under test.
_PATHS = {
    safe: (
        Canonicalizer(_LOADER, safe=safe),
        Canonicalizer(_LOADER, safe=safe, compiled_expansion=False),
        Canonicalizer(_LOADER, safe=safe, compiled_expansion=False, one_pass_rdf=False),
    )
    for safe in (True, False)
}


def _outcome(canonicalizer: Canonicalizer, document: Mapping[str, Any]) -> tuple[Any, ...]:
    try:
        return ("canonical", canonicalizer.canonicalize(copy.deepcopy(document)))
    except VcbadgeError as error:
        return ("refused", type(error).__name__, error.code, error.path)


def assert_same(document: Mapping[str, Any]) -> tuple[Any, ...]:
    """Every path, safe and unsafe: the same bytes or the same refusal. Returns the safe one."""
    results = []
    for safe, (compiled, one_pass, node_map) in _PATHS.items():
        expected = _outcome(node_map, document)
        assert _outcome(one_pass, document) == expected, (safe, json.dumps(document)[:2000])
        assert _outcome(compiled, document) == expected, (safe, json.dumps(document)[:2000])
        results.append(expected)
    return results[0]


def takes_compiled_path(document: Mapping[str, Any]) -> bool:
    """Whether the compiled walk canonicalizes ``document`` itself (no pyld fallback)."""
    canonicalizer = _PATHS[True][0]
    return canonicalizer._compiled_canonical(copy.deepcopy(dict(document))) is not None


def _load(url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument:
    remote = _LOADER(url, options)
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(remote["document"])}


def takes_one_pass(document: Mapping[str, Any]) -> bool:
    """Whether the emitter handles ``document`` itself (rather than handing it to pyld)."""
    expanded = jsonld.expand(copy.deepcopy(document), {"documentLoader": _load, "base": None})
    return dataset_from_expanded(expanded) is not None


# -- corpus ---------------------------------------------------------------------------------


def _json_ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "@context" in value:
            yield value
        for member in value.values():
            yield from _json_ld_objects(member)
    elif isinstance(value, list):
        for item in value:
            yield from _json_ld_objects(item)


def _variants(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield document
    if "proof" in document:
        yield {key: value for key, value in document.items() if key != "proof"}
        proofs = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
        for proof in proofs:
            if isinstance(proof, dict):
                options = {k: v for k, v in proof.items() if k != "proofValue"}
                yield {"@context": document["@context"], **options}


def corpus_documents() -> list[dict[str, Any]]:
    roots = [_REPO / "test_vectors"]
    reference = reference_root()
    if reference is not None:
        roots += [reference / "examples", reference / "vectors"]
    seen: set[str] = set()
    documents = []
    for root in roots:
        for path in sorted(root.rglob("*.json")):
            try:
                content = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                continue
            for found in _json_ld_objects(content):
                for variant in _variants(found):
                    key = json.dumps(variant, sort_keys=True)
                    if key not in seen:
                        seen.add(key)
                        documents.append(variant)
    return documents


_CORPUS = corpus_documents()


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    # test_vectors alone has dozens; with the reference corpus, hundreds.
    assert len(_CORPUS) >= (300 if reference_root() is not None else 40), len(_CORPUS)


@pytest.mark.slow
def test_every_corpus_document_canonicalizes_the_same_on_both_paths() -> None:
    outcomes = [assert_same(document) for document in _CORPUS]
    canonical = [o for o in outcomes if o[0] == "canonical"]
    # Most documents use bundled contexts only; the rest are refused the same way on both.
    assert len(canonical) >= len(outcomes) // 3, (len(canonical), len(outcomes))
    one_pass = sum(
        1
        for document, outcome in zip(_CORPUS, outcomes, strict=True)
        if outcome[0] == "canonical" and takes_one_pass(document)
    )
    # The emitter must carry most of what canonicalizes, or the differential run proves little.
    assert one_pass >= len(canonical) // 2, (one_pass, len(canonical))
    compiled = sum(
        1
        for document, outcome in zip(_CORPUS, outcomes, strict=True)
        if outcome[0] == "canonical" and takes_compiled_path(document)
    )
    # Likewise the compiled walk (it leaves out inline contexts, which the corpus has).
    assert compiled >= len(canonical) // 3, (compiled, len(canonical))


def test_credentials_and_proof_options_take_the_one_pass_path() -> None:
    vector = json.loads(
        (_REPO / "test_vectors/canonicalize/credential.json").read_text(encoding="utf-8")
    )
    document = vector["input"]
    assert takes_one_pass(document)
    options = {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": "did:key:z6Mk#z6Mk",
        "proofPurpose": "assertionMethod",
    }
    assert takes_one_pass(options)
    assert takes_compiled_path(document)
    assert takes_compiled_path(options)
    assert assert_same(document)[0] == "canonical"
    assert assert_same(options)[0] == "canonical"


@pytest.mark.parametrize(
    ("member", "one_pass"),
    [
        ({"name": "plain"}, True),
        ({"count": 3}, True),
        ({"flag": True}, True),
        ({"name": {"@value": "hi", "@language": "en"}}, True),
        ({"ratio": 0.5}, False),  # doubles have a canonical form pyld writes
        ({"count": 10**21}, False),  # so do integers from 10^21
        ({"double": 3}, False),  # an integer coerced to xsd:double too
        ({"data": {"a": [1, 2]}}, False),  # JSON literal
        ({"items": ["a", "b"]}, False),  # @list
        ({"claims": {"name": "inner"}}, False),  # @graph container
        ({"@reverse": {"knows": {"@id": "urn:x:9"}}}, False),
        ({"@included": [{"@id": "urn:x:9", "name": "n"}]}, False),
        ({"name": {"@value": "hi", "@direction": "rtl"}}, False),
        ({"knows": {"@id": "_:someone", "name": "n"}}, True),
    ],
)
def test_subset_boundaries(member: dict[str, Any], one_pass: bool) -> None:
    context = {
        "@version": 1.1,
        "name": f"{V}name",
        "count": f"{V}count",
        "flag": f"{V}flag",
        "ratio": f"{V}ratio",
        "double": {"@id": f"{V}double", "@type": "http://www.w3.org/2001/XMLSchema#double"},
        "data": {"@id": f"{V}data", "@type": "@json"},
        "items": {"@id": f"{V}items", "@container": "@list"},
        "claims": {"@id": f"{V}claims", "@container": "@graph"},
        "knows": {"@id": f"{V}knows"},
    }
    document = {"@context": context, "@id": "urn:x:1", **member}
    assert takes_one_pass(document) is one_pass
    assert assert_same(document)[0] == "canonical"


# -- generated OB 3.0 credentials -----------------------------------------------------------

_GOOD_IRIS = st.sampled_from(
    [
        "urn:uuid:1b0d4d35-0f7c-4c8e-9d6b-3b1f0c2a7e55",
        "https://example.edu/achievements/1",
        "did:example:issuer",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        "_:b0",
        "_:issuer",
    ]
)
_BAD_IRIS = st.sampled_from(["relative/path", "https://example.org/a b", "https://e.org/<x>", ""])
# Mostly usable values, so most documents canonicalize and the comparison is of outputs.
_IRIS = st.one_of(*[_GOOD_IRIS] * 9, _BAD_IRIS)
_TEXT = st.one_of(
    st.text(max_size=20),
    st.text(max_size=20),
    st.text(max_size=20),
    st.sampled_from(["\ud800", "line\nbreak", 'quo"te', "back\\slash", "tab\t", "\u2028"]),
)
_SCALARS = st.one_of(
    _TEXT,
    st.integers(min_value=-(10**22), max_value=10**22),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
# Terms the two contexts define (at some level), a few they do not, and keywords.
_ALL_KEYS = st.sampled_from(
    [
        "id",
        "type",
        "name",
        "description",
        "image",
        "narrative",
        "tag",
        "achievementType",
        "validFrom",
        "awardedDate",
        "result",
        "value",
        "alignment",
        "targetUrl",
        "evidence",
        "creditsAvailable",
        "identifier",
        "salt",
        "hashed",
        "bogusTerm",
        "@id",
        "@type",
        "@value",
        "@language",
        "@list",
    ]
)
_DEFINED_KEYS = st.sampled_from(["name", "description", "narrative", "tag", "salt", "hashed"])
_KEYS = st.one_of(_DEFINED_KEYS, _DEFINED_KEYS, _ALL_KEYS)
_ALL_TYPES = st.sampled_from(
    [
        "Achievement",
        "Profile",
        "Image",
        "Criteria",
        "Alignment",
        "Result",
        "IdentityObject",
        "Evidence",
        "UndefinedType",
        "https://example.org/Type",
        "rel/Type",
    ]
)
_TYPES = st.one_of(st.sampled_from(["Achievement", "Image", "Alignment"]), _ALL_TYPES)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(_KEYS, inner | _IRIS | _TYPES.map(lambda t: t), max_size=4)
    ),
    max_leaves=12,
)


_DEFINED_TYPES = st.sampled_from(["Achievement", "Image", "Alignment"])


@st.composite
def ob_credentials(draw: st.DrawFn) -> dict[str, Any]:
    """OB 3.0 credentials; half of them clean (usable IRIs, defined terms and types only), so
    the outputs are compared, the other half with the odd member that must be refused."""
    clean = draw(st.booleans())
    iris = _GOOD_IRIS if clean else _IRIS
    types = _DEFINED_TYPES if clean else _TYPES
    extras = st.just(0) if clean else st.sampled_from([0, 1, 2])

    def node(node_types: list[str], required: dict[str, Any]) -> dict[str, Any]:
        built: dict[str, Any] = {}
        if draw(st.booleans()):
            built["id"] = draw(iris)
        built["type"] = draw(st.sampled_from([node_types, node_types[0]]))
        built.update(required)
        for _ in range(draw(extras)):
            built[draw(_KEYS)] = draw(_JSON)
        return built

    criteria = node(["Criteria"], {"narrative": draw(_TEXT)})
    criteria.pop("type", None)
    achievement_types = draw(st.sampled_from([["Achievement"], ["Achievement", draw(types)]]))
    achievement = node(
        achievement_types,
        {"name": draw(_TEXT), "description": draw(_TEXT), "criteria": criteria},
    )
    if draw(st.booleans()):
        achievement["image"] = {"id": draw(iris), "type": "Image"}
    if draw(st.booleans()):
        achievement["tag"] = draw(st.lists(_TEXT, max_size=3))
    if draw(st.booleans()):
        achievement["creditsAvailable"] = draw(st.sampled_from([1, 2.5, 0, 10**21]))
    subject = node(["AchievementSubject"], {"achievement": achievement})
    issuer: Any = draw(iris) if draw(st.booleans()) else node(["Profile"], {"name": draw(_TEXT)})
    credential = {
        "@context": [V2, OB],
        "id": draw(iris),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": draw(st.sampled_from(["2025-01-01T00:00:00Z", "not a date", "2025-01-01"])),
        "name": draw(_TEXT),
        "credentialSubject": subject,
    }
    for _ in range(draw(extras)):
        credential[draw(_KEYS)] = draw(_JSON)
    return credential


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ob_credentials())
def test_generated_credentials_canonicalize_the_same_on_both_paths(
    credential: dict[str, Any],
) -> None:
    assert_same(credential)


# -- generated JSON-LD with inline contexts -------------------------------------------------

_DEFINITIONS = st.one_of(
    st.just(None),
    st.builds(lambda name: f"{V}{name}", st.sampled_from(["a", "b", "c"])),
    st.builds(
        lambda name, type_, container: {
            "@id": f"{V}{name}",
            **({"@type": type_} if type_ else {}),
            **({"@container": container} if container else {}),
        },
        st.sampled_from(["a", "b", "c", "d"]),
        st.sampled_from(
            [
                None,
                "@id",
                "@vocab",
                "@json",
                "http://www.w3.org/2001/XMLSchema#integer",
                "http://www.w3.org/2001/XMLSchema#double",
                "http://www.w3.org/2001/XMLSchema#dateTime",
            ]
        ),
        st.sampled_from([None, "@set", "@list", "@language", "@index", "@graph", "@id"]),
    ),
)
_TERMS = ["t1", "t2", "t3", "t4"]


@st.composite
def inline_documents(draw: st.DrawFn) -> dict[str, Any]:
    context: dict[str, Any] = {"@version": 1.1, "id": "@id", "type": "@type"}
    for term in _TERMS:
        context[term] = draw(_DEFINITIONS)
    if draw(st.booleans()):
        context["@vocab"] = draw(st.sampled_from([V, "relative/"]))
    if draw(st.booleans()):
        context["@language"] = draw(st.sampled_from(["en", "de-CH"]))
    keys = st.sampled_from([*_TERMS, "id", "type", "undefined", "@id", "@type", "@value"])
    values = st.recursive(
        _SCALARS | _IRIS,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=10,
    )
    document: dict[str, Any] = {"@context": context}
    document.update(draw(st.dictionaries(keys, values, max_size=5)))
    return document


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inline_documents())
def test_generated_json_ld_canonicalizes_the_same_on_both_paths(document: dict[str, Any]) -> None:
    assert_same(document)
