"""CSV cells that a spreadsheet program will not run as formulas (CSV injection).

The plain `woo` package keeps its own copy (`woo.inventory`), as it may not import the portal.
"""

from __future__ import annotations


def cell(value: object) -> str:
    """A leading = + - @, tab or carriage return makes the cell text, not a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
