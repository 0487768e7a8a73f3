"""``Issuer.issue_many`` and the roster pipeline (vcbadge.issue.batch): one credential per row,
each row's failure reported with its own code, never stopping the rest."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from vcbadge import Criteria, FixedClock, InputError, Issuer, Outcome, Profile, Verifier
from vcbadge.errors import StatusStoreError
from vcbadge.issue.batch import (
    BatchFailure,
    BatchIssued,
    BatchItem,
    BatchSkipped,
    RosterRow,
    awards,
    parse_roster,
)
from vcbadge.keys import Ed25519Key
from vcbadge.model.achievement import Achievement
from vcbadge.model.credential import AchievementCredential
from vcbadge.model.identity import identity_matches
from vcbadge.store import SQLiteStatusStore

NOW = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.utc)
BASE = "https://badges.example.edu/status"
PY101 = Achievement(
    id="https://badges.example.edu/achievements/py101",
    name="Python 101",
    description="Wrote and tested a small Python program.",
    criteria=Criteria(narrative="Pass the final project."),
)


@pytest.fixture
def key() -> Ed25519Key:
    return Ed25519Key.from_seed(bytes([3]) * 32)


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    with SQLiteStatusStore.create(tmp_path / "status.db", base_url=BASE) as opened:
        yield opened


def _issuer(key: Ed25519Key, store: SQLiteStatusStore | None = None) -> Issuer:
    return Issuer(
        Profile(id=key.did, name="Example U"), key=key, clock=FixedClock(NOW), status_store=store
    )


def _rows(text: str, format: str = "csv") -> list[RosterRow | BatchFailure]:
    return list(parse_roster(text, format=format))  # type: ignore[arg-type]


def test_one_credential_per_row_hashed_emails_dids_and_status(
    key: Ed25519Key, store: SQLiteStatusStore
) -> None:
    roster = "id,email,did,notes\ns1,ada@example.org,,top\ns2,,did:example:grace,\n"
    roster += "s3,Ada@Example.org,,\n"
    outcomes = list(_issuer(key, store).issue_many(awards(_rows(roster), PY101)))
    assert [type(o).__name__ for o in outcomes] == ["BatchIssued"] * 3
    issued = [o for o in outcomes if isinstance(o, BatchIssued)]
    assert [(o.key, o.line) for o in issued] == [("s1", 2), ("s2", 3), ("s3", 4)]

    first, second, third = (o.credential["credentialSubject"] for o in issued)
    identities = [first["identifier"][0], third["identifier"][0]]
    assert all(i["hashed"] is True and i["identityType"] == "emailAddress" for i in identities)
    # A fresh salt per credential: the same address gives unlinkable hashes.
    assert identities[0]["salt"] != identities[1]["salt"]
    assert identities[0]["identityHash"] != identities[1]["identityHash"]
    assert all(
        identity_matches("ada@example.org", i["identityHash"], i["salt"]) for i in identities
    )
    assert "ada@example.org" not in str(issued[0].credential)
    assert second["id"] == "did:example:grace"
    assert "notes" not in str(first)

    ids = {o.credential_id for o in issued}
    assert len(ids) == 3
    assert all(i.startswith("urn:uuid:") for i in ids)
    indexes = {o.status[0]["statusListIndex"] for o in issued}
    assert len(indexes) == 3
    assert {o.status[0]["statusListCredential"] for o in issued} == {f"{BASE}/revocation/1.json"}
    for outcome in issued:
        assert store.record(outcome.credential_id).index == int(
            outcome.status[0]["statusListIndex"]
        )
    lists = _issuer(key, store).publish_status_lists(at=NOW)
    result = Verifier.offline(documents=lists, clock=FixedClock(NOW)).verify(issued[1].credential)
    assert result.outcome is Outcome.VALID, result.to_dict()


def test_jsonl_rosters_and_whole_number_keys(key: Ed25519Key) -> None:
    roster = '{"id": 1001, "email": "ada@example.org"}\n\n{"id": "1002", "did": "did:example:b"}\n'
    outcomes = list(_issuer(key).issue_many(awards(_rows(roster, "jsonl"), PY101)))
    assert [(o.key, o.line, type(o).__name__) for o in outcomes] == [
        ("1001", 1, "BatchIssued"),
        ("1002", 3, "BatchIssued"),
    ]


GOOD_CSV = "z9,z9@example.org"
GOOD_JSONL = '{"id": "z9", "email": "z9@example.org"}'
ROW_FAILURES = [
    # (roster, whose last row is good; format; key column; the failure: (line, key, code))
    ("name,email\nAda,ada@example.org\n", "csv", "name", None),  # the chosen column: fine
    ("email,id\nada@example.org,\nz9@example.org,z9", "csv", "id", (2, None, "missing_key")),
    (f"id,email\ns1,ada@@example.org\n{GOOD_CSV}", "csv", "id", (2, "s1", "invalid_email")),
    (f"id,email\ns1,ada@localhost\n{GOOD_CSV}", "csv", "id", (2, "s1", "invalid_email")),
    (f"id,email\ns1,ada @example.org\n{GOOD_CSV}", "csv", "id", (2, "s1", "invalid_email")),
    ("id,did\ns1,not a did\nz9,did:example:z", "csv", "id", (2, "s1", "invalid_did")),
    ("id,email,did\ns1,a@example.org,did:example:a\nz9,z9@example.org,", "csv", "id",
     (2, "s1", "recipient_ambiguous")),
    ("id,email,name\ns1,,Ada\nz9,z9@example.org,", "csv", "id", (2, "s1", "missing_recipient")),
    (f"id,email\ns1,a@example.org,extra\n{GOOD_CSV}", "csv", "id", (2, None, "roster_row_invalid")),
    (f'{{"id": "s1", "email": \n{GOOD_JSONL}', "jsonl", "id", (1, None, "roster_row_invalid")),
    (f'["s1", "a@example.org"]\n{GOOD_JSONL}', "jsonl", "id", (1, None, "roster_row_invalid")),
    (f'{{"id": ["s1"], "email": "a@example.org"}}\n{GOOD_JSONL}', "jsonl", "id",
     (1, None, "missing_key")),
    (f'{{"id": true, "email": "a@example.org"}}\n{GOOD_JSONL}', "jsonl", "id",
     (1, None, "missing_key")),
    (f'{{"email": "a@example.org"}}\n{GOOD_JSONL}', "jsonl", "id", (1, None, "missing_key")),
]  # fmt: skip


@pytest.mark.parametrize(("roster", "format", "column", "expected"), ROW_FAILURES)
def test_a_bad_row_is_reported_and_the_next_rows_are_issued(
    key: Ed25519Key, roster: str, format: str, column: str, expected: tuple[object, ...] | None
) -> None:
    rows = _rows(roster, format)
    outcomes = list(_issuer(key).issue_many(awards(rows, PY101, key_column=column)))
    failures = [(o.line, o.key, o.code) for o in outcomes if isinstance(o, BatchFailure)]
    assert failures == ([] if expected is None else [expected])
    assert isinstance(outcomes[-1], BatchIssued)
    for failure in outcomes:
        if isinstance(failure, BatchFailure):
            assert failure.describe().startswith(f"line {failure.line}")
            assert failure.describe().endswith(f"[{failure.code}]")


def test_a_key_given_twice_is_issued_once(key: Ed25519Key) -> None:
    roster = "id,email\ns1,a@example.org\ns1,b@example.org\ns2,c@example.org\n"
    outcomes = list(_issuer(key).issue_many(awards(_rows(roster), PY101)))
    assert [(o.key, type(o).__name__) for o in outcomes] == [
        ("s1", "BatchIssued"),
        ("s1", "BatchFailure"),
        ("s2", "BatchIssued"),
    ]
    assert isinstance(outcomes[1], BatchFailure)
    assert (outcomes[1].code, outcomes[1].line) == ("duplicate_key", 3)


def test_keys_to_skip_are_neither_signed_nor_given_a_status_index(
    key: Ed25519Key, store: SQLiteStatusStore
) -> None:
    roster = "id,email\ns1,a@example.org\ns2,b@example.org\n"
    outcomes = list(_issuer(key, store).issue_many(awards(_rows(roster), PY101), skip={"s1"}))
    assert outcomes[0] == BatchSkipped(key="s1", line=2)
    assert isinstance(outcomes[1], BatchIssued)
    assert [record[0] for record in store.iter_records()] == [outcomes[1].credential_id]


def test_a_credential_refused_before_signing_is_that_rows_failure(
    key: Ed25519Key, store: SQLiteStatusStore
) -> None:
    """Errors from Issuer.issue (model rules, status store refusing the id) are per row, with
    the error's own code and path."""
    award = AchievementCredential.award(PY101, recipient="did:example:a")
    taken = award.to_json() | {"id": "https://badges.example.edu/credentials/7"}
    store.allocate("https://badges.example.edu/credentials/7")
    not_a_credential = {"type": ["VerifiableCredential"], "credentialSubject": {}}
    items = [
        BatchItem(key="taken", credential=taken),
        BatchItem(key="broken", credential=not_a_credential),
        BatchItem(key="fine", credential=award),
    ]
    outcomes = list(_issuer(key, store).issue_many(items))
    assert isinstance(outcomes[0], BatchFailure)
    assert outcomes[0].code == "credential_exists"
    assert isinstance(outcomes[1], BatchFailure)
    assert outcomes[1].code not in ("", "vcbadge_error")
    assert isinstance(outcomes[2], BatchIssued)


def test_a_store_that_cannot_allocate_stops_the_batch_after_the_rows_already_issued(
    key: Ed25519Key, store: SQLiteStatusStore
) -> None:
    roster = "id,email\ns1,a@example.org\ns2,b@example.org\n"
    outcomes = _issuer(key, store).issue_many(awards(_rows(roster), PY101))
    first = next(outcomes)
    assert isinstance(first, BatchIssued)
    assert store.watermark_path is not None
    store.watermark_path.unlink()  # every later allocation fails closed
    with pytest.raises(StatusStoreError) as raised:
        next(outcomes)
    assert raised.value.code == "watermark_unavailable"


@pytest.mark.parametrize(
    "roster",
    ["", "\n\n", "id,email,id\ns1,a@example.org,x\n", ',"\n'],
    ids=["empty", "blank", "column-twice", "bad-header"],
)
def test_a_roster_that_cannot_be_read_at_all_is_refused(roster: str) -> None:
    with pytest.raises(InputError) as raised:
        _rows(roster)
    assert raised.value.code == "roster_invalid"


def test_an_unknown_roster_format_is_refused() -> None:
    with pytest.raises(InputError) as raised:
        parse_roster("id\n", format="xlsx")  # type: ignore[arg-type]
    assert raised.value.code == "roster_invalid"
