"""Letters and plans: list, start, edit, show (with a preview), files, charts, history, DOCX upload."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from letters.charts import chart_png
from letters.model import Chart
from portal import access, doctypes, workflow
from portal.access import queries
from portal.archive import Archive
from portal.audit import AuditAction, record
from portal.doctypes.meetings import minutes_from_agenda
from portal.extensions import db
from portal.models import Client, Document, DocumentVersion, User, Workspace, WorkspaceMember
from portal.models.documents import DocState, DocType
from portal.services import document_render, documents, reviews
from portal.services.errors import ConflictError, TooLargeError, ValidationError
from portal.views._common import current_day, version_arg
from portal.vocab import Action
from portal.web.guards import load_for
from portal.web.request_info import where

bp = Blueprint("documents", __name__)


def threshold() -> int:
    return int(current_app.config["PORTAL"].small_number_threshold)


def archive() -> Archive:
    return Archive(Path(current_app.config["PORTAL"].instance_path) / "archive")


def _form_page(kind: doctypes.DocKind, values: dict[str, Any], status: int = 200, **ctx: Any) -> Any:
    owners = document_render.owner_candidates(db.session, ctx.get("doc"), workspace_id=ctx.get("workspace_id"),
                                              owner=current_user)
    return render_template("documents/edit.html", kind=kind, values=values, owners=owners,
                           blank_rows=doctypes.BLANK_ROWS, errors=ctx.pop("errors", {}), **ctx), status


@bp.get("/documents")
def index() -> Any:
    docs = queries.visible_documents(current_user, today=current_day())
    spaces = [w for w in db.session.scalars(select(Workspace).join(WorkspaceMember).where(
        WorkspaceMember.user_id == current_user.id).order_by(Workspace.name))
        if access.can(current_user, Action.CREATE_DOCUMENT, w)]
    record(db.session, current_user, AuditAction.LIST, detail={"what": "documents", "count": len(docs)},
           where=where())
    kinds = [k for k in doctypes.kinds() if k.type != DocType.PLAN_OF_APPROACH]
    return render_template("documents/index.html", docs=docs, spaces=spaces, kinds=kinds)


@bp.route("/documents/new", methods=["GET", "POST"])
def new() -> Any:
    kind = doctypes.kind_of(request.args.get("type", ""))
    ws_id, client_id, agenda_id = (request.args.get(k, type=int) for k in ("workspace", "client", "agenda"))
    if kind.type == DocType.PLAN_OF_APPROACH:
        client = load_for(Action.CREATE_DOCUMENT, Client, client_id or 0, audit_view=False)
        workspace = None
    else:
        workspace = load_for(Action.CREATE_DOCUMENT, Workspace, ws_id or 0, audit_view=False)
        client = None
    agenda = load_for(Action.VIEW, Document, agenda_id, audit_view=False) if agenda_id else None
    ctx = {"doc": None, "workspace": workspace, "client": client, "workspace_id": ws_id, "agenda": agenda}
    if request.method == "GET":
        values = minutes_from_agenda(agenda.fields) if agenda is not None and agenda.type == DocType.AGENDA else {}
        title = _("Verslag %(m)s", m=agenda.fields.get("meeting", "")) if agenda is not None else (
            _("Plan van aanpak %(n)s", n=client.display_name) if client is not None else "")
        return _form_page(kind, values, title=title, level="", **ctx)
    values = doctypes.read_form(kind, request.form)
    try:
        doc = documents.create(db.session, actor=current_user, doc_type=kind.type, title=request.form.get("title", ""),
                               fields=values, workspace=workspace, client=client, agenda=agenda,
                               confidentiality=request.form.get("confidentiality", ""), threshold=threshold(),
                               today=current_day(), where=where())
    except ValidationError as exc:
        return _form_page(kind, values, 400, errors=exc.errors, title=request.form.get("title", ""),
                          level=request.form.get("confidentiality", ""), **ctx)
    flash(_("Het document is aangemaakt met kenmerk %(ref)s.", ref=doc.reference), "success")
    return redirect(url_for(".show", doc_id=doc.id))


@bp.get("/documents/<int:doc_id>")
def show(doc_id: int) -> Any:
    doc = load_for(Action.VIEW, Document, doc_id)
    kind = doctypes.kind_of(doc.type)
    letter = document_render.letter(db.session, doc, threshold=threshold(), on=current_day())
    can = {a: access.can(current_user, a, doc) for a in (Action.EDIT, Action.REVIEW, Action.DELETE, Action.SHARE)}
    reviewers = []
    if can[Action.EDIT] and doc.state == DocState.DRAFT and kind.workflow == "review":
        reviewers = db.session.scalars(select(User).where(User.is_active_flag.is_(True), User.id != current_user.id)
                                       .order_by(User.full_name)).all()
    mine = next((r for r in reviews.pending(doc) if r.reviewer_id == current_user.id), None)
    return render_template("documents/show.html", doc=doc, kind=kind, letter=letter, can=can, Action=Action,
                           editable=workflow.is_editable(kind.workflow, doc.state), reviewers=reviewers,
                           my_review=mine, transitions=[t.name for t in workflow.available(kind.workflow, doc.state)],
                           charts=[i for i, b in enumerate(letter.blocks) if isinstance(b, Chart)],
                           today=current_day())


@bp.route("/documents/<int:doc_id>/edit", methods=["GET", "POST"])
def edit(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    kind = doctypes.kind_of(doc.type)
    documents.require_editable(doc)
    ctx = {"doc": doc, "workspace": doc.workspace, "client": doc.client, "workspace_id": doc.workspace_id}
    if request.method == "GET":
        return _form_page(kind, dict(doc.fields), title=doc.title, level=doc.confidentiality.code, **ctx)
    values = doctypes.read_form(kind, request.form)
    try:
        documents.update(db.session, actor=current_user, doc=doc, title=request.form.get("title", ""), fields=values,
                         confidentiality=request.form.get("confidentiality", ""), expected_version=version_arg(),
                         threshold=threshold(), today=current_day(), where=where())
    except ValidationError as exc:
        return _form_page(kind, values, 400, errors=exc.errors, title=request.form.get("title", ""),
                          level=request.form.get("confidentiality", ""), **ctx)
    except ConflictError:
        db.session.rollback()
        doc = db.session.get(Document, doc_id)
        return _form_page(kind, values, 409, conflict=True, title=request.form.get("title", ""),
                          level=request.form.get("confidentiality", ""), **{**ctx, "doc": doc})
    flash(_("Het document is opgeslagen."), "success")
    return redirect(url_for(".show", doc_id=doc.id))


@bp.get("/documents/<int:doc_id>/file")
def file(doc_id: int) -> Any:
    """PDF or DOCX: the frozen files once sent, otherwise rendered from the current fields."""
    fmt = request.args.get("format", "pdf")
    if fmt not in document_render.FORMATS:
        abort(404)
    doc = load_for(Action.DOWNLOAD, Document, doc_id)
    frozen = doc.pdf_file if fmt == "pdf" else doc.docx_file
    data = archive().get(frozen.sha256) if frozen is not None else document_render.render(
        db.session, doc, fmt, threshold=threshold(), on=current_day(), archive=archive())
    return _attachment(data, document_render.FORMATS[fmt], f"{doc.reference.replace('/', '-')}.{fmt}")


def _attachment(data: bytes, media_type: str, name: str) -> Response:
    return Response(data, mimetype=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                        "Cache-Control": "no-store"})


@bp.get("/documents/<int:doc_id>/versions/<int:number>/file")
def version_file(doc_id: int, number: int) -> Any:
    doc = load_for(Action.DOWNLOAD, Document, doc_id)
    version = db.session.scalar(select(DocumentVersion).where(DocumentVersion.document_id == doc.id,
                                                              DocumentVersion.number == number))
    if version is None or version.file is None:
        abort(404)
    return _attachment(archive().get(version.file.sha256), version.file.media_type, version.file.filename)


@bp.get("/documents/<int:doc_id>/charts/<int:index>.png")
def chart(doc_id: int, index: int) -> Any:
    """A chart of the document (ZRM first vs latest, planning, figures) as a picture for the page."""
    doc = load_for(Action.VIEW, Document, doc_id, audit_view=False)
    blocks = document_render.letter(db.session, doc, threshold=threshold(), on=current_day()).blocks
    if not 0 <= index < len(blocks) or not isinstance(blocks[index], Chart):
        abort(404)
    return Response(chart_png(blocks[index], dpi=100), mimetype="image/png", headers={"Cache-Control": "no-store"})


@bp.get("/documents/<int:doc_id>/history")
def history(doc_id: int) -> Any:
    doc = load_for(Action.VIEW, Document, doc_id)
    versions = doc.versions
    diffs = []
    for older, newer in zip(versions, versions[1:], strict=False):
        lines = list(difflib.unified_diff(older.text.splitlines(), newer.text.splitlines(), lineterm="", n=2))[2:]
        if older.title != newer.title:
            lines = [f"- {older.title}", f"+ {newer.title}", *lines]
        diffs.append((newer, lines))
    return render_template("documents/history.html", doc=doc, versions=versions, diffs=diffs)


@bp.post("/documents/<int:doc_id>/upload")
def upload(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    upload_file = request.files.get("file")
    data = upload_file.read() if upload_file else b""
    try:
        documents.upload_docx(db.session, actor=current_user, doc=doc, data=data,
                              filename=upload_file.filename if upload_file else "", archive=archive(),
                              max_bytes=current_app.config["MAX_CONTENT_LENGTH"], today=current_day(), where=where())
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.errors.get("file", _("Het bestand is geweigerd.")), "error")
        return show(doc_id), 413 if isinstance(exc, TooLargeError) else 400
    flash(_("Het Word-document is opgeslagen als nieuwe versie."), "success")
    return redirect(url_for(".show", doc_id=doc.id))


@bp.post("/documents/<int:doc_id>/delete")
def delete(doc_id: int) -> Any:
    doc = load_for(Action.DELETE, Document, doc_id, audit_view=False)
    client_id = doc.client_id
    documents.delete_draft(db.session, actor=current_user, doc=doc, today=current_day(), where=where())
    flash(_("Het concept is verwijderd."), "success")
    return redirect(url_for("clients.detail", client_id=client_id) if client_id else url_for(".index"))


@bp.get("/clients/<int:client_id>/plans")
def client_plans(client_id: int) -> Any:
    """The plans of approach in a dossier that she may see."""
    client = load_for(Action.VIEW, Client, client_id)
    plans = queries.visible_documents(current_user, client=client, today=current_day())
    return render_template("documents/client_plans.html", client=client, plans=plans,
                           can_create=access.can(current_user, Action.CREATE_DOCUMENT, client))
