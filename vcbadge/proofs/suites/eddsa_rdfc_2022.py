"""The eddsa-rdfc-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.2).

Transformation is RDFC-1.0 canonicalization, hashing is SHA-256 of the canonical proof
configuration followed by SHA-256 of the canonical document, and the signature is Ed25519 over
that 64-byte concatenation, carried as a multibase base58btc ``proofValue``.

``eddsa-2022`` is the name early drafts of the specification gave this same algorithm; some
deployed badges (and the 1EdTech validator's test files) still carry it. ``Eddsa2022Legacy``
verifies such proofs and is never used to issue.
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
)

__all__ = ["Eddsa2022Legacy", "EddsaRdfc2022"]


class EddsaRdfc2022:
    """Stateless implementation of eddsa-rdfc-2022; canonicalization comes from the caller."""

    name = "eddsa-rdfc-2022"
    proof_type = "DataIntegrityProof"
    cryptosuite: str | None = "eddsa-rdfc-2022"
    key_algorithms = frozenset({"Ed25519"})
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
        """Canonicalize both inputs and hash them as the suite's "hashing" step defines."""
        return hash_rdfc(unsecured_document, proof_config, canonicalizer)

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


class Eddsa2022Legacy(EddsaRdfc2022):
    """``eddsa-2022``: the draft name of eddsa-rdfc-2022, verified for deployed badges only."""

    name = "eddsa-2022"
    cryptosuite = "eddsa-2022"
    legacy = True
