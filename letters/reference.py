"""Document numbers (kenmerk) such as ``STAP/2026/0042``.

Allocation is pure: the portal reads the last number of a series and year inside a database
transaction (a row lock or unique constraint makes it concurrency-safe) and asks this module
for the next one.
"""

from __future__ import annotations

from letters.errors import InvalidFieldError
from letters.model import Reference

MAX_NUMBER = 999_999


def next_reference(series: str, year: int, last_number: int | None) -> Reference:
    """The reference after `last_number` in `series` and `year`; ``None`` or 0 starts at 1.

    Numbering restarts every year: pass the last number *of that year*.

    :raise InvalidFieldError: ('series') for a badly formed series, ('reference') for a year
        out of range, a negative last number, or a series that is full.
    """
    last = 0 if last_number is None else last_number
    if isinstance(last, bool) or not isinstance(last, int) or last < 0:
        raise InvalidFieldError("reference", "the last number must be a whole number of at least 0")
    if last >= MAX_NUMBER:
        raise InvalidFieldError("reference", f"series {series}/{year} is full")
    return Reference(series, year, last + 1)


def format_reference(reference: Reference) -> str:
    """``STAP/2026/0042``: the number zero-padded to four digits (wider when needed)."""
    return str(reference)


def parse_reference(text: str) -> Reference:
    """Parse ``STAP/2026/0042``.

    :raise InvalidFieldError: ('reference') if the text is not a reference.
    """
    return Reference.parse(text)
