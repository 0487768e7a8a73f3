"""The status step's judgements: pure functions over a credential, one of its
``credentialStatus`` entries and the status list fetched for it. Fetching the list and
verifying it as a credential happen in :mod:`vcbadge.verify.dispatch` (the one place that
recurses); these functions decide, in this order:

1. :func:`list_mismatch`: the list's ``id`` is the URL the entry names, its types are the list
   types of the entry's kind, its issuer is the credential's issuer (or one of
   ``Policy.delegated_status_issuers``);
2. :func:`needs_verification` / :func:`list_verdict`: the list credential verified (by the
   same verifier, one level deeper) and what its result means for the status;
3. :func:`entry_status`: its ``statusPurpose`` is the entry's, its ``encodedList`` decodes
   safely (size cap, 16 KB minimum) and the entry's index is inside it; the value decides:
   revocation/suspension set → INVALID (``revoked``/``suspended``), message → VALID with the
   message (``status_message``), refresh set → VALID (``status_refresh``).

For a ``1EdTechRevocationList`` entry the credential is revoked when its ``id`` is listed in
``revokedCredentials`` (``revoked`` true or absent).

Anything that cannot be checked is INDETERMINATE with the reason, never VALID.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge.errors import InputError
from vcbadge.status.bitstring import MIN_LIST_BITS, decode_status_list
from vcbadge.status.entries import BitstringEntry, RevocationListEntry, StatusEntry
from vcbadge.vcdm import issuer_id, type_list
from vcbadge.verify.policy import Policy
from vcbadge.verify.result import Check, Outcome, VerificationResult

#: A JSON object as parsed.
JsonMap = Mapping[str, Any]

__all__ = [
    "STATUS_CHECK",
    "entry_status",
    "list_mismatch",
    "list_verdict",
    "needs_verification",
]

#: The name of every check the status step produces.
STATUS_CHECK = "status"


def list_mismatch(
    document: Mapping[str, Any], entry: StatusEntry, listing: Mapping[str, Any], policy: Policy
) -> Check | None:
    """The check that refuses ``listing`` for ``entry`` (wrong id, type or issuer), or None."""
    path = entry.path
    if isinstance(entry, RevocationListEntry):
        if "issuer" in listing:
            return _issuer_mismatch(document, listing, entry, policy)
        return None
    return _first_refusal(
        (
            listing.get("id") != entry.list_url,
            "status_list_id_mismatch",
            f"the document served for {entry.list_url} has id {listing.get('id')!r}",
            f"{path}/statusListCredential",
        ),
        (
            entry.list_credential_type not in type_list(listing.get("type")),
            "status_list_type",
            f"{entry.list_url} is not a {entry.list_credential_type}",
            f"{path}/statusListCredential",
        ),
    ) or _issuer_mismatch(document, listing, entry, policy)


def needs_verification(entry: StatusEntry, listing: Mapping[str, Any]) -> bool:
    """Whether ``listing`` must verify as a credential: always for a status list credential;
    for a 1EdTech revocation list only when it is published as a signed credential (the method
    itself defines an unsigned JSON document served over HTTPS)."""
    return isinstance(entry, BitstringEntry) or "proof" in listing


def list_verdict(result: VerificationResult, url: str, path: str) -> Check | None:
    """None when the list credential verified (``result``); otherwise the status check saying
    why the status cannot be read from it."""
    if result.outcome is Outcome.VALID:
        return None
    failed = result.failed
    first = failed[0] if failed else None
    reason = f"{first.message} [{first.code}]" if first else "no check ran"
    if result.outcome is Outcome.INDETERMINATE:
        return Check.indeterminate(
            STATUS_CHECK,
            code="status_list_unverifiable",
            message=f"the status list {url} could not be verified: {reason}",
            path=path,
        )
    invalid = [c for c in failed if c.outcome is Outcome.INVALID]
    if all(c.code in ("expired", "not_yet_valid") for c in invalid):
        # An outdated list says nothing about the status now: unknown, not "bad badge".
        return Check.indeterminate(
            STATUS_CHECK,
            code="status_list_expired",
            message=f"the status list {url} is outside its validity period: {invalid[0].message}",
            path=path,
        )
    bad = invalid[0]
    return Check.invalid(
        STATUS_CHECK,
        code="status_list_invalid",
        message=(
            f"the status list {url} does not verify: {bad.message} [{bad.code}] at "
            f"{bad.path or '/'}"
        ),
        path=path,
    )


def entry_status(
    document: Mapping[str, Any], entry: StatusEntry, listing: Mapping[str, Any], policy: Policy
) -> Check:
    """What ``listing`` (already matched and verified) says of the credential's status."""
    if isinstance(entry, BitstringEntry):
        return _bitstring_status(entry, listing, policy)
    return _revocation_list_status(document, entry, listing)


def _bitstring_status(entry: BitstringEntry, listing: Mapping[str, Any], policy: Policy) -> Check:
    path = entry.path
    subject = listing.get("credentialSubject")
    subject = subject if isinstance(subject, Mapping) else {}
    refused = _first_refusal(
        (
            entry.list_subject_type not in type_list(subject.get("type")),
            "status_list_type",
            f"the credentialSubject of {entry.list_url} is not a {entry.list_subject_type}",
            f"{path}/statusListCredential",
        ),
        (
            entry.purpose not in type_list(subject.get("statusPurpose")),
            "status_purpose_mismatch",
            f"the entry's statusPurpose is {entry.purpose!r}, the list {entry.list_url} is "
            f"for {subject.get('statusPurpose')!r}",
            f"{path}/statusPurpose",
        ),
    )
    if refused is not None:
        return refused
    try:
        bitstring = decode_status_list(
            subject.get("encodedList"),
            multibase=entry.multibase,
            max_bytes=policy.max_status_list_bytes,
            min_bits=MIN_LIST_BITS * entry.size,
            path=f"{path}/statusListCredential",
        )
        value = bitstring.value(entry.index, entry.size, path=f"{path}/statusListIndex")
    except InputError as error:
        return Check.invalid(
            STATUS_CHECK,
            code=error.code,
            message=f"status list {entry.list_url}: {error.message}",
            path=error.path or path,
        )
    return _judge(entry, value)


def _judge(entry: BitstringEntry, value: int) -> Check:
    where = f"{entry.list_url} index {entry.index}"
    message = entry.messages.get(value) if entry.messages else None
    said = f": {message}" if message else ""
    if entry.purpose == "revocation":
        if value:
            return Check.invalid(
                STATUS_CHECK, code="revoked", message=f"revoked ({where}){said}", path=entry.path
            )
        return Check.passed(STATUS_CHECK, f"not revoked ({where})", entry.path, code="ok")
    if entry.purpose == "suspension":
        if value:
            return Check.invalid(
                STATUS_CHECK,
                code="suspended",
                message=f"suspended ({where}){said}",
                path=entry.path,
            )
        return Check.passed(STATUS_CHECK, f"not suspended ({where})", entry.path, code="ok")
    if entry.purpose == "refresh":
        if value:
            return Check.passed(
                STATUS_CHECK,
                f"the issuer has an updated credential ({where}){said}",
                entry.path,
                code="status_refresh",
            )
        return Check.passed(STATUS_CHECK, f"no refresh signalled ({where})", entry.path, code="ok")
    # purpose "message": informational; the credential stays as valid as it otherwise is.
    text = message if message is not None else f"status 0x{value:x}"
    return Check.passed(STATUS_CHECK, f"{text} ({where})", entry.path, code="status_message")


def _revocation_list_status(
    document: Mapping[str, Any], entry: RevocationListEntry, listing: Mapping[str, Any]
) -> Check:
    path = entry.path
    revoked = listing.get("revokedCredentials")
    if not isinstance(revoked, list):
        return Check.invalid(
            STATUS_CHECK,
            code="status_list_malformed",
            message=f"{entry.list_url} has no revokedCredentials array",
            path=f"{path}/id",
        )
    credential_id = document.get("id")
    if not isinstance(credential_id, str):
        return Check.indeterminate(
            STATUS_CHECK,
            code="status_credential_id_missing",
            message="the credential has no id, so a 1EdTech revocation list cannot name it",
            path=path,
        )
    for number, item in enumerate(revoked):
        where = f"{entry.list_url}: revokedCredentials[{number}]"
        listed = item if isinstance(item, Mapping) else {}
        refused = _first_refusal(
            (
                not isinstance(listed.get("id"), str),
                "status_list_malformed",
                f"{where} is not an object with an id",
                f"{path}/id",
            ),
            (
                not isinstance(listed.get("revoked", True), bool),
                "status_list_malformed",
                f"{where}.revoked is not a boolean",
                f"{path}/id",
            ),
        )
        if refused is not None:
            return refused
        flag = listed.get("revoked", True)
        if listed["id"] == credential_id and flag:
            reason = listed.get("revocationReason")
            said = f": {reason}" if isinstance(reason, str) and reason else ""
            return Check.invalid(
                STATUS_CHECK, code="revoked", message=f"revoked ({entry.list_url}){said}", path=path
            )
    return Check.passed(STATUS_CHECK, f"not revoked ({entry.list_url})", path, code="ok")


def _first_refusal(*rules: tuple[bool, str, str, str]) -> Check | None:
    """The INVALID status check of the first rule that is broken: ``(broken, code, message,
    path)``; None when none is."""
    for broken, code, message, path in rules:
        if broken:
            return Check.invalid(STATUS_CHECK, code=code, message=message, path=path)
    return None


def _issuer_mismatch(
    document: JsonMap, listing: JsonMap, entry: StatusEntry, policy: Policy
) -> Check | None:
    expected, found = issuer_id(document), issuer_id(listing)
    if found == expected or (isinstance(found, str) and found in policy.delegated_status_issuers):
        return None
    outcome = (
        Outcome.INDETERMINATE if policy.foreign_status_list == "indeterminate" else Outcome.INVALID
    )
    return Check(
        name=STATUS_CHECK,
        outcome=outcome,
        code="status_list_issuer_mismatch",
        message=f"the status list {entry.list_url} is issued by {found!r}, not by the "
        f"credential's issuer {expected!r} (Policy.delegated_status_issuers accepts a delegated "
        "status service)",
        path=entry.path,
    )
