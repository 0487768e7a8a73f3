"""The verification result: three outcomes and a list of named checks.

``INVALID`` means the credential is bad; ``INDETERMINATE`` means vcbadge could not decide (a key
or a status list could not be obtained, a cryptosuite is not implemented). A caller that only
wants "is it good?" uses ``bool(result)``, which is true only for ``VALID``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from vcbadge._lru import LruCache
from vcbadge.errors import (
    ControllerMismatch,
    InvalidSignature,
    PolicyViolation,
    ProofPurposeError,
    ResolutionError,
    Revoked,
    Suspended,
    UnsupportedError,
    ValidityPeriodError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.trust.answer import IssuerTrust

__all__ = ["Check", "Outcome", "VerificationResult"]


class Outcome(str, Enum):
    """The answer of a verification: ``VALID`` (every check passed), ``INVALID`` (a check
    found the credential bad) or ``INDETERMINATE`` (something needed to decide could not be
    obtained; never to be read as VALID)."""

    VALID = "VALID"
    INVALID = "INVALID"
    INDETERMINATE = "INDETERMINATE"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, kw_only=True)
class Check:
    """One named step of the pipeline: ``code`` is a stable slug, ``path`` a JSON pointer.

    Built with keyword arguments only (four of its fields are strings), or with
    :meth:`passed`, :meth:`invalid`, :meth:`indeterminate` and :meth:`from_error`.
    """

    name: str
    outcome: Outcome
    code: str
    message: str
    path: str = ""

    @classmethod
    def passed(cls, name: str, message: str, path: str = "", *, code: str = "ok") -> Check:
        """A VALID check (code ``ok``, or one that adds information such as
        ``status_message``)."""
        return cls(name=name, outcome=Outcome.VALID, code=code, message=message, path=path)

    @classmethod
    def invalid(cls, name: str, *, code: str, message: str, path: str = "") -> Check:
        """An INVALID check: the credential is bad."""
        return cls(name=name, outcome=Outcome.INVALID, code=code, message=message, path=path)

    @classmethod
    def indeterminate(cls, name: str, *, code: str, message: str, path: str = "") -> Check:
        """An INDETERMINATE check: vcbadge could not decide."""
        return cls(name=name, outcome=Outcome.INDETERMINATE, code=code, message=message, path=path)

    @classmethod
    def from_error(cls, name: str, error: VcbadgeError, *, path: str = "") -> Check:
        """The one mapping from an error to an outcome: a ``ResolutionError`` (something could
        not be obtained) or an ``UnsupportedError`` (vcbadge cannot check it) is INDETERMINATE,
        every other error INVALID. ``path`` is used when the error carries none."""
        outcome = (
            Outcome.INDETERMINATE
            if isinstance(error, (ResolutionError, UnsupportedError))
            else Outcome.INVALID
        )
        return cls(
            name=name,
            outcome=outcome,
            code=error.code,
            message=error.message,
            path=error.path or path,
        )

    def under(self, prefix: str) -> Check:
        """This check with ``prefix`` (a JSON pointer) put before its path."""
        return dataclasses.replace(self, path=prefix + self.path)

    def __reduce__(self) -> tuple[Any, tuple[str, str, str, str, str]]:
        # Five strings and one function reference: a batch sends every result back from a
        # worker pickled on its own, and the default form (the class, a state dict, an Enum
        # rebuilt through its metaclass) cost the caller more than the strings themselves.
        return _restore_check, (self.name, self.outcome.value, self.code, self.message, self.path)

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "outcome": self.outcome.value,
            "code": self.code,
            "message": self.message,
            "path": self.path,
        }


_OUTCOMES = {outcome.value: outcome for outcome in Outcome}


def _restore_check(name: str, outcome: str, code: str, message: str, path: str) -> Check:
    """A ``Check`` from its pickled form (:meth:`Check.__reduce__`): its fields set as
    unpickling sets any object's, not through the frozen ``__init__``."""
    check = object.__new__(Check)
    vars(check).update(name=name, outcome=_OUTCOMES[outcome], code=code, message=message, path=path)
    return check


# The checks of results restored lately, by their pickled form. A batch's results mostly carry
# the same checks (the same steps passed, the same issuer named in the same messages), and
# rebuilding them was most of the cost of reading a result back from a worker; checks are
# frozen, so results with equal checks may share one tuple of them.
_RESTORED_CHECKS: LruCache[tuple[str, ...], tuple[Check, ...]] = LruCache(256)


def _restore_result(
    fields: tuple[str, ...], document: Any, issuer_trust: IssuerTrust | None
) -> VerificationResult:
    """A ``VerificationResult`` from its pickled form (:meth:`VerificationResult.__reduce__`)."""
    checks = _RESTORED_CHECKS.get(fields)
    if checks is None:
        checks = tuple(
            _restore_check(*fields[start : start + 5]) for start in range(0, len(fields), 5)
        )
        _RESTORED_CHECKS.put(fields, checks)
    result = object.__new__(VerificationResult)
    vars(result).update(checks=checks, document=document, issuer_trust=issuer_trust)
    return result


@dataclass(frozen=True)
class VerificationResult:
    """What ``Verifier.verify`` returns; it never raises for a bad credential.

    ``outcome`` is integrity only; ``issuer_trust`` is the separate answer of who stands behind
    the issuer's name (:mod:`vcbadge.trust`), None when it was not assessed (a presentation,
    a result built by hand).
    """

    checks: tuple[Check, ...]
    document: Any = field(default=None, compare=False, repr=False)
    issuer_trust: IssuerTrust | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls,
        checks: Iterable[Check],
        document: Any = None,
        *,
        issuer_trust: IssuerTrust | None = None,
    ) -> VerificationResult:
        return cls(checks=tuple(checks), document=document, issuer_trust=issuer_trust)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # The checks as one flat tuple of strings (see ``Check.__reduce__``).
        fields = tuple(
            value
            for check in self.checks
            for value in (check.name, check.outcome.value, check.code, check.message, check.path)
        )
        return _restore_result, (fields, self.document, self.issuer_trust)

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
        """The ``vcbadge verify --json`` shape (``issuer_trust`` is null when not assessed)."""
        return {
            "outcome": self.outcome.value,
            "checks": [check.to_dict() for check in self.checks],
            "issuer_trust": self.issuer_trust.to_dict() if self.issuer_trust else None,
        }

    def raise_for_outcome(self) -> None:
        """Raise for anything but VALID, with the first deciding check's code and path.

        INVALID raises the ``VerificationError`` subclass its code names (``Revoked``,
        ``Suspended``, ``InvalidSignature``, ``ControllerMismatch``, ...; the base class for
        other codes); INDETERMINATE raises ``ResolutionError``.
        """
        outcome = self.outcome
        if outcome is Outcome.VALID:
            return
        if outcome is Outcome.INVALID:
            invalid = next(c for c in self.failed if c.outcome is Outcome.INVALID)
            error_class = _INVALID_ERRORS.get(invalid.code, VerificationError)
            raise error_class(invalid.message, code=invalid.code, path=invalid.path)
        first = self.failed[0] if self.failed else None
        if first is None:
            raise ResolutionError("no check was run", code="no_checks")
        raise ResolutionError(first.message, code=first.code, path=first.path)


#: The ``VerificationError`` subclass ``raise_for_outcome`` raises for an INVALID check's code.
_INVALID_ERRORS: dict[str, type[VerificationError]] = {
    "revoked": Revoked,
    "suspended": Suspended,
    "invalid_signature": InvalidSignature,
    "controller_mismatch": ControllerMismatch,
    "proof_purpose": ProofPurposeError,
    "expired": ValidityPeriodError,
    "not_yet_valid": ValidityPeriodError,
    "proof_expired": ValidityPeriodError,
    "proof_created_in_future": ValidityPeriodError,
    "cryptosuite_not_allowed": PolicyViolation,
    "issuer_not_trusted": PolicyViolation,
}
