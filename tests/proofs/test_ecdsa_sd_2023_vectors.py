"""ecdsa-sd-2023 against the W3C vc-di-ecdsa vectors (``TestVectors/ecdsa-sd-2023``).

Both published cases (``employ``: an employment authorization document; ``prc``: a permanent
resident card), each with mandatory pointer ``/issuer`` and the holder revealing
``/validFrom``, ``/validUntil`` and ``/credentialSubject/birthCountry``. The tests reproduce the
verifier's intermediate values (the relabelled statements, the mandatory hash, the proof hash),
the CBOR of both proof values byte for byte, and verify the published derived credential;
then issue the base proof (byte for byte, with the vectors' HMAC and one-time keys) and derive
the published disclosure from it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest
from di_vectors import loader_with_citizenship, read_json, read_text
from reference_corpus import requires_reference

from vcbadge._time import parse_datetime
from vcbadge.errors import InvalidSignature
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey
from vcbadge.proofs.selective_disclosure import (
    create_base_proof,
    derive,
    parse_base_proof_value,
    parse_derived_proof_value,
    serialize_base_proof_value,
    serialize_derived_proof_value,
    verify_base_proof,
)
from vcbadge.proofs.suites.ecdsa_sd_2023 import EcdsaSd2023

pytestmark = requires_reference

ROOT = "vectors/vc-di-ecdsa/TestVectors/ecdsa-sd-2023"
CASES = ["employ", "prc"]


def _issuer_key(reference: Path) -> EcKey:
    pair = read_json(reference / ROOT / "SDKeyMaterial.json")["baseKeyPair"]
    return EcKey.from_multikey(pair["publicKeyMultibase"])


def _verify(document: dict[str, Any], reference: Path) -> Any:
    return EcdsaSd2023().verify_proof(
        document,
        document["proof"],
        public_key=_issuer_key(reference),
        canonicalizer=Canonicalizer(loader_with_citizenship(reference)),
        path="/proof",
    )


@pytest.mark.parametrize("case", CASES)
def test_published_derived_credential_verifies(case: str, reference: Path) -> None:
    folder = reference / ROOT / case
    revealed = read_json(folder / "derivedRevealDocument.json")
    expected = read_json(folder / "verifyCreateVerifyData.json")
    hashed = _verify(revealed, reference)
    assert hashed.canonical_document == "".join(read_json(folder / "verifyNQuads.json"))
    assert hashed.proof_hash.hex() == expected["proofHash"]
    assert hashed.document_hash.hex() == expected["mandatoryHash"]
    assert hashed.canonical_proof_config == read_text(folder / "addProofConfigCanon.txt")


@pytest.mark.parametrize("case", CASES)
def test_derived_proof_value_components_and_bytes(case: str, reference: Path) -> None:
    folder = reference / ROOT / case
    proof_value = read_json(folder / "derivedRevealDocument.json")["proof"]["proofValue"]
    published = read_json(folder / "verifyDerivedProofValue.json")
    derived = parse_derived_proof_value(proof_value, path="/proof/proofValue")
    assert derived.base_signature.hex() == published["baseSignature"]
    assert derived.public_key[2:] == EcKey.from_multikey(published["publicKey"]).public_bytes
    assert [s.hex() for s in derived.signatures] == published["signatures"]
    assert dict(derived.label_map) == dict(published["labelMap"])
    assert list(derived.mandatory_indexes) == published["mandatoryIndexes"]
    assert serialize_derived_proof_value(derived) == proof_value


@pytest.mark.parametrize("case", CASES)
def test_base_proof_value_components_and_bytes(case: str, reference: Path) -> None:
    folder = reference / ROOT / case
    proof_value = read_json(folder / "addSignedSDBase.json")["proof"]["proofValue"]
    published = read_json(folder / "addRawBaseSignatureInfo.json")
    hmac_key = read_json(reference / ROOT / "SDKeyMaterial.json")["hmacKeyString"]
    base = parse_base_proof_value(proof_value, path="/proof/proofValue")
    assert base.base_signature.hex() == published["baseSignature"]
    assert base.public_key[2:] == EcKey.from_multikey(published["publicKey"]).public_bytes
    assert base.hmac_key.hex() == hmac_key.lower()
    assert [s.hex() for s in base.signatures] == published["signatures"]
    assert list(base.mandatory_pointers) == published["mandatoryPointers"]
    assert serialize_base_proof_value(base) == proof_value


def test_base_proof_is_not_for_verifiers(reference: Path) -> None:
    signed = read_json(reference / ROOT / "employ" / "addSignedSDBase.json")
    with pytest.raises(InvalidSignature) as caught:
        _verify(signed, reference)
    assert caught.value.code == "sd_base_proof_presented"
    assert caught.value.path == "/proof/proofValue"


def _revealed(reference: Path) -> dict[str, Any]:
    document: dict[str, Any] = read_json(reference / ROOT / "employ" / "derivedRevealDocument.json")
    return document


@pytest.mark.parametrize(
    ("member", "value"),
    [("birthCountry", "Atlantis"), ("familyName", "SMITH")],
    ids=["altered", "added"],
)
def test_changed_disclosed_statement_is_refused(member: str, value: str, reference: Path) -> None:
    document = _revealed(reference)
    document["credentialSubject"][member] = value
    with pytest.raises(InvalidSignature) as caught:
        _verify(document, reference)
    expected = (
        "sd_statement_signature_invalid"
        if member == "birthCountry"
        else ("sd_signature_count_mismatch")
    )
    assert caught.value.code == expected


def test_withheld_statement_is_refused(reference: Path) -> None:
    document = _revealed(reference)
    del document["validUntil"]
    with pytest.raises(InvalidSignature) as caught:
        _verify(document, reference)
    assert caught.value.code == "sd_signature_count_mismatch"


def test_changed_mandatory_statement_is_refused(reference: Path) -> None:
    document = _revealed(reference)
    document["issuer"]["image"] = "data:image/png;base64,AAAA"
    with pytest.raises(InvalidSignature) as caught:
        _verify(document, reference)
    assert caught.value.code == "invalid_signature"


def test_changed_proof_option_is_refused(reference: Path) -> None:
    document = _revealed(reference)
    document["proof"]["created"] = "2023-08-15T23:36:39Z"
    with pytest.raises(InvalidSignature) as caught:
        _verify(document, reference)
    assert caught.value.code == "invalid_signature"


def test_extra_blank_node_does_not_match_the_label_map(reference: Path) -> None:
    document = _revealed(reference)
    document["credentialSubject"]["employmentAuthorizationDocument"] = {
        "type": "EmploymentAuthorizationDocument"
    }
    with pytest.raises(InvalidSignature) as caught:
        _verify(document, reference)
    assert caught.value.code == "sd_label_map_mismatch"


def test_mandatory_index_past_the_statements_is_refused(reference: Path) -> None:
    document = _revealed(reference)
    derived = parse_derived_proof_value(document["proof"]["proofValue"], path="")
    # One signature fewer, one mandatory index more: the counts agree, the index does not.
    forged = dataclasses.replace(
        derived,
        signatures=derived.signatures[1:],
        mandatory_indexes=(*derived.mandatory_indexes, 99),
    )
    document["proof"]["proofValue"] = serialize_derived_proof_value(forged)
    with pytest.raises(InvalidSignature) as caught:
        _verify(document, reference)
    assert caught.value.code == "sd_mandatory_indexes_mismatch"


def _signer(reference: Path, name: str) -> EcKey:
    pair = read_json(reference / ROOT / "SDKeyMaterial.json")[name]
    return EcKey.from_multikey(pair["publicKeyMultibase"], pair["secretKeyMultibase"])


@pytest.mark.parametrize("case", CASES)
def test_base_proof_reproduces_byte_for_byte(case: str, reference: Path) -> None:
    # The vectors fix the HMAC key and the one-time key; P-256 signatures here are RFC 6979
    # deterministic, as the vectors' are, so the whole proofValue must come out the same.
    folder = reference / ROOT / case
    published = read_json(folder / "addSignedSDBase.json")
    unsigned = {key: value for key, value in published.items() if key != "proof"}
    pointers = read_json(reference / ROOT.rsplit("/", 1)[0] / f"{_prefix(case)}Mandatory.json")
    proof = create_base_proof(
        unsigned,
        signer=_signer(reference, "baseKeyPair"),
        canonicalizer=Canonicalizer(loader_with_citizenship(reference)),
        mandatory_pointers=pointers,
        created=parse_datetime(published["proof"]["created"]),
        hmac_key=bytes.fromhex(read_json(reference / ROOT / "SDKeyMaterial.json")["hmacKeyString"]),
        one_time_key=_signer(reference, "proofKeyPair"),
    )
    assert proof == published["proof"]


def _prefix(case: str) -> str:
    return "employ" if case == "employ" else "prCred"


@pytest.mark.parametrize("case", CASES)
def test_derived_credential_reproduces(case: str, reference: Path) -> None:
    folder = reference / ROOT / case
    selective = read_json(reference / ROOT.rsplit("/", 1)[0] / f"{_prefix(case)}Selective.json")
    derived = derive(
        read_json(folder / "addSignedSDBase.json"),
        selective_pointers=selective,
        canonicalizer=Canonicalizer(loader_with_citizenship(reference)),
    )
    assert derived == read_json(folder / "derivedRevealDocument.json")
    assert (
        _verify(derived, reference).document_hash.hex()
        == (read_json(folder / "addHashData.json")["mandatoryHash"])
    )


@pytest.mark.parametrize("case", CASES)
def test_holder_checks_the_published_base_proof(case: str, reference: Path) -> None:
    signed = read_json(reference / ROOT / case / "addSignedSDBase.json")
    canonicalizer = Canonicalizer(loader_with_citizenship(reference))
    verify_base_proof(signed, public_key=_issuer_key(reference), canonicalizer=canonicalizer)
    # The issuer (an IRI node, mandatory): changing it leaves every blank-node label alone, so
    # the mandatory hash is what breaks. (A change to a blank node's own values may also move
    # the canonical labels, and with them every statement.)
    signed["issuer"]["image"] = "data:image/png;base64,AAAA"
    with pytest.raises(InvalidSignature) as caught:
        verify_base_proof(signed, public_key=_issuer_key(reference), canonicalizer=canonicalizer)
    assert caught.value.code == "invalid_signature"


def test_1edtech_validator_derived_credential_verifies(reference: Path) -> None:
    # 1EdTech's validator ships one ecdsa-sd-2023 Open Badge (a derived proof, nothing
    # mandatory): its key is the fragment of its verification method.
    path = reference / "examples" / "1edtech-validator" / "ob30" / "sd" / "derivedcredential.json"
    document = read_json(path)
    (proof,) = document["proof"]
    key = EcKey.from_multikey(proof["verificationMethod"].split("#", 1)[1])
    hashed = EcdsaSd2023().verify_proof(
        document,
        proof,
        public_key=key,
        canonicalizer=Canonicalizer(default_loader()),
        path="/proof/0",
    )
    assert hashed.document_hash == hashlib.sha256(b"").digest()  # no mandatory statement
    document["credentialSubject"]["achievement"]["name"] = "Leadership"
    with pytest.raises(InvalidSignature) as caught:
        EcdsaSd2023().verify_proof(
            document, proof, public_key=key, canonicalizer=Canonicalizer(default_loader()),
            path="/proof/0",
        )  # fmt: skip
    assert caught.value.code == "sd_statement_signature_invalid"
