"""Table layout decisions shared by the PDF and DOCX renderers, so both look alike."""

from __future__ import annotations

import re

from letters.errors import InvalidFieldError
from letters.model import Table

#: More columns do not fit the text width of an A4 page in portrait.
MAX_COLUMNS = 12

# Numbers, amounts ('€ 1.234,56'), percentages, suppressed counts ('< 5', 'x') and the dash of
# a hidden average: cells that read best right-aligned.
_NUMERIC = re.compile(r"^[-+]?(€\s?)?[-+]?[\d.,]+\s?%?$|^< ?\d+$|^x$|^–$")


def numeric_columns(table: Table) -> list[bool]:
    """Which columns hold only numbers, amounts or suppressed counts (drawn right-aligned)."""
    body = [*table.rows, *table.footer_rows]
    return [
        bool(cells) and all(_NUMERIC.match(c.strip()) for c in cells)
        for cells in ([row[i] for row in body if row[i].strip()] for i in range(len(table.columns)))
    ]


def column_widths(table: Table, total: float) -> list[float]:
    """Share `total` between the columns by the length of their text and their longest word.

    Every column gets at least half of an equal share, so one long word cannot squeeze the
    others to nothing.

    :raise InvalidFieldError: ('table') for more than `MAX_COLUMNS` columns.
    """
    count = len(table.columns)
    if count > MAX_COLUMNS:
        raise InvalidFieldError("table", f"a table has at most {MAX_COLUMNS} columns, not {count}")
    weights = []
    for i, name in enumerate(table.columns):
        cells = [name, *(row[i] for row in (*table.rows, *table.footer_rows))]
        longest = max(len(c) for c in cells)
        word = max((len(w) for c in cells for w in c.split()), default=1)
        # A word cannot wrap: 1.6 leaves room for the bold header and cell padding.
        weights.append(max(4.0, min(float(longest), 60.0), min(word * 1.6, 30.0)))
    floor = total / (2 * count)
    fixed: set[int] = set()
    while True:
        free = total - floor * len(fixed)
        free_weight = sum(w for i, w in enumerate(weights) if i not in fixed)
        widths = [floor if i in fixed else w * free / free_weight for i, w in enumerate(weights)]
        narrow = {i for i, w in enumerate(widths) if w < floor and i not in fixed}
        if not narrow:
            return widths
        fixed |= narrow
