import pytest

from woo.errors import InvalidSpanError, OverlapError, UnknownGroundError
from woo.grounds import ground
from woo.model import Decision, Span, check_no_overlap, check_span, decide, find_span, fingerprint, redact_segments
from woo.model import withheld as withheld_strings

SEGMENTS = {"body": "Anna de Wit belde op 06-12345678.", "title": "Brief"}


def test_grounds_absolute_and_marker():
    assert ground("5.1.1e").absolute and not ground("5.1.2e").absolute
    assert ground("5.1.2f").marker == "[5.1.2f]"
    with pytest.raises(UnknownGroundError):
        ground("5.1.9z")


@pytest.mark.parametrize(("span", "reason"), [
    (Span("nope", 0, 1, "5.1.2e"), "segment"), (Span("body", 5, 5, "5.1.2e"), "range"),
    (Span("body", -1, 3, "5.1.2e"), "range"), (Span("body", 0, 999, "5.1.2e"), "range"),
    (Span("body", 4, 5, "5.1.2e"), "blank")])
def test_check_span_refuses_bad_spans(span, reason):
    with pytest.raises(InvalidSpanError) as exc:
        check_span(SEGMENTS, span)
    assert exc.value.reason == reason


def test_overlap_refused_only_in_same_segment():
    existing = [Span("body", 0, 11, "5.1.2e")]
    with pytest.raises(OverlapError) as exc:
        check_no_overlap(existing, Span("body", 5, 15, "5.1.2e"))
    assert exc.value.other == (0, 11)
    check_no_overlap(existing, Span("body", 11, 15, "5.1.2e"))
    check_no_overlap(existing, Span("title", 0, 5, "5.1.2e"))


def test_redact_and_withheld():
    spans = [Span("body", 21, 32, "5.1.2e"), Span("body", 0, 11, "5.1.2e")]
    assert redact_segments(SEGMENTS, spans) == {"body": "[5.1.2e] belde op [5.1.2e].", "title": "Brief"}
    assert withheld_strings(SEGMENTS, spans) == ["06-12345678", "Anna de Wit"]


def test_find_span_and_fingerprint():
    assert find_span(SEGMENTS, "body", "belde") == Span("body", 12, 17, "")
    assert find_span(SEGMENTS, "body", "zzz") is None
    assert fingerprint(SEGMENTS) != fingerprint({**SEGMENTS, "title": "Brief 2"})


def test_decide():
    assert decide(accepted=0) == Decision.PUBLIC
    assert decide(accepted=2) == Decision.PARTLY_PUBLIC
    assert decide(accepted=0, withheld_pages=1, pages=3) == Decision.PARTLY_PUBLIC
    assert decide(accepted=0, withheld_pages=3, pages=3) == Decision.NOT_PUBLIC
    assert decide(accepted=0, not_public=True) == Decision.NOT_PUBLIC
