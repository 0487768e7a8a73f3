"""Canonicalize, sign and verify an OB 3.0 credential, each as a ratio to plain pyld.

Run: ``.venv/bin/python benchmarks/bench_ob_credential.py [--rounds N]``

The baseline is ``pyld.jsonld.normalize`` (URDNA2015, N-Quads) of the same credential with a
loader serving the same bundled documents, measured in the same process and run. Ratios, not
seconds, are the figures to compare across machines: a ratio of 1.0 costs as much as one plain
pyld canonicalization. Signing does two canonicalizations (document and proof options), so its
floor is about 2.0.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone

from _common import benchmark_credential, median_seconds
from pyld import jsonld

from vcbadge import (
    FixedClock,
    Issuer,
    Profile,
    Verifier,
)
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    key = Ed25519Key.from_seed(bytes(range(32)))
    issuer = Issuer(Profile(id=key.did, name="Example University"), key=key, clock=FixedClock(NOW))
    unsigned = benchmark_credential()
    signed = issuer.issue(unsigned)
    document = {k: v for k, v in signed.items() if k != "proof"}
    loader = default_loader()

    def plain_pyld() -> object:
        return jsonld.normalize(
            document,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
        )

    canonicalizer = Canonicalizer(loader)
    verifier = Verifier.offline(clock=FixedClock(NOW))
    canonicalizer.canonicalize(document)  # warm the processed-context cache, as in service
    verifier.verify(signed)

    baseline = median_seconds(plain_pyld, rounds)
    figures = {
        "canonicalize": median_seconds(lambda: canonicalizer.canonicalize(document), rounds),
        "sign": median_seconds(lambda: issuer.issue(unsigned), rounds),
        "verify": median_seconds(lambda: verifier.verify(signed), rounds),
    }
    print(f"baseline plain pyld normalize: {baseline * 1000:.2f} ms (median of {rounds})")
    for name, seconds in figures.items():
        print(f"{name:>13}: {seconds / baseline:5.2f} x baseline  ({seconds * 1000:.2f} ms)")


if __name__ == "__main__":
    main()
