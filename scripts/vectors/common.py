"""What every vector builder shares: fixed times and keys, the case shapes, and the check that
vcbadge gives the result a case DECLARES (the expected result is written in the builder, never
read back from vcbadge)."""

from __future__ import annotations

import base64
import copy
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from multiformats import multibase

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Image,
    Issuer,
    Profile,
    Verifier,
)
from vcbadge._time import format_datetime, parse_datetime
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey, Ed25519Key, RsaKey
from vcbadge.proofs.data_integrity import add_proof, create_proof
from vcbadge.proofs.registry import default_registry
from vcbadge.protocols import Signer

from .rsa_key import RSA_TEST_JWK

VERSION = "2.4.0"
ISSUED = datetime(2025, 1, 15, 9, 30, tzinfo=timezone.utc)
AT = "2025-06-01T00:00:00Z"
ISSUER_URL = "https://badges.example.edu/issuers/vectors"

DI_VERIFY = "https://www.w3.org/TR/vc-data-integrity/#verify-proof"
OB_SPEC = "https://www.imsglobal.org/spec/ob/v3p0/#verification"

# The identity point of edwards25519, (x, y) = (0, 1), in the encoding of RFC 8032 section
# 5.1.2 (y little-endian, x's sign in the top bit): a public key of small order. With it the
# signature R = identity, S = 0 satisfies the verification equation [S]B = R + [k]A for every
# message, so it verifies without any secret.
SMALL_ORDER_KEY = bytes([1]) + bytes(31)
FORGED_SIGNATURE = SMALL_ORDER_KEY + bytes(32)
RFC8032_VERIFY = "https://www.rfc-editor.org/rfc/rfc8032#section-5.1.7"

Case = dict[str, Any]
Json = dict[str, Any]
SigningKey = Ed25519Key | EcKey | RsaKey


# Keys: Ed25519 and ECDSA from fixed seeds / scalars, RSA from the stored test JWK.


def ed25519(seed_byte: int, controller: str | None = None) -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([seed_byte]) * 32, controller=controller)


def p256(scalar_byte: int, controller: str | None = None) -> EcKey:
    return EcKey.from_private_scalar(bytes([scalar_byte]) * 32, "P-256", controller=controller)


def p384(scalar_byte: int, controller: str | None = None) -> EcKey:
    return EcKey.from_private_scalar(bytes([scalar_byte]) * 48, "P-384", controller=controller)


def rsa() -> RsaKey:
    return RsaKey.from_jwk(RSA_TEST_JWK)


def key_entry(key: SigningKey, *, secret: bool) -> dict[str, Any]:
    """A key as a case lists it: public material always, the secret only for sign cases."""
    entry: dict[str, Any] = {
        "type": key.algorithm,
        "controller": key.controller,
        "verificationMethod": key.verification_method,
    }
    if isinstance(key, RsaKey):
        entry["publicKeyJwk"] = key.to_jwk()
        if secret:
            entry["privateKeyJwk"] = key.to_jwk(include_private=True)
    else:
        entry["publicKeyMultibase"] = key.public_key_multibase
        if secret:
            entry["secretKeyMultibase"] = key.secret_key_multibase
    return entry


# Credentials.


def unsigned(number: int) -> Json:
    """An unsigned OpenBadgeCredential (VC 2.0) with a fixed id."""
    achievement = Achievement(
        id=f"https://badges.example.edu/achievements/vector-{number}",
        name="Collaborative Problem Solving",
        description="Works with peers to define, split and solve an open problem.",
        criteria=Criteria(narrative="Complete the team project and the peer review."),
        image=Image(id="https://badges.example.edu/images/cps.png"),
    )
    award = AchievementCredential.award(
        achievement,
        recipient_email="learner@example.org",
        salt="vector-salt",
        id=f"urn:uuid:00000000-0000-4000-8000-{number:012d}",
    )
    return award.to_json()


def profile(key: SigningKey, name: str = "Example University") -> Json:
    return {"id": key.controller, "type": ["Profile"], "name": name}


def issue(key: SigningKey, document: Json, *, suite: str = "eddsa-rdfc-2022") -> Json:
    """``document`` signed by ``key`` with ``suite``, created at ISSUED."""
    issuer = Issuer(Profile.from_json(profile(key)), key=key, suite=suite)
    return issuer.issue(document, at=ISSUED)


def sign_below_issuer(
    document: Json,
    signer: Signer,
    *,
    suite: str = "eddsa-rdfc-2022",
    purpose: str = "assertionMethod",
    options: dict[str, Any] | None = None,
) -> Json:
    """``document`` exactly as given with a proof by ``signer``, created at ISSUED: for the
    cases vcbadge's Issuer and Holder refuse to sign (a credential that breaks an OB rule, a
    forged key, a presentation proof with a malformed challenge), built as any other signer
    could."""
    proof = create_proof(
        document,
        suite=default_registry()[suite],
        signer=signer,
        canonicalizer=Canonicalizer(default_loader()),
        created=ISSUED,
        proof_purpose=purpose,
        options=options,
    )
    return add_proof(document, proof)


def mutated(document: Json, change: Callable[[Json], None]) -> Json:
    copied = copy.deepcopy(document)
    change(copied)
    return copied


def flip_proof_value(proof_value: str) -> str:
    """The same base58btc signature with one bit of its last byte flipped."""
    raw = bytearray(multibase.decode(proof_value))
    raw[-1] ^= 0x01
    return str(multibase.encode(bytes(raw), "base58btc"))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# Case shapes.


def sign_case(
    case_id: str,
    description: str,
    spec: str,
    key: SigningKey,
    case_input: Json,
    output: Any,
) -> Case:
    """A sign case: signing ``input`` with ``keys[0]`` must give exactly ``expected.output``."""
    return {
        "id": case_id,
        "description": description,
        "spec": spec,
        "type": "sign",
        "keys": [key_entry(key, secret=True)],
        "documents": {},
        "input": case_input,
        "expected": {"output": output},
        "at": AT,
    }


def image_input(image_type: str, image: bytes) -> Json:
    """A verify case's input that is a badge image (test_vectors/README.md)."""
    return {"image": image_type, "base64": base64.b64encode(image).decode("ascii")}


def verify_case(
    case_id: str,
    description: str,
    document: Json | str | bytes,
    expected_outcome: str,
    expected_codes: list[str],
    *,
    spec: str = DI_VERIFY,
    keys: list[dict[str, Any]] | None = None,
    documents: dict[str, Any] | None = None,
    at: str = AT,
    kind: str = "verify",
    challenge: str | None = None,
    domain: str | list[str] | None = None,
    recipient: str | None = None,
    image_type: str | None = None,
) -> Case:
    """A verify case (or a status case, which is verified the same way) whose DECLARED outcome
    and failed-check codes vcbadge must give; raises AssertionError otherwise. ``document``
    as bytes is a badge image of ``image_type`` (``png`` or ``svg``); ``recipient`` is the
    person the badge must be awarded to (``vcbadge verify --recipient``)."""
    verifier = Verifier.offline(documents=documents or {}, clock=FixedClock(parse_datetime(at)))
    case_input: Json | str
    if isinstance(document, bytes):
        if image_type is None:
            raise AssertionError(f"{case_id}: an image input needs its image_type")
        case_input = image_input(image_type, document)
    else:
        case_input = document
    if challenge is not None:
        result = verifier.verify_presentation(document, challenge=challenge, domain=domain)
    else:
        result = verifier.verify(document, recipient=recipient)
    observed = (result.outcome.value, [check.code for check in result.failed])
    if observed != (expected_outcome, expected_codes):
        raise AssertionError(
            f"{case_id}: declared {expected_outcome} {expected_codes}, "
            f"vcbadge gives {observed[0]} {observed[1]}"
        )
    case: Case = {
        "id": case_id,
        "description": description,
        "spec": spec,
        "type": kind,
        "keys": keys or [],
        "documents": documents or {},
        "input": case_input,
        "expected": {"outcome": expected_outcome, "codes": expected_codes},
        "at": at,
    }
    if challenge is not None:
        case["challenge"] = challenge
        if domain is not None:
            case["domain"] = domain
    if recipient is not None:
        case["recipient"] = recipient
    return case


def plain_case(
    case_id: str,
    description: str,
    spec: str,
    kind: str,
    case_input: Any,
    expected: Json,
    *,
    check: Callable[[Any], Json],
) -> Case:
    """A canonicalize / resolve / bake case: ``check(input)`` (vcbadge's answer, as
    ``{"output": ...}`` or ``{"error": {"code": ...}}``) must equal the DECLARED ``expected``."""
    observed = check(case_input)
    if observed != expected:
        raise AssertionError(f"{case_id}: declared {expected}, vcbadge gives {observed}")
    return {
        "id": case_id,
        "description": description,
        "spec": spec,
        "type": kind,
        "keys": [],
        "documents": {},
        "input": case_input,
        "expected": expected,
        "at": AT,
    }


def created(moment: datetime = ISSUED) -> str:
    return format_datetime(moment)
