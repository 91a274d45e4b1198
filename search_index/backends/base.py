"""The engine-neutral half of every backend: validation, the security invariant, snippets,
did-you-mean, suggestions, and the generation directories that let ``rebuild`` swap atomically.

Each engine supplies an ``EngineHandle`` for one index directory. The backend keeps the live handle,
named in the file ``CURRENT`` under the root, so several processes agree on which index is live.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from ..analysis import STOP_WORDS, levenshtein, words
from ..errors import InvalidSearchRequestError, MissingPrincipalsError
from ..highlight import snippet, word_matcher
from ..model import FACET_FIELDS, Hit, IndexDoc, SearchPage, SearchRequest, empty_facets, top_facet_values
from ..query import MatchNone, Node, Term, leaves, parse, replace_word

Progress = Callable[[int], None]
SUGGEST_MIN_CHARS = 2


@dataclass
class RawRow:
    """One hit as an engine returns it: the stored payload and its score."""

    payload: dict[str, Any]
    score: float


@dataclass
class RawResult:
    """Engine answer: exact visible total, the requested rows, facet counts over all visible matches."""

    total: int
    rows: list[RawRow] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


def payload_of(doc: IndexDoc) -> dict[str, Any]:
    """What we store per document: enough to show a hit and build its snippet."""
    text = doc.text if not doc.attachments_text else doc.text + "\n" + doc.attachments_text
    return {"id": doc.id, "type": doc.type, "title": doc.title, "url": doc.url, "client": doc.client,
            "author": doc.author, "modified_at": doc.modified_at.isoformat(), "text": text}


def content_of(doc: IndexDoc) -> str:
    """The full-text body: title, text and attachment text."""
    return "\n".join(part for part in (doc.title, doc.text, doc.attachments_text) if part)


class EngineHandle(ABC):
    """One open index directory of one engine."""

    def __init__(self, directory: Path, *, create: bool, write_timeout: float) -> None:
        self.directory = directory
        self.write_timeout = write_timeout
        self.users = 0  # searches and writes in flight (guarded by the backend's handle lock)
        self.retired = False  # replaced by a newer generation: close when the last user is done

    @abstractmethod
    def write(self, docs: Sequence[IndexDoc], delete_ids: Sequence[str]) -> None:
        """Replace ``docs`` (by id) and delete ``delete_ids`` in one commit; visible on return."""

    @abstractmethod
    def bulk_load(self, docs: Iterable[IndexDoc], progress: Progress | None) -> int:
        """Fill an empty index fast and optimise it; return the number of documents."""

    @abstractmethod
    def execute(self, node: Node, req: SearchRequest, principals: frozenset[str], *,
                offset: int, limit: int) -> RawResult:
        """Run ``node`` AND the request filters AND the principal filter inside the engine."""

    @abstractmethod
    def visible_words(self, prefix: str, principals: frozenset[str]) -> list[tuple[str, int]]:
        """Folded words starting with ``prefix`` and how many visible documents hold each."""

    @abstractmethod
    def spelling_candidates(self, word: str, principals: frozenset[str]) -> list[tuple[str, int]]:
        """Visible words that may be within edit distance 2 of ``word`` (same first letter)."""

    @abstractmethod
    def stem(self, word: str) -> str:
        """The engine's own stem of a folded word (for highlighting)."""

    @abstractmethod
    def count(self) -> int:
        """Number of live documents."""

    @abstractmethod
    def clear(self) -> None:
        """Delete every document."""

    @abstractmethod
    def close(self) -> None:
        """Release files and searchers."""

    def optimize(self) -> None:
        """Merge segments (off-hours). Engines that merge on their own need nothing here."""
        return None

    def compact(self) -> bool:
        """Rewrite the index in place so deleted documents leave no trace in any file.

        Return False if the engine cannot: the backend then rebuilds into a new generation.
        """
        return False

    @classmethod
    @abstractmethod
    def check_directory(cls, directory: Path) -> bool:
        """Read the whole index in ``directory`` from scratch; False if anything is damaged."""


def _check_principals(principals: object) -> frozenset[str]:
    if not isinstance(principals, set | frozenset) or not all(isinstance(p, str) for p in principals):
        raise MissingPrincipalsError("principals must be a set of principal tokens")
    return frozenset(principals)


class SearchBackend:
    """A full-text index with a security filter built into every query (DESIGN §5, §8).

    Thread-safe within one process: writes are serialised by a lock, searches pick up the
    live handle and the engine's newest searcher. ``principals`` is always required; an empty set
    sees nothing.
    """

    name: ClassVar[str] = "abstract"
    handle_class: ClassVar[type[EngineHandle]]

    def __init__(self, path: Path, *, write_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.write_timeout = write_timeout
        self._write_lock = threading.RLock()
        self._handle_lock = threading.Lock()
        self._rebuild_lock = threading.Lock()
        self._journal: list[tuple[Sequence[IndexDoc], Sequence[str]]] | None = None
        with self._write_lock:
            current = self._read_current()
            if current is None or not (self.path / current).is_dir():
                current = self._new_generation_name()
                handle = self._open_handle(current, create=True)
                self._write_current(current)
            else:
                handle = self._open_handle(current, create=False)
            self._generation, self._handle = current, handle

    # -- generations -------------------------------------------------------------------------
    def _open_handle(self, generation: str, *, create: bool) -> EngineHandle:
        directory = self.path / generation
        directory.mkdir(parents=True, exist_ok=True)
        return self.handle_class(directory, create=create, write_timeout=self.write_timeout)

    @staticmethod
    def _new_generation_name() -> str:
        return f"gen-{time.time_ns()}-{uuid.uuid4().hex[:8]}"

    def _read_current(self) -> str | None:
        try:
            name = (self.path / "CURRENT").read_text(encoding="ascii").strip()
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        return name if name.startswith("gen-") and "/" not in name else None

    def _write_current(self, generation: str) -> None:
        """Point CURRENT at ``generation`` atomically (write, fsync, rename)."""
        tmp = self.path / f"CURRENT.{uuid.uuid4().hex}.tmp"
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(generation)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path / "CURRENT")

    @contextlib.contextmanager
    def _using(self) -> Iterator[EngineHandle]:
        """The live handle, kept open while in use even if a rebuild retires it meanwhile.

        Also follows a swap made by another process (CURRENT names a newer generation).
        """
        current = self._read_current()
        if current is not None and current != self._generation and (self.path / current).is_dir():
            with self._write_lock:
                if current != self._generation:
                    self._swap(self._open_handle(current, create=False), current)
        with self._handle_lock:
            handle = self._handle
            handle.users += 1
        try:
            yield handle
        finally:
            with self._handle_lock:
                handle.users -= 1
                close = handle.retired and handle.users == 0
            if close:
                handle.close()

    def _swap(self, new: EngineHandle, generation: str) -> None:
        """Make ``new`` live; the old handle closes once no search uses it any more."""
        with self._handle_lock:
            old, self._handle, self._generation = self._handle, new, generation
            old.retired = True
            close = old.users == 0
        if close:
            old.close()

    # -- writing -----------------------------------------------------------------------------
    def upsert(self, docs: Iterable[IndexDoc]) -> None:
        """Add or replace documents by id; searchable when this returns.

        :raise IndexLockedError: another writer kept the lock past the timeout.
        """
        batch = list(docs)
        for doc in batch:
            if not isinstance(doc, IndexDoc):
                raise TypeError(f"expected IndexDoc, got {type(doc).__name__}")
        if batch:
            self._apply(batch, [])

    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents by id (unknown ids are ignored)."""
        batch = [str(i) for i in ids]
        if batch:
            self._apply([], batch)

    def _apply(self, docs: Sequence[IndexDoc], delete_ids: Sequence[str]) -> None:
        with self._write_lock:
            with self._using() as handle:
                handle.write(docs, delete_ids)
            if self._journal is not None:  # a rebuild is running: replay this into the new index too
                self._journal.append((docs, delete_ids))

    def clear(self) -> None:
        """Delete every document."""
        with self._write_lock, self._using() as handle:
            handle.clear()

    def optimize(self) -> None:
        """Merge the index's segments: off-hours maintenance, never in a request (DESIGN §8)."""
        with self._write_lock, self._using() as handle:
            handle.optimize()

    def expunge(self, ids: Iterable[str], docs_iter: Callable[[], Iterable[IndexDoc]],
                progress: Progress | None = None) -> None:
        """Delete ``ids`` for good: afterwards no file under the index holds their text or terms.

        A delete only marks documents dead inside their segments; text and terms stay on disk until the
        segments are merged. Engines that can merge everything in place do so (Whoosh); the others
        rebuild from ``docs_iter()`` (the database, without the destroyed records) and remove every
        older generation. For record destruction, off-hours: never in a request.
        """
        self.delete(ids)
        with self._write_lock, self._using() as handle:
            compacted = handle.compact()
        if not compacted:
            self.rebuild(docs_iter(), progress, keep_previous=False)

    def rebuild(self, docs_iter: Iterable[IndexDoc], progress: Progress | None = None, *,
                keep_previous: bool = True) -> int:
        """Build a fresh index beside the live one, then swap it in; search stays online.

        Writes made while the rebuild runs are replayed into the new index before the swap.
        Returns the number of documents loaded.
        """
        with self._rebuild_lock:
            generation = self._new_generation_name()
            with self._write_lock:
                self._journal = []
            new = None
            try:
                new = self._open_handle(generation, create=True)
                loaded = new.bulk_load(docs_iter, progress)
                with self._write_lock:
                    for docs, delete_ids in self._journal:
                        new.write(docs, delete_ids)
                    self._journal = None
                    self._write_current(generation)
                    old_generation = self._generation
                    self._swap(new, generation)
                # Keep the previous generation one cycle: a search in flight here or in another process
                # may still read it (tantivy opens some segment files lazily). Older ones go.
                # Destruction passes keep_previous=False: then the previous generation goes too.
                keep = {generation, old_generation} if keep_previous else {generation}
                for stale in self.path.glob("gen-*"):
                    if stale.name not in keep:
                        shutil.rmtree(stale, ignore_errors=True)
                return loaded
            except BaseException:
                with self._write_lock:
                    self._journal = None
                if new is not None and new is not self._handle:
                    new.close()
                    shutil.rmtree(self.path / generation, ignore_errors=True)
                raise

    # -- reading -----------------------------------------------------------------------------
    def count(self) -> int:
        """Number of documents in the index (all of them: an operator figure, not for users)."""
        with self._using() as handle:
            return handle.count()

    def check(self) -> bool:
        """True if the live index reads back completely; False means: rebuild it."""
        current = self._read_current() or self._generation
        directory = self.path / current
        return directory.is_dir() and self.handle_class.check_directory(directory)

    def close(self) -> None:
        """Release files; the object must not be used afterwards."""
        with self._write_lock:
            self._handle.close()

    def search(self, req: SearchRequest, *, principals: frozenset[str]) -> SearchPage:
        """One page of hits the caller may see, with exact total, facets and did-you-mean.

        :raise MissingPrincipalsError: ``principals`` is not a set of strings.
        """
        principals = _check_principals(principals)
        if not isinstance(req, SearchRequest):
            raise InvalidSearchRequestError("expected a SearchRequest")
        node = parse(req.q)
        if not principals or isinstance(node, MatchNone):
            return SearchPage([], 0, req.page, req.per_page, empty_facets(), None)
        with self._using() as handle:
            raw = handle.execute(node, req, principals, offset=req.offset, limit=req.per_page)
            matcher = word_matcher(node, handle.stem)
            hits = [self._hit(row, matcher) for row in raw.rows]
            did_you_mean = self._did_you_mean(handle, node, req, principals) if raw.total == 0 else None
        facets = {name: top_facet_values(raw.facets.get(name, {})) for name in FACET_FIELDS}
        return SearchPage(hits, raw.total, req.page, req.per_page, facets, did_you_mean)

    @staticmethod
    def _hit(row: RawRow, matcher: Callable[[str], bool]) -> Hit:
        p = row.payload
        return Hit(id=p["id"], type=p["type"], title=p["title"], url=p["url"], client=p["client"],
                   author=p["author"], modified_at=datetime.fromisoformat(p["modified_at"]),
                   score=float(row.score), snippet_html=snippet(p["text"], matcher))

    def _did_you_mean(self, handle: EngineHandle, node: Node, req: SearchRequest,
                      principals: frozenset[str]) -> str | None:
        """A corrected query built from visible words only, offered only if it finds a visible hit."""
        corrected, changed = req.q, False
        for word in dict.fromkeys(leaf.word for leaf in leaves(node) if isinstance(leaf, Term)):
            candidates = handle.spelling_candidates(word, principals)
            if any(w == word and n > 0 for w, n in candidates):
                continue
            scored = [(levenshtein(word, w), -n, w) for w, n in candidates
                      if n > 0 and w != word and w not in STOP_WORDS]
            scored = [s for s in scored if s[0] <= 2]
            if scored:
                corrected, changed = replace_word(corrected, word, min(scored)[2]), True
        if not changed:
            return None
        new_node = parse(corrected)
        if isinstance(new_node, MatchNone):
            return None
        found = handle.execute(new_node, req, principals, offset=0, limit=0).total
        return corrected if found > 0 else None

    def suggest(self, prefix: str, *, principals: frozenset[str], limit: int = 8) -> list[str]:
        """Completions of the last word of ``prefix`` from words of documents the caller may see."""
        principals = _check_principals(principals)
        parts = words(prefix[:200])
        if not principals or not parts or len(parts[-1]) < SUGGEST_MIN_CHARS or prefix[-1:].isspace():
            return []
        head = " ".join(parts[:-1])
        with self._using() as handle:
            found = [(w, n) for w, n in handle.visible_words(parts[-1], principals) if n > 0 and w not in STOP_WORDS]
        found.sort(key=lambda item: (-item[1], item[0]))
        return [f"{head} {w}".strip() for w, _ in found[:max(0, min(limit, 50))]]

    def __enter__(self) -> SearchBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.close()
