"""Limits and configuration of the canonicalizer: depth, quads, work, hash, caches."""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pyld.jsonld import JsonLdProcessor

from vcbadge.errors import (
    CanonicalizationError,
    ComplexityLimit,
    ContextNotAllowed,
    LimitExceeded,
    UnsupportedError,
)
from vcbadge.jsonld.rdfc import DEFAULT_MAX_WORK, Canonicalizer

V = "https://vocab.example/#"
CTX = "https://contexts.example/limits/v1"
CONTEXT = {
    "@context": {
        "@version": 1.1,
        "id": "@id",
        "type": "@type",
        "child": {"@id": f"{V}child"},
        "name": f"{V}name",
        "Thing": {"@id": f"{V}Thing", "@context": {"label": f"{V}label"}},
    }
}

# A directed 3-cycle of blank nodes: every node has the same first-degree hash, so the
# labelling needs Hash N-Degree Quads, and the result depends on the hash function.
CYCLE = "_:x <urn:ex:p> _:y .\n_:y <urn:ex:p> _:z .\n_:z <urn:ex:p> _:x .\n"


def loader(url: str, options: Mapping[str, Any] | None = None) -> Any:
    if url != CTX:
        raise ContextNotAllowed(f"context {url} is not allowed")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def refusing_loader(url: str, options: Mapping[str, Any] | None = None) -> Any:
    raise ContextNotAllowed(f"context {url} is not allowed")


def nested(depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"name": "leaf"}
    for _ in range(depth - 1):
        node = {"child": node}
    return {"@context": CTX, **node}


def test_depth_limit() -> None:
    canonicalizer = Canonicalizer(loader, max_depth=10)
    canonicalizer.canonicalize(nested(10))
    with pytest.raises(LimitExceeded) as raised:
        canonicalizer.canonicalize(nested(11))
    assert raised.value.code == "limit_exceeded"
    assert raised.value.path == "/child" * 10


def test_default_depth_limit_refuses_absurd_nesting() -> None:
    with pytest.raises(LimitExceeded):
        Canonicalizer(loader).canonicalize(nested(500))


def test_quad_limit_nquads() -> None:
    text = "".join(f'<urn:ex:s> <urn:ex:p> "{i}" .\n' for i in range(6))
    assert Canonicalizer(loader, max_quads=6).canonicalize_nquads(text)
    with pytest.raises(LimitExceeded):
        Canonicalizer(loader, max_quads=5).canonicalize_nquads(text)


def test_quad_limit_json_ld() -> None:
    document = {"@context": CTX, "@id": "urn:ex:s", "name": [str(i) for i in range(6)]}
    with pytest.raises(LimitExceeded):
        Canonicalizer(loader, max_quads=5).canonicalize(document)


def test_duplicate_quads_count_once() -> None:
    line = '<urn:ex:s> <urn:ex:p> "o" .\n'
    assert Canonicalizer(loader, max_quads=1).canonicalize_nquads(line * 3) == line


def test_max_work_is_configurable() -> None:
    assert Canonicalizer(loader).canonicalize_nquads(CYCLE).count("_:c14n") == 6
    with pytest.raises(ComplexityLimit) as raised:
        Canonicalizer(loader, max_work=2).canonicalize_nquads(CYCLE)
    assert raised.value.code == "complexity_limit"
    assert DEFAULT_MAX_WORK > 1_000


def test_work_needed_only_for_look_alike_blank_nodes() -> None:
    """Blank nodes with distinct first-degree hashes need no Hash N-Degree Quads at all."""
    text = '_:a <urn:ex:p> "1" .\n_:b <urn:ex:p> "2" .\n_:a <urn:ex:q> _:b .\n'
    assert Canonicalizer(loader, max_work=1).issued_identifiers(text) == {
        "a": "c14n1",
        "b": "c14n0",
    }


def test_long_chain_of_look_alike_blank_nodes_is_bounded() -> None:
    chain = "".join(f"_:n{i} <urn:ex:p> _:n{i + 1} .\n" for i in range(2000))
    with pytest.raises(ComplexityLimit):
        Canonicalizer(loader).canonicalize_nquads(chain)


def test_sha384_differs_where_n_degree_hashing_decides() -> None:
    sha256 = Canonicalizer(loader)
    sha384 = Canonicalizer(loader, hash_algorithm="sha384")
    assert sha256.issued_identifiers(CYCLE) == {"x": "c14n0", "y": "c14n1", "z": "c14n2"}
    assert sha384.issued_identifiers(CYCLE) == {"x": "c14n0", "z": "c14n1", "y": "c14n2"}
    assert sha256.canonicalize_nquads(CYCLE) != sha384.canonicalize_nquads(CYCLE)


def test_sha384_same_without_blank_nodes() -> None:
    text = '<urn:ex:s> <urn:ex:p> "o" .\n'
    assert Canonicalizer(loader, hash_algorithm="SHA-384").canonicalize_nquads(text) == text


def test_unknown_hash_algorithm() -> None:
    with pytest.raises(UnsupportedError):
        Canonicalizer(loader, hash_algorithm="sha1")


@pytest.mark.parametrize(
    "text",
    [
        "<urn:ex:s> <urn:ex:p> .\n",
        '<urn:ex:s> <urn:ex:p> "unterminated .\n',
        "<relative> <urn:ex:p> <urn:ex:o> .\n",
        "<urn:ex:s> <urn:ex:p> <urn:ex:\\u0020space> .\n",
        '<urn:ex:s> <urn:ex:p> "\\uD800" .\n',
    ],
)
def test_invalid_nquads(text: str) -> None:
    with pytest.raises(CanonicalizationError):
        Canonicalizer(loader).canonicalize_nquads(text)


def test_iri_that_would_break_nquads_is_refused() -> None:
    document = {"@context": CTX, "@id": "urn:ex:a> <urn:ex:b", "name": "x"}
    with pytest.raises(CanonicalizationError):
        Canonicalizer(loader).canonicalize(document)


def test_lone_surrogate_is_refused() -> None:
    document = {"@context": CTX, "@id": "urn:ex:a", "name": "\ud800"}
    with pytest.raises(CanonicalizationError):
        Canonicalizer(loader).canonicalize(document)


def _typed_document() -> dict[str, Any]:
    return {
        "@context": CTX,
        "@id": "urn:ex:root",
        "child": [
            {"type": "Thing", "label": "a", "child": {"type": "Thing", "label": "b"}},
            {"type": "Thing", "label": "c"},
        ],
    }


def test_warm_instance_does_not_reprocess_contexts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Including type-scoped contexts, which pyld's own cache re-processes on every node."""
    calls = 0
    original = JsonLdProcessor._create_term_definition

    def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(JsonLdProcessor, "_create_term_definition", counting)
    canonicalizer = Canonicalizer(loader)
    first = canonicalizer.canonicalize(_typed_document())
    assert calls > 0
    calls = 0
    assert canonicalizer.canonicalize(_typed_document()) == first
    assert calls == 0


def test_cache_is_per_instance_so_loaders_cannot_leak() -> None:
    Canonicalizer(loader).canonicalize(_typed_document())
    with pytest.raises(ContextNotAllowed):
        Canonicalizer(refusing_loader).canonicalize(_typed_document())


def test_context_cache_is_bounded() -> None:
    canonicalizer = Canonicalizer(loader, context_cache_size=2)
    for _ in range(3):
        canonicalizer.canonicalize(_typed_document())
    assert len(canonicalizer._processed) <= 2


def test_shared_between_threads() -> None:
    canonicalizer = Canonicalizer(loader)
    expected = Canonicalizer(loader).canonicalize(_typed_document())
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: canonicalizer.canonicalize(_typed_document()), range(16)))
    assert results == [expected] * 16


def test_picklable_for_process_pools() -> None:
    canonicalizer = Canonicalizer(loader, hash_algorithm="sha384", max_work=50)
    canonicalizer.canonicalize(_typed_document())
    clone = pickle.loads(pickle.dumps(canonicalizer))
    assert (clone.hash_algorithm, clone.max_work) == ("sha384", 50)
    assert clone.canonicalize(_typed_document()) == canonicalizer.canonicalize(_typed_document())
