"""Status lists interop with Digital Bazaar's bitstring status list implementation (the oracle in
../shared/oracle): their verifier reads vcbadge's published lists the same way, and vcbadge
reads lists they sign. Opt-in, like tests/interop/test_digital_bazaar_oracle.py: set
VCBADGE_ORACLE to a directory where the oracle was set up (`npm ci`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from oracle_helpers import LATER, NOW, requires_oracle, run_node

from vcbadge import FixedClock, Issuer, Outcome, Profile, Verifier
from vcbadge.keys import Ed25519Key
from vcbadge.store import SQLiteStatusStore, build_status_list_credential

pytestmark = [requires_oracle, pytest.mark.slow]  # a Node.js process per check

BASE = "https://badges.example.edu/status"
SEED = bytes([0x22]) * 32


def _draft(number: int, did: str) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": f"urn:test:{number}",
        "type": ["VerifiableCredential"],
        "issuer": did,
        "credentialSubject": {"id": "did:example:ada"},
    }


def test_oracle_reads_vcbadge_published_lists(tmp_path: Path) -> None:
    key = Ed25519Key.from_seed(SEED)
    clock = FixedClock(NOW)
    with SQLiteStatusStore.create(
        tmp_path / "status.db", base_url=BASE, suspension=True, clock=clock
    ) as store:
        issuer = Issuer(Profile(id=key.did), key=key, status_store=store, clock=clock)
        paths = []
        for number in range(3):
            path = tmp_path / f"credential-{number}.json"
            path.write_text(json.dumps(issuer.issue(_draft(number, key.did))))
            paths.append(path)
        store.revoke("urn:test:0", actor="registrar", reason="interop")
        store.suspend("urn:test:1", actor="registrar", reason="interop")
        issuer.publish_status_lists(str(tmp_path / "public"))
    documents = [
        "--doc", f"{BASE}/revocation/1.json={tmp_path / 'public' / 'revocation' / '1.json'}",
        "--doc", f"{BASE}/suspension/1.json={tmp_path / 'public' / 'suspension' / '1.json'}",
    ]  # fmt: skip
    verdicts = []
    for path in paths:
        done = run_node("verify.mjs", "--now", LATER, *documents, str(path))
        report = json.loads(done.stdout.splitlines()[-1])
        verdicts.append((done.returncode, [s["status"] for s in report["status"]]))
    # revoked, suspended, neither: Digital Bazaar reads the same bits vcbadge wrote.
    assert verdicts == [(1, [True, False]), (1, [False, True]), (0, [False, False])]


def _oracle_sign(path: Path, target: Path) -> dict[str, Any]:
    done = run_node(
        "sign.mjs", "--suite", "eddsa-rdfc-2022", "--seed", SEED.hex(),
        "--created", "2025-02-01T00:00:00Z", str(path),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    target.write_text(done.stdout)
    signed: dict[str, Any] = json.loads(done.stdout)
    return signed


def test_vcbadge_reads_oracle_signed_lists(tmp_path: Path) -> None:
    did = Ed25519Key.from_seed(SEED).did
    url = f"{BASE}/revocation/1"
    unsigned_list = build_status_list_credential(
        url, issuer=did, purpose="revocation", indexes={5}, valid_from=NOW
    )
    (tmp_path / "list.json").write_text(json.dumps(unsigned_list))
    listing = _oracle_sign(tmp_path / "list.json", tmp_path / "list-signed.json")
    verifier = Verifier.offline(documents={url: listing}, clock=FixedClock(NOW))
    results = {}
    for index in (5, 6):
        draft = _draft(index, did)
        draft["credentialStatus"] = {
            "id": f"{url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": url,
        }
        (tmp_path / f"c{index}.json").write_text(json.dumps(draft))
        signed = _oracle_sign(tmp_path / f"c{index}.json", tmp_path / f"c{index}-signed.json")
        result = verifier.verify(signed)
        results[index] = (result.outcome, [c.code for c in result.checks if c.name == "status"])
        # and the oracle agrees with itself on the same files
        oracle = run_node(
            "verify.mjs", "--now", LATER, "--doc", f"{url}={tmp_path / 'list-signed.json'}",
            str(tmp_path / f"c{index}-signed.json"),
        )  # fmt: skip
        assert oracle.returncode == (1 if index == 5 else 0)
    assert results == {5: (Outcome.INVALID, ["revoked"]), 6: (Outcome.VALID, ["ok"])}
