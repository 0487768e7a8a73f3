"""``vcbadge.parallel.in_order``: results in the order of the work, whatever finishes first;
at most ``window`` jobs taken ahead of what was yielded; an error raised at its turn."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from vcbadge.parallel import Done, Job, in_order


def _slow_for_small(value: int) -> int:
    # Earlier jobs take longer, so a pool finishes them last.
    time.sleep(0.002 * (10 - value % 10))
    return value * 10


def _fails_on_seven(value: int) -> int:
    if value == 7:
        raise LookupError("seven")
    return value


def test_results_and_done_values_come_in_the_order_given() -> None:
    work: list[Job[int] | Done[int]] = [
        Done(-1) if number % 4 == 0 else Job(number) for number in range(40)
    ]
    with ThreadPoolExecutor(4) as pool:
        results = list(in_order(pool, _slow_for_small, work, window=6, chunk=2))
    assert results == [-1 if number % 4 == 0 else number * 10 for number in range(40)]


@pytest.mark.parametrize(("window", "chunk"), [(1, 1), (4, 1), (4, 3), (8, 8)])
def test_no_more_than_the_window_is_taken_ahead(window: int, chunk: int) -> None:
    taken = 0

    def work() -> Iterator[Job[int]]:
        nonlocal taken
        for number in range(50):
            taken += 1
            yield Job(number)

    with ThreadPoolExecutor(2) as pool:
        for yielded, result in enumerate(
            in_order(pool, _slow_for_small, work(), window=window, chunk=chunk), start=1
        ):
            assert result == (yielded - 1) * 10
            assert taken - yielded < window


def test_an_error_is_raised_at_its_turn_after_the_results_before_it() -> None:
    seen: list[int] = []
    with ThreadPoolExecutor(2) as pool:
        results = in_order(pool, _fails_on_seven, (Job(n) for n in range(20)), window=5, chunk=2)
        seen.extend(next(results) for _ in range(7))
        with pytest.raises(LookupError, match="seven"):
            next(results)
    assert seen == list(range(7))


def test_a_window_or_chunk_below_one_is_refused() -> None:
    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="at least 1"):
        next(in_order(pool, _fails_on_seven, [Job(1)], window=0))
