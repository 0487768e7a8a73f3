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
