"""Sign and verify an OB 3.0 credential with every proof format, as ratios to plain pyld.

Run: ``.venv/bin/python benchmarks/bench_suites.py [--rounds N]``

The baseline is one ``pyld.jsonld.normalize`` (URDNA2015) of the same credential with the same
bundled documents, measured in the same run. RDFC suites canonicalize twice per proof (document
and proof options), JCS suites serialize JSON instead, and VC-JWT canonicalizes nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from _common import benchmark_credential, median_seconds
from pyld import jsonld

from vcbadge import (
    FixedClock,
    Issuer,
    Profile,
    Verifier,
)
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.jsonld.loader import default_loader
from vcbadge.keys import EcKey, Ed25519Key, RsaKey

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    unsigned = benchmark_credential()
    clock = FixedClock(NOW)
    verifier = Verifier.offline(clock=clock)
    loader = default_loader()

    def baseline() -> object:
        return jsonld.normalize(
            unsigned,
            {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader},
        )

    ed25519 = Ed25519Key.from_seed(bytes(range(32)))
    p256 = EcKey.from_private_scalar(bytes(range(1, 33)), "P-256")
    p384 = EcKey.from_private_scalar(bytes(range(1, 49)), "P-384")
    rsa = RsaKey.generate()
    cases: list[tuple[str, Callable[[], Any]]] = []
    for suite, key in (
        ("eddsa-rdfc-2022", ed25519),
        ("eddsa-jcs-2022", ed25519),
        ("Ed25519Signature2020", ed25519),
        ("ecdsa-rdfc-2019 P-256", p256),
        ("ecdsa-rdfc-2019 P-384", p384),
        ("ecdsa-jcs-2019 P-256", p256),
    ):
        issuer = Issuer(Profile(id=key.controller), key=key, suite=suite.split()[0], clock=clock)
        cases.append((suite, lambda issuer=issuer: issuer.issue(unsigned)))
    for label, key in (("VC-JWT EdDSA", ed25519), ("VC-JWT ES256", p256), ("VC-JWT RS256", rsa)):
        jwt_issuer = JwtIssuer(Profile(id=key.controller), key=key, clock=clock)
        cases.append((label, lambda jwt_issuer=jwt_issuer: jwt_issuer.issue_jwt(unsigned)))

    baseline()  # warm pyld's own context cache, so the baseline is its best case
    reference = median_seconds(baseline, rounds)
    print(f"baseline plain pyld normalize: {reference * 1000:.2f} ms (median of {rounds})")
    print(f"{'format':<24} {'sign':>8} {'verify':>8}   (x baseline)")
    for label, sign in cases:
        secured = sign()
        assert verifier.verify(secured).outcome.value == "VALID", label
        sign_time = median_seconds(sign, rounds)
        verify_time = median_seconds(lambda secured=secured: verifier.verify(secured), rounds)
        print(f"{label:<24} {sign_time / reference:8.2f} {verify_time / reference:8.2f}")


if __name__ == "__main__":
    main()
