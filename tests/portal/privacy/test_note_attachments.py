"""Attachments in the privacy operations: the client's own file (export) and destruction with the note."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import func, select

from portal.archive import Archive
from portal.models import NoteAttachment, StoredFile, Tombstone
from tests.portal.consents.helpers import make_pdf, make_png
from tests.portal.privacy.helpers import attach_old, destroy, index_now, old_note


def test_export_zip_contains_the_note_attachments(world, browser, session, app):
    note = world.notes["own_draft"]
    pdf, png = make_pdf("Beschikking bijzondere bijstand"), make_png()
    first = attach_old(session, app, note, pdf, "beschikking.pdf")
    attach_old(session, app, note, png, "foto.png")
    session.commit()
    with browser(world.users["privacy_officer"]).post("/privacy/export",
                                                      data={"client_id": world.clients["own"].id}) as r:
        assert r.status_code == 200
        zf = zipfile.ZipFile(io.BytesIO(r.data))
    listed = json.loads(zf.read(f"notities/notitie-{note.id}.json"))["attachments"]
    assert [a["filename"] for a in listed] == ["beschikking.pdf", "foto.png"]
    assert "Beschikking bijzondere bijstand" in listed[0]["text"]
    assert zf.read(listed[0]["file"]) == pdf and zf.read(listed[1]["file"]) == png
    assert listed[0]["file"] == f"bijlagen/{first.file_id}-beschikking.pdf"
    from pypdf import PdfReader

    contents = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(zf.read("inhoud.pdf"))).pages)
    assert "Bijlage bij notitie" in contents and "beschikking.pdf" in contents


def test_destruction_removes_attachment_rows_and_unshared_files(world, session, app):
    archive = Archive(app.config["PORTAL"].instance_path / "archive")
    note = old_note(session, world, text="Oude notitie met bijlagen.")
    only_here = make_pdf("Alleen bij deze notitie")
    shared = make_png()
    attach_old(session, app, note, only_here, "a.pdf")
    attach_old(session, app, note, shared, "b.png")
    keeper = attach_old(session, app, world.notes["own_draft"], shared, "zelfde.png")  # same bytes, another note
    index_now(session)
    sha_only, sha_shared = (session.scalar(select(StoredFile.sha256).where(StoredFile.filename == n))
                            for n in ("a.pdf", "b.png"))
    assert archive.exists(sha_only) and archive.exists(sha_shared)

    outcome = destroy(session, app, world.users["privacy_officer"], [("case_note", note.id)])

    assert outcome.destroyed == 1
    assert session.scalars(select(NoteAttachment.id)).all() == [keeper.id]
    assert session.scalar(select(func.count()).select_from(StoredFile).where(
        StoredFile.sha256.in_([sha_only, sha_shared]))) == 1  # the other note's row stays
    assert not archive.exists(sha_only)
    assert archive.exists(sha_shared) and archive.get(sha_shared) == shared  # still named by the other note
    assert session.scalars(select(Tombstone.files_removed)).one() == 2
