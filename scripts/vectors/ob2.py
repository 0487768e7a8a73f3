"""Open Badges 2.0 vectors: hosted and signed (RS256) assertions, their badge class, issuer
profile, key and revocation list, as the OB 2.0 specification's examples lay them out (an
issuer at example.org, a robotics badge, a recipient email hashed with a salt). The documents
are written here; the facts (members, verification rules) are the specification's.

Every document a verifier needs is in the case's ``documents``, keyed by its id (its URL), so
the cases run offline. The first baked SVG cases carry the whole image as the input text; the
baked PNG cases (and the later SVG one) carry the image's bytes, ``{"image", "base64"}``.
Recipient cases name the recipient the verifier is asked about (``recipient``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers

from vcbadge.model.ob2 import OB2_CONTEXT
from vcbadge.proofs.jws import sign_compact

from .bake import chunk, png
from .common import Case, Json, b64url, b64url_decode, key_entry, rsa, verify_case

SPEC = "https://www.imsglobal.org/spec/ob/v2p0/#verification"
BAKING = "https://www.imsglobal.org/spec/ob/v2p0/#baking"
FOLDER = "ob2"

ORIGIN = "https://example.org"
ISSUER = f"{ORIGIN}/organization.json"
BADGE = f"{ORIGIN}/robotics-badge.json"
KEY = f"{ORIGIN}/publicKey"
REVOCATIONS = f"{ORIGIN}/revocationList"
RECIPIENT = "alice@example.org"
OTHER_RECIPIENT = "mallory@example.org"
RECIPIENT_SPEC = "https://www.imsglobal.org/spec/ob/v2p0/#IdentityObject"
SALT = "deadsea"
ISSUED_ON = "2025-01-15T09:30:00Z"


def hosted_id(name: str, origin: str = ORIGIN) -> str:
    return f"{origin}/assertions/{name}.json"


def public_pem() -> str:
    jwk = rsa().to_jwk()
    numbers = RSAPublicNumbers(
        int.from_bytes(b64url_decode(jwk["e"]), "big"),
        int.from_bytes(b64url_decode(jwk["n"]), "big"),
    )
    pem = numbers.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem.decode("ascii")


def issuer(**extra: Any) -> Json:
    return {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": ISSUER,
        "name": "An Example Badge Issuer",
        "url": ORIGIN,
        "email": "steved@example.org",
        "publicKey": KEY,
        "revocationList": REVOCATIONS,
        **extra,
    }


def badge_class() -> Json:
    return {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": BADGE,
        "name": "Awesome Robotics Badge",
        "description": "For doing awesome things with robots that people think is pretty great.",
        "image": f"{ORIGIN}/robotics-badge.png",
        "criteria": f"{ORIGIN}/robotics-badge.html",
        "issuer": ISSUER,
    }


def crypto_key() -> Json:
    return {
        "@context": OB2_CONTEXT,
        "type": "CryptographicKey",
        "id": KEY,
        "owner": ISSUER,
        "publicKeyPem": public_pem(),
    }


def revocation_list(*revoked: str) -> Json:
    return {
        "@context": OB2_CONTEXT,
        "type": "RevocationList",
        "id": REVOCATIONS,
        "issuer": ISSUER,
        "revokedAssertions": [
            {"id": assertion_id, "revocationReason": "Issued in error"} for assertion_id in revoked
        ],
    }


def recipient() -> Json:
    digest = hashlib.sha256((RECIPIENT + SALT).encode("utf-8")).hexdigest()
    return {"type": "email", "hashed": True, "salt": SALT, "identity": f"sha256${digest}"}


def assertion(assertion_id: str, verification: Json, **extra: Any) -> Json:
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": assertion_id,
        "recipient": recipient(),
        "badge": BADGE,
        "verification": verification,
        "issuedOn": ISSUED_ON,
        "image": f"{ORIGIN}/beths-robot-badge.png",
        "evidence": f"{ORIGIN}/beths-robot-work.html",
        **extra,
    }


def hosted(name: str, *, origin: str = ORIGIN, **extra: Any) -> Json:
    return assertion(hosted_id(name, origin), {"type": "HostedBadge"}, **extra)


def signed(name: str, *, creator: str = KEY, **extra: Any) -> Json:
    return assertion(
        f"urn:uuid:00000000-0000-4000-8000-0000000002{name}",
        {"type": "SignedBadge", "creator": creator},
        **extra,
    )


def sign(document: Json) -> str:
    return sign_compact({"alg": "RS256"}, document, rsa())


def tamper(token: str) -> str:
    """The same JWS with its payload's recipient salt changed (the signature is kept)."""
    header, payload, signature = token.split(".")
    document = json.loads(b64url_decode(payload))
    document["recipient"]["salt"] = "another salt"
    changed = b64url(json.dumps(document, separators=(",", ":")).encode())
    return f"{header}.{changed}.{signature}"


def svg(verify: str) -> str:
    """A small SVG badge with an OB 2.0 ``<openbadges:assertion>`` (OB 2.0 baking)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org" '
        'viewBox="0 0 8 8" width="64" height="64">\n'
        f'  <openbadges:assertion verify="{verify}"></openbadges:assertion>\n'
        '  <circle cx="4" cy="4" r="3" fill="#06c"/>\n'
        "</svg>\n"
    )


def baked_png(verify: str, *, text_chunk: bool = False) -> bytes:
    """A PNG badge baked the OB 2.0 way: keyword ``openbadges`` in an ``iTXt`` chunk
    (uncompressed, no language tag) or, as older bakers wrote it, a ``tEXt`` chunk, whose text
    is the hosted assertion's URL or the signed assertion's compact JWS."""
    if text_chunk:
        return png(chunk(b"tEXt", b"openbadges\x00" + verify.encode("latin-1")))
    return png(chunk(b"iTXt", b"openbadges\x00\x00\x00\x00\x00" + verify.encode("utf-8")))


def hosted_documents(document: Json, **issuer_extra: Any) -> Json:
    return {
        document["id"]: document,
        BADGE: badge_class(),
        ISSUER: issuer(**issuer_extra),
    }


def signed_documents(*revoked: str) -> Json:
    return {
        BADGE: badge_class(),
        ISSUER: issuer(),
        KEY: crypto_key(),
        REVOCATIONS: revocation_list(*revoked),
    }


def _case(
    name: str,
    description: str,
    document: Json | str | bytes,
    outcome: str,
    codes: list[str],
    documents: Json,
    *,
    spec: str = SPEC,
    signed_case: bool = False,
    recipient: str | None = None,
    image_type: str | None = None,
) -> tuple[str, Case]:
    case_id = f"{FOLDER}/{name}"
    keys = [key_entry(rsa(), secret=False)] if signed_case else []
    case = verify_case(
        case_id,
        description,
        copy.deepcopy(document),
        outcome,
        codes,
        spec=spec,
        keys=keys,
        documents=copy.deepcopy(documents),
        recipient=recipient,
        image_type=image_type,
    )
    return f"{case_id}.json", case


def cases() -> dict[str, Case]:
    valid_hosted = hosted("1")
    valid_signed = sign(signed("01"))
    revoked_signed_document = signed("02")
    revoked_signed = sign(revoked_signed_document)
    revoked_hosted = hosted("3", revoked=True, revocationReason="Issued in error")
    expired = hosted("4", expires="2025-03-01T00:00:00Z")
    foreign = hosted("5", origin="https://badges.example.net")
    allowed = hosted("6", origin="https://badges.example.com")
    other_key = sign(signed("03", creator=f"{KEY}-2"))
    return dict(
        [
            _case(
                "verify-hosted-valid",
                "A hosted assertion (verification.type HostedBadge) received as JSON: the copy "
                "served at its id is the same, its id is on the issuer's origin (example.org, "
                "the default rule), the badge class has an image and criteria, and it has "
                "neither expired nor been revoked.",
                valid_hosted,
                "VALID",
                [],
                hosted_documents(valid_hosted),
            ),
            _case(
                "verify-signed-valid",
                "A signed assertion: a compact JWS (RS256) whose payload is the assertion, "
                "verification.creator the issuer's CryptographicKey (publicKeyPem, owner the "
                "issuer, listed under the issuer's publicKey); the issuer's revocation list "
                "does not name it.",
                valid_signed,
                "VALID",
                [],
                signed_documents(),
                signed_case=True,
            ),
            _case(
                "verify-signed-revoked",
                "A correctly signed assertion whose id is in the issuer's RevocationList "
                "(revokedAssertions, with a revocationReason): revoked.",
                revoked_signed,
                "INVALID",
                ["revoked"],
                signed_documents(revoked_signed_document["id"]),
                signed_case=True,
            ),
            _case(
                "verify-hosted-revoked",
                "A hosted assertion that its issuer now serves with revoked: true: revoked.",
                revoked_hosted,
                "INVALID",
                ["revoked"],
                hosted_documents(revoked_hosted),
            ),
            _case(
                "verify-expired",
                "A hosted assertion whose expires (2025-03-01) is before the verification time: "
                "expired.",
                expired,
                "INVALID",
                ["expired"],
                hosted_documents(expired),
            ),
            _case(
                "verify-tampered-jws",
                "The signed assertion with one member of its payload changed after signing (the "
                "recipient's salt): invalid_signature.",
                tamper(valid_signed),
                "INVALID",
                ["invalid_signature"],
                signed_documents(),
                signed_case=True,
            ),
            _case(
                "verify-hosted-foreign-origin",
                "A hosted assertion served from badges.example.net for a badge of the issuer "
                "https://example.org/organization.json, whose profile names no other allowed "
                "origin: ob2_hosted_origin.",
                foreign,
                "INVALID",
                ["ob2_hosted_origin"],
                hosted_documents(foreign),
            ),
            _case(
                "verify-hosted-allowed-origin-valid",
                "A hosted assertion served from badges.example.com, an origin the issuer's "
                "profile allows (verification.allowedOrigins).",
                allowed,
                "VALID",
                [],
                hosted_documents(
                    allowed,
                    verification={
                        "type": "VerificationObject",
                        "allowedOrigins": "badges.example.com",
                    },
                ),
            ),
            _case(
                "verify-signed-key-not-authorized",
                "A signed assertion whose verification.creator is a key the issuer's profile "
                "does not list under publicKey: ob2_key_not_authorized.",
                other_key,
                "INVALID",
                ["ob2_key_not_authorized"],
                signed_documents(),
                signed_case=True,
            ),
            _case(
                "verify-hosted-unavailable",
                "A hosted assertion whose hosted copy is not among the documents (offline, "
                "nothing else may be fetched): it cannot be checked, INDETERMINATE.",
                valid_hosted,
                "INDETERMINATE",
                ["unsupported_did_method"],
                {BADGE: badge_class(), ISSUER: issuer()},
            ),
            _case(
                "verify-baked-svg-hosted-valid",
                "An SVG badge baked the OB 2.0 way: <openbadges:assertion verify=URL> (namespace "
                "http://openbadges.org) with the hosted assertion's URL, which is fetched.",
                svg(valid_hosted["id"]),
                "VALID",
                [],
                hosted_documents(valid_hosted),
                spec=BAKING,
            ),
            _case(
                "verify-baked-svg-signed-valid",
                "An SVG badge baked the OB 2.0 way with the signed assertion's compact JWS in "
                "the verify attribute.",
                svg(valid_signed),
                "VALID",
                [],
                signed_documents(),
                spec=BAKING,
                signed_case=True,
            ),
            _case(
                "verify-baked-svg-tampered",
                "An SVG badge carrying the tampered JWS: invalid_signature.",
                svg(tamper(valid_signed)),
                "INVALID",
                ["invalid_signature"],
                signed_documents(),
                spec=BAKING,
                signed_case=True,
            ),
            *baked_png_cases(valid_hosted, valid_signed),
            *recipient_cases(valid_hosted, valid_signed),
        ]
    )


def baked_png_cases(valid_hosted: Json, valid_signed: str) -> list[tuple[str, Case]]:
    """Issue 18's baked PNGs: the image's bytes are the input."""
    return [
        _case(
            "verify-baked-png-hosted-valid",
            "A PNG badge baked the OB 2.0 way: an iTXt chunk with keyword openbadges whose "
            "text is the hosted assertion's URL, which is fetched (here: served from "
            "documents) and verified as the hosted assertion.",
            baked_png(valid_hosted["id"]),
            "VALID",
            [],
            hosted_documents(valid_hosted),
            spec=BAKING,
            image_type="png",
        ),
        _case(
            "verify-baked-png-signed-valid",
            "A PNG badge whose openbadges iTXt chunk holds the signed assertion's compact JWS "
            "(RS256): verified as the signed assertion, key and revocation list from "
            "documents.",
            baked_png(valid_signed),
            "VALID",
            [],
            signed_documents(),
            spec=BAKING,
            signed_case=True,
            image_type="png",
        ),
        _case(
            "verify-baked-png-signed-text-chunk-valid",
            "The signed assertion's JWS baked in a tEXt chunk with keyword openbadges, as "
            "bakers before iTXt wrote it; OB 2.0 verifiers read both chunk types.",
            baked_png(valid_signed, text_chunk=True),
            "VALID",
            [],
            signed_documents(),
            spec=BAKING,
            signed_case=True,
            image_type="png",
        ),
        _case(
            "verify-baked-png-tampered",
            "A PNG badge carrying the tampered JWS (the recipient's salt changed after "
            "signing): invalid_signature, as for the same JWS received as text.",
            baked_png(tamper(valid_signed)),
            "INVALID",
            ["invalid_signature"],
            signed_documents(),
            spec=BAKING,
            signed_case=True,
            image_type="png",
        ),
    ]


def recipient_cases(valid_hosted: Json, valid_signed: str) -> list[tuple[str, Case]]:
    """Issue 18's recipient check: the verifier is asked whether the badge was awarded to
    ``recipient`` (an email address, compared with the salted SHA-256 identity)."""
    return [
        _case(
            "verify-recipient-valid",
            f"The hosted assertion, verified for the recipient {RECIPIENT}: its recipient "
            "identity is sha256$ of the email followed by the salt, which the verifier "
            "recomputes and finds equal.",
            valid_hosted,
            "VALID",
            [],
            hosted_documents(valid_hosted),
            spec=RECIPIENT_SPEC,
            recipient=RECIPIENT,
        ),
        _case(
            "verify-wrong-recipient",
            f"The same hosted assertion, verified for {OTHER_RECIPIENT}: the salted hash of "
            "that email is not the assertion's identity, so the badge was not awarded to "
            "this person: ob2_recipient_mismatch (INVALID; everything else verifies).",
            valid_hosted,
            "INVALID",
            ["ob2_recipient_mismatch"],
            hosted_documents(valid_hosted),
            spec=RECIPIENT_SPEC,
            recipient=OTHER_RECIPIENT,
        ),
        _case(
            "verify-baked-png-wrong-recipient",
            f"The signed assertion baked in a PNG, verified for {OTHER_RECIPIENT}: "
            "ob2_recipient_mismatch, the same answer as for the assertion itself.",
            baked_png(valid_signed),
            "INVALID",
            ["ob2_recipient_mismatch"],
            signed_documents(),
            spec=RECIPIENT_SPEC,
            signed_case=True,
            recipient=OTHER_RECIPIENT,
            image_type="png",
        ),
        _case(
            "verify-baked-svg-recipient-valid",
            f"The signed assertion baked in an SVG (given as the image's bytes), verified "
            f"for {RECIPIENT}: VALID.",
            svg(valid_signed).encode("utf-8"),
            "VALID",
            [],
            signed_documents(),
            spec=RECIPIENT_SPEC,
            signed_case=True,
            recipient=RECIPIENT,
            image_type="svg",
        ),
    ]
