"""The sharing page of a dossier, note, letter or plan: local roles, inheritance, and who can see it and why."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.access import explain
from portal.extensions import db
from portal.models import CaseNote, Client, Document, Organisation, User, Workspace
from portal.services import sharing
from portal.services.errors import ValidationError
from portal.views._common import current_day
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.guards import load_for
from portal.web.request_info import where

bp = Blueprint("sharing", __name__)

MODELS: dict[str, type] = {"clients": Client, "notes": CaseNote, "documents": Document}


def _load(kind: str, obj_id: int, action: Action) -> Any:
    model = MODELS.get(kind)
    if model is None:
        from portal.access import NotFoundError
        raise NotFoundError()
    return load_for(action, model, obj_id, audit_view=False)


def _page(kind: str, obj: Any, status: int = 200, errors: dict[str, str] | None = None) -> Any:
    choices = {
        "user": db.session.scalars(select(User).where(User.is_active_flag.is_(True)).order_by(User.full_name)).all(),
        "organisation": db.session.scalars(select(Organisation).order_by(Organisation.name)).all(),
        "workspace": db.session.scalars(select(Workspace).order_by(Workspace.name)).all(),
    }
    entries = [(e, sharing.principal_label(db.session, e.principal_kind, e.principal_id))
               for e in sharing.entries(db.session, obj)]
    return render_template("sharing/page.html", kind=kind, obj=obj, entries=entries,
                           viewers=explain.viewers(obj, today=current_day()), choices=choices,
                           errors=errors or {}), status


@bp.get("/<any(clients,notes,documents):kind>/<int:obj_id>/sharing")
def page(kind: str, obj_id: int) -> Any:
    return _page(kind, _load(kind, obj_id, Action.SHARE))


@bp.post("/<any(clients,notes,documents):kind>/<int:obj_id>/sharing")
def add(kind: str, obj_id: int) -> Any:
    obj = _load(kind, obj_id, Action.SHARE)
    require_recent_auth()
    pkind = request.form.get("principal_kind", "")
    try:
        pid = int(request.form.get(f"principal_{pkind}", "") or 0) or None
    except ValueError:
        pid = None
    try:
        sharing.grant(db.session, actor=current_user, obj=obj, principal_kind=pkind, principal_id=pid,
                      role=request.form.get("role", ""), today=current_day(), where=where())
    except ValidationError as exc:
        return _page(kind, obj, 400, exc.errors)
    flash(_("Gedeeld."), "success")
    return redirect(url_for(".page", kind=kind, obj_id=obj_id))


@bp.post("/<any(clients,notes,documents):kind>/<int:obj_id>/sharing/<int:entry_id>/remove")
def remove(kind: str, obj_id: int, entry_id: int) -> Any:
    obj = _load(kind, obj_id, Action.SHARE)
    require_recent_auth()
    sharing.revoke(db.session, actor=current_user, obj=obj, local_role_id=entry_id, today=current_day(),
                   where=where())
    flash(_("Het delen is ingetrokken."), "success")
    return redirect(url_for(".page", kind=kind, obj_id=obj_id))


@bp.post("/clients/<int:obj_id>/sharing/inheritance")
def inheritance(obj_id: int) -> Any:
    client = _load("clients", obj_id, Action.SHARE)
    require_recent_auth()
    sharing.set_block_inheritance(db.session, actor=current_user, client=client,
                                  block=request.form.get("block") == "1", today=current_day(), where=where())
    flash(_("De overerving is aangepast."), "success")
    return redirect(url_for(".page", kind="clients", obj_id=obj_id))
