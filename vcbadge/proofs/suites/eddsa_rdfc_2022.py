"""The eddsa-rdfc-2022 cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0).

Transformation is RDFC-1.0 canonicalization, hashing is SHA-256 of the canonical proof
configuration followed by SHA-256 of the canonical document, and the signature is Ed25519 over
that 64-byte concatenation, carried as a multibase base58btc ``proofValue``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from multiformats import multibase

from vcbadge.errors import InvalidSignature, KeyFormatError
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.proofs.hashing import HashData

__all__ = ["EddsaRdfc2022"]

_SIGNATURE_LENGTH = 64


class EddsaRdfc2022:
    """Stateless implementation of eddsa-rdfc-2022; canonicalization comes from the caller."""

    name = "eddsa-rdfc-2022"
    proof_type = "DataIntegrityProof"
    key_algorithm = "Ed25519"

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
    ) -> HashData:
        """Canonicalize both inputs and hash them as the suite's "hashing" step defines."""
        canonical_proof = canonicalizer.canonicalize(proof_config)
        canonical_document = canonicalizer.canonicalize(unsecured_document)
        return HashData(
            canonical_document=canonical_document,
            canonical_proof_config=canonical_proof,
            document_hash=hashlib.sha256(canonical_document.encode("utf-8")).digest(),
            proof_hash=hashlib.sha256(canonical_proof.encode("utf-8")).digest(),
        )

    def encode_proof_value(self, signature: bytes) -> str:
        return str(multibase.encode(signature, "base58btc"))

    def decode_proof_value(self, proof_value: object, *, path: str) -> bytes:
        """Decode a ``proofValue``; anything but base58btc of 64 bytes is an invalid signature."""
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            raise InvalidSignature(
                "proofValue must be a multibase base58btc string (starting with 'z')", path=path
            )
        try:
            signature = bytes(multibase.decode(proof_value))
        except (ValueError, KeyError) as exc:
            raise InvalidSignature(f"proofValue is not valid base58btc: {exc}", path=path) from exc
        if len(signature) != _SIGNATURE_LENGTH:
            raise InvalidSignature(
                f"proofValue decodes to {len(signature)} bytes; an Ed25519 signature has 64",
                path=path,
            )
        return signature

    def public_key_from_method(self, method: Mapping[str, Any], *, path: str) -> Ed25519Key:
        """The Ed25519 public key of a Multikey, Ed25519VerificationKey2020 or JWK method."""
        multibase_key = method.get("publicKeyMultibase")
        if isinstance(multibase_key, str):
            return Ed25519Key.from_multikey(multibase_key)
        jwk = method.get("publicKeyJwk")
        if isinstance(jwk, Mapping):
            if "d" in jwk:
                raise KeyFormatError(
                    "verification method publishes a private key (JWK member 'd')", path=path
                )
            return Ed25519Key.from_jwk(jwk)
        raise KeyFormatError(
            "verification method has neither publicKeyMultibase nor publicKeyJwk", path=path
        )
