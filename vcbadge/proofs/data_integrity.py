"""Adding and checking Data Integrity proofs (W3C VC Data Integrity 1.0, sections 4.2 to 4.5).

This layer is pure: it is given the signer or the public key and a canonicalizer. Finding the key
behind ``verificationMethod`` and deciding whether it may be used is the verification pipeline's
job (``vcbadge.verify``).

Proof sets and chains: a document may carry several proofs (``proof`` is then an array). A proof
that names ``previousProof`` (one id or an array of ids) is *chained*: it signs the document with
the referenced proofs, complete with their ``proofValue``, as its ``proof`` member, so removing or
altering a referenced proof breaks it. A ``previousProof`` naming an id that is not in the set
makes the chained proof INVALID (``previous_proof_missing``).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime, parse_datetime
from vcbadge.errors import InputError, InvalidSignature, InvalidVerificationMethod, ModelError
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.hashing import HashData
from vcbadge.proofs.registry import Cryptosuite, PublicKey
from vcbadge.proofs.suites.ecdsa_sd_2023 import EcdsaSd2023
from vcbadge.protocols import Signer

__all__ = [
    "add_proof",
    "attach_proof",
    "create_proof",
    "hash_for_verification",
    "previous_proofs",
    "proof_options_of",
    "proofs_of",
    "unsecured",
    "verify_proof_signature",
]

_REQUIRED_PROOF_MEMBERS = ("type", "verificationMethod", "proofPurpose")


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


def previous_proofs(
    document: Mapping[str, Any], previous: object, *, path: str
) -> list[dict[str, Any]]:
    """The proofs of ``document``'s proof set that ``previous`` (a ``previousProof`` value: an
    id or a list of ids) names, in the order named.

    Raises:
        ModelError: ``proof_malformed`` when ``previous`` is not a string or list of strings.
        InvalidSignature: ``previous_proof_missing`` when an id names no proof of the set, or
            ``previous_proof_ambiguous`` when it names several.
    """
    ids = [previous] if isinstance(previous, str) else previous
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise ModelError(
            "previousProof must be a proof id or a non-empty list of proof ids",
            code="proof_malformed",
            path=f"{path}/previousProof",
        )
    present = [proof for _, proof in proofs_of(document) if isinstance(proof, Mapping)]
    matching: list[dict[str, Any]] = []
    for proof_id in ids:
        found = [proof for proof in present if proof.get("id") == proof_id]
        if not found:
            raise InvalidSignature(
                f"previousProof names {proof_id!r}, which is not a proof of this document",
                code="previous_proof_missing",
                path=f"{path}/previousProof",
            )
        if len(found) > 1:
            raise InvalidSignature(
                f"previousProof names {proof_id!r}, the id of {len(found)} proofs",
                code="previous_proof_ambiguous",
                path=f"{path}/previousProof",
            )
        matching.append(copy.deepcopy(dict(found[0])))
    return matching


def create_proof(
    document: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    signer: Signer,
    canonicalizer: Canonicalizer,
    created: datetime | None,
    proof_purpose: str = "assertionMethod",
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Create a proof over ``document``, to be added with :func:`add_proof`.

    ``options`` may add members such as ``id``, ``expires``, ``challenge``, ``domain`` or
    ``previousProof``. Without ``previousProof`` the document's existing proofs are not covered
    (the new proof joins a proof *set*); with it, the named proofs are (a proof *chain*).
    ``created=None`` leaves ``created`` out (Data Integrity allows that; Ed25519Signature2020
    requires it).

    Raises:
        InputError: ``key_algorithm_mismatch`` when the signer's algorithm is not one the
            suite signs with; ``legacy_cryptosuite`` for a suite kept only for verification.
        InvalidSignature: ``previous_proof_missing`` when ``previousProof`` names a proof the
            document does not carry.
    """
    if suite.legacy:
        raise InputError(
            f"{suite.name} is a legacy name kept to verify old credentials; "
            "issue with a current suite",
            code="legacy_cryptosuite",
        )
    if signer.algorithm not in suite.key_algorithms:
        raise InputError(
            f"{suite.name} needs a {' or '.join(sorted(suite.key_algorithms))} key, "
            f"the signer uses {signer.algorithm}",
            code="key_algorithm_mismatch",
        )
    proof_config: dict[str, Any] = {"type": suite.proof_type}
    if suite.cryptosuite is not None:
        proof_config["cryptosuite"] = suite.cryptosuite
    if created is not None:
        proof_config["created"] = format_datetime(created)
    proof_config["verificationMethod"] = signer.verification_method
    proof_config["proofPurpose"] = proof_purpose
    if options:
        proof_config.update(options)
    if suite.embeds_proof_context and "@context" in document:
        proof_config.setdefault("@context", copy.deepcopy(document["@context"]))
    hashed = _hash(document, proof_config, suite, canonicalizer, key_algorithm=signer.algorithm)
    signature = signer.sign(hashed.combined)
    proof = {
        key: value
        for key, value in proof_config.items()
        if key != "@context" or suite.embeds_proof_context
    }
    proof["proofValue"] = suite.encode_proof_value(signature)
    return proof


def add_proof(document: Mapping[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``document`` carrying ``proof`` (appended to a proof set if one exists)."""
    return attach_proof(copy.deepcopy(dict(document)), proof)


def attach_proof(document: dict[str, Any], proof: Mapping[str, Any]) -> dict[str, Any]:
    """``document`` itself, now carrying ``proof`` (appended to a proof set if one exists):
    :func:`add_proof` without its copy, for a caller that owns ``document`` (an issuer signing
    its own copy of the credential)."""
    existing = document.get("proof")
    if existing is None:
        document["proof"] = dict(proof)
    elif isinstance(existing, list):
        document["proof"] = [*existing, dict(proof)]
    else:
        document["proof"] = [existing, dict(proof)]
    return document


def proof_options_of(proof: Any, *, path: str, suite: Cryptosuite | None = None) -> dict[str, Any]:
    """Check the proof's shape and return it without its signature (``proofValue``, or
    ``jws`` for Ed25519Signature2018).

    Raises ``ModelError`` naming the member when a required member is missing or mistyped
    (``cryptosuite`` is required unless ``suite`` is a legacy proof type without one).
    """
    if not isinstance(proof, Mapping):
        raise ModelError("a proof must be a JSON object", code="proof_malformed", path=path)
    signature_member = "proofValue" if suite is None else suite.signature_member
    required: tuple[str, ...] = (*_REQUIRED_PROOF_MEMBERS, signature_member)
    if suite is None or suite.cryptosuite is not None:
        required = (*required, "cryptosuite")
    for member in required:
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
    return {key: value for key, value in proof.items() if key != signature_member}


def hash_for_verification(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    canonicalizer: Canonicalizer,
    path: str,
    key_algorithm: str | None = None,
) -> HashData:
    """Recompute the hashes a proof signed, over the document exactly as received.

    ``document`` is the secured document (with its whole proof set, from which a chained
    proof's ``previousProof`` is taken). ``key_algorithm`` is the verification key's algorithm,
    which chooses the hash of the ECDSA suites.
    """
    options = proof_options_of(proof, path=path, suite=suite)
    return _hash(document, options, suite, canonicalizer, key_algorithm=key_algorithm, path=path)


def verify_proof_signature(
    document: Mapping[str, Any],
    proof: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    public_key: PublicKey,
    canonicalizer: Canonicalizer,
    path: str,
) -> HashData:
    """Raise ``InvalidSignature`` unless ``proof`` is a valid signature over ``document``.

    Raises ``InvalidVerificationMethod`` (``key_type_mismatch``) when ``public_key`` is not of
    a type the suite signs with (an Ed25519 key cannot verify an ECDSA proof).
    """
    if proof.get("type") != suite.proof_type or proof.get("cryptosuite") != suite.cryptosuite:
        expected = suite.proof_type + (
            f" with cryptosuite {suite.cryptosuite}" if suite.cryptosuite else ""
        )
        raise InvalidSignature(f"proof is not a {expected}", path=path)
    if public_key.algorithm not in suite.key_algorithms:
        raise InvalidVerificationMethod(
            f"{suite.name} proofs are made with "
            f"{' or '.join(sorted(suite.key_algorithms))} keys; the verification method holds "
            f"a {public_key.algorithm} key",
            code="key_type_mismatch",
            path=f"{path}/verificationMethod",
        )
    if isinstance(suite, EcdsaSd2023):
        # Selective disclosure: the proof is checked statement by statement, not as two hashes.
        proof_options_of(proof, path=path, suite=suite)
        return suite.verify_proof(
            document, proof, public_key=public_key, canonicalizer=canonicalizer, path=path
        )
    signature = suite.read_signature(proof, path=path, key_algorithm=public_key.algorithm)
    hashed = hash_for_verification(
        document,
        proof,
        suite=suite,
        canonicalizer=canonicalizer,
        path=path,
        key_algorithm=public_key.algorithm,
    )
    if not public_key.verify(signature.signature, signature.signing_input(hashed)):
        raise InvalidSignature("the signature does not match the document", path=path)
    return hashed


def _hash(
    document: Mapping[str, Any],
    proof_options: Mapping[str, Any],
    suite: Cryptosuite,
    canonicalizer: Canonicalizer,
    *,
    key_algorithm: str | None,
    path: str = "",
) -> HashData:
    unsecured_document = unsecured(document)
    if "previousProof" in proof_options:
        unsecured_document["proof"] = previous_proofs(
            document, proof_options["previousProof"], path=path
        )
    proof_config = dict(proof_options)
    # Linked Data Proofs suites (Ed25519Signature2018/2020, as didkit signs them) read a proof's
    # own @context alone: the proof options are canonicalized under it and the document under
    # its own contexts, so neither is re-read under the other's vocabulary (both served only
    # from the bundled set, as ever).
    if "@context" in proof_config and not suite.own_proof_context:
        # Data Integrity: a proof that names its own contexts must name a prefix of the
        # document's, in order; otherwise a proof could be re-interpreted under vocabulary the
        # issuer never used. The document is then read under the proof's contexts (VC DI
        # EdDSA/ECDSA "Verify Proof").
        proof_context = _as_list(proof_config["@context"])
        if _as_list(document.get("@context"))[: len(proof_context)] != proof_context:
            raise InvalidSignature(
                "the proof's @context is not a prefix of the document's @context",
                path=f"{path}/@context",
            )
        unsecured_document["@context"] = proof_config["@context"]
    if (
        not suite.embeds_proof_context
        and "@context" in unsecured_document
        and "@context" not in proof_config
    ):
        # RDFC suites: the proof configuration is read under the document's contexts.
        proof_config["@context"] = unsecured_document["@context"]
    return suite.hash_data(
        unsecured_document, proof_config, canonicalizer, key_algorithm=key_algorithm
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
