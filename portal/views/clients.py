"""Client dossiers: list, dossier page, emergency access."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.access import queries
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import Client, Consent
from portal.services import emergency
from portal.services.errors import ValidationError
from portal.views._common import current_day
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.guards import load_for
from portal.web.request_info import where

bp = Blueprint("clients", __name__, url_prefix="/clients")


@bp.get("/")
def index() -> Any:
    clients = queries.visible_clients(current_user, today=current_day())
    record(db.session, current_user, AuditAction.LIST, detail={"what": "clients", "count": len(clients)},
           where=where())
    return render_template("clients/index.html", clients=clients)


@bp.get("/<int:client_id>")
def detail(client_id: int) -> Any:
    client = load_for(Action.VIEW, Client, client_id)
    notes = queries.visible_notes(current_user, client, today=current_day())
    consents = [c for c in db.session.scalars(select(Consent).where(Consent.client_id == client.id)
                                              .order_by(Consent.starts_on.desc()))
                if access.can(current_user, Action.VIEW, c)]
    return render_template("clients/detail.html", client=client, notes=notes, consents=consents, today=current_day(),
                           can_write=access.can(current_user, Action.CREATE_NOTE, client),
                           can_share=access.can(current_user, Action.SHARE, client),
                           can_consent=access.can(current_user, Action.CREATE_CONSENT, client),
                           emergency_reason=_emergency_banner(client))


def _emergency_banner(client: Client) -> str | None:
    reasons = access.reasons(current_user, client)
    if reasons and all(r.kind == "emergency" for r in reasons):
        return emergency.active_reason(current_user, client)
    return None


@bp.get("/<int:client_id>/emergency")
def emergency_form(client_id: int) -> Any:
    """The same form for every id, existing or not: the page itself reveals nothing."""
    if not access.may_break_glass(current_user):
        raise access.NotFoundError()
    return render_template("clients/emergency.html", client_id=client_id, errors={})


@bp.post("/<int:client_id>/emergency")
def request_emergency(client_id: int) -> Any:
    client = db.session.get(Client, client_id)
    if client is None or not emergency.may_request(current_user, client):
        raise access.NotFoundError()
    require_recent_auth()
    try:
        emergency.request_access(db.session, actor=current_user, client=client,
                                 reason=request.form.get("reason", ""),
                                 minutes=current_app.config["PORTAL"].emergency_minutes, where=where())
    except ValidationError as exc:
        return render_template("clients/emergency.html", client_id=client_id, errors=exc.errors,
                               reason=request.form.get("reason", "")), 400
    flash(_("Noodtoegang verleend. Dit wordt gemeld aan de privacyfunctionaris."), "warning")
    return redirect(url_for(".detail", client_id=client_id))
