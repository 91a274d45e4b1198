"""Start page per role: my clients, consents expiring, emergency grants to review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import queries
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import Assignment, Client, Consent, Workspace, WorkspaceMember
from portal.models.consents import ConsentState
from portal.services import documents, emergency, reviews
from portal.views._common import current_day
from portal.vocab import Action
from portal.web.guards import public
from portal.web.request_info import where

bp = Blueprint("home", __name__)


@bp.get("/")
def index() -> Any:
    day = current_day()
    my_clients = db.session.scalars(select(Client).join(Assignment).where(Assignment.user_id == current_user.id)
                                    .order_by(Client.display_name)).all()
    expiring = db.session.scalars(select(Consent).join(Assignment, Assignment.client_id == Consent.client_id).where(
        Assignment.user_id == current_user.id, Consent.state == ConsentState.SIGNED, Consent.ends_on >= day,
        Consent.ends_on <= day + timedelta(days=30)).order_by(Consent.ends_on)).all()
    workspaces = db.session.scalars(select(Workspace).join(WorkspaceMember).where(
        WorkspaceMember.user_id == current_user.id).order_by(Workspace.name)).all()
    shared_clients = [c for c in queries.visible_clients(current_user, today=day) if c not in my_clients][:20]
    to_review = emergency.unreviewed(db.session) if access.can(current_user, Action.VIEW_LOG) else []
    renewable = {k.id for k in expiring if access.can(current_user, Action.CREATE_CONSENT, k.client, today=day)}
    actions, in_review = documents.open_actions(db.session, current_user), reviews.assigned_to(db.session, current_user)
    if my_clients or shared_clients or expiring:
        # The start page names clients: that is a view of client data and is logged (NEN 7513).
        record(db.session, current_user, AuditAction.LIST, where=where(),
               detail={"what": "start page", "clients": sorted({c.id for c in [*my_clients, *shared_clients]})})
    return render_template("home/index.html", my_clients=my_clients, expiring=expiring, workspaces=workspaces,
                           shared_clients=shared_clients, to_review=to_review, today=day, renewable=renewable,
                           actions=actions, in_review=in_review)


@bp.get("/health")
@public
def health() -> Any:
    return {"status": "ok"}
