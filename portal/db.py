"""Engine settings: SQLite in WAL mode with full fsync and foreign keys on every pooled connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}


def install_sqlite_pragmas(engine: Engine) -> None:
    """Every new DB-API connection gets the pragmas; SQLite forgets them per connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # We emit BEGIN ourselves (below); pysqlite's own deferred BEGIN would let two transactions
        # read, then fail to upgrade to a write lock (SQLITE_BUSY_SNAPSHOT in WAL mode).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Nearly every request writes (each view of client data is audited), so take the write lock
        # at the start: writers queue on busy_timeout instead of failing halfway.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
