"""``vcbadge.parallel.in_order``: results in the order of the work, whatever finishes first;
at most ``window`` jobs taken ahead of what was yielded; an error raised at its turn."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

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


class _Unpicklable(Exception):
    """An error holding a lock: it cannot travel back from a worker process."""

    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def _awkward(value: int) -> object:
    if value == 3:
        return threading.Lock()  # a result that does not pickle
    if value == 5:
        raise _Unpicklable()
    if value == 7:
        raise LookupError("seven")
    return {"value": value, "nested": [value] * 3}


def test_a_process_pool_sends_each_result_back_and_each_error_at_its_turn(
    pool: ProcessPoolExecutor,
) -> None:
    """Results travel back pickled one by one: a result or an error that does not pickle is
    that job's RuntimeError, at its turn; the jobs around it in the chunk are unaffected."""
    results = in_order(pool, _awkward, (Job(n) for n in range(10)), window=10, chunk=4)
    assert [next(results) for _ in range(3)] == [{"value": n, "nested": [n] * 3} for n in range(3)]
    with pytest.raises(RuntimeError, match="result could not be sent back"):
        next(results)
    results = in_order(pool, _awkward, (Job(n) for n in range(4, 10)), window=10, chunk=4)
    assert next(results) == {"value": 4, "nested": [4] * 3}
    with pytest.raises(RuntimeError, match=r"_Unpicklable \(holds a lock\) could not be sent"):
        next(results)
    results = in_order(pool, _awkward, (Job(n) for n in (6, 7, 8)), window=10, chunk=4)
    assert next(results) == {"value": 6, "nested": [6] * 3}
    with pytest.raises(LookupError, match="seven"):
        next(results)


def test_a_thread_pool_gets_the_results_themselves() -> None:
    made: list[object] = []

    def make(value: int) -> object:
        made.append(object())
        return made[-1]

    with ThreadPoolExecutor(2) as threads:
        results = list(in_order(threads, make, (Job(n) for n in range(6)), window=6, chunk=3))
    assert sorted(map(id, results)) == sorted(map(id, made))
