"""vcbadge: issue and verify Open Badges 3.0 and CLR 2.0 credentials as W3C Verifiable Credentials.

Issue a badge, verify one::

    from vcbadge import AchievementCredential, Issuer, Profile, Verifier
    from vcbadge.keys import Ed25519Key

    key = Ed25519Key.generate()
    issuer = Issuer(Profile(id=key.controller, name="Example University"), key=key)
    signed = issuer.issue(AchievementCredential.award(achievement, recipient="did:example:ada"))
    result = Verifier.online().verify(signed)    # or Verifier.offline(documents=...)
    result.outcome                               # VALID, INVALID or INDETERMINATE

The main entry points, all importable from ``vcbadge``:

- issuing: :class:`Issuer` (Data Integrity proofs), :class:`JwtIssuer` (VC-JWT and
  VC-JOSE-COSE), :class:`Holder` and :func:`present` (Verifiable Presentations);
- verifying: :class:`Verifier` with its :class:`Policy`, giving a :class:`VerificationResult`
  of :class:`Check` objects with an :class:`Outcome`;
- the data model: :class:`AchievementCredential` (= :class:`OpenBadgeCredential`),
  :class:`Achievement`, :class:`Profile`, :class:`ClrCredential` and the other Open Badges 3.0 /
  CLR 2.0 classes (``from_json`` / ``to_json`` / ``issues``);
- badge images: :func:`bake` and :func:`unbake` (PNG and SVG);
- revocation: :class:`SQLiteStatusStore` (given to ``Issuer(status_store=...)``);
- showing a badge: :func:`render_badge_html`;
- Open Badges 2.0: :func:`from_ob2` (migration; 2.0 assertions also verify as they are);
- the errors (:class:`VcbadgeError` and its subclasses, each with a stable ``code``) and the
  clocks (:class:`SystemClock`, :class:`FixedClock`).

The package map (lower layers never import higher ones; ``docs/architecture.md``):

- ``vcbadge.model``: the Open Badges 3.0 / CLR 2.0 data model, typed and strict;
- ``vcbadge.issue``: :class:`Issuer`, :class:`JwtIssuer` (``vcbadge.issue.jwt``),
  presentations and ecdsa-sd-2023 disclosures;
- ``vcbadge.verify``: the verifier, its policy and results;
- ``vcbadge.keys``: Ed25519, P-256/P-384 and RSA keys, Multikey/JWK/did:key, key files;
- ``vcbadge.proofs``: Data Integrity cryptosuites, VC-JWT, VC-JOSE-COSE, selective disclosure;
- ``vcbadge.jsonld``: the bundled contexts, the fail-closed loader, RDFC-1.0, JCS;
- ``vcbadge.resolve``: DID and URL resolvers (did:key, did:jwk, did:web, HTTPS);
- ``vcbadge.status`` and ``vcbadge.store``: status list bitstrings; the issuer's status stores
  (SQLite, PostgreSQL) that revoke, suspend and publish;
- ``vcbadge.trust``: who stands behind an issuer's name (registries, OpenID Federation);
- ``vcbadge.schema``: JSON Schema validation of ``credentialSchema``;
- ``vcbadge.bake``: baking credentials into PNG and SVG images;
- ``vcbadge.display``: the badge as an HTML page or fragment;
- ``vcbadge.migrate``: Open Badges 2.0 to 3.0;
- ``vcbadge.batch``: issuing and verifying over process pools and Dask;
- ``vcbadge.http`` and ``vcbadge.defaults``: the one guarded HTTPS transport and the online
  wiring of ``Verifier.online()``;
- ``vcbadge.protocols``: the interfaces to implement (signer, resolver, transport, clock,
  trust registry);
- ``vcbadge.testing`` and ``vcbadge.conformance``: helpers for your own tests, the test
  vectors and ``vcbadge check``;
- ``vcbadge.web`` and ``vcbadge.api``: the verification web app (``vcbadge serve``) and the
  Open Badges 3.0 REST API (extras ``vcbadge[web]``, ``vcbadge[api]``);
- ``vcbadge.cli``: the ``vcbadge`` command (``docs/reference/cli.md``);
- ``vcbadge.errors``: the error tree; every code is explained in ``docs/reference/errors.md``;
- the foundations every layer uses: ``vcbadge.vcdm`` (the W3C VC data model's rules),
  ``vcbadge.clock`` (clocks), ``vcbadge.parallel`` (jobs over any executor, in order),
  ``vcbadge.atomic_files`` (durable file replacement), ``vcbadge.hostnames`` (the host names a
  URL may name).
"""

from vcbadge.bake import bake, unbake
from vcbadge.clock import FixedClock, SystemClock
from vcbadge.display import render_badge_html
from vcbadge.errors import (
    CanonicalizationError,
    InputError,
    ModelError,
    ResolutionError,
    SchemaError,
    UnsupportedError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.issue import Holder, Issuer, present
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.migrate import from_ob2
from vcbadge.model import (
    Achievement,
    AchievementCredential,
    AchievementSubject,
    Address,
    Alignment,
    Association,
    ClrCredential,
    ClrSubject,
    CredentialSchema,
    CredentialStatus,
    Criteria,
    EndorsementCredential,
    EndorsementSubject,
    Evidence,
    GeoCoordinates,
    IdentifierEntry,
    IdentityObject,
    Image,
    OpenBadgeCredential,
    Profile,
    RefreshService,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    TermsOfUse,
)
from vcbadge.schema import SchemaCache
from vcbadge.store import SQLiteStatusStore
from vcbadge.verify import Check, Outcome, Policy, VerificationResult, Verifier

__version__ = "0.1.0"

__all__ = [
    "Achievement",
    "AchievementCredential",
    "AchievementSubject",
    "Address",
    "Alignment",
    "Association",
    "CanonicalizationError",
    "Check",
    "ClrCredential",
    "ClrSubject",
    "CredentialSchema",
    "CredentialStatus",
    "Criteria",
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "FixedClock",
    "GeoCoordinates",
    "Holder",
    "IdentifierEntry",
    "IdentityObject",
    "Image",
    "InputError",
    "Issuer",
    "JwtIssuer",
    "ModelError",
    "OpenBadgeCredential",
    "Outcome",
    "Policy",
    "Profile",
    "RefreshService",
    "Related",
    "ResolutionError",
    "Result",
    "ResultDescription",
    "RubricCriterionLevel",
    "SQLiteStatusStore",
    "SchemaCache",
    "SchemaError",
    "SystemClock",
    "TermsOfUse",
    "UnsupportedError",
    "VcbadgeError",
    "VerificationError",
    "VerificationResult",
    "Verifier",
    "__version__",
    "bake",
    "from_ob2",
    "present",
    "render_badge_html",
    "unbake",
]
