"""Interop with didkit, the signer Open edX uses (PyPI ``openedx-didkit``, Spruce's ``ssi``).

Not opt-in: ``openedx-didkit`` is in the ``dev`` extra and these tests run in CI. didkit signs
Open Badges 3.0 credentials as Open edX does (VC 1.1 with the OB 3.0 ``context.json``, a did:key
issuer, ``Ed25519Signature2018`` by default or ``Ed25519Signature2020``), and
``vcbadge.Verifier.offline()`` must find them VALID and tampered copies INVALID; vcbadge signs
Ed25519Signature2020 and didkit must verify it.

didkit never touches the network here: it resolves did:key itself and serves JSON-LD contexts
from a set compiled into it (an unknown context is an error, "Unknown context", not a fetch).
Each didkit call runs in a child Python process: its tokio runtime can abort the interpreter
at exit after a failed call, which must not take pytest down with it.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from vcbadge import FixedClock, Issuer, Outcome, Profile, Verifier
from vcbadge._b64url import b64url_encode
from vcbadge.keys import Ed25519Key

pytest.importorskip(
    "didkit", reason="no openedx-didkit wheel for this platform (cp311 manylinux x86_64 only)"
)

DATA = Path(__file__).parent.parent / "proofs" / "data"
SEED = bytes(range(32))  # the key of the committed didkit fixtures (tests/proofs/data)
NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)
VC1 = "https://www.w3.org/2018/credentials/v1"
VC2 = "https://www.w3.org/ns/credentials/v2"
OB3 = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"

# Runs a list of didkit calls ({"fn": name, "args": [...]}) and prints one result per call:
# {"ok": value} or {"error": message}. Async functions are awaited.
_CHILD = """
import asyncio, inspect, json, sys
import didkit

async def main():
    results = []
    for call in json.load(sys.stdin):
        try:
            value = getattr(didkit, call["fn"])(*call["args"])
            if inspect.isawaitable(value):
                value = await value
            results.append({"ok": value})
        except Exception as error:
            results.append({"error": f"{type(error).__name__}: {error}"})
    sys.stdout.write(json.dumps(results) + "\\n")
    sys.stdout.flush()

asyncio.run(main())
"""


def _didkit(*calls: tuple[str, list[Any]]) -> list[dict[str, Any]]:
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD],
        input=json.dumps([{"fn": fn, "args": args} for fn, args in calls]),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # The results are complete once printed; a crash while the runtime shuts down after that
    # (see the module docstring) is not a test failure, a missing line is.
    lines = completed.stdout.splitlines()
    assert lines, f"didkit child failed ({completed.returncode}): {completed.stderr[-2000:]}"
    results: list[dict[str, Any]] = json.loads(lines[-1])
    assert len(results) == len(calls)
    return results


def _ok(result: dict[str, Any]) -> Any:
    assert "ok" in result, result.get("error")
    return result["ok"]


def _jwk(seed: bytes) -> str:
    key = Ed25519Key.from_seed(seed)
    return json.dumps({**key.to_jwk(), "d": b64url_encode(seed)})


def _credential(did: str, *, vc2: bool = False) -> dict[str, Any]:
    """An OB 3.0 credential shaped as Open edX composes one."""
    credential: dict[str, Any] = {
        "@context": [VC2 if vc2 else VC1, OB3],
        "id": "urn:uuid:6f1ca7b4-3e0d-4a5c-9b52-0d2f8e4a7c31",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": did, "type": ["Profile"], "name": "Example Open edX instance"},
        "issuanceDate": "2025-03-01T12:00:00Z",
        "name": "Program certificate for Python 101",
        "credentialSubject": {
            "id": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:0b7f3d52-9a64-4b1e-8c0e-5e2a1f6d9c40",
                "type": ["Achievement"],
                "name": "Python 101",
                "description": "Writes, tests and ships small Python programs.",
                "criteria": {"narrative": "Pass the final project."},
            },
        },
    }
    if vc2:
        credential["validFrom"] = credential.pop("issuanceDate")
    return credential


def _options(key: Ed25519Key, proof_type: str | None, **extra: str) -> str:
    options = {
        "proofPurpose": "assertionMethod",
        "verificationMethod": key.verification_method,
        "created": "2025-03-01T12:00:05Z",  # didkit's default is now; the verifier's clock is NOW
    }
    if proof_type is not None:
        options["type"] = proof_type
    return json.dumps({**options, **extra})


def _verify(document: dict[str, Any]) -> Any:
    return Verifier.offline(clock=FixedClock(NOW)).verify(document)


PROOF_TYPES = {
    "Ed25519Signature2018": None,  # didkit's (and Open edX's) default: no type option
    "Ed25519Signature2020": "Ed25519Signature2020",
}


@pytest.mark.parametrize("suite", list(PROOF_TYPES))
def test_didkit_still_signs_the_committed_fixtures(suite: str) -> None:
    # Ed25519 is deterministic and `created` is fixed: didkit reproduces the fixtures that
    # tests/proofs/test_legacy_ld_proofs.py uses as known answers, byte for byte.
    name = "ed25519-2018" if suite == "Ed25519Signature2018" else "ed25519-2020"
    fixture = json.loads((DATA / f"didkit-ob3-{name}.json").read_text(encoding="utf-8"))
    key = Ed25519Key.from_seed(SEED)
    unsigned = {k: v for k, v in fixture.items() if k != "proof"}
    options = _options(key, PROOF_TYPES[suite], created=fixture["proof"]["created"])
    (signed,) = _didkit(("issue_credential", [json.dumps(unsigned), options, _jwk(SEED)]))
    assert json.loads(_ok(signed)) == fixture


@pytest.mark.parametrize("suite", list(PROOF_TYPES))
def test_vcbadge_verifies_what_didkit_signs(suite: str) -> None:
    seed = bytes([0x42]) * 32
    key = Ed25519Key.from_seed(seed)
    credential = _credential(key.did)
    signed, checked = _didkit(
        (
            "issue_credential",
            [json.dumps(credential), _options(key, PROOF_TYPES[suite]), _jwk(seed)],
        ),
        ("key_to_did", ["key", _jwk(seed)]),
    )
    assert _ok(checked) == key.did  # didkit and vcbadge agree on the did:key
    document = json.loads(_ok(signed))
    assert document["proof"]["type"] == suite

    result = _verify(document)
    assert result.outcome is Outcome.VALID, result.to_dict()
    (proof_check,) = [check for check in result.checks if check.name == "proof"]
    assert suite in proof_check.message
    assert ("legacy" in proof_check.message) == (suite == "Ed25519Signature2018")

    for tamper in (
        lambda d: d.update(name="Forged certificate"),
        lambda d: d["credentialSubject"].update(id="did:example:mallory"),
        lambda d: d["proof"].update(created="2025-01-01T00:00:00Z"),
    ):
        tampered = copy.deepcopy(document)
        tamper(tampered)
        outcome = _verify(tampered)
        assert outcome.outcome is Outcome.INVALID, outcome.to_dict()
        assert [check.code for check in outcome.failed] == ["invalid_signature"]


def test_didkit_on_vc2() -> None:
    # openedx-didkit's "VC 2.0 support" (ssi 0.7) still requires issuanceDate, which the VC 2.0
    # context does not define, and its embedded OB context.json is the VC 1.1 one, so it cannot
    # sign an OB 3.0 credential on VC 2.0 offline. Should a later didkit manage it, vcbadge must
    # verify the result.
    seed = bytes([0x43]) * 32
    key = Ed25519Key.from_seed(seed)
    credential = _credential(key.did, vc2=True)
    (signed,) = _didkit(
        (
            "issue_credential",
            [json.dumps(credential), _options(key, "Ed25519Signature2020"), _jwk(seed)],
        )
    )
    if "error" in signed:
        pytest.skip(f"didkit cannot sign OB 3.0 on VC 2.0 offline: {signed['error']}")
    result = _verify(json.loads(signed["ok"]))
    assert result.outcome is Outcome.VALID, result.to_dict()


def test_didkit_verifies_what_vcbadge_signs() -> None:
    key = Ed25519Key.from_seed(bytes([0x44]) * 32)
    issuer = Issuer(
        Profile(id=key.did, name="Example Open edX instance"),
        key=key,
        suite="Ed25519Signature2020",
        clock=FixedClock(NOW),
    )
    signed = issuer.issue(_credential(key.did))
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    assert _verify(signed).outcome is Outcome.VALID
    tampered = copy.deepcopy(signed)
    tampered["name"] = "Forged certificate"

    options = json.dumps({"proofPurpose": "assertionMethod"})
    good, bad = _didkit(
        ("verify_credential", [json.dumps(signed), options]),
        ("verify_credential", [json.dumps(tampered), options]),
    )
    good_report = json.loads(_ok(good))
    assert good_report["errors"] == [], good_report
    assert good_report["checks"] == ["proof"], good_report
    assert json.loads(_ok(bad))["errors"], "didkit accepted a tampered credential"
