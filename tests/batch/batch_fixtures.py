"""Shared data of the batch tests: the time, the achievement, a roster's items."""

from __future__ import annotations

from datetime import datetime, timezone

from vcbadge import Criteria
from vcbadge.issue.batch import BatchFailure, BatchItem, awards, parse_roster
from vcbadge.model.achievement import Achievement

NOW = datetime(2025, 9, 1, 9, 0, tzinfo=timezone.utc)
BASE = "https://badges.example.edu/status"
PY101 = Achievement(
    id="https://badges.example.edu/achievements/py101",
    name="Python 101",
    description="Wrote and tested a small Python program.",
    criteria=Criteria(narrative="Pass the final project."),
)


def roster_items(count: int) -> list[BatchItem | BatchFailure]:
    """``count`` roster rows as items: recipients by email (salted hashes) and by DID."""
    lines = ["id,email,did"]
    for number in range(count):
        if number % 2:
            lines.append(f"s{number},student{number}@example.edu,")
        else:
            lines.append(f"s{number},,did:example:student{number}")
    rows = parse_roster("\n".join(lines) + "\n", format="csv")
    return list(awards(rows, PY101))
