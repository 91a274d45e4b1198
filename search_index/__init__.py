"""Full-text search for the portal: Dutch analysis, a security filter inside every query.

Plain Python: never imports Flask or the portal. The portal turns objects into ``IndexDoc`` (with
the principals allowed to view them) and calls ``search(req, principals=access.principals(user))``.
"""

from __future__ import annotations

from pathlib import Path

from .backends.base import SearchBackend
from .errors import BackendNotImplementedError, UnknownBackendError
from .model import DOC_TYPES, FACET_FIELDS, SORTS, Hit, IndexDoc, SearchPage, SearchRequest

BACKENDS = ("whoosh", "tantivy", "postgres")

__all__ = ["BACKENDS", "DOC_TYPES", "FACET_FIELDS", "SORTS", "Hit", "IndexDoc", "SearchBackend", "SearchPage",
           "SearchRequest", "open_index"]


def open_index(backend: str, path: Path, *, write_timeout: float = 10.0) -> SearchBackend:
    """Open (or create) the index under ``path`` with the named engine.

    :raise UnknownBackendError: ``backend`` is not one of ``BACKENDS``.
    :raise BackendNotImplementedError: for 'postgres', which is planned but not built yet.
    """
    if backend == "whoosh":
        from .backends.whoosh_backend import WhooshBackend

        return WhooshBackend(Path(path), write_timeout=write_timeout)
    if backend == "tantivy":
        from .backends.tantivy_backend import TantivyBackend

        return TantivyBackend(Path(path), write_timeout=write_timeout)
    if backend == "postgres":
        raise BackendNotImplementedError("the PostgreSQL full-text backend is not implemented yet")
    raise UnknownBackendError(f"unknown search backend {backend!r}; expected one of {BACKENDS}")
