"""The intermediate values of a Data Integrity "hashing" step, kept for inspection and vectors."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HashData"]


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
