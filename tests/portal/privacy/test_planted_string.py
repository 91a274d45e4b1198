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
from tests.portal.privacy.helpers import attach_old, destroy, index_now, old_consent, old_note

PLANT = "zqplantmerk4711"
#: Only in a PDF attached to the note: its file in the archive, its text in the row and the index.
PLANT_ATTACHED = "zqbijlagemerk0815"
SQLITE_ONLY = pytest.mark.skipif(bool(PG_URL), reason="file scan of the SQLite instance folder; SQLite only")


@pytest.fixture(params=["whoosh", "tantivy"])
def backend(request, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("PORTAL_SEARCH_BACKEND", request.param)
    return request.param


def plain_pdf(text: str) -> bytes:
    """A one-page PDF whose page stream is not compressed, so `text` is in the file's bytes as well."""
    import io

    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=True, pageCompression=0)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return out.getvalue()


def files_holding(root: Path, needle: bytes) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and needle in p.read_bytes())


@SQLITE_ONLY
def test_planted_string_is_gone_from_every_file(backend, app, world, session):
    from portal.web.search_glue import get_index

    root = Path(app.config["PORTAL"].instance_path)
    cm, po = world.users["case_manager"], world.users["privacy_officer"]
    note = old_note(session, world, title=f"Titel {PLANT}", text=f"Zij vertelde over {PLANT} en meer.")
    consent = old_consent(session, world, app, payload=b"%PDF-1.7 " + PLANT.encode() + b" sealed")
    attachment = attach_old(session, app, note, plain_pdf(f"Beschikking {PLANT_ATTACHED} bijzondere bijstand"))
    assert PLANT_ATTACHED in attachment.text
    # Churn so the planted rows sit in older WAL frames and index segments too.
    for _ in range(3):
        note.text += " aanvulling"
        index_now(session)
    index_now(session)
    hits = get_index().search(SearchRequest(q=PLANT), principals=access.principals(cm))
    assert [h.id for h in hits.hits] == [f"case_note:{note.id}"]
    hits = get_index().search(SearchRequest(q=PLANT_ATTACHED), principals=access.principals(cm))
    assert [h.id for h in hits.hits] == [f"case_note:{note.id}"]
    attached = files_holding(root, PLANT_ATTACHED.encode())
    assert any(f.startswith("archive/") for f in attached), attached
    assert any(f.startswith("portal.sqlite3") for f in attached), attached
    before = files_holding(root, PLANT.encode())
    assert any(f.startswith("archive/") for f in before), before
    assert any(f.startswith("portal.sqlite3") for f in before), before
    if backend == "whoosh":  # tantivy compresses its document store; whoosh keeps stored text plain
        assert any(f.startswith("search_index/") for f in before), before

    outcome = destroy(session, app, po, [("case_note", note.id), ("consent", consent.id)])

    assert (outcome.destroyed, outcome.skipped) == (2, 0)
    assert files_holding(root, PLANT.encode()) == []
    assert files_holding(root, PLANT_ATTACHED.encode()) == []
    assert get_index().search(SearchRequest(q=PLANT), principals=access.principals(cm)).total == 0
    assert get_index().search(SearchRequest(q=PLANT_ATTACHED), principals=access.principals(cm)).total == 0
    assert session.query(Tombstone).count() == 2
    result = app.test_cli_runner().invoke(args=["audit-verify"])
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not PG_URL, reason="the postgres search backend needs PostgreSQL")
def test_postgres_search_tables_keep_no_word_of_a_destroyed_note(app, world, session):
    """On PostgreSQL the index lives in the database: neither its documents nor its vocabulary keep the word."""
    import dataclasses

    from sqlalchemy import text

    from portal.web.search_glue import get_index

    assert "search_index" not in app.extensions  # opened below, with the postgres backend
    app.config["PORTAL"] = dataclasses.replace(app.config["PORTAL"], search_backend="postgres")
    note = old_note(session, world, text=f"Zij vertelde over {PLANT} en meer.")
    attach_old(session, app, note, plain_pdf(f"Beschikking {PLANT_ATTACHED}"))
    index_now(session)
    cm = world.users["case_manager"]
    for word in (PLANT, PLANT_ATTACHED):
        assert get_index().search(SearchRequest(q=word), principals=access.principals(cm)).total == 1
    destroy(session, app, world.users["privacy_officer"], [("case_note", note.id)])
    for word in (PLANT, PLANT_ATTACHED):
        assert get_index().search(SearchRequest(q=word), principals=access.principals(cm)).total == 0
        like = {"p": f"%{word}%"}
        assert session.scalar(text("SELECT count(*) FROM fts_documents WHERE payload LIKE :p"), like) == 0
        assert session.scalar(text("SELECT count(*) FROM fts_terms WHERE word LIKE :p"), like) == 0
    assert session.scalar(text("SELECT count(*) FROM note_attachments")) == 0
