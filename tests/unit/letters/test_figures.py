from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letters.errors import InvalidFieldError
from letters.figures import HIDDEN, count_table, suppress, suppress_row, zrm_comparison


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5"), (120, "120")])
def test_suppress_hides_small_counts_but_shows_zero(count, shown):
    assert suppress(count) == shown


def test_suppress_threshold_is_configurable():
    assert suppress(9, threshold=10) == "< 10"
    assert suppress(1, threshold=1) == "1"


@pytest.mark.parametrize("bad", [-1, 2.0, True, "3"])
def test_suppress_refuses_what_is_not_a_count(bad):
    with pytest.raises(InvalidFieldError) as err:
        suppress(bad)
    assert err.value.field == "counts"


def test_a_lone_small_cell_gets_a_complementary_cell():
    shown, total = suppress_row({"Nijmegen-Oost": 3, "Centrum": 0, "Dukenburg": 20, "Lindenholt": 31})
    assert shown == {"Nijmegen-Oost": "< 5", "Centrum": "0", "Dukenburg": HIDDEN, "Lindenholt": "31"}
    assert total == "54"


def test_small_cells_that_must_all_be_one_are_protected():
    shown, total = suppress_row({"a": 1, "b": 1, "c": 40})
    assert shown == {"a": "< 5", "b": "< 5", "c": HIDDEN}
    assert total == "42"


def test_a_complementary_cell_at_the_threshold_is_not_enough():
    # a + c = 6 with a in 1..4 and c >= 5 would give c = 5 and a = 1: hide one more cell.
    shown, _ = suppress_row({"a": 1, "c": 5, "d": 100})
    assert shown == {"a": "< 5", "c": HIDDEN, "d": HIDDEN}


def test_total_is_hidden_when_no_cell_can_protect():
    assert suppress_row({"a": 3, "b": 0}) == ({"a": "< 5", "b": "0"}, "< 5")
    assert suppress_row({"a": 7, "b": 8}) == ({"a": "7", "b": "8"}, "15")


def _possible_values(shown: list[str], total: str, threshold: int, limit: int) -> list[set[int]]:
    """Brute force: every value each cell can take given only what is published."""
    ranges = []
    for text in shown:
        if text == HIDDEN:
            ranges.append(range(threshold, limit + 1))
        elif text.startswith("<"):
            ranges.append(range(1, threshold))
        else:
            ranges.append(range(int(text), int(text) + 1))
    possible: list[set[int]] = [set() for _ in shown]
    for combo in itertools.product(*ranges):
        if total.isdigit() and sum(combo) != int(total):
            continue
        for i, value in enumerate(combo):
            possible[i].add(value)
    return possible


@settings(max_examples=150, deadline=None)
@given(counts=st.lists(st.integers(0, 9), min_size=1, max_size=3), threshold=st.integers(3, 5))
def test_no_suppressed_count_can_be_computed_back(counts, threshold):
    row = {f"c{i}": n for i, n in enumerate(counts)}
    shown, total = suppress_row(row, threshold)
    assert total == str(sum(counts)) or total in {HIDDEN, f"< {threshold}"}
    limit = sum(counts)
    possible = _possible_values(list(shown.values()), total, threshold, limit)
    for (key, value), text, options in zip(row.items(), shown.values(), possible, strict=True):
        assert value in options, key
        if text != str(value):
            assert len(options) >= 2, f"{key}={value} can be computed back from {shown}, total {total}"
        if 0 < value < threshold:
            assert text == f"< {threshold}"


def test_count_table_has_a_total_row_and_explains_suppression():
    table = count_table("Cliënten per wijk", {"Oost": 3, "West": 12, "Zuid": 30}, language="nl")
    assert table.columns == ("Categorie", "Aantal")
    assert table.rows == (("Oost", "< 5"), ("West", HIDDEN), ("Zuid", "30"))
    assert table.footer_rows == (("Totaal", "45"),)
    assert table.caption.startswith("Cliënten per wijk")
    assert "niet getoond" in table.caption


def test_count_table_without_small_numbers_has_a_plain_caption():
    table = count_table("Clients", {"East": 13, "West": 12}, language="en", category_label="District")
    assert table.columns == ("District", "Count")
    assert table.caption == "Clients"


def test_zrm_comparison_hides_averages_of_small_groups():
    first = {"housing": [1, 2, 2, 1, 3], "finances": [2, 2, 3], "justice": [1, 1, 1, 1, 1, 2]}
    latest = {"housing": [3, 3, 2, 2, 4], "finances": [3, 3, 3], "justice": [2, 2, 2, 2, 2, 2]}
    table, chart = zrm_comparison(first, latest)
    rows = {row[0]: row[1:] for row in table.rows}
    assert list(rows) == ["Financiën", "Huisvesting", "Justitie"]  # ZRM order, not input order
    assert rows["Huisvesting"] == ("5", "1,8", "5", "2,8", "+1,0")
    assert rows["Financiën"] == ("< 5", "–", "< 5", "–", "–")
    assert rows["Justitie"] == ("6", "1,2", "6", "2,0", "+0,8")
    assert chart is not None
    assert chart.categories == ("Huisvesting", "Justitie")  # never a bar for a hidden average
    assert chart.series[0][1] == pytest.approx((1.8, 1.1667), abs=1e-3)
    assert chart.y_max == 5


def test_zrm_comparison_in_english_and_without_any_shown_average():
    table, chart = zrm_comparison({"media": [2]}, {"media": [3]}, language="en")
    assert table.columns[0] == "Life domain"
    assert table.rows == (("Media", "< 5", "–", "< 5", "–", "–"),)
    assert chart is None


@pytest.mark.parametrize(("first", "field"), [({"hobbies": [1]}, "first"), ({"housing": [6]}, "first")])
def test_zrm_comparison_refuses_bad_scores(first, field):
    with pytest.raises(InvalidFieldError) as err:
        zrm_comparison(first, {})
    assert err.value.field == field
