"""The ecdsa-rdfc-2019 cryptosuite (W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.2).

Transformation is RDFC-1.0; the hash follows the key's curve: SHA-256 for P-256 and SHA-384 for
P-384, and with P-384 RDFC-1.0 itself runs with SHA-384 (its blank-node labels change). The
signature is ECDSA ``r || s`` over the proof hash followed by the document hash, base58btc.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys.ec import EcKey
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.proofs.hashing import HashData
from vcbadge.proofs.suites._common import (
    decode_base58_proof_value,
    encode_base58_proof_value,
    hash_rdfc,
    public_key_from_method,
    require_key_algorithm,
)

__all__ = ["ECDSA_HASHES", "EcdsaRdfc2019"]

ECDSA_HASHES = {"P-256": "sha256", "P-384": "sha384"}
"""The hash (and RDFC-1.0 hash) the ECDSA suites use per curve."""


class EcdsaRdfc2019:
    """Stateless implementation of ecdsa-rdfc-2019 on P-256 and P-384."""

    name = "ecdsa-rdfc-2019"
    proof_type = "DataIntegrityProof"
    cryptosuite: str | None = "ecdsa-rdfc-2019"
    key_algorithms = frozenset({"P-256", "P-384"})
    embeds_proof_context = False
    legacy = False

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
        *,
        key_algorithm: str | None = None,
    ) -> HashData:
        """RDFC-1.0 and hashing with the curve's hash (``key_algorithm``: P-256 or P-384)."""
        curve = require_key_algorithm(self.name, self.key_algorithms, key_algorithm)
        return hash_rdfc(
            unsecured_document, proof_config, canonicalizer, hash_algorithm=ECDSA_HASHES[curve]
        )

    def encode_proof_value(self, signature: bytes) -> str:
        """The multibase base58btc ``proofValue`` of an ``r || s`` signature."""
        return encode_base58_proof_value(signature)

    def decode_proof_value(
        self, proof_value: object, *, path: str, key_algorithm: str | None = None
    ) -> bytes:
        """Decode a ``proofValue`` into ``r || s`` of the curve's length (64 or 96 bytes)."""
        curve = require_key_algorithm(self.name, self.key_algorithms, key_algorithm)
        return decode_base58_proof_value(proof_value, path=path, key_algorithm=curve)

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> Ed25519Key | EcKey:
        """The P-256/P-384 public key of a Multikey or JWK method."""
        return public_key_from_method(
            method, suite_name=self.name, key_algorithms=self.key_algorithms, path=path
        )
