"""Issuing to a whole class: one credential per roster row, every row's outcome on its own.

A roster is CSV (a header row names the columns) or JSON Lines (one JSON object per line).
Each row names its recipient in exactly one of the columns ``email`` (lower-cased, then stored
only as a salted SHA-256 hash, a fresh salt per credential) or ``did`` (a DID, or any
absolute URI, written as the subject's ``id``), and carries a key in a column the caller
chooses (``id`` by default): the key is what makes a re-run safe, a row whose key was issued
before is skipped. Other columns are ignored.

The pipeline, pure and streaming (nothing here reads or writes files):

- :func:`parse_roster` turns the roster's text into :class:`RosterRow` s, or a
  :class:`BatchFailure` for a row that cannot be read;
- :func:`awards` turns rows into :class:`BatchItem` s (an unsigned ``AchievementCredential``
  of the template achievement, with a fresh ``urn:uuid:`` id), or failures (``missing_key``,
  ``missing_recipient``, ``invalid_email``...);
- ``Issuer.issue_many`` signs the items, yielding a :class:`BatchIssued`,
  :class:`BatchSkipped` or :class:`BatchFailure` per item, in order, failures passed through.

A failure describes one row (``line``, ``key``, ``code``, ``message``, ``path``) and never
stops the others.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from vcbadge.errors import InputError, ModelError
from vcbadge.model.achievement import Achievement
from vcbadge.model.base import OBModel
from vcbadge.model.credential import AchievementCredential

__all__ = [
    "DEFAULT_KEY_COLUMN",
    "DID_COLUMN",
    "EMAIL_COLUMN",
    "BatchFailure",
    "BatchIssued",
    "BatchItem",
    "BatchOutcome",
    "BatchSkipped",
    "RosterFormat",
    "RosterRow",
    "awards",
    "parse_roster",
]

RosterFormat = Literal["csv", "jsonl"]

#: The column that keys a row unless the caller names another.
DEFAULT_KEY_COLUMN = "id"
#: The recipient's email address (hashed into the credential, never written in clear).
EMAIL_COLUMN = "email"
#: The recipient's DID (or another absolute URI), the credential subject's ``id``.
DID_COLUMN = "did"

# Deliberately loose (addresses are checked by mail, not by syntax), but enough to catch a
# swapped column, a missing domain or stray spaces before an unreachable badge is signed.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


@dataclass(frozen=True, kw_only=True)
class RosterRow:
    """One row of a roster: its ``line`` in the file (1-based) and its ``values`` by column."""

    line: int
    values: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class BatchItem:
    """An unsigned credential to issue for the row keyed ``key`` (at ``line`` of the roster,
    when it came from one)."""

    key: str
    credential: OBModel | Mapping[str, Any]
    line: int | None = None


@dataclass(frozen=True, kw_only=True)
class BatchIssued:
    """The row keyed ``key`` was issued ``credential`` (signed)."""

    key: str
    credential: dict[str, Any]
    line: int | None = None

    @property
    def credential_id(self) -> str | None:
        """The credential's ``id`` (every credential made by :func:`awards` has one, as has
        every credential issued with a status store)."""
        identifier = self.credential.get("id")
        return identifier if isinstance(identifier, str) else None

    @property
    def status(self) -> list[dict[str, Any]]:
        """The credential's ``credentialStatus`` entries (none without a status store)."""
        entries = self.credential.get("credentialStatus")
        listed = [] if entries is None else entries if isinstance(entries, list) else [entries]
        return [dict(entry) for entry in listed if isinstance(entry, Mapping)]


@dataclass(frozen=True, kw_only=True)
class BatchSkipped:
    """The row keyed ``key`` was issued before (the caller said so): nothing was signed."""

    key: str
    line: int | None = None


@dataclass(frozen=True, kw_only=True)
class BatchFailure:
    """Why the row at ``line`` (keyed ``key``, when it had one) got no credential: a stable
    ``code``, a message for people, and the JSON pointer ``path`` of the problem in the
    credential when it has one."""

    code: str
    message: str
    key: str | None = None
    line: int | None = None
    path: str = field(default="")

    def describe(self) -> str:
        """One line: where, which row, what."""
        where = f"line {self.line}" if self.line is not None else "item"
        key = f" ({self.key})" if self.key else ""
        at = f" at {self.path}" if self.path else ""
        return f"{where}{key}: {self.message}{at} [{self.code}]"


BatchOutcome = BatchIssued | BatchSkipped | BatchFailure


def parse_roster(text: str, *, format: RosterFormat) -> Iterator[RosterRow | BatchFailure]:
    """The rows of a roster's ``text``, in order; a row that cannot be read is a
    ``BatchFailure`` (``roster_row_invalid``) and the next rows are still read.

    Raises ``InputError`` (``roster_invalid``) when the roster as a whole cannot be read: a
    CSV file without a header, or with a column named twice.
    """
    if format == "csv":
        return _csv_rows(text)
    if format == "jsonl":
        return _jsonl_rows(text)
    raise InputError(f"a roster is csv or jsonl, not {format!r}", code="roster_invalid")


def _csv_rows(text: str) -> Iterator[RosterRow | BatchFailure]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"the roster's header is not CSV: {exc}", code="roster_invalid") from exc
    columns = [name.strip() for name in header or []]
    if not columns or not any(columns):
        raise InputError("the roster has no header row naming its columns", code="roster_invalid")
    named = [name for name in columns if name]
    if len(set(named)) != len(named):
        twice = sorted({name for name in named if named.count(name) > 1})
        raise InputError(
            f"the roster's header names {', '.join(twice)} more than once", code="roster_invalid"
        )
    return _csv_body(reader, columns)


def _csv_body(reader: Any, columns: list[str]) -> Iterator[RosterRow | BatchFailure]:
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BatchFailure(code="roster_row_invalid", message=f"not CSV: {exc}", line=line)
            continue
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != len(columns):
            yield BatchFailure(
                code="roster_row_invalid",
                message=f"{len(cells)} cells where the header names {len(columns)} columns",
                line=line,
            )
            continue
        values = {name: cell.strip() for name, cell in zip(columns, cells, strict=True) if name}
        yield RosterRow(line=line, values=values)


def _jsonl_rows(text: str) -> Iterator[RosterRow | BatchFailure]:
    for line, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except ValueError as exc:
            yield BatchFailure(code="roster_row_invalid", message=f"not JSON: {exc}", line=line)
            continue
        if not isinstance(row, dict):
            yield BatchFailure(code="roster_row_invalid", message="not a JSON object", line=line)
            continue
        # Only strings (and whole numbers, for student numbers) are column values: anything
        # else in a column that is used is reported by awards() as that column missing.
        values = {
            str(name): str(value).strip()
            for name, value in row.items()
            if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
        }
        yield RosterRow(line=line, values=values)


def awards(
    rows: Iterable[RosterRow | BatchFailure],
    achievement: Achievement,
    *,
    key_column: str = DEFAULT_KEY_COLUMN,
) -> Iterator[BatchItem | BatchFailure]:
    """An unsigned ``AchievementCredential`` of ``achievement`` for each row, keyed by the
    row's ``key_column``; failures are passed through and a row that cannot become a
    credential is one (``missing_key``, ``missing_recipient``, ``recipient_ambiguous``,
    ``invalid_email``, ``invalid_did``, or the model's code)."""
    for row in rows:
        if isinstance(row, BatchFailure):
            yield row
            continue
        try:
            yield _award(row, achievement, key_column)
        except _RowError as error:
            yield BatchFailure(code=error.code, message=error.message, key=error.key, line=row.line)


class _RowError(Exception):
    def __init__(self, code: str, message: str, key: str | None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.key = key


def _award(row: RosterRow, achievement: Achievement, key_column: str) -> BatchItem:
    key = row.values.get(key_column, "")
    if not key:
        missing = "has no" if key_column not in row.values else "has an empty"
        raise _RowError("missing_key", f"the row {missing} {key_column!r} column", None)
    email = row.values.get(EMAIL_COLUMN, "")
    did = row.values.get(DID_COLUMN, "")
    if email and did:
        raise _RowError(
            "recipient_ambiguous",
            f"the row has both {EMAIL_COLUMN!r} and {DID_COLUMN!r}: give one recipient",
            key,
        )
    if not email and not did:
        raise _RowError(
            "missing_recipient",
            f"the row has neither an {EMAIL_COLUMN!r} nor a {DID_COLUMN!r} column value",
            key,
        )
    if email and not _EMAIL.match(email):
        raise _RowError("invalid_email", f"{email!r} is not an email address", key)
    if did and not _URI.match(did):
        raise _RowError("invalid_did", f"{did!r} is not a DID or an absolute URI", key)
    try:
        draft = AchievementCredential.award(
            achievement,
            recipient=did or None,
            # Lower-cased: address case is rarely significant, and a verifier asked about
            # "Ada@Example.edu" then finds the badge awarded to "ada@example.edu".
            recipient_email=email.lower() or None,
            id=f"urn:uuid:{uuid.uuid4()}",
        )
    except ModelError as error:
        raise _RowError(error.code, str(error), key) from error
    return BatchItem(key=key, credential=draft, line=row.line)
