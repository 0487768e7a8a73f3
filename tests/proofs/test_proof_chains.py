"""Proof sets and chains (VC Data Integrity 1.0, sections 4.3 and 4.5): the W3C vc-di-eddsa
proof-set-chain vectors byte for byte, verification of every proof, and the failure modes."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from di_vectors import read_json
from reference_corpus import requires_reference

from vcbadge import FixedClock, Outcome, Policy, Verifier
from vcbadge._time import parse_datetime
from vcbadge.errors import InvalidSignature
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey, Ed25519Key
from vcbadge.proofs.data_integrity import add_proof, create_proof, verify_proof_signature
from vcbadge.proofs.registry import default_registry

FOLDER = "vectors/vc-di-eddsa/TestVectors/proof-set-chain"
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


def _keys(reference: Path) -> dict[str, Ed25519Key]:
    pairs = read_json(reference / FOLDER / "multiKeyPairs.json")
    return {
        name: Ed25519Key.from_multikey(pair["publicKeyMultibase"], pair["privateKeyMultibase"])
        for name, pair in pairs.items()
    }


def _add(
    document: dict[str, Any], config: dict[str, Any], key: Ed25519Key, c14n: Canonicalizer
) -> dict[str, Any]:
    options = {k: v for k, v in config.items() if k in ("id", "previousProof")}
    proof = create_proof(
        document,
        suite=default_registry()[config["cryptosuite"]],
        signer=key,
        canonicalizer=c14n,
        created=parse_datetime(config["created"]),
        options=options,
    )
    return add_proof(document, proof)


@requires_reference
def test_proof_set_and_chain_vectors_reproduce(reference: Path) -> None:
    folder = reference / FOLDER
    keys = _keys(reference)
    c14n = Canonicalizer(default_loader())
    document = read_json(folder / "unsigned.json")

    document = _add(document, read_json(folder / "proofSetConfig1.json"), keys["keyPair1"], c14n)
    assert document == read_json(folder / "signedProofSet1.json")
    document = _add(document, read_json(folder / "proofSetConfig2.json"), keys["keyPair2"], c14n)
    assert document == read_json(folder / "signedProofSet2.json")
    document = _add(document, read_json(folder / "proofChainConfig1.json"), keys["keyPair3"], c14n)
    assert document == read_json(folder / "signedProofChain1.json")
    document = _add(document, read_json(folder / "proofChainConfig2.json"), keys["keyPair4"], c14n)
    assert document == read_json(folder / "signedProofChain2.json")


@requires_reference
def test_every_proof_of_the_chain_verifies(reference: Path) -> None:
    signed = read_json(reference / FOLDER / "signedProofChain2.json")
    keys = list(_keys(reference).values())
    c14n = Canonicalizer(default_loader())
    registry = default_registry()
    for index, (proof, key) in enumerate(zip(signed["proof"], keys, strict=True)):
        verify_proof_signature(
            signed,
            proof,
            suite=registry[proof["cryptosuite"]],
            public_key=key.public_key(),
            canonicalizer=c14n,
            path=f"/proof/{index}",
        )


@requires_reference
def test_chained_proof_breaks_when_a_previous_proof_changes(reference: Path) -> None:
    signed = read_json(reference / FOLDER / "signedProofChain2.json")
    keys = list(_keys(reference).values())
    c14n = Canonicalizer(default_loader())
    suite = default_registry()["eddsa-rdfc-2022"]
    # Proof 1 is covered by the chained proof 2 (previousProof lists it): swapping its
    # signature for another valid-looking one breaks proof 2, not only proof 1.
    tampered = copy.deepcopy(signed)
    tampered["proof"][0]["proofValue"] = signed["proof"][1]["proofValue"]
    with pytest.raises(InvalidSignature):
        verify_proof_signature(
            tampered,
            tampered["proof"][2],
            suite=suite,
            public_key=keys[2].public_key(),
            canonicalizer=c14n,
            path="/proof/2",
        )


@requires_reference
def test_previous_proof_naming_a_missing_id_is_invalid(reference: Path) -> None:
    signed = read_json(reference / FOLDER / "signedProofChain2.json")
    # Removing the proof the last one chains to (the end of a chain cannot be cut off).
    del signed["proof"][2]
    keys = list(_keys(reference).values())
    with pytest.raises(InvalidSignature) as info:
        verify_proof_signature(
            signed,
            signed["proof"][2],
            suite=default_registry()["eddsa-rdfc-2022"],
            public_key=keys[3].public_key(),
            canonicalizer=Canonicalizer(default_loader()),
            path="/proof/2",
        )
    assert info.value.code == "previous_proof_missing"
    assert info.value.path == "/proof/2/previousProof"


def _issuer_documents(*keys: Ed25519Key | EcKey) -> dict[str, Any]:
    # One issuer (a did:web) with several keys, as an institution rotating keys would have.
    controller = keys[0].controller
    return {
        controller: {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": controller,
            "verificationMethod": [key.to_multikey_document() for key in keys],
            "assertionMethod": [key.verification_method for key in keys],
        }
    }


def _credential(issuer: str) -> dict[str, Any]:
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2024-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ada", "name": "Ada"},
    }


def test_mixed_suite_chain_through_the_verifier() -> None:
    issuer = "did:web:badges.example.edu"
    ed = Ed25519Key.from_seed(bytes([1]) * 32, controller=issuer, key_id="#ed")
    p256 = EcKey.from_private_scalar(bytes([2]) * 32, "P-256", controller=issuer, key_id="#p256")
    p384 = EcKey.from_private_scalar(bytes([3]) * 48, "P-384", controller=issuer, key_id="#p384")
    c14n = Canonicalizer(default_loader())
    registry = default_registry()
    document = _credential(issuer)
    steps: list[tuple[str, Ed25519Key | EcKey, dict[str, Any]]] = [
        ("eddsa-rdfc-2022", ed, {"id": "urn:uuid:one"}),
        ("ecdsa-jcs-2019", p256, {"id": "urn:uuid:two", "previousProof": "urn:uuid:one"}),
        ("ecdsa-rdfc-2019", p384, {"previousProof": ["urn:uuid:one", "urn:uuid:two"]}),
    ]
    for suite_name, key, options in steps:
        proof = create_proof(
            document,
            suite=registry[suite_name],
            signer=key,
            canonicalizer=c14n,
            created=NOW,
            options=options,
        )
        document = add_proof(document, proof)
    verifier = Verifier.offline(
        documents=_issuer_documents(ed, p256, p384),
        clock=FixedClock(NOW),
        policy=Policy(allow_example_contexts=True),  # the chain's document is a W3C example
    )

    result = verifier.verify(document)
    assert result.outcome is Outcome.VALID, result.to_dict()
    assert [c.path for c in result.checks if c.name == "proof"] == [
        "/proof/0",
        "/proof/1",
        "/proof/2",
    ]

    cut = copy.deepcopy(document)
    cut["proof"][0]["id"] = "urn:uuid:renamed"
    result = verifier.verify(cut)
    assert result.outcome is Outcome.INVALID
    assert {(c.path, c.code) for c in result.failed} == {
        ("/proof/0", "invalid_signature"),  # proof 0's id is covered by its own signature
        ("/proof/1/previousProof", "previous_proof_missing"),
        ("/proof/2/previousProof", "previous_proof_missing"),
    }


def test_previous_proof_must_exist_when_signing() -> None:
    key = Ed25519Key.from_seed(bytes(32))
    with pytest.raises(InvalidSignature) as info:
        create_proof(
            _credential(key.did),
            suite=default_registry()["eddsa-rdfc-2022"],
            signer=key,
            canonicalizer=Canonicalizer(default_loader()),
            created=NOW,
            options={"previousProof": "urn:uuid:absent"},
        )
    assert info.value.code == "previous_proof_missing"


def test_ambiguous_previous_proof_is_invalid() -> None:
    key = Ed25519Key.from_seed(bytes(32))
    c14n = Canonicalizer(default_loader())
    suite = default_registry()["eddsa-rdfc-2022"]
    document = _credential(key.did)
    for _ in range(2):
        document = add_proof(
            document,
            create_proof(
                document,
                suite=suite,
                signer=key,
                canonicalizer=c14n,
                created=NOW,
                options={"id": "urn:uuid:same"},
            ),
        )
    chained = create_proof(
        {**document, "proof": document["proof"][:1]},
        suite=suite,
        signer=key,
        canonicalizer=c14n,
        created=NOW,
        options={"previousProof": "urn:uuid:same"},
    )
    document = add_proof(document, chained)
    result = Verifier.offline(clock=FixedClock(NOW)).verify(document)
    assert result.outcome is Outcome.INVALID
    assert ("/proof/2/previousProof", "previous_proof_ambiguous") in {
        (c.path, c.code) for c in result.failed
    }
