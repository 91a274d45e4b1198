"""Query evaluation for the Whoosh backend inside the caller's visible documents only.

Whoosh's own matcher tree walks every posting of every term and scores every match before the
principal filter can drop it; at 100k notes that was the whole cost of a search. Here the visible
docnums come first (cached per searcher generation and principal set by the handle) and each query
node is evaluated *within* a candidate set that starts as the visible set and shrinks as an AND
proceeds (rarest term first). Postings are read block by block straight from Whoosh's codec, and a
block is only decompressed if a candidate docnum falls inside its docnum range, so a user who sees
few documents reads few blocks. Results are exact: every node's answer is a subset of its
candidates, so nothing outside the visible set can be counted, faceted, shown or suggested.

Scoring is BM25 (Whoosh's BM25F defaults B=0.75, K1=1.2 on the ``content`` field); a two-word phrase
is one term of the ``pairs`` field (adjacent stems), longer phrases an AND of pairs whose
candidates are checked against their stored text (the index keeps no positions: decoding them
cost more than everything else together). Prefix and fuzzy words score their idf.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from ..analysis import levenshtein, stems
from ..query import And, Fuzzy, MatchAll, MatchNone, Node, Not, Or, Phrase, Prefix, Term
from .whoosh_schema import pair_term

B, K1 = 0.75, 1.2
Scores = dict[int, float]
#: A prefix or fuzzy term expanding to more words than this reads only the most frequent ones.
MAX_EXPANSION = 5000


@dataclass
class Segment:
    """One segment of the searcher: its reader, global docnum offset and cached per-doc columns."""

    reader: SegmentReader
    offset: int
    size: int
    lengths: bytes | None = None  # content length byte per local docnum (read once per segment)
    modified: list[int] | None = None  # sortable "modified" value per local docnum

    def modified_values(self) -> list[int]:
        if self.modified is None:
            self.modified = list(self.reader.column_reader("modified", translate=False))
        return self.modified


@dataclass
class Candidates:
    """A set of global docnums and the same numbers sorted (for range tests against posting blocks)."""

    docs: set[int] | frozenset[int]
    ordered: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, docs: set[int] | frozenset[int]) -> Candidates:
        return cls(docs, sorted(docs))

    def any_in(self, low: int, high: int) -> bool:
        """Whether a candidate lies in [low, high]."""
        i = bisect_left(self.ordered, low)
        return i < len(self.ordered) and self.ordered[i] <= high

    def count_in(self, low: int, high: int) -> int:
        return bisect_right(self.ordered, high) - bisect_left(self.ordered, low)


def pair_terms(stems: tuple[str, ...]) -> list[str]:
    """The distinct ``pairs`` terms of a phrase's stems."""
    return list(dict.fromkeys(pair_term(a, b) for a, b in pairwise(stems)))


def _matcher(reader: SegmentReader, fieldname: str, text: str) -> Any:
    """The raw (unfiltered) posting matcher of a term in one segment, or None."""
    terms = reader._terms  # noqa: SLF001 - the codec's reader: no per-posting wrapper objects
    try:
        return terms.matcher(fieldname, text.encode("utf-8"), reader.schema[fieldname].format)
    except (KeyError, TermNotFound):
        return None


def _blocks(matcher: Any, offset: int, wanted: Callable[[int, int], bool] | None
            ) -> Iterator[tuple[list[int], Any]]:
    """(global docnums, weights) per posting block; blocks without a wanted docnum are not decoded.

    ``weights`` is None (all 1.0), a float (all equal) or a sequence parallel to the docnums.
    """
    if not isinstance(matcher, W3LeafMatcher):  # inlined single posting
        while matcher.is_active():
            yield [matcher.id() + offset], [matcher.weight()]
            matcher.next()
        return
    low = 0
    while True:
        high = matcher._maxid  # noqa: SLF001 - block header: skip without decompressing
        if wanted is None or wanted(low + offset, high + offset):
            matcher._read_data()  # noqa: SLF001
            ids, weights = matcher._data[0], matcher._data[1]  # noqa: SLF001
            yield list(map(offset.__add__, accumulate(ids)) if offset else accumulate(ids)), weights
        if matcher._lastblock:  # noqa: SLF001
            return
        low = high + 1
        matcher._goto(matcher._nextoffset)  # noqa: SLF001


def term_docs(segments: list[Segment], fieldname: str, text: str, within: Candidates | None = None) -> set[int]:
    """Global docnums holding the term (only those in ``within`` when given)."""
    found: set[int] = set()
    for seg in segments:
        if within is not None and not within.any_in(seg.offset, seg.offset + seg.size - 1):
            continue
        matcher = _matcher(seg.reader, fieldname, text)
        if matcher is None:
            continue
        for docs, _ in _blocks(matcher, seg.offset, within.any_in if within is not None else None):
            found.update(docs)
    if within is not None:
        found &= within.docs
    return found


class Evaluator:
    """Evaluates one query tree over one searcher within a visible set."""

    def __init__(self, searcher: Searcher, segments: list[Segment], has_pairs: bool) -> None:
        self.searcher = searcher
        self.segments = segments
        self.has_pairs = has_pairs
        self.n_docs = max(1, searcher.doc_count_all())
        self.avg_length = max(1.0, searcher.field_length("content") / self.n_docs)

    # -- statistics -----------------------------------------------------------------------
    def doc_frequency(self, fieldname: str, text: str) -> int:
        return sum(seg.reader.doc_frequency(fieldname, text) for seg in self.segments)

    def idf(self, fieldname: str, text: str) -> float:
        return math.log(self.n_docs / (self.doc_frequency(fieldname, text) + 1)) + 1.0

    def _lengths(self, seg: Segment) -> bytes:
        if seg.lengths is None:
            perdoc = seg.reader._perdoc  # noqa: SLF001 - the length column, read whole once per segment
            if perdoc.has_column("_content_len"):
                seg.lengths = bytes(perdoc.column_reader("_content_len", LENGTHS_COLUMN))
            else:
                seg.lengths = bytes(seg.size)
        return seg.lengths

    def estimate(self, node: Node) -> float:
        """Rough number of matches, to evaluate the most selective AND child first."""
        if isinstance(node, Term):
            return self.doc_frequency("content", node.stem)
        if isinstance(node, Phrase):
            if self.has_pairs:
                return min(self.doc_frequency("pairs", p) for p in pair_terms(node.stems))
            return min(self.doc_frequency("content", s) for s in node.stems)
        if isinstance(node, And):
            return min(self.estimate(c) for c in node.children)
        if isinstance(node, Or):
            return sum(self.estimate(c) for c in node.children)
        return float(self.n_docs)

    # -- evaluation -----------------------------------------------------------------------
    def evaluate(self, node: Node, within: Candidates) -> Scores:
        """Scores of the documents in ``within`` that match ``node`` (never any other document)."""
        if not within.docs:
            return {}
        if isinstance(node, Term):
            return self.scored_term("content", node.stem, within)
        if isinstance(node, Phrase):
            return self.phrase(node, within)
        if isinstance(node, Prefix | Fuzzy):
            return self.expanded(node, within)
        if isinstance(node, And):
            return self.conjunction(node, within)
        if isinstance(node, Or):
            scores: Scores = {}
            for child in node.children:
                for doc, score in self.evaluate(child, within).items():
                    scores[doc] = scores.get(doc, 0.0) + score
            return scores
        if isinstance(node, Not):
            excluded = self.evaluate(node.child, within)
            return dict.fromkeys((d for d in within.docs if d not in excluded), 0.0)
        if isinstance(node, MatchAll):
            return dict.fromkeys(within.docs, 0.0)
        assert isinstance(node, MatchNone)
        return {}

    def conjunction(self, node: And, within: Candidates) -> Scores:
        positive = sorted((c for c in node.children if not isinstance(c, Not | MatchAll)), key=self.estimate)
        negative = [c.child for c in node.children if isinstance(c, Not)]
        scores: Scores | None = None
        current = within
        for child in positive:
            found = self.evaluate(child, current)
            scores = found if scores is None else {d: s + found[d] for d, s in scores.items() if d in found}
            if not scores:
                return {}
            current = Candidates.of(set(scores))
        if scores is None:
            scores = dict.fromkeys(within.docs, 0.0)
        for child in negative:
            excluded = self.evaluate(child, current)
            scores = {d: s for d, s in scores.items() if d not in excluded}
            current = Candidates.of(set(scores))
        return scores

    def scored_term(self, fieldname: str, text: str, within: Candidates) -> Scores:
        """BM25 of a term with frequencies (``content`` or ``pairs``), content length as the doc length."""
        idf = self.idf(fieldname, text)
        if idf <= 0 or not within.docs:
            return {}
        avg = self.avg_length
        docs = within.docs
        scores: Scores = {}
        norm = [K1 * ((1 - B) + B * byte_to_length(b) / avg) for b in range(256)]
        for seg in self.segments:
            if not within.any_in(seg.offset, seg.offset + seg.size - 1):
                continue
            matcher = _matcher(seg.reader, fieldname, text)
            if matcher is None:
                continue
            lengths = self._lengths(seg)
            offset = seg.offset
            for ids, weights in _blocks(matcher, offset, within.any_in):
                hits = docs.intersection(ids)
                for doc in hits:
                    if weights is None:
                        tf = 1.0
                    elif isinstance(weights, float):
                        tf = weights
                    else:
                        tf = weights[bisect_left(ids, doc)]  # ids are sorted
                    scores[doc] = idf * tf * (K1 + 1) / (tf + norm[lengths[doc - offset]])
        return scores

    def phrase(self, node: Phrase, within: Candidates) -> Scores:
        if self.has_pairs:
            pairs = pair_terms(node.stems)
            scores = self._pairs(pairs, within)
            if len(node.stems) == 2 or not scores:
                return scores
        else:
            scores = self.conjunction(And(tuple(Term(s, s) for s in dict.fromkeys(node.stems))), within)
            if not scores:
                return {}
        # Pairs (or single stems) do not prove the words are consecutive: check the stored text of every
        # candidate (the total must be exact). Candidates are few: documents holding every pair.
        return {d: s for d, s in scores.items() if self._has_phrase(d, node.stems)}

    def _has_phrase(self, docnum: int, phrase: tuple[str, ...]) -> bool:
        payload = json.loads(self.searcher.stored_fields(docnum)["payload"])
        found = stems(payload["title"] or "") + stems(payload["text"] or "")
        n = len(phrase)
        first = phrase[0]
        return any(found[i] == first and tuple(found[i:i + n]) == phrase for i in range(len(found) - n + 1))

    def _pairs(self, pairs: list[str], within: Candidates) -> Scores:
        pairs.sort(key=lambda p: self.doc_frequency("pairs", p))
        scores: Scores | None = None
        current = within
        for pair in pairs:
            found = self.scored_term("pairs", pair, current)
            scores = found if scores is None else {d: s + found[d] for d, s in scores.items() if d in found}
            if not scores:
                return {}
            current = Candidates.of(set(scores))
        return scores or {}

    def expanded(self, node: Prefix | Fuzzy, within: Candidates) -> Scores:
        """Prefix or fuzzy: every matching word of the ``words`` field, each scoring its idf."""
        reader = self.searcher.reader()
        if isinstance(node, Prefix):
            words = [t if isinstance(t, str) else t.decode() for t in reader.expand_prefix("words", node.prefix)]
        else:
            # Whoosh's automaton also allows transpositions; plain Levenshtein, as tantivy and the highlighter
            words = [w for w in reader.terms_within("words", node.word, node.distance, prefix=0)
                     if levenshtein(node.word, w, node.distance) <= node.distance]
        if len(words) > MAX_EXPANSION:
            words = sorted(words, key=lambda w: -self.doc_frequency("words", w))[:MAX_EXPANSION]
        scores: Scores = {}
        for word in words:
            idf = self.idf("words", word)
            for doc in term_docs(self.segments, "words", word, within):
                scores[doc] = scores.get(doc, 0.0) + idf
        return scores


def segments_of(searcher: Searcher, cache: dict[str, Segment]) -> list[Segment]:
    """The searcher's segments, reusing cached per-segment columns of unchanged segments."""
    out = []
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if not isinstance(reader, SegmentReader):
            continue
        key = reader.segment().segment_id()
        seg = cache.get(key)
        if seg is None or seg.reader is not reader or seg.offset != offset:
            old = cache.get(key)
            seg = Segment(reader, offset, reader.doc_count_all(), old.lengths if old else None,
                          old.modified if old else None)
        out.append(seg)
    cache.clear()
    cache.update({seg.reader.segment().segment_id(): seg for seg in out})
    return out
