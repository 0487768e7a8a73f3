"""XML Schema dateTimeStamp formatting and parsing (the only date forms proofs and VCs use)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

__all__ = ["format_datetime", "parse_datetime"]

# dateTimeStamp: a time zone is mandatory; fractional seconds optional.
_DATETIME = re.compile(
    r"^(?P<date>-?\d{4,}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?P<fraction>\.\d+)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})$"
)


def format_datetime(moment: datetime) -> str:
    """``2024-01-31T12:00:00Z``: UTC, whole seconds, as proofs and credentials carry it."""
    if moment.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required (vcbadge never guesses a zone)")
    utc = moment.astimezone(timezone.utc)
    # strftime's %Y does not zero-pad years below 1000 on every platform; the format must.
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


def parse_datetime(value: str) -> datetime:
    """Parse an XML Schema dateTimeStamp; a value without a time zone is refused."""
    match = _DATETIME.match(value)
    if match is None:
        raise ValueError(f"not an XML Schema dateTimeStamp with a time zone: {value!r}")
    fraction = (match["fraction"] or "")[:7].ljust(7, "0") if match["fraction"] else ""
    zone = "+00:00" if match["zone"] == "Z" else match["zone"]
    parsed = datetime.fromisoformat(f"{match['date']}T{match['time']}{fraction}{zone}")
    return parsed.astimezone(timezone.utc)
