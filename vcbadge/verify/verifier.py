"""``Verifier``: verify a credential and get a ``VerificationResult``; it never raises for a bad
credential."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from vcbadge.bake import BakeLimits
from vcbadge.bake.received import unwrap_received
from vcbadge.clock import SystemClock
from vcbadge.jsonld.loader import ExampleContextGuard, default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.registry import CryptosuiteRegistry, default_registry
from vcbadge.protocols import (
    Clock,
    DocumentLoader,
    Resolver,
    StatusFetcher,
    Transport,
    TrustRegistry,
)
from vcbadge.resolve.offline import offline_resolver
from vcbadge.resolve.status_lists import CachingStatusFetcher, StaticStatusFetcher
from vcbadge.schema import SchemaCache, SchemaValidator
from vcbadge.trust.assess import assess_issuer
from vcbadge.verify.dispatch import too_large, verify_presentation, verify_received
from vcbadge.verify.frame import Frame, Services
from vcbadge.verify.policy import Policy
from vcbadge.verify.result import Outcome, VerificationResult

__all__ = ["Verifier"]


class Verifier:
    """Verifies credentials under a ``Policy`` with injected resolver, loader and clock.

    A verifier is immutable: its collaborators are built once (one canonicalizer, so processed
    contexts are reused across credentials; one status list cache) and read-only afterwards.
    Make another verifier for another policy.

    >>> verifier = Verifier.offline()          # did:key, plus documents you give it
    >>> result = verifier.verify(credential)   # doctest: +SKIP
    >>> result.outcome, [c.code for c in result.failed]   # doctest: +SKIP

    Every result also carries ``issuer_trust``: who stands behind the issuer's name (known to
    one of ``trust_registries``, bound to a domain, or self-asserted), apart from the outcome.
    """

    def __init__(
        self,
        *,
        resolver: Resolver,
        policy: Policy | None = None,
        schemas: SchemaCache | SchemaValidator | None = None,
        loader: DocumentLoader | None = None,
        clock: Clock | None = None,
        registry: CryptosuiteRegistry | None = None,
        status_fetcher: StatusFetcher | None = None,
        trust_registries: Iterable[TrustRegistry] = (),
    ) -> None:
        policy = policy or Policy.default()
        loader = loader or default_loader()
        if not policy.allow_example_contexts:
            # Whatever the loader serves: the contexts step and canonicalization both see the
            # refusal (example_context) through it.
            loader = ExampleContextGuard(loader)
        clock = clock or SystemClock()
        self._services = Services(
            policy=policy,
            loader=loader,
            resolver=resolver,
            registry=registry or default_registry(),
            canonicalizer=Canonicalizer(
                loader,
                max_work=policy.max_canonicalization_work,
                max_quads=policy.max_canonicalization_quads,
            ),
            # credentialSchema entries: the official OB 3.0 / CLR 2.0 / VC 2.0 schemas are
            # bundled; any other comes from the caller (or, online, the guarded transport).
            schemas=_schema_validator(schemas),
            clock=clock,
            # Status lists are cached per URL for the lifetime they state.
            status_lists=(
                CachingStatusFetcher(status_fetcher, clock=clock)
                if status_fetcher is not None
                else None
            ),
        )

        # Asked in this order, most authoritative first, for the issuer trust answer.
        self._trust_registries = tuple(trust_registries)

    # Read-only views of the services: a verifier is rebuilt, never re-wired.
    policy = property(lambda self: self._services.policy, doc="What this verifier accepts.")
    loader = property(lambda self: self._services.loader, doc="Where contexts come from.")
    resolver = property(lambda self: self._services.resolver, doc="How keys are found.")
    clock = property(lambda self: self._services.clock, doc='The source of "now".')
    registry = property(lambda self: self._services.registry, doc="The known cryptosuites.")
    schemas = property(lambda self: self._services.schemas, doc="Validates credentialSchema.")
    trust_registries = property(
        lambda self: self._trust_registries, doc="Where known issuers are looked up, in order."
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
        trust_registries: Iterable[TrustRegistry] = (),
    ) -> Verifier:
        """A verifier that never touches the network.

        It resolves did:key and did:jwk itself and serves ``documents`` (DID documents,
        controller documents and status list credentials, keyed by DID or URL) ahead of
        everything else; anything else needed (did:web, HTTPS keys) is INDETERMINATE with the
        reason. JSON Schemas for ``credentialSchema`` come from ``schemas``, or else from the
        ``documents`` that are JSON Schemas (they have ``$schema``), keyed by their URL, and
        the official OB 3.0 / CLR 2.0 / VC 2.0 schemas vcbadge bundles. ``trust_registries``
        (e.g. :func:`vcbadge.trust.load_registry_file`) make issuers known.
        """
        resolver = offline_resolver(documents)
        return cls(
            resolver=resolver,
            loader=loader,
            policy=policy,
            clock=clock,
            status_fetcher=StaticStatusFetcher(documents or {}),
            schemas=schemas
            if schemas is not None
            else SchemaValidator.bundled(_given_schemas(documents)),
            trust_registries=trust_registries,
        )

    @classmethod
    def online(
        cls,
        *,
        transport: Transport | None = None,
        methods: Mapping[str, Resolver] | None = None,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        policy: Policy | None = None,
        clock: Clock | None = None,
        loader: DocumentLoader | None = None,
        trust_registries: Iterable[TrustRegistry] = (),
    ) -> Verifier:
        """A verifier that fetches what it needs through the guarded transport.

        did:key and did:jwk are resolved locally; did:web documents, HTTPS controller and key
        documents and status lists are fetched with ``transport`` (default: a cached
        :class:`vcbadge.http.GuardedTransport`: HTTPS only, timeouts, size cap, no private
        addresses), and so are JSON Schemas other than the official ones vcbadge bundles.
        ``documents`` are served ahead of everything, as offline (JSON Schemas among them
        too); ``methods`` adds
        resolvers by DID method or URL scheme (``{"webvh": my_resolver}``). Fetched documents
        are cached (``vcbadge.resolve.CachingTransport``, aged by ``clock``).
        ``trust_registries`` make issuers known (registries that fetch take their own
        transport: :func:`vcbadge.defaults.trust_registry`).

        The wiring lives in :mod:`vcbadge.defaults`, imported here only when this is called, so
        importing the verifier never imports the network stack.
        """
        from vcbadge.defaults import (
            default_resolver,
            default_schema_validator,
            default_status_fetcher,
        )

        resolver = default_resolver(
            documents=documents, transport=transport, methods=methods, clock=clock
        )
        return cls(
            resolver=resolver,
            loader=loader,
            policy=policy,
            clock=clock,
            status_fetcher=default_status_fetcher(documents=documents, transport=transport),
            schemas=default_schema_validator(
                documents=_given_schemas(documents), transport=transport
            ),
            trust_registries=trust_registries,
        )

    def verify(
        self,
        credential: Mapping[str, Any] | str | bytes,
        *,
        at: datetime | None = None,
        recipient: str | None = None,
    ) -> VerificationResult:
        """Verify ``credential``: parsed JSON, JSON text/bytes (parsed strictly), a compact JWS
        (VC-JWT or VC-JOSE-COSE, detected by its shape), an ``EnvelopedVerifiableCredential``,
        an Open Badges 2.0 assertion (its JSON, or the compact JWS of a signed one), or the
        bytes of a PNG or SVG badge image (an ``image`` check then says where the credential
        or OB 2.0 assertion was found; another image format is INVALID
        ``image_type_unsupported``). Text or bytes larger than
        ``Policy.max_bytes`` (a badge image: ``BakeLimits.max_image_bytes``) are refused before
        anything copies or decodes them (``limit_exceeded``, ``too_large``). Never raises for
        bad content; raises ``TypeError`` for a path (read the file and pass its bytes) or
        another type.

        The result's ``issuer_trust`` says who stands behind the issuer's name
        (:func:`vcbadge.trust.assess_issuer`), whatever the outcome (None when no document
        could be read).

        ``at`` verifies as of another moment than the verifier's clock (e.g. "was it valid on the
        day it was presented?"). ``recipient``: the email address, DID, URL (or other
        identifier) the badge must be awarded to: an OB 2.0 ``ob2_recipient`` check, or for
        an OB 3.0 / CLR 2.0 credential a ``recipient`` check, matching the subject's ``id``
        or its ``identifier`` IdentityObjects, plain or salted hashes
        (:mod:`vcbadge.verify.recipient`: ``recipient_mismatch`` INVALID,
        ``recipient_unknown`` INDETERMINATE).
        """
        # The size cap comes first: unwrapping copies bytes-like input and strips and sniffs
        # text. A badge image may be larger than a credential (BakeLimits.max_image_bytes).
        refused = too_large(credential, self.policy.max_bytes, images=BakeLimits())
        if refused is not None:
            return VerificationResult.of([refused], None)
        received = unwrap_received(credential)
        checks, document = verify_received(
            received, self._services, self._frame(at), recipient=recipient
        )
        result = VerificationResult.of(checks, document)
        if not isinstance(document, Mapping):
            return result  # no document read, no issuer to speak of: the checks say why
        # The domain's own document is fetched only for a VALID credential: its name matters
        # only then, and for one that did not verify (its issuer's host unreachable, say) a
        # second fetch would only double the time a hostile server can hold the verifier.
        resolver = self._services.resolver if result.outcome is Outcome.VALID else None
        trust = assess_issuer(document, resolver=resolver, registries=self._trust_registries)
        return dataclasses.replace(result, issuer_trust=trust)

    def verify_presentation(
        self,
        presentation: Mapping[str, Any] | str | bytes,
        *,
        challenge: str,
        domain: str | Collection[str] | None = None,
        at: datetime | None = None,
    ) -> VerificationResult:
        """Verify a Verifiable Presentation and every credential in it.

        The presentation's proof must be an ``authentication`` proof by a key its ``holder``
        controls (a presentation without ``holder`` binds no controller; the check says so),
        bound to ``challenge`` (the one-time value the verifier sent) and, when given,
        ``domain`` (one domain, or the set of domains the verifier answers for: the proof's
        set must equal it); a presentation made for another challenge or domain is INVALID. Each
        embedded credential's checks have paths under ``/verifiableCredential/N``.
        """
        checks, document = verify_presentation(
            presentation, self._services, self._frame(at), challenge=challenge, domain=domain
        )
        return VerificationResult.of(checks, document)

    def _frame(self, at: datetime | None) -> Frame:
        return Frame(now=at or self._services.clock.now())


def _given_schemas(
    documents: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, Mapping[str, Any]]:
    """The JSON Schemas among ``documents`` (those with ``$schema``), keyed by their URL."""
    return {url: doc for url, doc in (documents or {}).items() if "$schema" in doc}


def _schema_validator(schemas: SchemaCache | SchemaValidator | None) -> SchemaValidator:
    if isinstance(schemas, SchemaValidator):
        return schemas
    if schemas is None:
        return SchemaValidator.bundled()
    return SchemaValidator(schemas)
