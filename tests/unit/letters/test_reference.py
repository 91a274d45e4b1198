from __future__ import annotations

import pytest

from letters.errors import InvalidFieldError
from letters.model import Reference
from letters.reference import format_reference, next_reference, parse_reference


def test_first_reference_of_a_year_is_number_one():
    assert str(next_reference("STAP", 2026, None)) == "STAP/2026/0001"
    assert next_reference("STAP", 2026, 0) == Reference("STAP", 2026, 1)


def test_next_reference_counts_on_and_widens_past_9999():
    assert format_reference(next_reference("STAP", 2026, 41)) == "STAP/2026/0042"
    assert format_reference(next_reference("RIB", 2026, 9999)) == "RIB/2026/10000"


def test_parse_round_trips():
    assert parse_reference(" STAP/2026/0042 ") == Reference("STAP", 2026, 42)
    assert parse_reference(str(next_reference("RIB", 2026, 9999))).number == 10000


@pytest.mark.parametrize(("series", "year", "last", "field"), [
    ("stap", 2026, 1, "series"),
    ("STAP", 2026, -1, "reference"),
    ("STAP", 2026, 999_999, "reference"),
    ("STAP", 12, 1, "reference"),
    ("STAP", 2026, True, "reference"),
])
def test_bad_input_is_refused(series, year, last, field):
    with pytest.raises(InvalidFieldError) as err:
        next_reference(series, year, last)
    assert err.value.field == field


def test_parse_refuses_garbage():
    with pytest.raises(InvalidFieldError):
        parse_reference("STAP-2026-42")
