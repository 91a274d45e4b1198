"""Query parsing and Dutch analysis, engine-free."""

from __future__ import annotations

import pytest

from search_index.analysis import fold, levenshtein, stems, words
from search_index.highlight import snippet, word_matcher
from search_index.query import And, Fuzzy, MatchAll, MatchNone, Not, Or, Phrase, Prefix, Term, parse


def test_analysis_folds_and_stems():
    assert stems("Woningen WONING cliënt huisartsen Financiële") == ["woon", "woon", "client", "huisarts", "financiel"]
    assert words("Cliënt's e-mail") == ["client", "s", "e", "mail"]
    assert fold("Æsøp ß") == "aesop ss"
    assert words("x" * 45 + " kort") == ["kort"]


@pytest.mark.parametrize(("a", "b", "expected"), [("woning", "woning", 0), ("wonign", "woning", 2),
                                                  ("zorg", "zorgen", 2), ("a", "abcdef", 3)])
def test_levenshtein_caps_at_limit(a, b, expected):
    assert levenshtein(a, b) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("", MatchAll()),
    ("de het", MatchNone()),
    ("woning", Term("woning", "woon")),
    ("woon*", Prefix("woon")),
    ("hulp~2", Fuzzy("hulp", 2)),
    ("hulp~7", Fuzzy("hulp", 2)),
    ('"de cliënt"', Phrase(("de", "client"), ("de", "client"))),
    ("a OF b", Or((Term("a", "a"), Term("b", "b")))),
    ("NIET a", And((MatchAll(), Not(Term("a", "a"))))),
    ("woning AND", Term("woning", "woon")),
    ("(woning", Term("woning", "woon")),
])
def test_parse(text, expected):
    assert parse(text) == expected


def test_snippet_escapes_then_marks():
    matcher = word_matcher(parse("woning"), lambda w: stems(w)[0])
    html = snippet('<img src=x onerror="a"> de woningen & meer', matcher)
    assert html == '&lt;img src=x onerror=&quot;a&quot;&gt; de <mark>woningen</mark> &amp; meer'


def test_snippet_windows_around_matches():
    matcher = word_matcher(parse("schuld"), lambda w: stems(w)[0])
    html = snippet("begin " * 200 + "de schuld is groot " + "einde " * 200, matcher)
    assert html.startswith("…")
    assert html.endswith("…")
    assert "<mark>schuld</mark>" in html
