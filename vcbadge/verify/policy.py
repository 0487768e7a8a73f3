"""Verification policy: explicit, immutable, secure by default.

Switches that weaken verification are named ``unsafe_…`` and emit ``UnsafePolicyWarning``
when set, so that a weakened verifier is visible in logs and in tests.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from vcbadge.jsonld.rdfc import DEFAULT_MAX_QUADS, DEFAULT_MAX_WORK
from vcbadge.proofs.jws import MAX_HEADER_BYTES, MAX_HEADER_MEMBERS, MAX_PAYLOAD_BYTES
from vcbadge.proofs.registry import default_registry

__all__ = ["Policy", "UnsafePolicyWarning"]


class UnsafePolicyWarning(UserWarning):
    """A policy switch that weakens verification was turned on."""


@dataclass(frozen=True)
class Policy:
    """What a verifier accepts.

    - ``allowed_cryptosuites``: suites a proof may use (by suite name: the ``cryptosuite``
      value, or ``Ed25519Signature2020`` for that legacy proof type); a known suite outside
      this set is INVALID (``cryptosuite_not_allowed``), an unknown one INDETERMINATE
      (``unknown_cryptosuite``). Default: every suite vcbadge implements (eddsa-rdfc-2022,
      eddsa-jcs-2022, ecdsa-rdfc-2019, ecdsa-jcs-2019, Ed25519Signature2020 and the draft name
      eddsa-2022), because badges in the wild carry all of them; narrow it to what your
      ecosystem issues.
    - ``clock_skew``: tolerance for ``validFrom``, ``validUntil`` and proof ``created``.
    - ``max_bytes`` / ``max_depth``: limits on the received JSON.
    - ``trusted_issuers``: when given, an issuer outside it makes the result INVALID
      (``issuer_not_trusted``); when None, issuer trust is not judged.
    - ``allow_inline_contexts``: accept ``@context`` objects (not URLs) in credentials and
      presentations (default: yes, as VC Data Model 2.0 §4.3 allows; they are still expanded in
      safe mode, so a term they leave undefined or a protected term they redefine is refused).
      ``False`` refuses them (``context_not_allowed``).
    - ``allowed_jwt_algorithms``: JWS ``alg`` values a VC-JWT or VC-JOSE-COSE credential may
      use; anything else is INVALID (``jwt_alg_not_allowed``). ``none`` and HMAC algorithms
      are refused whatever this says (``jwt_alg_none``, ``jwt_alg_hmac``).
    - ``max_status_list_bytes``: cap on a status list once inflated (a bigger one, such as a
      decompression bomb, is refused with ``limit_exceeded``).
    - ``delegated_status_issuers``: issuers whose status lists are accepted for credentials of
      any issuer (a status service the issuer delegates to); by default a status list must be
      issued by the credential's own issuer.
    - ``foreign_status_list``: the outcome when a status list is issued by someone else
      (``status_list_issuer_mismatch``): ``"invalid"`` (default) or ``"indeterminate"``.
    - ``require_held_related_resources``: a ``relatedResource`` vcbadge does not hold (anything
      but its bundled contexts; it never fetches them) is INDETERMINATE instead of passing with
      ``related_resource_not_held``.
    - ``max_nesting``: how deep endorsements and the credentials a CLR bundles are verified
      (deeper ones are INDETERMINATE, ``nesting_too_deep``).
    - ``max_status_depth``: a credential (depth 0) may point to a status list (depth 1) whose own
      status points to another list (depth 2); deeper is INDETERMINATE
      (``status_depth_exceeded``), so lists that point at each other end.
    - ``max_canonicalization_work`` / ``max_canonicalization_quads``: the RDFC-1.0 work limit and
      dataset size (``complexity_limit``), see :mod:`vcbadge.jsonld.rdfc`.
    - ``max_proofs``: proofs one credential or presentation may carry (proof sets and chains
      use two or three); more are refused before any is verified (``too_many_proofs``).
    - ``max_credentials``: credentials one presentation carries, and credentials one
      credential nests (endorsements, a CLR's credentials); more are refused before any is
      verified (``too_many_credentials``).
    - ``max_status_entries`` / ``max_schemas``: ``credentialStatus`` entries (each may be
      fetched) and ``credentialSchema`` entries (each may be fetched and validated) one
      credential may carry; more are refused before any is fetched
      (``too_many_status_entries``, ``too_many_schemas``).
    - ``max_jwt_header_bytes`` / ``max_jwt_header_members`` / ``max_jwt_payload_bytes``: a
      compact JWS's decoded header size (16 KiB) and member count (16), and its decoded
      payload size (2 MiB), checked on the base64url text before anything is decoded
      (``jwt_header_too_large``, ``jwt_header_too_many_members``, ``jwt_payload_too_large``);
      the whole token is bounded by ``max_bytes`` as any input.
    - ``allow_example_contexts``: accept credentials and presentations that use the contexts
      W3C publishes for examples and tests (``https://www.w3.org/ns/credentials/examples/v2``,
      ``https://www.w3.org/2018/credentials/examples/v1``) or the undefined-terms catch-all
      (``https://www.w3.org/ns/credentials/undefined-terms/v2``). They define terms nobody
      owns (anyone's ``name`` or ``level`` means whatever the example says), so a production
      verifier refuses them by default (``example_context``); turn this on for tests and
      demos. Not an ``unsafe_`` switch: it changes which vocabularies are accepted, not how a
      signature is checked, so it does not warn.
    - ``unsafe_skip_issuer_controller_check``: accept a proof whose key is controlled by someone
      other than the issuer. Only for debugging; warns.
    """

    allowed_cryptosuites: frozenset[str] = frozenset(default_registry())
    clock_skew: timedelta = timedelta(minutes=5)
    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 64
    trusted_issuers: frozenset[str] | None = None
    allow_inline_contexts: bool = True
    allowed_jwt_algorithms: frozenset[str] = frozenset({"EdDSA", "ES256", "ES384", "RS256"})
    max_status_list_bytes: int = 16 * 1024 * 1024
    delegated_status_issuers: frozenset[str] = frozenset()
    foreign_status_list: Literal["invalid", "indeterminate"] = "invalid"
    require_held_related_resources: bool = False
    max_nesting: int = 4
    max_status_depth: int = 2
    max_canonicalization_work: int = DEFAULT_MAX_WORK
    max_canonicalization_quads: int = DEFAULT_MAX_QUADS
    max_proofs: int = 32
    max_credentials: int = 256
    max_status_entries: int = 16
    max_schemas: int = 16
    max_jwt_header_bytes: int = MAX_HEADER_BYTES
    max_jwt_header_members: int = MAX_HEADER_MEMBERS
    max_jwt_payload_bytes: int = MAX_PAYLOAD_BYTES
    allow_example_contexts: bool = False
    unsafe_skip_issuer_controller_check: bool = False

    def __post_init__(self) -> None:
        if self.clock_skew < timedelta(0):
            raise ValueError("clock_skew must not be negative")
        if self.max_bytes <= 0 or self.max_depth <= 0:
            raise ValueError("max_bytes and max_depth must be positive")
        for limit in (
            "max_status_list_bytes",
            "max_canonicalization_work",
            "max_canonicalization_quads",
            "max_proofs",
            "max_credentials",
            "max_status_entries",
            "max_schemas",
            "max_jwt_header_bytes",
            "max_jwt_header_members",
            "max_jwt_payload_bytes",
        ):
            if getattr(self, limit) <= 0:
                raise ValueError(f"{limit} must be positive")
        if self.max_nesting < 0 or self.max_status_depth < 0:
            raise ValueError("max_nesting and max_status_depth must not be negative")
        if self.foreign_status_list not in ("invalid", "indeterminate"):
            raise ValueError('foreign_status_list must be "invalid" or "indeterminate"')
        for item in dataclasses.fields(self):
            if item.name.startswith("unsafe_") and getattr(self, item.name):
                warnings.warn(
                    f"verification policy weakened: {item.name}=True",
                    UnsafePolicyWarning,
                    stacklevel=3,
                )

    @classmethod
    def default(cls) -> Policy:
        """The secure defaults."""
        return cls()

    def replace(self, **changes: Any) -> Policy:
        """A copy with ``changes`` applied (policies are immutable)."""
        return dataclasses.replace(self, **changes)
