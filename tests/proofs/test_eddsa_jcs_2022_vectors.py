"""eddsa-jcs-2022 reproduces the W3C vc-di-eddsa vector byte for byte: canonical forms, hashes,
signature, signed document; and the signed document verifies."""

from __future__ import annotations

from pathlib import Path

from di_vectors import extra_options, read_json, read_text
from reference_corpus import requires_reference

from vcbadge._time import parse_datetime
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key
from vcbadge.proofs.data_integrity import add_proof, create_proof, verify_proof_signature
from vcbadge.proofs.suites.eddsa_jcs_2022 import EddsaJcs2022

pytestmark = requires_reference

FOLDER = "vectors/vc-di-eddsa/TestVectors"


def test_eddsa_jcs_2022_vector(reference: Path) -> None:
    root = reference / FOLDER
    folder = root / "eddsa-jcs-2022"
    unsigned = read_json(root / "unsigned.json")
    proof_config = read_json(folder / "proofConfigJCS.json")
    pair = read_json(root / "keyPair.json")
    key = Ed25519Key.from_multikey(pair["publicKeyMultibase"], pair["privateKeyMultibase"])
    canonicalizer = Canonicalizer(default_loader())
    suite = EddsaJcs2022()

    hashed = suite.hash_data(unsigned, proof_config, canonicalizer)

    assert hashed.canonical_document == read_text(folder / "canonDocJCS.txt")
    assert hashed.canonical_proof_config == read_text(folder / "proofCanonJCS.txt")
    assert hashed.document_hash.hex() == read_text(folder / "docHashJCS.txt").strip()
    assert hashed.proof_hash.hex() == read_text(folder / "proofHashJCS.txt").strip()
    assert hashed.combined.hex() == read_text(folder / "combinedHashJCS.txt").strip()
    signature = key.sign(hashed.combined)
    assert signature.hex() == read_text(folder / "sigHexJCS.txt").strip()
    assert suite.encode_proof_value(signature) == read_text(folder / "sigBTC58JCS.txt").strip()

    proof = create_proof(
        unsigned,
        suite=suite,
        signer=key,
        canonicalizer=canonicalizer,
        created=parse_datetime(proof_config["created"]),
        options=extra_options(proof_config),
    )
    signed = read_json(folder / "signedJCS.json")
    # The JCS proof keeps the document's @context: it was signed.
    assert proof["@context"] == unsigned["@context"]
    assert add_proof(unsigned, proof) == signed

    verify_proof_signature(
        signed,
        signed["proof"],
        suite=suite,
        public_key=key.public_key(),
        canonicalizer=canonicalizer,
        path="/proof",
    )
