"""The ecdsa-rdfc-2019 cryptosuite (W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.2).

Transformation is RDFC-1.0; the hash follows the key's curve: SHA-256 for P-256 and SHA-384 for
P-384, and with P-384 RDFC-1.0 itself runs with SHA-384 (its blank-node labels change). The
signature is ECDSA ``r || s`` over the proof hash followed by the document hash, base58btc.
"""

from __future__ import annotations

from vcbadge.proofs.suites._common import ECDSA_HASHES, DataIntegritySuite

__all__ = ["ECDSA_HASHES", "EcdsaRdfc2019"]


class EcdsaRdfc2019(DataIntegritySuite):
    """Stateless implementation of ecdsa-rdfc-2019 on P-256 and P-384."""

    cryptosuite = "ecdsa-rdfc-2019"
    transformation = "rdfc"
    hash_algorithms = ECDSA_HASHES
