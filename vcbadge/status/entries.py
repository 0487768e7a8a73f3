"""``credentialStatus`` entries, read strictly into typed values (pure, no I/O).

Three types are understood:

- ``BitstringStatusListEntry`` (W3C Bitstring Status List v1.0 Recommendation): purposes
  ``revocation``, ``suspension``, ``refresh`` and ``message`` (``statusSize`` bits per entry,
  ``statusMessage`` naming every value);
- ``StatusList2021Entry`` (the 2021 draft older credentials carry): ``revocation`` and
  ``suspension``, one bit per entry, list value without multibase prefix;
- ``1EdTechRevocationList`` (1EdTech Revocation List Status Method, used by OB 3.0 / CLR 2.0):
  the entry's ``id`` is the URL of a list of revoked credential ids.

Anything else is ``UnsupportedError`` (``status_unsupported``): unknown means INDETERMINATE,
never "not revoked". A malformed entry of a known type is ``ModelError``
(``status_entry_invalid``): INVALID.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vcbadge._json import member_entries
from vcbadge.errors import ModelError, UnsupportedError

__all__ = [
    "BITSTRING_ENTRY",
    "REVOCATION_LIST_ENTRY",
    "STATUS_LIST_2021_ENTRY",
    "BitstringEntry",
    "RevocationListEntry",
    "StatusEntry",
    "parse_entries",
    "parse_entry",
]

BITSTRING_ENTRY = "BitstringStatusListEntry"
STATUS_LIST_2021_ENTRY = "StatusList2021Entry"
REVOCATION_LIST_ENTRY = "1EdTechRevocationList"

_PURPOSES = {
    BITSTRING_ENTRY: frozenset({"revocation", "suspension", "refresh", "message"}),
    STATUS_LIST_2021_ENTRY: frozenset({"revocation", "suspension"}),
}
_DIGITS = re.compile(r"^(0|[1-9][0-9]*)$")
_HEX_STATUS = re.compile(r"^0x[0-9a-fA-F]+$")
#: statusSize beyond this would need more than 256 statusMessage entries; no deployment does.
MAX_STATUS_SIZE = 8


@dataclass(frozen=True)
class BitstringEntry:
    """A BitstringStatusListEntry or StatusList2021Entry: entry ``index`` (``size`` bits) of the
    list published in the credential at ``list_url``."""

    type: str
    purpose: str
    index: int
    list_url: str
    size: int = 1
    messages: Mapping[int, str] | None = None
    path: str = ""

    @property
    def multibase(self) -> bool:
        """BitstringStatusList values carry the multibase ``u`` prefix; StatusList2021 not."""
        return self.type == BITSTRING_ENTRY

    @property
    def list_credential_type(self) -> str:
        return (
            "BitstringStatusListCredential"
            if self.type == BITSTRING_ENTRY
            else "StatusList2021Credential"
        )

    @property
    def list_subject_type(self) -> str:
        return "BitstringStatusList" if self.type == BITSTRING_ENTRY else "StatusList2021"


@dataclass(frozen=True)
class RevocationListEntry:
    """A 1EdTechRevocationList entry: the list of revoked credential ids is at ``list_url``."""

    list_url: str
    path: str = ""
    type: str = REVOCATION_LIST_ENTRY
    purpose: str = "revocation"


StatusEntry = BitstringEntry | RevocationListEntry


def parse_entries(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``(path, raw entry)`` for every ``credentialStatus`` entry (one object or an array)."""
    return member_entries(document, "credentialStatus")


def parse_entry(entry: Any, *, path: str) -> StatusEntry:
    """Read one ``credentialStatus`` entry strictly.

    Raises ``UnsupportedError`` (``status_unsupported``) for a type vcbadge does not implement
    and ``ModelError`` (``status_entry_invalid``) for a malformed entry of a known type.
    """
    if not isinstance(entry, Mapping):
        raise ModelError(
            "a credentialStatus entry must be an object", code="status_entry_invalid", path=path
        )
    kind = entry.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    known = [k for k in kinds if k in (BITSTRING_ENTRY, STATUS_LIST_2021_ENTRY)]
    if REVOCATION_LIST_ENTRY in kinds:
        return _revocation_list_entry(entry, path)
    if not known:
        raise UnsupportedError(
            f"status entries of type {kind!r} cannot be checked by vcbadge; "
            "the credential may be revoked",
            code="status_unsupported",
            path=f"{path}/type",
        )
    return _bitstring_entry(known[0], entry, path)


def _invalid(message: str, path: str) -> ModelError:
    return ModelError(message, code="status_entry_invalid", path=path)


def _url(value: Any, member: str, path: str) -> str:
    if not isinstance(value, str) or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value):
        raise _invalid(f"{member} must be an absolute URL", f"{path}/{member}")
    return value


def _revocation_list_entry(entry: Mapping[str, Any], path: str) -> RevocationListEntry:
    return RevocationListEntry(list_url=_url(entry.get("id"), "id", path), path=path)


def _bitstring_entry(kind: str, entry: Mapping[str, Any], path: str) -> BitstringEntry:
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str):
        raise _invalid("statusPurpose must be a string", f"{path}/statusPurpose")
    if purpose not in _PURPOSES[kind]:
        raise UnsupportedError(
            f"{kind} statusPurpose {purpose!r} is not one vcbadge can interpret",
            code="status_purpose_unsupported",
            path=f"{path}/statusPurpose",
        )
    index = _non_negative_integer(entry.get("statusListIndex"), f"{path}/statusListIndex")
    list_url = _url(entry.get("statusListCredential"), "statusListCredential", path)
    size = 1
    messages: dict[int, str] | None = None
    if kind == BITSTRING_ENTRY:
        if "statusSize" in entry:
            size = _non_negative_integer(entry["statusSize"], f"{path}/statusSize")
            if not 1 <= size <= MAX_STATUS_SIZE:
                raise _invalid(
                    f"statusSize must be between 1 and {MAX_STATUS_SIZE}", f"{path}/statusSize"
                )
        if purpose == "message" and size < 2:
            raise _invalid(
                "a 'message' status entry needs statusSize greater than 1", f"{path}/statusSize"
            )
        if "statusMessage" in entry or size > 1:
            messages = _messages(entry.get("statusMessage"), size, f"{path}/statusMessage")
    return BitstringEntry(
        type=kind,
        purpose=purpose,
        index=index,
        list_url=list_url,
        size=size,
        messages=messages,
        path=path,
    )


def _non_negative_integer(value: Any, path: str) -> int:
    # The Recommendation writes statusListIndex as a string of digits; 1EdTech's files use a
    # JSON number. Both are read; anything else (signs, spaces, fractions) is refused.
    if isinstance(value, bool):
        raise _invalid("must be a non-negative integer", path)
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, str) and _DIGITS.match(value) and len(value) <= 18:
        return int(value)
    raise _invalid(f"must be a non-negative integer (a string of digits), not {value!r}", path)


def _messages(value: Any, size: int, path: str) -> dict[int, str]:
    # The Recommendation: when statusSize > 1, statusMessage MUST be present and name every one
    # of the 2**statusSize values ({"status": "0x0", "message": "..."}).
    if not isinstance(value, list):
        raise _invalid("statusMessage must be an array (required when statusSize > 1)", path)
    messages: dict[int, str] = {}
    for number, item in enumerate(value):
        where = f"{path}/{number}"
        status = item.get("status") if isinstance(item, Mapping) else None
        message = item.get("message") if isinstance(item, Mapping) else None
        if not isinstance(status, str) or not _HEX_STATUS.match(status):
            raise _invalid('each statusMessage needs "status" as a hex string like "0x1"', where)
        if not isinstance(message, str):
            raise _invalid('each statusMessage needs a "message" string', where)
        code = int(status, 16)
        if code >= 2**size or code in messages:
            raise _invalid(f"status {status} is repeated or does not fit {size} bits", where)
        messages[code] = message
    if len(messages) != 2**size:
        raise _invalid(f"statusMessage must name all {2**size} values of a {size}-bit status", path)
    return messages
