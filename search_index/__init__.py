"""Full-text search for the portal: Dutch analysis, a security filter inside every query.

Plain Python: never imports Flask or the portal. The portal turns objects into ``IndexDoc`` (with
the principals allowed to view them) and calls ``search(req, principals=access.principals(user))``.
"""

from __future__ import annotations

from pathlib import Path

from .backends.base import SearchBackend
from .errors import MissingDatabaseUrlError, UnknownBackendError
from .model import DOC_TYPES, FACET_FIELDS, SORTS, Hit, IndexDoc, SearchPage, SearchRequest

BACKENDS = ("whoosh", "tantivy", "postgres")

__all__ = ["BACKENDS", "DOC_TYPES", "FACET_FIELDS", "SORTS", "Hit", "IndexDoc", "SearchBackend", "SearchPage",
           "SearchRequest", "open_index"]


def open_index(backend: str, path: Path, *, write_timeout: float = 10.0,
               database_url: str | None = None) -> SearchBackend:
    """Open (or create) the index under ``path`` with the named engine.

    'postgres' keeps the index in tables of the database at ``database_url`` (``path`` is unused).

    :raise UnknownBackendError: ``backend`` is not one of ``BACKENDS``.
    :raise MissingDatabaseUrlError: 'postgres' without a PostgreSQL database URL.
    """
    if backend == "whoosh":
        from .backends.whoosh_backend import WhooshBackend

        return WhooshBackend(Path(path), write_timeout=write_timeout)
    if backend == "tantivy":
        from .backends.tantivy_backend import TantivyBackend

        return TantivyBackend(Path(path), write_timeout=write_timeout)
    if backend == "postgres":
        if not database_url:
            raise MissingDatabaseUrlError("the postgres search backend needs database_url (a PostgreSQL URL)")
        from .backends.postgres_backend import PostgresBackend

        return PostgresBackend(Path(path), database_url=database_url, write_timeout=write_timeout)
    raise UnknownBackendError(f"unknown search backend {backend!r}; expected one of {BACKENDS}")
