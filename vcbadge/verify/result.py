"""The verification result: three outcomes and a list of named checks.

``INVALID`` means the credential is bad; ``INDETERMINATE`` means vcbadge could not decide (a key
or a status list could not be obtained, a cryptosuite is not implemented). A caller that only
wants "is it good?" uses ``bool(result)``, which is true only for ``VALID``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from vcbadge.errors import ResolutionError, VerificationError

__all__ = ["Check", "Outcome", "VerificationResult"]


class Outcome(str, Enum):
    VALID = "VALID"
    INVALID = "INVALID"
    INDETERMINATE = "INDETERMINATE"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Check:
    """One named step of the pipeline: ``code`` is a stable slug, ``path`` a JSON pointer."""

    name: str
    outcome: Outcome
    code: str
    message: str
    path: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "outcome": self.outcome.value,
            "code": self.code,
            "message": self.message,
            "path": self.path,
        }


@dataclass(frozen=True)
class VerificationResult:
    """What ``Verifier.verify`` returns; it never raises for a bad credential."""

    checks: tuple[Check, ...]
    document: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, checks: Iterable[Check], document: Any = None) -> VerificationResult:
        return cls(checks=tuple(checks), document=document)

    @property
    def outcome(self) -> Outcome:
        """INVALID if any check is INVALID, else INDETERMINATE if any is, else VALID.

        A result with no checks at all is INDETERMINATE: nothing was shown to be good.
        """
        outcomes = {check.outcome for check in self.checks}
        if Outcome.INVALID in outcomes:
            return Outcome.INVALID
        if Outcome.INDETERMINATE in outcomes or not self.checks:
            return Outcome.INDETERMINATE
        return Outcome.VALID

    @property
    def failed(self) -> tuple[Check, ...]:
        """The checks that are not VALID, in pipeline order."""
        return tuple(check for check in self.checks if check.outcome is not Outcome.VALID)

    def __bool__(self) -> bool:
        return self.outcome is Outcome.VALID

    def to_dict(self) -> dict[str, Any]:
        """The ``vcbadge verify --json`` shape."""
        return {
            "outcome": self.outcome.value,
            "checks": [check.to_dict() for check in self.checks],
        }

    def raise_for_outcome(self) -> None:
        """Raise ``VerificationError`` (INVALID) or ``ResolutionError`` (INDETERMINATE)."""
        outcome = self.outcome
        if outcome is Outcome.VALID:
            return
        first = self.failed[0] if self.failed else None
        message = first.message if first else "no check was run"
        code = first.code if first else "no_checks"
        path = first.path if first else ""
        if outcome is Outcome.INVALID:
            invalid = next(c for c in self.failed if c.outcome is Outcome.INVALID)
            raise VerificationError(invalid.message, code=invalid.code, path=invalid.path)
        raise ResolutionError(message, code=code, path=path)
