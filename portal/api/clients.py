"""clients and clients/{id}/case-notes."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal import access
from portal.access import queries
from portal.api import bp
from portal.api._util import MAX_FILE_JSON, json_body, list_field, str_field
from portal.api.consents import _b64
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import CaseNote, Client, NoteAttachment, Workspace
from portal.services import case_notes, note_attachments
from portal.services import clients as client_service
from portal.services.errors import ValidationError
from portal.views import notes as notes_views
from portal.views._common import current_day, parse_date
from portal.views.documents import archive
from portal.vocab import Action
from portal.web.guards import load_for
from portal.web.request_info import where


def client_json(c: Client) -> dict[str, Any]:
    return {"id": c.id, "code": c.code, "display-name": c.display_name,
            "date-of-birth": c.date_of_birth.isoformat() if c.date_of_birth else None,
            "permit-status": c.permit_status.value, "housing": c.housing.value,
            "financial-administration": c.financial_administration.value,
            "contact-frequency": c.contact_frequency.value, "etag-version": c.version_id,
            "_links": {"self": {"href": url_for("api.client_detail", client_id=c.id)},
                       "case-notes": {"href": url_for("api.case_notes", client_id=c.id)}}}


def note_json(n: CaseNote) -> dict[str, Any]:
    return {"id": n.id, "client-id": n.client_id, "title": n.title, "text": n.text,
            "noted-on": n.noted_on.isoformat(), "life-domains": n.life_domains,
            "data-category": n.data_category.value, "confidentiality": n.confidentiality.code,
            "state": n.state.value, "version": n.version_number, "author": n.author.full_name,
            "etag-version": n.version_id, "attachments": [attachment_json(a) for a in n.attachments],
            "_links": {"self": {"href": url_for("api.case_note_detail", note_id=n.id)},
                       "attachments": {"href": url_for("api.case_note_attachments", note_id=n.id)}}}


def attachment_json(a: NoteAttachment) -> dict[str, Any]:
    return {"id": a.id, "case-note-id": a.note_id, "filename": a.filename, "media-type": a.media_type,
            "size": a.size, "sha256": a.file.sha256, "uploaded-by": a.uploaded_by.full_name,
            "uploaded-at": a.uploaded_at.isoformat(),
            "_links": {"file": {"href": url_for("api.case_note_attachment", note_id=a.note_id, attachment_id=a.id)}}}


@bp.get("/clients")
def clients() -> Any:
    items = queries.visible_clients(current_user, today=current_day())
    record(db.session, current_user, AuditAction.LIST, detail={"what": "clients", "count": len(items), "api": True},
           where=where())
    return {"items": [client_json(c) for c in items], "total": len(items)}


@bp.get("/clients/<int:client_id>")
def client_detail(client_id: int) -> Any:
    return client_json(load_for(Action.VIEW, Client, client_id))


def _client_input(data: dict[str, Any], current: Client | None = None) -> client_service.ClientInput:
    def field(name: str, attr: str) -> str:
        return str_field(data, name, getattr(current, attr).value if current else "")

    raw_birth = data.get("date-of-birth", current.date_of_birth.isoformat() if current and current.date_of_birth
                         else None)
    if raw_birth is not None and (not isinstance(raw_birth, str) or parse_date(raw_birth) is None):
        raise ValidationError({"date-of-birth": str(_l("Vul een geldige datum in (jjjj-mm-dd)."))})
    return client_service.ClientInput(
        display_name=str_field(data, "display-name", current.display_name if current else ""),
        date_of_birth=parse_date(raw_birth), permit_status=field("permit-status", "permit_status"),
        housing=field("housing", "housing"),
        financial_administration=field("financial-administration", "financial_administration"),
        contact_frequency=field("contact-frequency", "contact_frequency"))


@bp.post("/clients")
def create_client() -> Any:
    """Intake: a case manager opens a dossier in a team workspace she belongs to."""
    data = json_body()
    ws_id = data.get("workspace-id")
    workspace = db.session.get(Workspace, ws_id) if isinstance(ws_id, int) and not isinstance(ws_id, bool) else None
    if workspace is None or not access.can(current_user, Action.CREATE_CLIENT, workspace):
        if ws_id is None and not any(access.can(current_user, Action.CREATE_CLIENT, w)
                                     for w in db.session.scalars(select(Workspace))):
            raise access.AccessDeniedError(Action.CREATE_CLIENT)
        raise ValidationError({"workspace-id": str(_l("Kies het team waarin het dossier komt."))})
    client = client_service.create(db.session, actor=current_user, workspace=workspace, data=_client_input(data),
                                   today=current_day(), where=where())
    return client_json(client), 201, {"Location": url_for("api.client_detail", client_id=client.id)}


@bp.patch("/clients/<int:client_id>")
def update_client(client_id: int) -> Any:
    client = load_for(Action.EDIT, Client, client_id, audit_view=False)
    data = json_body()
    version = data.get("etag-version")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise ValidationError({"etag-version": str(_l("Moet een heel getal zijn."))})
    client_service.update(db.session, actor=current_user, client=client, data=_client_input(data, client),
                          expected_version=version, today=current_day(), where=where())
    return client_json(client)


@bp.get("/clients/<int:client_id>/case-notes", endpoint="case_notes")
def list_case_notes(client_id: int) -> Any:
    client = load_for(Action.VIEW, Client, client_id)
    notes = queries.visible_notes(current_user, client, today=current_day())
    if notes:  # the attachments of all notes in one go, not a query per note (and per attachment)
        db.session.scalars(select(CaseNote).where(CaseNote.id.in_([n.id for n in notes])).options(
            selectinload(CaseNote.attachments).options(joinedload(NoteAttachment.file),
                                                       joinedload(NoteAttachment.uploaded_by)))).all()
    return {"items": [note_json(n) for n in notes], "total": len(notes)}


@bp.post("/clients/<int:client_id>/case-notes", endpoint="case_notes_post")
def create_case_note(client_id: int) -> Any:
    client = load_for(Action.CREATE_NOTE, Client, client_id, audit_view=False)
    data = json_body()
    note = case_notes_create(client, data)
    return note_json(note), 201, {"Location": url_for("api.case_note_detail", note_id=note.id)}


def case_notes_create(client: Client, data: dict[str, Any]) -> CaseNote:
    note_input = case_notes.NoteInput(
        title=str_field(data, "title"), text=str_field(data, "text"),
        noted_on=parse_date(str_field(data, "noted-on", current_day().isoformat())),
        life_domains=list_field(data, "life-domains"), data_category=str_field(data, "data-category", "general"),
        confidentiality=str_field(data, "confidentiality", "zaakvertrouwelijk"))
    note = case_notes.create(db.session, actor=current_user, client=client, data=note_input, today=current_day(),
                             where=where())
    if data.get("final") is True:
        case_notes.finalize(db.session, actor=current_user, note=note, expected_version=None, today=current_day(),
                            where=where())
    return note


@bp.get("/case-notes/<int:note_id>")
def case_note_detail(note_id: int) -> Any:
    return note_json(load_for(Action.VIEW, CaseNote, note_id))


@bp.post("/case-notes/<int:note_id>/attachments", endpoint="case_note_attachments")
def add_case_note_attachment(note_id: int) -> Any:
    """A file as base64 in JSON (as consent scans and Woo uploads are): `file`, `filename`, `media-type`.

    Only the bytes decide the type; `media-type` is the caller's claim and is not trusted.
    """
    note = load_for(Action.EDIT, CaseNote, note_id, audit_view=False)
    data = json_body(limit=MAX_FILE_JSON)
    str_field(data, "media-type")
    attachment = note_attachments.add(
        db.session, actor=current_user, note=note, data=_b64(data, "file", "file") or b"",
        filename=str_field(data, "filename"), archive=archive(), max_bytes=current_app.config["MAX_CONTENT_LENGTH"],
        today=current_day(), where=where())
    location = url_for("api.case_note_attachment", note_id=note.id, attachment_id=attachment.id)
    return attachment_json(attachment), 201, {"Location": location}


@bp.get("/case-notes/<int:note_id>/attachments/<int:attachment_id>", endpoint="case_note_attachment")
def case_note_attachment_file(note_id: int, attachment_id: int) -> Any:
    return notes_views.attachment(note_id, attachment_id)  # the page's download: same checks, same audit


@bp.delete("/case-notes/<int:note_id>/attachments/<int:attachment_id>")
def delete_case_note_attachment(note_id: int, attachment_id: int) -> Any:
    """Only while the note is a draft (409 once final)."""
    note = load_for(Action.EDIT, CaseNote, note_id, audit_view=False)
    item = note_attachments.get(db.session, note, attachment_id)
    sha256 = note_attachments.remove(db.session, actor=current_user, note=note, attachment=item,
                                     today=current_day(), where=where())
    db.session.commit()  # first the rows, then the bytes (see note_attachments.remove)
    note_attachments.forget_file(db.session, archive(), sha256)
    return "", 204
