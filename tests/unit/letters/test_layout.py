from __future__ import annotations

import pytest

from letters.errors import InvalidFieldError
from letters.layout import MAX_COLUMNS, column_widths, numeric_columns
from letters.model import Table


def test_numeric_columns_include_amounts_and_suppressed_counts():
    table = Table(("Wijk", "Aantal", "Bedrag", "Opmerking"),
                  (("Oost", "< 5", "€ 1.250,00", "x"), ("West", "x", "€ 5,00", "ok"), ("Zuid", "12", "", "")))
    assert numeric_columns(table) == [False, True, True, False]


def test_column_widths_fill_the_width_and_keep_every_column_usable():
    word = "Zorgverzekeringsmaatschappij" * 4
    table = Table(("A", "B", "C"), ((word, "1", "2"),))
    widths = column_widths(table, 450.0)
    assert sum(widths) == pytest.approx(450.0)
    assert min(widths) >= 450.0 / 3 / 2 - 1e-6


def test_too_many_columns_are_refused():
    table = Table(tuple(str(i) for i in range(MAX_COLUMNS + 1)), ())
    with pytest.raises(InvalidFieldError):
        column_widths(table, 450.0)
