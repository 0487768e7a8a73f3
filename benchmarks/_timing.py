"""Timing for the ratio benchmarks: the median of repeated runs of one action."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], rounds: int) -> float:
    """The median wall time of ``rounds`` calls; medians resist the odd slow run on a busy box."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)
