"""Adding and checking Data Integrity proofs (W3C VC Data Integrity 1.0, sections 4.2 and 4.3).

This layer is pure: it is given the signer or the public key and a canonicalizer. Finding the key
behind ``verificationMethod`` and deciding whether it may be used is the verification pipeline's
job (``vcbadge.verify``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime, parse_datetime
from vcbadge.errors import InputError, InvalidSignature, ModelError
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys.ed25519 import Ed25519Key
from vcbadge.proofs.hashing import HashData
from vcbadge.proofs.registry import Cryptosuite
from vcbadge.protocols import Signer

__all__ = [
    "add_proof",
    "create_proof",
    "hash_for_verification",
    "proof_options_of",
    "proofs_of",
    "unsecured",
    "verify_proof_signature",
]

_REQUIRED_PROOF_MEMBERS = (
    "type",
    "cryptosuite",
    "verificationMethod",
    "proofPurpose",
    "proofValue",
)


def unsecured(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document without its ``proof`` member (what the proofs sign)."""
    return {key: value for key, value in document.items() if key != "proof"}


def proofs_of(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Each proof with its JSON pointer; ``proof`` may be one object or a set (array)."""
    proof = document.get("proof")
    if proof is None:
        return []
    if isinstance(proof, list):
        return [(f"/proof/{index}", item) for index, item in enumerate(proof)]
    return [("/proof", proof)]


def create_proof(
    document: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    signer: Signer,
    canonicalizer: Canonicalizer,
    created: datetime,
    proof_purpose: str = "assertionMethod",
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Create a proof over ``document`` (its existing proofs are not covered: a proof *set*).

    ``options`` may add members such as ``id``, ``expires``, ``challenge`` or ``domain``.
    """
    if signer.algorithm != suite.key_algorithm:
        raise InputError(
            f"{suite.name} needs an {suite.key_algorithm} key, the signer uses {signer.algorithm}",
            code="key_algorithm_mismatch",
        )
    proof_config: dict[str, Any] = {
        "type": suite.proof_type,
        "cryptosuite": suite.name,
        "created": format_datetime(created),
        "verificationMethod": signer.verification_method,
        "proofPurpose": proof_purpose,
    }
    if options:
        proof_config.update(options)
    hashed = _hash(unsecured(document), proof_config, document, suite, canonicalizer)
    signature = signer.sign(hashed.combined)
    proof = {key: value for key, value in proof_config.items() if key != "@context"}
    proof["proofValue"] = suite.encode_proof_value(signature)
    return proof


def add_proof(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` carrying ``proof`` (appended to a proof set if one exists)."""
    secured = copy.deepcopy(dict(document))
    existing = secured.get("proof")
    if existing is None:
        secured["proof"] = dict(proof)
    elif isinstance(existing, list):
        secured["proof"] = [*existing, dict(proof)]
    else:
        secured["proof"] = [existing, dict(proof)]
    return secured


def proof_options_of(proof: Any, *, path: str) -> dict[str, Any]:
    """Check the proof's shape and return it without ``proofValue``.

    Raises ``ModelError`` naming the member when a required member is missing or mistyped.
    """
    if not isinstance(proof, Mapping):
        raise ModelError("a proof must be a JSON object", code="proof_malformed", path=path)
    for member in _REQUIRED_PROOF_MEMBERS:
        if not isinstance(proof.get(member), str):
            raise ModelError(
                f"proof member {member!r} is missing or not a string",
                code="proof_malformed",
                path=f"{path}/{member}",
            )
    created = proof.get("created")
    if created is not None:
        if not isinstance(created, str):
            raise ModelError(
                "proof 'created' must be a string", code="proof_malformed", path=f"{path}/created"
            )
        try:
            parse_datetime(created)
        except ValueError as exc:
            raise ModelError(str(exc), code="proof_malformed", path=f"{path}/created") from exc
    return {key: value for key, value in proof.items() if key != "proofValue"}


def hash_for_verification(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    canonicalizer: Canonicalizer,
    path: str,
) -> HashData:
    """Recompute the hashes a proof signed, over the document exactly as received."""
    options = proof_options_of(proof, path=path)
    return _hash(unsecured(document), options, document, suite, canonicalizer, path=path)


def verify_proof_signature(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    public_key: Ed25519Key,
    canonicalizer: Canonicalizer,
    path: str,
) -> HashData:
    """Raise ``InvalidSignature`` unless ``proof`` is a valid signature over ``document``."""
    if proof.get("type") != suite.proof_type or proof.get("cryptosuite") != suite.name:
        raise InvalidSignature(
            f"proof is not a {suite.proof_type} with cryptosuite {suite.name}", path=path
        )
    signature = suite.decode_proof_value(proof.get("proofValue"), path=f"{path}/proofValue")
    hashed = hash_for_verification(
        document, proof, suite=suite, canonicalizer=canonicalizer, path=path
    )
    if not public_key.verify(signature, hashed.combined):
        raise InvalidSignature("the signature does not match the document", path=path)
    return hashed


def _hash(
    unsecured_document: Mapping[str, Any],
    proof_options: Mapping[str, Any],
    document: Mapping[str, Any],
    suite: Cryptosuite,
    canonicalizer: Canonicalizer,
    *,
    path: str = "",
) -> HashData:
    proof_config = dict(proof_options)
    document_context = document.get("@context")
    if "@context" in proof_config:
        # A proof that names its own contexts must name a prefix of the document's, in order;
        # otherwise a proof could be re-interpreted under vocabulary the issuer never used.
        proof_context = _as_list(proof_config["@context"])
        if _as_list(document_context)[: len(proof_context)] != proof_context:
            raise InvalidSignature(
                "the proof's @context is not a prefix of the document's @context",
                path=f"{path}/@context",
            )
    if document_context is not None:
        proof_config["@context"] = document_context
    return suite.hash_data(unsecured_document, proof_config, canonicalizer)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
