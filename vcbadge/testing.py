"""Public test doubles for vcbadge users' own tests (and vcbadge's)."""

from __future__ import annotations

from vcbadge.clock import FixedClock
from vcbadge.resolve.static import StaticResolver

__all__ = ["FixedClock", "StaticResolver"]
