"""Ed25519Signature2018 (detached JWS) and Ed25519Signature2020 with a proof-level ``@context``,
as didkit (and so Open edX) signs them.

The fixtures under tests/proofs/data/ were signed by didkit (openedx-didkit 0.3.5) with the
Ed25519 key whose seed is ``SEED``, ``created`` fixed, on a VC 1.1 credential with the OB 3.0
``context.json``: Ed25519 is deterministic, so tests/interop/test_didkit.py checks that didkit
still signs them byte for byte. Here they are known answers: vcbadge recomputes the exact bytes
didkit signed. The refusal tests sign their own (valid) signatures over bad headers, so each
refusal is the header check's and not a signature mismatch.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from multiformats import multibase

from vcbadge._b64url import b64url_decode, b64url_encode
from vcbadge.errors import (
    CanonicalizationError,
    InputError,
    InvalidSignature,
    KeyFormatError,
    ModelError,
)
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key
from vcbadge.proofs.data_integrity import (
    create_proof,
    hash_for_verification,
    verify_proof_signature,
)
from vcbadge.proofs.registry import Cryptosuite, default_registry
from vcbadge.proofs.suites.ed25519_signature_2018 import Ed25519Signature2018
from vcbadge.proofs.suites.ed25519_signature_2020 import ED25519_2020_CONTEXT

DATA = Path(__file__).parent / "data"
SEED = bytes(range(32))
KEY = Ed25519Key.from_seed(SEED)
# The protected header didkit writes, as it writes it (members in this order).
DIDKIT_HEADER = b'{"alg":"EdDSA","crit":["b64"],"b64":false}'
CANONICALIZER = Canonicalizer(default_loader())


def _fixture(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return document


def _suite(proof: dict[str, Any]) -> Cryptosuite:
    return default_registry().for_proof(proof, path="/proof")


def _verify(document: dict[str, Any]) -> None:
    proof = document["proof"]
    verify_proof_signature(
        document,
        proof,
        suite=_suite(proof),
        public_key=KEY.public_key(),
        canonicalizer=CANONICALIZER,
        path="/proof",
    )


def _sign_2018(document: dict[str, Any], header: bytes | str) -> dict[str, Any]:
    """``document`` with its 2018 proof re-signed (validly, with KEY) under ``header``."""
    signed = copy.deepcopy(document)
    encoded = header if isinstance(header, str) else b64url_encode(header)
    hashed = hash_for_verification(
        signed, signed["proof"], suite=Ed25519Signature2018(), canonicalizer=CANONICALIZER, path=""
    )
    signature = KEY.sign(encoded.encode("ascii") + b"." + hashed.combined)
    signed["proof"]["jws"] = f"{encoded}..{b64url_encode(signature)}"
    return signed


# Known answers


def test_didkit_ed25519_signature_2018_known_answer() -> None:
    document = _fixture("didkit-ob3-ed25519-2018.json")
    proof = document["proof"]
    suite = _suite(proof)
    assert (suite.name, suite.legacy, "@context" in proof) == ("Ed25519Signature2018", True, False)
    assert proof["verificationMethod"] == KEY.verification_method

    hashed = hash_for_verification(
        document, proof, suite=suite, canonicalizer=CANONICALIZER, path="/proof"
    )
    read = suite.read_signature(proof, path="/proof", key_algorithm="Ed25519")
    assert read.signing_prefix == b64url_encode(DIDKIT_HEADER).encode("ascii") + b"."
    signed_bytes = read.signing_prefix + hashed.proof_hash + hashed.document_hash
    assert read.signing_input(hashed) == signed_bytes
    # Ed25519 is deterministic: signing the bytes vcbadge computed gives didkit's signature.
    assert KEY.sign(read.signing_input(hashed)) == read.signature
    # The proof options are read under the VC 1.1 context, which defines the 2018 terms.
    assert "<https://w3id.org/security#Ed25519Signature2018>" in hashed.canonical_proof_config
    _verify(document)


def test_didkit_ed25519_signature_2020_with_proof_context_known_answer() -> None:
    document = _fixture("didkit-ob3-ed25519-2020.json")
    proof = document["proof"]
    assert proof["@context"] == [ED25519_2020_CONTEXT]
    assert ED25519_2020_CONTEXT not in document["@context"]
    suite = _suite(proof)
    hashed = hash_for_verification(
        document, proof, suite=suite, canonicalizer=CANONICALIZER, path="/proof"
    )
    signature = suite.read_signature(proof, path="/proof", key_algorithm="Ed25519").signature
    assert KEY.sign(hashed.combined) == signature
    assert "<https://w3id.org/security#Ed25519Signature2020>" in hashed.canonical_proof_config
    _verify(document)


# Tampering


@pytest.mark.parametrize("name", ["didkit-ob3-ed25519-2018.json", "didkit-ob3-ed25519-2020.json"])
@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda d: d.update(name="Forged"), id="document"),
        pytest.param(
            lambda d: d["credentialSubject"]["achievement"].update(name="Rust 101"), id="nested"
        ),
        pytest.param(lambda d: d["proof"].update(created="2025-03-01T12:00:06Z"), id="created"),
        pytest.param(lambda d: d["proof"].update(proofPurpose="authentication"), id="proofPurpose"),
    ],
)
def test_tampered_copies_are_invalid(name: str, tamper: Any) -> None:
    document = _fixture(name)
    tamper(document)
    with pytest.raises(InvalidSignature) as raised:
        _verify(document)
    assert (raised.value.code, raised.value.path) == ("invalid_signature", "/proof")


def test_what_is_signed_is_the_graph_not_where_the_context_is_written() -> None:
    # Moving the suite context from the proof to the document gives the same RDF for both the
    # proof options and the document: RDFC signatures cover meaning, so it still verifies.
    document = _fixture("didkit-ob3-ed25519-2020.json")
    del document["proof"]["@context"]
    document["@context"] = [*document["@context"], ED25519_2020_CONTEXT]
    _verify(document)


def test_proof_options_are_read_under_the_proof_context_alone() -> None:
    # The document's contexts do not leak into the proof's: under a proof context that does
    # not define the proof's terms, they are undefined (safe mode), not borrowed.
    document = _fixture("didkit-ob3-ed25519-2020.json")
    document["proof"]["@context"] = ["https://w3id.org/security/data-integrity/v2"]
    with pytest.raises(CanonicalizationError) as raised:
        _verify(document)
    assert raised.value.code == "undefined_term"


def test_proof_context_is_only_served_from_the_bundled_set() -> None:
    document = _fixture("didkit-ob3-ed25519-2020.json")
    document["proof"]["@context"] = ["https://attacker.example/context.json"]
    with pytest.raises(CanonicalizationError) as raised:
        _verify(document)
    assert raised.value.code == "context_not_allowed"


def test_data_integrity_proof_context_must_still_be_a_prefix() -> None:
    # Only the Linked Data Proofs suites read a proof's own context alone.
    document = _fixture("didkit-ob3-ed25519-2020.json")
    proof = {**document["proof"], "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}
    document["proof"] = proof
    with pytest.raises(InvalidSignature, match="not a prefix"):
        _verify(document)


def test_reordered_header_is_a_different_signing_input() -> None:
    # The same header members in another order: acceptable as a header, but the signature
    # covers the header bytes as transmitted, so the one didkit made no longer verifies.
    document = _fixture("didkit-ob3-ed25519-2018.json")
    _, _, signature = document["proof"]["jws"].split(".")
    header = b64url_encode(b'{"alg":"EdDSA","b64":false,"crit":["b64"]}')
    document["proof"]["jws"] = f"{header}..{signature}"
    with pytest.raises(InvalidSignature) as raised:
        _verify(document)
    assert raised.value.code == "invalid_signature"
    _verify(_sign_2018(document, header))  # and re-signed under it, it verifies


def test_jws_signature_is_checked() -> None:
    document = _fixture("didkit-ob3-ed25519-2018.json")
    header, _, signature = document["proof"]["jws"].split(".")
    flipped = bytearray(b64url_decode(signature))
    flipped[0] ^= 1
    document["proof"]["jws"] = f"{header}..{b64url_encode(bytes(flipped))}"
    with pytest.raises(InvalidSignature) as raised:
        _verify(document)
    assert raised.value.code == "invalid_signature"


# Header refusals: each signed validly, each with its own code


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (b'{"alg":"ES256","b64":false,"crit":["b64"]}', "jws_alg_unsupported"),
        (b'{"alg":"none","b64":false,"crit":["b64"]}', "jws_alg_unsupported"),
        (b'{"b64":false,"crit":["b64"]}', "jws_alg_unsupported"),
        (b'{"alg":"EdDSA","b64":true,"crit":["b64"]}', "jws_b64_required"),
        (b'{"alg":"EdDSA","crit":["b64"]}', "jws_b64_required"),
        (b'{"alg":"EdDSA","b64":0,"crit":["b64"]}', "jws_b64_required"),
        (b'{"alg":"EdDSA","b64":"false","crit":["b64"]}', "jws_b64_required"),
        (b'{"alg":"EdDSA","b64":false}', "jws_crit_unsupported"),
        (b'{"alg":"EdDSA","b64":false,"crit":[]}', "jws_crit_unsupported"),
        (b'{"alg":"EdDSA","b64":false,"crit":["b64","exp"]}', "jws_crit_unsupported"),
        (b'{"alg":"EdDSA","b64":false,"crit":"b64"}', "jws_crit_unsupported"),
        (b'{"alg":"EdDSA","b64":false,"crit":["b64"],"kid":"x"}', "jws_header_unsupported"),
        (b'{"alg":"EdDSA","alg":"EdDSA","b64":false,"crit":["b64"]}', "jws_malformed"),
        (b'["alg","EdDSA"]', "jws_malformed"),
        (b"not json", "jws_malformed"),
    ],
)
def test_header_refusals(header: bytes, code: str) -> None:
    document = _sign_2018(_fixture("didkit-ob3-ed25519-2018.json"), header)
    with pytest.raises(InvalidSignature) as raised:
        _verify(document)
    assert (raised.value.code, raised.value.path) == (code, "/proof/jws")


@pytest.mark.parametrize(
    "jws",
    [
        "",
        "abc",
        "a.b",
        "{header}.{payload}.{signature}",  # an attached payload: not detached
        "{header}..{signature}.x",
        "{header}..{signature}=",  # padding
        "{header}..{short}",
        "{header}..",
        "{header}+..{signature}",
    ],
)
def test_malformed_jws_is_refused(jws: str) -> None:
    document = _fixture("didkit-ob3-ed25519-2018.json")
    header, _, signature = document["proof"]["jws"].split(".")
    document["proof"]["jws"] = jws.format(
        header=header,
        payload=b64url_encode(b"payload"),
        signature=signature,
        short=b64url_encode(b64url_decode(signature)[:63]),
    )
    with pytest.raises(InvalidSignature) as raised:
        _verify(document)
    assert (raised.value.code, raised.value.path) == ("jws_malformed", "/proof/jws")


@pytest.mark.parametrize("value", [None, 42, ["a..b"]])
def test_jws_member_must_be_a_string(value: object) -> None:
    document = _fixture("didkit-ob3-ed25519-2018.json")
    document["proof"]["jws"] = value
    with pytest.raises(InvalidSignature) as raised:
        _verify(document)
    assert raised.value.code == "jws_malformed"


def test_missing_jws_is_a_malformed_proof() -> None:
    document = _fixture("didkit-ob3-ed25519-2018.json")
    proof = document["proof"]
    del proof["jws"]
    with pytest.raises(ModelError) as raised:
        hash_for_verification(
            document, proof, suite=_suite(proof), canonicalizer=CANONICALIZER, path="/proof"
        )
    assert (raised.value.code, raised.value.path) == ("proof_malformed", "/proof/jws")


def test_a_proof_value_instead_of_jws_is_refused() -> None:
    # A 2018 proof signs through jws only; a proofValue beside it is signed as a proof option,
    # which didkit's proof never carries, so it cannot verify.
    document = _fixture("didkit-ob3-ed25519-2018.json")
    document["proof"]["proofValue"] = "z" + "1" * 86
    with pytest.raises(InvalidSignature):
        _verify(document)


# Keys and issuance


def test_ed25519_verification_key_2018_base58() -> None:
    raw = KEY.public_key_multibase
    public_bytes = bytes(multibase.decode(raw))[2:]
    base58 = str(multibase.encode(public_bytes, "base58btc"))[1:]
    method = {
        "id": "did:example:i#k",
        "type": "Ed25519VerificationKey2018",
        "publicKeyBase58": base58,
    }
    key = Ed25519Signature2018().public_key_from_method(method, path="/vm")
    assert key.verify(KEY.sign(b"m"), b"m")


@pytest.mark.parametrize(
    "method",
    [
        {"type": "Multikey", "publicKeyBase58": "11111111111111111111111111111111"},
        {"type": "Ed25519VerificationKey2018", "publicKeyBase58": "1111"},
        {"type": "Ed25519VerificationKey2018", "publicKeyBase58": "0OIl"},
    ],
)
def test_bad_base58_keys_are_refused(method: dict[str, Any]) -> None:
    with pytest.raises(KeyFormatError) as raised:
        Ed25519Signature2018().public_key_from_method(method, path="/vm")
    assert (raised.value.code, raised.value.path) == ("key_format", "/vm")


def test_multikey_and_jwk_methods_also_work() -> None:
    suite = Ed25519Signature2018()
    for method in (
        {"type": "Ed25519VerificationKey2020", "publicKeyMultibase": KEY.public_key_multibase},
        {"type": "JsonWebKey2020", "publicKeyJwk": KEY.public_key().to_jwk()},
    ):
        assert suite.public_key_from_method(method, path="").verify(KEY.sign(b"m"), b"m")


def test_ed25519_signature_2018_is_verify_only() -> None:
    suite = default_registry()["Ed25519Signature2018"]
    assert suite.legacy
    with pytest.raises(InputError) as raised:
        create_proof(
            {"@context": ["https://www.w3.org/2018/credentials/v1"]},
            suite=suite,
            signer=KEY,
            canonicalizer=CANONICALIZER,
            created=None,
        )
    assert raised.value.code == "legacy_cryptosuite"
    with pytest.raises(InputError):
        suite.encode_proof_value(b"\0" * 64)
