"""The eddsa-rdfc-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.2).

Transformation is RDFC-1.0 canonicalization, hashing is SHA-256 of the canonical proof
configuration followed by SHA-256 of the canonical document, and the signature is Ed25519 over
that 64-byte concatenation, carried as a multibase base58btc ``proofValue``.

``eddsa-2022`` is the name early drafts of the specification gave this same algorithm; some
deployed badges (and the 1EdTech validator's test files) still carry it. ``Eddsa2022Legacy``
verifies such proofs and is never used to issue.
"""

from __future__ import annotations

from vcbadge.proofs.suites._common import EDDSA_HASHES, DataIntegritySuite

__all__ = ["Eddsa2022Legacy", "EddsaRdfc2022"]


class EddsaRdfc2022(DataIntegritySuite):
    """Stateless implementation of eddsa-rdfc-2022; canonicalization comes from the caller."""

    cryptosuite = "eddsa-rdfc-2022"
    transformation = "rdfc"
    hash_algorithms = EDDSA_HASHES


class Eddsa2022Legacy(EddsaRdfc2022):
    """``eddsa-2022``: the draft name of eddsa-rdfc-2022, verified for deployed badges only."""

    cryptosuite = "eddsa-2022"
    legacy = True
