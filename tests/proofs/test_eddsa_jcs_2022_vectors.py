"""eddsa-jcs-2022 reproduces the W3C vc-di-eddsa vector byte for byte: canonical forms, hashes,
signature, signed document; and the signed document verifies."""

from __future__ import annotations

from pathlib import Path

from di_vectors import (
    EDDSA_VECTORS,
    as_published,
    eddsa_vector_key,
    extra_options,
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
from vcbadge.proofs.suites.eddsa_jcs_2022 import EddsaJcs2022

pytestmark = requires_reference


def test_eddsa_jcs_2022_vector(reference: Path) -> None:
    root = reference / EDDSA_VECTORS
    folder = root / "eddsa-jcs-2022"
    unsigned = read_json(root / "unsigned.json")
    proof_config = read_json(folder / "proofConfigJCS.json")
    key = eddsa_vector_key(reference)
    canonicalizer = Canonicalizer(default_loader())
    suite = EddsaJcs2022()

    hashed = suite.hash_data(unsigned, proof_config, canonicalizer)

    assert as_published(hashed) == published_hashes(folder, "JCS")
    signature = key.sign(hashed.combined)
    assert (signature.hex(), suite.encode_proof_value(signature)) == published_signature(
        folder, "JCS"
    )

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

    verify_embedded_proof(
        signed, suite=suite, public_key=key.public_key(), canonicalizer=canonicalizer
    )
