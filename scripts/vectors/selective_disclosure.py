"""ecdsa-sd-2023 vectors: what a holder presents (a derived proof) is VALID; a changed
disclosed value, a base proof shown to a verifier, and a disclosure that leaves out a member
OB 3.0 requires are INVALID.

The base proof is made with vcbadge's ``create_base_proof`` (the ``Issuer`` does the same with
fresh secrets): here the HMAC key and the one-time P-256 key are fixed, and ECDSA signs with
RFC 6979 nonces, so base and derived proofs are the same on every run."""

from __future__ import annotations

from collections.abc import Sequence

from vcbadge.issue.disclosure import default_mandatory_pointers
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey
from vcbadge.proofs.selective_disclosure import create_base_proof, derive

from .common import ISSUED, Case, Json, created, key_entry, p256, profile, unsigned, verify_case

FOLDER = "ecdsa-sd-2023"
SPEC = "https://www.w3.org/TR/vc-di-ecdsa/#ecdsa-sd-2023"
VERIFY_SPEC = "https://www.w3.org/TR/vc-di-ecdsa/#verify-derived-proof-ecdsa-sd-2023"
BASE_SPEC = "https://www.w3.org/TR/vc-di-ecdsa/#parsederivedproofvalue"
OB_SPEC = "https://www.imsglobal.org/spec/ob/v3p0/#achievementcredential"
HMAC_KEY = bytes(range(32))
DESCRIPTION = "Awarded for the spring term's team project."
# What no disclosure must lack, minus the achievement (an issuer's mistake, for the OB case).
WITHOUT_ACHIEVEMENT = (
    "/issuer",
    "/validFrom",
    "/credentialSubject/type",
    "/credentialSubject/identifier",
)

_CANONICALIZER = Canonicalizer(default_loader())


def _credential(key: EcKey, number: int) -> Json:
    """An OB 3.0 credential as the Issuer completes it, with a member a holder may withhold."""
    document = unsigned(number)
    document["issuer"] = profile(key)
    document["validFrom"] = created()
    document["description"] = DESCRIPTION
    return document


def _based(key: EcKey, document: Json, mandatory: Sequence[str]) -> Json:
    proof = create_base_proof(
        document,
        signer=key,
        canonicalizer=_CANONICALIZER,
        mandatory_pointers=mandatory,
        created=ISSUED,
        hmac_key=HMAC_KEY,
        one_time_key=p256(0x5D),
    )
    return {**document, "proof": proof}


def _derived(base: Json, reveal: Sequence[str]) -> Json:
    return derive(base, selective_pointers=reveal, canonicalizer=_CANONICALIZER)


def cases() -> dict[str, Case]:
    key = p256(0x23)
    keys = [key_entry(key, secret=False)]
    document = _credential(key, 231)
    base = _based(key, document, default_mandatory_pointers(document))
    derived = _derived(base, ["/description"])
    tampered = {**derived, "description": "Awarded for the autumn term's team project."}
    careless = _credential(key, 232)
    withheld = _derived(_based(key, careless, WITHOUT_ACHIEVEMENT), [])
    mandatory = " ".join(default_mandatory_pointers(document))
    return {
        f"{FOLDER}/verify-derived-valid.json": verify_case(
            f"{FOLDER}/verify-derived-valid",
            "What a holder presents: an OpenBadgeCredential issued by a P-256 did:key with an "
            f"ecdsa-sd-2023 base proof whose mandatory pointers are {mandatory}, then derived "
            "revealing /description as well (the subject's other members are not there to "
            "withhold). The derived proof carries the issuer's signature over the proof "
            "options, the one-time key and the mandatory statements' hash, one signature per "
            "other disclosed statement and the label map of its blank nodes: VALID.",
            derived,
            "VALID",
            [],
            spec=VERIFY_SPEC,
            keys=keys,
        ),
        f"{FOLDER}/verify-derived-tampered.json": verify_case(
            f"{FOLDER}/verify-derived-tampered",
            "The same disclosure with the revealed description changed afterwards: that "
            "statement is no longer the one the one-time key signed: "
            "sd_statement_signature_invalid.",
            tampered,
            "INVALID",
            ["sd_statement_signature_invalid"],
            spec=VERIFY_SPEC,
            keys=keys,
        ),
        f"{FOLDER}/verify-base-proof-presented.json": verify_case(
            f"{FOLDER}/verify-base-proof-presented",
            "The credential as issued, with its base proof (header 0xd9 0x5d 0x00): that proof "
            "is for the holder (it carries the HMAC key that hides the blank node labels), "
            "never for a verifier, which is shown derived proofs only: "
            "sd_base_proof_presented.",
            base,
            "INVALID",
            ["sd_base_proof_presented"],
            spec=BASE_SPEC,
            keys=keys,
        ),
        f"{FOLDER}/verify-derived-ob-member-missing.json": verify_case(
            f"{FOLDER}/verify-derived-ob-member-missing",
            "A correctly derived disclosure of a badge whose issuer made only "
            f"{' '.join(WITHOUT_ACHIEVEMENT)} mandatory, presented with nothing else revealed: "
            "the proof verifies, but the credential no longer says what was achieved, which "
            "OB 3.0 requires of every AchievementSubject: ob_member_missing. Issuers should "
            "make every member OB 3.0 requires mandatory.",
            withheld,
            "INVALID",
            ["ob_member_missing"],
            spec=OB_SPEC,
            keys=keys,
        ),
    }
