"""Errors raised by the Woo domain code; the portal maps each to a status and a Dutch message."""

from __future__ import annotations


class WooError(Exception):
    """Base class."""


class UnknownGroundError(WooError, ValueError):
    """A ground code that the Woo does not know (e.g. '5.1.9z')."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown Woo ground {code!r}")
        self.code = code


class InvalidSpanError(WooError, ValueError):
    """A span outside its segment's text, empty, or on an unknown segment."""

    def __init__(self, segment: str, start: int, end: int, reason: str) -> None:
        super().__init__(f"invalid span {segment}[{start}:{end}]: {reason}")
        self.segment, self.start, self.end, self.reason = segment, start, end, reason


class OverlapError(WooError, ValueError):
    """A new redaction overlaps one that is already in force; `other` is that one's span."""

    def __init__(self, segment: str, start: int, end: int, other: tuple[int, int]) -> None:
        super().__init__(f"span {segment}[{start}:{end}] overlaps [{other[0]}:{other[1]}]")
        self.segment, self.start, self.end, self.other = segment, start, end, other


class MalformedPdfError(WooError):
    """An uploaded file is not a readable, unencrypted PDF; `reason` is a short code."""

    def __init__(self, message: str, *, reason: str = "malformed") -> None:
        super().__init__(message)
        self.message, self.reason = message, reason


class LeakError(WooError):
    """The exported files still contain withheld text (or unsafe PDF parts): the export is refused.

    `leaks` lists (file name, problem) pairs; the withheld strings themselves are never included,
    so the error can be logged.
    """

    def __init__(self, leaks: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(leaks)} leak(s) found in the export")
        self.leaks = leaks
