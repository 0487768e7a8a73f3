"""``vcbadge.batch.verify_many`` on a real pool of two worker processes: the results of
``Verifier.verify``, in order, a bad credential among good ones reported on its own."""

from __future__ import annotations

import collections
import copy
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from batch_fixtures import NOW, roster_items

from vcbadge import FixedClock, InputError, Issuer, Outcome, Profile, Verifier
from vcbadge.batch import VerifierSpec, verify_many
from vcbadge.issue.batch import BatchIssued
from vcbadge.keys.keyfile import KeyFileSigner


def _credentials(key_file: Path, profile: Profile, count: int) -> list[dict[str, Any]]:
    issuer = Issuer(profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW))
    return [
        outcome.credential
        for outcome in issuer.issue_many(roster_items(count))
        if isinstance(outcome, BatchIssued)
    ]


def test_a_pool_gives_the_results_one_verifier_gives_in_order(
    pool: ProcessPoolExecutor, key_file: Path, profile: Profile
) -> None:
    credentials: list[Any] = _credentials(key_file, profile, 24)
    tampered = copy.deepcopy(credentials[5])
    tampered["credentialSubject"]["achievement"]["name"] = "Python 999"
    credentials[5] = tampered
    credentials[9] = b"{not json"
    expected = [Verifier.offline(clock=FixedClock(NOW)).verify(c) for c in credentials]

    results = list(verify_many(credentials, spec=VerifierSpec(at=NOW), executor=pool, chunk=3))

    assert [result.checks for result in results] == [result.checks for result in expected]
    outcomes = [result.outcome for result in results]
    assert outcomes.count(Outcome.VALID) == 22
    assert outcomes[5] is Outcome.INVALID
    assert [check.code for check in results[5].failed] == ["invalid_signature"]
    assert outcomes[9] is Outcome.INVALID
    assert results[9].failed[0].code == "invalid_json"


def test_a_pool_result_has_the_document_and_issuer_trust_verify_gives(
    pool: ProcessPoolExecutor, key_file: Path, profile: Profile
) -> None:
    """A parsed credential's document is not pickled back but rebuilt from the caller's own
    (as ``verify`` copies it); every other form's document comes from the worker."""
    issued = _credentials(key_file, profile, 3)
    credentials: list[Any] = [
        issued[0],
        json.dumps(issued[1]),  # parsed in the worker: its document travels back
        collections.OrderedDict(issued[2]),  # not a plain dict: sent back as well
        {"@context": issued[0]["@context"], "proof": "not a proof"},
    ]
    verifier = Verifier.offline(clock=FixedClock(NOW))
    expected = [verifier.verify(c) for c in credentials]

    results = list(verify_many(credentials, spec=VerifierSpec(at=NOW), executor=pool, chunk=2))

    assert [r.checks for r in results] == [r.checks for r in expected]
    assert [r.document for r in results] == [r.document for r in expected]
    assert [r.issuer_trust for r in results] == [r.issuer_trust for r in expected]
    assert all(type(r.document) is dict for r in results)
    # A new dict, as verify returns: changing it leaves the caller's credential alone.
    assert results[0].document is not credentials[0]
    results[0].document["name"] = "changed"
    assert "name" not in credentials[0] or credentials[0]["name"] != "changed"


def test_without_an_executor_it_verifies_here_with_one_verifier(
    key_file: Path, profile: Profile
) -> None:
    credentials = _credentials(key_file, profile, 4)
    results = list(verify_many(credentials, spec=VerifierSpec(at=NOW)))
    assert [result.outcome for result in results] == [Outcome.VALID] * 4


def test_the_recipient_is_checked_for_every_credential(
    pool: ProcessPoolExecutor, key_file: Path, profile: Profile
) -> None:
    credentials = _credentials(key_file, profile, 4)
    spec = VerifierSpec(at=NOW)
    recipient = "did:example:student2"
    results = list(verify_many(credentials, spec=spec, executor=pool, recipient=recipient))
    expected = [
        Verifier.offline(clock=FixedClock(NOW)).verify(c, recipient=recipient) for c in credentials
    ]
    assert [result.checks for result in results] == [result.checks for result in expected]
    assert [result.outcome is Outcome.VALID for result in results] == [False, False, True, False]
    assert "recipient_mismatch" in [check.code for check in results[0].failed]


def test_a_spec_of_an_unknown_mode_is_refused() -> None:
    spec = VerifierSpec(mode="sideways")  # type: ignore[arg-type]
    with pytest.raises(InputError) as caught:
        next(verify_many([{}], spec=spec))
    assert caught.value.code == "verifier_spec_invalid"
