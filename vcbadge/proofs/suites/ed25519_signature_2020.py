"""The legacy Ed25519Signature2020 proof type (W3C CCG Ed25519 Signature 2020; VC DI EdDSA
Cryptosuites v1.0, Appendix "Ed25519Signature2020").

Still what Digital Credentials Consortium wallets and Open edX issue. The algorithm is that of
eddsa-rdfc-2022 (RDFC-1.0, SHA-256 of proof configuration and document, Ed25519), but the proof
``type`` is ``Ed25519Signature2020``, it has no ``cryptosuite``, and its terms are defined by
the ``https://w3id.org/security/suites/ed25519-2020/v1`` context, which the credential lists
(VC 2.0's base context does not define them) or, as didkit signs it, the proof itself carries
as its own ``@context``: the proof options are then canonicalized under it, the document under
its own contexts.
"""

from __future__ import annotations

from vcbadge.proofs.suites._common import EDDSA_HASHES, DataIntegritySuite

__all__ = ["ED25519_2020_CONTEXT", "Ed25519Signature2020"]

ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


class Ed25519Signature2020(DataIntegritySuite):
    """Stateless implementation of Ed25519Signature2020 (verify and issue)."""

    proof_type = "Ed25519Signature2020"
    transformation = "rdfc"
    hash_algorithms = EDDSA_HASHES
    # A Linked Data Proofs suite: a proof carrying @context (didkit puts this suite's context
    # there when the document lacks it) has its options read under that context alone.
    own_proof_context = True
