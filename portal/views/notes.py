"""Case notes: write, edit a draft, finalise, correct, history, delete a draft."""

from __future__ import annotations

import difflib
from typing import Any

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import access
from portal.extensions import db
from portal.models import CaseNote, Client
from portal.models.clients import NoteState
from portal.services import case_notes, note_attachments
from portal.services.errors import ConflictError, StateConflictError, TooLargeError, ValidationError
from portal.views._common import current_day, parse_date, version_arg
from portal.views.documents import archive
from portal.vocab import Action
from portal.web.guards import load_for
from portal.web.request_info import where

bp = Blueprint("notes", __name__)


def _input() -> case_notes.NoteInput:
    f = request.form
    return case_notes.NoteInput(title=f.get("title", ""), text=f.get("text", ""),
                                noted_on=parse_date(f.get("noted_on")),
                                life_domains=tuple(f.getlist("life_domains")),
                                data_category=f.get("data_category", ""),
                                confidentiality=f.get("confidentiality", ""))


def _form(template: str, status: int, **ctx: Any) -> Any:
    return render_template(template, domains=case_notes.LIFE_DOMAINS, form=request.form, **ctx), status


@bp.route("/clients/<int:client_id>/notes/new", methods=["GET", "POST"])
def new(client_id: int) -> Any:
    client = load_for(Action.CREATE_NOTE, Client, client_id, audit_view=False)
    if request.method == "GET":
        return render_template("notes/edit.html", client=client, note=None, domains=case_notes.LIFE_DOMAINS,
                               form={"noted_on": current_day().isoformat(), "data_category": "general",
                                     "confidentiality": "zaakvertrouwelijk"}, errors={})
    try:
        note = case_notes.create(db.session, actor=current_user, client=client, data=_input(), today=current_day(),
                                 where=where())
    except ValidationError as exc:
        return _form("notes/edit.html", 400, client=client, note=None, errors=exc.errors)
    if request.form.get("finalize"):
        case_notes.finalize(db.session, actor=current_user, note=note, expected_version=None, today=current_day(),
                            where=where())
    flash(_("De notitie is opgeslagen."), "success")
    return redirect(url_for(".show", note_id=note.id))


def _show_page(note: CaseNote, status: int = 200, errors: dict[str, str] | None = None) -> Any:
    return render_template("notes/show.html", note=note, client=note.client,
                           can_edit=access.can(current_user, Action.EDIT, note),
                           can_share=access.can(current_user, Action.SHARE, note),
                           can_delete=access.can(current_user, Action.DELETE, note),
                           attachment_errors=errors or {}), status


@bp.get("/notes/<int:note_id>")
def show(note_id: int) -> Any:
    return _show_page(load_for(Action.VIEW, CaseNote, note_id))


@bp.post("/notes/<int:note_id>/attachments")
def attach(note_id: int) -> Any:
    """Add a file to a draft, or to a final note she may correct (it overwrites nothing)."""
    note = load_for(Action.EDIT, CaseNote, note_id, audit_view=False)
    upload = request.files.get("file")
    try:
        note_attachments.add(db.session, actor=current_user, note=note, data=upload.read() if upload else b"",
                             filename=upload.filename or "" if upload else "", archive=archive(),
                             max_bytes=current_app.config["MAX_CONTENT_LENGTH"], today=current_day(), where=where())
    except ValidationError as exc:
        db.session.rollback()
        note = db.session.get(CaseNote, note_id)
        return _show_page(note, 413 if isinstance(exc, TooLargeError) else 400, exc.errors)
    flash(_("De bijlage is toegevoegd."), "success")
    return redirect(url_for(".show", note_id=note.id))


@bp.get("/notes/<int:note_id>/attachments/<int:attachment_id>")
def attachment(note_id: int, attachment_id: int) -> Any:
    """The file, as a download (never inline); 404 exactly as for the note when she may not view it."""
    note = load_for(Action.DOWNLOAD, CaseNote, note_id, audit_view=False)
    item = note_attachments.get(db.session, note, attachment_id)
    data = note_attachments.read(db.session, actor=current_user, note=note, attachment=item, archive=archive(),
                                 where=where())
    # nosniff and no-store come with every response (portal.web.headers)
    return Response(data, mimetype=item.media_type,
                    headers={"Content-Disposition": note_attachments.content_disposition(item)})


@bp.post("/notes/<int:note_id>/attachments/<int:attachment_id>/delete")
def detach(note_id: int, attachment_id: int) -> Any:
    note = load_for(Action.EDIT, CaseNote, note_id, audit_view=False)
    item = note_attachments.get(db.session, note, attachment_id)
    try:
        sha256 = note_attachments.remove(db.session, actor=current_user, note=note, attachment=item,
                                         today=current_day(), where=where())
    except StateConflictError as exc:
        return _show_page(note, 409, exc.errors)
    db.session.commit()  # first the rows, then the bytes (see note_attachments.remove)
    note_attachments.forget_file(db.session, archive(), sha256)
    flash(_("De bijlage is verwijderd."), "success")
    return redirect(url_for(".show", note_id=note.id))


@bp.route("/notes/<int:note_id>/edit", methods=["GET", "POST"])
def edit(note_id: int) -> Any:
    note = load_for(Action.EDIT, CaseNote, note_id, audit_view=False)
    correcting = note.state == NoteState.FINAL
    if request.method == "GET":
        form = {"title": note.title, "text": note.text, "noted_on": note.noted_on.isoformat(),
                "data_category": note.data_category.value, "confidentiality": note.confidentiality.code}
        return render_template("notes/edit.html", client=note.client, note=note, domains=case_notes.LIFE_DOMAINS,
                               form=form, selected=note.life_domains, errors={}, correcting=correcting)
    try:
        if correcting:
            case_notes.correct(db.session, actor=current_user, note=note, data=_input(),
                               reason=request.form.get("reason", ""), expected_version=version_arg(),
                               today=current_day(), where=where())
        else:
            case_notes.update_draft(db.session, actor=current_user, note=note, data=_input(),
                                    expected_version=version_arg(), today=current_day(), where=where())
            if request.form.get("finalize"):
                db.session.flush()
                case_notes.finalize(db.session, actor=current_user, note=note, expected_version=None,
                                    today=current_day(), where=where())
    except ValidationError as exc:
        return _form("notes/edit.html", 400, client=note.client, note=note, errors=exc.errors, correcting=correcting,
                     selected=request.form.getlist("life_domains"))
    except ConflictError:
        db.session.rollback()
        note = db.session.get(CaseNote, note_id)
        return _form("notes/edit.html", 409, client=note.client, note=note, errors={}, correcting=correcting,
                     conflict=True, selected=request.form.getlist("life_domains"))
    flash(_("De notitie is opgeslagen."), "success")
    return redirect(url_for(".show", note_id=note.id))


@bp.post("/notes/<int:note_id>/finalize")
def finalize(note_id: int) -> Any:
    note = load_for(Action.EDIT, CaseNote, note_id, audit_view=False)
    try:
        case_notes.finalize(db.session, actor=current_user, note=note, expected_version=version_arg(),
                            today=current_day(), where=where())
    except ConflictError:
        flash(_("Iemand anders heeft deze notitie intussen gewijzigd. Bekijk de nieuwe versie."), "error")
        return (render_template("notes/show.html", note=note, client=note.client, can_edit=True, can_share=False,
                                can_delete=False, attachment_errors={}), 409)
    flash(_("De notitie is definitief gemaakt."), "success")
    return redirect(url_for(".show", note_id=note.id))


@bp.post("/notes/<int:note_id>/delete")
def delete(note_id: int) -> Any:
    note = load_for(Action.DELETE, CaseNote, note_id, audit_view=False)
    client_id = note.client_id
    case_notes.delete_draft(db.session, actor=current_user, note=note, today=current_day(), where=where())
    flash(_("Het concept is verwijderd."), "success")
    return redirect(url_for("clients.detail", client_id=client_id))


@bp.get("/notes/<int:note_id>/history")
def history(note_id: int) -> Any:
    note = load_for(Action.VIEW, CaseNote, note_id)
    diffs = []
    versions = note.versions
    for older, newer in zip(versions, versions[1:], strict=False):
        diffs.append((newer, list(difflib.unified_diff(older.text.splitlines(), newer.text.splitlines(),
                                                        lineterm="", n=2))[2:]))
    return render_template("notes/history.html", note=note, client=note.client, versions=versions, diffs=diffs)
