"""Redactions over named text segments: validity, overlap, applying them, and what they withhold.

A document is a mapping of segment name -> text: the fields of a generated letter
('evaluation_and_explanation', 'title', ...) or the pages of an uploaded PDF ('page-1', ...).
A redaction is a span in one segment with a ground. Only spans in force (proposed or accepted;
never removed ones) count for overlap; only accepted ones are applied at export, and the export
waits until no proposal is left open.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from woo.errors import InvalidSpanError, OverlapError
from woo.grounds import ground


class Status(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REMOVED = "removed"


class Decision(StrEnum):
    """The decision per document in the inventory list (inventarislijst)."""

    PUBLIC = "public"  # openbaar
    PARTLY_PUBLIC = "partly_public"  # deels openbaar
    NOT_PUBLIC = "not_public"  # niet openbaar


DECISION_LABELS = {Decision.PUBLIC: "Openbaar", Decision.PARTLY_PUBLIC: "Deels openbaar",
                   Decision.NOT_PUBLIC: "Niet openbaar"}


@dataclass(frozen=True)
class Span:
    segment: str
    start: int
    end: int
    ground: str

    def overlaps(self, other: Span) -> bool:
        return self.segment == other.segment and self.start < other.end and other.start < self.end


def check_span(segments: Mapping[str, str], span: Span) -> Span:
    """A span must lie inside a known segment, be non-empty, not be only whitespace, and have a known ground.

    :raise InvalidSpanError: naming the reason ('segment', 'range', 'blank').
    :raise UnknownGroundError: for an unknown ground.
    """
    ground(span.ground)
    if span.segment not in segments:
        raise InvalidSpanError(span.segment, span.start, span.end, "segment")
    text = segments[span.segment]
    if not (0 <= span.start < span.end <= len(text)):
        raise InvalidSpanError(span.segment, span.start, span.end, "range")
    if not text[span.start:span.end].strip():
        raise InvalidSpanError(span.segment, span.start, span.end, "blank")
    return span


def check_no_overlap(in_force: Iterable[Span], new: Span) -> None:
    """:raise OverlapError: if `new` overlaps a span already in force."""
    for other in in_force:
        if new.overlaps(other):
            raise OverlapError(new.segment, new.start, new.end, (other.start, other.end))


def find_span(segments: Mapping[str, str], segment: str, needle: str, occurrence: int = 1) -> Span | None:
    """The n-th occurrence of `needle` in a segment as a span with no ground yet (for 'add by text')."""
    text = segments.get(segment, "")
    pos = -1
    for _ in range(max(occurrence, 1)):
        pos = text.find(needle, pos + 1)
        if pos < 0 or not needle:
            return None
    return Span(segment, pos, pos + len(needle), "")


def redact_text(text: str, spans: Iterable[Span]) -> str:
    """The text with each span replaced by its ground's marker, e.g. '[5.1.2e]'."""
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        out += [text[pos:s.start], ground(s.ground).marker]
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def redact_segments(segments: Mapping[str, str], spans: Iterable[Span]) -> dict[str, str]:
    by_segment: dict[str, list[Span]] = {}
    for s in spans:
        by_segment.setdefault(s.segment, []).append(s)
    return {name: redact_text(text, by_segment.get(name, ())) for name, text in segments.items()}


def withheld(segments: Mapping[str, str], spans: Iterable[Span]) -> list[str]:
    """The withheld strings (what the leak check looks for), whitespace-normalised, unique."""
    found = {" ".join(segments[s.segment][s.start:s.end].split()) for s in spans if s.segment in segments}
    return sorted(x for x in found if x)


def fingerprint(segments: Mapping[str, str]) -> str:
    """SHA-256 of the segments: redactions were proposed on this; a different value means the document changed."""
    blob = json.dumps(dict(segments), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(blob).hexdigest()


def decide(*, accepted: int, withheld_pages: int = 0, pages: int = 0, not_public: bool = False) -> Decision:
    """The inventory decision that follows from the review (the reviewer may still choose 'not public')."""
    if not_public or (pages and withheld_pages >= pages):
        return Decision.NOT_PUBLIC
    if accepted or withheld_pages:
        return Decision.PARTLY_PUBLIC
    return Decision.PUBLIC
