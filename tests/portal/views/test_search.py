"""Search through the portal: only permitted hits, counts right, revocation effective at once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal import indexing
from portal.models import Consent, IndexOutbox
from portal.models.consents import ConsentState
from portal.web.search_glue import get_index


@pytest.fixture
def indexed(world, session, app):  # noqa: ANN001, ANN201
    """Index every note of the world (the world was written without the services' outbox)."""
    for note in world.notes.values():
        indexing.enqueue(session, "case_note", note.id)
    session.commit()
    indexing.drain(session, get_index(app))
    return world


def _titles(resp) -> str:  # noqa: ANN001
    return resp.get_data(as_text=True)


def test_staff_sees_only_consented_notes(indexed, browser, session):
    from portal.vocab import DataCategory
    from tests.factories import create_note

    w = indexed
    # Give every note a searchable word; a health note in the consented dossier stays hidden.
    hidden = create_note(session, w.clients["consented"], w.users["other_cm"], category=DataCategory.HEALTH,
                         title="Woningen bezocht", text="Zij bezocht woningen met de huisarts.")
    indexing.enqueue(session, "case_note", hidden.id)
    for key in ("consented", "revoked", "own"):
        note = w.notes[key]
        note.title, note.text = f"Woning {key}", "Gesprek over een nieuwe woning."
        indexing.enqueue(session, "case_note", note.id)
    session.commit()
    staff = browser(w.users["staff"])
    r = staff.get("/search?q=woningen")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Woning consented" in body
    assert "Woning revoked" not in body and "Woning own" not in body and "Woningen bezocht" not in body
    assert "1 resultaten" in body


def test_revocation_removes_hits_on_next_search(indexed, browser, session):
    w = indexed
    note = w.notes["consented"]
    note.title = "Huisbezoek woning"
    indexing.enqueue(session, "case_note", note.id)
    session.commit()
    staff = browser(w.users["staff"])
    assert "Huisbezoek woning" in _titles(staff.get("/search?q=huisbezoek"))
    consent = session.scalar(select(Consent).where(Consent.client_id == w.clients["consented"].id))
    consent.state = ConsentState.REVOKED
    session.commit()
    body = _titles(staff.get("/search?q=huisbezoek"))
    assert "Huisbezoek woning" not in body and "0 resultaten" in body


def test_new_note_is_searchable_after_the_request(world, browser, session, app):
    from datetime import date

    cm = browser(world.users["case_manager"])
    cm.post(f"/clients/{world.clients['own'].id}/notes/new",
            data={"title": "Afspraak wijkteam", "text": "Kennismaking met het wijkteam.",
                  "noted_on": date.today().isoformat(), "data_category": "general",
                  "confidentiality": "zaakvertrouwelijk", "finalize": "1"})
    assert session.scalar(select(func.count()).select_from(IndexOutbox)) == 0  # drained after commit
    assert "Afspraak wijkteam" in _titles(cm.get("/search?q=wijkteams"))
    assert "Afspraak wijkteam" not in _titles(browser(world.users["staff"]).get("/search?q=wijkteam"))


def test_snippets_are_escaped(indexed, browser, session):
    w = indexed
    note = w.notes["own"]
    note.text = 'Zoekwoord <script>alert("x")</script> en "quotes"'
    indexing.enqueue(session, "case_note", note.id)
    session.commit()
    body = _titles(browser(w.users["case_manager"]).get("/search?q=zoekwoord"))
    assert "<script>alert" not in body and "&lt;script&gt;" in body and "<mark>" in body


def test_api_search_and_bad_filter(indexed, app, session):
    from portal.services import accounts

    token = accounts.create_api_token(session, indexed.users["case_manager"])
    session.commit()
    c = app.test_client()
    r = c.get("/api/v1/search?q=notitie", headers={"Authorization": f"Bearer {token}"})
    # own, health, confidential and draft: all hers
    assert r.status_code == 200 and r.json["total"] == len(r.json["items"]) == 4
    r = c.get("/api/v1/search?q=notitie&type=nonsense", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"


def test_search_is_audited(indexed, browser, session):
    from portal.models import AuditEntry

    browser(indexed.users["staff"]).get("/search?q=tekst")
    row = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert row.action == "search:query" and '"q": "tekst"' in row.detail


def test_reindex_command(indexed, app, session):
    out = app.test_cli_runner().invoke(args=["reindex"])
    assert out.exit_code == 0 and f"Indexed {len(indexed.notes)} documents" in out.output


def test_damaged_index_is_rebuilt_from_the_database_at_start(indexed, app, session):
    """Whoosh is not crash-safe: a damaged index found at start is rebuilt, losing no document.
    On PostgreSQL (the postgres backend) a missing search table is the damage to repair."""
    from sqlalchemy import text

    from portal.web.search_glue import get_index

    index = app.extensions.pop("search_index")
    index.close()
    if app.config["PORTAL"].search_backend == "postgres":
        session.commit()
        session.execute(text("DROP TABLE fts_terms"))
        session.commit()
    else:
        root = app.config["PORTAL"].instance_path / "search_index" / "whoosh"
        segments = list(root.rglob("*.seg"))
        assert segments
        for seg in segments:
            seg.write_bytes(b"garbage")  # replaced, not truncated in place (mmap)
    fresh = get_index(app)
    assert fresh.check()
    assert fresh.count() == len(indexed.notes)
