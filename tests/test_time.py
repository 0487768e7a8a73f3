"""dateTimeStamp formatting and parsing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vcbadge._time import format_datetime, parse_datetime


@given(st.datetimes(min_value=datetime(1, 1, 2), timezones=st.just(timezone.utc)))
def test_format_then_parse_round_trips_whole_seconds(moment: datetime) -> None:
    assert parse_datetime(format_datetime(moment)) == moment.replace(microsecond=0)


def test_small_years_are_zero_padded() -> None:
    assert format_datetime(datetime(999, 1, 1, tzinfo=timezone.utc)) == "0999-01-01T00:00:00Z"


def test_zone_offsets_and_fractions() -> None:
    assert parse_datetime("2025-03-01T12:00:00.5+02:00") == datetime(
        2025, 3, 1, 10, 0, 0, 500000, tzinfo=timezone.utc
    )
    assert format_datetime(datetime(2025, 3, 1, 12, tzinfo=timezone(timedelta(hours=-5)))) == (
        "2025-03-01T17:00:00Z"
    )


@pytest.mark.parametrize("value", ["2025-03-01", "2025-03-01T12:00:00", "yesterday", ""])
def test_values_without_a_zone_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="dateTimeStamp"):
        parse_datetime(value)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_datetime(datetime(2025, 3, 1))
