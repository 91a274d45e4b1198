from __future__ import annotations

from decimal import Decimal

import pytest

from letters.errors import InvalidFieldError
from letters.money import format_money, format_number, format_percentage, parse_decimal


@pytest.mark.parametrize(("typed", "value"), [
    ("1.250,50", Decimal("1250.50")), ("1250.50", Decimal("1250.50")), ("€ 95", Decimal("95")),
    ("1,5", Decimal("1.5")), (" 12 ", Decimal("12")), (3, Decimal("3")), (Decimal("2.5"), Decimal("2.5")),
])
def test_parse_decimal_accepts_dutch_and_plain_numbers(typed, value):
    assert parse_decimal(typed) == value


@pytest.mark.parametrize("typed", ["abc", "NaN", "Infinity", "1,2,3", "1.250", 1.5, None, True, Decimal("NaN")])
def test_parse_decimal_refuses_non_numbers_floats_and_ambiguity(typed):
    with pytest.raises(InvalidFieldError) as err:
        parse_decimal(typed, "budget")
    assert err.value.field == "budget"


def test_formatting():
    assert format_money(Decimal("1234567.555")) == "€ 1.234.567,56"
    assert format_money(Decimal("1234.5"), "en") == "€1,234.50"
    assert format_money(Decimal("-5")) == "-€ 5,00"
    assert format_number(Decimal("1200")) == "1.200"
    assert format_number(Decimal("1.50")) == "1,5"
    assert format_percentage(Decimal("0.21")) == "21%"
    assert format_percentage(Decimal("0.095")) == "9,5%"
