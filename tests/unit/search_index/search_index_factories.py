"""Shared test data for the search layer: engines under test, how to open each, and an IndexDoc factory.

PostgreSQL joins the engines when it is reachable: at PORTAL_TEST_DATABASE_URL (then it must be
reachable: a configured but missing server fails loudly) or else at the known local URL. Each
index gets its own schema in one database made for this test session.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from search_index import IndexDoc, SearchBackend, open_index

LOCAL_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")
MakeDoc = Callable[..., IndexDoc]


def _pg_admin_url() -> str | None:
    import psycopg

    from search_index.backends.postgres_backend import libpq_url

    url = libpq_url(PG_URL or LOCAL_PG_URL)
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.OperationalError:
        if PG_URL:
            raise RuntimeError(f"PORTAL_TEST_DATABASE_URL={PG_URL} is set but PostgreSQL is not reachable") from None
        return None
    return url


PG_ADMIN_URL = _pg_admin_url()
ENGINES = ["whoosh", "tantivy", *(["postgres"] if PG_ADMIN_URL else [])]
_session_db: dict[str, str] = {}


def _database_url() -> str:
    """A database for this test session (created on first use, dropped at exit)."""
    import psycopg

    assert PG_ADMIN_URL is not None
    if "url" not in _session_db:
        name = f"search_t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        base = PG_ADMIN_URL.split("?")[0]
        _session_db["url"] = base[:base.rfind("/") + 1] + name

        def drop() -> None:
            with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        atexit.register(drop)
    return _session_db["url"]


def new_pg_schema_url() -> tuple[str, Callable[[], None]]:
    """A URL whose search_path is a fresh schema (then public, for extensions), and its cleanup."""
    import psycopg

    url = _database_url()
    schema = f"s_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return f"{url}?options={quote(f'-csearch_path={schema},public')}", drop


@contextlib.contextmanager
def open_engine(engine: str, path: Path) -> Iterator[SearchBackend]:
    """A fresh, empty index of ``engine`` (files under ``path``, or its own PostgreSQL schema)."""
    cleanup: Callable[[], None] | None = None
    url = None
    if engine == "postgres":
        url, cleanup = new_pg_schema_url()
    index = open_index(engine, path, database_url=url)
    try:
        yield index
    finally:
        index.close()
        if cleanup is not None:
            cleanup()


def reopen(index: SearchBackend, **kwargs: Any) -> SearchBackend:
    """The same index opened again, as a second process would."""
    return open_index(index.name, index.path, database_url=getattr(index, "database_url", None), **kwargs)


def build_doc(n: int, text: str = "", *, principals: frozenset[str] | set[str] = frozenset({"u:1"}),
              **overrides: Any) -> IndexDoc:
    """A valid case note numbered ``n``; keyword arguments override any field."""
    fields: dict[str, Any] = {
        "id": f"note:{n}", "type": "case_note", "title": f"Notitie {n}", "text": text,
        "client": "Cliënt A", "client_id": 1, "author": "Jan de Vries", "organisation": "Wijkteam Noord",
        "life_domains": ("huisvesting",), "data_category": "housing", "state": "published",
        "confidentiality": "intern", "created_at": datetime(2025, 3, 1 + n % 27, 9, tzinfo=UTC),
        "modified_at": datetime(2025, 4, 1 + n % 27, 9, n % 60, tzinfo=UTC),
        "principals": frozenset(principals), "url": f"/notes/{n}",
    }
    fields.update(overrides)
    return IndexDoc(**fields)
