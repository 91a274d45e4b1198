"""Whoosh backend (the embedded default).

Speed notes (DESIGN §8): one searcher per handle, reopened only for changed segments; the set of
documents a principal set may see is computed once per searcher generation and cached (a numpy
mask); queries are evaluated by ``whoosh_fast`` inside that set, reading posting blocks directly and
keeping whole decoded posting lists in a bounded cache per segment; facet values come from a column
read once per segment, coded as integers, and are counted (numpy ``bincount``) over the matched
visible documents only; only the shown page is highlighted. Commits merge small segments in tiers
and never rewrite big ones.
Whoosh file reads are not safe to share between threads, so a handle serialises its searches.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import threading
import time
import uuid
import warnings
from collections import Counter, OrderedDict
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as windex
from whoosh import query as wq
from whoosh.index import LockError
from whoosh.reading import EmptyReader, MultiReader, SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, IndexWriter

from ..analysis import stem
from ..errors import IndexLockedError
from ..model import IndexDoc, SearchRequest
from ..query import And, Fuzzy, MatchAll, MatchNone, Node, Not, Or, Phrase, Prefix, Term
from .base import EngineHandle, Progress, RawResult, RawRow, SearchBackend, content_of, payload_of
from .whoosh_fast import Candidates, Evaluator, PostingCache, Segment, pair_terms, segments_of, term_docs, top
from .whoosh_schema import REQUIRED_FIELDS, SEP, build_schema

ALLOWED_CACHE_SIZE = 64
#: Evaluate queries with ``whoosh_fast`` (False: Whoosh's own query tree, the slower reference path).
FAST_PATH = True
#: Merge this many small segments of one size tier on commit; never rewrite segments this big on commit.
MERGE_TIER = 8
MAX_COMMIT_MERGE_DOCS = 2_000
FILTER_FIELDS = (("types", "type"), ("clients", "client"), ("authors", "author"),
                 ("organisations", "organisation"), ("life_domains", "life_domain"))
#: The values of the ``facets`` column, in order; life domains are one value joined with \x1e.
FACET_COLUMNS = ("type", "client", "author", "organisation", "life_domain", "year")


def compile_node(node: Node) -> wq.Query:
    """Our query tree as a Whoosh query (terms on stems, phrases on stem pairs, prefix/fuzzy on words).

    Only for the reference path: a phrase of three or more words becomes the AND of its pairs, which
    may also match documents holding the pairs apart (the fast path checks the text).
    """
    if isinstance(node, Term):
        return wq.Term("content", node.stem)
    if isinstance(node, Phrase):
        return wq.And([wq.Term("pairs", p) for p in pair_terms(node.stems)])
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


def tiered_merge(writer: IndexWriter, segments: list[Any]) -> list[Any]:
    """Merge policy for request-time commits: merge only small segments, ``MERGE_TIER`` of a size at once.

    Segments are grouped by tier (live documents 1-9, 10-99, 100-999...); a tier holding ``MERGE_TIER``
    segments is merged into one of the next tier. Segments at or above ``MAX_COMMIT_MERGE_DOCS`` are
    never rewritten here (Whoosh's default policy could rewrite a big segment on a one-note commit,
    seconds at 100k notes): that is for ``optimize()`` off-hours. So one note commits in bounded time and
    the number of segments stays logarithmic in the number of commits.
    """
    tiers: dict[int, list[Any]] = {}
    for segment in segments:
        live = segment.doc_count()
        if live < MAX_COMMIT_MERGE_DOCS:
            tiers.setdefault(len(str(max(1, live))), []).append(segment)
    merged: set[str] = set()
    for tier in sorted(tiers):
        members = tiers[tier]
        if len(members) >= MERGE_TIER:
            for segment in members:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
                merged.add(segment.segment_id())
    return [segment for segment in segments if segment.segment_id() not in merged]


def _remember_columns(writer: IndexWriter) -> None:
    """Make this writer's segment flush stop asking the file system, per posting, for length columns.

    Whoosh looks up each posting's field length while writing a segment; for a field without lengths
    (``words``, ``pairs``, ``principals``...) its reader re-checks the column file's existence with a
    ``stat()`` every time, about a third of the indexing time. The files do not change during the
    flush, so answer from memory. Only this writer's own reader is changed, nothing global.
    """
    if not hasattr(writer, "per_document_reader"):  # not a SegmentWriter (e.g. the multi-process one)
        return
    original = writer.per_document_reader

    def per_document_reader() -> Any:
        reader = original()
        reader.has_column = functools.lru_cache(maxsize=None)(reader.has_column)
        return reader

    writer.per_document_reader = per_document_reader


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
    return {"id": doc.id, "content": content, "words": content, "pairs": content,
            "principals": SEP.join(sorted(doc.principals)),
            "type": doc.type, "client": doc.client or "", "author": doc.author,
            "organisation": doc.organisation, "life_domain": SEP.join(doc.life_domains),
            "created": _naive_utc(doc.created_at), "modified": _naive_utc(doc.modified_at),
            "payload": json.dumps(payload_of(doc)), "facets": facets.encode()}


class FacetCodes:
    """Every document's facet values as integer codes, one row per facet column, for counting with numpy.

    Code 0 is the empty value in every column. Rows of a segment are decoded once (segments do not
    change); the codes of the whole searcher are their concatenation in docnum order.
    """

    def __init__(self) -> None:
        self.labels: list[list[str]] = [[""] for _ in FACET_COLUMNS]
        self._codes: list[dict[str, int]] = [{"": 0} for _ in FACET_COLUMNS]
        self._segments: dict[str, np.ndarray] = {}
        self.rows: np.ndarray | None = None  # shape (columns, docnums) for the current searcher

    def _code(self, column: int, value: str) -> int:
        codes = self._codes[column]
        code = codes.get(value)
        if code is None:
            code = codes[value] = len(self.labels[column])
            self.labels[column].append(value)
        return code

    def _segment_rows(self, reader: Any) -> np.ndarray:
        values = list(reader.column_reader("facets"))
        rows = np.zeros((len(FACET_COLUMNS), len(values)), dtype=np.int32)
        code = self._code
        for i, value in enumerate(values):
            for column, part in enumerate(value.decode().split(SEP)):
                rows[column, i] = code(column, part)
        return rows

    def refresh(self, searcher: Searcher) -> np.ndarray:
        """The code rows of ``searcher``'s documents (decoding only segments not seen before)."""
        parts: list[np.ndarray] = []
        live: dict[str, np.ndarray] = {}
        filled = 0
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if offset > filled:
                parts.append(np.zeros((len(FACET_COLUMNS), offset - filled), dtype=np.int32))
            key = reader.segment().segment_id() if reader.segment() is not None else str(id(reader))
            rows = self._segments.get(key)
            if rows is None:
                rows = self._segment_rows(reader)
            live[key] = rows
            parts.append(rows)
            filled = offset + rows.shape[1]
        self._segments = live
        self.rows = np.concatenate(parts, axis=1) if parts else np.zeros((len(FACET_COLUMNS), 0), dtype=np.int32)
        return self.rows

    def count(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        """Facet counts over ``docs`` (global docnums)."""
        assert self.rows is not None
        sub = self.rows[:, docs]
        counts: dict[str, dict[str, int]] = {}
        for column, name in enumerate(FACET_COLUMNS):
            labels = self.labels[column]
            tally = np.bincount(sub[column], minlength=len(labels))
            counts[name] = {labels[i]: int(tally[i]) for i in np.flatnonzero(tally)}
        counts["client"].pop("", None)
        domains: Counter[str] = Counter()
        for joined, n in counts["life_domain"].items():
            for domain in joined.split("\x1e") if joined else ():
                domains[domain] += n
        counts["life_domain"] = dict(domains)
        return counts


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
        self._allowed: OrderedDict[frozenset[str], Candidates] = OrderedDict()
        self._segment_cache: dict[str, Segment] = {}
        self._segments: list[Segment] | None = None
        self._postings = PostingCache()
        self._facets = FacetCodes()
        self._facets_current = False

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
        self._segments = None
        self._facets_current = False
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

    def _allowed_docs(self, searcher: Searcher, principals: frozenset[str]) -> Candidates:
        """Docnums visible to ``principals`` (deleted ones excluded), cached per searcher generation."""
        cached = self._allowed.get(principals)
        if cached is None:
            segments = self._segments_of(searcher)
            mask = np.zeros(max(1, searcher.doc_count_all()), dtype=bool)
            for principal in principals:
                mask[term_docs(segments, "principals", principal)] = True
            for seg in segments:
                if seg.reader.has_deletions():
                    mask[np.fromiter(seg.reader.deleted_docs_set, dtype=np.int64) + seg.offset] = False
            cached = Candidates.of_mask(mask)
            self._allowed[principals] = cached
            if len(self._allowed) > ALLOWED_CACHE_SIZE:
                self._allowed.popitem(last=False)
        else:
            self._allowed.move_to_end(principals)
        return cached

    def _segments_of(self, searcher: Searcher) -> list[Segment]:
        if self._segments is None:
            self._segments = segments_of(searcher, self._segment_cache)
            self._postings.retain(set(self._segment_cache))
        return self._segments

    def _facet_codes(self, searcher: Searcher) -> FacetCodes:
        if not self._facets_current:
            self._facets.refresh(searcher)
            self._facets_current = True
        return self._facets

    # -- EngineHandle -------------------------------------------------------------------------
    def execute(self, node: Node, req: SearchRequest, principals: frozenset[str], *,
                offset: int, limit: int) -> RawResult:
        with self._lock:
            searcher = self._fresh()
            allowed = self._allowed_docs(searcher, principals)
            if not len(allowed):
                return RawResult(total=0)
            if not FAST_PATH:
                return self._execute_whoosh(searcher, node, req, set(allowed.ordered.tolist()),
                                            offset=offset, limit=limit)
            within = allowed
            filters = filter_query(req)
            if filters:
                filtered = np.fromiter(searcher.docs_for_query(wq.And(filters)), dtype=np.int64)
                within = Candidates(allowed.intersect(filtered), allowed.size)
            segments = self._segments_of(searcher)
            evaluator = Evaluator(searcher, segments, "pairs" in searcher.schema, self._postings)
            hits = evaluator.evaluate(node, within)
            result = RawResult(total=len(hits), facets=self._count_facets(searcher, hits.docs))
            if limit and offset < len(hits):
                if req.sort == "date":
                    keys = np.iinfo(np.uint64).max - self._modified(segments, hits.docs)
                else:
                    keys = -hits.scores
                for position in top(keys, hits.docs, offset + limit)[offset:]:
                    payload = json.loads(searcher.stored_fields(int(hits.docs[position]))["payload"])
                    score = float(hits.scores[position]) if req.sort == "relevance" else 0.0
                    result.rows.append(RawRow(payload, score))
        return result

    @staticmethod
    def _modified(segments: list[Segment], docs: np.ndarray) -> np.ndarray:
        """The sortable ``modified`` value of each of the (sorted) docnums."""
        parts = []
        for seg in segments:
            low, high = np.searchsorted(docs, [seg.offset, seg.offset + seg.size])
            if high > low:
                parts.append(seg.modified_values()[docs[low:high] - seg.offset])
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint64)

    def _execute_whoosh(self, searcher: Searcher, node: Node, req: SearchRequest, allowed: set[int] | frozenset[int],
                        *, offset: int, limit: int) -> RawResult:
        """The same answer through Whoosh's own query tree: the reference the fast path is tested against."""
        query = wq.And([compile_node(node), *filter_query(req)])
        matched = allowed.intersection(searcher.docs_for_query(query))
        result = RawResult(total=len(matched), facets=self._count_facets(searcher, matched))
        if limit and offset < len(matched):
            if req.sort == "date":
                results = searcher.search(query, filter=matched, limit=offset + limit, sortedby="modified",
                                          reverse=True)
            else:
                results = searcher.search(query, filter=matched, limit=offset + limit)
            for score, docnum in results.top_n[offset:offset + limit]:
                payload = json.loads(searcher.stored_fields(docnum)["payload"])
                result.rows.append(RawRow(payload, score if req.sort == "relevance" else 0.0))
        return result

    def _count_facets(self, searcher: Searcher, matched: Collection[int] | np.ndarray) -> dict[str, dict[str, int]]:
        if not len(matched):
            return {}
        docs = matched if isinstance(matched, np.ndarray) else np.fromiter(matched, dtype=np.int64)
        return self._facet_codes(searcher).count(docs)

    def _visible_counts(self, terms: Iterable[str], principals: frozenset[str]) -> list[tuple[str, int]]:
        with self._lock:
            searcher = self._fresh()
            allowed = self._allowed_docs(searcher, principals)
            evaluator = Evaluator(searcher, self._segments_of(searcher), "pairs" in searcher.schema, self._postings)
            out = []
            for term in terms:
                n = len(evaluator.term_docs("words", term, allowed))
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
            writer = self.ix.writer(timeout=self.write_timeout, **kwargs)
        except LockError as exc:
            raise IndexLockedError(f"whoosh index {self.directory} is locked by another writer") from exc
        _remember_columns(writer)
        return writer

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
        writer.commit(mergetype=tiered_merge)  # small segments only: bounded, big merges are for optimize

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
        """Read every segment back whole, except segments already read whose files are unchanged.

        Segments are immutable, so a segment read back once stays good while its files keep their
        inode, size and modification time (recorded in ``VERIFIED_FILE``, which Whoosh ignores as a
        dot-file). A worker starting on a 100k-note index then reads only the segments committed
        since the last check instead of seconds of postings. The table of contents (with the
        deletions) is read on every check.
        """
        verified = _read_verified(directory)
        checked: dict[str, list[int]] = {}
        with contextlib.ExitStack() as stack:
            ix = windex.open_dir(str(directory))
            stack.callback(ix.close)
            missing = [name for name in REQUIRED_FIELDS if name not in ix.schema]
            if missing:  # built by an older version: rebuild it (as a damaged index) to get the new fields
                raise ValueError(f"whoosh index {directory} lacks the fields {missing}")
            searcher = stack.enter_context(ix.searcher())
            for sub, _ in searcher.leaf_searchers():
                reader = sub.reader()
                segment_id = reader.segment().segment_id()
                stamp = _segment_stamp(directory, segment_id)
                if verified.get(segment_id) != stamp:
                    _read_segment(reader)
                checked[segment_id] = stamp
        if checked != verified:
            _write_verified(directory, checked)


VERIFIED_FILE = ".verified-segments.json"


def _segment_stamp(directory: Path, segment_id: str) -> list[int]:
    """Inode, size and modification time (ns) of each of a segment's files, in name order."""
    stamp: list[int] = []
    for path in sorted(directory.glob(f"{segment_id}.*")):
        info = path.stat()
        stamp += [info.st_ino, info.st_size, info.st_mtime_ns]
    if not stamp:
        raise FileNotFoundError(f"segment {segment_id} has no files in {directory}")
    return stamp


def _read_segment(reader: Any) -> None:
    """Decode everything a search can touch in one segment: stored fields, postings, the facet column."""
    for stored in reader.all_stored_fields():
        json.loads(stored["payload"])
    for fieldname in ("principals", "words", "content", "pairs"):
        for term in reader.lexicon(fieldname):
            reader.postings(fieldname, term).all_ids()
    list(reader.column_reader("facets"))


def _read_verified(directory: Path) -> dict[str, list[int]]:
    try:
        data = json.loads((directory / VERIFIED_FILE).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_verified(directory: Path, checked: dict[str, list[int]]) -> None:
    """Record the segments read back (atomically; a failure only means a full read next time)."""
    tmp = directory / f"{VERIFIED_FILE}.{uuid.uuid4().hex}"
    try:
        tmp.write_text(json.dumps(checked), encoding="ascii")
        tmp.replace(directory / VERIFIED_FILE)
    except OSError:
        tmp.unlink(missing_ok=True)


class WhooshBackend(SearchBackend):
    """Search backend on Whoosh (whoosh-reloaded 2.7.5)."""

    name = "whoosh"
    handle_class = WhooshHandle
