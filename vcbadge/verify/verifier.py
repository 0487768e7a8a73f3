"""``Verifier``: verify a credential and get a ``VerificationResult``; it never raises for a bad
credential."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge.clock import SystemClock
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.registry import CryptosuiteRegistry, default_registry
from vcbadge.protocols import Clock, DocumentLoader, Resolver
from vcbadge.resolve.composite import CompositeResolver
from vcbadge.resolve.did_key import DidKeyResolver
from vcbadge.resolve.static import StaticResolver
from vcbadge.verify.pipeline import PipelineContext, run_pipeline
from vcbadge.verify.policy import Policy
from vcbadge.verify.result import VerificationResult

__all__ = ["Verifier"]


class Verifier:
    """Verifies credentials under a ``Policy`` with injected resolver, loader and clock.

    >>> verifier = Verifier.offline()          # did:key, plus documents you give it
    >>> result = verifier.verify(credential)   # doctest: +SKIP
    >>> result.outcome, [c.code for c in result.failed]   # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        resolver: Resolver,
        loader: DocumentLoader | None = None,
        policy: Policy | None = None,
        clock: Clock | None = None,
        registry: CryptosuiteRegistry | None = None,
    ) -> None:
        self.policy = policy or Policy.default()
        self.resolver = resolver
        self.loader = loader or default_loader()
        self.clock = clock or SystemClock()
        self.registry = registry or default_registry()
        # One canonicalizer per verifier, so processed contexts are reused across credentials.
        self._canonicalizer = Canonicalizer(self.loader)

    @classmethod
    def offline(
        cls,
        *,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        policy: Policy | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
    ) -> Verifier:
        """A verifier that never touches the network.

        It resolves did:key itself and serves ``documents`` (DID documents or controller
        documents, keyed by DID or URL) ahead of everything else; anything else needed is
        INDETERMINATE with the reason.
        """
        static = StaticResolver(documents or {})
        resolver = CompositeResolver({"key": DidKeyResolver()}, static=static)
        return cls(resolver=resolver, loader=loader, policy=policy, clock=clock)

    def verify(
        self, credential: Mapping[str, Any] | str | bytes, *, at: datetime | None = None
    ) -> VerificationResult:
        """Verify ``credential`` (parsed JSON, or JSON text/bytes parsed strictly).

        ``at`` verifies as of another moment than the verifier's clock (e.g. "was it valid on the
        day it was presented?").
        """
        context = PipelineContext(
            policy=self.policy,
            loader=self.loader,
            resolver=self.resolver,
            registry=self.registry,
            canonicalizer=self._canonicalizer,
            now=at or self.clock.now(),
        )
        checks, document = run_pipeline(credential, context)
        return VerificationResult.of(checks, document)
