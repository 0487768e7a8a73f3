"""The ecdsa-jcs-2019 cryptosuite (W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.3).

Transformation is RFC 8785 JSON canonicalization; the hash follows the key's curve (SHA-256
for P-256, SHA-384 for P-384); the signature is ECDSA ``r || s``, base58btc. As in every JCS
suite, the proof carries the document's ``@context``.
"""

from __future__ import annotations

from vcbadge.proofs.suites._common import ECDSA_HASHES, DataIntegritySuite

__all__ = ["EcdsaJcs2019"]


class EcdsaJcs2019(DataIntegritySuite):
    """Stateless implementation of ecdsa-jcs-2019 on P-256 and P-384."""

    cryptosuite = "ecdsa-jcs-2019"
    transformation = "jcs"
    hash_algorithms = ECDSA_HASHES
