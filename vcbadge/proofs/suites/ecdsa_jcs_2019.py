"""The ecdsa-jcs-2019 cryptosuite (W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.3).

Transformation is RFC 8785 JSON canonicalization; the hash follows the key's curve (SHA-256
for P-256, SHA-384 for P-384); the signature is ECDSA ``r || s``, base58btc. As in every JCS
suite, the proof carries the document's ``@context``.
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
    hash_jcs,
    public_key_from_method,
    require_key_algorithm,
)
from vcbadge.proofs.suites.ecdsa_rdfc_2019 import ECDSA_HASHES

__all__ = ["EcdsaJcs2019"]


class EcdsaJcs2019:
    """Stateless implementation of ecdsa-jcs-2019 on P-256 and P-384."""

    name = "ecdsa-jcs-2019"
    proof_type = "DataIntegrityProof"
    cryptosuite: str | None = "ecdsa-jcs-2019"
    key_algorithms = frozenset({"P-256", "P-384"})
    embeds_proof_context = True
    legacy = False

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
        *,
        key_algorithm: str | None = None,
    ) -> HashData:
        """JCS and hashing with the curve's hash (``key_algorithm``: P-256 or P-384)."""
        curve = require_key_algorithm(self.name, self.key_algorithms, key_algorithm)
        return hash_jcs(unsecured_document, proof_config, hash_algorithm=ECDSA_HASHES[curve])

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
