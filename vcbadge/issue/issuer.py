"""``Issuer``: sign credentials with a key (or any ``Signer``) on behalf of an issuer profile."""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vcbadge.clock import SystemClock
from vcbadge.errors import (
    CanonicalizationError,
    InputError,
    StatusStoreError,
    VcbadgeError,
)
from vcbadge.issue._prepare import (
    add_status_entries,
    is_vc2,
    require_key_controlled_by,
    require_valid_credential,
    unsigned_document,
)
from vcbadge.issue.batch import (
    BatchFailure,
    BatchIssued,
    BatchItem,
    BatchOutcome,
    BatchSkipped,
)
from vcbadge.issue.disclosure import default_mandatory_pointers
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.model.base import OBModel
from vcbadge.model.profile import Profile
from vcbadge.parallel import DEFAULT_CHUNK, DEFAULT_WINDOW, Done, Job, in_order, require_picklable
from vcbadge.proofs.data_integrity import attach_proof, create_proof
from vcbadge.proofs.registry import CryptosuiteRegistry, default_registry
from vcbadge.proofs.selective_disclosure import create_base_proof
from vcbadge.proofs.suites.ed25519_signature_2020 import ED25519_2020_CONTEXT
from vcbadge.protocols import (
    BatchStatusAllocator,
    Clock,
    DocumentLoader,
    Signer,
    StatusAllocator,
)

__all__ = ["Issuer"]


class Issuer:
    """Issues signed credentials for one issuer profile.

    The profile's ``id`` must be the controller of the signer's verification method (a verifier
    checks exactly that), e.g. the key's did:key, or the did:web / URL that publishes the key.

    ``key`` is any :class:`vcbadge.protocols.Signer`: an ``Ed25519Key`` or ``EcKey`` in memory,
    or an adapter around an HSM or cloud KMS that signs without exporting the private key (see
    docs/tutorials/external-signer.md). ``suite`` names the proof format: ``eddsa-rdfc-2022``
    (default), ``eddsa-jcs-2022``, ``Ed25519Signature2020`` (Ed25519 signers), ``ecdsa-rdfc-2019``
    or ``ecdsa-jcs-2019`` (P-256 / P-384 signers), ``ecdsa-sd-2023`` (P-256 signers, selective
    disclosure). A signer whose ``algorithm`` the suite does not use is refused here
    (``key_algorithm_mismatch``), as is a legacy name such as ``eddsa-2022``
    (``legacy_cryptosuite``).

    With ``ecdsa-sd-2023`` the credential gets a *base proof*, for the holder, who presents a
    derived credential (:func:`vcbadge.issue.disclosure.derive_disclosure`) that reveals the
    members ``mandatory_pointers`` (JSON pointers) select and those the holder chooses. By
    default they are :data:`vcbadge.issue.disclosure.OB_MANDATORY_POINTERS` (those present),
    which keep every disclosure a conformant Open Badge. ``mandatory_pointers`` with another
    suite is refused (``sd_pointers_need_sd_suite``).

    Nothing is signed that verifiers would refuse (the same rules as
    :class:`vcbadge.issue.jwt.JwtIssuer`), each with a switch that must be named:

    - a context meant for examples and tests (the W3C examples contexts, the undefined-terms
      catch-all) is refused (``example_context``); ``allow_example_contexts=True`` signs it
      anyway, for tests and demos;
    - a credential that does not validate against the official schema of its class
      (``schema_invalid``); ``check_schema=False`` signs it anyway;
    - a ``validUntil`` already past (``already_expired``); ``allow_expired=True`` signs it
      anyway (a record of a past award).
    """

    def __init__(
        self,
        profile: Profile | Mapping[str, Any],
        *,
        key: Signer,
        suite: str = "eddsa-rdfc-2022",
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        registry: CryptosuiteRegistry | None = None,
        status_store: StatusAllocator | None = None,
        allow_example_contexts: bool = False,
        check_schema: bool = True,
        allow_expired: bool = False,
        mandatory_pointers: Sequence[str] | None = None,
    ) -> None:
        self.profile = profile if isinstance(profile, Profile) else Profile.from_json(profile)
        self.key = key
        # With a status store (vcbadge.store), every credential issued gets credentialStatus
        # entries (revocation, and suspension if the store has it) at a freshly allocated index.
        self.status_store = status_store
        self.suite = (registry or default_registry()).require(suite)
        if self.suite.legacy:
            raise InputError(
                f"{suite} is a legacy name kept to verify old credentials; issue with a current "
                "suite such as eddsa-rdfc-2022",
                code="legacy_cryptosuite",
            )
        if key.algorithm not in self.suite.key_algorithms:
            raise InputError(
                f"{suite} signs with {' or '.join(sorted(self.suite.key_algorithms))} keys; "
                f"the signer {key.verification_method} is {key.algorithm}",
                code="key_algorithm_mismatch",
            )
        self.selective = self.suite.cryptosuite == _SELECTIVE_SUITE
        if mandatory_pointers is not None and not self.selective:
            raise InputError(
                f"mandatory_pointers choose what an {_SELECTIVE_SUITE} disclosure must reveal; "
                f"{suite} proofs disclose the whole credential",
                code="sd_pointers_need_sd_suite",
            )
        if isinstance(mandatory_pointers, str):
            raise InputError(
                "mandatory_pointers is a list of JSON pointers, not one string",
                code="sd_pointer_invalid",
            )
        self.mandatory_pointers = None if mandatory_pointers is None else tuple(mandatory_pointers)
        self.clock = clock or SystemClock()
        # What a worker process needs to build this issuer again (issue_many over an executor):
        # everything but the status store (allocation stays here) and the clock (the times are
        # read here).
        self._portable = _IssuerSpec(
            token=uuid.uuid4().hex,
            profile=self.profile,
            signer=key,
            suite=suite,
            loader=loader,
            registry=registry,
            allow_example_contexts=allow_example_contexts,
            check_schema=check_schema,
            allow_expired=allow_expired,
            mandatory_pointers=self.mandatory_pointers,
        )
        self.allow_example_contexts = allow_example_contexts
        self.check_schema = check_schema
        self.allow_expired = allow_expired
        self._canonicalizer = Canonicalizer(loader or default_loader())
        require_key_controlled_by(self.profile, key)

    def issue(
        self, credential: OBModel | Mapping[str, Any], *, at: datetime | None = None
    ) -> dict[str, Any]:
        """Sign ``credential`` and return the secured JSON document.

        ``issuer`` defaults to this issuer's profile and ``validFrom`` to ``at`` (or the clock's
        now). Raises ``ModelError`` for an envelope problem and ``CanonicalizationError``
        (``undefined_term``, ``relative_iri``, ``context_not_allowed``) before anything is signed.
        """
        return self._sign(credential, now=at or self.clock.now(), status=self.status_store)

    def _sign(
        self,
        credential: OBModel | Mapping[str, Any],
        *,
        now: datetime,
        status: StatusAllocator | None,
    ) -> dict[str, Any]:
        document = unsigned_document(
            credential,
            profile=self.profile,
            now=now,
            issuer_noun="Issuer",
            allow_expired=self.allow_expired,
        )
        if not is_vc2(document) and self.suite.proof_type == "DataIntegrityProof":
            _add_data_integrity_context(document)
        if self.suite.proof_type == "Ed25519Signature2020":
            # No base context defines the legacy proof type: the suite's own context must be
            # listed, or its terms would be undefined (Digital Bazaar's signer adds it too).
            _add_context(document, ED25519_2020_CONTEXT)
        # A credential built from a model class must also satisfy the spec's MUST rules, checked
        # on what is about to be signed (issuer and dates filled in).
        kind = type(credential).__name__ if isinstance(credential, OBModel) else None
        require_valid_credential(
            document,
            kind=kind,
            allow_example_contexts=self.allow_example_contexts,
            check_schema=self.check_schema,
        )
        if status is not None:
            add_status_entries(document, status)
        if self.selective:
            pointers = self.mandatory_pointers
            base_proof = create_base_proof(
                document,
                signer=self.key,
                canonicalizer=self._canonicalizer,
                mandatory_pointers=(
                    default_mandatory_pointers(document) if pointers is None else pointers
                ),
                created=now,
            )
            return attach_proof(document, base_proof)
        proof = create_proof(
            document,
            suite=self.suite,
            signer=self.key,
            canonicalizer=self._canonicalizer,
            created=now,
        )
        # ``document`` is this issuer's own copy (``unsigned_document``): nothing else holds
        # it, so the proof is attached to it rather than to yet another copy.
        return attach_proof(document, proof)

    def issue_many(
        self,
        items: Iterable[BatchItem | BatchFailure],
        *,
        at: datetime | None = None,
        skip: Container[str] = frozenset(),
        executor: Executor | None = None,
        window: int = DEFAULT_WINDOW,
        chunk: int = DEFAULT_CHUNK,
    ) -> Iterator[BatchOutcome]:
        """Sign each item's credential as :meth:`issue` does; yield one outcome per item, in
        order, as soon as it is known (a caller records each before the next is signed).

        - a second item with a key already seen in this call is a ``BatchFailure``
          (``duplicate_key``): a key names one award (reported on every run, whether the
          first was issued now or before);
        - an item whose ``key`` is in ``skip`` (issued by an earlier run) is a
          ``BatchSkipped``, and nothing is signed or allocated for it;
        - a ``BatchFailure`` among ``items`` (a roster row that could not become a credential,
          :func:`vcbadge.issue.batch.awards`) is passed through unchanged;
        - a credential refused before signing (``ModelError``, ``InputError``,
          ``CanonicalizationError``, or a status store refusing its id: ``credential_exists``,
          ``invalid_credential_id``) is that item's ``BatchFailure`` with the error's code and
          path, and the next items are still issued.

        Errors that concern every item rather than one (the status store missing, damaged or
        rolled back; a signer that fails) are raised: the items already yielded are issued,
        the rest are not, and a re-run that skips the issued keys completes the batch.

        Without ``executor`` the items are issued one after the other, in the calling thread.
        With one (a ``ProcessPoolExecutor``, a Dask ``distributed.Client``...), they are signed
        by its workers, ``chunk`` items per task and at most ``window`` in flight
        (:func:`vcbadge.parallel.in_order`), and the outcomes still come in the items' order:

        - the signer travels to the workers, so it must pickle: a
          :class:`vcbadge.keys.keyfile.KeyFileSigner` (each worker loads the key file once)
          or an external signer's picklable client; a key object never pickles, and is
          refused here, before anything is signed or allocated (``signer_not_portable``);
          so is a custom loader or registry that does not pickle;
        - status indexes are allocated here, in this process, before an item is sent: the
          status store stays the single writer, and its transaction and watermark rules hold
          unchanged. A SQL store allocates each ``chunk`` of items in one transaction with
          one watermark write (``allocate_many``) instead of one per item. An item refused by
          a worker then leaves its index unused (never set, like the index of a run killed
          before its manifest line);
        - ``validFrom`` (without ``at``) is this issuer's clock, read here when the item is
          sent.
        """
        if executor is not None:
            yield from self._issue_over(
                executor, items, at=at, skip=skip, window=window, chunk=chunk
            )
            return
        for item in _admitted(items, skip):
            if not isinstance(item, BatchItem):
                yield item
                continue
            try:
                signed = self.issue(item.credential, at=at)
            except (InputError, CanonicalizationError, StatusStoreError) as error:
                if isinstance(error, StatusStoreError) and error.code not in _ROW_STORE_CODES:
                    raise
                yield _failure(item, error)
                continue
            yield BatchIssued(key=item.key, credential=signed, line=item.line)

    def _issue_over(
        self,
        executor: Executor,
        items: Iterable[BatchItem | BatchFailure],
        *,
        at: datetime | None,
        skip: Container[str],
        window: int,
        chunk: int,
    ) -> Iterator[BatchOutcome]:
        try:
            require_picklable(self._portable, "this Issuer's signer, loader or registry")
        except TypeError as exc:
            raise InputError(
                f"{exc}. Keys are never pickled: give the Issuer a KeyFileSigner(path) (each "
                "worker loads the key file) or an external signer that pickles as a reference "
                "to its KMS or HSM key",
                code="signer_not_portable",
            ) from None
        work = self._jobs(_admitted(items, skip), at=at, group=chunk)
        yield from in_order(
            executor,
            functools.partial(_issue_in_worker, self._portable),
            work,
            window=window,
            chunk=chunk,
        )

    def _jobs(
        self, admitted: Iterable[BatchItem | BatchOutcome], *, at: datetime | None, group: int
    ) -> Iterator[Job[_IssueJob] | Done[BatchOutcome]]:
        """The work the workers do, item by item, in order: a job with its status entries
        allocated here (``group`` items at a time), or the outcome decided here."""
        pending: list[BatchItem | BatchOutcome] = []
        signable = 0
        for item in admitted:
            pending.append(item)
            signable += isinstance(item, BatchItem)
            if signable >= group:
                yield from self._allocated(pending, at)
                pending, signable = [], 0
        yield from self._allocated(pending, at)

    def _allocated(
        self, group: list[BatchItem | BatchOutcome], at: datetime | None
    ) -> Iterator[Job[_IssueJob] | Done[BatchOutcome]]:
        items = [item for item in group if isinstance(item, BatchItem)]
        credentials: dict[int, OBModel | Mapping[str, Any]] = {
            id(item): item.credential for item in items
        }
        entries: dict[int, list[dict[str, Any]] | BatchFailure] = {}
        if self.status_store is not None and items:
            ids: list[str] = []
            for item in items:
                credentials[id(item)], credential_id = _with_id(item.credential)
                ids.append(credential_id)
            entries = self._allocate(items, ids)
        for entry in group:
            if not isinstance(entry, BatchItem):
                yield Done(entry)
                continue
            allocated = entries.get(id(entry))
            if isinstance(allocated, BatchFailure):
                yield Done(allocated)
                continue
            yield Job(
                _IssueJob(
                    key=entry.key,
                    line=entry.line,
                    credential=credentials[id(entry)],
                    now=at or self.clock.now(),
                    status_entries=allocated,
                )
            )

    def _allocate(
        self, items: list[BatchItem], ids: list[str]
    ) -> dict[int, list[dict[str, Any]] | BatchFailure]:
        """Each item's status entries (by ``id(item)``), or its failure when the store refuses
        its credential id. A store that allocates a range in one transaction
        (``credential_status_many``, the SQL stores) does the whole group at once; when it
        refuses one id (all or nothing), the group is allocated one by one, so that only
        that item fails."""
        assert self.status_store is not None
        if isinstance(self.status_store, BatchStatusAllocator):
            try:
                allocated = self.status_store.credential_status_many(ids)
            except StatusStoreError as error:
                if error.code not in _ROW_STORE_CODES:
                    raise
            else:
                return {id(item): entries for item, entries in zip(items, allocated, strict=True)}
        results: dict[int, list[dict[str, Any]] | BatchFailure] = {}
        for item, credential_id in zip(items, ids, strict=True):
            try:
                results[id(item)] = self.status_store.credential_status(credential_id)
            except StatusStoreError as error:
                if error.code not in _ROW_STORE_CODES:
                    raise
                results[id(item)] = _failure(item, error)
        return results

    def publish_status_lists(
        self, directory: str | None = None, *, at: datetime | None = None
    ) -> dict[str, dict[str, Any]]:
        """Sign the status list credentials of this issuer's ``status_store`` (one per list and
        purpose) and return them by URL; with ``directory`` also write them there, under their
        URL path relative to the store's base URL. Raises ``StatusStoreError``.

        An ``ecdsa-sd-2023`` issuer signs its lists with ``ecdsa-rdfc-2019`` (the same P-256
        key): a list is read whole by verifiers, and a base proof is never shown to one."""
        if self.status_store is None:
            raise StatusStoreError(
                "this Issuer has no status_store to publish", code="no_status_store"
            )
        return self.status_store.publish(self._list_signer(), directory=directory, at=at)

    def _list_signer(self) -> Issuer:
        """The issuer that signs this issuer's status lists: itself, or for a selective
        disclosure suite the same key and settings with the ECDSA suite verifiers read."""
        if not self.selective:
            return self
        spec = self._portable
        return Issuer(
            self.profile,
            key=self.key,
            suite=_STATUS_LIST_SUITE,
            loader=spec.loader,
            clock=self.clock,
            registry=spec.registry,
            allow_example_contexts=spec.allow_example_contexts,
            check_schema=spec.check_schema,
            allow_expired=spec.allow_expired,
        )


# The selective disclosure suite: issued with a base proof, not the suites' shared algorithm.
_SELECTIVE_SUITE = "ecdsa-sd-2023"
# What such an issuer signs its status lists with: no holder discloses a list.
_STATUS_LIST_SUITE = "ecdsa-rdfc-2019"

# Status store refusals that concern one credential (its id), not the store.
_ROW_STORE_CODES = frozenset({"credential_exists", "invalid_credential_id"})


def _failure(item: BatchItem, error: VcbadgeError) -> BatchFailure:
    return BatchFailure(
        code=error.code, message=error.message, key=item.key, line=item.line, path=error.path
    )


def _admitted(
    items: Iterable[BatchItem | BatchFailure], skip: Container[str]
) -> Iterator[BatchItem | BatchOutcome]:
    """Each item to sign, or the outcome already decided for it: a failure passed through, a
    key seen before in this call (``duplicate_key``), a key in ``skip``."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, BatchFailure):
            yield item
        elif item.key in seen:
            yield BatchFailure(
                code="duplicate_key",
                message=f"the key {item.key!r} is given to an earlier row too",
                key=item.key,
                line=item.line,
            )
        else:
            seen.add(item.key)
            yield BatchSkipped(key=item.key, line=item.line) if item.key in skip else item


def _with_id(
    credential: OBModel | Mapping[str, Any],
) -> tuple[OBModel | Mapping[str, Any], str]:
    """``credential`` with an ``id`` (a fresh ``urn:uuid:`` one if it had none, as
    ``add_status_entries`` would give it), and that id: the store allocates by id."""
    if isinstance(credential, OBModel):
        identifier = getattr(credential, "id", None)
        if isinstance(identifier, str):
            return credential, identifier
        identifier = f"urn:uuid:{uuid.uuid4()}"
        return credential.model_copy(update={"id": identifier}), identifier
    identifier = credential.get("id")
    if isinstance(identifier, str):
        return credential, identifier
    identifier = f"urn:uuid:{uuid.uuid4()}"
    return {**credential, "id": identifier}, identifier


@dataclass(frozen=True)
class _IssuerSpec:
    """An Issuer's settings as they travel to a worker (``token`` names the issuer, so that a
    worker builds it once, however many chunks it signs)."""

    token: str
    profile: Profile
    signer: Signer
    suite: str
    loader: DocumentLoader | None
    registry: CryptosuiteRegistry | None
    allow_example_contexts: bool
    check_schema: bool
    allow_expired: bool
    mandatory_pointers: tuple[str, ...] | None

    def build(self) -> Issuer:
        return Issuer(
            self.profile,
            key=self.signer,
            suite=self.suite,
            loader=self.loader,
            registry=self.registry,
            allow_example_contexts=self.allow_example_contexts,
            check_schema=self.check_schema,
            allow_expired=self.allow_expired,
            mandatory_pointers=self.mandatory_pointers,
        )


@dataclass(frozen=True, kw_only=True)
class _IssueJob:
    """One item as a worker signs it: its time and status entries decided by the parent."""

    key: str
    line: int | None
    credential: OBModel | Mapping[str, Any]
    now: datetime
    status_entries: list[dict[str, Any]] | None


class _Allocated:
    """The status entries the parent allocated for one credential, handed over as a
    ``StatusAllocator`` so that they go where ``issue`` puts a store's entries."""

    def __init__(self, entries: list[dict[str, Any]]) -> None:
        self._entries = entries

    def credential_status(self, credential_id: str) -> list[dict[str, Any]]:
        return [dict(entry) for entry in self._entries]

    def publish(
        self, issuer: Any, *, directory: str | None = None, at: datetime | None = None
    ) -> dict[str, dict[str, Any]]:
        raise StatusStoreError("a worker publishes no status list", code="no_status_store")


# Issuers built in this (worker) process, by spec token; a few, for a process that serves
# several batches at once (a Dask worker).
_WORKER_ISSUERS: dict[str, Issuer] = {}
_WORKER_ISSUERS_LOCK = threading.Lock()
_WORKER_ISSUERS_KEPT = 8


def _worker_issuer(spec: _IssuerSpec) -> Issuer:
    with _WORKER_ISSUERS_LOCK:
        issuer = _WORKER_ISSUERS.get(spec.token)
        if issuer is None:
            while len(_WORKER_ISSUERS) >= _WORKER_ISSUERS_KEPT:
                del _WORKER_ISSUERS[next(iter(_WORKER_ISSUERS))]
            issuer = _WORKER_ISSUERS[spec.token] = spec.build()
        return issuer


def _issue_in_worker(spec: _IssuerSpec, job: _IssueJob) -> BatchOutcome:
    """Sign one item in a worker: its outcome, or the error that concerns the whole batch."""
    issuer = _worker_issuer(spec)
    status = None if job.status_entries is None else _Allocated(job.status_entries)
    try:
        signed = issuer._sign(job.credential, now=job.now, status=status)
    except (InputError, CanonicalizationError) as error:
        return BatchFailure(
            code=error.code, message=error.message, key=job.key, line=job.line, path=error.path
        )
    return BatchIssued(key=job.key, credential=signed, line=job.line)


_DATA_INTEGRITY_CONTEXTS = (
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/data-integrity/v1",
)


def _add_data_integrity_context(document: dict[str, Any]) -> None:
    # The VC 1.1 context does not define DataIntegrityProof or its members (VC 2.0's does), so a
    # 1.1 credential must list the Data Integrity context or its proof terms would be undefined.
    contexts = document.get("@context")
    listed = contexts if isinstance(contexts, list) else [contexts]
    if not any(url in listed for url in _DATA_INTEGRITY_CONTEXTS):
        document["@context"] = [*listed, _DATA_INTEGRITY_CONTEXTS[0]]


def _add_context(document: dict[str, Any], url: str) -> None:
    contexts = document.get("@context")
    listed = contexts if isinstance(contexts, list) else [contexts]
    if url not in listed:
        document["@context"] = [*listed, url]
