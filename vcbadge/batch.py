"""Batches over every core and over a cluster: issue and verify through any
``concurrent.futures.Executor`` (a process pool, a Dask ``distributed.Client``).

- issuing: ``Issuer.issue_many(items, executor=pool)`` with a picklable signer,
  :class:`KeyFileSigner` (re-exported here); the status store stays in the calling process;
- verifying: :func:`verify_many` with a :class:`VerifierSpec`, the recipe each worker builds
  its :class:`vcbadge.Verifier` from (a verifier itself holds caches and connections, and is
  not sent anywhere).

Both stream their results in the order of their input, with a bounded number in flight
(:mod:`vcbadge.parallel`). See docs/tutorials/issue-badges-at-scale.md.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from vcbadge.clock import FixedClock
from vcbadge.errors import InputError
from vcbadge.keys.keyfile import KeyFileSigner
from vcbadge.parallel import DEFAULT_CHUNK, DEFAULT_WINDOW, Job, in_order, require_picklable
from vcbadge.verify.policy import Policy
from vcbadge.verify.result import VerificationResult
from vcbadge.verify.verifier import Verifier

__all__ = ["KeyFileSigner", "VerifierSpec", "verify_many"]

Credential = Mapping[str, Any] | str | bytes


@dataclass(frozen=True, kw_only=True)
class VerifierSpec:
    """How a worker builds its verifier: :meth:`Verifier.offline` (``mode="offline"``, the
    default) or :meth:`Verifier.online` with its default guarded transport
    (``mode="online"``), given ``documents`` (DID and controller documents, status lists,
    JSON Schemas, by id) and ``policy``. ``at``: the moment every credential is verified as of
    (default: each worker's clock when it verifies).

    A spec is plain data and pickles; each worker process builds its verifier once per spec and
    reuses it (its context and status list caches with it).
    """

    mode: Literal["offline", "online"] = "offline"
    documents: Mapping[str, Mapping[str, Any]] | None = None
    policy: Policy | None = None
    at: datetime | None = None
    token: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False, repr=False)

    def build(self) -> Verifier:
        """A new verifier as this spec describes."""
        clock = FixedClock(self.at) if self.at is not None else None
        if self.mode == "online":
            return Verifier.online(documents=self.documents, policy=self.policy, clock=clock)
        if self.mode == "offline":
            return Verifier.offline(documents=self.documents, policy=self.policy, clock=clock)
        raise InputError(
            f"a verifier spec's mode is 'offline' or 'online', not {self.mode!r}",
            code="verifier_spec_invalid",
        )


def verify_many(
    credentials: Iterable[Credential],
    *,
    spec: VerifierSpec | None = None,
    executor: Executor | None = None,
    recipient: str | None = None,
    window: int = DEFAULT_WINDOW,
    chunk: int = DEFAULT_CHUNK,
) -> Iterator[VerificationResult]:
    """Verify each credential (anything :meth:`Verifier.verify` takes) and yield its
    :class:`VerificationResult`, in order; like ``verify``, never raises for a bad credential.

    Without ``executor`` they are verified one after the other here, with one verifier built
    from ``spec`` (default: offline, default policy). With one, its workers verify ``chunk``
    credentials per task, at most ``window`` in flight. ``recipient`` is checked for every
    credential (see ``Verifier.verify``). A result's ``document`` is the parsed credential,
    as ``verify`` returns it.
    """
    spec = spec or VerifierSpec()
    if spec.mode not in ("offline", "online"):
        spec.build()  # raises the refusal before anything is sent
    if executor is None:
        verifier = spec.build()
        for credential in credentials:
            yield verifier.verify(credential, recipient=recipient)
        return
    require_picklable(spec, "the verifier spec (its documents and policy)")
    sent: deque[Credential] = deque()

    def jobs() -> Iterator[Job[Credential]]:
        for credential in credentials:
            sent.append(credential)
            yield Job(credential)

    results = in_order(
        executor,
        functools.partial(_verify_in_worker, spec, recipient),
        jobs(),
        window=window,
        chunk=chunk,
    )
    for result in results:
        credential = sent.popleft()
        if result.document is _DocumentAsSent and isinstance(credential, Mapping):
            # The worker's document was its copy of the credential sent: the copy verify makes
            # here (a new dict of the same members) rebuilt from the caller's own, instead of
            # a second copy pickled back.
            result = VerificationResult(
                checks=result.checks,
                document=dict(credential),
                issuer_trust=result.issuer_trust,
            )
        yield result


# Verifiers built in this (worker) process, by spec token.
_WORKER_VERIFIERS: dict[str, Verifier] = {}
_WORKER_VERIFIERS_LOCK = threading.Lock()
_WORKER_VERIFIERS_KEPT = 8


def _verify_in_worker(
    spec: VerifierSpec, recipient: str | None, credential: Credential
) -> VerificationResult:
    with _WORKER_VERIFIERS_LOCK:
        verifier = _WORKER_VERIFIERS.get(spec.token)
        if verifier is None:
            while len(_WORKER_VERIFIERS) >= _WORKER_VERIFIERS_KEPT:
                del _WORKER_VERIFIERS[next(iter(_WORKER_VERIFIERS))]
            verifier = _WORKER_VERIFIERS[spec.token] = spec.build()
    result = verifier.verify(credential, recipient=recipient)
    document = result.document
    if (
        type(credential) is dict
        and type(document) is dict
        and document is not credential
        and document.keys() == credential.keys()
        and all(document[member] is value for member, value in credential.items())
    ):
        return VerificationResult(
            checks=result.checks, document=_DocumentAsSent, issuer_trust=result.issuer_trust
        )
    return result


class _DocumentAsSent:
    """Stands for a result's document when it is a plain copy of the credential sent (what
    ``verify`` returns for a parsed credential): the class pickles by reference, so the
    document is not sent back, and :func:`verify_many` rebuilds it from the caller's
    credential."""
