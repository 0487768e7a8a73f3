"""The eddsa-jcs-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3).

Transformation is RFC 8785 JSON canonicalization (no JSON-LD processing), hashing is SHA-256
of the canonical proof configuration followed by SHA-256 of the canonical document, and the
signature is Ed25519. The proof carries the document's ``@context`` (it is part of what was
signed), unlike the RDFC suites.
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
)

__all__ = ["EddsaJcs2022"]


class EddsaJcs2022:
    """Stateless implementation of eddsa-jcs-2022."""

    name = "eddsa-jcs-2022"
    proof_type = "DataIntegrityProof"
    cryptosuite: str | None = "eddsa-jcs-2022"
    key_algorithms = frozenset({"Ed25519"})
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
        """JCS-serialize both inputs and hash them with SHA-256 (the canonicalizer is unused:
        JCS needs no contexts)."""
        return hash_jcs(unsecured_document, proof_config)

    def encode_proof_value(self, signature: bytes) -> str:
        """The multibase base58btc ``proofValue`` of a signature."""
        return encode_base58_proof_value(signature)

    def decode_proof_value(
        self, proof_value: object, *, path: str, key_algorithm: str | None = None
    ) -> bytes:
        """Decode a ``proofValue``; anything but base58btc of 64 bytes is an invalid signature."""
        return decode_base58_proof_value(proof_value, path=path, key_algorithm="Ed25519")

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> Ed25519Key | EcKey:
        """The Ed25519 public key of a Multikey, Ed25519VerificationKey2020 or JWK method."""
        return public_key_from_method(
            method, suite_name=self.name, key_algorithms=self.key_algorithms, path=path
        )
