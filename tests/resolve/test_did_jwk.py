"""did:jwk: decoding the identifier and the DID document (vectors, with the recorded erratum)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from issued_badges import issue_badge

from vcbadge import FixedClock, Outcome, Verifier
from vcbadge._json import loads_strict
from vcbadge.errors import DIDResolutionError, UnsupportedError
from vcbadge.keys import Ed25519Key
from vcbadge.resolve import DidJwkResolver, decode_did_jwk, resolve_did_jwk


def _vectors(reference: Path) -> list[dict[str, Any]]:
    data = loads_strict((reference / "vectors/did-jwk/did-jwk-vectors.json").read_bytes())
    examples: list[dict[str, Any]] = data["examples"]
    assert examples
    return examples


def _did(jwk: Any) -> str:
    raw = json.dumps(jwk, separators=(",", ":")).encode()
    return "did:jwk:" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _corrected(document: dict[str, Any], did: str) -> dict[str, Any]:
    """The published document with the erratum recorded in the corpus fixed: one relationship
    of the P-256 example reads ``did:jwk:$eyJ…`` (a stray ``$`` from a template)."""
    fixed = json.loads(json.dumps(document))
    for member, value in fixed.items():
        if isinstance(value, list):
            fixed[member] = [
                entry.replace("did:jwk:$", "did:jwk:") if isinstance(entry, str) else entry
                for entry in value
            ]
    return fixed


def test_decoded_jwk(reference: Path) -> None:
    for example in _vectors(reference):
        assert decode_did_jwk(example["did"]) == example["decoded_jwk"], example["name"]


def test_documents(reference: Path) -> None:
    for example in _vectors(reference):
        published = loads_strict(
            (reference / "vectors" / example["did_document_file"]).read_bytes()
        )
        ours = resolve_did_jwk(example["did"])
        if "errata" in example:
            assert ours != published  # the published document really has the defect
        assert ours == _corrected(published, example["did"]), example["name"]
        assert DidJwkResolver().resolve(example["did_url"]) == ours


def test_use_sig_is_not_for_key_agreement() -> None:
    key = Ed25519Key.from_seed(bytes(32))
    document = resolve_did_jwk(_did({**key.to_jwk(), "use": "sig"}))
    assert "keyAgreement" not in document
    assert document["assertionMethod"] == [document["id"] + "#0"]


def test_ed25519_did_jwk_issuer_verifies_offline() -> None:
    seed_key = Ed25519Key.from_seed(bytes(range(32)))
    did = _did(seed_key.to_jwk())
    key = Ed25519Key.from_seed(bytes(range(32)), controller=did, key_id="#0")
    now = datetime(2025, 3, 1, tzinfo=timezone.utc)
    signed = issue_badge(key, issuer_name="JWK U", at=now)
    result = Verifier.offline(clock=FixedClock(now)).verify(signed)
    assert result.outcome is Outcome.VALID, result.to_dict()


@pytest.mark.parametrize(
    "did",
    [
        "did:jwk:",
        "did:jwk:eyJrdHkiOiJPS1AifQ==",  # padding
        "did:jwk:eyJrdHkiOiJPS1AifQ+",  # not base64url
        "did:jwk:eyJrdHkiOiJPS1AifR",  # non-canonical trailing bits
        _did(["not", "an", "object"]),
        "did:jwk:" + base64.urlsafe_b64encode(b'{"kty":"OKP","kty":"EC"}').rstrip(b"=").decode(),
        _did({"kty": "OKP", "crv": "Ed25519"}),  # no x
        _did({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}),  # wrong length
        _did({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}),
        _did({**Ed25519Key.from_seed(bytes(32)).to_jwk(include_private=True)}),  # private
        _did({"kty": "oct", "k": "c2VjcmV0"}),
        _did({"kty": "OKP", "crv": "Ed25519", "x": "A" * 43, "use": "both"}),
        _did({"crv": "Ed25519", "x": "A" * 43}),
        "did:jwk:" + "A" * 5000,
    ],
)
def test_malformed(did: str) -> None:
    with pytest.raises(DIDResolutionError) as caught:
        resolve_did_jwk(did)
    assert caught.value.code == "invalid_did"


def test_private_key_is_not_echoed() -> None:
    jwk = Ed25519Key.from_seed(bytes(range(32))).to_jwk(include_private=True)
    with pytest.raises(DIDResolutionError) as caught:
        resolve_did_jwk(_did(jwk))
    assert jwk["d"] not in str(caught.value)


def test_unknown_kty_is_unsupported() -> None:
    with pytest.raises(UnsupportedError) as caught:
        resolve_did_jwk(_did({"kty": "AKP", "alg": "ML-DSA-44", "pub": "AAAA"}))
    assert caught.value.code == "unsupported_key_type"


def test_resolver_refuses_other_methods() -> None:
    with pytest.raises(UnsupportedError):
        DidJwkResolver().resolve("did:key:z6Mk")
