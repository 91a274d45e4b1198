"""Woo requests: list and open, select documents, propose, review per document, export the ZIP."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import woo as woo_access
from portal.access.errors import AccessDeniedError, NotFoundError
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import WooDocument, WooRedaction, WooRequest
from portal.services import woo, woo_export
from portal.services.errors import StateConflictError, TooLargeError, ValidationError
from portal.views._common import current_day, parse_date
from portal.views.documents import archive, threshold
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.guards import load_for
from portal.web.request_info import where
from woo.grounds import GROUNDS

bp = Blueprint("woo", __name__)


def _status(exc: ValidationError) -> int:
    return 409 if isinstance(exc, StateConflictError) else 413 if isinstance(exc, TooLargeError) else 400


def _refused(exc: ValidationError, page: Any) -> Any:
    """Nothing of the step is kept; the page again with the field-named messages."""
    db.session.rollback()
    for message in exc.errors.values():
        flash(message, "error")
    return page(), _status(exc)


def _int(name: str) -> int | None:
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        return None


@bp.get("/woo")
def index(errors: dict[str, str] | None = None) -> Any:
    if not woo_access.may_use(current_user):
        raise AccessDeniedError(Action.VIEW)
    requests = [r for r in db.session.scalars(select(WooRequest).order_by(WooRequest.id.desc())).all()
                if access.can(current_user, Action.VIEW, r)]
    may_create = access.can(current_user, Action.CREATE_WOO)
    reviewers = woo.reviewer_candidates(db.session, current_user) if may_create else []
    return render_template("woo/index.html", requests=requests, may_create=may_create, reviewers=reviewers,
                           errors=errors or {}, form=request.form, today=current_day())


@bp.post("/woo")
def create() -> Any:
    try:
        req = woo.create_request(db.session, actor=current_user, title=request.form.get("title", ""),
                                 requester_reference=request.form.get("requester_reference", ""),
                                 received_on=parse_date(request.form.get("received_on")),
                                 reviewer_id=_int("reviewer"), today=current_day(), where=where())
    except ValidationError as exc:
        db.session.rollback()
        return index(errors=exc.errors), _status(exc)
    flash(_("Het Woo-verzoek %(ref)s is aangemaakt.", ref=req.reference), "success")
    return redirect(url_for(".show", req_id=req.id))


@bp.get("/woo/<int:req_id>")
def show(req_id: int) -> Any:
    req = load_for(Action.VIEW, WooRequest, req_id)
    can = {a: access.can(current_user, a, req) for a in (Action.EDIT, Action.REVIEW)}
    selectable = woo.selectable_documents(db.session, current_user, req) if can[Action.EDIT] else []
    stale = {w.id: woo.is_stale(w, archive()) for w in req.documents}
    open_counts = {w.id: sum(1 for r in w.redactions if r.status == "proposed") for w in req.documents}
    return render_template("woo/show.html", req=req, can=can, selectable=selectable, stale=stale,
                           open_counts=open_counts, Action=Action)


@bp.post("/woo/<int:req_id>/documents")
def add_document(req_id: int) -> Any:
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    try:
        woo.add_document(db.session, actor=current_user, req=req, doc_id=_int("document"), where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: show(req_id))
    flash(_("Het document is toegevoegd."), "success")
    return redirect(url_for(".show", req_id=req.id))


@bp.post("/woo/<int:req_id>/uploads")
def add_upload(req_id: int) -> Any:
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    upload = request.files.get("file")
    try:
        woo.add_upload(db.session, actor=current_user, req=req, title=request.form.get("title", ""),
                       dated_on=parse_date(request.form.get("dated_on")), data=upload.read() if upload else b"",
                       filename=upload.filename or "" if upload else "", archive=archive(), where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: show(req_id))
    flash(_("Het PDF-bestand is toegevoegd."), "success")
    return redirect(url_for(".show", req_id=req.id))


def load_doc(req: WooRequest, wdoc_id: int) -> WooDocument:
    """A document of this request; for a letter also one she may view herself (else 404)."""
    wdoc = db.session.get(WooDocument, wdoc_id)
    if wdoc is None or wdoc.request_id != req.id:
        raise NotFoundError()
    if wdoc.document is not None and not access.can(current_user, Action.VIEW, wdoc.document):
        raise NotFoundError()
    return wdoc


@bp.post("/woo/<int:req_id>/documents/<int:wdoc_id>/remove")
def remove_document(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    try:
        woo.remove_document(db.session, actor=current_user, req=req, wdoc=wdoc, where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: show(req_id))
    flash(_("Het document is uit het verzoek gehaald."), "success")
    return redirect(url_for(".show", req_id=req.id))


@bp.post("/woo/<int:req_id>/documents/<int:wdoc_id>/propose")
def propose(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    try:
        n = woo.propose(db.session, actor=current_user, req=req, wdoc=wdoc, archive=archive(), where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: show(req_id))
    flash(_("%(n)s lakvoorstel(len) gemaakt.", n=n), "success")
    return redirect(url_for(".show", req_id=req.id))


@bp.get("/woo/<int:req_id>/documents/<int:wdoc_id>")
def review(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.VIEW, WooRequest, req_id)
    wdoc = load_doc(req, wdoc_id)
    segs = woo.segments(wdoc, archive())
    stale = woo.is_stale(wdoc, archive())
    pieces = {} if stale else {name: woo.pieces(text, wdoc.redactions, name) for name, text in segs.items()}
    return render_template("woo/review.html", req=req, wdoc=wdoc, segs=segs, pieces=pieces, stale=stale,
                           grounds=GROUNDS, can_review=access.can(current_user, Action.REVIEW, req),
                           labels={name: woo.segment_label(wdoc, name) for name in segs},
                           withheld_pages=woo.withheld_pages(wdoc, archive()))


@bp.post("/woo/<int:req_id>/documents/<int:wdoc_id>/redactions")
def add_redaction(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.REVIEW, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    try:
        woo.add_redaction(db.session, actor=current_user, req=req, wdoc=wdoc, segment=request.form.get("segment", ""),
                          text=request.form.get("text", ""), occurrence=_int("occurrence") or 1,
                          ground=request.form.get("ground", ""), archive=archive(), where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: review(req_id, wdoc_id))
    flash(_("De lakking is toegevoegd."), "success")
    return redirect(url_for(".review", req_id=req.id, wdoc_id=wdoc.id))


@bp.post("/woo/<int:req_id>/redactions/<int:redaction_id>")
def set_redaction(req_id: int, redaction_id: int) -> Any:
    req = load_for(Action.REVIEW, WooRequest, req_id, audit_view=False)
    redaction = db.session.get(WooRedaction, redaction_id)
    if redaction is None:
        raise NotFoundError()
    wdoc = load_doc(req, redaction.woo_document_id)
    try:
        woo.set_redaction(db.session, actor=current_user, req=req, redaction=redaction,
                          status=request.form.get("status", ""), ground=request.form.get("ground") or None,
                          archive=archive(), where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: review(req_id, wdoc.id))
    return redirect(url_for(".review", req_id=req.id, wdoc_id=wdoc.id) + f"#r{redaction.id}")


@bp.post("/woo/<int:req_id>/documents/<int:wdoc_id>/decision")
def decide(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.REVIEW, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    try:
        woo.set_decision(db.session, actor=current_user, req=req, wdoc=wdoc, decision=request.form.get("decision", ""),
                         ground=request.form.get("ground", ""), remark=request.form.get("remark", ""), where=where())
    except ValidationError as exc:
        return _refused(exc, lambda: review(req_id, wdoc_id))
    flash(_("De beoordeling is opgeslagen."), "success")
    return redirect(url_for(".review", req_id=req.id, wdoc_id=wdoc.id))


def zip_response(data: bytes, req: WooRequest) -> Response:
    name = f"{req.reference.replace('/', '-')}.zip"
    return Response(data, mimetype=woo_export.ZIP_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


@bp.post("/woo/<int:req_id>/export")
def export(req_id: int) -> Any:
    """Fail closed: the ZIP leaves only after the leak check passed; a refusal is audited and changes nothing."""
    try:
        return export_zip(req_id)
    except ValidationError as exc:
        return _refused(exc, lambda: show(req_id))


def export_zip(req_id: int) -> Response:
    """The checked ZIP of a request (pages and API). A refusal keeps nothing of the export, but is itself
    audited on its own commit after the rollback, then re-raised.

    :raise ValidationError/StateConflictError: see `woo_export.export`.
    """
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    require_recent_auth()
    try:
        data = woo_export.export(db.session, actor=current_user, req=req, archive=archive(), threshold=threshold(),
                                 where=where())
    except ValidationError as exc:
        db.session.rollback()
        record(db.session, current_user, AuditAction.WOO_EXPORT_REFUSED, req, allowed=False, where=where(),
               detail={"problems": sorted(exc.errors)})
        db.session.commit()
        raise
    return zip_response(data, req)


@bp.get("/woo/<int:req_id>/export.zip")
def download(req_id: int) -> Any:
    req = load_for(Action.DOWNLOAD, WooRequest, req_id)
    if req.export_file is None:
        raise NotFoundError()
    return zip_response(archive().get(req.export_file.sha256), req)


@bp.app_context_processor
def _menu() -> dict[str, Any]:
    return {"show_woo_menu": lambda: bool(current_user.is_authenticated and woo_access.may_use(current_user))}
