"""Case notes through the pages: write, bad input, finalise, correct as a new version, conflicts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.models import CaseNote, CaseNoteVersion

GOOD = {"title": "Huisbezoek", "text": "Cliënte maakt het goed.", "noted_on": date.today().isoformat(),
        "life_domains": ["housing", "finances"], "data_category": "housing", "confidentiality": "zaakvertrouwelijk"}


def _count(session) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(CaseNote))


def test_write_and_read_a_note(world, browser, session):
    b = browser(world.users["case_manager"])
    r = b.post(f"/clients/{world.clients['own'].id}/notes/new", data={**GOOD, "finalize": "1"})
    assert r.status_code == 302
    note = session.scalars(select(CaseNote).order_by(CaseNote.id.desc())).first()
    assert note.state == "final" and note.life_domains == ["housing", "finances"]
    page = b.get(r.location).get_data(as_text=True)
    assert "Cliënte maakt het goed." in page and "Huisvesting" in page


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "Geef de notitie een titel"),
    ("title", "x" * 201, "hoogstens 200 tekens"),
    ("text", "   ", "De notitie is leeg"),
    ("text", "x" * 20_001, "hoogstens 20000 tekens"),
    ("noted_on", "gisteren", "geldige datum"),
    ("noted_on", (date.today() + timedelta(days=2)).isoformat(), "toekomst"),
    ("life_domains", ["housing", "astrology"], "Onbekend levensdomein"),
    ("data_category", "gossip", "gegevenscategorie"),
    ("confidentiality", "topsecret", "vertrouwelijkheidsniveau"),
])
def test_bad_input_names_the_field_and_saves_nothing(world, browser, session, field, value, message):
    b = browser(world.users["case_manager"])
    before = _count(session)
    r = b.post(f"/clients/{world.clients['own'].id}/notes/new", data={**GOOD, field: value})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert message in body
    assert f'id="{field}-error"' in body or f'href="#{field}"' in body
    assert _count(session) == before
    if field == "text" and value.strip():
        assert GOOD["title"] in body  # what she typed is kept in the form


def test_correction_of_a_final_note_is_a_new_version(world, browser, session):
    b = browser(world.users["case_manager"])
    note = world.notes["own"]
    old_text = note.text
    r = b.post(f"/notes/{note.id}/edit", data={**GOOD, "text": "Gecorrigeerde tekst.", "reason": "typefout",
                                              "version": note.version_id})
    assert r.status_code == 302
    session.refresh(note)
    assert note.text == "Gecorrigeerde tekst." and note.version_number == 2
    versions = session.scalars(select(CaseNoteVersion).where(CaseNoteVersion.note_id == note.id)
                               .order_by(CaseNoteVersion.number)).all()
    assert [v.text for v in versions] == [old_text, "Gecorrigeerde tekst."]
    assert versions[0].correction_reason == "typefout"
    history = b.get(f"/notes/{note.id}/history").get_data(as_text=True)
    assert old_text in history and "<ins>+Gecorrigeerde tekst.</ins>" in history


def test_correction_needs_a_reason(world, browser, session):
    b = browser(world.users["case_manager"])
    note = world.notes["own"]
    r = b.post(f"/notes/{note.id}/edit", data={**GOOD, "text": "Anders.", "version": note.version_id})
    assert r.status_code == 400 and "waarom" in r.get_data(as_text=True)
    session.refresh(note)
    assert note.version_number == 1


def test_concurrent_save_gets_conflict_and_keeps_text(world, browser, session):
    b1 = browser(world.users["case_manager"])
    note = world.notes["own_draft"]
    stale = note.version_id
    assert b1.post(f"/notes/{note.id}/edit", data={**GOOD, "text": "Eerste opslag.", "version": stale}
                   ).status_code == 302
    r = b1.post(f"/notes/{note.id}/edit", data={**GOOD, "text": "Mijn tweede tekst.", "version": stale})
    body = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "Mijn tweede tekst." in body and "Eerste opslag." in body
    session.refresh(note)
    assert note.text == "Eerste opslag."


def test_draft_can_be_deleted_final_cannot(world, browser, session):
    b = browser(world.users["case_manager"])
    assert b.post(f"/notes/{world.notes['own_draft'].id}/delete").status_code == 302
    assert session.get(CaseNote, world.notes["own_draft"].id) is None
    assert b.post(f"/notes/{world.notes['own'].id}/delete").status_code == 403


def test_peer_expert_writes_notes_for_her_client(world, browser):
    b = browser(world.users["peer_expert"])
    assert b.post(f"/clients/{world.clients['own'].id}/notes/new", data=GOOD).status_code == 302


def test_note_text_is_escaped(world, browser):
    b = browser(world.users["case_manager"])
    r = b.post(f"/clients/{world.clients['own'].id}/notes/new",
               data={**GOOD, "title": "<script>alert(1)</script>", "text": '"><img src=x onerror=alert(1)>'})
    page = b.get(r.location).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_outbox_row_is_written_in_the_same_transaction(world, session):
    from portal.models import IndexOutbox
    from portal.services import case_notes

    data = case_notes.NoteInput(title="t", text="x", noted_on=date.today(), life_domains=(),
                                data_category="general", confidentiality="intern")
    note = case_notes.create(session, actor=world.users["case_manager"], client=world.clients["own"], data=data,
                             today=date.today())
    session.flush()
    rows = session.scalars(select(IndexOutbox).where(IndexOutbox.object_id == note.id)).all()
    assert [r.object_type for r in rows] == ["case_note"]
    session.rollback()
    assert session.scalar(select(func.count()).select_from(IndexOutbox)) == 0  # gone with the change


def test_sharing_page_explains_who_and_why(world, browser):
    b = browser(world.users["case_manager"])
    page = b.get(f"/clients/{world.clients['own'].id}/sharing").get_data(as_text=True)
    assert "toegewezen casemanager" in page and "toegewezen ervaringsdeskundige" in page
    consented = browser(world.users["other_cm"]).get(f"/clients/{world.clients['consented'].id}/sharing")
    assert "toestemming van de cliënt" in consented.get_data(as_text=True)


def test_emergency_access_needs_a_reason_and_is_logged(world, browser, session):
    from portal.models import AuditEntry, EmergencyGrant

    b = browser(world.users["staff"])
    cid = world.clients["own"].id
    assert b.get(f"/clients/{cid}").status_code == 404
    r = b.post(f"/clients/{cid}/emergency", data={"reason": "kort"})
    assert r.status_code == 400 and "reden" in r.get_data(as_text=True).lower()
    assert session.scalar(select(func.count()).select_from(EmergencyGrant)) == 0
    r = b.post(f"/clients/{cid}/emergency", data={"reason": "Cliënte onvindbaar, politie vraagt om contact"})
    assert r.status_code == 302
    page = b.get(f"/clients/{cid}").get_data(as_text=True)
    assert "noodtoegang" in page
    row = session.scalars(select(AuditEntry).where(AuditEntry.action == "object:view")
                          .order_by(AuditEntry.seq.desc())).first()
    assert row.emergency_reason.startswith("Cliënte onvindbaar")
    po = browser(world.users["privacy_officer"])
    assert "Cliënte onvindbaar" in po.get("/audit/").get_data(as_text=True)


@pytest.mark.parametrize(("data", "field"), [
    ({"principal_kind": "user", "principal_user": "", "role": "reader"}, "principal"),
    ({"principal_kind": "planet", "role": "reader"}, "principal"),
    ({"principal_kind": "user", "principal_user": "abc", "role": "reader"}, "principal"),
    ({"principal_kind": "organisation", "principal_organisation": "1", "role": "owner"}, "role"),
])
def test_sharing_bad_input_names_the_field(world, browser, session, data, field):
    from portal.models import LocalRole

    b = browser(world.users["case_manager"])
    r = b.post(f"/clients/{world.clients['own'].id}/sharing", data=data)
    assert r.status_code == 400
    assert f'href="#{field}"' in r.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(LocalRole)) == 0


def test_sharing_takes_effect_on_the_next_request(world, browser):
    staff = browser(world.users["staff"])
    note = world.notes["own"]
    assert staff.get(f"/notes/{note.id}").status_code == 404
    cm = browser(world.users["case_manager"])
    cm.post(f"/notes/{note.id}/sharing", data={"principal_kind": "user",
                                               "principal_user": world.users["staff"].id, "role": "reader"})
    assert staff.get(f"/notes/{note.id}").status_code == 200
    page = cm.get(f"/notes/{note.id}/sharing").get_data(as_text=True)
    assert "persoonlijk gedeeld" in page
