"""Rebuild test_vectors/ deterministically (fixed seeds, fixed times, fixed ids).

Run ``.venv/bin/python scripts/generate_test_vectors.py`` after changing a vector; a test proves
the checked-in files equal what this script builds.

Every case is self-describing JSON: ``id``, ``description``, ``spec`` (section URL), ``type``
(``sign`` or ``verify``), ``keys``, ``documents`` (what a static resolver serves, by DID or URL),
``input``, ``expected`` and ``at`` (the verification time). ``manifest.json`` lists every case
with its sha256.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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
from vcbadge.keys import Ed25519Key, controller_document

ROOT = Path(__file__).resolve().parents[1] / "test_vectors"
VERSION = "1.0.0"
ISSUED = datetime(2025, 1, 15, 9, 30, tzinfo=timezone.utc)
AT = "2025-06-01T00:00:00Z"
DI_SPEC = "https://www.w3.org/TR/vc-di-eddsa/#eddsa-rdfc-2022"
DI_VERIFY = "https://www.w3.org/TR/vc-data-integrity/#verify-proof"
OB_SPEC = "https://www.imsglobal.org/spec/ob/v3p0/#verification"
ISSUER_URL = "https://badges.example.edu/issuers/vectors"

Case = dict[str, Any]


def _key(seed_byte: int, controller: str | None = None) -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([seed_byte]) * 32, controller=controller)


def _key_entry(key: Ed25519Key, *, secret: bool) -> dict[str, str]:
    entry = {
        "type": "Ed25519",
        "controller": key.controller,
        "verificationMethod": key.verification_method,
        "publicKeyMultibase": key.public_key_multibase,
    }
    if secret:
        entry["secretKeyMultibase"] = key.secret_key_multibase
    return entry


def _unsigned(number: int) -> dict[str, Any]:
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


def _issue(key: Ed25519Key, unsigned: dict[str, Any]) -> dict[str, Any]:
    issuer = Issuer(Profile(id=key.controller, name="Example University"), key=key)
    return issuer.issue(unsigned, at=ISSUED)


def _verify_case(
    case_id: str,
    description: str,
    document: dict[str, Any],
    expected_outcome: str,
    expected_codes: list[str],
    *,
    spec: str = DI_VERIFY,
    keys: list[dict[str, str]] | None = None,
    documents: dict[str, Any] | None = None,
    at: str = AT,
) -> Case:
    verifier = Verifier.offline(documents=documents or {}, clock=FixedClock(parse_datetime(at)))
    result = verifier.verify(document)
    observed = (result.outcome.value, [check.code for check in result.failed])
    if observed != (expected_outcome, expected_codes):
        raise AssertionError(
            f"{case_id}: declared {expected_outcome} {expected_codes}, "
            f"vcbadge gives {observed[0]} {observed[1]}"
        )
    return {
        "id": case_id,
        "description": description,
        "spec": spec,
        "type": "verify",
        "keys": keys or [],
        "documents": documents or {},
        "input": document,
        "expected": {"outcome": expected_outcome, "codes": expected_codes},
        "at": at,
    }


def _mutated(document: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    copied = copy.deepcopy(document)
    change(copied)
    return copied


def build_cases() -> dict[str, Case]:
    """Every case, keyed by its relative file path."""
    key = _key(0x42)
    web_key = _key(0x43, controller=ISSUER_URL)
    signed = _issue(key, _unsigned(1))
    web_signed = _issue(web_key, _unsigned(2))
    public = [_key_entry(key, secret=False)]
    web_public = [_key_entry(web_key, secret=False)]
    assertion_doc = {ISSUER_URL: controller_document(web_key)}
    auth_only_doc = {ISSUER_URL: controller_document(web_key, purposes=("authentication",))}

    def set_name(doc: dict[str, Any]) -> None:
        doc["credentialSubject"]["achievement"]["name"] = "Something Else"

    def add_context(doc: dict[str, Any]) -> None:
        doc["@context"].append("https://vectors.invalid/unknown-context.json")

    def unknown_suite(doc: dict[str, Any]) -> None:
        doc["proof"]["cryptosuite"] = "eddsa-rdf-2022"

    def purpose(doc: dict[str, Any]) -> None:
        doc["proof"]["proofPurpose"] = "authentication"

    def other_issuer(doc: dict[str, Any]) -> None:
        doc["issuer"]["id"] = _key(0x44).did

    def drop_proof(doc: dict[str, Any]) -> None:
        del doc["proof"]

    cases: dict[str, Case] = {
        "eddsa-rdfc-2022/sign-did-key.json": {
            "id": "eddsa-rdfc-2022/sign-did-key",
            "description": "Sign an OpenBadgeCredential with eddsa-rdfc-2022 and a did:key "
            "issuer; Ed25519 is deterministic, so the output must equal expected.output.",
            "spec": DI_SPEC,
            "type": "sign",
            "keys": [_key_entry(key, secret=True)],
            "documents": {},
            "input": {
                "credential": _unsigned(1),
                "issuer": {"id": key.did, "type": ["Profile"], "name": "Example University"},
                "created": format_datetime(ISSUED),
            },
            "expected": {"output": signed},
            "at": AT,
        },
        "eddsa-rdfc-2022/verify-valid-did-key.json": _verify_case(
            "eddsa-rdfc-2022/verify-valid-did-key",
            "A credential signed by its did:key issuer verifies.",
            signed,
            "VALID",
            [],
            keys=public,
        ),
        "eddsa-rdfc-2022/verify-valid-https-issuer.json": _verify_case(
            "eddsa-rdfc-2022/verify-valid-https-issuer",
            "Issuer is an https URL whose controller document (in documents) lists the key "
            "under assertionMethod.",
            web_signed,
            "VALID",
            [],
            keys=web_public,
            documents=assertion_doc,
            spec=OB_SPEC,
        ),
        "eddsa-rdfc-2022/verify-tampered.json": _verify_case(
            "eddsa-rdfc-2022/verify-tampered",
            "The achievement name was changed after signing: invalid_signature.",
            _mutated(signed, set_name),
            "INVALID",
            ["invalid_signature"],
            keys=public,
        ),
        "eddsa-rdfc-2022/verify-missing-proof.json": _verify_case(
            "eddsa-rdfc-2022/verify-missing-proof",
            "The proof was removed: proof_missing.",
            _mutated(signed, drop_proof),
            "INVALID",
            ["proof_missing"],
            keys=public,
        ),
        "eddsa-rdfc-2022/verify-unknown-context.json": _verify_case(
            "eddsa-rdfc-2022/verify-unknown-context",
            "A context URL no verifier can know was appended: context_not_allowed (a verifier "
            "must not fetch it); the proof cannot be checked under it either.",
            _mutated(signed, add_context),
            "INVALID",
            ["context_not_allowed", "context_not_allowed"],
            keys=public,
        ),
        "eddsa-rdfc-2022/verify-unknown-cryptosuite.json": _verify_case(
            "eddsa-rdfc-2022/verify-unknown-cryptosuite",
            "The proof names a cryptosuite that does not exist (the misspelling found in "
            "published OB examples): INDETERMINATE, unknown_cryptosuite.",
            _mutated(signed, unknown_suite),
            "INDETERMINATE",
            ["unknown_cryptosuite"],
            keys=public,
        ),
        "eddsa-rdfc-2022/verify-wrong-purpose.json": _verify_case(
            "eddsa-rdfc-2022/verify-wrong-purpose",
            "A credential proof must have proofPurpose assertionMethod: proof_purpose.",
            _mutated(signed, purpose),
            "INVALID",
            ["proof_purpose"],
            keys=public,
        ),
        "eddsa-rdfc-2022/verify-key-not-for-assertion.json": _verify_case(
            "eddsa-rdfc-2022/verify-key-not-for-assertion",
            "The issuer's controller document lists the key only under authentication, so it "
            "may not sign credentials: proof_purpose.",
            web_signed,
            "INVALID",
            ["proof_purpose"],
            keys=web_public,
            documents=auth_only_doc,
            spec=OB_SPEC,
        ),
        "eddsa-rdfc-2022/verify-issuer-not-controller.json": _verify_case(
            "eddsa-rdfc-2022/verify-issuer-not-controller",
            "The issuer id was replaced by another DID; the signing key is not controlled by "
            "it: controller_mismatch (checked before the signature).",
            _mutated(signed, other_issuer),
            "INVALID",
            ["controller_mismatch"],
            keys=public,
            spec=OB_SPEC,
        ),
        "eddsa-rdfc-2022/verify-not-yet-valid.json": _verify_case(
            "eddsa-rdfc-2022/verify-not-yet-valid",
            "Verified a day before validFrom (and before the proof was created).",
            signed,
            "INVALID",
            ["proof_created_in_future", "not_yet_valid"],
            keys=public,
            at="2025-01-14T09:30:00Z",
        ),
        "eddsa-rdfc-2022/verify-offline-https-issuer.json": _verify_case(
            "eddsa-rdfc-2022/verify-offline-https-issuer",
            "An https issuer's key with no document given and no network: INDETERMINATE, "
            "never VALID.",
            web_signed,
            "INDETERMINATE",
            ["unsupported_did_method"],
            keys=web_public,
            spec=OB_SPEC,
        ),
    }
    for case in cases.values():
        case["version"] = VERSION
    return cases


def render(case: Case) -> bytes:
    return (json.dumps(case, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def build_files() -> dict[str, bytes]:
    """Relative path → file bytes, manifest included."""
    files = {path: render(case) for path, case in sorted(build_cases().items())}
    manifest = {
        "description": "vcbadge test vectors: self-describing cases (see each file's "
        "description and spec). Verify cases name the expected outcome and the codes of the "
        "checks that did not pass, in order.",
        "version": VERSION,
        "cases": [
            {
                "file": path,
                "id": json.loads(data)["id"],
                "type": json.loads(data)["type"],
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for path, data in files.items()
        ],
    }
    files["manifest.json"] = render(manifest)
    return files


def main() -> int:
    for path, data in build_files().items():
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(build_files())} files under {ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
