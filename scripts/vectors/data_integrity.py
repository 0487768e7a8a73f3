"""Data Integrity vectors: every suite (sign, valid, tampered), the eddsa-rdfc-2022 verification
rules, and proof sets and chains."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from vcbadge import Issuer, Profile
from vcbadge.keys import Ed25519Key, controller_document, encode_multikey

from .common import (
    FORGED_SIGNATURE,
    ISSUED,
    ISSUER_URL,
    OB_SPEC,
    RFC8032_VERIFY,
    SMALL_ORDER_KEY,
    Case,
    Json,
    SigningKey,
    created,
    ed25519,
    flip_proof_value,
    issue,
    key_entry,
    mutated,
    p256,
    p384,
    profile,
    sign_below_issuer,
    sign_case,
    unsigned,
    verify_case,
)

EDDSA = "https://www.w3.org/TR/vc-di-eddsa/"
ECDSA = "https://www.w3.org/TR/vc-di-ecdsa/"
DI = "https://www.w3.org/TR/vc-data-integrity/"

# Folder, suite, key, credential number, spec section. eddsa-rdfc-2022 keeps its historical
# folder and ids (its sign/valid/tampered cases are built by eddsa_rdfc_2022_cases).
SUITES: list[tuple[str, str, SigningKey, int, str]] = [
    ("eddsa-jcs-2022", "eddsa-jcs-2022", ed25519(0x42), 11, EDDSA + "#eddsa-jcs-2022"),
    ("ecdsa-rdfc-2019-p256", "ecdsa-rdfc-2019", p256(0x51), 12, ECDSA + "#ecdsa-rdfc-2019"),
    ("ecdsa-rdfc-2019-p384", "ecdsa-rdfc-2019", p384(0x52), 13, ECDSA + "#ecdsa-rdfc-2019"),
    ("ecdsa-jcs-2019", "ecdsa-jcs-2019", p256(0x51), 14, ECDSA + "#ecdsa-jcs-2019"),
    (
        "ed25519-signature-2020",
        "Ed25519Signature2020",
        ed25519(0x42),
        15,
        "https://w3c.github.io/vc-di-eddsa/#ed25519signature2020",
    ),
]


def _set_name(doc: Json) -> None:
    doc["credentialSubject"]["achievement"]["name"] = "Something Else"


def suite_cases(
    folder: str, suite: str, key: SigningKey, number: int, spec: str
) -> dict[str, Case]:
    """sign (byte-exact), verify-valid, verify-tampered for one suite and key."""
    document = unsigned(number)
    signed = issue(key, document, suite=suite)
    public = [key_entry(key, secret=False)]
    return {
        f"{folder}/sign-did-key.json": sign_case(
            f"{folder}/sign-did-key",
            f"Sign an OpenBadgeCredential with {suite} ({key.algorithm}, did:key issuer). The "
            "signature is deterministic (Ed25519, or ECDSA with RFC 6979 nonces), so the output "
            "must equal expected.output byte for byte.",
            spec,
            key,
            {
                "credential": document,
                "issuer": profile(key),
                "created": created(),
                "suite": suite,
            },
            signed,
        ),
        f"{folder}/verify-valid.json": verify_case(
            f"{folder}/verify-valid",
            f"A credential signed with {suite} by its did:key issuer verifies.",
            signed,
            "VALID",
            [],
            spec=spec,
            keys=public,
        ),
        f"{folder}/verify-tampered.json": verify_case(
            f"{folder}/verify-tampered",
            "The achievement name was changed after signing: invalid_signature.",
            mutated(signed, _set_name),
            "INVALID",
            ["invalid_signature"],
            spec=spec,
            keys=public,
        ),
    }


def eddsa_rdfc_2022_cases() -> dict[str, Case]:
    """The first published cases (version 1.0.0); ids and content kept."""
    key = ed25519(0x42)
    web_key = ed25519(0x43, controller=ISSUER_URL)
    signed = issue(key, unsigned(1))
    web_signed = issue(web_key, unsigned(2))
    public = [key_entry(key, secret=False)]
    web_public = [key_entry(web_key, secret=False)]
    assertion_doc = {ISSUER_URL: controller_document(web_key)}
    auth_only_doc = {ISSUER_URL: controller_document(web_key, purposes=("authentication",))}
    spec = EDDSA + "#eddsa-rdfc-2022"
    verify = DI + "#verify-proof"

    def add_context(doc: Json) -> None:
        doc["@context"].append("https://vectors.invalid/unknown-context.json")

    def unknown_suite(doc: Json) -> None:
        doc["proof"]["cryptosuite"] = "eddsa-rdf-2022"

    def purpose(doc: Json) -> None:
        doc["proof"]["proofPurpose"] = "authentication"

    def other_issuer(doc: Json) -> None:
        doc["issuer"]["id"] = ed25519(0x44).did

    def drop_proof(doc: Json) -> None:
        del doc["proof"]

    folder = "eddsa-rdfc-2022"
    return {
        f"{folder}/sign-did-key.json": sign_case(
            f"{folder}/sign-did-key",
            "Sign an OpenBadgeCredential with eddsa-rdfc-2022 and a did:key "
            "issuer; Ed25519 is deterministic, so the output must equal expected.output.",
            spec,
            key,
            {
                "credential": unsigned(1),
                "issuer": profile(key),
                "created": created(),
                "suite": "eddsa-rdfc-2022",
            },
            signed,
        ),
        f"{folder}/verify-valid-did-key.json": verify_case(
            f"{folder}/verify-valid-did-key",
            "A credential signed by its did:key issuer verifies.",
            signed,
            "VALID",
            [],
            spec=verify,
            keys=public,
        ),
        f"{folder}/verify-valid-https-issuer.json": verify_case(
            f"{folder}/verify-valid-https-issuer",
            "Issuer is an https URL whose controller document (in documents) lists the key "
            "under assertionMethod.",
            web_signed,
            "VALID",
            [],
            keys=web_public,
            documents=assertion_doc,
            spec=OB_SPEC,
        ),
        f"{folder}/verify-tampered.json": verify_case(
            f"{folder}/verify-tampered",
            "The achievement name was changed after signing: invalid_signature.",
            mutated(signed, _set_name),
            "INVALID",
            ["invalid_signature"],
            spec=verify,
            keys=public,
        ),
        f"{folder}/verify-missing-proof.json": verify_case(
            f"{folder}/verify-missing-proof",
            "The proof was removed: proof_missing.",
            mutated(signed, drop_proof),
            "INVALID",
            ["proof_missing"],
            spec=verify,
            keys=public,
        ),
        f"{folder}/verify-unknown-context.json": verify_case(
            f"{folder}/verify-unknown-context",
            "A context URL no verifier can know was appended: context_not_allowed (a verifier "
            "must not fetch it); the proof cannot be checked under it either.",
            mutated(signed, add_context),
            "INVALID",
            ["context_not_allowed", "context_not_allowed"],
            spec=verify,
            keys=public,
        ),
        f"{folder}/verify-unknown-cryptosuite.json": verify_case(
            f"{folder}/verify-unknown-cryptosuite",
            "The proof names a cryptosuite that does not exist (the misspelling found in "
            "published OB examples): INDETERMINATE, unknown_cryptosuite.",
            mutated(signed, unknown_suite),
            "INDETERMINATE",
            ["unknown_cryptosuite"],
            spec=verify,
            keys=public,
        ),
        f"{folder}/verify-wrong-purpose.json": verify_case(
            f"{folder}/verify-wrong-purpose",
            "A credential proof must have proofPurpose assertionMethod: proof_purpose.",
            mutated(signed, purpose),
            "INVALID",
            ["proof_purpose"],
            spec=verify,
            keys=public,
        ),
        f"{folder}/verify-key-not-for-assertion.json": verify_case(
            f"{folder}/verify-key-not-for-assertion",
            "The issuer's controller document lists the key only under authentication, so it "
            "may not sign credentials: proof_purpose.",
            web_signed,
            "INVALID",
            ["proof_purpose"],
            keys=web_public,
            documents=auth_only_doc,
            spec=OB_SPEC,
        ),
        f"{folder}/verify-issuer-not-controller.json": verify_case(
            f"{folder}/verify-issuer-not-controller",
            "The issuer id was replaced by another DID; the signing key is not controlled by "
            "it: controller_mismatch (checked before the signature).",
            mutated(signed, other_issuer),
            "INVALID",
            ["controller_mismatch"],
            keys=public,
            spec=OB_SPEC,
        ),
        f"{folder}/verify-not-yet-valid.json": verify_case(
            f"{folder}/verify-not-yet-valid",
            "Verified a day before validFrom (and before the proof was created).",
            signed,
            "INVALID",
            ["proof_created_in_future", "not_yet_valid"],
            spec=verify,
            keys=public,
            at="2025-01-14T09:30:00Z",
        ),
        f"{folder}/verify-offline-https-issuer.json": verify_case(
            f"{folder}/verify-offline-https-issuer",
            "An https issuer's key with no document given and no network: INDETERMINATE, "
            "never VALID.",
            web_signed,
            "INDETERMINATE",
            ["unsupported_did_method"],
            keys=web_public,
            spec=OB_SPEC,
        ),
    }


def proof_set_cases() -> dict[str, Case]:
    """Two keys of one https issuer (its controller document lists both): a proof set (each
    proof signs the credential alone) and a chain (the second proof also signs the first)."""
    ed_key = ed25519(0x45, controller=ISSUER_URL)
    ec_key = p256(0x53, controller=ISSUER_URL)
    documents = {ISSUER_URL: controller_document(ed_key, ec_key)}
    keys = [key_entry(ed_key, secret=False), key_entry(ec_key, secret=False)]
    first_id = "urn:uuid:00000000-0000-4000-9000-000000000001"
    second_id = "urn:uuid:00000000-0000-4000-9000-000000000002"
    # The first proof carries an id (in its options, so its own signature covers it) that the
    # chained proof names in previousProof.
    credential = _unsecured(issue(ed_key, unsigned(21)))
    first = sign_below_issuer(credential, ed_key, options={"id": first_id})
    proof_set = sign_below_issuer(first, ec_key, suite="ecdsa-rdfc-2019", options={"id": second_id})
    chain = sign_below_issuer(
        first, ec_key, suite="ecdsa-rdfc-2019", options={"id": second_id, "previousProof": first_id}
    )
    set_spec = DI + "#proof-sets"
    chain_spec = DI + "#proof-chains"

    def tamper_second(doc: Json) -> None:
        doc["proof"][1]["proofValue"] = flip_proof_value(doc["proof"][1]["proofValue"])

    def tamper_first(doc: Json) -> None:
        doc["proof"][0]["proofValue"] = flip_proof_value(doc["proof"][0]["proofValue"])

    def drop_first(doc: Json) -> None:
        doc["proof"] = [doc["proof"][1]]

    common: dict[str, Any] = {"keys": keys, "documents": documents}
    return {
        "proof-sets/verify-set-valid.json": verify_case(
            "proof-sets/verify-set-valid",
            "A proof set: an eddsa-rdfc-2022 proof and an ecdsa-rdfc-2019 (P-256) proof by two "
            "keys of the same https issuer, each over the credential alone. Both verify.",
            proof_set,
            "VALID",
            [],
            spec=set_spec,
            **common,
        ),
        "proof-sets/verify-set-one-bad.json": verify_case(
            "proof-sets/verify-set-one-bad",
            "The second proof of the set has one bit of its signature flipped: every proof of "
            "a set must verify, so the valid first proof does not save it (invalid_signature "
            "at /proof/1).",
            mutated(proof_set, tamper_second),
            "INVALID",
            ["invalid_signature"],
            spec=set_spec,
            **common,
        ),
        "proof-sets/verify-chain-valid.json": verify_case(
            "proof-sets/verify-chain-valid",
            "A proof chain: the ecdsa-rdfc-2019 proof names the eddsa-rdfc-2022 proof in "
            "previousProof and signs the credential together with it. Both verify.",
            chain,
            "VALID",
            [],
            spec=chain_spec,
            **common,
        ),
        "proof-sets/verify-chain-previous-tampered.json": verify_case(
            "proof-sets/verify-chain-previous-tampered",
            "The first proof's signature was altered: it fails, and so does the chained proof "
            "that covers it (invalid_signature twice).",
            mutated(chain, tamper_first),
            "INVALID",
            ["invalid_signature", "invalid_signature"],
            spec=chain_spec,
            **common,
        ),
        "proof-sets/verify-chain-previous-removed.json": verify_case(
            "proof-sets/verify-chain-previous-removed",
            "The proof the chained proof names in previousProof was removed: "
            "previous_proof_missing.",
            mutated(chain, drop_first),
            "INVALID",
            ["previous_proof_missing"],
            spec=chain_spec,
            **common,
        ),
    }


EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"


@dataclass(frozen=True)
class ForgingSigner:
    """A "signer" for the small-order key: returns R = identity, S = 0 whatever it is given,
    which is all an attacker needs (no secret exists for that key)."""

    verification_method: str
    controller: str
    algorithm: str = "Ed25519"

    def sign(self, data: bytes) -> bytes:
        return FORGED_SIGNATURE


@dataclass(frozen=True)
class IdentityRSigner:
    """The owner of an ordinary Ed25519 key signing with R = identity: S = k * a (k the
    challenge hash of R, A and the message; a the secret scalar), which the cofactorless
    equation [S]B = R + [k]A accepts (RFC 8032 sections 5.1.5 and 5.1.6, computed here)."""

    seed: bytes
    key: Ed25519Key
    algorithm: str = "Ed25519"

    @property
    def verification_method(self) -> str:
        return self.key.verification_method

    @property
    def controller(self) -> str:
        return self.key.controller

    def sign(self, data: bytes) -> bytes:
        digest = bytearray(hashlib.sha512(self.seed).digest()[:32])
        digest[0] &= 248
        digest[31] &= 127
        digest[31] |= 64
        scalar = int.from_bytes(digest, "little")
        challenge = hashlib.sha512(IDENTITY_R + self.key.public_bytes + data).digest()
        k = int.from_bytes(challenge, "little") % ED25519_ORDER
        return IDENTITY_R + (k * scalar % ED25519_ORDER).to_bytes(32, "little")


# The encoding of the identity point, and the order of Ed25519's prime-order subgroup.
IDENTITY_R = bytes([1]) + bytes(31)
ED25519_ORDER = 2**252 + 27742317777372353535851937790883648493


def hardening_cases() -> dict[str, Case]:
    """Credentials signed correctly (or forged so that a lax Ed25519 check accepts them) that
    a verifier must still refuse: a small-order issuer key, an example context."""
    # Why the small-order case matters: a plain Ed25519 check (OpenSSL's) accepts the forgery
    # for any message; without this the case would show nothing.
    Ed25519PublicKey.from_public_bytes(SMALL_ORDER_KEY).verify(FORGED_SIGNATURE, b"any message")
    fingerprint = encode_multikey("ed25519-pub", SMALL_ORDER_KEY)
    weak_did = f"did:key:{fingerprint}"
    forger = ForgingSigner(f"{weak_did}#{fingerprint}", weak_did)
    forged = sign_below_issuer(
        {
            **unsigned(61),
            "issuer": {"id": weak_did, "type": ["Profile"], "name": "Example University"},
            "validFrom": created(),
        },
        forger,
    )
    weak_keys = [
        {
            "type": "Ed25519",
            "controller": weak_did,
            "verificationMethod": forger.verification_method,
            "publicKeyMultibase": fingerprint,
        }
    ]
    owner_seed = bytes([0x43]) * 32
    owner = ed25519(0x43)
    identity_r = IdentityRSigner(owner_seed, owner)
    # The premise: OpenSSL's check accepts such a signature from the key's owner.
    Ed25519PublicKey.from_public_bytes(owner.public_bytes).verify(
        identity_r.sign(b"any message"), b"any message"
    )
    small_r = sign_below_issuer(
        {**unsigned(63), "issuer": profile(owner), "validFrom": created()}, identity_r
    )
    key = ed25519(0x42)
    with_examples = mutated(unsigned(62), lambda doc: doc["@context"].append(EXAMPLES_CONTEXT))
    example_issuer = Issuer(Profile.from_json(profile(key)), key=key, allow_example_contexts=True)
    folder = "eddsa-rdfc-2022"
    return {
        f"{folder}/verify-small-order-key.json": verify_case(
            f"{folder}/verify-small-order-key",
            "The issuer is a did:key whose Ed25519 public key is the identity point (32 bytes: "
            "0x01 then zeros), a point of small order, and the proof's signature is R = "
            "identity, S = 0 (0x01, 31 zero bytes, 32 zero bytes). That signature satisfies "
            "the Ed25519 verification equation for every message under this key, so a "
            "verifier that only runs the equation (OpenSSL does, and accepts it) would call a "
            "credential nobody signed VALID. A conforming verifier refuses a small-order "
            "public key before checking any signature: INVALID, weak_key (at "
            "/proof/verificationMethod).",
            forged,
            "INVALID",
            ["weak_key"],
            spec=RFC8032_VERIFY,
            keys=weak_keys,
        ),
        f"{folder}/verify-small-order-r.json": verify_case(
            f"{folder}/verify-small-order-r",
            "The issuer's Ed25519 key is an ordinary one, but its owner signed with R = "
            "identity (0x01 then 31 zero bytes) and S = k * a mod L, which satisfies the "
            "verification equation, cofactored or not, for any message the owner picks. RFC "
            "8032 section 5.1.7 does not exclude it, and OpenSSL and Digital Bazaar's stack "
            "accept it; libsodium refuses an R of small order, and so does vcbadge, which "
            "verifies Ed25519 with it. A hardening rule rather than an RFC 8032 requirement "
            "(like a small-order key): no honest signer produces such an R. INVALID, "
            "invalid_signature (at /proof).",
            small_r,
            "INVALID",
            ["invalid_signature"],
            spec="https://eprint.iacr.org/2020/1244",
            keys=[key_entry(owner, secret=False)],
        ),
        f"{folder}/verify-example-context.json": verify_case(
            f"{folder}/verify-example-context",
            f"A correctly signed credential that also lists {EXAMPLES_CONTEXT}, the context "
            "W3C publishes for examples and tests: its terms belong to nobody, so what they "
            "say cannot be trusted. A production verifier refuses it: INVALID, "
            "example_context (the contexts check, and the proof check, which cannot "
            "canonicalize the credential without it). A verifier may allow example contexts "
            "by configuration for tests and demos (vcbadge: Policy(allow_example_contexts="
            "True), or verify --allow-example-contexts); this case is verified without it.",
            example_issuer.issue(with_examples, at=ISSUED),
            "INVALID",
            ["example_context", "example_context"],
            spec="https://www.w3.org/TR/vc-data-model-2.0/#contexts",
            keys=[key_entry(key, secret=False)],
        ),
    }


def _unsecured(document: Json) -> Json:
    return {key: value for key, value in document.items() if key != "proof"}


def cases() -> dict[str, Case]:
    built = eddsa_rdfc_2022_cases()
    for folder, suite, key, number, spec in SUITES:
        built.update(suite_cases(folder, suite, key, number, spec))
    built.update(proof_set_cases())
    built.update(hardening_cases())
    return built
