"""Interop with Digital Bazaar's JS stack (the oracle in ../shared/oracle), both directions.

A development check, opt-in: set VCBADGE_ORACLE to a directory where the oracle was set up
(`cp -r ../shared/oracle "$d" && (cd "$d/oracle" && npm ci)`, then VCBADGE_ORACLE=$d/oracle).
It is not a dependency of vcbadge or of the default test run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from oracle_helpers import LATER, NOW, requires_oracle, run_node

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Image,
    Issuer,
    Outcome,
    Profile,
    Verifier,
)
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import canonicalize
from vcbadge.keys import Ed25519Key

pytestmark = [requires_oracle, pytest.mark.slow]  # a Node.js process per check


def _badge(key: Ed25519Key) -> dict[str, Any]:
    achievement = Achievement(
        id="https://badges.example.edu/a/py101",
        name="Python 101",
        description="Writes, tests and ships small Python programs.",
        criteria=Criteria(narrative="Pass the final project."),
        image=Image(id="https://badges.example.edu/images/py101.png"),
    )
    issuer = Issuer(Profile(id=key.did, name="Example U"), key=key, clock=FixedClock(NOW))
    return issuer.issue(
        AchievementCredential.award(achievement, recipient_email="ada@example.org", salt="s1")
    )


def _signed_by_oracle(path: Path, *, seed: str) -> dict[str, Any]:
    """The document at ``path`` signed by Digital Bazaar's eddsa-rdfc-2022 signer."""
    signed = run_node(
        "sign.mjs",
        "--suite",
        "eddsa-rdfc-2022",
        "--seed",
        seed,
        "--created",
        "2025-03-01T00:00:00Z",
        str(path),
    )
    assert signed.returncode == 0, signed.stderr
    document: dict[str, Any] = json.loads(signed.stdout)
    return document


def test_vcbadge_signed_verifies_in_oracle(tmp_path: Path) -> None:
    signed = _badge(Ed25519Key.from_seed(bytes([0x11]) * 32))
    path = tmp_path / "signed.json"
    path.write_text(json.dumps(signed))
    assert run_node("verify.mjs", "--now", LATER, str(path)).returncode == 0

    signed["credentialSubject"]["achievement"]["name"] = "Python 201"
    path.write_text(json.dumps(signed))
    assert run_node("verify.mjs", "--now", LATER, str(path)).returncode == 1


def test_oracle_signed_verifies_in_vcbadge(tmp_path: Path) -> None:
    unsigned = {k: v for k, v in _badge(Ed25519Key.from_seed(bytes(32))).items() if k != "proof"}
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(unsigned))
    document = _signed_by_oracle(path, seed="22" * 32)
    verifier = Verifier.offline(clock=FixedClock(NOW))
    assert verifier.verify(document).outcome is Outcome.VALID
    document["name"] = "tampered"
    assert verifier.verify(document).outcome is Outcome.INVALID


def test_canonical_nquads_are_identical(tmp_path: Path) -> None:
    unsigned = {k: v for k, v in _badge(Ed25519Key.from_seed(bytes(32))).items() if k != "proof"}
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(unsigned))
    theirs = run_node("canon.mjs", str(path))
    assert theirs.returncode == 0, theirs.stderr
    assert canonicalize(unsigned, default_loader()) == theirs.stdout


def _with_look_alikes(document: dict[str, Any]) -> dict[str, Any]:
    """Two identical evidence entries without ids: blank nodes sharing a first-degree hash,
    which vcbadge labels on its compiled path with Hash N-Degree Quads."""
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    unsigned["evidence"] = [
        {"type": ["Evidence"], "name": "Final project", "narrative": "Ships a package."}
        for _ in range(2)
    ]
    return unsigned


def _labelled_on_the_compiled_path(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from vcbadge.jsonld import compiled, labelling

    calls: list[int] = []
    original = labelling.canonical_labels

    def counted(*args: Any, **kwargs: Any) -> dict[str, str]:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(compiled, "canonical_labels", counted)
    return calls


def test_look_alike_blank_nodes_canonicalize_and_verify_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _labelled_on_the_compiled_path(monkeypatch)
    key = Ed25519Key.from_seed(bytes([0x33]) * 32)
    unsigned = _with_look_alikes(_badge(key))
    path = tmp_path / "unsigned.json"
    path.write_text(json.dumps(unsigned))
    theirs = run_node("canon.mjs", str(path))
    assert theirs.returncode == 0, theirs.stderr
    assert canonicalize(unsigned, default_loader()) == theirs.stdout
    assert calls, "the compiled path did not label the look-alike blank nodes"

    # vcbadge signs, Digital Bazaar verifies.
    issuer = Issuer(Profile(id=key.did, name="Example U"), key=key, clock=FixedClock(NOW))
    signed = issuer.issue(unsigned)
    path.write_text(json.dumps(signed))
    assert run_node("verify.mjs", "--now", LATER, str(path)).returncode == 0

    # Digital Bazaar signs, vcbadge verifies.
    path.write_text(json.dumps(unsigned))
    document = _signed_by_oracle(path, seed="44" * 32)
    verifier = Verifier.offline(clock=FixedClock(NOW))
    assert verifier.verify(document).outcome is Outcome.VALID
    document["evidence"][1]["name"] = "Another project"
    assert verifier.verify(document).outcome is Outcome.INVALID
