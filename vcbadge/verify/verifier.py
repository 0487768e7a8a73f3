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
from vcbadge.protocols import Clock, DocumentLoader, Resolver, StatusFetcher, Transport
from vcbadge.resolve.offline import offline_resolver
from vcbadge.schema import SchemaCache, SchemaValidator
from vcbadge.status.cache import CachingStatusFetcher
from vcbadge.status.check import StatusChecker
from vcbadge.status.fetch import StaticStatusFetcher
from vcbadge.verify.jwt_pipeline import run_credential
from vcbadge.verify.pipeline import PipelineContext
from vcbadge.verify.policy import Policy
from vcbadge.verify.presentation import run_presentation
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
        status_fetcher: StatusFetcher | None = None,
        schemas: SchemaCache | SchemaValidator | None = None,
    ) -> None:
        self.policy = policy or Policy.default()
        # credentialSchema entries are validated only with schemas the caller provides.
        self.schemas = schemas if isinstance(schemas, SchemaValidator) else SchemaValidator(schemas)
        self.resolver = resolver
        self.loader = loader or default_loader()
        self.clock = clock or SystemClock()
        self.registry = registry or default_registry()
        # One canonicalizer per verifier, so processed contexts are reused across credentials.
        self._canonicalizer = Canonicalizer(self.loader)
        # Status lists are cached per URL for their ttl, and verified by this same verifier.
        self._status_checker = (
            StatusChecker(
                CachingStatusFetcher(status_fetcher, clock=self.clock), self._verify_status_list
            )
            if status_fetcher is not None
            else None
        )

    @classmethod
    def offline(
        cls,
        *,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        policy: Policy | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        schemas: SchemaCache | SchemaValidator | None = None,
    ) -> Verifier:
        """A verifier that never touches the network.

        It resolves did:key and did:jwk itself and serves ``documents`` (DID documents,
        controller documents and status list credentials, keyed by DID or URL) ahead of
        everything else; anything else needed (did:web, HTTPS keys) is INDETERMINATE with the
        reason. JSON Schemas for ``credentialSchema`` come from ``schemas``, or else from the
        ``documents`` that are JSON Schemas (they have ``$schema``), keyed by their URL.
        """
        resolver = offline_resolver(documents)
        if schemas is None:
            schemas = SchemaCache(
                {url: doc for url, doc in (documents or {}).items() if "$schema" in doc}
            )
        return cls(
            resolver=resolver,
            loader=loader,
            policy=policy,
            clock=clock,
            status_fetcher=StaticStatusFetcher(documents or {}),
            schemas=schemas,
        )

    @classmethod
    def online(
        cls,
        *,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        policy: Policy | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        transport: Transport | None = None,
        methods: Mapping[str, Resolver] | None = None,
    ) -> Verifier:
        """A verifier that fetches what it needs through the guarded transport.

        did:key and did:jwk are resolved locally; did:web documents, HTTPS controller and key
        documents and status lists are fetched with ``transport`` (default: a cached
        :class:`vcbadge.http.GuardedTransport`: HTTPS only, timeouts, size cap, no private
        addresses). ``documents`` are served ahead of everything, as offline; ``methods`` adds
        resolvers by DID method or URL scheme (``{"webvh": my_resolver}``). Fetched documents
        are cached (``vcbadge.resolve.CachingTransport``, aged by ``clock``).

        The wiring lives in :mod:`vcbadge.defaults`, imported here only when this is called, so
        importing the verifier never imports the network stack.
        """
        from vcbadge.defaults import default_resolver, default_status_fetcher

        resolver = default_resolver(
            documents=documents, transport=transport, methods=methods, clock=clock
        )
        return cls(
            resolver=resolver,
            loader=loader,
            policy=policy,
            clock=clock,
            status_fetcher=default_status_fetcher(documents=documents, transport=transport),
        )

    def verify(
        self, credential: Mapping[str, Any] | str | bytes, *, at: datetime | None = None
    ) -> VerificationResult:
        """Verify ``credential``: parsed JSON, JSON text/bytes (parsed strictly), a compact JWS
        (VC-JWT or VC-JOSE-COSE, detected by its shape) or an ``EnvelopedVerifiableCredential``.

        ``at`` verifies as of another moment than the verifier's clock (e.g. "was it valid on the
        day it was presented?").
        """
        checks, document = run_credential(credential, self._context(at))
        return VerificationResult.of(checks, document)

    def verify_presentation(
        self,
        presentation: Mapping[str, Any] | str | bytes,
        *,
        challenge: str,
        domain: str | None = None,
        at: datetime | None = None,
    ) -> VerificationResult:
        """Verify a Verifiable Presentation and every credential in it.

        The presentation's proof must be an ``authentication`` proof by a key its ``holder``
        controls, bound to ``challenge`` (the one-time value the verifier sent) and, when given,
        ``domain``; a presentation made for another challenge or domain is INVALID. Each
        embedded credential's checks have paths under ``/verifiableCredential/N``.
        """
        checks, document = run_presentation(
            presentation, self._context(at), challenge=challenge, domain=domain
        )
        return VerificationResult.of(checks, document)

    def _context(self, at: datetime | None, *, depth: int = 0) -> PipelineContext:
        return PipelineContext(
            policy=self.policy,
            loader=self.loader,
            resolver=self.resolver,
            registry=self.registry,
            canonicalizer=self._canonicalizer,
            now=at or self.clock.now(),
            status_checker=self._status_checker,
            depth=depth,
            schemas=self.schemas,
            credential_runner=run_credential,
        )

    def _verify_status_list(self, document: Mapping[str, Any], depth: int) -> VerificationResult:
        # A status list says what the status is now, so it is judged at the clock's now even
        # when the credential is verified as of another moment (``at``).
        checks, parsed = run_credential(document, self._context(None, depth=depth))
        return VerificationResult.of(checks, parsed)
