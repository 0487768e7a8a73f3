"""Interop with Digital Bazaar's ``ecdsa-sd-2023-cryptosuite`` (the oracle in ../shared/oracle),
both ways, on an Open Badges 3.0 credential:

- the oracle issues a base proof and derives a disclosure; vcbadge verifies it, and refuses
  it once a disclosed value is changed;
- vcbadge issues a base proof; the oracle derives a disclosure from it and verifies it, and
  vcbadge verifies that disclosure too;
- vcbadge derives from the oracle's base proof, and the oracle verifies vcbadge's disclosure.

A development check, opt-in like tests/interop/test_oracle_suites.py: set VCBADGE_ORACLE to a
directory where the oracle was set up (`cp -r ../shared/oracle "$d" && (cd "$d/oracle" &&
npm ci)`, then VCBADGE_ORACLE=$d/oracle). It is not a dependency of vcbadge or of the default run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from oracle_helpers import LATER, NOW, requires_oracle, run_node

from vcbadge import Achievement, AchievementCredential, Criteria
from vcbadge.errors import InvalidSignature
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey
from vcbadge.proofs.selective_disclosure import create_base_proof, derive
from vcbadge.proofs.suites.ecdsa_sd_2023 import EcdsaSd2023

pytestmark = [requires_oracle, pytest.mark.slow]  # a Node.js process per check

SEED = bytes([0x42]) * 32
MANDATORY = ["/issuer", "/validFrom", "/name", "/credentialSubject/type",
             "/credentialSubject/achievement"]  # fmt: skip
REVEAL = ["/credentialSubject/identifier"]


def _key() -> EcKey:
    return EcKey.from_private_scalar(SEED, "P-256")


def _unsigned(issuer: str) -> dict[str, Any]:
    achievement = Achievement(
        id="https://badges.example.edu/a/py101",
        name="Python 101",
        description="Writes, tests and ships small Python programs.",
        criteria=Criteria(narrative="Pass the final project."),
    )
    credential = AchievementCredential.award(
        achievement, recipient_email="ada@example.org", salt="s1"
    ).to_json()
    credential["issuer"] = {"id": issuer, "type": ["Profile"], "name": "Example U"}
    credential["validFrom"] = "2025-01-01T00:00:00Z"
    return credential


def _verify_in_vcbadge(document: dict[str, Any]) -> None:
    EcdsaSd2023().verify_proof(
        document,
        document["proof"],
        public_key=_key(),
        canonicalizer=Canonicalizer(default_loader()),
        path="/proof",
    )


def _oracle(tmp_path: Path, document: dict[str, Any], *arguments: str) -> dict[str, Any]:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(document))
    done = run_node("sign.mjs", "--suite", "ecdsa-sd-2023", *arguments, str(path))
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _oracle_verifies(tmp_path: Path, document: dict[str, Any]) -> bool:
    path = tmp_path / "verify.json"
    path.write_text(json.dumps(document))
    done = run_node("verify.mjs", "--now", LATER, str(path))
    return done.returncode == 0 and json.loads(done.stdout.splitlines()[-1]).get("verified") is True


def test_oracle_disclosure_verifies_in_vcbadge(tmp_path: Path) -> None:
    key = _key()
    derived = _oracle(
        tmp_path,
        _unsigned(key.did),
        "--seed", SEED.hex(), "--created", "2025-03-01T00:00:00Z",
        "--mandatory", ",".join(MANDATORY), "--derive", "--reveal", ",".join(REVEAL),
    )  # fmt: skip
    assert derived["proof"]["verificationMethod"] == key.verification_method
    assert "identifier" in derived["credentialSubject"]
    _verify_in_vcbadge(derived)

    derived["credentialSubject"]["achievement"]["name"] = "Python 201"
    with pytest.raises(InvalidSignature) as caught:
        _verify_in_vcbadge(derived)
    assert caught.value.code == "invalid_signature"


def test_oracle_disclosure_of_mandatory_only_verifies_in_vcbadge(tmp_path: Path) -> None:
    derived = _oracle(
        tmp_path,
        _unsigned(_key().did),
        "--seed", SEED.hex(), "--created", "2025-03-01T00:00:00Z",
        "--mandatory", ",".join(MANDATORY), "--derive",
    )  # fmt: skip
    assert "identifier" not in derived["credentialSubject"]
    _verify_in_vcbadge(derived)


def _vcbadge_base(key: EcKey) -> dict[str, Any]:
    document = _unsigned(key.did)
    proof = create_base_proof(
        document,
        signer=key,
        canonicalizer=Canonicalizer(default_loader()),
        mandatory_pointers=MANDATORY,
        created=NOW,
    )
    return {**document, "proof": proof}


def test_vcbadge_base_proof_derives_and_verifies_in_oracle(tmp_path: Path) -> None:
    key = _key()
    base = _vcbadge_base(key)
    derived = _oracle(tmp_path, base, "--derive", "--reveal", ",".join(REVEAL))
    assert _oracle_verifies(tmp_path, derived)
    _verify_in_vcbadge(derived)
    derived["credentialSubject"]["identifier"][0]["identityHash"] = "sha256$00"
    assert not _oracle_verifies(tmp_path, derived)


def test_vcbadge_disclosure_verifies_in_oracle(tmp_path: Path) -> None:
    canonicalizer = Canonicalizer(default_loader())
    theirs = _oracle(
        tmp_path,
        _unsigned(_key().did),
        "--seed", SEED.hex(), "--created", "2025-03-01T00:00:00Z",
        "--mandatory", ",".join(MANDATORY),
    )  # fmt: skip
    for base in (_vcbadge_base(_key()), theirs):
        for reveal in ([], REVEAL):
            derived = derive(base, selective_pointers=reveal, canonicalizer=canonicalizer)
            assert _oracle_verifies(tmp_path, derived), (reveal, derived)
            _verify_in_vcbadge(derived)


@pytest.mark.parametrize(
    "pointer",
    [
        "/credentialSubject/identifier/0",
        "/credentialSubject/identifier/0/identityHash",
        "/type/1",
        "/credentialSubject/achievement/criteria/narrative",
    ],
)
def test_derivation_is_identical_to_the_oracle(pointer: str, tmp_path: Path) -> None:
    # Deriving is deterministic (no new signature): from one base proof, both sides must
    # select the same members and write the same derived proof, byte for byte.
    base = _vcbadge_base(_key())
    ours = derive(base, selective_pointers=[pointer], canonicalizer=Canonicalizer(default_loader()))
    theirs = _oracle(tmp_path, base, "--derive", "--reveal", pointer)
    assert ours == theirs
