"""The status step: every ``credentialStatus`` entry of a credential, checked without failing open.

For a ``BitstringStatusListEntry`` / ``StatusList2021Entry``:

1. the status list credential is fetched through the injected ``StatusFetcher`` (cached per
   URL by the verifier; ``status_list_unavailable`` when it cannot be had);
2. its ``id`` is the URL the entry names, its types are the list types of the entry's kind;
3. its issuer is the credential's issuer (or one of ``Policy.delegated_status_issuers``);
4. it is verified by the same verifier, as a credential (proof, contexts, validity period),
   one level deeper (the depth is bounded);
5. its ``statusPurpose`` is the entry's, its ``encodedList`` decodes safely (size cap, 16 KB
   minimum) and the entry's index is inside it;
6. the value decides: revocation/suspension set → INVALID (``revoked``/``suspended``), message
   → VALID with the message (``status_message``), refresh set → VALID (``status_refresh``).

For a ``1EdTechRevocationList`` entry the list of revoked credential ids is fetched the same way;
the credential is revoked when its ``id`` is listed (``revoked`` true or absent).

Anything that cannot be checked is INDETERMINATE with the reason, never VALID.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from vcbadge.errors import (
    InputError,
    ResolutionError,
    UnsupportedError,
    VcbadgeError,
)
from vcbadge.protocols import StatusFetcher
from vcbadge.status.bitstring import MIN_LIST_BITS, decode_status_list
from vcbadge.status.entries import (
    BitstringEntry,
    RevocationListEntry,
    parse_entries,
    parse_entry,
)
from vcbadge.verify.result import Check, Outcome, VerificationResult

if TYPE_CHECKING:
    from vcbadge.verify.pipeline import PipelineContext

__all__ = ["DEFAULT_MAX_STATUS_DEPTH", "ListVerifier", "StatusChecker"]

#: A credential (depth 0) may point to a status list (depth 1) whose own status entries point to
#: another list (depth 2); deeper than that is refused (INDETERMINATE), so a loop of lists that
#: point to each other ends.
DEFAULT_MAX_STATUS_DEPTH = 2

#: Verifies a fetched status list credential one level deeper: ``(document, depth)``.
ListVerifier = Callable[[Mapping[str, Any], int], VerificationResult]

_NAME = "status"


def _check(outcome: Outcome, code: str, message: str, path: str) -> Check:
    return Check(_NAME, outcome, code, message, path)


def _from_error(error: VcbadgeError, path: str) -> Check:
    outcome = (
        Outcome.INDETERMINATE
        if isinstance(error, (ResolutionError, UnsupportedError))
        else Outcome.INVALID
    )
    return _check(outcome, error.code, error.message, error.path or path)


def _issuer_id(document: Mapping[str, Any]) -> Any:
    issuer = document.get("issuer")
    return issuer.get("id") if isinstance(issuer, Mapping) else issuer


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class StatusChecker:
    """Checks ``credentialStatus`` entries; the pipeline's status step (``PipelineContext``).

    ``fetcher`` gets status lists (wrap it in ``CachingStatusFetcher`` to cache them);
    ``verify_list`` verifies a fetched list credential with the same verifier, one level deeper
    (``Verifier`` passes its own method).
    """

    def __init__(
        self,
        fetcher: StatusFetcher,
        verify_list: ListVerifier,
        *,
        max_depth: int = DEFAULT_MAX_STATUS_DEPTH,
    ) -> None:
        self.fetcher = fetcher
        self._verify_list = verify_list
        self._max_depth = max_depth

    def check(self, document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
        """One check per entry, in order (every entry, not just the first)."""
        for path, raw in parse_entries(document):
            try:
                entry = parse_entry(raw, path=path)
                if ctx.depth >= self._max_depth:
                    yield _check(
                        Outcome.INDETERMINATE,
                        "status_depth_exceeded",
                        f"status lists nest deeper than {self._max_depth} levels; "
                        "the status cannot be checked",
                        path,
                    )
                elif isinstance(entry, BitstringEntry):
                    yield self._bitstring(document, entry, ctx)
                else:
                    yield self._revocation_list(document, entry, ctx)
            except VcbadgeError as error:
                yield _from_error(error, path)
            except Exception as error:
                # Not an expected failure: vcbadge could not decide, so never VALID.
                yield _check(
                    Outcome.INDETERMINATE,
                    "internal_error",
                    f"{type(error).__name__}: {error}",
                    path,
                )

    # -- BitstringStatusList and StatusList2021 -------------------------------------------------

    def _bitstring(
        self, document: Mapping[str, Any], entry: BitstringEntry, ctx: PipelineContext
    ) -> Check:
        path = entry.path
        listing = self.fetcher.fetch(entry.list_url)
        if listing.get("id") != entry.list_url:
            return _check(
                Outcome.INVALID,
                "status_list_id_mismatch",
                f"the document served for {entry.list_url} has id {listing.get('id')!r}",
                f"{path}/statusListCredential",
            )
        if entry.list_credential_type not in _types(listing.get("type")):
            return _check(
                Outcome.INVALID,
                "status_list_type",
                f"{entry.list_url} is not a {entry.list_credential_type}",
                f"{path}/statusListCredential",
            )
        mismatch = self._issuer_mismatch(document, listing, entry.list_url, path, ctx)
        if mismatch is not None:
            return mismatch
        verified = self._verified(listing, entry.list_url, path, ctx)
        if verified is not None:
            return verified
        subject = listing.get("credentialSubject")
        if not isinstance(subject, Mapping) or entry.list_subject_type not in _types(
            subject.get("type")
        ):
            return _check(
                Outcome.INVALID,
                "status_list_type",
                f"the credentialSubject of {entry.list_url} is not a {entry.list_subject_type}",
                f"{path}/statusListCredential",
            )
        if entry.purpose not in _types(subject.get("statusPurpose")):
            return _check(
                Outcome.INVALID,
                "status_purpose_mismatch",
                f"the entry's statusPurpose is {entry.purpose!r}, the list {entry.list_url} is "
                f"for {subject.get('statusPurpose')!r}",
                f"{path}/statusPurpose",
            )
        try:
            bitstring = decode_status_list(
                subject.get("encodedList"),
                multibase=entry.multibase,
                max_bytes=ctx.policy.max_status_list_bytes,
                min_bits=MIN_LIST_BITS * entry.size,
                path=f"{path}/statusListCredential",
            )
            value = bitstring.value(entry.index, entry.size, path=f"{path}/statusListIndex")
        except InputError as error:
            return _check(
                Outcome.INVALID,
                error.code,
                f"status list {entry.list_url}: {error.message}",
                error.path or path,
            )
        return self._judge(entry, value)

    def _judge(self, entry: BitstringEntry, value: int) -> Check:
        where = f"{entry.list_url} index {entry.index}"
        message = entry.messages.get(value) if entry.messages else None
        said = f": {message}" if message else ""
        if entry.purpose == "revocation":
            if value:
                return _check(Outcome.INVALID, "revoked", f"revoked ({where}){said}", entry.path)
            return _check(Outcome.VALID, "ok", f"not revoked ({where})", entry.path)
        if entry.purpose == "suspension":
            if value:
                return _check(
                    Outcome.INVALID, "suspended", f"suspended ({where}){said}", entry.path
                )
            return _check(Outcome.VALID, "ok", f"not suspended ({where})", entry.path)
        if entry.purpose == "refresh":
            if value:
                return _check(
                    Outcome.VALID,
                    "status_refresh",
                    f"the issuer has an updated credential ({where}){said}",
                    entry.path,
                )
            return _check(Outcome.VALID, "ok", f"no refresh signalled ({where})", entry.path)
        # purpose "message": informational; the credential stays as valid as it otherwise is.
        text = message if message is not None else f"status 0x{value:x}"
        return _check(Outcome.VALID, "status_message", f"{text} ({where})", entry.path)

    # -- 1EdTech Revocation List ----------------------------------------------------------------

    def _revocation_list(
        self, document: Mapping[str, Any], entry: RevocationListEntry, ctx: PipelineContext
    ) -> Check:
        path = entry.path
        listing = self.fetcher.fetch(entry.list_url)
        if "issuer" in listing:
            mismatch = self._issuer_mismatch(document, listing, entry.list_url, path, ctx)
            if mismatch is not None:
                return mismatch
        if "proof" in listing:
            # A revocation list published as a signed credential is verified like one; the
            # method itself defines an unsigned JSON document served over HTTPS.
            verified = self._verified(listing, entry.list_url, path, ctx)
            if verified is not None:
                return verified
        revoked = listing.get("revokedCredentials")
        if not isinstance(revoked, list):
            return _check(
                Outcome.INVALID,
                "status_list_malformed",
                f"{entry.list_url} has no revokedCredentials array",
                f"{path}/id",
            )
        credential_id = document.get("id")
        if not isinstance(credential_id, str):
            return _check(
                Outcome.INDETERMINATE,
                "status_credential_id_missing",
                "the credential has no id, so a 1EdTech revocation list cannot name it",
                path,
            )
        for number, item in enumerate(revoked):
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                return _check(
                    Outcome.INVALID,
                    "status_list_malformed",
                    f"{entry.list_url}: revokedCredentials[{number}] is not an object with an id",
                    f"{path}/id",
                )
            flag = item.get("revoked", True)
            if not isinstance(flag, bool):
                return _check(
                    Outcome.INVALID,
                    "status_list_malformed",
                    f"{entry.list_url}: revokedCredentials[{number}].revoked is not a boolean",
                    f"{path}/id",
                )
            if item["id"] == credential_id and flag:
                reason = item.get("revocationReason")
                said = f": {reason}" if isinstance(reason, str) and reason else ""
                return _check(Outcome.INVALID, "revoked", f"revoked ({entry.list_url}){said}", path)
        return _check(Outcome.VALID, "ok", f"not revoked ({entry.list_url})", path)

    # -- shared ---------------------------------------------------------------------------------

    def _issuer_mismatch(
        self,
        document: Mapping[str, Any],
        listing: Mapping[str, Any],
        url: str,
        path: str,
        ctx: PipelineContext,
    ) -> Check | None:
        expected, found = _issuer_id(document), _issuer_id(listing)
        if found == expected or (
            isinstance(found, str) and found in ctx.policy.delegated_status_issuers
        ):
            return None
        outcome = (
            Outcome.INDETERMINATE
            if ctx.policy.foreign_status_list == "indeterminate"
            else Outcome.INVALID
        )
        return _check(
            outcome,
            "status_list_issuer_mismatch",
            f"the status list {url} is issued by {found!r}, not by the credential's issuer "
            f"{expected!r} (Policy.delegated_status_issuers accepts a delegated status service)",
            path,
        )

    def _verified(
        self, listing: Mapping[str, Any], url: str, path: str, ctx: PipelineContext
    ) -> Check | None:
        """None when the list credential verifies; otherwise the status check saying why."""
        result = self._verify_list(listing, ctx.depth + 1)
        if result.outcome is Outcome.VALID:
            return None
        failed = result.failed
        first = failed[0] if failed else None
        reason = f"{first.message} [{first.code}]" if first else "no check ran"
        if result.outcome is Outcome.INDETERMINATE:
            return _check(
                Outcome.INDETERMINATE,
                "status_list_unverifiable",
                f"the status list {url} could not be verified: {reason}",
                path,
            )
        invalid = [c for c in failed if c.outcome is Outcome.INVALID]
        if all(c.code in ("expired", "not_yet_valid") for c in invalid):
            # An outdated list says nothing about the status now: unknown, not "bad badge".
            return _check(
                Outcome.INDETERMINATE,
                "status_list_expired",
                f"the status list {url} is outside its validity period: {invalid[0].message}",
                path,
            )
        bad = invalid[0]
        return _check(
            Outcome.INVALID,
            "status_list_invalid",
            f"the status list {url} does not verify: {bad.message} [{bad.code}] at "
            f"{bad.path or '/'}",
            path,
        )
