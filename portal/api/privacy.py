"""The privacy officer's API: a client's own file, retention, legal holds, destruction lists."""

from __future__ import annotations

from typing import Any

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

import config
from portal import access, indexing
from portal.api import bp
from portal.api._util import json_body, str_field
from portal.api.openapi import SPEC, _op
from portal.extensions import db
from portal.models import Client, DestructionList, LegalHold
from portal.services import client_export, destruction, retention
from portal.services.errors import ValidationError
from portal.views._common import current_day
from portal.views.documents import archive
from portal.vocab import Action
from portal.web.request_info import where
from portal.web.search_glue import get_index


def _years() -> dict[str, int]:
    return config.retention_years(current_app.config["PORTAL"].retention_years)


def _get(model: type, obj_id: int) -> Any:
    obj = db.session.get(model, obj_id)
    if obj is None:
        raise access.NotFoundError()
    return obj


def due_json(r: retention.DueRecord) -> dict[str, Any]:
    return {"kind": r.kind, "object-type": r.object_type, "object-id": r.object_id, "client-id": r.client_id,
            "client-code": r.client_code, "reference": r.reference, "last-changed-on": r.last_changed_on.isoformat(),
            "due-on": r.due_on.isoformat(), "legal-hold": r.on_hold}


def list_json(dl: DestructionList) -> dict[str, Any]:
    return {"id": dl.id, "state": dl.state.value, "created-at": dl.created_at.isoformat(),
            "approved-at": dl.approved_at.isoformat() if dl.approved_at else None,
            "executed-at": dl.executed_at.isoformat() if dl.executed_at else None,
            "items": [{"kind": i.kind, "object-type": i.object_type, "object-id": i.object_id,
                       "client-code": i.client_code, "reference": i.reference, "due-on": i.due_on.isoformat(),
                       "outcome": i.outcome, "outcome-reason": i.outcome_reason} for i in dl.items]}


@bp.get("/clients/<int:client_id>/export")
def client_export_zip(client_id: int) -> Any:
    access.require(current_user, Action.EXPORT_CLIENT_FILE)
    client = _get(Client, client_id)
    spool = client_export.export_client(db.session, actor=current_user, client=client, archive=archive(),
                                        where=where())
    return send_file(spool, mimetype="application/zip", as_attachment=True, download_name=f"inzage-{client.code}.zip")


@bp.get("/retention/due")
def retention_due() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    rows = retention.due(db.session, today=current_day(), years=_years())
    return {"items": [due_json(r) for r in rows], "total": len(rows),
            "retention-years": _years()}


@bp.get("/destruction-lists")
def destruction_lists() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    lists = db.session.scalars(select(DestructionList).order_by(DestructionList.id.desc()).limit(100)).all()
    return {"items": [list_json(dl) for dl in lists], "total": len(lists)}


@bp.post("/destruction-lists")
def destruction_list_create() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    data = json_body()
    raw = data.get("items")
    keys: list[tuple[str, int]] | None = None
    if raw is not None:
        if not isinstance(raw, list) or not all(
                isinstance(i, dict) and isinstance(i.get("object-type"), str) and isinstance(i.get("object-id"), int)
                for i in raw):
            raise ValidationError({"items": str(_l("Een lijst van {object-type, object-id}."))})
        keys = [(i["object-type"], i["object-id"]) for i in raw]
    dl = retention.propose(db.session, actor=current_user, today=current_day(), years=_years(), keys=keys,
                           where=where())
    return list_json(dl), 201


@bp.get("/destruction-lists/<int:list_id>")
def destruction_list_detail(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    return list_json(_get(DestructionList, list_id))


@bp.post("/destruction-lists/<int:list_id>/approve")
def destruction_list_approve(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    dl = _get(DestructionList, list_id)
    retention.approve(db.session, actor=current_user, dl=dl, where=where(),
                      four_eyes=current_app.config["PORTAL"].destruction_four_eyes)
    return list_json(dl)


@bp.post("/destruction-lists/<int:list_id>/execute")
def destruction_list_execute(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    dl = _get(DestructionList, list_id)
    destruction.execute(db.session, actor=current_user, dl=dl, today=current_day(), years=_years(), where=where())
    db.session.commit()  # two phases: the rows go in this commit, then the files and index are scrubbed
    scrubbed = True
    try:
        destruction.scrub(db.session, archive=archive(), index=get_index(),
                          docs=lambda: indexing.all_docs(db.session), engine=db.engine)
    except destruction.ScrubError:  # committed already; `flask --app portal retention --scrub` finishes it
        scrubbed = False
    return {**list_json(_get(DestructionList, list_id)), "scrubbed": scrubbed}


@bp.post("/legal-holds")
def legal_hold_create() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    data = json_body()
    client_id = data.get("client-id")
    client = db.session.get(Client, client_id) if isinstance(client_id, int) else None
    if client is None:
        raise ValidationError({"client_id": str(_l("Kies een cliënt."))})
    hold = retention.set_hold(db.session, actor=current_user, client=client, reason=str_field(data, "reason"),
                              where=where())
    return {"id": hold.id, "client-id": client.id, "reason": hold.reason, "set-at": hold.set_at.isoformat()}, 201


@bp.post("/legal-holds/<int:hold_id>/lift")
def legal_hold_lift(hold_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    hold = _get(LegalHold, hold_id)
    retention.lift_hold(db.session, actor=current_user, hold=hold, reason=str_field(json_body(), "reason"),
                        where=where())
    return {"id": hold.id, "lifted-at": hold.lifted_at.isoformat() if hold.lifted_at else None}


SPEC["paths"].update({
    "/clients/{client-id}/export": {"get": _op(
        "Privacy officer only: everything about the client and who viewed or changed her file, as a ZIP with a "
        "PDF index (AVG art. 15); audited", params=["client-id"])},
    "/retention/due": {"get": _op("Privacy officer only: records whose retention period has ended")},
    "/destruction-lists": {"get": _op("Privacy officer only: destruction lists"),
                           "post": _op("Propose a list of due records (all, or items: [{object-type, object-id}])",
                                       "201")},
    "/destruction-lists/{list-id}": {"get": _op("One destruction list", params=["list-id"])},
    "/destruction-lists/{list-id}/approve": {"post": _op("Approve a proposed list", params=["list-id"])},
    "/destruction-lists/{list-id}/execute": {"post": _op(
        "Destroy the records of an approved list for good; tombstones remain", params=["list-id"])},
    "/legal-holds": {"post": _op("Put a dossier under a legal hold (client-id, reason)", "201")},
    "/legal-holds/{hold-id}/lift": {"post": _op("Lift a legal hold (reason)", params=["hold-id"])},
})
