"""The legacy Ed25519Signature2020 proof type (W3C CCG Ed25519 Signature 2020; VC DI EdDSA
Cryptosuites v1.0, Appendix "Ed25519Signature2020").

Still what Digital Credentials Consortium wallets and Open edX issue. The algorithm is that of
eddsa-rdfc-2022 (RDFC-1.0, SHA-256 of proof configuration and document, Ed25519), but the proof
``type`` is ``Ed25519Signature2020``, it has no ``cryptosuite``, and its terms are defined by
the ``https://w3id.org/security/suites/ed25519-2020/v1`` context, which the credential must
list (VC 2.0's base context does not define them).
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

__all__ = ["ED25519_2020_CONTEXT", "Ed25519Signature2020"]

ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


class Ed25519Signature2020:
    """Stateless implementation of Ed25519Signature2020 (verify and issue)."""

    name = "Ed25519Signature2020"
    proof_type = "Ed25519Signature2020"
    cryptosuite: str | None = None
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
        """RDFC-1.0 of proof configuration and document, each hashed with SHA-256."""
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
        """The Ed25519 key of an Ed25519VerificationKey2020, Multikey or JWK method."""
        return public_key_from_method(
            method, suite_name=self.name, key_algorithms=self.key_algorithms, path=path
        )
