"""Why a badge is not valid, in the words the banner uses: pure functions over a verification
result.

Each check that is not VALID gives one :class:`Reason`: its kind (revoked, suspended, expired,
not yet valid, forged, untrusted issuer, a nested credential that failed, could not be checked,
or another failed check), the date it concerns when the credential states one (the end of the
validity period for an expired badge, its start for one not yet valid), and what the issuer
said (a revocation or suspension reason given by the status list or revocation list).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from vcbadge.verify.result import Check, Outcome, VerificationResult

__all__ = ["FORGERY_CODES", "Reason", "ReasonKind", "reason_for", "reason_kind", "reasons"]


class ReasonKind(str, Enum):
    """What kind of failure a check is, as a person would put it."""

    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    FORGED = "forged"
    UNTRUSTED = "untrusted"
    NESTED = "nested"
    INDETERMINATE = "indeterminate"
    FAILED = "failed"


#: Codes meaning the credential is not what its issuer signed, or not signed by who it says.
FORGERY_CODES = frozenset(
    {
        "invalid_signature",
        "controller_mismatch",
        "document_id_mismatch",
        "key_type_mismatch",
        "key_algorithm_mismatch",
        "jwt_key_mismatch",
        "jwt_claim_mismatch",
        "ob2_hosted_mismatch",
        "sd_statement_signature_invalid",
        "sd_base_proof_mismatch",
        "sd_signature_count_mismatch",
    }
)
_KIND_BY_CODE = {
    "revoked": ReasonKind.REVOKED,
    "suspended": ReasonKind.SUSPENDED,
    "expired": ReasonKind.EXPIRED,
    "not_yet_valid": ReasonKind.NOT_YET_VALID,
    "issuer_not_trusted": ReasonKind.UNTRUSTED,
    **dict.fromkeys(FORGERY_CODES, ReasonKind.FORGED),
}
# Reasons that explain an outcome by themselves come first in the banner.
_ORDER = list(ReasonKind)


@dataclass(frozen=True, kw_only=True)
class Reason:
    """One reason the badge is not valid: ``check`` is the check it comes from, ``when`` the
    ISO date it concerns (None when the credential gives none), ``stated`` what the issuer said
    (a revocation reason), None when nothing."""

    kind: ReasonKind
    check: Check
    when: str | None = None
    stated: str | None = None


def reason_kind(check: Check) -> ReasonKind:
    """The kind of failure ``check`` (not VALID) is. A nested credential that failed is
    ``NESTED`` whatever its own code; otherwise an INDETERMINATE check is ``INDETERMINATE``
    and an INVALID one is named by its code (``FAILED`` for codes with no kind of their own)."""
    if check.name == "nested_credential":
        return ReasonKind.NESTED
    if check.outcome is Outcome.INDETERMINATE:
        return ReasonKind.INDETERMINATE
    return _KIND_BY_CODE.get(check.code, ReasonKind.FAILED)


def _member(document: Mapping[str, Any] | None, pointer: str) -> str | None:
    # Only a top-level member: the validity checks point at "/validUntil", "/expires"...
    if document is None or not pointer.startswith("/") or "/" in pointer[1:]:
        return None
    value = document.get(pointer[1:].replace("~1", "/").replace("~0", "~"))
    return value if isinstance(value, str) and value.strip() else None


def _stated(check: Check) -> str | None:
    # The status and revocation list checks end their message with ": <what the issuer said>"
    # when the list gives a reason ("revoked (https://list index 7): left the course").
    if ": " not in check.message:
        return None
    said = check.message.split(": ", 1)[1].strip()
    return said or None


def reason_for(check: Check, document: Mapping[str, Any] | None = None) -> Reason:
    """The reason ``check`` (not VALID) gives, with its date and stated reason from
    ``document`` (the verified credential) and the check's message when there are any."""
    kind = reason_kind(check)
    when = None
    stated = None
    if kind in (ReasonKind.EXPIRED, ReasonKind.NOT_YET_VALID):
        when = _member(document, check.path)
    elif kind in (ReasonKind.REVOKED, ReasonKind.SUSPENDED):
        stated = _stated(check)
    return Reason(kind=kind, check=check, when=when, stated=stated)


def reasons(
    result: VerificationResult, document: Mapping[str, Any] | None = None
) -> tuple[Reason, ...]:
    """Every reason ``result`` is not VALID, the deciding ones first: INVALID checks before
    INDETERMINATE ones, then in the order of :class:`ReasonKind` (revoked, suspended, expired,
    not yet valid, forged, untrusted, nested, indeterminate, other), then pipeline order."""
    found = [reason_for(check, document) for check in result.failed]
    return tuple(
        sorted(
            found,
            key=lambda reason: (
                reason.check.outcome is not Outcome.INVALID,
                _ORDER.index(reason.kind),
            ),
        )
    )
