"""The W3C RDFC-1.0 test suite (rdf-canon), driven from its manifest, plus published vectors."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from reference_corpus import reference_root, requires_reference

from vcbadge.errors import ComplexityLimit, ContextNotAllowed
from vcbadge.jsonld.rdfc import Canonicalizer

pytestmark = [pytest.mark.reference, requires_reference]

_ROOT = reference_root()
_SUITE = _ROOT / "rdf-canon" if _ROOT else None


def _entries(kind: str) -> list[Any]:
    if _SUITE is None:
        return []
    manifest = json.loads((_SUITE / "manifest.jsonld").read_text(encoding="utf-8"))
    return [
        pytest.param(entry, id=entry["id"].lstrip("#"))
        for entry in manifest["entries"]
        if entry["type"] == kind
    ]


def _refuse_all(url: str, options: Mapping[str, Any] | None = None) -> Any:
    raise ContextNotAllowed(f"no contexts in N-Quads tests: {url}")


def _canonicalizer(entry: Mapping[str, Any]) -> Canonicalizer:
    algorithm = "sha384" if entry.get("hashAlgorithm") == "SHA384" else "sha256"
    return Canonicalizer(_refuse_all, hash_algorithm=algorithm)


def _read(relative: str) -> str:
    assert _SUITE is not None
    # newline="" keeps the bytes as published: the comparison is byte for byte.
    with open(_SUITE / relative, encoding="utf-8", newline="") as handle:
        return handle.read()


def test_manifest_is_covered() -> None:
    kinds = {"rdfc:RDFC10EvalTest", "rdfc:RDFC10MapTest", "rdfc:RDFC10NegativeEvalTest"}
    assert _SUITE is not None
    manifest = json.loads((_SUITE / "manifest.jsonld").read_text(encoding="utf-8"))
    assert {entry["type"] for entry in manifest["entries"]} <= kinds
    assert len(_entries("rdfc:RDFC10NegativeEvalTest")) == 1


@pytest.mark.parametrize("entry", _entries("rdfc:RDFC10EvalTest"))
def test_eval(entry: Mapping[str, Any]) -> None:
    result = _canonicalizer(entry).canonicalize_nquads(_read(entry["action"]))
    assert result.encode("utf-8") == _read(entry["result"]).encode("utf-8")


@pytest.mark.parametrize("entry", _entries("rdfc:RDFC10MapTest"))
def test_issued_identifiers_map(entry: Mapping[str, Any]) -> None:
    issued = _canonicalizer(entry).issued_identifiers(_read(entry["action"]))
    assert issued == json.loads(_read(entry["result"]))


@pytest.mark.slow
@pytest.mark.parametrize("entry", _entries("rdfc:RDFC10NegativeEvalTest"))
def test_negative_eval_hits_work_limit(entry: Mapping[str, Any]) -> None:
    canonicalizer = _canonicalizer(entry)
    start = time.perf_counter()
    with pytest.raises(ComplexityLimit) as raised:
        canonicalizer.canonicalize_nquads(_read(entry["action"]))
    elapsed = time.perf_counter() - start
    assert raised.value.code == "complexity_limit"
    assert elapsed < 5.0, f"work limit took {elapsed:.2f} s"


# -- published Data Integrity vectors: JSON-LD through the reference contexts ---------------


def _reference_loader() -> Any:
    assert _ROOT is not None
    index = json.loads((_ROOT / "contexts/index.json").read_text(encoding="utf-8"))["contexts"]
    documents = {
        url: json.loads((_ROOT / "contexts" / entry["file"]).read_text(encoding="utf-8"))
        for url, entry in index.items()
    }

    def load(url: str, options: Mapping[str, Any] | None = None) -> Any:
        if url not in documents:
            raise ContextNotAllowed(f"context {url} is not in the reference corpus")
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    return load


_VECTORS = [
    pytest.param(
        "vc-di-eddsa/TestVectors/unsigned.json",
        "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/canonDocDataInt.txt",
        "sha256",
        id="eddsa-rdfc-2022",
    ),
    pytest.param(
        "vc-di-eddsa/TestVectors/employmentAuth.json",
        "vc-di-eddsa/TestVectors/eddsa-rdfc-2022/employ/canonDocDataInt.txt",
        "sha256",
        id="eddsa-rdfc-2022-employ",
    ),
    pytest.param(
        "vc-di-ecdsa/TestVectors/employmentAuth.json",
        "vc-di-ecdsa/TestVectors/ecdsa-rdfc-2019-p384/employ/canonDocECDSAP384.txt",
        "sha384",
        id="ecdsa-rdfc-2019-p384-employ",
    ),
    pytest.param(
        "ob-v3p0-impl-guide/eddsa-rdfc-2022/credential.json",
        "ob-v3p0-impl-guide/eddsa-rdfc-2022/document-canon.txt",
        "sha256",
        id="ob-v3p0-impl-guide",
    ),
]


@pytest.mark.parametrize("one_pass_rdf", [True, False], ids=["one-pass-rdf", "pyld-node-map"])
@pytest.mark.parametrize(("document", "expected", "algorithm"), _VECTORS)
def test_published_canonical_document(
    document: str, expected: str, algorithm: str, one_pass_rdf: bool
) -> None:
    assert _ROOT is not None
    vectors: Path = _ROOT / "vectors"
    unsigned = json.loads((vectors / document).read_text(encoding="utf-8"))
    with open(vectors / expected, encoding="utf-8", newline="") as handle:
        published = handle.read()
    canonicalizer = Canonicalizer(
        _reference_loader(), hash_algorithm=algorithm, one_pass_rdf=one_pass_rdf
    )
    assert canonicalizer.canonicalize(unsigned) == published
