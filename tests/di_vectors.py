"""Helpers shared by the W3C Data Integrity vector tests (reading the reference corpus)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vcbadge.jsonld.loader import BundledLoader, default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key
from vcbadge.proofs.data_integrity import verify_proof_signature
from vcbadge.proofs.hashing import HashData
from vcbadge.proofs.registry import Cryptosuite, PublicKey

CITIZENSHIP = "https://w3id.org/citizenship/v4rc1"
PROOF_CONFIG_DEFAULTS = ("@context", "type", "cryptosuite", "created", "verificationMethod")
EDDSA_VECTORS = "vectors/vc-di-eddsa/TestVectors"


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def read_json(path: Path) -> Any:
    return json.loads(read_text(path))


def loader_with_citizenship(reference: Path) -> BundledLoader:
    # The citizenship context is not bundled (no badge uses it); the employment vectors need
    # it, so the tests add the published document explicitly, as any caller may.
    index = read_json(reference / "contexts" / "index.json")["contexts"]
    document = read_json(reference / "contexts" / index[CITIZENSHIP]["file"])
    return default_loader().with_documents({CITIZENSHIP: document})


def extra_options(proof_config: dict[str, Any]) -> dict[str, Any]:
    """The members of a vector's proof configuration that ``create_proof`` does not set itself."""
    return {
        key: value
        for key, value in proof_config.items()
        if key not in (*PROOF_CONFIG_DEFAULTS, "proofPurpose")
    }


def eddsa_vector_key(reference: Path) -> Ed25519Key:
    """The key pair that signs every W3C vc-di-eddsa vector."""
    pair = read_json(reference / EDDSA_VECTORS / "keyPair.json")
    return Ed25519Key.from_multikey(pair["publicKeyMultibase"], pair["privateKeyMultibase"])


def as_published(hashed: HashData) -> dict[str, str]:
    """``hashed`` named and written as the W3C vector files are (text, hex digests), so a test
    compares it with :func:`published_hashes` in one assertion that shows every difference."""
    return {
        "canonDoc": hashed.canonical_document,
        "proofCanon": hashed.canonical_proof_config,
        "docHash": hashed.document_hash.hex(),
        "proofHash": hashed.proof_hash.hex(),
        "combinedHash": hashed.combined.hex(),
    }


def published_hashes(folder: Path, suffix: str) -> dict[str, str]:
    """The canonical forms and hashes a W3C vector publishes (``canonDoc<suffix>.txt``, …)."""
    # Canonical forms compare exactly (N-Quads end with a newline); a hex file's newline is no
    # part of the hash.
    return {
        "canonDoc": read_text(folder / f"canonDoc{suffix}.txt"),
        "proofCanon": read_text(folder / f"proofCanon{suffix}.txt"),
        "docHash": read_text(folder / f"docHash{suffix}.txt").strip(),
        "proofHash": read_text(folder / f"proofHash{suffix}.txt").strip(),
        "combinedHash": read_text(folder / f"combinedHash{suffix}.txt").strip(),
    }


def published_signature(folder: Path, suffix: str) -> tuple[str, str]:
    """A W3C vector's signature: hex (``sigHex<suffix>.txt``) and proofValue (``sigBTC58…``)."""
    return (
        read_text(folder / f"sigHex{suffix}.txt").strip(),
        read_text(folder / f"sigBTC58{suffix}.txt").strip(),
    )


def verify_embedded_proof(
    signed: Mapping[str, Any],
    *,
    suite: Cryptosuite,
    public_key: PublicKey,
    canonicalizer: Canonicalizer,
) -> None:
    """Check the signature of ``signed["proof"]``; raises ``InvalidSignature`` when it fails."""
    verify_proof_signature(
        signed,
        signed["proof"],
        suite=suite,
        public_key=public_key,
        canonicalizer=canonicalizer,
        path="/proof",
    )
