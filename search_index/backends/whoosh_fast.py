"""Query evaluation for the Whoosh backend inside the caller's visible documents only.

Whoosh's own matcher tree walks every posting of every term and scores every match before the
principal filter can drop it; at 100k notes that was the whole cost of a search. Here the visible
docnums come first (cached per searcher generation and principal set by the handle) and each query
node is evaluated *within* a candidate set that starts as the visible set and shrinks as an AND
proceeds (rarest term first). Results are exact: every node's answer is a subset of its candidates,
so nothing outside the visible set can be counted, faceted, shown or suggested.

Postings are read straight from Whoosh's codec. For a small candidate set (under 1/64 of a
segment) a posting block is only decompressed if a candidate docnum falls inside its range; for a
larger one every block of the term is decoded once and the posting list kept, as numpy arrays, in
a least-recently-used cache per segment (segments never change; a deletion only shrinks the visible
set). Docnum sets, scores, intersections and unions are numpy arrays, so the per-document work is
done in C rather than in a Python loop.

Scoring is BM25 (Whoosh's BM25F defaults B=0.75, K1=1.2 on the ``content`` field); a two-word phrase
is one term of the ``pairs`` field (adjacent stems), longer phrases an AND of pairs whose
candidates are checked against their stored text (the index keeps no positions: decoding them
cost more than everything else together). Prefix and fuzzy words score their idf.
"""

from __future__ import annotations

import json
import math
from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from ..analysis import levenshtein, stems
from ..query import And, Fuzzy, MatchAll, MatchNone, Node, Not, Or, Phrase, Prefix, Term
from .whoosh_schema import pair_term

B, K1 = 0.75, 1.2
#: A prefix or fuzzy term expanding to more words than this reads only the most frequent ones.
MAX_EXPANSION = 5000
#: Candidates under 1/SPARSE_SHARE of a segment: test each posting block, skip those without one.
SPARSE_SHARE = 64
#: Decoded posting lists kept per index handle (docnums and weights, 12 bytes a posting).
POSTING_CACHE_BYTES = 48 * 2**20
_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_ONE = array("f", [1.0])
_NO_DOCS = np.empty(0, dtype=np.int64)


@dataclass(eq=False)
class Segment:
    """One segment of the searcher: its reader, global docnum offset and cached per-doc columns."""

    reader: SegmentReader
    offset: int
    size: int
    key: str
    lengths: np.ndarray | None = None  # content length per local docnum (read once per segment)
    modified: np.ndarray | None = None  # sortable "modified" value per local docnum

    def content_lengths(self) -> np.ndarray:
        if self.lengths is None:
            perdoc = self.reader._perdoc  # noqa: SLF001 - the length column, read whole once per segment
            if perdoc.has_column("_content_len"):
                raw = bytes(perdoc.column_reader("_content_len", LENGTHS_COLUMN))
                self.lengths = _LENGTHS[np.frombuffer(raw, dtype=np.uint8)]
            else:
                self.lengths = np.zeros(self.size, dtype=np.float64)
        return self.lengths

    def modified_values(self) -> np.ndarray:
        if self.modified is None:
            column = self.reader.column_reader("modified", translate=False)
            self.modified = np.fromiter((v or 0 for v in column), dtype=np.uint64, count=self.size)
        return self.modified


class Hits:
    """Matched global docnums (sorted, unique) with their scores, as parallel arrays."""

    __slots__ = ("docs", "scores")

    def __init__(self, docs: np.ndarray, scores: np.ndarray) -> None:
        self.docs = docs
        self.scores = scores

    @classmethod
    def empty(cls) -> Hits:
        return cls(_NO_DOCS, np.empty(0, dtype=np.float64))

    @classmethod
    def unscored(cls, docs: np.ndarray) -> Hits:
        return cls(docs, np.zeros(len(docs), dtype=np.float64))

    def __len__(self) -> int:
        return len(self.docs)

    def where(self, keep: np.ndarray) -> Hits:
        return Hits(self.docs[keep], self.scores[keep])


class Candidates:
    """Sorted, unique global docnums a node may match, with a boolean mask over all docnums (lazy)."""

    def __init__(self, ordered: np.ndarray, size: int, mask: np.ndarray | None = None) -> None:
        self.ordered = ordered
        self.size = size
        self._mask = mask
        self._list: list[int] | None = None

    @classmethod
    def of_mask(cls, mask: np.ndarray) -> Candidates:
        return cls(np.flatnonzero(mask), len(mask), mask)

    def __len__(self) -> int:
        return len(self.ordered)

    @property
    def mask(self) -> np.ndarray:
        if self._mask is None:
            self._mask = np.zeros(self.size, dtype=bool)
            self._mask[self.ordered] = True
        return self._mask

    def count_in(self, low: int, high: int) -> int:
        """How many candidates lie in [low, high]."""
        return int(np.searchsorted(self.ordered, high, "right") - np.searchsorted(self.ordered, low, "left"))

    def any_in(self, low: int, high: int) -> bool:
        """Whether a candidate lies in [low, high] (a Python list bisect: called once per posting block)."""
        if self._list is None:
            self._list = self.ordered.tolist()
        i = bisect_left(self._list, low)
        return i < len(self._list) and self._list[i] <= high

    def intersect(self, docs: np.ndarray) -> np.ndarray:
        """The given docnums (any order, in range) that are candidates, sorted."""
        return np.unique(docs[self.mask[docs]])


class PostingCache:
    """Whole decoded posting lists per (segment, field, term), least recently used evicted first."""

    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = POSTING_CACHE_BYTES if max_bytes is None else max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple[str, str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> tuple[np.ndarray, np.ndarray] | None:
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def put(self, key: tuple[str, str, str], item: tuple[np.ndarray, np.ndarray]) -> None:
        size = item[0].nbytes + item[1].nbytes
        if size > self.max_bytes // 4:
            return
        old = self._items.pop(key, None)
        if old is not None:
            self.bytes -= old[0].nbytes + old[1].nbytes
        self._items[key] = item
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, (docs, weights) = self._items.popitem(last=False)
            self.bytes -= docs.nbytes + weights.nbytes

    def retain(self, segment_keys: set[str]) -> None:
        """Forget the postings of segments that are gone (merged away or deleted by a rebuild)."""
        for key in [k for k in self._items if k[0] not in segment_keys]:
            docs, weights = self._items.pop(key)
            self.bytes -= docs.nbytes + weights.nbytes


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


def decode(matcher: Any, wanted: Callable[[int, int], bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(local docnums, weights) of a term's postings; blocks ``wanted`` rejects are not decompressed."""
    ids: list[int] = []
    weights = array("f")
    if not isinstance(matcher, W3LeafMatcher):  # inlined single posting
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    else:
        low = 0
        while True:
            high = matcher._maxid  # noqa: SLF001 - block header: skip without decompressing
            if wanted is None or wanted(low, high):
                matcher._read_data()  # noqa: SLF001
                deltas, block_weights = matcher._data[0], matcher._data[1]  # noqa: SLF001
                ids.extend(accumulate(deltas))
                if block_weights is None:
                    weights.extend(_ONE * len(deltas))
                elif isinstance(block_weights, float):
                    weights.extend(array("f", [block_weights]) * len(deltas))
                else:
                    weights.extend(block_weights)
            if matcher._lastblock:  # noqa: SLF001
                break
            low = high + 1
            matcher._goto(matcher._nextoffset)  # noqa: SLF001
    return np.array(ids, dtype=np.int64), np.frombuffer(weights, dtype=np.float32)


def term_docs(segments: list[Segment], fieldname: str, text: str) -> np.ndarray:
    """Global docnums holding the term in any segment, sorted (not cached: for small posting lists)."""
    parts = []
    for seg in segments:
        matcher = _matcher(seg.reader, fieldname, text)
        if matcher is not None:
            parts.append(decode(matcher)[0] + seg.offset)
    return np.concatenate(parts) if parts else _NO_DOCS


class Evaluator:
    """Evaluates one query tree over one searcher within a visible set."""

    def __init__(self, searcher: Searcher, segments: list[Segment], has_pairs: bool, cache: PostingCache) -> None:
        self.searcher = searcher
        self.segments = segments
        self.has_pairs = has_pairs
        self.cache = cache
        self.n_docs = max(1, searcher.doc_count_all())
        self.avg_length = max(1.0, searcher.field_length("content") / self.n_docs)

    # -- statistics -----------------------------------------------------------------------
    def doc_frequency(self, fieldname: str, text: str) -> int:
        return sum(seg.reader.doc_frequency(fieldname, text) for seg in self.segments)

    def idf(self, fieldname: str, text: str) -> float:
        return math.log(self.n_docs / (self.doc_frequency(fieldname, text) + 1)) + 1.0

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

    # -- postings -------------------------------------------------------------------------
    def postings(self, seg: Segment, fieldname: str, text: str, within: Candidates
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(global docnums, local docnums, weights) of the term's postings in ``seg`` that are in ``within``."""
        key = (seg.key, fieldname, text)
        item = self.cache.get(key)
        if item is None:
            matcher = _matcher(seg.reader, fieldname, text)
            if matcher is None:
                return _NO_DOCS, _NO_DOCS, np.empty(0, dtype=np.float32)
            if within.count_in(seg.offset, seg.offset + seg.size - 1) * SPARSE_SHARE < seg.size:
                offset = seg.offset
                item = decode(matcher, lambda low, high: within.any_in(low + offset, high + offset))
            else:
                item = decode(matcher)
                self.cache.put(key, item)
        local, weights = item
        docs = local + seg.offset
        keep = within.mask[docs]
        return docs[keep], local[keep], weights[keep]

    def term_docs(self, fieldname: str, text: str, within: Candidates) -> np.ndarray:
        """Docnums in ``within`` holding the term, sorted."""
        parts = [self.postings(seg, fieldname, text, within)[0] for seg in self._segments_in(within)]
        return np.concatenate(parts) if parts else _NO_DOCS

    def _segments_in(self, within: Candidates) -> list[Segment]:
        return [seg for seg in self.segments if within.count_in(seg.offset, seg.offset + seg.size - 1)]

    # -- evaluation -----------------------------------------------------------------------
    def evaluate(self, node: Node, within: Candidates) -> Hits:
        """Scores of the documents in ``within`` that match ``node`` (never any other document)."""
        if not len(within):
            return Hits.empty()
        if isinstance(node, Term):
            return self.scored_term("content", node.stem, within)
        if isinstance(node, Phrase):
            return self.phrase(node, within)
        if isinstance(node, Prefix | Fuzzy):
            return self.expanded(node, within)
        if isinstance(node, And):
            return self.conjunction(node, within)
        if isinstance(node, Or):
            total = np.zeros(within.size, dtype=np.float64)
            matched = np.zeros(within.size, dtype=bool)
            for child in node.children:
                found = self.evaluate(child, within)
                total[found.docs] += found.scores  # docs are unique within one answer
                matched[found.docs] = True
            docs = np.flatnonzero(matched)
            return Hits(docs, total[docs])
        if isinstance(node, Not):
            excluded = self.evaluate(node.child, within)
            return Hits.unscored(within.ordered[~np.isin(within.ordered, excluded.docs, assume_unique=True)])
        if isinstance(node, MatchAll):
            return Hits.unscored(within.ordered)
        assert isinstance(node, MatchNone)
        return Hits.empty()

    @staticmethod
    def _and(hits: Hits | None, found: Hits) -> Hits:
        """Both: ``found`` was evaluated within ``hits``' documents, so its docnums are a subset of them."""
        if hits is None:
            return found
        return Hits(found.docs, hits.scores[np.searchsorted(hits.docs, found.docs)] + found.scores)

    def conjunction(self, node: And, within: Candidates) -> Hits:
        positive = sorted((c for c in node.children if not isinstance(c, Not | MatchAll)), key=self.estimate)
        negative = [c.child for c in node.children if isinstance(c, Not)]
        hits: Hits | None = None
        current = within
        for child in positive:
            hits = self._and(hits, self.evaluate(child, current))
            if not len(hits):
                return hits
            current = Candidates(hits.docs, within.size)
        if hits is None:
            hits = Hits.unscored(within.ordered)
        for child in negative:
            excluded = self.evaluate(child, current)
            hits = hits.where(~np.isin(hits.docs, excluded.docs, assume_unique=True))
            current = Candidates(hits.docs, within.size)
        return hits

    def scored_term(self, fieldname: str, text: str, within: Candidates) -> Hits:
        """BM25 of a term with frequencies (``content`` or ``pairs``), content length as the doc length."""
        idf = self.idf(fieldname, text)
        if idf <= 0:
            return Hits.empty()
        docs_parts, score_parts = [], []
        for seg in self._segments_in(within):
            docs, local, weights = self.postings(seg, fieldname, text, within)
            if len(docs):
                tf = weights.astype(np.float64)
                norm = K1 * ((1 - B) + B * seg.content_lengths()[local] / self.avg_length)
                docs_parts.append(docs)
                score_parts.append(idf * tf * (K1 + 1) / (tf + norm))
        if not docs_parts:
            return Hits.empty()
        return Hits(np.concatenate(docs_parts), np.concatenate(score_parts))

    def phrase(self, node: Phrase, within: Candidates) -> Hits:
        if self.has_pairs:
            hits = self._pairs(pair_terms(node.stems), within)
            if len(node.stems) == 2 or not len(hits):
                return hits
        else:
            hits = self.conjunction(And(tuple(Term(s, s) for s in dict.fromkeys(node.stems))), within)
            if not len(hits):
                return hits
        # Pairs (or single stems) do not prove the words are consecutive: check the stored text of every
        # candidate (the total must be exact). Candidates are few: documents holding every pair.
        keep = np.fromiter((self._has_phrase(int(d), node.stems) for d in hits.docs), dtype=bool, count=len(hits))
        return hits.where(keep)

    def _has_phrase(self, docnum: int, phrase: tuple[str, ...]) -> bool:
        payload = json.loads(self.searcher.stored_fields(docnum)["payload"])
        found = stems(payload["title"] or "") + stems(payload["text"] or "")
        n = len(phrase)
        first = phrase[0]
        return any(found[i] == first and tuple(found[i:i + n]) == phrase for i in range(len(found) - n + 1))

    def _pairs(self, pairs: list[str], within: Candidates) -> Hits:
        pairs.sort(key=lambda p: self.doc_frequency("pairs", p))
        hits: Hits | None = None
        current = within
        for pair in pairs:
            hits = self._and(hits, self.scored_term("pairs", pair, current))
            if not len(hits):
                return hits
            current = Candidates(hits.docs, within.size)
        return hits or Hits.empty()

    def expanded(self, node: Prefix | Fuzzy, within: Candidates) -> Hits:
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
        total = np.zeros(within.size, dtype=np.float64)
        matched = np.zeros(within.size, dtype=bool)
        for word in words:
            docs = self.term_docs("words", word, within)
            total[docs] += self.idf("words", word)
            matched[docs] = True
        docs = np.flatnonzero(matched)
        return Hits(docs, total[docs])


def top(keys: np.ndarray, docs: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` smallest keys, ties by docnum: the order of a result page."""
    if k <= 0 or not len(keys):
        return _NO_DOCS
    chosen = np.arange(len(keys))
    if len(keys) > 4 * k:
        cut = np.partition(keys, k - 1)[k - 1]
        chosen = np.flatnonzero(keys <= cut)  # ties with the k-th key stay in, ordered by docnum below
    order = np.lexsort((docs[chosen], keys[chosen]))
    return chosen[order[:k]]


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
            seg = Segment(reader, offset, reader.doc_count_all(), key, old.lengths if old else None,
                          old.modified if old else None)
        out.append(seg)
    cache.clear()
    cache.update({seg.key: seg for seg in out})
    return out
