"""``Issuer``: sign credentials with a key (or any ``Signer``) on behalf of an issuer profile."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime
from vcbadge.clock import SystemClock
from vcbadge.errors import ModelError
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.model.base import OBModel
from vcbadge.model.openbadges import Profile
from vcbadge.proofs.data_integrity import add_proof, create_proof
from vcbadge.proofs.registry import CryptosuiteRegistry, default_registry
from vcbadge.protocols import Clock, DocumentLoader, Signer
from vcbadge.verify.pipeline import envelope
from vcbadge.verify.result import Outcome

__all__ = ["Issuer"]


class Issuer:
    """Issues signed credentials for one issuer profile.

    The profile's ``id`` must be the controller of the signer's verification method (a verifier
    checks exactly that), e.g. the key's did:key, or the did:web / URL that publishes the key.
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
    ) -> None:
        self.profile = profile if isinstance(profile, Profile) else Profile.from_json(profile)
        self.key = key
        self.suite = (registry or default_registry()).require(suite)
        self.clock = clock or SystemClock()
        self._canonicalizer = Canonicalizer(loader or default_loader())
        controller = key.verification_method.split("#", 1)[0]
        if controller != self.profile.id:
            raise ModelError(
                f"the issuer profile id {self.profile.id} is not the controller of the key "
                f"{key.verification_method}; verifiers would reject every credential",
                code="issuer_not_controller",
                path="/issuer/id",
            )

    def issue(
        self, credential: OBModel | Mapping[str, Any], *, at: datetime | None = None
    ) -> dict[str, Any]:
        """Sign ``credential`` and return the secured JSON document.

        ``issuer`` defaults to this issuer's profile and ``validFrom`` to ``at`` (or the clock's
        now). Raises ``ModelError`` for an envelope problem and ``CanonicalizationError``
        (``undefined_term``, ``relative_iri``, ``context_not_allowed``) before anything is signed.
        """
        now = at or self.clock.now()
        document = (
            credential.to_json()
            if isinstance(credential, OBModel)
            else copy.deepcopy(dict(credential))
        )
        if "proof" in document:
            raise ModelError(
                "the credential is already signed", code="already_signed", path="/proof"
            )
        issuer = document.get("issuer")
        if issuer is None:
            document["issuer"] = self.profile.to_json()
        else:
            issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
            if issuer_id != self.profile.id:
                raise ModelError(
                    f"the credential names issuer {issuer_id!r}, this Issuer is {self.profile.id}",
                    code="issuer_not_controller",
                    path="/issuer",
                )
        if _is_vc2(document) and "validFrom" not in document:
            document["validFrom"] = format_datetime(now)
        if not _is_vc2(document):
            document.setdefault("issuanceDate", format_datetime(now))
            _add_data_integrity_context(document)
        for check in envelope(document):
            if check.outcome is not Outcome.VALID:
                raise ModelError(check.message, code=check.code, path=check.path)
        proof = create_proof(
            document,
            suite=self.suite,
            signer=self.key,
            canonicalizer=self._canonicalizer,
            created=now,
        )
        return add_proof(document, proof)


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


def _is_vc2(document: Mapping[str, Any]) -> bool:
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    return bool(first == "https://www.w3.org/ns/credentials/v2")
