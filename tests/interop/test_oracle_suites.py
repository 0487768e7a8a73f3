"""Interop with Digital Bazaar's JS stack (the oracle in ../shared/oracle) for every Data
Integrity suite both implement: eddsa-rdfc-2022, Ed25519Signature2020 and ecdsa-rdfc-2019 on
P-256 and P-384, in both directions (vcbadge signs and the oracle verifies; the oracle signs and
vcbadge verifies), with a tampered copy failing on each side.

A development check, opt-in like tests/interop/test_digital_bazaar_oracle.py: set VCBADGE_ORACLE
to a directory where the oracle was set up (`cp -r ../shared/oracle "$d" && (cd "$d/oracle" &&
npm ci)`, then VCBADGE_ORACLE=$d/oracle). It is not a dependency of vcbadge or of the default run.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from oracle_helpers import LATER, NOW, requires_oracle, run_node

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Issuer,
    Outcome,
    Profile,
    Verifier,
)
from vcbadge.keys import EcKey, Ed25519Key

pytestmark = [requires_oracle, pytest.mark.slow]  # a Node.js process per check

# (vcbadge suite, oracle arguments, key factory from a seed)
SUITES = {
    "eddsa-rdfc-2022": (["--suite", "eddsa-rdfc-2022"], lambda s: Ed25519Key.from_seed(s[:32])),
    "Ed25519Signature2020": (
        ["--suite", "Ed25519Signature2020"],
        lambda s: Ed25519Key.from_seed(s[:32]),
    ),
    "ecdsa-rdfc-2019-P-256": (
        ["--suite", "ecdsa-rdfc-2019", "--curve", "P-256"],
        lambda s: EcKey.from_private_scalar(s[:32], "P-256"),
    ),
    "ecdsa-rdfc-2019-P-384": (
        ["--suite", "ecdsa-rdfc-2019", "--curve", "P-384"],
        lambda s: EcKey.from_private_scalar(s[:48], "P-384"),
    ),
}


def _unsigned(issuer: str) -> dict[str, Any]:
    achievement = Achievement(
        id="https://badges.example.edu/a/py101",
        name="Python 101",
        description="Writes, tests and ships small Python programs.",
        criteria=Criteria(narrative="Pass the final project."),
    )
    credential = AchievementCredential.award(
        achievement, recipient_email="ada@example.org", salt="s1"
    ).to_json()
    credential["issuer"] = {"id": issuer, "type": ["Profile"], "name": "Example U"}
    credential["validFrom"] = "2025-01-01T00:00:00Z"
    return credential


def _suite_name(case: str) -> str:
    return "ecdsa-rdfc-2019" if case.startswith("ecdsa-rdfc-2019") else case


@pytest.mark.parametrize("case", list(SUITES))
def test_vcbadge_signed_verifies_in_oracle(case: str, tmp_path: Path) -> None:
    _, make_key = SUITES[case]
    key = make_key(bytes([0x31]) * 48)
    issuer = Issuer(
        Profile(id=key.did, name="Example U"),
        key=key,
        suite=_suite_name(case),
        clock=FixedClock(NOW),
    )
    signed = issuer.issue(_unsigned(key.did))
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(signed))
    verified = run_node("verify.mjs", "--now", LATER, str(path))
    assert verified.returncode == 0, verified.stdout + verified.stderr

    signed["credentialSubject"]["achievement"]["name"] = "Python 201"
    path.write_text(json.dumps(signed))
    assert run_node("verify.mjs", "--now", LATER, str(path)).returncode == 1


@pytest.mark.parametrize("case", list(SUITES))
def test_oracle_signed_verifies_in_vcbadge(case: str, tmp_path: Path) -> None:
    arguments, make_key = SUITES[case]
    seed = bytes([0x42]) * 48
    key = make_key(seed)
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(_unsigned(key.did)))
    signed = run_node(
        "sign.mjs",
        *arguments,
        "--seed",
        seed[: 48 if case.endswith("P-384") else 32].hex(),
        "--created",
        "2025-03-01T00:00:00Z",
        str(path),
    )
    assert signed.returncode == 0, signed.stderr
    document = json.loads(signed.stdout)
    (proof,) = document["proof"] if isinstance(document["proof"], list) else [document["proof"]]
    assert proof["verificationMethod"] == key.verification_method
    verifier = Verifier.offline(clock=FixedClock(NOW))
    result = verifier.verify(document)
    assert result.outcome is Outcome.VALID, result.to_dict()
    document["credentialSubject"]["achievement"]["name"] = "tampered"
    result = verifier.verify(document)
    assert result.outcome is Outcome.INVALID
    assert [c.code for c in result.failed] == ["invalid_signature"]


def test_ed25519_signature_2020_is_byte_identical(tmp_path: Path) -> None:
    # Ed25519 is deterministic: with the same key, date and input both sides write one proof.
    key = Ed25519Key.from_seed(bytes([0x42]) * 32)
    issuer = Issuer(
        Profile(id=key.did, name="Example U"),
        key=key,
        suite="Ed25519Signature2020",
        clock=FixedClock(NOW),
    )
    ours = issuer.issue(_unsigned(key.did), at=datetime(2025, 3, 1, tzinfo=timezone.utc))
    unsigned = {k: v for k, v in ours.items() if k != "proof"}
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(unsigned))
    theirs = run_node(
        "sign.mjs",
        "--suite",
        "Ed25519Signature2020",
        "--seed",
        "42" * 32,
        "--created",
        "2025-03-01T00:00:00Z",
        str(path),
    )
    assert theirs.returncode == 0, theirs.stderr
    assert json.loads(theirs.stdout)["proof"] == ours["proof"]
