"""Resolution vectors: did:key (Ed25519, P-256) and did:jwk (P-256) to their DID documents, and
did:web DIDs to the URL of their DID document; and DIDs whose key must be refused.

The identifiers are the examples of the method specifications, and the expected documents are
written here from the specifications' rules (Multikey verification methods for did:key, with
the X25519 key-agreement key the did:key test vectors derive from the Ed25519 key;
JsonWebKey2020 for did:jwk), not read back from vcbadge. ``expected.output`` is compared as
JSON (member order does not matter); an expected ``error`` names the code the resolution
fails with."""

from __future__ import annotations

import json
from typing import Any

from vcbadge.errors import VcbadgeError
from vcbadge.keys import encode_multikey
from vcbadge.resolve import did_web_to_url, resolve_did_jwk, resolve_did_key

from .common import RFC8032_VERIFY, SMALL_ORDER_KEY, Case, Json, b64url, plain_case

DID_KEY = "https://w3c-ccg.github.io/did-key-spec/#document-creation-algorithm"
DID_JWK = "https://github.com/quartzjer/did-jwk/blob/main/spec.md#read"
DID_WEB = "https://w3c-ccg.github.io/did-method-web/#read-resolve"

ED25519_DID = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
ED25519_X25519 = "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW"
P256_DID = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
JWK_DID = (
    "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVV"
    "M3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
)
JWK = {
    "crv": "P-256",
    "kty": "EC",
    "x": "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0",
    "y": "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE",
}
DID_WEB_URLS = [
    ("domain", "did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
    (
        "path",
        "did:web:w3c-ccg.github.io:user:alice",
        "https://w3c-ccg.github.io/user/alice/did.json",
    ),
    (
        "port-and-path",
        "did:web:example.com%3A3000:user:alice",
        "https://example.com:3000/user/alice/did.json",
    ),
    ("port", "did:web:example.com%3A8443", "https://example.com:8443/.well-known/did.json"),
]

_RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityDelegation",
    "capabilityInvocation",
)


def _multikey(did: str, fingerprint: str) -> Json:
    return {
        "id": f"{did}#{fingerprint}",
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": fingerprint,
    }


def did_key_document(did: str, agreement: str | None) -> Json:
    """The did:key document: the key itself for every relationship; for Ed25519 the derived
    X25519 key for keyAgreement, for NIST curves the key itself."""
    fingerprint = did.removeprefix("did:key:")
    signing = _multikey(did, fingerprint)
    methods = [signing]
    if agreement is not None:
        methods.append(_multikey(did, agreement))
    document: Json = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
    }
    for relationship in _RELATIONSHIPS:
        document[relationship] = [signing["id"]]
    document["keyAgreement"] = [methods[-1]["id"]]
    return document


def did_jwk_document(did: str, jwk: Json) -> Json:
    """The did:jwk document of a JWK without ``use``: one method ``#0`` for every relationship."""
    method_id = f"{did}#0"
    document: Json = {
        "@context": [
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/suites/jws-2020/v1",
        ],
        "id": did,
        "verificationMethod": [
            {"id": method_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
        ],
    }
    for relationship in (*_RELATIONSHIPS, "keyAgreement"):
        document[relationship] = [method_id]
    return document


def run(case_input: Any) -> Json:
    """What vcbadge answers for a resolve case input (``did``, and ``want`` ``document`` or
    ``url``)."""
    did = case_input["did"]
    try:
        if case_input["want"] == "url":
            return {"output": did_web_to_url(did)}
        if did.startswith("did:jwk:"):
            return {"output": resolve_did_jwk(did)}
        return {"output": resolve_did_key(did)}
    except VcbadgeError as error:
        # The code is the contract; a DID has no JSON path to name.
        return {"error": {"code": error.code}}


def cases() -> dict[str, Case]:
    built = {
        "resolve/did-key-ed25519.json": plain_case(
            "resolve/did-key-ed25519",
            "did:key of an Ed25519 key (the did:key specification's test vector for the "
            "all-zero seed) to its DID document, with the X25519 key-agreement key derived "
            "from it.",
            DID_KEY,
            "resolve",
            {"did": ED25519_DID, "want": "document"},
            {"output": did_key_document(ED25519_DID, ED25519_X25519)},
            check=run,
        ),
        "resolve/did-key-p256.json": plain_case(
            "resolve/did-key-p256",
            "did:key of a P-256 key (a did:key specification test vector) to its DID document.",
            DID_KEY,
            "resolve",
            {"did": P256_DID, "want": "document"},
            {"output": did_key_document(P256_DID, None)},
            check=run,
        ),
        "resolve/did-jwk-p256.json": plain_case(
            "resolve/did-jwk-p256",
            "did:jwk of a P-256 JWK (the did:jwk specification's example) to its DID document.",
            DID_JWK,
            "resolve",
            {"did": JWK_DID, "want": "document"},
            {"output": did_jwk_document(JWK_DID, JWK)},
            check=run,
        ),
    }
    small_order_did_key = "did:key:" + encode_multikey("ed25519-pub", SMALL_ORDER_KEY)
    small_order_jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url(SMALL_ORDER_KEY)}
    small_order_did_jwk = "did:jwk:" + b64url(
        json.dumps(small_order_jwk, separators=(",", ":")).encode()
    )
    why = (
        "the identity point (32 bytes: 0x01 then zeros), an Ed25519 point of small order. "
        "Under such a key a signature can verify for any message (R = identity, S = 0 "
        "always does), so the DID identifies no one and a resolver must refuse it rather "
        "than return a document: error weak_key."
    )
    built["resolve/did-key-small-order.json"] = plain_case(
        "resolve/did-key-small-order",
        "did:key whose Ed25519 public key is " + why,
        RFC8032_VERIFY,
        "resolve",
        {"did": small_order_did_key, "want": "document"},
        {"error": {"code": "weak_key"}},
        check=run,
    )
    built["resolve/did-jwk-small-order.json"] = plain_case(
        "resolve/did-jwk-small-order",
        "did:jwk of an Ed25519 (OKP) JWK whose x is " + why,
        RFC8032_VERIFY,
        "resolve",
        {"did": small_order_did_jwk, "want": "document"},
        {"error": {"code": "weak_key"}},
        check=run,
    )
    for name, did, url in DID_WEB_URLS:
        built[f"resolve/did-web-url-{name}.json"] = plain_case(
            f"resolve/did-web-url-{name}",
            f"did:web to the HTTPS URL of its DID document ({name.replace('-', ' and ')}); "
            "nothing is fetched.",
            DID_WEB,
            "resolve",
            {"did": did, "want": "url"},
            {"output": url},
            check=run,
        )
    return built
