"""Ratio benchmark: a warm ``Canonicalizer`` against pyld's plain ``jsonld.normalize``.

Canonicalizes the OB 3.0 implementation-guide credential (from the shared reference corpus)
N times and prints time ratios, all measured in this run:

* pyld ``normalize`` with a fresh resolved-context cache per call (every context re-processed);
* pyld ``normalize`` with its module-wide cache (what a naive caller gets after the first call);
* a new ``Canonicalizer`` per call (cold per-instance caches);
* one warm ``Canonicalizer`` (the case the per-instance caches are for).

Run: ``.venv/bin/python benchmarks/bench_canonicalize_cache.py [N]``.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

from vcbadge.errors import ContextNotAllowed
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.protocols import DocumentLoader, RemoteDocument

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
CREDENTIAL = REFERENCE / "vectors/ob-v3p0-impl-guide/eddsa-rdfc-2022/credential.json"


def reference_loader() -> DocumentLoader:
    index = json.loads((REFERENCE / "contexts/index.json").read_text())["contexts"]
    documents = {
        url: json.loads((REFERENCE / "contexts" / entry["file"]).read_text())
        for url, entry in index.items()
    }

    def load(url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument:
        if url not in documents:
            raise ContextNotAllowed(f"context {url} is not bundled")
        return {"contextUrl": None, "documentUrl": url, "document": documents[url]}

    return load


def timed(runs: int, work: Callable[[], str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = ""
    for _ in range(runs):
        out = work()
    return time.perf_counter() - start, out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    if not CREDENTIAL.is_file():
        sys.exit(f"reference corpus not found at {REFERENCE}")
    document = json.loads(CREDENTIAL.read_text())
    load = reference_loader()

    def pyld_fresh() -> str:
        options = {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": load,
            "contextResolver": ContextResolver(LRUCache(maxsize=100), load),
        }
        return str(jsonld.normalize(document, options))

    def pyld_shared() -> str:
        options = {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": load,
        }
        return str(jsonld.normalize(document, options))

    warm = Canonicalizer(load)
    warm.canonicalize(document)

    results = {
        "pyld normalize, fresh cache": timed(runs, pyld_fresh),
        "pyld normalize, module cache": timed(runs, pyld_shared),
        "Canonicalizer, new per call": timed(
            runs, lambda: Canonicalizer(load).canonicalize(document)
        ),
        "Canonicalizer, warm": timed(runs, lambda: warm.canonicalize(document)),
    }
    outputs = {out for _, out in results.values()}
    baseline = results["pyld normalize, fresh cache"][0]
    print(f"{runs} canonicalizations of {CREDENTIAL.name} (same output: {len(outputs) == 1})")
    for name, (seconds, _) in results.items():
        print(f"  {name:32s} {seconds / runs * 1000:7.2f} ms/doc  ratio {baseline / seconds:5.2f}x")


if __name__ == "__main__":
    main()
