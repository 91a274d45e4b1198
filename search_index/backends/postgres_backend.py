"""PostgreSQL full-text backend (scale-out: several app processes share the database's index).

Documents live in tables of their own (``postgres_schema``): a tsvector with a GIN index, the
principal tokens as ``text[]`` with a GIN index, and a vocabulary for fuzzy terms. The security filter,
the filters, the total and the facet counts are all inside the SQL, over the same WHERE clause.

Writers serialise on a transaction-level advisory lock (one writer at a time, as in Whoosh and
tantivy, across processes too); ``write_timeout`` becomes ``lock_timeout``. ``rebuild`` loads fresh
tables beside the live ones and swaps them in by renaming, in one short transaction.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from ..analysis import levenshtein, stem
from ..errors import IndexLockedError, MissingDatabaseUrlError
from ..model import IndexDoc, SearchRequest
from ..query import Node
from . import postgres_query as pq
from .base import EngineHandle, Progress, RawResult, RawRow, SearchBackend, content_of, payload_of
from .postgres_schema import (
    CONTROL_TABLES,
    DOCUMENTS,
    JOURNAL,
    REBUILDS,
    TABLES,
    control_ddl,
    index_ddl,
    quote_lexeme,
    table_ddl,
    tsvector_literal,
)

log = logging.getLogger(__name__)
#: pg_advisory locks: one writer at a time; one rebuild at a time; schema creation.
WRITE_LOCK_KEY, REBUILD_LOCK_KEY, SCHEMA_LOCK_KEY = 0x5EA2C401, 0x5EA2C402, 0x5EA2C403
FUZZY_EXPANSIONS = 500
#: Suggestions and did-you-mean count words in at most this many visible documents (the newest).
SUGGEST_SAMPLE = 500
IDLE_CONNECTIONS = 8


def libpq_url(url: str) -> str:
    """Accept SQLAlchemy's ``postgresql+psycopg://`` and Heroku's ``postgres://`` as well."""
    for prefix in ("postgresql+psycopg://", "postgresql+psycopg2://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix):]
    return url


class ConnectionPool:
    """A few reusable connections; one per thread at a time."""

    def __init__(self, url: str) -> None:
        self.url = libpq_url(url)
        self._idle: queue.LifoQueue[psycopg.Connection[Any]] = queue.LifoQueue()
        self._closed = False

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = psycopg.connect(self.url, autocommit=True)
        ok = False
        try:
            yield conn
            ok = True
        finally:
            if ok and not self._closed and not conn.closed and self._idle.qsize() < IDLE_CONNECTIONS:
                self._idle.put(conn)
            else:
                conn.close()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


class PostgresHandle(EngineHandle):
    """The tables of one generation: the live ones (``suffix=""``) or a build in progress."""

    def __init__(self, pool: ConnectionPool, *, suffix: str = "", write_timeout: float = 10.0) -> None:
        self.directory = Path(".")  # EngineHandle's field; no files here
        self.write_timeout = write_timeout
        self.users, self.retired = 0, False
        self.pool = pool
        self.suffix = suffix
        self.documents, self.terms = (name + suffix for name in TABLES)
        self.has_levenshtein = False
        self.fuzzy_schema = "public"  # where fuzzystrmatch lives: called schema-qualified, whatever search_path is

    # -- schema ---------------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        """Create the tables and indexes if missing (idempotent; also done by the Alembic migration)."""
        with self.pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            for statement in [*table_ddl(self.suffix), *index_ddl(self.suffix), *control_ddl()]:
                conn.execute(statement)
        schema = enable_fuzzystrmatch(self.pool)
        self.has_levenshtein = schema is not None
        self.fuzzy_schema = schema or self.fuzzy_schema

    # -- queries --------------------------------------------------------------------------------
    def stem(self, word: str) -> str:
        return stem(word)

    def _expand_fuzzy(self, conn: psycopg.Connection[Any], word: str, distance: int,
                      *, first_letter: bool = False) -> list[str]:
        """Vocabulary words within ``distance`` of ``word`` (closest first)."""
        params: dict[str, Any] = {"w": word, "d": distance, "lo": len(word) - distance,
                                  "hi": len(word) + distance, "n": FUZZY_EXPANSIONS,
                                  "first": _like_prefix(word[:1]) if first_letter else "%"}
        if self.has_levenshtein:
            schema = self.fuzzy_schema.replace('"', '""')
            edits = f'"{schema}".levenshtein_less_equal(word, %(w)s::text, %(d)s::integer)'
            rows = conn.execute(
                f"SELECT word FROM {self.terms} WHERE word LIKE %(first)s "
                "AND length(word) BETWEEN %(lo)s AND %(hi)s "
                f"AND {edits} <= %(d)s ORDER BY {edits}, word LIMIT %(n)s", params).fetchall()
            return [r[0] for r in rows]
        rows = conn.execute(f"SELECT word FROM {self.terms} WHERE word LIKE %(first)s "
                            "AND length(word) BETWEEN %(lo)s AND %(hi)s", params).fetchall()
        scored = sorted((levenshtein(r[0], word, distance), r[0]) for r in rows)
        return [w for d, w in scored if d <= distance][:FUZZY_EXPANSIONS]

    def execute(self, node: Node, req: SearchRequest, principals: frozenset[str], *,
                offset: int, limit: int) -> RawResult:
        with self.pool.connection() as conn, _read_snapshot(conn):
            tsquery = pq.to_tsquery(node, lambda w, d: self._expand_fuzzy(conn, w, d))
            where, params = pq.where_clause(tsquery, req, principals)
            result = RawResult(total=0)
            sql = pq.result_sql(self.documents, where, by_date=req.sort == "date", ranked=tsquery is not None)
            hits: list[tuple[int, str, float]] = []
            for facet, value, n, score in conn.execute(sql, {**params, "limit": limit, "offset": offset}):
                if facet == "#hit":
                    hits.append((int(n), value, float(score)))
                elif facet:
                    result.facets.setdefault(facet, {})[value] = int(n)
                else:
                    result.total = int(n)
            if hits:
                payloads = dict(conn.execute(f"SELECT id, payload FROM {self.documents} WHERE id = ANY(%s::text[])",
                                             ([doc_id for _, doc_id, _ in hits],)).fetchall())
                result.rows = [RawRow(json.loads(payloads[doc_id]), score) for _, doc_id, score in sorted(hits)]
        return result

    def _visible_counts(self, conn: psycopg.Connection[Any], tsquery: str, condition: str,
                        params: dict[str, Any]) -> list[tuple[str, int]]:
        """Words (``_`` lexemes) of the visible documents matching ``tsquery``, with document counts.

        Counted over the newest ``SUGGEST_SAMPLE`` such documents: exact for most users, and a bounded
        cost for a user who may see most of a large index (counts then rank, they are never shown).
        """
        rows = conn.execute(
            f"SELECT substr(w, 2), count(*) FROM (SELECT content FROM {self.documents} "
            "WHERE principals && %(principals)s::text[] AND content @@ %(q)s::tsquery "
            "ORDER BY modified_at DESC LIMIT %(sample)s) AS d, unnest(tsvector_to_array(d.content)) AS w "
            f"WHERE {condition} GROUP BY w", {**params, "q": tsquery, "sample": SUGGEST_SAMPLE}).fetchall()
        return [(word, int(n)) for word, n in rows]

    def visible_words(self, prefix: str, principals: frozenset[str]) -> list[tuple[str, int]]:
        with self.pool.connection() as conn, _read_snapshot(conn):
            return self._visible_counts(conn, quote_lexeme("_" + prefix) + ":*", "w LIKE %(prefix)s",
                                        {"prefix": _like_prefix("_" + prefix), "principals": sorted(principals)})

    def spelling_candidates(self, word: str, principals: frozenset[str]) -> list[tuple[str, int]]:
        with self.pool.connection() as conn, _read_snapshot(conn):
            lexemes = ["_" + w for w in dict.fromkeys([word, *self._expand_fuzzy(conn, word, 2, first_letter=True)])]
            tsquery = " | ".join(quote_lexeme(lexeme) for lexeme in lexemes)
            return self._visible_counts(conn, tsquery, "w = ANY(%(lexemes)s::text[])",
                                        {"lexemes": lexemes, "principals": sorted(principals)})

    # -- writing --------------------------------------------------------------------------------
    @staticmethod
    def _row(doc: IndexDoc) -> tuple[tuple[Any, ...], list[str]]:
        vector, vocabulary = tsvector_literal(content_of(doc))
        row = (doc.id, vector, sorted(doc.principals), doc.type, doc.client, doc.author, doc.organisation,
               sorted(set(doc.life_domains)), doc.created_at.year, doc.created_at, doc.modified_at,
               json.dumps(payload_of(doc)))
        return row, vocabulary

    @contextlib.contextmanager
    def _writing(self) -> Iterator[psycopg.Connection[Any]]:
        """A write transaction holding the one-writer lock, or IndexLockedError after the timeout."""
        with self.pool.connection() as conn:
            try:
                with conn.transaction():
                    conn.execute(f"SET LOCAL lock_timeout = {max(1, int(self.write_timeout * 1000))}")
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
                    yield conn
            except pg_errors.LockNotAvailable as exc:
                raise IndexLockedError("another process holds the search index write lock") from exc

    def write(self, docs: Sequence[IndexDoc], delete_ids: Sequence[str]) -> None:
        rows = [self._row(doc) for doc in docs]
        ids = sorted({*delete_ids, *(doc.id for doc in docs)})
        with self._writing() as conn:
            if not self.suffix:  # a rebuild running in any process copies these ids over before its swap
                conn.execute(f"INSERT INTO {JOURNAL} (doc_id) SELECT unnest(%s::text[]) "
                             f"WHERE EXISTS (SELECT 1 FROM {REBUILDS})", (ids,))
            conn.execute(f"DELETE FROM {self.documents} WHERE id = ANY(%s::text[])", (ids,))
            if rows:
                with conn.cursor() as cur:
                    cur.executemany(
                        f"INSERT INTO {self.documents} VALUES (%s, %s::tsvector, %s, %s, %s, %s, %s, %s, %s, %s, "
                        "%s, %s)", [row for row, _ in rows])
                    new_terms = sorted({w for _, vocabulary in rows for w in vocabulary})
                    cur.execute(f"INSERT INTO {self.terms} (word) SELECT unnest(%s::text[]) ON CONFLICT DO NOTHING",
                                (new_terms,))

    def bulk_load(self, docs: Iterable[IndexDoc], progress: Progress | None) -> int:
        """COPY into tables without indexes (the caller builds them); the vocabulary is derived in SQL."""
        n = 0
        with self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            with cur.copy(f"COPY {self.documents} FROM STDIN") as doc_copy:
                for doc in docs:
                    doc_copy.write_row(self._row(doc)[0])
                    n += 1
                    if progress is not None and n % 500 == 0:
                        progress(n)
            cur.execute(f"INSERT INTO {self.terms} (word) SELECT DISTINCT substr(w, 2) FROM {self.documents}, "
                        r"unnest(tsvector_to_array(content)) AS w WHERE w LIKE '\_%'")
        if progress is not None:
            progress(n)
        return n

    def count(self) -> int:
        with self.pool.connection() as conn:
            return int(conn.execute(f"SELECT count(*) FROM {self.documents}").fetchone()[0])  # type: ignore[index]

    def clear(self) -> None:
        with self._writing() as conn:
            conn.execute(f"DELETE FROM {self.documents}")
            conn.execute(f"DELETE FROM {self.terms}")

    def optimize(self) -> None:
        """VACUUM ANALYZE the tables (PostgreSQL merges GIN pending lists itself; this is off-hours tidying)."""
        with self.pool.connection() as conn:
            for table in (self.documents, self.terms):
                conn.execute(f"VACUUM ANALYZE {table}")

    def compact(self) -> bool:
        """Record destruction: derive the vocabulary again (a deleted document's words leave it), then
        VACUUM FULL both tables so no dead tuple keeps their text in the table files."""
        with self._writing() as conn:
            conn.execute(f"DELETE FROM {self.terms}")
            conn.execute(f"INSERT INTO {self.terms} (word) SELECT DISTINCT substr(w, 2) FROM {self.documents}, "
                         r"unnest(tsvector_to_array(content)) AS w WHERE w LIKE '\_%'")
        with self.pool.connection() as conn:
            for table in (self.documents, self.terms):
                conn.execute(f"VACUUM (FULL, ANALYZE) {table}")
        return True

    def close(self) -> None:
        """Connections belong to the backend's pool."""

    @classmethod
    def check_directory(cls, directory: Path) -> bool:
        return False  # no directory: PostgresBackend.check() reads the tables instead


def enable_fuzzystrmatch(pool: ConnectionPool) -> str | None:
    """Install fuzzystrmatch if we may (``levenshtein_less_equal`` for fuzzy terms) and return its schema;
    None: not available, fuzzy terms are computed in Python."""
    with pool.connection() as conn:
        try:
            with conn.transaction():
                conn.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
        except psycopg.Error:  # no privilege, or a concurrent CREATE: fall back or find it below
            log.info("fuzzystrmatch not installable; fuzzy terms are computed in Python")
        row = conn.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                           "WHERE e.extname = 'fuzzystrmatch'").fetchone()
        return None if row is None else str(row[0])


@contextlib.contextmanager
def _read_snapshot(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """Total, facets and the page from one snapshot, so they always agree.

    The planner does not know that evaluating ``@@`` on a stored tsvector costs ~10 µs a row, so at
    high selectivity it picks a sequential scan that is 3-10x slower than the GIN bitmap scans
    (bench/search.py, docs/PERFORMANCE.md); within our read transaction we rule that out. No JIT:
    compiling costs more than these queries.
    """
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL jit = off")
        yield


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class PostgresBackend(SearchBackend):
    """Search backend on PostgreSQL full-text search; ``path`` is kept for the interface only."""

    name = "postgres"
    handle_class = PostgresHandle  # type: ignore[assignment]

    def __init__(self, path: Path, *, database_url: str, write_timeout: float = 10.0) -> None:
        # Not SearchBackend.__init__: there are no generation directories, the database holds the index.
        if not database_url or not libpq_url(database_url).startswith(("postgresql://", "postgres://")):
            raise MissingDatabaseUrlError("the postgres search backend needs a PostgreSQL database URL")
        self.path = Path(path)
        self.write_timeout = write_timeout
        self._write_lock = threading.RLock()
        self._handle_lock = threading.Lock()
        self._rebuild_lock = threading.Lock()
        self._journal: list[tuple[Sequence[IndexDoc], Sequence[str]]] | None = None  # unused: see rebuild()
        self.database_url = database_url
        self._pool = ConnectionPool(database_url)
        self._handle = PostgresHandle(self._pool, write_timeout=write_timeout)
        self._handle.ensure_schema()
        self._generation = "live"

    @contextlib.contextmanager
    def _using(self) -> Iterator[EngineHandle]:
        yield self._handle  # the live tables' names always resolve to the newest generation

    def rebuild(self, docs_iter: Iterable[IndexDoc], progress: Progress | None = None, *,
                keep_previous: bool = True) -> int:
        """Load new tables beside the live ones, then swap them in by renaming; search stays online.

        Writes made meanwhile, by this or any other process, are journalled by document id and
        copied from the live tables into the new ones just before the swap. The previous tables are
        always dropped at the swap (``keep_previous`` is for file engines): a search in flight holds
        its lock and finishes first. That also serves ``expunge``: the dropped tables' files go, and
        with them the text of destroyed documents (WAL and backups keep it until they rotate).
        """
        with self._rebuild_lock, self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (REBUILD_LOCK_KEY,))  # one rebuild, in any process
            tag = uuid.uuid4().hex[:10]
            build = PostgresHandle(self._pool, suffix=f"__b{tag}", write_timeout=self.write_timeout)
            try:
                _drop_stale_builds(conn)
                with conn.transaction():
                    for statement in table_ddl(build.suffix):
                        conn.execute(statement)
                with self._handle._writing() as wconn:  # from here on, every write is journalled
                    wconn.execute(f"DELETE FROM {JOURNAL}")
                    wconn.execute(f"DELETE FROM {REBUILDS}")
                    wconn.execute(f"INSERT INTO {REBUILDS} (tag, started_at) VALUES (%s, now())", (tag,))
                loaded = build.bulk_load(docs_iter, progress)
                with conn.transaction():
                    for statement in index_ddl(build.suffix, tag=tag):
                        conn.execute(statement)
                for table in (build.documents, build.terms):
                    conn.execute(f"ANALYZE {table}")
                with self._write_lock:
                    self._swap_tables(conn, build, tag)
                return loaded
            except BaseException:
                with contextlib.suppress(psycopg.Error):
                    _drop_tables(conn, build.suffix)
                    with conn.transaction():
                        conn.execute(f"DELETE FROM {REBUILDS}")
                        conn.execute(f"DELETE FROM {JOURNAL}")
                raise
            finally:
                with contextlib.suppress(psycopg.Error):
                    conn.execute("SELECT pg_advisory_unlock(%s)", (REBUILD_LOCK_KEY,))

    def _swap_tables(self, conn: psycopg.Connection[Any], build: PostgresHandle, tag: str) -> None:
        """Replay the journal, then rename build -> live in one transaction under the write lock.

        Searches wait a moment; none fails or sees a half-built index.
        """
        ids = f"SELECT doc_id FROM {JOURNAL}"
        with conn.transaction():
            conn.execute(f"SET LOCAL lock_timeout = {max(1, int(self.write_timeout * 1000))}")
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK_KEY,))
            conn.execute(f"DELETE FROM {build.documents} WHERE id IN ({ids})")
            conn.execute(f"INSERT INTO {build.documents} SELECT * FROM {DOCUMENTS} WHERE id IN ({ids})")
            conn.execute(f"INSERT INTO {build.terms} SELECT DISTINCT substr(w, 2) FROM {DOCUMENTS}, "
                         rf"unnest(tsvector_to_array(content)) AS w WHERE id IN ({ids}) AND w LIKE '\_%' "
                         "ON CONFLICT DO NOTHING")
            conn.execute(f"DELETE FROM {JOURNAL}")
            conn.execute(f"DELETE FROM {REBUILDS}")
            for live in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {live}__old")
                conn.execute(f"ALTER TABLE IF EXISTS {live} RENAME TO {live}__old")
                conn.execute(f"ALTER TABLE {live}{build.suffix} RENAME TO {live}")
            for live in TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {live}__old")
            for name in ("content", "principals", "modified", "created"):
                conn.execute(f"ALTER INDEX fts_doc_{name}_{tag} RENAME TO fts_doc_{name}_live")

    def check(self) -> bool:
        """True if the live tables and their indexes are there and readable; False means: rebuild."""
        try:
            with self._pool.connection() as conn:
                found = conn.execute("SELECT count(to_regclass(name)) FROM unnest(%s::text[]) AS name",
                                     ([*TABLES, *CONTROL_TABLES, *_LIVE_INDEXES],)).fetchone()
                if found is None or found[0] != len(TABLES) + len(CONTROL_TABLES) + len(_LIVE_INDEXES):
                    return False
                for table in TABLES:
                    conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
        except psycopg.Error:
            log.exception("search tables cannot be read")
            return False
        return True

    def close(self) -> None:
        self._pool.close()


_LIVE_INDEXES = ("fts_doc_content_live", "fts_doc_principals_live", "fts_doc_modified_live",
                 "fts_doc_created_live")


def _drop_tables(conn: psycopg.Connection[Any], suffix: str) -> None:
    with conn.transaction():
        for table in TABLES:
            conn.execute(f"DROP TABLE IF EXISTS {table}{suffix}")


def _drop_stale_builds(conn: psycopg.Connection[Any]) -> None:
    """Tables of a rebuild that crashed (we hold the rebuild lock, so no build is running)."""
    rows = conn.execute(r"SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                        r"AND tablename LIKE 'fts\_%\_\_b%'").fetchall()
    with conn.transaction():
        for (name,) in rows:
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
