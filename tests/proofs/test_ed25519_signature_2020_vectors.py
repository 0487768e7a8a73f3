"""Ed25519Signature2020 reproduces the W3C vc-di-eddsa legacy vector byte for byte, and the
1EdTech validator's Ed25519Signature2020 files verify."""

from __future__ import annotations

from pathlib import Path

from di_vectors import read_json, read_text
from reference_corpus import requires_reference

from vcbadge._time import parse_datetime
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key
from vcbadge.proofs.data_integrity import add_proof, create_proof, verify_proof_signature
from vcbadge.proofs.suites.ed25519_signature_2020 import Ed25519Signature2020

pytestmark = requires_reference

FOLDER = "vectors/vc-di-eddsa/TestVectors"


def test_ed25519_signature_2020_vector(reference: Path) -> None:
    root = reference / FOLDER
    folder = root / "Ed25519Signature2020"
    proof_config = read_json(folder / "proofConfigEdSig.json")
    # The vector signs unsigned.json with the suite context appended (what a signer adds).
    unsigned = {**read_json(root / "unsigned.json"), "@context": proof_config["@context"]}
    pair = read_json(root / "keyPair.json")
    key = Ed25519Key.from_multikey(pair["publicKeyMultibase"], pair["privateKeyMultibase"])
    canonicalizer = Canonicalizer(default_loader())
    suite = Ed25519Signature2020()

    hashed = suite.hash_data(unsigned, proof_config, canonicalizer)

    assert hashed.canonical_document == read_text(folder / "canonDocEdSig.txt")
    assert hashed.canonical_proof_config == read_text(folder / "proofCanonEdSig.txt")
    assert hashed.document_hash.hex() == read_text(folder / "docHashEdSig.txt").strip()
    assert hashed.proof_hash.hex() == read_text(folder / "proofHashEdSig.txt").strip()
    assert hashed.combined.hex() == read_text(folder / "combinedHashEdSig.txt").strip()
    signature = key.sign(hashed.combined)
    assert signature.hex() == read_text(folder / "sigHexEdSig.txt").strip()
    assert suite.encode_proof_value(signature) == read_text(folder / "sigBTC58EdSig.txt").strip()

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

    verify_proof_signature(
        signed,
        signed["proof"],
        suite=suite,
        public_key=key.public_key(),
        canonicalizer=canonicalizer,
        path="/proof",
    )
