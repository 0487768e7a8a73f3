"""The batch APIs on a real Dask cluster: a ``LocalCluster`` of two worker processes issues
2,000 credentials (status indexes allocated in a PostgreSQL status store) and verifies them,
through ``distributed.Client.get_executor()``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_fixtures import BASE, NOW, roster_items

from vcbadge import FixedClock, Issuer, Outcome, Profile
from vcbadge.batch import VerifierSpec, verify_many
from vcbadge.issue.batch import BatchIssued
from vcbadge.keys.keyfile import KeyFileSigner

distributed = pytest.importorskip(
    "distributed", reason="Dask distributed is not installed: pip install -e '.[dask]'"
)

COUNT = 2_000


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.mark.slow
def test_a_dask_cluster_issues_and_verifies_thousands_with_a_postgres_store(
    client: Any,
    key_file: Path,
    profile: Profile,
    postgres_store: Callable[..., Any],
) -> None:
    store = postgres_store(base_url=BASE, capacity=1_000)
    issuer = Issuer(profile, key=KeyFileSigner(key_file), clock=FixedClock(NOW), status_store=store)
    executor = client.get_executor()

    outcomes = list(issuer.issue_many(roster_items(COUNT), executor=executor, chunk=32))

    issued = [outcome for outcome in outcomes if isinstance(outcome, BatchIssued)]
    assert [outcome.key for outcome in issued] == [f"s{number}" for number in range(COUNT)]
    positions = {
        (entry["statusListCredential"], entry["statusListIndex"])
        for outcome in issued
        for entry in outcome.status
    }
    assert len(positions) == COUNT
    assert sorted(store.list_numbers()) == [1, 2]
    # Both worker processes signed: each built the issuer (once) from what it was sent.
    built = client.run(lambda: len(__import__("vcbadge.issue.issuer").issue.issuer._WORKER_ISSUERS))
    assert len(built) == 2
    assert all(count >= 1 for count in built.values())

    spec = VerifierSpec(documents=issuer.publish_status_lists(at=NOW), at=NOW)
    credentials = [outcome.credential for outcome in issued]
    results = list(verify_many(credentials, spec=spec, executor=executor, chunk=32))
    assert [result.outcome for result in results] == [Outcome.VALID] * COUNT
