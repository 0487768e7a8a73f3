"""What the ratio benchmarks share: the credential they measure and how they time it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from vcbadge import Achievement, AchievementCredential, Criteria, Image


def benchmark_credential() -> dict[str, Any]:
    """One OB 3.0 credential of ordinary size, the same in every benchmark so ratios compare."""
    achievement = Achievement(
        id="https://badges.example.edu/achievements/data-analysis",
        name="Data Analysis with Python",
        description="Cleans, analyses and visualises tabular data.",
        criteria=Criteria(narrative="Complete the course project and pass the assessment."),
        image=Image(id="https://badges.example.edu/images/data-analysis.png"),
        tag=["python", "data", "pandas"],
    )
    award = AchievementCredential.award(
        achievement,
        recipient_email="ada@example.org",
        salt="s",
        id="urn:uuid:1b0d4d35-0f7c-4c8e-9d6b-3b1f0c2a7e55",
    )
    return award.to_json()


def median_seconds(action: Callable[[], object], rounds: int) -> float:
    """The median wall time of ``rounds`` calls; medians resist the odd slow run on a busy box."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
