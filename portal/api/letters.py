"""documents (canonical) and letters (the older name): council briefings, project plans, agendas, minutes and
client plans (DESIGN §12).

Each view answers under both /documents/... and /letters/... (stacked rules, one implementation, the same
access checks and audit records); links in the answers point to /documents.

The same services as the pages; names in kebab-case (NL API Design Rules), field names included
('evaluation-and-explanation'), turned into the stored snake_case names here.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal import doctypes
from portal.access import explain, queries
from portal.api import bp
from portal.api._util import json_body, str_field
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import Client, Document, Workspace
from portal.services import client_plans, document_render, documents, reviews, sharing
from portal.services.errors import ValidationError
from portal.views._common import current_day, parse_date
from portal.views.documents import archive, threshold
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.guards import load_for
from portal.web.request_info import where


def _snake(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).replace("-", "_"): _snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake(v) for v in value]
    return value


def _kebab(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).replace("_", "-"): _kebab(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_kebab(v) for v in value]
    return value


def letter_json(d: Document, *, full: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": d.id, "type": d.type.value.replace("_", "-"), "title": d.title, "reference": d.reference,
        "state": d.state.value.replace("_", "-"), "confidentiality": d.confidentiality.code, "owner": d.owner.full_name,
        "workspace-id": d.workspace_id, "client-id": d.client_id, "version": d.version_number,
        "etag-version": d.version_id, "created-at": d.created_at.isoformat(), "modified-at": d.modified_at.isoformat(),
        "sent-at": d.sent_at.isoformat() if d.sent_at else None,
        "_links": {"self": {"href": url_for("api.document_detail", doc_id=d.id)},
                   "pdf": {"href": url_for("api.document_file", doc_id=d.id, format="pdf")},
                   "docx": {"href": url_for("api.document_file", doc_id=d.id, format="docx")},
                   "versions": {"href": url_for("api.document_versions", doc_id=d.id)},
                   "sharing": {"href": url_for("api.document_sharing", doc_id=d.id)}}}
    if full:
        out |= {"fields": _kebab(d.fields), "text": d.text,
                "reviews": [{"reviewer": r.reviewer.full_name, "decision": r.decision.value.replace("_", "-"),
                             "comment": r.comment} for r in d.reviews],
                "comments": [{"section": c.section.replace("_", "-"), "author": c.author.full_name, "text": c.text}
                             for c in d.comments],
                "measurements": [{"measured-on": m.measured_on.isoformat(), "scores": _kebab(m.scores)}
                                 for m in d.measurements]}
    return out


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    value = data.get("fields", {})
    if not isinstance(value, dict):
        raise ValidationError({"fields": str(_l("Moet een object zijn."))})
    return _snake(value)


def _int(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError({name: str(_l("Moet een heel getal zijn."))})
    return value


@bp.get("/documents", endpoint="documents")
@bp.get("/letters")
def letters() -> Any:
    items = queries.visible_documents(current_user, workspace_id=request.args.get("workspace-id", type=int),
                                      today=current_day())
    what = "documents" if request.endpoint == "api.documents" else "letters"
    record(db.session, current_user, AuditAction.LIST, detail={"what": what, "count": len(items), "api": True},
           where=where())
    return {"items": [letter_json(d, full=False) for d in items], "total": len(items)}


@bp.post("/documents", endpoint="create_document")
@bp.post("/letters")
def create_letter() -> Any:
    data = json_body()
    doc_type = str_field(data, "type").replace("-", "_")
    kind = doctypes.kind_of(doc_type)
    ws_id, client_id = _int(data, "workspace-id"), _int(data, "client-id")
    workspace = load_for(Action.CREATE_DOCUMENT, Workspace, ws_id, audit_view=False) if ws_id else None
    client = load_for(Action.CREATE_DOCUMENT, Client, client_id, audit_view=False) if client_id else None
    doc = documents.create(db.session, actor=current_user, doc_type=kind.type, title=str_field(data, "title"),
                           fields=_fields(data), workspace=workspace, client=client,
                           confidentiality=str_field(data, "confidentiality"), threshold=threshold(),
                           today=current_day(), where=where())
    # The Location speaks the caller's name for the resource; the body's _links give the canonical one.
    detail = "api.document_detail" if request.endpoint == "api.create_document" else "api.letter_detail"
    return letter_json(doc), 201, {"Location": url_for(detail, doc_id=doc.id)}


@bp.get("/documents/<int:doc_id>", endpoint="document_detail")
@bp.get("/letters/<int:doc_id>")
def letter_detail(doc_id: int) -> Any:
    return letter_json(load_for(Action.VIEW, Document, doc_id))


@bp.patch("/documents/<int:doc_id>", endpoint="update_document")
@bp.patch("/letters/<int:doc_id>")
def update_letter(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    data = json_body()
    fields = {**doc.fields, **_fields(data)} if "fields" in data else dict(doc.fields)
    documents.update(db.session, actor=current_user, doc=doc, title=str_field(data, "title", doc.title),
                     fields=fields, confidentiality=str_field(data, "confidentiality", doc.confidentiality.code),
                     expected_version=_int(data, "etag-version"), threshold=threshold(), today=current_day(),
                     where=where())
    return letter_json(doc)


@bp.get("/documents/<int:doc_id>/file", endpoint="document_file")
@bp.get("/letters/<int:doc_id>/file")
def letter_file(doc_id: int) -> Any:
    fmt = request.args.get("format", "pdf")
    if fmt not in document_render.FORMATS:
        raise ValidationError({"format": str(_l("Kies pdf of docx."))})
    doc = load_for(Action.DOWNLOAD, Document, doc_id)
    frozen = doc.pdf_file if fmt == "pdf" else doc.docx_file
    data = archive().get(frozen.sha256) if frozen is not None else document_render.render(
        db.session, doc, fmt, threshold=threshold(), on=current_day(), archive=archive())
    return Response(data, mimetype=document_render.FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{doc.reference.replace("/", "-")}.{fmt}"'})


@bp.get("/documents/<int:doc_id>/versions", endpoint="document_versions")
@bp.get("/letters/<int:doc_id>/versions")
def letter_versions(doc_id: int) -> Any:
    doc = load_for(Action.VIEW, Document, doc_id)
    items = [{"number": v.number, "kind": v.kind, "state": v.state.replace("_", "-"), "author": v.author.full_name,
              "created-at": v.created_at.isoformat(), "remark": v.remark, "title": v.title, "text": v.text}
             for v in doc.versions]
    return {"items": items, "total": len(items)}


TRANSITIONS = {"submit", "withdraw", "approve", "send-back", "reopen", "send", "agree", "evaluate"}


@bp.post("/documents/<int:doc_id>/transitions", endpoint="document_transition")
@bp.post("/letters/<int:doc_id>/transitions")
def letter_transition(doc_id: int) -> Any:
    """{"transition": "submit", "reviewers": [3, 4]} and so on; see the OpenAPI document."""
    data = json_body()
    name = str_field(data, "transition")
    if name not in TRANSITIONS:
        raise ValidationError({"transition": str(_l("Onbekende stap: kies uit %(s)s.", s=", ".join(
            sorted(TRANSITIONS))))})
    action = Action.REVIEW if name in {"approve", "send-back"} else Action.EDIT
    doc = load_for(action, Document, doc_id, audit_view=False)
    kw: dict[str, Any] = {"actor": current_user, "doc": doc, "today": current_day(), "where": where()}
    version = _int(data, "etag-version")
    if name == "submit":
        raw = data.get("reviewers", [])
        if not isinstance(raw, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
            raise ValidationError({"reviewers": str(_l("Moet een lijst van gebruikers-id's zijn."))})
        reviews.request_review(db.session, reviewer_ids=raw, expected_version=version, **kw)
    elif name in {"approve", "send-back"}:
        reviews.decide(db.session, approve=name == "approve", comment_text=str_field(data, "comment"), **kw)
    elif name == "withdraw":
        reviews.withdraw(db.session, **kw)
    elif name == "reopen":
        reviews.reopen(db.session, **kw)
    elif name == "send":
        reviews.send(db.session, archive=archive(), threshold=threshold(), expected_version=version, **kw)
    elif name == "agree":
        client_plans.agree(db.session, expected_version=version, threshold=threshold(), **kw)
    else:
        client_plans.evaluate(db.session, remark=str_field(data, "remark"), expected_version=version,
                              threshold=threshold(), **kw)
    return letter_json(doc)


@bp.post("/documents/<int:doc_id>/comments", endpoint="document_comment")
@bp.post("/letters/<int:doc_id>/comments")
def letter_comment(doc_id: int) -> Any:
    doc = load_for(Action.REVIEW, Document, doc_id, audit_view=False)
    data = json_body()
    reviews.comment(db.session, actor=current_user, doc=doc, section=str_field(data, "section").replace("-", "_"),
                    text=str_field(data, "text"), today=current_day(), where=where())
    return letter_json(doc), 201


@bp.post("/documents/<int:doc_id>/measurements", endpoint="document_measurement")
@bp.post("/letters/<int:doc_id>/measurements")
def letter_measurement(doc_id: int) -> Any:
    doc = load_for(Action.EDIT, Document, doc_id, audit_view=False)
    data = json_body()
    scores = data.get("scores", {})
    if not isinstance(scores, dict):
        raise ValidationError({"scores": str(_l("Moet een object zijn: levensdomein -> score."))})
    client_plans.add_measurement(db.session, actor=current_user, doc=doc,
                                 measured_on=parse_date(str_field(data, "measured-on")), scores=_snake(scores),
                                 threshold=threshold(), today=current_day(), where=where())
    return letter_json(doc), 201



@bp.get("/documents/<int:doc_id>/sharing", endpoint="document_sharing")
@bp.get("/letters/<int:doc_id>/sharing")
def letter_sharing(doc_id: int) -> Any:
    """Who can see this letter today and why, and its local roles (the sharing page as JSON)."""
    doc = load_for(Action.SHARE, Document, doc_id, audit_view=False)
    return _sharing_json(doc)


@bp.post("/documents/<int:doc_id>/sharing", endpoint="document_share")
@bp.post("/letters/<int:doc_id>/sharing")
def letter_share(doc_id: int) -> Any:
    """Grant a local role (reader, editor, reviewer) to a user, organisation or workspace."""
    doc = load_for(Action.SHARE, Document, doc_id, audit_view=False)
    require_recent_auth()
    data = json_body()
    pid = data.get("principal-id")
    if not isinstance(pid, int) or isinstance(pid, bool):
        raise ValidationError({"principal_id": str(_l("Moet een getal zijn."))})
    sharing.grant(db.session, actor=current_user, obj=doc, principal_kind=str_field(data, "principal-kind"),
                  principal_id=pid, role=str_field(data, "role"), today=current_day(), where=where())
    return _sharing_json(doc), 201


def _sharing_json(doc: Document) -> dict[str, Any]:
    viewers = [{"name": v.user.full_name, "role": str(v.user.role), "organisation": v.user.organisation.code,
                "reasons": [{"kind": str(r.kind), "role": str(r.role) if r.role else None} for r in v.reasons]}
               for v in explain.viewers(doc, today=current_day())]
    roles = [{"id": e.id, "principal-kind": e.principal_kind,
              "principal": sharing.principal_label(db.session, e.principal_kind, e.principal_id),
              "role": str(e.role)} for e in sharing.entries(db.session, doc)]
    return {"id": doc.id, "viewers": viewers, "local-roles": roles}
