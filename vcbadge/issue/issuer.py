"""``Issuer``: sign credentials with a key (or any ``Signer``) on behalf of an issuer profile."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator, Mapping
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
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.model.base import OBModel
from vcbadge.model.profile import Profile
from vcbadge.proofs.data_integrity import add_proof, create_proof
from vcbadge.proofs.registry import CryptosuiteRegistry, default_registry
from vcbadge.proofs.suites.ed25519_signature_2020 import ED25519_2020_CONTEXT
from vcbadge.protocols import Clock, DocumentLoader, Signer, StatusAllocator

__all__ = ["Issuer"]


class Issuer:
    """Issues signed credentials for one issuer profile.

    The profile's ``id`` must be the controller of the signer's verification method (a verifier
    checks exactly that), e.g. the key's did:key, or the did:web / URL that publishes the key.

    ``key`` is any :class:`vcbadge.protocols.Signer`: an ``Ed25519Key`` or ``EcKey`` in memory,
    or an adapter around an HSM or cloud KMS that signs without exporting the private key (see
    docs/tutorials/external-signer.md). ``suite`` names the proof format: ``eddsa-rdfc-2022``
    (default), ``eddsa-jcs-2022``, ``Ed25519Signature2020`` (Ed25519 signers), ``ecdsa-rdfc-2019``
    or ``ecdsa-jcs-2019`` (P-256 / P-384 signers). A signer whose ``algorithm`` the suite does not
    use is refused here (``key_algorithm_mismatch``), as is a legacy name such as ``eddsa-2022``
    (``legacy_cryptosuite``).

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
        self.clock = clock or SystemClock()
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
        now = at or self.clock.now()
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
        if self.status_store is not None:
            add_status_entries(document, self.status_store)
        proof = create_proof(
            document,
            suite=self.suite,
            signer=self.key,
            canonicalizer=self._canonicalizer,
            created=now,
        )
        return add_proof(document, proof)

    def issue_many(
        self,
        items: Iterable[BatchItem | BatchFailure],
        *,
        at: datetime | None = None,
        skip: Container[str] = frozenset(),
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

        The items are issued one after the other, in the calling thread. Each is independent
        of the others (the status store allocates each index in its own transaction), so a
        later version can run them over a ``concurrent.futures.Executor``, still yielding the
        outcomes in the items' order.
        """
        seen: set[str] = set()
        for item in items:
            if isinstance(item, BatchFailure):
                yield item
                continue
            if item.key in seen:
                yield BatchFailure(
                    code="duplicate_key",
                    message=f"the key {item.key!r} is given to an earlier row too",
                    key=item.key,
                    line=item.line,
                )
                continue
            seen.add(item.key)
            if item.key in skip:
                yield BatchSkipped(key=item.key, line=item.line)
                continue
            try:
                signed = self.issue(item.credential, at=at)
            except (InputError, CanonicalizationError, StatusStoreError) as error:
                if isinstance(error, StatusStoreError) and error.code not in _ROW_STORE_CODES:
                    raise
                yield _failure(item, error)
                continue
            yield BatchIssued(key=item.key, credential=signed, line=item.line)

    def publish_status_lists(
        self, directory: str | None = None, *, at: datetime | None = None
    ) -> dict[str, dict[str, Any]]:
        """Sign the status list credentials of this issuer's ``status_store`` (one per list and
        purpose) and return them by URL; with ``directory`` also write them there, under their
        URL path relative to the store's base URL. Raises ``StatusStoreError``."""
        if self.status_store is None:
            raise StatusStoreError(
                "this Issuer has no status_store to publish", code="no_status_store"
            )
        return self.status_store.publish(self, directory=directory, at=at)


# Status store refusals that concern one credential (its id), not the store.
_ROW_STORE_CODES = frozenset({"credential_exists", "invalid_credential_id"})


def _failure(item: BatchItem, error: VcbadgeError) -> BatchFailure:
    return BatchFailure(
        code=error.code, message=error.message, key=item.key, line=item.line, path=error.path
    )


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
