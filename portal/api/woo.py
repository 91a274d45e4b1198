"""woo-requests: Woo disclosure over the same services, access rules and audit trail as the pages."""

from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import woo as woo_access
from portal.access.errors import AccessDeniedError, NotFoundError
from portal.api import bp
from portal.api._util import MAX_FILE_JSON, json_body, str_field
from portal.api.consents import _b64
from portal.extensions import db
from portal.models import WooDocument, WooRedaction, WooRequest
from portal.services import woo
from portal.services.errors import ValidationError
from portal.views._common import current_day, parse_date
from portal.views.documents import archive
from portal.views.woo import export_zip, load_doc
from portal.vocab import Action
from portal.web.guards import load_for
from portal.web.request_info import where


def _int(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({name: str(_l("Moet een geheel getal zijn."))})
    return value


def _document_json(req: WooRequest, w: WooDocument, *, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": w.id, "position": w.position, "title": w.title, "letter-id": w.document_id,
        "kind": "letter" if w.document_id else "upload", "proposed-at": w.proposed_at.isoformat() if w.proposed_at
        else None, "stale": woo.is_stale(w, archive()), "decision": w.decision or None,
        "decision-ground": w.decision_ground or None, "remark": w.remark}
    if full and not out["stale"] and w.fingerprint:
        segs = woo.segments(w, archive())
        out["segments"] = segs
        out["redactions"] = [{"id": r.id, "segment": r.segment, "start": r.start, "end": r.end,
                              "text": segs[r.segment][r.start:r.end], "ground": r.ground, "status": r.status,
                              "found-as": r.kind} for r in w.redactions]
    return out


def request_json(req: WooRequest, *, full: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": req.id, "reference": req.reference, "title": req.title,
        "requester-reference": req.requester_reference, "received-on": req.received_on.isoformat(),
        "handler": req.owner.full_name, "reviewer": req.reviewer.full_name, "state": req.state,
        "exported-at": req.exported_at.isoformat() if req.exported_at else None,
        "_links": {"self": {"href": url_for("api.woo_request_detail", req_id=req.id)}}}
    if full:
        out["documents"] = [_document_json(req, w, full=True) for w in req.documents]
    return out


@bp.get("/woo-requests")
def woo_request_list() -> Any:
    if not woo_access.may_use(current_user):
        raise AccessDeniedError(Action.VIEW)
    reqs = [r for r in db.session.scalars(select(WooRequest).order_by(WooRequest.id.desc()))
            if access.can(current_user, Action.VIEW, r)]
    return {"woo-requests": [request_json(r, full=False) for r in reqs]}


@bp.post("/woo-requests")
def woo_request_create() -> Any:
    data = json_body()
    req = woo.create_request(db.session, actor=current_user, title=str_field(data, "title"),
                             requester_reference=str_field(data, "requester-reference"),
                             received_on=parse_date(str_field(data, "received-on")),
                             reviewer_id=_int(data, "reviewer-id"), today=current_day(), where=where())
    return request_json(req), 201


@bp.get("/woo-requests/<int:req_id>")
def woo_request_detail(req_id: int) -> Any:
    return request_json(load_for(Action.VIEW, WooRequest, req_id))


@bp.post("/woo-requests/<int:req_id>/documents")
def woo_request_add_document(req_id: int) -> Any:
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    wdoc = woo.add_document(db.session, actor=current_user, req=req, doc_id=_int(json_body(), "letter-id"),
                            where=where())
    return _document_json(req, wdoc, full=False), 201


@bp.post("/woo-requests/<int:req_id>/uploads")
def woo_request_upload(req_id: int) -> Any:
    """An uploaded PDF as base64 in JSON (as consent scans are), up to the upload limit."""
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    data = json_body(limit=MAX_FILE_JSON)
    wdoc = woo.add_upload(db.session, actor=current_user, req=req, title=str_field(data, "title"),
                          dated_on=parse_date(str_field(data, "dated-on")), data=_b64(data, "file", "file") or b"",
                          filename=str_field(data, "filename"), archive=archive(), where=where())
    return _document_json(req, wdoc, full=False), 201


@bp.post("/woo-requests/<int:req_id>/documents/<int:wdoc_id>/proposals")
def woo_request_propose(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.EDIT, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    woo.propose(db.session, actor=current_user, req=req, wdoc=wdoc, archive=archive(), where=where())
    return _document_json(req, wdoc, full=True)


@bp.post("/woo-requests/<int:req_id>/documents/<int:wdoc_id>/redactions")
def woo_request_add_redaction(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.REVIEW, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    data = json_body()
    woo.add_redaction(db.session, actor=current_user, req=req, wdoc=wdoc, segment=str_field(data, "segment"),
                      text=str_field(data, "text"), occurrence=_int(data, "occurrence") or 1,
                      ground=str_field(data, "ground"), archive=archive(), where=where())
    return _document_json(req, wdoc, full=True), 201


@bp.patch("/woo-requests/<int:req_id>/redactions/<int:redaction_id>")
def woo_request_set_redaction(req_id: int, redaction_id: int) -> Any:
    req = load_for(Action.REVIEW, WooRequest, req_id, audit_view=False)
    redaction = db.session.get(WooRedaction, redaction_id)
    if redaction is None:
        raise NotFoundError()
    wdoc = load_doc(req, redaction.woo_document_id)
    data = json_body()
    woo.set_redaction(db.session, actor=current_user, req=req, redaction=redaction, status=str_field(data, "status"),
                      ground=str_field(data, "ground") or None, archive=archive(), where=where())
    return _document_json(req, wdoc, full=True)


@bp.put("/woo-requests/<int:req_id>/documents/<int:wdoc_id>/decision")
def woo_request_decide(req_id: int, wdoc_id: int) -> Any:
    req = load_for(Action.REVIEW, WooRequest, req_id, audit_view=False)
    wdoc = load_doc(req, wdoc_id)
    data = json_body()
    woo.set_decision(db.session, actor=current_user, req=req, wdoc=wdoc,
                     decision=str_field(data, "decision").replace("-", "_"), ground=str_field(data, "ground"),
                     remark=str_field(data, "remark"), where=where())
    return _document_json(req, wdoc, full=False)


@bp.post("/woo-requests/<int:req_id>/export")
def woo_request_export(req_id: int) -> Response:
    return export_zip(req_id)
