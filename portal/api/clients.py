"""clients and clients/{id}/case-notes."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_login import current_user

from portal.access import queries
from portal.api import bp
from portal.api._util import json_body, list_field, str_field
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import CaseNote, Client
from portal.services import case_notes
from portal.views._common import current_day, parse_date
from portal.vocab import Action
from portal.web.guards import load_for
from portal.web.request_info import where


def client_json(c: Client) -> dict[str, Any]:
    return {"id": c.id, "code": c.code, "display-name": c.display_name,
            "date-of-birth": c.date_of_birth.isoformat() if c.date_of_birth else None,
            "permit-status": c.permit_status.value, "housing": c.housing.value,
            "financial-administration": c.financial_administration.value,
            "contact-frequency": c.contact_frequency.value,
            "_links": {"self": {"href": url_for("api.client_detail", client_id=c.id)},
                       "case-notes": {"href": url_for("api.case_notes", client_id=c.id)}}}


def note_json(n: CaseNote) -> dict[str, Any]:
    return {"id": n.id, "client-id": n.client_id, "title": n.title, "text": n.text,
            "noted-on": n.noted_on.isoformat(), "life-domains": n.life_domains,
            "data-category": n.data_category.value, "confidentiality": n.confidentiality.code,
            "state": n.state.value, "version": n.version_number, "author": n.author.full_name,
            "etag-version": n.version_id}


@bp.get("/clients")
def clients() -> Any:
    items = queries.visible_clients(current_user, today=current_day())
    record(db.session, current_user, AuditAction.LIST, detail={"what": "clients", "count": len(items), "api": True},
           where=where())
    return {"items": [client_json(c) for c in items], "total": len(items)}


@bp.get("/clients/<int:client_id>")
def client_detail(client_id: int) -> Any:
    return client_json(load_for(Action.VIEW, Client, client_id))


@bp.get("/clients/<int:client_id>/case-notes", endpoint="case_notes")
def list_case_notes(client_id: int) -> Any:
    client = load_for(Action.VIEW, Client, client_id)
    notes = queries.visible_notes(current_user, client, today=current_day())
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
