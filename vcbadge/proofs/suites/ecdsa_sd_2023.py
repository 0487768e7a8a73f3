"""The ecdsa-sd-2023 cryptosuite (W3C Data Integrity ECDSA Cryptosuites v1.0, section 3.4):
selective disclosure with P-256 keys.

Its proofs do not follow the one algorithm the other suites share (hash the document and the
proof options, sign the two hashes): a verifier is shown a *derived* proof, checked by
:func:`vcbadge.proofs.selective_disclosure.verify_derived_proof` through :meth:`verify_proof`.
The shared path (``hash_data``, ``read_signature``) is closed (``sd_shared_algorithm``), so
this suite can never be used as if it were an ordinary one: neither to verify nor to issue.
Issuing and deriving are :func:`~vcbadge.proofs.selective_disclosure.create_base_proof` and
:func:`~vcbadge.proofs.selective_disclosure.derive`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from vcbadge.errors import InvalidSignature, UnsupportedError
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.hashing import HashData, ProofSignature
from vcbadge.proofs.selective_disclosure import verify_derived_proof
from vcbadge.proofs.suites._common import DataIntegritySuite
from vcbadge.protocols import PublicKey

__all__ = ["EcdsaSd2023"]


class EcdsaSd2023(DataIntegritySuite):
    """Stateless verifier of ecdsa-sd-2023 derived proofs (P-256, SHA-256, RDFC-1.0)."""

    cryptosuite = "ecdsa-sd-2023"
    transformation = "rdfc"
    hash_algorithms = {"P-256": "sha256"}

    def verify_proof(
        self,
        document: Mapping[str, Any],
        proof: Mapping[str, Any],
        *,
        public_key: PublicKey,
        canonicalizer: Canonicalizer,
        path: str,
    ) -> HashData:
        """Raise ``InvalidSignature`` unless ``proof`` is a derived proof by ``public_key``'s
        issuer over exactly what ``document`` (the secured document as received) discloses.

        As in every Data Integrity suite, a proof ``@context`` must be a prefix of the
        document's. A chained proof (``previousProof``) is not supported
        (``sd_previous_proof_unsupported``, INDETERMINATE). The other codes are those of
        :func:`~vcbadge.proofs.selective_disclosure.verify_derived_proof`.
        """
        if canonicalizer.hash_algorithm != "sha256":
            raise UnsupportedError("ecdsa-sd-2023 canonicalizes with SHA-256 RDFC-1.0")
        if "previousProof" in proof:
            raise UnsupportedError(
                "ecdsa-sd-2023 proofs in a proof chain (previousProof) are not supported",
                code="sd_previous_proof_unsupported",
                path=f"{path}/previousProof",
            )
        unsecured_document = {key: value for key, value in document.items() if key != "proof"}
        proof_config = {key: value for key, value in proof.items() if key != "proofValue"}
        if "@context" in proof_config:
            own = _as_list(proof_config["@context"])
            if _as_list(document.get("@context"))[: len(own)] != own:
                raise InvalidSignature(
                    "the proof's @context is not a prefix of the document's @context",
                    path=f"{path}/@context",
                )
            unsecured_document["@context"] = proof_config["@context"]
        elif "@context" in unsecured_document:
            proof_config["@context"] = unsecured_document["@context"]
        return verify_derived_proof(
            unsecured_document,
            proof_config,
            proof.get("proofValue"),
            public_key=public_key,
            canonicalizer=canonicalizer,
            path=path,
        )

    def hash_data(
        self,
        unsecured_document: Mapping[str, Any],
        proof_config: Mapping[str, Any],
        canonicalizer: Canonicalizer,
        *,
        key_algorithm: str | None = None,
    ) -> HashData:
        """Closed: ecdsa-sd-2023 does not sign a document hash (see :meth:`verify_proof`)."""
        _closed()

    def read_signature(
        self, proof: Mapping[str, Any], *, path: str, key_algorithm: str
    ) -> ProofSignature:
        """Closed: ecdsa-sd-2023 does not carry one signature (see :meth:`verify_proof`)."""
        _closed()


def _closed() -> NoReturn:
    raise UnsupportedError(
        "ecdsa-sd-2023 proofs are verified with EcdsaSd2023.verify_proof and issued with "
        "vcbadge.proofs.selective_disclosure.create_base_proof, not with the algorithm the "
        "other Data Integrity suites share",
        code="sd_shared_algorithm",
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
