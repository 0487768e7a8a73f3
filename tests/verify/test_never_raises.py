"""``Verifier.verify`` never raises for bad input and never calls garbage VALID: arbitrary bytes,
arbitrary JSON, and a signed credential with any member replaced by arbitrary JSON."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from vcbadge.keys import Ed25519Key

NOW = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
VERIFIER = Verifier.offline(clock=FixedClock(NOW))
pytestmark = pytest.mark.slow  # long hypothesis properties

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)

KEY = Ed25519Key.from_seed(b"\x31" * 32)
SIGNED = Issuer(Profile(id=KEY.did, name="Example U"), key=KEY, clock=FixedClock(NOW)).issue(
    AchievementCredential.award(
        Achievement(
            id="https://badges.example.edu/achievements/x",
            name="X",
            description="Y",
            criteria=Criteria(narrative="Z"),
        ),
        recipient="did:example:learner",
    )
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found.extend(_paths(child, (*path, key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found.extend(_paths(child, (*path, index)))
    return found


PATHS = [path for path in _paths(SIGNED) if path]


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    result = VERIFIER.verify(data)
    assert result.outcome is not Outcome.VALID


@SETTINGS
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    result = VERIFIER.verify(json.dumps(value))
    assert result.outcome is not Outcome.VALID
    if isinstance(value, dict):
        assert VERIFIER.verify(value).outcome is not Outcome.VALID


@SETTINGS
@given(st.sampled_from(PATHS), json_values)
def test_any_member_replaced_by_arbitrary_json(path: tuple[Any, ...], replacement: Any) -> None:
    document = copy.deepcopy(SIGNED)
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if parent[path[-1]] == replacement:
        return
    parent[path[-1]] = replacement
    result = VERIFIER.verify(document)
    assert result.outcome is not Outcome.VALID, (path, replacement)
    assert all(check.code for check in result.checks)
    codes = {check.code for check in result.failed}
    assert "internal_error" not in codes, result.to_dict()
