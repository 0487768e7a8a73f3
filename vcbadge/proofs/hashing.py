"""The intermediate values of a Data Integrity "hashing" step, kept for inspection and vectors,
and the signature a proof carries with the bytes it signs."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HashData", "ProofSignature"]


@dataclass(frozen=True)
class HashData:
    """Canonical forms and hashes of a document and its proof configuration."""

    canonical_document: str
    canonical_proof_config: str
    document_hash: bytes
    proof_hash: bytes

    @property
    def combined(self) -> bytes:
        """What is signed: the proof hash followed by the document hash."""
        return self.proof_hash + self.document_hash


@dataclass(frozen=True)
class ProofSignature:
    """The signature a proof carries and what goes before the hashes in the signed bytes.

    Data Integrity suites sign the hashes alone (``signing_prefix`` empty); Ed25519Signature2018
    signs them as the unencoded payload of a detached JWS, after ``base64url(header) + "."``.
    """

    signature: bytes
    signing_prefix: bytes = b""

    def signing_input(self, hashed: HashData) -> bytes:
        """The exact bytes the signature was made over."""
        return self.signing_prefix + hashed.combined
