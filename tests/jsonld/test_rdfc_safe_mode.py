"""Safe mode: JSON-LD that would silently lose data is refused, with the JSON path."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest

from vcbadge.errors import (
    CanonicalizationError,
    ContextNotAllowed,
    RelativeIri,
    UndefinedTerm,
)
from vcbadge.jsonld.rdfc import Canonicalizer, canonicalize

V = "https://vocab.example/#"
CTX = "https://contexts.example/badge/v1"
RELATIVE_VOCAB_CTX = "https://contexts.example/relative-vocab/v1"

CONTEXTS: dict[str, Any] = {
    CTX: {
        "@context": {
            "@version": 1.1,
            "@protected": True,
            "id": "@id",
            "type": "@type",
            "Credential": {
                "@id": f"{V}Credential",
                # type-scoped, as in the VC and OB contexts
                "@context": {
                    "@protected": True,
                    "credentialSubject": {"@id": f"{V}credentialSubject"},
                    "issuer": {"@id": f"{V}issuer", "@type": "@id"},
                },
            },
            "Achievement": f"{V}Achievement",
            "achievement": {"@id": f"{V}achievement"},
            "name": f"{V}name",
            "image": {"@id": f"{V}image", "@type": "@id"},
            "ignored": None,
        }
    },
    RELATIVE_VOCAB_CTX: {"@context": {"@vocab": "terms/"}},
}


def inline_loader(url: str, options: Mapping[str, Any] | None = None) -> Any:
    """Serves CONTEXTS and refuses everything else, as the bundled loader does."""
    if url not in CONTEXTS:
        raise ContextNotAllowed(f"context {url} is not allowed")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXTS[url]}


def valid_credential() -> dict[str, Any]:
    return {
        "@context": [CTX],
        "id": "urn:uuid:1b0a5a34-0000-4000-8000-000000000001",
        "type": "Credential",
        "issuer": "did:example:issuer",
        "credentialSubject": {
            "id": "did:example:learner",
            "achievement": [
                {"type": "Achievement", "name": "Python 101"},
                {"type": ["Achievement"], "name": "Rust 101", "image": "https://img.example/r"},
            ],
        },
    }


@pytest.fixture(params=[True, False], ids=["one-pass-rdf", "pyld-node-map"])
def canonicalizer(request: pytest.FixtureRequest) -> Canonicalizer:
    # Every case runs on both RDF paths: the refusals come from expansion, which they share,
    # and what canonicalizes must not depend on the path (tests/jsonld/test_fast_path.py).
    return Canonicalizer(inline_loader, one_pass_rdf=request.param)


def test_valid_document_canonicalizes(canonicalizer: Canonicalizer) -> None:
    nquads = canonicalizer.canonicalize(valid_credential())
    assert f'<{V}name> "Rust 101"' in nquads
    assert "<did:example:issuer>" in nquads
    assert nquads.count("\n") == 10


def _raises(canonicalizer: Canonicalizer, document: dict[str, Any], kind: type[Exception]) -> Any:
    with pytest.raises(kind) as raised:
        canonicalizer.canonicalize(document)
    return raised.value


def test_undefined_property_nested_in_array(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["achievement"][1]["foo"] = "bar"
    error = _raises(canonicalizer, document, UndefinedTerm)
    assert error.code == "undefined_term"
    assert error.path == "/credentialSubject/achievement/1/foo"
    assert "'foo'" in error.message


def test_undefined_property_at_top(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["evidence"] = [{"id": "https://evidence.example/1"}]
    error = _raises(canonicalizer, document, UndefinedTerm)
    assert error.path == "/evidence"
    assert "evidence" in str(error)


def test_pointer_escapes_key(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["a/b~c"] = 1
    # not shaped like a term, so it reads as a relative IRI reference
    error = _raises(canonicalizer, document, RelativeIri)
    assert error.path == "/credentialSubject/a~1b~0c"


def test_null_mapped_term_is_undefined(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["ignored"] = "this would not be signed"
    assert _raises(canonicalizer, document, UndefinedTerm).path == "/ignored"


def test_keyword_lookalike_is_undefined(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["@foo"] = "x"
    assert _raises(canonicalizer, document, UndefinedTerm).path == "/credentialSubject/@foo"


def test_undefined_type(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["type"] = ["Credential", "OpenBadgeCredential"]
    error = _raises(canonicalizer, document, UndefinedTerm)
    assert error.code == "undefined_term"
    assert error.path == "/type/1"
    assert "OpenBadgeCredential" in error.message


def test_undefined_type_nested(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["achievement"][0]["type"] = "Badge"
    error = _raises(canonicalizer, document, UndefinedTerm)
    assert error.path == "/credentialSubject/achievement/0/type"


def test_relative_id(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["id"] = "learners/42"
    error = _raises(canonicalizer, document, RelativeIri)
    assert error.code == "relative_iri"
    assert error.path == "/credentialSubject/id"
    assert "learners/42" in error.message


def test_relative_type(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["achievement"][1]["type"] = ["Achievement", "./Local"]
    error = _raises(canonicalizer, document, RelativeIri)
    assert error.path == "/credentialSubject/achievement/1/type/1"
    assert "./Local" in error.message


def test_relative_iri_value_of_id_typed_term(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["achievement"][1]["image"] = "rust.png"
    error = _raises(canonicalizer, document, RelativeIri)
    assert error.path == "/credentialSubject/achievement/1/image"
    assert "image" in error.message


def test_relative_iri_value_in_type_scoped_term(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["issuer"] = ["did:example:issuer", "issuers/me"]
    error = _raises(canonicalizer, document, RelativeIri)
    assert error.path == "/issuer/1"


def test_term_expanding_to_relative_iri(canonicalizer: Canonicalizer) -> None:
    document = {"@context": [RELATIVE_VOCAB_CTX], "@id": "urn:x:1", "colour": "blue"}
    error = _raises(canonicalizer, document, RelativeIri)
    assert error.path == "/colour"
    assert "'colour'" in error.message
    assert "terms/colour" in error.message


def test_type_scoped_term_outside_its_type(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["achievement"][0]["issuer"] = "did:example:other"
    error = _raises(canonicalizer, document, UndefinedTerm)
    assert error.path == "/credentialSubject/achievement/0/issuer"


def test_unsafe_mode_drops_silently() -> None:
    """safe=False behaves like plain JSON-LD: the members are not in the signed data."""
    unsafe = Canonicalizer(inline_loader, safe=False)
    document = valid_credential()
    document["foo"] = "bar"
    document["type"] = ["Credential", "Unknown"]
    document["credentialSubject"]["achievement"][1]["image"] = "rust.png"
    expected = valid_credential()
    del expected["credentialSubject"]["achievement"][1]["image"]
    assert unsafe.canonicalize(document) == unsafe.canonicalize(expected)
    assert canonicalize(document, inline_loader, safe=False) == unsafe.canonicalize(expected)


@pytest.mark.parametrize("one_pass_rdf", [True, False])
def test_unsafe_mode_drops_a_relative_iri_inside_a_list(one_pass_rdf: bool) -> None:
    # Found by the differential tests: pyld leaves an empty slot for the dropped item, which
    # used to escape as a TypeError instead of being dropped like any other relative IRI.
    context = {"@version": 1.1, "refs": {"@id": f"{V}refs", "@type": "@id", "@container": "@list"}}
    document = {"@context": context, "@id": "urn:x:1", "refs": ["urn:x:2", "relative"]}
    nquads = Canonicalizer(inline_loader, safe=False, one_pass_rdf=one_pass_rdf).canonicalize(
        document
    )
    assert "<urn:x:2>" in nquads
    assert "relative" not in nquads
    with pytest.raises(RelativeIri) as raised:
        Canonicalizer(inline_loader, one_pass_rdf=one_pass_rdf).canonicalize(document)
    assert raised.value.path == "/refs/1"


def test_unsafe_mode_does_not_resolve_relative_ids_against_a_made_up_base() -> None:
    document = valid_credential()
    document["credentialSubject"]["id"] = "learners/42"
    nquads = Canonicalizer(inline_loader, safe=False).canonicalize(document)
    assert "example.org" not in nquads
    assert "learners/42" not in nquads


def test_context_not_allowed_is_unwrapped(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["@context"] = [CTX, "https://evil.example/ctx"]
    error = _raises(canonicalizer, document, ContextNotAllowed)
    assert error.code == "context_not_allowed"
    assert "https://evil.example/ctx" in error.message


def test_invalid_json_ld_keeps_pyld_message(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    document["credentialSubject"]["id"] = 42
    error = _raises(canonicalizer, document, CanonicalizationError)
    assert type(error) is CanonicalizationError
    assert error.code == "canonicalization_failed"
    assert '"@id" value must be a string' in error.message


def test_input_document_is_not_modified(canonicalizer: Canonicalizer) -> None:
    document = valid_credential()
    before = copy.deepcopy(document)
    contexts_before = copy.deepcopy(CONTEXTS)
    canonicalizer.canonicalize(document)
    assert document == before
    assert contexts_before == CONTEXTS


SHAPES_CTX = "https://contexts.example/shapes/v1"
CONTEXTS[SHAPES_CTX] = {
    "@context": {
        "@version": 1.1,
        "data": {"@id": f"{V}data", "@type": "@json"},
        "meta": "@nest",
        "name": {"@id": f"{V}name", "@nest": "meta"},
        "byLanguage": {"@id": f"{V}byLanguage", "@container": "@language"},
        "byIndex": {"@id": f"{V}byIndex", "@container": "@index"},
        "byId": {"@id": f"{V}byId", "@container": "@id"},
        "byType": {"@id": f"{V}byType", "@container": "@type"},
        "Thing": f"{V}Thing",
        "ref": {"@id": f"{V}ref", "@type": "@id"},
    }
}


@pytest.mark.parametrize(
    ("member", "kind", "path"),
    [
        ({"data": {"anything": [1, {"x": "../relative"}]}}, None, None),
        ({"meta": {"name": "n"}}, None, None),
        ({"byLanguage": {"en": "hi", "de": "hallo"}}, None, None),
        ({"byType": {"Thing": {"@id": "urn:x:2"}}}, None, None),
        ({"meta": {"name": "n", "bogus": 1}}, UndefinedTerm, "/meta/bogus"),
        ({"byIndex": {"k1": {"bogus": 1}}}, UndefinedTerm, "/byIndex/k1/bogus"),
        ({"byIndex": {"k1": {"ref": "rel"}}}, RelativeIri, "/byIndex/k1/ref"),
        ({"byId": {"rel/x": {"@type": "Thing"}}}, RelativeIri, "/byId/rel~1x"),
        ({"byType": {"Undefined": {"@id": "urn:x:2"}}}, UndefinedTerm, "/byType/Undefined"),
        ({"@reverse": {"bogus": {"@id": "urn:x:2"}}}, UndefinedTerm, "/@reverse/bogus"),
        ({"@graph": [{"@id": "urn:x:2", "bogus": 1}]}, UndefinedTerm, "/@graph/0/bogus"),
        ({"name": {"@value": "x", "@type": "rel/dt"}}, RelativeIri, "/name/@type"),
        ({"ref": {"@list": ["urn:x:3", "rel"]}}, RelativeIri, "/ref/@list/1"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_json_ld_shapes(
    canonicalizer: Canonicalizer,
    member: dict[str, Any],
    kind: type[Exception] | None,
    path: str | None,
) -> None:
    document = {"@context": SHAPES_CTX, "@id": "urn:x:1", **member}
    if kind is None:
        canonicalizer.canonicalize(document)
        return
    assert _raises(canonicalizer, document, kind).path == path


def test_null_vocab_without_a_vocabulary_in_force_is_a_no_op() -> None:
    """pyld alone fails (KeyError) on {"@vocab": null} when no vocabulary is in force; JSON-LD
    makes it a no-op, so defined terms canonicalize and an undefined type is named."""
    from vcbadge.jsonld.loader import default_loader

    canonicalizer = Canonicalizer(default_loader())
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", {"@vocab": None}],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    canonical = canonicalizer.canonicalize(document)
    assert "<https://www.w3.org/2018/credentials#issuer> <did:example:issuer>" in canonical
    document["type"].append("ExampleTestCredential")
    with pytest.raises(UndefinedTerm) as raised:
        canonicalizer.canonicalize(document)
    assert raised.value.path == "/type/1"
