"""ecdsa-rdfc-2019 and ecdsa-jcs-2019 (P-256 and P-384) against the W3C vc-di-ecdsa vectors.

ECDSA signatures are randomized, so the published signature cannot be reproduced byte for byte:
the tests reproduce the canonical forms and hashes exactly, verify the published signature and
signed document, and check that vcbadge's own (deterministic, RFC 6979) signature verifies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from di_vectors import (
    as_published,
    extra_options,
    loader_with_citizenship,
    published_hashes,
    published_signature,
    read_json,
    read_text,
    verify_embedded_proof,
)
from reference_corpus import requires_reference

from vcbadge._time import parse_datetime
from vcbadge.errors import InvalidSignature
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey
from vcbadge.proofs.data_integrity import add_proof, create_proof, unsecured
from vcbadge.proofs.registry import Cryptosuite
from vcbadge.proofs.suites.ecdsa_jcs_2019 import EcdsaJcs2019
from vcbadge.proofs.suites.ecdsa_rdfc_2019 import EcdsaRdfc2019

pytestmark = requires_reference

ROOT = "vectors/vc-di-ecdsa/TestVectors"


@dataclass(frozen=True)
class Vector:
    folder: str
    suffix: str
    curve: str
    unsigned: str
    jcs: bool

    @property
    def id(self) -> str:
        return self.folder


VECTORS = [
    Vector("ecdsa-rdfc-2019-p256", "ECDSAP256", "P-256", "unsigned.json", jcs=False),
    Vector("ecdsa-rdfc-2019-p256/employ", "ECDSAP256", "P-256", "employmentAuth.json", jcs=False),
    Vector("ecdsa-rdfc-2019-p384", "ECDSAP384", "P-384", "unsigned.json", jcs=False),
    Vector("ecdsa-rdfc-2019-p384/employ", "ECDSAP384", "P-384", "employmentAuth.json", jcs=False),
    Vector("ecdsa-jcs-2019-p256", "JCSECDSAP256", "P-256", "unsigned.json", jcs=True),
    Vector("ecdsa-jcs-2019-p384", "JCSECDSAP384", "P-384", "unsigned.json", jcs=True),
]


def _key(reference: Path, curve: str) -> EcKey:
    name = "p256KeyPair.json" if curve == "P-256" else "p384KeyPair.json"
    pair = read_json(reference / ROOT / name)
    key = EcKey.from_multikey(pair["publicKeyMultibase"], pair["secretKeyMultibase"])
    assert key.curve == curve
    return key


def _suite(vector: Vector) -> Cryptosuite:
    return EcdsaJcs2019() if vector.jcs else EcdsaRdfc2019()


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.id)
def test_canonical_forms_and_hashes(vector: Vector, reference: Path) -> None:
    folder = reference / ROOT / vector.folder
    unsigned_doc = read_json(reference / ROOT / vector.unsigned)
    proof_config = read_json(folder / f"proofConfig{vector.suffix}.json")
    canonicalizer = Canonicalizer(loader_with_citizenship(reference))

    hashed = _suite(vector).hash_data(
        unsigned_doc, proof_config, canonicalizer, key_algorithm=vector.curve
    )

    assert as_published(hashed) == published_hashes(folder, vector.suffix)
    assert len(hashed.combined) == (64 if vector.curve == "P-256" else 96)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.id)
def test_published_signature_verifies(vector: Vector, reference: Path) -> None:
    folder = reference / ROOT / vector.folder
    signed = read_json(folder / f"signed{vector.suffix}.json")
    public = _key(reference, vector.curve).public_key()
    suite = _suite(vector)
    canonicalizer = Canonicalizer(loader_with_citizenship(reference))
    signature_hex, proof_value = published_signature(folder, vector.suffix)
    assert suite.decode_proof_value(
        signed["proof"]["proofValue"], path="/proof/proofValue", key_algorithm=vector.curve
    ) == bytes.fromhex(signature_hex)
    assert suite.encode_proof_value(bytes.fromhex(signature_hex)) == proof_value

    verify_embedded_proof(signed, suite=suite, public_key=public, canonicalizer=canonicalizer)

    tampered = {**signed, "validFrom": "2023-01-02T00:00:00Z"}
    with pytest.raises(InvalidSignature):
        verify_embedded_proof(tampered, suite=suite, public_key=public, canonicalizer=canonicalizer)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.id)
def test_own_signature_verifies_and_is_deterministic(vector: Vector, reference: Path) -> None:
    folder = reference / ROOT / vector.folder
    unsigned_doc = read_json(reference / ROOT / vector.unsigned)
    proof_config = read_json(folder / f"proofConfig{vector.suffix}.json")
    published = read_json(folder / f"signed{vector.suffix}.json")
    key = _key(reference, vector.curve)
    suite = _suite(vector)
    canonicalizer = Canonicalizer(loader_with_citizenship(reference))

    def sign() -> dict[str, object]:
        return create_proof(
            unsigned_doc,
            suite=suite,
            signer=key,
            canonicalizer=canonicalizer,
            created=parse_datetime(proof_config["created"]),
            options=extra_options(proof_config),
        )

    proof = sign()
    assert proof == sign()  # RFC 6979: the same input gives the same signature
    signed = add_proof(unsigned_doc, proof)
    # Everything but the (randomized) published signature is identical.
    assert {k: v for k, v in proof.items() if k != "proofValue"} == {
        k: v for k, v in published["proof"].items() if k != "proofValue"
    }
    assert unsecured(signed) == unsecured(published)
    verify_embedded_proof(
        signed, suite=suite, public_key=key.public_key(), canonicalizer=canonicalizer
    )


def test_p384_employ_needs_rdfc_with_sha384(reference: Path) -> None:
    # The corpus notes that the P-384 employment vector's blank-node labels come out only with
    # RDFC-1.0 run with SHA-384; with SHA-256 they differ. The suite must pick SHA-384 itself.
    folder = reference / ROOT / "ecdsa-rdfc-2019-p384/employ"
    unsigned_doc = read_json(reference / ROOT / "employmentAuth.json")
    expected = read_text(folder / "canonDocECDSAP384.txt")
    sha256 = Canonicalizer(loader_with_citizenship(reference))
    assert sha256.canonicalize(unsigned_doc) != expected
    proof_config = read_json(folder / "proofConfigECDSAP384.json")
    hashed = EcdsaRdfc2019().hash_data(unsigned_doc, proof_config, sha256, key_algorithm="P-384")
    assert hashed.canonical_document == expected
