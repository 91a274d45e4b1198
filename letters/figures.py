"""Aggregate figures for council letters and evaluations, with small numbers suppressed.

No person may be singled out from a published figure (AVG/GDPR; CBS practice):

* A count from 1 to threshold-1 is shown as '< 5' (primary suppression).
* Zero is shown as '0'. That nobody is in a category discloses nothing about a person, and
  hiding zeros would make the tables unreadable.
* A count must not be derivable from a total either (complementary suppression). When the
  total and the other cells would pin down a suppressed cell (one '< 5' cell; or '< 5' cells
  that must all be 1), the smallest other cells are hidden as 'x' until none can be computed
  back; if that is impossible the total is hidden. A total below the threshold is '< 5' itself.
* An average is only shown when at least `threshold` people were measured; otherwise '–'.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from statistics import fmean

from letters.errors import InvalidFieldError
from letters.model import Chart, Table
from letters.vocab import LIFE_DOMAINS, check_domain, check_language, check_zrm_score, domain_label

#: Marker of a cell hidden only so that a suppressed cell cannot be computed back.
HIDDEN = "x"
#: Marker of an average of too few people.
NO_AVERAGE = "–"

_TEXT = {
    "nl": {
        "category": "Categorie",
        "count": "Aantal",
        "total": "Totaal",
        "suppressed": "Aantallen kleiner dan {t} worden niet getoond (< {t}); "
        "'x' is niet getoond om terugrekenen te voorkomen.",
        "domain": "Levensdomein",
        "n_first": "Aantal (eerste)",
        "avg_first": "Gemiddelde (eerste)",
        "n_latest": "Aantal (laatste)",
        "avg_latest": "Gemiddelde (laatste)",
        "difference": "Verschil",
        "first": "Eerste meting",
        "latest": "Laatste meting",
        "zrm_title": "Gemiddelde ZRM-score per levensdomein, eerste en laatste meting",
        "zrm_note": "Gemiddelden over minder dan {t} personen worden niet getoond (–).",
        "score_axis": "Gemiddelde score (1-5)",
    },
    "en": {
        "category": "Category",
        "count": "Count",
        "total": "Total",
        "suppressed": "Counts below {t} are not shown (< {t}); 'x' is hidden so that they cannot be computed back.",
        "domain": "Life domain",
        "n_first": "Count (first)",
        "avg_first": "Average (first)",
        "n_latest": "Count (latest)",
        "avg_latest": "Average (latest)",
        "difference": "Difference",
        "first": "First measurement",
        "latest": "Latest measurement",
        "zrm_title": "Average ZRM score per life domain, first and latest measurement",
        "zrm_note": "Averages over fewer than {t} people are not shown (–).",
        "score_axis": "Average score (1-5)",
    },
}


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise InvalidFieldError("threshold", "the threshold is a whole number of at least 1")


def _check_count(count: int) -> None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidFieldError("counts", f"a count is a whole number of at least 0, not {count!r}")


def suppress(count: int, threshold: int = 5) -> str:
    """A single count as it may be published: '0', '< 5' for 1-4, the number from 5 up.

    :raise InvalidFieldError: ('counts') for a negative or non-integer count, ('threshold') for
        a threshold below 1.
    """
    _check_threshold(threshold)
    _check_count(count)
    if 0 < count < threshold:
        return f"< {threshold}"
    return str(count)


def suppress_row(counts: Mapping[str, int], threshold: int = 5) -> tuple[dict[str, str], str]:
    """A row of counts and its total as they may be published, with complementary suppression.

    A reader knows that a '< 5' cell holds 1-4, that an 'x' cell holds at least 5, and the
    total. Cells are hidden as 'x', smallest first, until no hidden cell can be computed back
    from those facts; if that cannot be reached, the total is hidden as well. (With a threshold
    of 2, '< 2' means exactly 1: use 3 or more.)

    Returns the shown value per key (same order) and the shown total.

    :raise InvalidFieldError: ('counts', 'threshold') as for `suppress`.
    """
    _check_threshold(threshold)
    for value in counts.values():
        _check_count(value)
    shown = {key: suppress(value, threshold) for key, value in counts.items()}
    total = sum(counts.values())
    shown_total = suppress(total, threshold)
    if shown_total != str(total):
        return shown, shown_total  # no total to compute back from
    candidates = sorted((value, i, key) for i, (key, value) in enumerate(counts.items()) if value >= threshold)
    while _derivable(counts, shown, threshold):
        if not candidates:
            return shown, HIDDEN
        shown[candidates.pop(0)[2]] = HIDDEN
    return shown, shown_total


def _derivable(counts: Mapping[str, int], shown: Mapping[str, str], threshold: int) -> bool:
    """Whether the total and the shown cells pin down the exact value of a hidden cell."""
    hidden = [key for key, text in shown.items() if text != str(counts[key])]
    if not hidden:
        return False
    remaining = sum(counts[key] for key in hidden)
    bounds = [(1, threshold - 1) if shown[key] != HIDDEN else (threshold, math.inf) for key in hidden]
    low_sum = sum(low for low, _ in bounds)
    high_sum = sum(high for _, high in bounds)
    for low, high in bounds:
        lowest = max(low, remaining - (high_sum - high))
        highest = min(high, remaining - (low_sum - low))
        if lowest == highest:
            return True
    return False


def count_table(title: str, counts: Mapping[str, int], threshold: int = 5, *, language: str = "nl",
                category_label: str = "") -> Table:
    """A two-column table of counts per category with a total row, small numbers suppressed.

    :raise InvalidFieldError: ('counts', 'threshold', 'language').
    """
    text = _TEXT[check_language(language)]
    shown, shown_total = suppress_row(counts, threshold)
    caption = title
    if any(value in {HIDDEN, f"< {threshold}"} for value in (*shown.values(), shown_total)):
        stop = "" if not title or title.rstrip()[-1] in ".:;!?" else "."
        caption = f"{title.rstrip()}{stop} {text['suppressed'].format(t=threshold)}".strip()
    return Table(
        columns=(category_label or text["category"], text["count"]),
        rows=tuple((key, value) for key, value in shown.items()),
        footer_rows=((text["total"], shown_total),),
        caption=caption,
    )


def _average(scores: Sequence[int], threshold: int) -> float | None:
    return fmean(scores) if len(scores) >= threshold else None


def _number(value: float, language: str, *, sign: bool = False) -> str:
    text = f"{value:+.1f}" if sign else f"{value:.1f}"
    return text.replace(".", ",") if language == "nl" else text


def _check_scores(measurements: Mapping[str, Sequence[int]], field: str) -> None:
    for domain, scores in measurements.items():
        check_domain(domain, field)
        for score in scores:
            check_zrm_score(score, field)


def zrm_comparison(first: Mapping[str, Sequence[int]], latest: Mapping[str, Sequence[int]], threshold: int = 5,
                   *, language: str = "nl") -> tuple[Table, Chart | None]:
    """Average ZRM score per life domain at the first and at the latest measurement.

    `first` and `latest` map a life-domain code to the scores (1-5) of the people measured.
    Counts below the threshold are shown as '< 5' and their averages as '–'. The chart holds
    only the domains with both averages shown; it is None when there is no such domain.

    :raise InvalidFieldError: ('first'/'latest') for an unknown domain or a score outside 1-5,
        ('threshold', 'language').
    """
    _check_threshold(threshold)
    text = _TEXT[check_language(language)]
    _check_scores(first, "first")
    _check_scores(latest, "latest")
    rows: list[tuple[str, ...]] = []
    chart_rows: list[tuple[str, float, float]] = []
    for code, _, _ in LIFE_DOMAINS:
        if code not in first and code not in latest:
            continue
        before, after = list(first.get(code, ())), list(latest.get(code, ()))
        avg_before, avg_after = _average(before, threshold), _average(after, threshold)
        label = domain_label(code, language)
        difference = NO_AVERAGE
        if avg_before is not None and avg_after is not None:
            difference = _number(round(avg_after, 1) - round(avg_before, 1), language, sign=True)
            chart_rows.append((label, avg_before, avg_after))
        rows.append((
            label,
            suppress(len(before), threshold),
            NO_AVERAGE if avg_before is None else _number(avg_before, language),
            suppress(len(after), threshold),
            NO_AVERAGE if avg_after is None else _number(avg_after, language),
            difference,
        ))
    columns = (text["domain"], text["n_first"], text["avg_first"], text["n_latest"], text["avg_latest"],
               text["difference"])
    table = Table(columns=columns, rows=tuple(rows),
                  caption=f"{text['zrm_title']}. {text['zrm_note'].format(t=threshold)}")
    chart = None
    if chart_rows:
        chart = Chart(
            title=text["zrm_title"],
            categories=tuple(label for label, _, _ in chart_rows),
            series=((text["first"], tuple(b for _, b, _ in chart_rows)),
                    (text["latest"], tuple(a for _, _, a in chart_rows))),
            horizontal=True,
            y_max=5,
            y_label=text["score_axis"],
        )
    return table, chart
