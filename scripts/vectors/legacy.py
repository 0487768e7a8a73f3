"""Legacy Linked Data proof vectors: Ed25519Signature2018, what didkit (and so Open edX) signs by
default and many deployed badges carry. vcbadge verifies it and never issues it, so the proof is
made here below vcbadge's signing API: the hashes vcbadge computes for verification, signed as
a detached JWS with an unencoded payload (RFC 7797), as the suite defines."""

from __future__ import annotations

import copy

from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import Ed25519Key
from vcbadge.proofs.data_integrity import hash_for_verification
from vcbadge.proofs.suites.ed25519_signature_2018 import Ed25519Signature2018

from .common import Case, Json, b64url, created, ed25519, key_entry, verify_case

FOLDER = "ed25519-signature-2018"
SPEC = "https://w3c-ccg.github.io/lds-ed25519-2018/"
# The protected header, member order as didkit writes it (any order is the same header).
HEADER = b'{"alg":"EdDSA","crit":["b64"],"b64":false}'


def credential(key: Ed25519Key) -> Json:
    """A VC 1.1 OpenBadgeCredential (issuanceDate, no validFrom), the shape didkit signs."""
    return {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
        ],
        "id": "urn:uuid:00000000-0000-4000-8000-000000000101",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": key.controller, "type": ["Profile"], "name": "Example University"},
        "issuanceDate": created(),
        "name": "Collaborative Problem Solving",
        "credentialSubject": {
            "id": "did:example:learner-101",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.edu/achievements/vector-101",
                "type": ["Achievement"],
                "name": "Collaborative Problem Solving",
                "description": "Works with peers to define, split and solve an open problem.",
                "criteria": {"narrative": "Complete the team project and the peer review."},
            },
        },
    }


def sign_2018(document: Json, key: Ed25519Key) -> Json:
    """``document`` with an Ed25519Signature2018 proof by ``key``: the signature is over
    ASCII(base64url(header)) || "." || SHA-256(proof options) || SHA-256(document), each hash
    of its RDFC-1.0 canonical form."""
    signed = copy.deepcopy(document)
    signed["proof"] = {
        "type": "Ed25519Signature2018",
        "proofPurpose": "assertionMethod",
        "verificationMethod": key.verification_method,
        "created": created(),
        "jws": "",  # not hashed: the signature member is left out of the proof options
    }
    hashed = hash_for_verification(
        signed,
        signed["proof"],
        suite=Ed25519Signature2018(),
        canonicalizer=Canonicalizer(default_loader()),
        path="/proof",
    )
    encoded = b64url(HEADER)
    signature = key.sign(encoded.encode("ascii") + b"." + hashed.combined)
    signed["proof"]["jws"] = f"{encoded}..{b64url(signature)}"
    return signed


def cases() -> dict[str, Case]:
    key = ed25519(0x42)
    signed = sign_2018(credential(key), key)
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Something Else"
    public = [key_entry(key, secret=False)]
    return {
        f"{FOLDER}/verify-valid.json": verify_case(
            f"{FOLDER}/verify-valid",
            "A VC 1.1 OpenBadgeCredential with an Ed25519Signature2018 proof by its did:key "
            "issuer: jws is a detached compact JWS (header alg EdDSA, b64 false, crit [b64]) "
            "over the SHA-256 hashes of the canonical proof options and document. A verifier "
            "that still accepts this legacy proof type answers VALID (vcbadge's proof check "
            "notes that the suite is legacy and verify-only).",
            signed,
            "VALID",
            [],
            spec=SPEC,
            keys=public,
        ),
        f"{FOLDER}/verify-tampered.json": verify_case(
            f"{FOLDER}/verify-tampered",
            "The same credential with the achievement name changed after signing: the "
            "document hash differs, so the JWS signature does not verify: invalid_signature.",
            tampered,
            "INVALID",
            ["invalid_signature"],
            spec=SPEC,
            keys=public,
        ),
    }
