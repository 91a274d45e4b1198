"""Shared test data for the search layer: engines under test and an IndexDoc factory."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from search_index import IndexDoc

ENGINES = ["whoosh", "tantivy"]
MakeDoc = Callable[..., IndexDoc]


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
