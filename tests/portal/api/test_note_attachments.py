"""Case-note attachments through the API: base64 upload, the file, the listing, removal, refusals."""

from __future__ import annotations

import base64
import hashlib

from sqlalchemy import func, select

from portal.models import NoteAttachment, StoredFile
from tests.portal.consents.helpers import make_encrypted_pdf, make_pdf


def _body(data: bytes, name: str = "beschikking.pdf", media_type: str = "application/pdf") -> dict[str, str]:
    return {"file": base64.b64encode(data).decode(), "filename": name, "media-type": media_type}


def test_api_upload_list_download_and_remove(world, app, token, session):
    c = app.test_client()
    cm = token("case_manager")
    draft = world.notes["own_draft"]
    data = make_pdf("Beschikking bijzondere bijstand Lindelaan")
    r = c.post(f"/api/v1/case-notes/{draft.id}/attachments", headers=cm, json=_body(data, media_type="image/png"))
    assert r.status_code == 201, r.json
    assert r.json["media-type"] == "application/pdf"  # the bytes decide, not the claim
    assert r.json["filename"] == "beschikking.pdf" and r.json["size"] == len(data)
    file_url = r.json["_links"]["file"]["href"]
    assert r.headers["Location"].endswith(file_url)

    note = c.get(f"/api/v1/case-notes/{draft.id}", headers=cm).json
    assert [a["id"] for a in note["attachments"]] == [r.json["id"]]
    listed = c.get(f"/api/v1/clients/{world.clients['own'].id}/case-notes", headers=cm).json
    assert any(n["attachments"] for n in listed["items"])

    f = c.get(file_url, headers=cm)
    assert f.status_code == 200 and f.data == data and f.mimetype == "application/pdf"
    assert f.headers["Content-Disposition"].startswith("attachment;")
    for persona in ("staff", "other_cm", "admin", "project_lead"):
        assert c.get(file_url, headers=token(persona)).status_code == 404, persona
        assert c.get(f"/api/v1/case-notes/{draft.id}", headers=token(persona)).status_code == 404

    assert c.delete(file_url, headers=token("staff")).status_code == 404
    assert c.delete(file_url, headers=cm).status_code == 204
    assert session.scalar(select(func.count()).select_from(NoteAttachment)) == 0
    from pathlib import Path

    from portal.archive import Archive
    assert not Archive(Path(app.config["PORTAL"].instance_path) / "archive").exists(hashlib.sha256(data).hexdigest())


def test_api_final_note_accepts_attachments_but_keeps_them(world, app, token, session):
    c = app.test_client()
    cm = token("case_manager")
    final = world.notes["own"]
    r = c.post(f"/api/v1/case-notes/{final.id}/attachments", headers=cm, json=_body(make_pdf("Brief")))
    assert r.status_code == 201
    d = c.delete(r.json["_links"]["file"]["href"], headers=cm)
    assert d.status_code == 409 and d.mimetype == "application/problem+json"
    assert session.scalar(select(func.count()).select_from(NoteAttachment)) == 1


def test_api_refuses_bad_uploads_naming_the_field(world, app, token, session):
    c = app.test_client()
    cm = token("case_manager")
    url = f"/api/v1/case-notes/{world.notes['own_draft'].id}/attachments"
    cases = [
        ({"filename": "x.pdf", "file": "niet base64!"}, "file", 400),
        (_body(make_encrypted_pdf()), "file", 400),
        (_body(b"#!/bin/sh\nrm -rf /\n", "brief.pdf"), "file", 400),
        ({"file": base64.b64encode(make_pdf("x")).decode(), "filename": 12}, "filename", 400),
    ]
    for body, field, status in cases:
        r = c.post(url, headers=cm, json=body)
        assert r.status_code == status, (body, r.json)
        assert r.mimetype == "application/problem+json"
        assert field in str(r.json), r.json
    assert c.post(url, headers=token("staff"), json=_body(make_pdf("x"))).status_code == 404
    assert session.scalar(select(func.count()).select_from(NoteAttachment)) == 0
    assert session.scalar(select(func.count()).select_from(StoredFile)) == 0


def test_openapi_documents_attachments(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    assert "post" in spec["paths"]["/case-notes/{case-note-id}/attachments"]
    assert {"get", "delete"} <= set(spec["paths"]["/case-notes/{case-note-id}/attachments/{attachment-id}"])
    assert "AttachmentInput" in spec["components"]["schemas"]


def test_case_note_list_costs_the_same_for_more_attachments(world, app, token, session, count_queries):
    """The list of a dossier's notes must not load each note's attachments (and their files and
    uploaders) one query at a time."""
    c, cm = app.test_client(), token("case_manager")
    url = f"/api/v1/clients/{world.clients['own'].id}/case-notes"
    notes = [world.notes["own_draft"], world.notes["own"]]

    def cost() -> int:
        with count_queries() as seen:
            assert c.get(url, headers=cm).status_code == 200
        return len(seen)

    def attach(note, n: int) -> None:  # noqa: ANN001
        r = c.post(f"/api/v1/case-notes/{note.id}/attachments", headers=cm,
                   json=_body(make_pdf(f"Brief nummer {n}"), f"brief-{n}.pdf"))
        assert r.status_code == 201, r.json

    attach(notes[0], 0)
    attach(notes[1], 1)
    c.get(url, headers=cm)  # warm
    before = cost()
    for n in range(2, 8):
        attach(notes[n % 2], n)
    after = cost()
    assert after == before, f"{before} queries with one attachment per note, {after} with four each"
