"""Fixtures for the search layer: one backend per engine on tmp_path, and an IndexDoc factory."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from search_index_factories import ENGINES, MakeDoc, build_doc

from search_index import SearchBackend, open_index


@pytest.fixture
def make_doc() -> MakeDoc:
    return build_doc


@pytest.fixture(params=ENGINES)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    index = open_index(request.param, tmp_path / "index")
    yield index
    index.close()
