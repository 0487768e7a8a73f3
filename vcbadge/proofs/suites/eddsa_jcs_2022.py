"""The eddsa-jcs-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3).

Transformation is RFC 8785 JSON canonicalization (no JSON-LD processing), hashing is SHA-256
of the canonical proof configuration followed by SHA-256 of the canonical document, and the
signature is Ed25519. The proof carries the document's ``@context`` (it is part of what was
signed), unlike the RDFC suites.
"""

from __future__ import annotations

from vcbadge.proofs.suites._common import EDDSA_HASHES, DataIntegritySuite

__all__ = ["EddsaJcs2022"]


class EddsaJcs2022(DataIntegritySuite):
    """Stateless implementation of eddsa-jcs-2022."""

    cryptosuite = "eddsa-jcs-2022"
    transformation = "jcs"
    hash_algorithms = EDDSA_HASHES
