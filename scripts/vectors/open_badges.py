"""Open Badges 3.0 conformance vectors: a correctly signed credential that breaks an OB 3.0
rule a verifier applies is INVALID, whatever its signature says.

vcbadge's Issuer refuses to sign such credentials, so the invalid ones are signed below it
(``common.sign_below_issuer``), as any other issuer's software could sign them."""

from __future__ import annotations

from .common import (
    Case,
    Json,
    created,
    ed25519,
    issue,
    key_entry,
    mutated,
    profile,
    sign_below_issuer,
    unsigned,
    verify_case,
)

OB = "https://www.imsglobal.org/spec/ob/v3p0/"
SUBJECT_SPEC = OB + "#achievementsubject"
CREDENTIAL_SPEC = OB + "#achievementcredential"
SUBJECT_DID = "did:example:learner-71"
IDENTITY_SPEC = OB + "#identityobject"
RECIPIENT = "learner@example.org"  # common.unsigned awards it, hashed with a salt
OTHER_RECIPIENT = "mallory@example.org"


def _with_issuer(document: Json, issuer: Json) -> Json:
    """``document`` as the Issuer would complete it: ``issuer`` and ``validFrom`` set."""
    return {**document, "issuer": issuer, "validFrom": created()}


def _subject_by_id(document: Json) -> None:
    subject = document["credentialSubject"]
    del subject["identifier"]
    subject["id"] = SUBJECT_DID


def _subject_unidentified(document: Json) -> None:
    del document["credentialSubject"]["identifier"]


def _only_vc_type(document: Json) -> None:
    document["type"] = ["VerifiableCredential"]


def cases() -> dict[str, Case]:
    key = ed25519(0x71)
    keys = [key_entry(key, secret=False)]
    issuer = profile(key)
    folder = "open-badges"
    return {
        f"{folder}/verify-subject-id-valid.json": verify_case(
            f"{folder}/verify-subject-id-valid",
            "The recipient is identified by credentialSubject.id (a DID) alone, without "
            "identifier: OB 3.0 asks for id or at least one identifier, so this conforms "
            "and verifies.",
            issue(key, mutated(unsigned(71), _subject_by_id)),
            "VALID",
            [],
            spec=SUBJECT_SPEC,
            keys=keys,
        ),
        f"{folder}/verify-subject-unidentified.json": verify_case(
            f"{folder}/verify-subject-unidentified",
            "A correctly signed OpenBadgeCredential whose credentialSubject has neither id "
            "nor identifier: the badge names no recipient, so anyone could present it as "
            "theirs. OB 3.0 requires one of them; a conforming verifier answers INVALID "
            "(ob_subject_unidentified, at /credentialSubject) although the signature is good.",
            sign_below_issuer(
                _with_issuer(mutated(unsigned(72), _subject_unidentified), issuer), key
            ),
            "INVALID",
            ["ob_subject_unidentified"],
            spec=SUBJECT_SPEC,
            keys=keys,
        ),
        f"{folder}/verify-type-missing.json": verify_case(
            f"{folder}/verify-type-missing",
            "A correctly signed credential that uses the OB 3.0 context and an "
            "AchievementSubject but is typed only VerifiableCredential: OB 3.0 requires "
            "AchievementCredential or OpenBadgeCredential in type, and a credential that "
            "does not say it is a badge must not be accepted as one. A conforming verifier "
            "answers INVALID (ob_type_missing, at /type) although the signature is good.",
            sign_below_issuer(_with_issuer(mutated(unsigned(73), _only_vc_type), issuer), key),
            "INVALID",
            ["ob_type_missing"],
            spec=CREDENTIAL_SPEC,
            keys=keys,
        ),
        f"{folder}/verify-recipient-valid.json": verify_case(
            f"{folder}/verify-recipient-valid",
            f"A badge whose credentialSubject.identifier is an emailAddress IdentityObject, "
            f"hashed (sha256$ of the email followed by the salt), verified for the recipient "
            f"{RECIPIENT}: the verifier recomputes the salted hash and finds it: VALID.",
            issue(key, unsigned(74)),
            "VALID",
            [],
            spec=IDENTITY_SPEC,
            keys=keys,
            recipient=RECIPIENT,
        ),
        f"{folder}/verify-recipient-mismatch.json": verify_case(
            f"{folder}/verify-recipient-mismatch",
            f"The same badge verified for {OTHER_RECIPIENT}: no id or identifier of the "
            "subject matches that recipient, so the badge was not awarded to this person: "
            "INVALID, recipient_mismatch at /credentialSubject (everything else verifies).",
            issue(key, unsigned(74)),
            "INVALID",
            ["recipient_mismatch"],
            spec=IDENTITY_SPEC,
            keys=keys,
            recipient=OTHER_RECIPIENT,
        ),
    }
