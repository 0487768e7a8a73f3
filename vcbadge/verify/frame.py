"""What one verification needs, in two parts that never mix.

- :class:`Services`: the immutable collaborators of a ``Verifier`` (policy, loader, resolver,
  cryptosuite registry, canonicalizer, schemas, status lists), built once and shared by every
  call and every nested verification.
- :class:`Frame`: the per-call state (the moment judged, how deep the recursion is, which proof
  purpose the proofs must serve). Going one level deeper makes a new frame; nothing is reset by
  hand.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.registry import CryptosuiteRegistry
from vcbadge.protocols import Clock, DocumentLoader, Resolver, StatusFetcher
from vcbadge.schema import SchemaValidator
from vcbadge.verify.policy import Policy

__all__ = ["ASSERTION", "AUTHENTICATION", "Frame", "ProofPurpose", "Services"]


@dataclass(frozen=True, kw_only=True)
class ProofPurpose:
    """What a proof must be for, and whose key must make it.

    ``name`` is the ``proofPurpose`` value and the verification relationship the controller
    document must list the key under; ``controller_member`` names the member (``issuer`` or
    ``holder``) whose id must control the key. ``member_optional``: when that member is absent,
    the key's controller is not constrained by it (a presentation without ``holder``).
    """

    name: str
    controller_member: str
    member_optional: bool = False


#: A credential's proofs: ``assertionMethod`` by a key the issuer controls.
ASSERTION = ProofPurpose(name="assertionMethod", controller_member="issuer")
#: A presentation's proofs: ``authentication`` by a key the holder (when named) controls.
AUTHENTICATION = ProofPurpose(
    name="authentication", controller_member="holder", member_optional=True
)


@dataclass(frozen=True, kw_only=True)
class Services:
    """The verifier's collaborators; one instance per ``Verifier``, never changed. ``clock``
    gives the moment status lists are judged at (they say what the status is now).

    ``status_lists`` is None when the verifier has no way to obtain status lists (every status
    entry is then INDETERMINATE, never VALID).
    """

    policy: Policy
    loader: DocumentLoader
    resolver: Resolver
    registry: CryptosuiteRegistry
    canonicalizer: Canonicalizer
    schemas: SchemaValidator
    clock: Clock
    status_lists: StatusFetcher | None = None


@dataclass(frozen=True, kw_only=True)
class Frame:
    """The state of one verification call.

    ``nesting`` counts nested credentials (endorsements, a CLR's credentials), ``status_depth``
    status list credentials verified for a credential; each has its limit in ``Policy``.
    """

    now: datetime
    purpose: ProofPurpose = ASSERTION
    nesting: int = 0
    status_depth: int = 0

    def nested(self) -> Frame:
        """The frame of a credential nested in this one (its own proofs are assertions)."""
        return dataclasses.replace(self, purpose=ASSERTION, nesting=self.nesting + 1)

    def status_list(self, now: datetime) -> Frame:
        """The frame of a status list credential fetched for this one, judged at ``now``."""
        return dataclasses.replace(
            self, now=now, purpose=ASSERTION, status_depth=self.status_depth + 1
        )

    def presentation(self) -> Frame:
        """The frame of a presentation's own proofs."""
        return dataclasses.replace(self, purpose=AUTHENTICATION)
