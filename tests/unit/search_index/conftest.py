"""Fixtures for the search layer: one backend per engine (files on tmp_path or a PostgreSQL schema)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from search_index_factories import ENGINES, MakeDoc, build_doc, open_engine

from search_index import SearchBackend


@pytest.fixture
def make_doc() -> MakeDoc:
    return build_doc


@pytest.fixture(params=ENGINES)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    with open_engine(request.param, tmp_path / "index") as index:
        yield index
