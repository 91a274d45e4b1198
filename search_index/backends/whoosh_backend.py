"""Whoosh backend (the embedded default).

Speed notes (DESIGN §8): one searcher per handle, ``refresh()``-ed before each search; the set of
documents a principal set may see is computed once per searcher generation and cached; facet values
come from a column read once per segment; only the shown page is scored and highlighted.
Whoosh file reads are not safe to share between threads, so a handle serialises its searches.
"""

from __future__ import annotations

import contextlib
import gc
import json
import threading
import time
import warnings
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import chain
from pathlib import Path

from whoosh import index as windex
from whoosh import query as wq
from whoosh.index import LockError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, IndexWriter

from ..analysis import stem
from ..errors import IndexLockedError
from ..model import IndexDoc, SearchRequest
from ..query import And, Fuzzy, MatchAll, MatchNone, Node, Not, Or, Phrase, Prefix, Term, leaves
from .base import EngineHandle, Progress, RawResult, RawRow, SearchBackend, content_of, payload_of
from .whoosh_docset import DocSetQuery
from .whoosh_schema import SEP, build_schema

ALLOWED_CACHE_SIZE = 64
#: Use the docnum-set query when the caller sees less than 1/SMALL_SHARE of the index.
SMALL_SHARE = 20
FILTER_FIELDS = (("types", "type"), ("clients", "client"), ("authors", "author"),
                 ("organisations", "organisation"), ("life_domains", "life_domain"))


def compile_node(node: Node) -> wq.Query:
    """Our query tree as a Whoosh query (terms and phrases on stems, prefix/fuzzy on words)."""
    if isinstance(node, Term):
        return wq.Term("content", node.stem)
    if isinstance(node, Phrase):
        return wq.Phrase("content", list(node.stems))
    if isinstance(node, Prefix):
        return wq.Prefix("words", node.prefix)
    if isinstance(node, Fuzzy):
        return wq.FuzzyTerm("words", node.word, maxdist=node.distance, prefixlength=0)
    if isinstance(node, And):
        return wq.And([compile_node(c) for c in node.children])
    if isinstance(node, Or):
        return wq.Or([compile_node(c) for c in node.children])
    if isinstance(node, Not):
        return wq.And([wq.Every(), wq.Not(compile_node(node.child))])
    if isinstance(node, MatchAll):
        return wq.Every()
    assert isinstance(node, MatchNone)
    return wq.NullQuery


def _expands(node: Node) -> bool:
    """Whether the query expands to many terms (prefix, fuzzy), where the set query is slower."""
    return any(isinstance(leaf, Prefix | Fuzzy) for leaf in leaves(node, positive=False))


def day_start(value: object) -> datetime:
    """Midnight UTC at the start of a date."""
    return datetime(value.year, value.month, value.day, tzinfo=UTC)  # type: ignore[attr-defined]


def filter_query(req: SearchRequest) -> list[wq.Query]:
    """The request's field filters: OR within a field, AND across fields."""
    parts: list[wq.Query] = []
    for attr, fieldname in FILTER_FIELDS:
        values = getattr(req, attr)
        if values:
            parts.append(wq.Or([wq.Term(fieldname, v) for v in values]))
    if req.year is not None:
        start = datetime(req.year, 1, 1)
        parts.append(wq.DateRange("created", start, datetime(req.year + 1, 1, 1) - timedelta(microseconds=1)))
    if req.date_from or req.date_to:
        low = day_start(req.date_from).replace(tzinfo=None) if req.date_from else None
        high = (day_start(req.date_to) + timedelta(days=1, microseconds=-1)).replace(tzinfo=None) \
            if req.date_to else None
        parts.append(wq.DateRange("created", low, high))
    return parts


def _naive_utc(value: datetime) -> datetime:
    return value.astimezone(UTC).replace(tzinfo=None)


def doc_fields(doc: IndexDoc) -> dict[str, object]:
    """IndexDoc -> Whoosh field values."""
    facets = SEP.join([doc.type, doc.client or "", doc.author, doc.organisation,
                       "\x1e".join(doc.life_domains), str(doc.created_at.year)])
    content = content_of(doc)
    return {"id": doc.id, "content": content, "words": content, "principals": SEP.join(sorted(doc.principals)),
            "type": doc.type, "client": doc.client or "", "author": doc.author,
            "organisation": doc.organisation, "life_domain": SEP.join(doc.life_domains),
            "created": _naive_utc(doc.created_at), "modified": _naive_utc(doc.modified_at),
            "payload": json.dumps(payload_of(doc)), "facets": facets.encode()}


class WhooshHandle(EngineHandle):
    """One Whoosh index directory with a long-lived, refreshed searcher."""

    def __init__(self, directory: Path, *, create: bool, write_timeout: float) -> None:
        super().__init__(directory, create=create, write_timeout=write_timeout)
        if create or not windex.exists_in(str(directory)):
            self.ix = windex.create_in(str(directory), build_schema())
        else:
            self.ix = windex.open_dir(str(directory))
        self._lock = threading.RLock()
        self._searcher: Searcher = self.ix.searcher()
        self._allowed: OrderedDict[frozenset[str], set[int]] = OrderedDict()
        self._sorted: dict[tuple[str, frozenset[str]], tuple[set[int], list[int]]] = {}
        self._segment_facets: dict[str, list[tuple[str, ...]]] = {}
        self._facet_rows: list[tuple[str, ...]] | None = None

    # -- searcher and caches ------------------------------------------------------------------
    def _fresh(self) -> Searcher:
        """The searcher of the newest commit, reusing readers of unchanged segments.

        We do not call Whoosh's ``Searcher.refresh()``: in whoosh-reloaded 2.7.5 it keeps readers of
        segments that gained deletions (and even segments that are gone), so a deleted or re-permissioned
        document stayed visible - a leak. Reopening everything costs ~250 ms at 100k documents, so we
        reuse a segment reader only when its segment id and deletion count are unchanged.
        """
        if not self.directory.is_dir() or self._searcher.up_to_date():  # removed by a rebuild: keep the view
            return self._searcher
        for attempt in range(10):
            try:
                searcher = self._open_searcher()
                break
            except OSError:  # a merging writer removed a file between reading the TOC and opening it
                if attempt == 9:
                    raise
                time.sleep(0.05)
        self._searcher = searcher
        self._allowed.clear()
        self._sorted.clear()
        self._facet_rows = None
        return searcher

    def _open_searcher(self) -> Searcher:
        toc = self.ix._read_toc()  # noqa: SLF001 - Whoosh offers no safe reuse through a public API
        old: dict[str, SegmentReader] = {}
        for reader, _ in self._searcher.reader().leaf_readers():
            if isinstance(reader, SegmentReader):
                old[reader.segment().segment_id()] = reader
        readers = []
        for segment in toc.segments:
            reader = old.pop(segment.segment_id(), None)
            if reader is None or reader.segment().deleted_count() != segment.deleted_count():
                if reader is not None:
                    old[segment.segment_id()] = reader
                reader = SegmentReader(self.ix.storage, toc.schema, segment, generation=toc.generation)
            readers.append(reader)
        for stale in old.values():
            stale.close()
        if not readers:
            return Searcher(EmptyReader(toc.schema), fromindex=self.ix)
        return Searcher(MultiReader(readers, generation=toc.generation), fromindex=self.ix)

    def _allowed_docs(self, searcher: Searcher, principals: frozenset[str]) -> set[int]:
        """Docnums visible to ``principals``, cached per searcher generation."""
        cached = self._allowed.get(principals)
        if cached is None:
            allow = wq.Or([wq.Term("principals", p) for p in sorted(principals)])
            cached = set(searcher.docs_for_query(allow))
            self._allowed[principals] = cached
            if len(self._allowed) > ALLOWED_CACHE_SIZE:
                self._allowed.popitem(last=False)
        else:
            self._allowed.move_to_end(principals)
        return cached

    def _sorted_allowed(self, principals: frozenset[str], allowed: set[int]) -> list[int]:
        key = ("sorted", principals)
        cached = self._sorted.get(key)
        if cached is None or cached[0] is not allowed:
            cached = (allowed, sorted(allowed))
            self._sorted[key] = cached
        return cached[1]

    def _facets_by_doc(self, searcher: Searcher) -> list[tuple[str, ...]]:
        """Facet values per global docnum, from segment columns cached by segment id."""
        if self._facet_rows is None:
            rows: list[tuple[str, ...]] = []
            live: dict[str, list[tuple[str, ...]]] = {}
            for sub, offset in searcher.leaf_searchers():
                reader = sub.reader()
                key = reader.segment().segment_id() if reader.segment() is not None else str(id(reader))
                seg_rows = self._segment_facets.get(key)
                if seg_rows is None:
                    column = reader.column_reader("facets")
                    seg_rows = [tuple(value.decode().split(SEP)) for value in column]
                live[key] = seg_rows
                rows.extend([("",) * 6] * (offset - len(rows)))
                rows.extend(seg_rows)
            self._segment_facets = live
            self._facet_rows = rows
        return self._facet_rows

    # -- EngineHandle -------------------------------------------------------------------------
    def execute(self, node: Node, req: SearchRequest, principals: frozenset[str], *,
                offset: int, limit: int) -> RawResult:
        with self._lock:
            searcher = self._fresh()
            allowed = self._allowed_docs(searcher, principals)
            if not allowed:
                return RawResult(total=0)
            # The principal filter is applied inside the engine's matching, so totals, facets and the page
            # only ever see visible documents: as a docnum-set query AND-ed in when the caller sees little
            # of the index (Whoosh then skips to her documents), else as Whoosh's docnum-set filter.
            user_query = wq.And([compile_node(node), *filter_query(req)])
            if len(allowed) * SMALL_SHARE < searcher.doc_count_all() and not _expands(node):
                query = wq.And([user_query, DocSetQuery(self._sorted_allowed(principals, allowed), searcher)])
                matched = set(searcher.docs_for_query(query))
            else:
                query = user_query
                matched = allowed.intersection(searcher.docs_for_query(query))
            result = RawResult(total=len(matched), facets=self._count_facets(searcher, matched))
            if limit and offset < len(matched):
                if req.sort == "date":
                    results = searcher.search(query, filter=matched, limit=offset + limit,
                                              sortedby="modified", reverse=True)
                else:
                    results = searcher.search(query, filter=matched, limit=offset + limit)
                for score, docnum in results.top_n[offset:offset + limit]:
                    payload = json.loads(searcher.stored_fields(docnum)["payload"])
                    result.rows.append(RawRow(payload, score if req.sort == "relevance" else 0.0))
        return result

    def _count_facets(self, searcher: Searcher, matched: set[int]) -> dict[str, dict[str, int]]:
        if not matched:
            return {}
        rows = self._facets_by_doc(searcher)
        picked = [rows[d] for d in matched]
        facets = {name: Counter(row[i] for row in picked) for i, name in
                  enumerate(("type", "client", "author", "organisation"))}
        facets["client"].pop("", None)
        facets["life_domain"] = Counter(chain.from_iterable(row[4].split("\x1e") for row in picked if row[4]))
        facets["year"] = Counter(row[5] for row in picked)
        return {name: dict(counter) for name, counter in facets.items()}

    def _visible_counts(self, terms: Iterable[str], principals: frozenset[str]) -> list[tuple[str, int]]:
        with self._lock:
            searcher = self._fresh()
            allowed = self._allowed_docs(searcher, principals)
            out = []
            for term in terms:
                n = len(allowed.intersection(searcher.docs_for_query(wq.Term("words", term))))
                if n:
                    out.append((term, n))
            return out

    def visible_words(self, prefix: str, principals: frozenset[str]) -> list[tuple[str, int]]:
        with self._lock:
            terms = [t if isinstance(t, str) else t.decode()
                     for t in self._fresh().reader().expand_prefix("words", prefix)]
        return self._visible_counts(terms[:5000], principals)

    def spelling_candidates(self, word: str, principals: frozenset[str]) -> list[tuple[str, int]]:
        with self._lock:
            terms = list(self._fresh().reader().terms_within("words", word, 2, prefix=1))
        return self._visible_counts([word, *terms], principals)

    def stem(self, word: str) -> str:
        return stem(word)

    def _writer(self, **kwargs: object) -> IndexWriter:
        try:
            return self.ix.writer(timeout=self.write_timeout, **kwargs)
        except LockError as exc:
            raise IndexLockedError(f"whoosh index {self.directory} is locked by another writer") from exc

    def write(self, docs: Sequence[IndexDoc], delete_ids: Sequence[str]) -> None:
        writer = self._writer()
        try:
            for doc_id in delete_ids:
                writer.delete_by_term("id", doc_id)
            for doc in docs:
                writer.update_document(**doc_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit(merge=False)  # merging belongs in rebuild/optimize, never in a request

    def bulk_load(self, docs: Iterable[IndexDoc], progress: Progress | None) -> int:
        writer = self._writer(procs=1, limitmb=256)
        n = 0
        try:
            for doc in docs:
                writer.add_document(**doc_fields(doc))
                n += 1
                if progress is not None and n % 500 == 0:
                    progress(n)
        except BaseException:
            writer.cancel()
            raise
        writer.commit(optimize=True)
        if progress is not None:
            progress(n)
        return n

    def optimize(self) -> None:
        """Merge all segments into one (off-hours maintenance, never in a request)."""
        self._writer().commit(optimize=True)

    def compact(self) -> bool:
        """Merge every segment into one: deleted documents are left out and the old segment files removed."""
        self._writer().commit(optimize=True)
        return True

    def count(self) -> int:
        with self._lock:
            return int(self._fresh().doc_count())

    def clear(self) -> None:
        self._writer().commit(mergetype=CLEAR)

    def close(self) -> None:
        with self._lock:
            self._searcher.close()
            self.ix.close()

    @classmethod
    def check_directory(cls, directory: Path) -> bool:
        # Whoosh leaves a segment file open when it fails half-way through opening a damaged segment;
        # its ResourceWarning (an error under -W error) would surface later in unrelated code. Ignore
        # that one warning class while reading a possibly damaged index, and collect the debris here.
        # (catch_warnings is process-wide; check() is a rare maintenance call.)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            try:
                cls._read_everything(directory)
            except Exception:  # any failure to read back means "damaged": the caller rebuilds
                healthy = False
            else:
                healthy = True
            gc.collect()
        return healthy

    @staticmethod
    def _read_everything(directory: Path) -> None:
        with contextlib.ExitStack() as stack:
            ix = windex.open_dir(str(directory))
            stack.callback(ix.close)
            searcher = stack.enter_context(ix.searcher())
            reader = searcher.reader()
            for stored in reader.all_stored_fields():
                json.loads(stored["payload"])
            for fieldname in ("principals", "words", "content"):
                for term in reader.lexicon(fieldname):
                    reader.postings(fieldname, term).all_ids()
            for sub, _ in searcher.leaf_searchers():
                list(sub.reader().column_reader("facets"))

class WhooshBackend(SearchBackend):
    """Search backend on Whoosh (whoosh-reloaded 2.7.5)."""

    name = "whoosh"
    handle_class = WhooshHandle
