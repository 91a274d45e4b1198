"""What only the PostgreSQL backend has: tables instead of files, the tsvector we build, the write lock."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from search_index_factories import ENGINES, open_engine, reopen

from search_index import SearchRequest
from search_index.backends import postgres_backend
from search_index.backends.postgres_query import to_tsquery, where_clause
from search_index.backends.postgres_schema import MAX_POSITION, tsvector_literal
from search_index.errors import IndexLockedError
from search_index.query import Term, parse

pytestmark = pytest.mark.skipif("postgres" not in ENGINES, reason="PostgreSQL is not reachable")
ME = frozenset({"u:1"})


@pytest.fixture
def pg(tmp_path: Path):
    with open_engine("postgres", tmp_path) as index:
        yield index


def test_tsvector_holds_stems_with_positions_and_folded_words():
    vector, vocabulary = tsvector_literal("De woningen, de Cliënt: woning")
    assert vector.split() == ["'de':1,3", "'woon':2,5", "'client':4", "'_de'", "'_woningen'", "'_client'", "'_woning'"]
    assert vocabulary == ["de", "woningen", "client", "woning"]


def test_tsvector_keeps_positions_postgresql_accepts():
    vector, _ = tsvector_literal("woord " * (MAX_POSITION + 10) + "laatste")
    assert f"'laatst':{MAX_POSITION}" in vector
    assert vector.count(",") == 254  # at most 255 positions per lexeme


def test_huge_text_is_indexed_within_the_tsvector_limit(pg, make_doc):
    text = " ".join(f"w{n:07d}" for n in range(150_000))  # ~1.5 MB of distinct words
    pg.upsert([make_doc(1, text + " slotwoord")])
    assert pg.search(SearchRequest(q="w0000001"), principals=ME).total == 1


def test_check_finds_a_missing_table_and_rebuild_repairs(pg, make_doc):
    pg.upsert([make_doc(1, "woning")])
    assert pg.check() is True
    with pg._pool.connection() as conn:
        conn.execute("DROP TABLE fts_terms")
    assert pg.check() is False
    pg.rebuild([make_doc(1, "woning")])
    assert pg.check() is True
    assert pg.suggest("wo", principals=ME) == ["woning"]


def test_writer_waits_for_the_lock_then_times_out(tmp_path, make_doc):
    with open_engine("postgres", tmp_path) as pg:
        pg._handle.write_timeout = 0.2
        url = postgres_backend.libpq_url(pg.database_url)
        with psycopg.connect(url, autocommit=True) as other, other.transaction():
            # another process's writer holds the lock
            other.execute("SELECT pg_advisory_xact_lock(%s)", (postgres_backend.WRITE_LOCK_KEY,))
            with pytest.raises(IndexLockedError):
                pg.upsert([make_doc(1, "woning")])
        pg.upsert([make_doc(1, "woning")])
        assert pg.count() == 1


def test_fuzzy_without_fuzzystrmatch_gives_the_same_results(pg, make_doc):
    pg.upsert([make_doc(1, "woonruimte"), make_doc(2, "woningen"), make_doc(3, "zorg")])
    queries = ["woonruimt~", "wonruimt~2", "wonruimt~1", "zrog~2", "woningn"]
    with_extension = [(p.total, p.did_you_mean) for p in
                      (pg.search(SearchRequest(q=q), principals=ME) for q in queries)]
    assert pg._handle.has_levenshtein is True  # the test database user may install it
    pg._handle.has_levenshtein = False
    without = [(p.total, p.did_you_mean) for p in (pg.search(SearchRequest(q=q), principals=ME) for q in queries)]
    assert with_extension == without == [(1, None), (1, None), (0, None), (1, None), (0, "woningen")]


def test_fuzzy_finds_fuzzystrmatch_outside_the_search_path(pg, make_doc):
    """The extension may live in any schema (it is installed once per database, in the schema first on
    the search_path of whoever installed it); a bare function name then failed with UndefinedFunction."""
    import uuid

    elsewhere = f"x_{uuid.uuid4().hex[:10]}"
    with pg._pool.connection() as conn:
        conn.execute(f'CREATE SCHEMA "{elsewhere}"')
        conn.execute(f'ALTER EXTENSION fuzzystrmatch SET SCHEMA "{elsewhere}"')
    try:
        other = reopen(pg)
        try:
            other.upsert([make_doc(1, "woonruimte")])
            assert other.search(SearchRequest(q="wonruimt~2"), principals=ME).total == 1
            assert other.search(SearchRequest(q="wonruimte"), principals=ME).did_you_mean == "woonruimte"
        finally:
            other.close()
    finally:
        with pg._pool.connection() as conn:
            conn.execute(f'DROP SCHEMA "{elsewhere}" CASCADE')


def test_hostile_lexemes_are_quoted(pg, make_doc):
    pg.upsert([make_doc(1, "woning")])
    evil = Term("x' | 'woon", "x' | 'woon")  # cannot come from the parser; quoted all the same
    tsquery = to_tsquery(evil, lambda w, d: [])
    where, params = where_clause(tsquery, SearchRequest(), ME)
    with pg._pool.connection() as conn:
        sql = f"SELECT count(*) FROM fts_documents WHERE {where}"  # noqa: S608 - where is ours, values bound
        assert conn.execute(sql, params).fetchone() == (0,)


def test_security_filter_comes_first_in_the_sql():
    where, params = where_clause(to_tsquery(parse("woning"), lambda w, d: []), SearchRequest(types=("plan",)), ME)
    assert where.startswith("principals && %(principals)s::text[] AND ")
    assert params["principals"] == ["u:1"]


def test_writes_of_another_process_during_rebuild_are_kept(pg, make_doc):
    other = reopen(pg)  # as the indexer process would, while `reindex` runs here

    def docs():
        yield make_doc(1, "oud")
        other.upsert([make_doc(2, "tussendoor")])
        other.delete(["note:1"])
        yield make_doc(3, "nieuw")

    try:
        assert pg.rebuild(docs()) == 2
    finally:
        other.close()
    assert {h.id for h in pg.search(SearchRequest(), principals=ME).hits} == {"note:2", "note:3"}
    assert pg.search(SearchRequest(q="tussendoor"), principals=ME).total == 1
    assert pg.suggest("tus", principals=ME) == ["tussendoor"]
    assert pg.search(SearchRequest(q="tussendor~"), principals=ME).total == 1  # vocabulary copied too


def test_expunge_leaves_no_row_with_the_destroyed_words(pg, make_doc):
    pg.upsert([make_doc(1, "geheimwoord"), make_doc(2, "woning")])
    pg.expunge(["note:1"], lambda: [make_doc(2, "woning")])
    with pg._pool.connection() as conn:
        assert conn.execute("SELECT count(*) FROM fts_terms WHERE word = 'geheimwoord'").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM fts_documents WHERE payload LIKE '%geheim%'").fetchone() == (0,)
