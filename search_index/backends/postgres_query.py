"""Our query tree and request filters as PostgreSQL: a tsquery over ``content`` and a WHERE clause.

The tsquery text is built here from analysed words only (letters and digits, quoted), then passed
as one bind parameter and cast with ``::tsquery``, which takes lexemes as they are (no second
analysis). The security filter is always the first condition of the WHERE clause.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from ..model import SearchRequest
from ..query import And, Fuzzy, MatchAll, MatchNone, Node, Not, Or, Phrase, Prefix, Term
from .postgres_schema import NOTHING, quote_lexeme

#: Request attribute -> column; values are bound, never formatted into the SQL.
FILTER_COLUMNS = (("types", "type"), ("clients", "client"), ("authors", "author"),
                  ("organisations", "organisation"))
FuzzyExpander = Callable[[str, int], list[str]]


def to_tsquery(node: Node, expand_fuzzy: FuzzyExpander) -> str | None:
    """The tsquery text for ``node``; None when it matches every document (no condition)."""
    if isinstance(node, MatchAll):
        return None
    return _compile(node, expand_fuzzy)


def _compile(node: Node, expand_fuzzy: FuzzyExpander) -> str:
    if isinstance(node, Term):
        return quote_lexeme(node.stem)
    if isinstance(node, Phrase):
        return "(" + " <-> ".join(quote_lexeme(s) for s in node.stems) + ")"
    if isinstance(node, Prefix):
        return quote_lexeme("_" + node.prefix) + ":*"
    if isinstance(node, Fuzzy):
        found = expand_fuzzy(node.word, node.distance)
        return "(" + " | ".join(quote_lexeme("_" + w) for w in found) + ")" if found else NOTHING
    if isinstance(node, And):
        return "(" + " & ".join(_compile(c, expand_fuzzy) for c in node.children) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(_compile(c, expand_fuzzy) for c in node.children) + ")"
    if isinstance(node, Not):
        return "!" + _compile(node.child, expand_fuzzy)
    if isinstance(node, MatchAll):
        return "!" + NOTHING  # no document holds NOTHING, so its negation holds for all
    assert isinstance(node, MatchNone)
    return NOTHING


def where_clause(tsquery: str | None, req: SearchRequest, principals: frozenset[str]) -> tuple[str, dict[str, Any]]:
    """WHERE text and its parameters: principals first, then the query, then the request's filters."""
    parts = ["principals && %(principals)s::text[]"]
    params: dict[str, Any] = {"principals": sorted(principals)}
    if tsquery is not None:
        parts.append("content @@ %(q)s::tsquery")
        params["q"] = tsquery
    for attr, column in FILTER_COLUMNS:
        values = getattr(req, attr)
        if values:
            parts.append(f"{column} = ANY(%({attr})s::text[])")
            params[attr] = list(values)
    if req.life_domains:
        parts.append("life_domains && %(life_domains)s::text[]")
        params["life_domains"] = list(req.life_domains)
    if req.year is not None:
        parts.append("year = %(year)s")
        params["year"] = req.year
    if req.date_from:
        parts.append("created_at >= %(date_from)s")
        params["date_from"] = datetime(req.date_from.year, req.date_from.month, req.date_from.day, tzinfo=UTC)
    if req.date_to:
        parts.append("created_at < %(date_to)s")
        params["date_to"] = datetime(req.date_to.year, req.date_to.month, req.date_to.day, tzinfo=UTC) + timedelta(1)
    return " AND ".join(parts), params


def result_sql(table: str, where: str, *, by_date: bool, ranked: bool) -> str:
    """Facet counts, the total and the ids of the requested page, from one pass over the visible matches.

    Rows: (facet, value, count, NULL) per facet value; ('', NULL, total, NULL); and per hit on the page
    ('#hit', id, position, score). The matches are found, rechecked and ranked once for all three.
    """
    score = "ts_rank(content, %(q)s::tsquery)" if ranked and not by_date else "0.0::real"
    order = "modified_at DESC, id" if by_date else "score DESC, modified_at DESC, id"
    return f"""
        WITH m AS MATERIALIZED (
            SELECT id, type, client, author, organisation, life_domains, year, modified_at, {score} AS score
            FROM {table} WHERE {where}),
        page AS (
            SELECT id, score, row_number() OVER (ORDER BY {order}) AS n FROM m
            ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s)
        SELECT 'type', type, count(*), NULL::real FROM m GROUP BY type
        UNION ALL SELECT 'client', client, count(*), NULL FROM m WHERE client IS NOT NULL GROUP BY client
        UNION ALL SELECT 'author', author, count(*), NULL FROM m GROUP BY author
        UNION ALL SELECT 'organisation', organisation, count(*), NULL FROM m GROUP BY organisation
        UNION ALL SELECT 'year', year::text, count(*), NULL FROM m GROUP BY year
        UNION ALL SELECT 'life_domain', d, count(*), NULL FROM m, unnest(m.life_domains) AS d GROUP BY d
        UNION ALL SELECT '', NULL, count(*), NULL FROM m
        UNION ALL SELECT '#hit', id, n, score FROM page"""
