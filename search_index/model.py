"""Value objects exchanged with the portal: what goes into the index and what a search returns.

All are frozen dataclasses that check their invariants on construction (STYLE rule 13), so a
bad value fails at the boundary instead of deep inside an engine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from .errors import InvalidIndexDocError, InvalidSearchRequestError, UnknownFilterValueError, UnknownSortError

#: Content types the portal indexes. Filter values outside this set are rejected.
DOC_TYPES: frozenset[str] = frozenset({
    "case_note", "consent", "information_letter", "plan", "plan_of_approach", "council_briefing",
    "minutes", "agenda", "memo", "project_plan", "file", "letter", "report", "document", "workspace_document",
})
SORTS: tuple[str, ...] = ("relevance", "date")
FACET_FIELDS: tuple[str, ...] = ("type", "client", "author", "organisation", "life_domain", "year")
#: Longer queries are cut here: the cost of a query grows with its length.
MAX_QUERY_CHARS = 500
MAX_PER_PAGE = 100
MAX_FILTER_VALUES = 50
#: Facet lists hold at most this many values (count descending, then value ascending).
FACET_LIMIT = 50
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f]")
Sort = Literal["relevance", "date"]


def _clean_value(value: object, what: str, error: type[Exception]) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 300 or _BAD_CHARS.search(value):
        raise error(f"invalid {what}: {value!r}")
    return value


def _utc(value: object, what: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidIndexDocError(f"{what} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """One object as the index sees it; ``principals`` are the tokens allowed to view it."""

    id: str
    type: str
    title: str
    text: str
    client: str | None
    client_id: int | None
    author: str
    organisation: str
    life_domains: tuple[str, ...]
    data_category: str | None
    state: str
    confidentiality: str
    created_at: datetime
    modified_at: datetime
    principals: frozenset[str]
    url: str
    attachments_text: str = ""

    def __post_init__(self) -> None:
        _clean_value(self.id, "id", InvalidIndexDocError)
        if self.type not in DOC_TYPES:
            raise InvalidIndexDocError(f"unknown document type {self.type!r}")
        if not isinstance(self.principals, frozenset):
            raise InvalidIndexDocError("principals must be a frozenset")
        for token in self.principals:
            _clean_value(token, "principal token", InvalidIndexDocError)
        for name in ("author", "organisation"):
            _clean_value(getattr(self, name), name, InvalidIndexDocError)
        if self.client is not None:
            _clean_value(self.client, "client", InvalidIndexDocError)
        domains = tuple(self.life_domains)
        for domain in domains:
            _clean_value(domain, "life domain", InvalidIndexDocError)
        object.__setattr__(self, "life_domains", domains)
        object.__setattr__(self, "created_at", _utc(self.created_at, "created_at"))
        object.__setattr__(self, "modified_at", _utc(self.modified_at, "modified_at"))


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """What the user asked; filters within one field are OR-ed, different fields AND-ed.

    ``year``, ``date_from`` and ``date_to`` apply to ``created_at`` (the document's own date).
    :raise UnknownSortError, UnknownFilterValueError, InvalidSearchRequestError:
    """

    q: str = ""
    page: int = 1
    per_page: int = 20
    sort: Sort = "relevance"
    types: tuple[str, ...] = ()
    clients: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    life_domains: tuple[str, ...] = ()
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.q, str):
            raise InvalidSearchRequestError("q must be a string")
        if len(self.q) > MAX_QUERY_CHARS:  # cut at a word boundary so no half word is searched
            cut = self.q[:MAX_QUERY_CHARS + 1]
            object.__setattr__(self, "q", cut[:cut.rfind(" ")] if " " in cut else cut[:MAX_QUERY_CHARS])
        if self.sort not in SORTS:
            raise UnknownSortError(f"unknown sort {self.sort!r}; expected one of {SORTS}")
        if not isinstance(self.page, int) or isinstance(self.page, bool) or self.page < 1:
            raise InvalidSearchRequestError(f"page must be a positive integer, got {self.page!r}")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidSearchRequestError(f"per_page must be 1..{MAX_PER_PAGE}, got {self.per_page!r}")
        for name in ("types", "clients", "authors", "organisations", "life_domains"):
            values = getattr(self, name)
            if isinstance(values, str) or len(tuple(values)) > MAX_FILTER_VALUES:
                raise UnknownFilterValueError(f"{name} must be a tuple of at most {MAX_FILTER_VALUES} strings")
            values = tuple(_clean_value(v, name, UnknownFilterValueError) for v in values)
            object.__setattr__(self, name, values)
        unknown = set(self.types) - DOC_TYPES
        if unknown:
            raise UnknownFilterValueError(f"unknown document types: {sorted(unknown)}")
        if self.year is not None and (not isinstance(self.year, int) or not 1900 <= self.year <= 2999):
            raise UnknownFilterValueError(f"year out of range: {self.year!r}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                raise UnknownFilterValueError(f"{name} must be a date")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidSearchRequestError("date_from is after date_to")

    @property
    def offset(self) -> int:
        """Index of the first hit on the requested page."""
        return (self.page - 1) * self.per_page


@dataclass(frozen=True, slots=True)
class Hit:
    """One result row; ``snippet_html`` is escaped text with only ``<mark>`` tags, safe to render."""

    id: str
    type: str
    title: str
    url: str
    client: str | None
    author: str
    modified_at: datetime
    score: float
    snippet_html: str


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results; ``total`` and ``facets`` count only documents the caller may see."""

    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    did_you_mean: str | None = None

    @property
    def pages(self) -> int:
        """Number of pages (0 when nothing matched)."""
        return math.ceil(self.total / self.per_page)


def empty_facets() -> dict[str, list[tuple[str, int]]]:
    """Facets of an empty result: every facet present, no values."""
    return {name: [] for name in FACET_FIELDS}


def top_facet_values(counts: dict[str, int]) -> list[tuple[str, int]]:
    """Order facet counts the same way in every backend: count descending, then value."""
    items = [(value, n) for value, n in counts.items() if n > 0]
    items.sort(key=lambda item: (-item[1], item[0]))
    return items[:FACET_LIMIT]
