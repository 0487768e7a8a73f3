"""``Issuer``: sign credentials with a key (or any ``Signer``) on behalf of an issuer profile."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge.clock import SystemClock
from vcbadge.errors import InputError, StatusStoreError
from vcbadge.issue._prepare import (
    is_vc2,
    require_key_controlled_by,
    require_valid_credential,
    unsigned_document,
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

    A credential that lists a context meant for examples and tests (the W3C examples contexts,
    the undefined-terms catch-all) is refused (``example_context``), as verifiers refuse it by
    default; ``allow_example_contexts=True`` signs it anyway, for tests and demos.
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
            credential, profile=self.profile, now=now, issuer_noun="Issuer"
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
            document, kind=kind, allow_example_contexts=self.allow_example_contexts
        )
        if self.status_store is not None and not _is_status_list(document):
            _add_status(document, self.status_store)
        proof = create_proof(
            document,
            suite=self.suite,
            signer=self.key,
            canonicalizer=self._canonicalizer,
            created=now,
        )
        return add_proof(document, proof)

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


_STATUS_LIST_TYPES = ("BitstringStatusListCredential", "StatusList2021Credential")
_STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"


def _is_status_list(document: Mapping[str, Any]) -> bool:
    types = document.get("type")
    listed = types if isinstance(types, list) else [types]
    return any(kind in listed for kind in _STATUS_LIST_TYPES)


def _add_status(document: dict[str, Any], store: StatusAllocator) -> None:
    # The store indexes credentials by id, so a credential tracked for status needs one.
    credential_id = document.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
    entries = store.credential_status(credential_id)
    existing = document.get("credentialStatus")
    listed = [] if existing is None else existing if isinstance(existing, list) else [existing]
    combined = [*listed, *entries]
    document["credentialStatus"] = combined[0] if len(combined) == 1 else combined
    if not is_vc2(document):
        # VC 2.0's context defines BitstringStatusListEntry; VC 1.1's does not.
        _add_context(document, _STATUS_CONTEXT)


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
