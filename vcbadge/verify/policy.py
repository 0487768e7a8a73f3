"""Verification policy: explicit, immutable, secure by default.

Switches that weaken verification are named ``unsafe_…`` and emit ``UnsafePolicyWarning``
when set, so that a weakened verifier is visible in logs and in tests.
"""

from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

__all__ = ["Policy", "UnsafePolicyWarning"]


class UnsafePolicyWarning(UserWarning):
    """A policy switch that weakens verification was turned on."""


@dataclass(frozen=True)
class Policy:
    """What a verifier accepts.

    - ``allowed_cryptosuites``: suites a proof may use; a known suite outside this set is INVALID
      (``cryptosuite_not_allowed``), an unknown one INDETERMINATE (``unknown_cryptosuite``).
    - ``clock_skew``: tolerance for ``validFrom``, ``validUntil`` and proof ``created``.
    - ``max_bytes`` / ``max_depth``: limits on the received JSON.
    - ``trusted_issuers``: when given, an issuer outside it makes the result INVALID
      (``issuer_not_trusted``); when None, issuer trust is not judged.
    - ``allow_inline_contexts``: accept ``@context`` objects (not URLs) in credentials.
    - ``unsafe_skip_issuer_controller_check``: accept a proof whose key is controlled by someone
      other than the issuer. Only for debugging; warns.
    """

    allowed_cryptosuites: frozenset[str] = frozenset({"eddsa-rdfc-2022"})
    clock_skew: timedelta = timedelta(minutes=5)
    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 64
    trusted_issuers: frozenset[str] | None = None
    allow_inline_contexts: bool = False
    unsafe_skip_issuer_controller_check: bool = False

    def __post_init__(self) -> None:
        if self.clock_skew < timedelta(0):
            raise ValueError("clock_skew must not be negative")
        if self.max_bytes <= 0 or self.max_depth <= 0:
            raise ValueError("max_bytes and max_depth must be positive")
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
