"""``Issuer.issue_many(..., executor=...)`` on a real pool of two worker processes: the same
outcomes as issuing in one thread, byte for byte (Ed25519 eddsa-rdfc-2022 signatures are
deterministic), in order, each row on its own, status indexes unique, keys never pickled."""

from __future__ import annotations

import json
import pickle
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from batch_fixtures import BASE, NOW, roster_items

from vcbadge import FixedClock, InputError, Issuer, Outcome, Profile
from vcbadge.batch import VerifierSpec, verify_many
from vcbadge.errors import StatusStoreError
from vcbadge.issue.batch import BatchFailure, BatchIssued, BatchItem, BatchOutcome, BatchSkipped
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.keys.keyfile import KeyFileSigner
from vcbadge.store import SQLiteStatusStore


def _mixed_items() -> list[BatchItem | BatchFailure]:
    """Thirty roster rows, and among them every kind of outcome: a row that failed before
    (passed through), a key given twice, a key to skip, and credentials a worker refuses."""
    items = roster_items(30)
    first = items[0]
    assert isinstance(first, BatchItem)
    expired = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:late"},
        "validUntil": "2020-01-01T00:00:00Z",
    }
    example = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "credentialSubject": {"id": "did:example:demo"},
    }
    return [
        *items[:5],
        BatchFailure(code="roster_row_invalid", message="not CSV", line=99),
        BatchItem(key=first.key, credential=first.credential, line=100),  # duplicate_key
        BatchItem(key="expired", credential=expired, line=101),
        *items[5:12],
        BatchItem(key="example", credential=example, line=102),
        *items[12:],
    ]


def _sequential(key: Ed25519Key, profile: Profile, items: list[Any]) -> list[BatchOutcome]:
    issuer = Issuer(profile, key=key, clock=FixedClock(NOW))
    return list(issuer.issue_many(items, skip={"s7"}))


def _canonical(outcomes: list[BatchOutcome]) -> list[str]:
    return [json.dumps(outcome.__dict__, sort_keys=True, default=str) for outcome in outcomes]


def test_a_process_pool_issues_what_one_thread_issues_byte_for_byte(
    pool: ProcessPoolExecutor, key: Ed25519Key, key_file: Path, profile: Profile
) -> None:
    items = _mixed_items()
    expected = _sequential(key, profile, items)
    issuer = Issuer(profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW))

    outcomes = list(issuer.issue_many(items, skip={"s7"}, executor=pool, chunk=4, window=8))

    assert _canonical(outcomes) == _canonical(expected)
    codes = [outcome.code for outcome in outcomes if isinstance(outcome, BatchFailure)]
    assert codes == ["roster_row_invalid", "duplicate_key", "already_expired", "example_context"]
    assert [type(outcome) for outcome in outcomes].count(BatchSkipped) == 1
    assert sum(isinstance(outcome, BatchIssued) for outcome in outcomes) == 29


@pytest.mark.parametrize(("chunk", "window"), [(1, 1), (1, 3), (5, 7), (64, 1000)])
def test_the_order_is_the_items_order_whatever_the_chunk_and_window(
    pool: ProcessPoolExecutor,
    key: Ed25519Key,
    key_file: Path,
    profile: Profile,
    chunk: int,
    window: int,
) -> None:
    items = _mixed_items()
    issuer = Issuer(profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW))

    outcomes = issuer.issue_many(items, skip={"s7"}, executor=pool, chunk=chunk, window=window)

    assert _canonical(list(outcomes)) == _canonical(_sequential(key, profile, items))


def test_status_indexes_are_unique_and_recorded_and_the_credentials_verify(
    pool: ProcessPoolExecutor, key_file: Path, profile: Profile, status_store: Any
) -> None:
    store = status_store
    issuer = Issuer(profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW), status_store=store)
    outcomes = list(issuer.issue_many(roster_items(120), executor=pool))
    issued = [outcome for outcome in outcomes if isinstance(outcome, BatchIssued)]
    assert len(issued) == 120
    positions = [
        (entry["statusListCredential"], entry["statusListIndex"])
        for outcome in issued
        for entry in outcome.status
    ]
    assert len(set(positions)) == len(positions) == 120
    for outcome in issued:
        record = store.record(outcome.credential_id or "")
        assert str(record.index) == outcome.status[0]["statusListIndex"]
    lists = issuer.publish_status_lists(at=NOW)
    store.revoke(issued[3].credential_id or "", actor="registrar", reason="test")
    revoked_lists = issuer.publish_status_lists(at=NOW)

    spec = VerifierSpec(documents=lists, at=NOW)
    results = list(verify_many([o.credential for o in issued], spec=spec, executor=pool))
    assert [result.outcome for result in results] == [Outcome.VALID] * 120
    after = VerifierSpec(documents=revoked_lists, at=NOW)
    results = list(verify_many([o.credential for o in issued[:5]], spec=after, executor=pool))
    assert [result.outcome for result in results] == [Outcome.VALID] * 3 + [Outcome.INVALID] + [
        Outcome.VALID
    ]
    assert [check.code for check in results[3].failed] == ["revoked"]


def test_a_key_object_is_refused_before_anything_is_signed_or_allocated(
    pool: ProcessPoolExecutor, key: Ed25519Key, profile: Profile, tmp_path: Path
) -> None:
    with SQLiteStatusStore.create(tmp_path / "status.db", base_url=BASE) as store:
        issuer = Issuer(profile, key=key, clock=FixedClock(NOW), status_store=store)
        with pytest.raises(InputError) as caught:
            next(issuer.issue_many(roster_items(3), executor=pool))
        assert caught.value.code == "signer_not_portable"
        assert "KeyFileSigner" in str(caught.value)
        assert store.list_numbers() == []


def test_a_key_file_signer_pickles_as_a_path_never_the_key(key: Ed25519Key, key_file: Path) -> None:
    signer = KeyFileSigner(key_file)
    pickled = pickle.dumps(signer)
    secret = key.to_jwk(include_private=True)["d"]
    assert secret.encode() not in pickled
    assert str(key_file.resolve()).encode() in pickled
    copy = pickle.loads(pickled)
    assert (copy.algorithm, copy.verification_method, copy.controller) == (
        key.algorithm,
        key.verification_method,
        key.controller,
    )
    assert copy.sign(b"data") == key.sign(b"data")
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(key)


def test_a_worker_refuses_a_key_file_that_now_holds_another_key(
    key_file: Path, profile: Profile
) -> None:
    import multiprocessing

    signer = KeyFileSigner(key_file)
    issuer = Issuer(profile, key=signer, clock=FixedClock(NOW))
    save_key(Ed25519Key.from_seed(bytes([8]) * 32), key_file, overwrite=True)
    # A fresh pool: its workers read the key file now, not a key another test loaded.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as fresh:
        outcomes = list(issuer.issue_many(roster_items(3), executor=fresh))
    assert [outcome.code for outcome in outcomes if isinstance(outcome, BatchFailure)] == [
        "key_file_changed"
    ] * 3


def test_a_status_store_refusal_of_one_row_is_that_rows_failure(
    pool: ProcessPoolExecutor, key_file: Path, profile: Profile, tmp_path: Path
) -> None:
    items = roster_items(4)
    taken = items[2]
    assert isinstance(taken, BatchItem)
    with SQLiteStatusStore.create(tmp_path / "status.db", base_url=BASE) as store:
        store.allocate(taken.credential.id)  # type: ignore[union-attr]
        issuer = Issuer(
            profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW), status_store=store
        )
        outcomes = list(issuer.issue_many(items, executor=pool))
    assert [type(outcome).__name__ for outcome in outcomes] == [
        "BatchIssued",
        "BatchIssued",
        "BatchFailure",
        "BatchIssued",
    ]
    assert isinstance(outcomes[2], BatchFailure)
    assert outcomes[2].code == "credential_exists"


def test_a_rolled_back_status_store_stops_the_batch_before_anything_is_sent(
    pool: ProcessPoolExecutor, key_file: Path, profile: Profile, tmp_path: Path
) -> None:
    path = tmp_path / "status.db"
    with SQLiteStatusStore.create(path, base_url=BASE) as store:
        store.allocate_many(["urn:c:0", "urn:c:1"])
        with sqlite3.connect(path) as connection:  # a restore, behind the store's back
            connection.execute("DELETE FROM credentials WHERE credential_id = 'urn:c:1'")
            connection.execute("UPDATE status_lists SET allocated = 1")
        connection.close()
        issuer = Issuer(
            profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW), status_store=store
        )
        with pytest.raises(StatusStoreError) as stopped:
            next(issuer.issue_many(roster_items(5), executor=pool))
        assert stopped.value.code == "store_rolled_back"
        assert store.snapshot(1).allocated == 1
