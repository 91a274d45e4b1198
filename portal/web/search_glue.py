"""One search index per process, opened on first use and drained after writing requests."""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app

from portal import indexing
from search_index import SearchBackend

log = logging.getLogger(__name__)
_lock = threading.Lock()


def get_index(app: Flask | None = None) -> SearchBackend:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    index = app.extensions.get("search_index")
    if index is None:
        with _lock:
            index = app.extensions.get("search_index")
            if index is None:
                cfg = app.config["PORTAL"]
                from portal.extensions import db

                index = indexing.open_backend(cfg.instance_path, cfg.search_backend, db.session,
                                              database_url=cfg.sqlalchemy_url if cfg.is_postgres else None)
                app.extensions["search_index"] = index
    return index


def drain_after_commit() -> None:
    """Best effort: a failure leaves the outbox rows for the next drain, never fails the request."""
    from portal.extensions import db

    if not indexing.has_pending(db.session):
        return
    try:
        indexing.drain(db.session, get_index())
    except Exception:  # noqa: BLE001 - the rows stay in the outbox and are retried
        log.exception("index drain failed; will retry")
        db.session.rollback()
