"""HTML-escaped snippets with ``<mark>`` around matched words, built here and not by an engine.

We escape the text ourselves and only then insert ``<mark>``, so the result is safe to render
whatever the engine would do with quotes or angle brackets. Only the shown page is highlighted.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from .analysis import fold, iter_tokens, levenshtein, normalize
from .query import Fuzzy, Node, Phrase, Prefix, Term, leaves

#: Very long texts are only scanned this far for a snippet (speed over completeness).
SCAN_CHARS = 200_000
Stemmer = Callable[[str], str]


def word_matcher(node: Node, stem_of: Stemmer) -> Callable[[str], bool]:
    """Predicate on a raw word: does it match one of the positive leaves of ``node``?"""
    stems: set[str] = set()
    prefixes: list[str] = []
    fuzzies: list[tuple[str, int]] = []
    for leaf in leaves(node):
        if isinstance(leaf, Term):
            stems.add(leaf.stem)
        elif isinstance(leaf, Phrase):
            stems.update(leaf.stems)
        elif isinstance(leaf, Prefix):
            prefixes.append(leaf.prefix)
        elif isinstance(leaf, Fuzzy):
            fuzzies.append((leaf.word, leaf.distance))

    memo: dict[str, bool] = {}  # texts repeat words: decide each distinct word once per search

    def matches(raw: str) -> bool:
        found = memo.get(raw)
        if found is None:
            word = fold(raw)
            found = (
                stem_of(word) in stems
                or any(word.startswith(p) for p in prefixes)
                or any(levenshtein(word, w, d) <= d for w, d in fuzzies)
            )
            if len(memo) < 50_000:
                memo[raw] = found
        return found

    return matches


def snippet(text: str, matches: Callable[[str], bool], *, max_chars: int = 220) -> str:
    """Escaped window of ``text`` around the densest cluster of matching words."""
    text = normalize(text[:SCAN_CHARS])
    spans = [(m.start(), m.end()) for m in iter_tokens(text) if matches(m.group())]
    start = 0
    if spans:
        best = max(range(len(spans)), key=lambda i: sum(
            1 for s, e in spans[i:i + 20] if e <= spans[i][0] + max_chars - 40))
        start = max(0, spans[best][0] - 40)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    end = min(len(text), start + max_chars)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    parts: list[str] = ["…"] if start > 0 else []
    cursor = start
    for s, e in spans:
        if s < start or e > end:
            continue
        parts.append(html.escape(text[cursor:s]))
        parts.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        cursor = e
    parts.append(html.escape(text[cursor:end]))
    if end < len(text):
        parts.append("…")
    return "".join(parts).strip()
