"""Named failures of the search layer; the portal maps each to a status and message in one table."""

from __future__ import annotations


class SearchIndexError(Exception):
    """Base class of every error raised by ``search_index``."""


class InvalidSearchRequestError(SearchIndexError, ValueError):
    """A search request carries a value outside the allowlist (bad page size, date range, ...)."""


class UnknownSortError(InvalidSearchRequestError):
    """The requested sort key is not one of ``SORTS``."""


class UnknownFilterValueError(InvalidSearchRequestError):
    """A filter value is not allowed (unknown document type, empty or control characters)."""


class InvalidIndexDocError(SearchIndexError, ValueError):
    """An ``IndexDoc`` breaks an invariant (naive datetime, bad principal token, unknown type)."""


class MissingPrincipalsError(SearchIndexError, TypeError):
    """``principals`` was not given as a set of strings; we never guess a security filter."""


class IndexLockedError(SearchIndexError):
    """Another writer holds the index lock and did not release it within the timeout."""


class IndexDamagedError(SearchIndexError):
    """The index on disk cannot be read; rebuild it."""


class UnknownBackendError(SearchIndexError, ValueError):
    """``open_index`` was asked for a backend name it does not know."""


class BackendNotImplementedError(SearchIndexError, NotImplementedError):
    """The backend is planned but not built yet (none at present; kept for callers that catch it)."""


class MissingDatabaseUrlError(SearchIndexError, ValueError):
    """The 'postgres' backend was opened without a PostgreSQL database URL."""
