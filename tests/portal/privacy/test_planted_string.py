"""Destruction leaves no copy: a planted string is in no file under the instance folder afterwards.

SQLite only: on PostgreSQL the data lives in the server's files, not under the instance folder (the
scrub runs VACUUM FULL there; see tests in test_destruction.py for the rows).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portal import access
from portal.models import Tombstone
from search_index import SearchRequest
from tests.conftest import PG_URL
from tests.portal.privacy.helpers import destroy, index_now, old_consent, old_note

PLANT = "zqplantmerk4711"
pytestmark = pytest.mark.skipif(bool(PG_URL), reason="file scan of the SQLite instance folder; SQLite only")


@pytest.fixture(params=["whoosh", "tantivy"], autouse=True)
def backend(request, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("PORTAL_SEARCH_BACKEND", request.param)
    return request.param


def files_holding(root: Path, needle: bytes) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


def test_planted_string_is_gone_from_every_file(app, world, session, backend):
    from portal.web.search_glue import get_index

    root = Path(app.config["PORTAL"].instance_path)
    cm, po = world.users["case_manager"], world.users["privacy_officer"]
    note = old_note(session, world, title=f"Titel {PLANT}", text=f"Zij vertelde over {PLANT} en meer.")
    consent = old_consent(session, world, app, payload=b"%PDF-1.7 " + PLANT.encode() + b" sealed")
    # Churn so the planted rows sit in older WAL frames and index segments too.
    for _ in range(3):
        note.text += " aanvulling"
        index_now(session)
    index_now(session)
    hits = get_index().search(SearchRequest(q=PLANT), principals=access.principals(cm))
    assert [h.id for h in hits.hits] == [f"case_note:{note.id}"]
    before = files_holding(root, PLANT.encode())
    assert any(f.startswith("archive/") for f in before), before
    assert any(f.startswith("portal.sqlite3") for f in before), before
    if backend == "whoosh":  # tantivy compresses its document store; whoosh keeps stored text plain
        assert any(f.startswith("search_index/") for f in before), before

    outcome = destroy(session, app, po, [("case_note", note.id), ("consent", consent.id)])

    assert (outcome.destroyed, outcome.skipped) == (2, 0)
    assert files_holding(root, PLANT.encode()) == []
    assert get_index().search(SearchRequest(q=PLANT), principals=access.principals(cm)).total == 0
    assert session.query(Tombstone).count() == 2
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output
