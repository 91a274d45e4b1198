"""Attachments on case notes through the pages: upload, search, download, removal, hostile files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.archive import Archive
from portal.models import AuditEntry, IndexOutbox, NoteAttachment, StoredFile
from tests.portal.consents.helpers import make_encrypted_pdf, make_jpeg, make_pdf, make_png
from tests.portal.views.test_hostile_uploads import _javascript_pdf, _zip_bomb_docx

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def make_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _upload(b, note_id: int, data: bytes, name: str):  # noqa: ANN001, ANN202
    return b.post(f"/notes/{note_id}/attachments", data={"file": (io.BytesIO(data), name)},
                  content_type="multipart/form-data")


def _count(session, model=NoteAttachment) -> int:  # noqa: ANN001
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def _search(b, q: str) -> str:  # noqa: ANN001
    r = b.get(f"/search?q={q}")
    assert r.status_code == 200
    return r.get_data(as_text=True)


@pytest.mark.parametrize(("maker", "name", "media_type", "word"), [
    (lambda: make_pdf("Beschikking bijzondere bijstand Zonnebloemweg"), "beschikking.pdf", "application/pdf",
     "zonnebloemweg"),
    (lambda: make_docx("Rapportage van de woningcorporatie over de Klaprooslaan."), "rapport.docx", DOCX_TYPE,
     "klaprooslaan"),
])
def test_attachment_upload_is_found_by_search_only_for_who_may_see_the_note(world, browser, session, maker, name,
                                                                            media_type, word):
    cm = browser(world.users["case_manager"])
    note = world.notes["own"]  # final: adding is allowed, it overwrites nothing
    r = _upload(cm, note.id, maker(), name)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    att = session.scalars(select(NoteAttachment)).one()
    assert (att.note_id, att.media_type, att.filename) == (note.id, media_type, name)
    assert word in att.text.lower()
    assert att.file.sha256 and att.size == att.file.size
    audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "object:upload")).all()
    assert [a.object_id for a in audit] == [note.id]

    page = cm.get(f"/notes/{note.id}").get_data(as_text=True)
    assert name in page
    body = _search(cm, word)
    assert note.title in body and "1 resultaten" in body
    for persona in ("staff", "other_cm", "project_lead"):
        other = _search(browser(world.users[persona]), word)
        assert f"/notes/{note.id}" not in other and "0 resultaten" in other, persona


def test_image_attachment_has_no_text_and_name_is_made_safe(world, browser, session):
    cm = browser(world.users["case_manager"])
    note = world.notes["own_draft"]
    r = _upload(cm, note.id, make_png(), "..\\..\\etc/pass\x07wd\u202e.pdf")  # a PNG that claims to be a PDF
    assert r.status_code == 302
    att = session.scalars(select(NoteAttachment)).one()
    assert att.media_type == "image/png" and att.text == ""
    assert att.filename == "passwd.png"
    r = _upload(cm, note.id, make_jpeg(), "foto.jpeg")
    assert r.status_code == 302
    assert session.scalars(select(NoteAttachment.media_type).order_by(NoteAttachment.id)).all() == [
        "image/png", "image/jpeg"]


def test_download_for_viewers_and_404_for_others(world, browser, session):
    cm = browser(world.users["case_manager"])
    note = world.notes["own"]
    data = make_pdf("Brief van de woningcorporatie")
    assert _upload(cm, note.id, data, "brief woning.pdf").status_code == 302
    att = session.scalars(select(NoteAttachment)).one()
    url = f"/notes/{note.id}/attachments/{att.id}"
    r = cm.get(url)
    assert r.status_code == 200 and r.data == data
    assert r.mimetype == "application/pdf"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="brief_woning.pdf"')
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    downloads = session.scalars(select(AuditEntry).where(AuditEntry.action == "object:download")).all()
    assert len(downloads) == 1 and downloads[0].object_id == note.id
    assert browser(world.users["peer_expert"]).get(url).status_code == 200  # assigned: may view the note
    missing = cm.get(f"/notes/{note.id}/attachments/{att.id + 99}")
    assert missing.status_code == 404
    wrong_note = cm.get(f"/notes/{world.notes['own_health'].id}/attachments/{att.id}")
    assert wrong_note.status_code == 404
    for persona in ("staff", "other_cm", "admin"):
        unseen = browser(world.users[persona]).get(url)
        gone = browser(world.users[persona]).get(f"/notes/{note.id + 999}/attachments/{att.id}")
        assert unseen.status_code == gone.status_code == 404, persona
        assert data not in unseen.data


def test_who_may_not_edit_cannot_attach(world, browser, session):
    staff = browser(world.users["staff"])
    r = _upload(staff, world.notes["consented"].id, make_pdf("x"), "x.pdf")  # may view (consent), not edit
    assert r.status_code == 403
    r = _upload(staff, world.notes["own"].id, make_pdf("x"), "x.pdf")  # may not even view
    assert r.status_code == 404
    assert _count(session) == 0 and _count(session, StoredFile) == 0


def test_removal_only_while_draft_and_reindexed(world, browser, session, app):
    cm = browser(world.users["case_manager"])
    draft, final = world.notes["own_draft"], world.notes["own"]
    for note in (draft, final):
        assert _upload(cm, note.id, make_pdf("Kwijtscheldingsbesluit gemeentelijke belastingen"), "k.pdf"
                       ).status_code == 302
    on_draft, on_final = session.scalars(select(NoteAttachment).order_by(NoteAttachment.id)).all()
    assert "kwijtscheldingsbesluit" in _search(cm, "kwijtscheldingsbesluit").lower()

    r = cm.post(f"/notes/{final.id}/attachments/{on_final.id}/delete")
    assert r.status_code == 409
    assert "definitieve notitie kan niet worden verwijderd" in r.get_data(as_text=True)
    assert _count(session) == 2
    r = cm.post(f"/notes/{final.id}/attachments/{on_draft.id}/delete")  # another note's attachment
    assert r.status_code == 404
    assert browser(world.users["peer_expert"]).post(f"/notes/{draft.id}/attachments/{on_draft.id}/delete"
                                                    ).status_code in (403, 404)
    r = cm.post(f"/notes/{draft.id}/attachments/{on_draft.id}/delete")
    assert r.status_code == 302
    assert session.scalars(select(NoteAttachment.id)).all() == [on_final.id]
    # The same bytes are also the final note's attachment: they stay in the archive.
    assert Archive(Path(app.config["PORTAL"].instance_path) / "archive").exists(on_final.file.sha256)
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "object:attachment_remove")) == 1
    body = _search(cm, "kwijtscheldingsbesluit")
    assert f"/notes/{final.id}" in body and f"/notes/{draft.id}\"" not in body and "1 resultaten" in body


def test_removed_attachment_leaves_no_bytes_behind(world, browser, session, app):
    """Removed from a draft means gone: the archived bytes no other row names are unlinked after the
    commit (they stayed behind as an orphan before)."""
    archive = Archive(Path(app.config["PORTAL"].instance_path) / "archive")
    cm = browser(world.users["case_manager"])
    draft = world.notes["own_draft"]
    assert _upload(cm, draft.id, make_pdf("Tijdelijke verklaring van de huisarts"), "v.pdf").status_code == 302
    item = session.scalars(select(NoteAttachment)).one()
    sha = item.file.sha256
    assert archive.exists(sha)
    assert cm.post(f"/notes/{draft.id}/attachments/{item.id}/delete").status_code == 302
    assert not archive.exists(sha)


def test_adding_and_removing_enqueue_the_note_in_the_same_transaction(world, session, app):
    from datetime import date
    from pathlib import Path

    from portal.archive import Archive
    from portal.services import note_attachments

    archive = Archive(Path(app.config["PORTAL"].instance_path) / "archive")
    cm, note = world.users["case_manager"], world.notes["own_draft"]
    session.execute(IndexOutbox.__table__.delete())
    att = note_attachments.add(session, actor=cm, note=note, data=make_pdf("a"), filename="a.pdf",
                               archive=archive, max_bytes=20 * 1024 * 1024, today=date.today())
    assert session.scalars(select(IndexOutbox.object_id).where(IndexOutbox.object_type == "case_note")).all() == [
        note.id]
    note_attachments.remove(session, actor=cm, note=note, attachment=att, today=date.today())
    assert session.scalars(select(IndexOutbox.object_id)).all() == [note.id, note.id]
    session.rollback()


def _docx_with(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(("data", "name", "message"), [
    (b"", "leeg.pdf", "Het bestand is leeg"),
    (make_encrypted_pdf(), "geheim.pdf", "versleuteld"),
    (_javascript_pdf(), "script.pdf", "scripts of ingesloten bestanden"),
    (make_pdf("Beschikking")[:300], "kapot.pdf", "beschadigd of onvolledig"),
    (_zip_bomb_docx(), "bom.docx", "verdacht groot"),
    (_docx_with("evil.sh", b"rm -rf /"), "zip.docx", "PDF-, Word- (.docx), PNG- of JPEG-bestand"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "oud.doc", "oud Word-bestand"),
    (b"<html><script>alert(1)</script></html>", "brief.pdf", "PDF-, Word- (.docx), PNG- of JPEG-bestand"),
    (b"MZ\x90\x00" + b"\0" * 300, "brief.png", "PDF-, Word- (.docx), PNG- of JPEG-bestand"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "kapot.png", "beschadigd of onvolledig"),
])
def test_hostile_files_are_refused_naming_the_field_and_nothing_is_stored(world, browser, session, app, data, name,
                                                                          message):
    cm = browser(world.users["case_manager"])
    before_files = _count(session, StoredFile)
    r = _upload(cm, world.notes["own_draft"].id, data, name)
    body = r.get_data(as_text=True)
    assert r.status_code == 400, body[:500]
    assert message in body
    assert 'id="file-error"' in body and 'href="#file"' in body
    assert _count(session) == 0 and _count(session, StoredFile) == before_files
    archive = app.config["PORTAL"].instance_path / "archive"
    assert not [p for p in archive.rglob("*") if p.is_file()] if archive.exists() else True


def test_too_large_upload_is_refused_with_413(world, browser, session, app):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    cm = browser(world.users["case_manager"])
    r = _upload(cm, world.notes["own_draft"].id, make_pdf("x" * 10) + b"%" * 60_000, "groot.pdf")
    assert r.status_code == 413
    assert _count(session) == 0
