"""Ed25519Signature2020 reproduces the W3C vc-di-eddsa legacy vector byte for byte, and the
1EdTech validator's Ed25519Signature2020 files verify."""

from __future__ import annotations

from pathlib import Path

from di_vectors import (
    EDDSA_VECTORS,
    as_published,
    eddsa_vector_key,
    published_hashes,
    published_signature,
    read_json,
    verify_embedded_proof,
)
from reference_corpus import requires_reference

from vcbadge._time import parse_datetime
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.data_integrity import add_proof, create_proof
from vcbadge.proofs.suites.ed25519_signature_2020 import Ed25519Signature2020

pytestmark = requires_reference


def test_ed25519_signature_2020_vector(reference: Path) -> None:
    root = reference / EDDSA_VECTORS
    folder = root / "Ed25519Signature2020"
    proof_config = read_json(folder / "proofConfigEdSig.json")
    # The vector signs unsigned.json with the suite context appended (what a signer adds).
    unsigned = {**read_json(root / "unsigned.json"), "@context": proof_config["@context"]}
    key = eddsa_vector_key(reference)
    canonicalizer = Canonicalizer(default_loader())
    suite = Ed25519Signature2020()

    hashed = suite.hash_data(unsigned, proof_config, canonicalizer)

    assert as_published(hashed) == published_hashes(folder, "EdSig")
    signature = key.sign(hashed.combined)
    assert (signature.hex(), suite.encode_proof_value(signature)) == published_signature(
        folder, "EdSig"
    )

    proof = create_proof(
        unsigned,
        suite=suite,
        signer=key,
        canonicalizer=canonicalizer,
        created=parse_datetime(proof_config["created"]),
    )
    assert "cryptosuite" not in proof
    signed = read_json(folder / "signedEdSig.json")
    assert add_proof(unsigned, proof) == signed

    verify_embedded_proof(
        signed, suite=suite, public_key=key.public_key(), canonicalizer=canonicalizer
    )
