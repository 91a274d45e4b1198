"""A Whoosh query matching a fixed set of documents: the caller's visible documents.

AND-ed with the user's query when the caller sees only a small part of the index, it lets Whoosh
skip through long term postings straight to the visible documents instead of walking every match.
Measured: it helps term and phrase queries of users who see few documents, and hurts fuzzy/prefix
queries (many expanded terms, each skipping) and users who see much, so the caller chooses.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from whoosh import query as wq
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.searching import Searcher


class DocSetQuery(wq.Query):  # type: ignore[misc]
    """Matches exactly ``docnums`` (sorted global numbers of ``top``), scoring zero."""

    def __init__(self, docnums: list[int], top: Searcher) -> None:
        self.docnums = docnums
        self.offsets = {id(sub): (offset, sub.doc_count_all()) for sub, offset in top.leaf_searchers()}
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DocSetQuery) and other.docnums is self.docnums

    def __hash__(self) -> int:
        return id(self.docnums)

    def __repr__(self) -> str:
        return f"DocSetQuery({len(self.docnums)} docs)"

    def estimate_size(self, ixreader: Any) -> int:
        return len(self.docnums)

    def estimate_min_size(self, ixreader: Any) -> int:
        return len(self.docnums)

    def matcher(self, searcher: Searcher, context: Any = None) -> Any:
        offset, length = self.offsets.get(id(searcher), (0, searcher.doc_count_all()))
        start = bisect_left(self.docnums, offset)
        end = bisect_left(self.docnums, offset + length)
        local = [d - offset for d in self.docnums[start:end]]
        return ListMatcher(local, all_weights=0.0) if local else NullMatcher()
