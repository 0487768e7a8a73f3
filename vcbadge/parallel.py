"""Run independent jobs over any ``concurrent.futures.Executor``, results streamed in order.

The batch APIs (``Issuer.issue_many``, :func:`vcbadge.batch.verify_many`) hand their work to
:func:`in_order`: a process pool, a thread pool, a Dask ``distributed.Client`` (or its
``get_executor()``), anything with ``submit``. Three things keep it fast and its memory flat:

- jobs travel in *chunks* (one ``submit`` per ``chunk`` jobs), so the fixed cost of a round
  trip to a worker process (a task record, a pipe write, a wake-up; a scheduler hop on Dask) is
  paid once per chunk, not per job;
- at most ``window`` jobs are in flight (submitted and not yet yielded): a batch of 200,000
  credentials holds ``window`` of them in memory, not 200,000, and a slow consumer (writing
  files) holds the producer back instead of letting results pile up;
- a worker process sends each result back pickled on its own, and it is read only when the
  consumer reaches it: the results waiting in the window are flat byte strings, not thousands
  of objects that outlive the garbage collector's young generation and end in full
  collections of the caller's whole heap (with two workers, those took a twentieth of the
  caller's time); each result then lives and dies as it would without a pool. A thread pool
  gets the results themselves.

Whatever the executor finishes first, results come out in the order of the work given; a job
decided without a worker (:class:`Done`, e.g. a row skipped or refused before signing) keeps
its place among them.
"""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

__all__ = [
    "DEFAULT_CHUNK",
    "DEFAULT_WINDOW",
    "Done",
    "Job",
    "in_order",
    "require_picklable",
    "run_chunk",
    "run_packed_chunk",
    "unpack_result",
]

A = TypeVar("A")
R = TypeVar("R")

#: Jobs per ``submit``: enough to amortise a worker round trip over jobs of a millisecond or two.
DEFAULT_CHUNK = 16
#: Jobs in flight: a few chunks per worker of a small pool, a few megabytes of credentials.
DEFAULT_WINDOW = 256


@dataclass(frozen=True)
class Job(Generic[A]):
    """Work for a worker: ``function(argument)`` (both must pickle for a process pool)."""

    argument: A


@dataclass(frozen=True)
class Done(Generic[R]):
    """A result known without a worker; it is yielded in its place among the others."""

    value: R


def run_chunk(function: Callable[[A], R], arguments: Sequence[A]) -> list[tuple[bool, Any]]:
    """What a worker runs: ``function`` over one chunk of arguments, in order; each result is
    ``(True, value)`` or ``(False, exception)``, so that one job's exception neither loses
    the results of the jobs before it in the chunk nor stops the jobs after it."""
    results: list[tuple[bool, Any]] = []
    for argument in arguments:
        try:
            results.append((True, function(argument)))
        except Exception as exc:
            results.append((False, exc))
    return results


def run_packed_chunk(function: Callable[[A], R], arguments: Sequence[A]) -> list[bytes]:
    """:func:`run_chunk` for a worker process, each ``(succeeded, value)`` pickled on its own
    (:func:`unpack_result` reads one). An exception or a result that does not pickle travels
    as a ``RuntimeError`` saying so: the other results of the chunk still arrive."""
    packed: list[bytes] = []
    for outcome in run_chunk(function, arguments):
        try:
            packed.append(pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL))
        except Exception as exc:
            succeeded, value = outcome
            what = "result" if succeeded else f"{type(value).__name__} ({value})"
            error = RuntimeError(f"a job's {what} could not be sent back: {exc}")
            packed.append(pickle.dumps((False, error), pickle.HIGHEST_PROTOCOL))
    return packed


def unpack_result(packed: bytes) -> tuple[bool, Any]:
    """One ``(succeeded, value)`` that :func:`run_packed_chunk` pickled."""
    result: tuple[bool, Any] = pickle.loads(packed)
    return result


class _Chunk(Generic[A, R]):
    """Arguments gathered for one ``submit``, then the future of their results."""

    def __init__(self) -> None:
        self.arguments: list[A] = []
        self.future: Future[Any] | None = None
        # The future's results once read: each job of the chunk reads its own from here, not
        # through the future's lock again (packed: still pickled, each read at its turn).
        self.results: list[Any] | None = None


def in_order(
    executor: Executor,
    function: Callable[[A], R],
    work: Iterable[Job[A] | Done[R]],
    *,
    window: int = DEFAULT_WINDOW,
    chunk: int = DEFAULT_CHUNK,
) -> Iterator[R]:
    """Yield ``function(job.argument)`` for each :class:`Job` (run on ``executor``) and
    ``done.value`` for each :class:`Done`, in the order of ``work``.

    ``work`` is consumed lazily, at most ``window`` jobs ahead of what was yielded. An
    exception raised by ``function`` is raised here when its result's turn comes, after every
    earlier result was yielded; the jobs still pending are then cancelled (those a worker
    already started run to their end and are dropped). Closing the generator early cancels
    them too.
    """
    if window < 1 or chunk < 1:
        raise ValueError("window and chunk must be at least 1")
    chunk = min(chunk, window)
    # Threads share this process's objects: nothing to send back, nothing to pack.
    packed = not isinstance(executor, ThreadPoolExecutor)
    # Each entry: a Done, or (chunk, position of the job's result in it).
    queue: deque[Done[R] | tuple[_Chunk[A, R], int]] = deque()
    open_chunk: _Chunk[A, R] = _Chunk()
    in_flight = 0

    def submit() -> None:
        nonlocal open_chunk
        if open_chunk.arguments:
            runner = run_packed_chunk if packed else run_chunk
            open_chunk.future = executor.submit(runner, function, open_chunk.arguments)
            open_chunk = _Chunk()

    def pop() -> R:
        nonlocal in_flight
        entry = queue.popleft()
        if isinstance(entry, Done):
            return entry.value
        owner, position = entry
        results = owner.results
        if results is None:
            if owner.future is None:
                submit()  # the consumer caught up with a chunk still being gathered
            assert owner.future is not None
            results = owner.results = owner.future.result()
        in_flight -= 1
        if position == len(results) - 1:
            owner.future = None  # the last reader lets the chunk's results go
            owner.arguments = []
            owner.results = None
        succeeded, value = unpack_result(results[position]) if packed else results[position]
        if not succeeded:
            raise value
        return value  # type: ignore[no-any-return]

    try:
        for item in work:
            if isinstance(item, Done):
                queue.append(item)
            else:
                queue.append((open_chunk, len(open_chunk.arguments)))
                open_chunk.arguments.append(item.argument)
                in_flight += 1
                if len(open_chunk.arguments) >= chunk:
                    submit()
            while in_flight >= window or (queue and isinstance(queue[0], Done)):
                yield pop()
        submit()
        while queue:
            yield pop()
    finally:
        for entry in queue:
            if not isinstance(entry, Done) and entry[0].future is not None:
                entry[0].future.cancel()


def require_picklable(value: Any, what: str) -> None:
    """Raise ``TypeError`` naming ``what`` when ``value`` cannot be sent to a worker process:
    said once, before any work is submitted, instead of once per job from inside a pool."""
    try:
        pickle.dumps(value)
    except (TypeError, AttributeError, pickle.PicklingError) as exc:
        raise TypeError(f"{what} cannot be sent to a worker process: {exc}") from exc
