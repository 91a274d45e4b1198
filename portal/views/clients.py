"""Client dossiers: list, dossier page, emergency access."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import access
from portal.access import queries
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import Client, Consent, User, Workspace
from portal.services import clients as client_service
from portal.services import emergency
from portal.services.errors import ConflictError, ValidationError
from portal.views._common import current_day, parse_date, version_arg
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
    return render_template("clients/index.html", clients=clients, can_create=bool(_intake_workspaces()))


def _intake_workspaces() -> list[Workspace]:
    return [w for w in db.session.scalars(select(Workspace).order_by(Workspace.name))
            if access.can(current_user, Action.CREATE_CLIENT, w)]


def _client_input() -> client_service.ClientInput:
    f = request.form
    return client_service.ClientInput(
        display_name=f.get("display_name", ""), date_of_birth=parse_date(f.get("date_of_birth")),
        permit_status=f.get("permit_status", ""), housing=f.get("housing", ""),
        financial_administration=f.get("financial_administration", ""),
        contact_frequency=f.get("contact_frequency", ""))


def _birth_date_error() -> dict[str, str]:
    """A filled-in date that does not parse is named, not silently dropped."""
    raw = request.form.get("date_of_birth", "").strip()
    if raw and parse_date(raw) is None:
        return {"date_of_birth": _("Vul een geldige datum in (jjjj-mm-dd).")}
    return {}


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    workspaces = _intake_workspaces()
    if not workspaces:
        raise access.AccessDeniedError(Action.CREATE_CLIENT)
    if request.method == "GET":
        form = {"permit_status": "none", "housing": "other", "financial_administration": "none",
                "contact_frequency": "weekly", "workspace": str(workspaces[0].id)}
        return render_template("clients/edit.html", client=None, workspaces=workspaces, form=form, errors={})
    workspace = next((w for w in workspaces if str(w.id) == request.form.get("workspace")), None)
    errors = _birth_date_error()
    if workspace is None:
        errors["workspace"] = _("Kies het team waarin het dossier komt.")
    try:
        if errors:
            raise ValidationError(errors)
        client = client_service.create(db.session, actor=current_user, workspace=workspace, data=_client_input(),
                                       today=current_day(), where=where())
    except ValidationError as exc:
        return render_template("clients/edit.html", client=None, workspaces=workspaces, form=request.form,
                               errors={**errors, **exc.errors}), 400
    flash(_("Het dossier %(code)s is aangemaakt; u bent de casemanager.", code=client.code), "success")
    return redirect(url_for(".detail", client_id=client.id))


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
def edit(client_id: int) -> Any:
    client = load_for(Action.EDIT, Client, client_id, audit_view=False)
    if request.method == "GET":
        form = {"display_name": client.display_name, "permit_status": client.permit_status.value,
                "date_of_birth": client.date_of_birth.isoformat() if client.date_of_birth else "",
                "housing": client.housing.value, "financial_administration": client.financial_administration.value,
                "contact_frequency": client.contact_frequency.value}
        return render_template("clients/edit.html", client=client, form=form, errors={})
    errors = _birth_date_error()
    try:
        if errors:
            raise ValidationError(errors)
        client_service.update(db.session, actor=current_user, client=client, data=_client_input(),
                              expected_version=version_arg(), today=current_day(), where=where())
    except ValidationError as exc:
        return render_template("clients/edit.html", client=client, form=request.form, errors=exc.errors), 400
    except ConflictError:
        db.session.rollback()
        client = db.session.get(Client, client_id)
        return render_template("clients/edit.html", client=client, form=request.form, errors={}, conflict=True), 409
    flash(_("De dossiergegevens zijn opgeslagen."), "success")
    return redirect(url_for(".detail", client_id=client.id))


def _team_member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise access.NotFoundError()
    return user


@bp.post("/<int:client_id>/team")
def add_team_member(client_id: int) -> Any:
    client = load_for(Action.SHARE, Client, client_id, audit_view=False)
    try:
        user_id = int(request.form.get("user", ""))
    except ValueError:
        user_id = 0
    user = db.session.get(User, user_id)
    try:
        if user is None:
            raise ValidationError({"user": _("Kies een teamlid.")})
        client_service.add_to_team(db.session, actor=current_user, client=client, user=user, where=where())
    except ValidationError as exc:
        flash(exc.errors["user"], "error")
        return redirect(url_for(".detail", client_id=client.id, _anchor="team"))
    flash(_("%(name)s is toegevoegd aan het team van dit dossier.", name=user.full_name), "success")
    return redirect(url_for(".detail", client_id=client.id, _anchor="team"))


@bp.post("/<int:client_id>/team/<int:user_id>/remove")
def remove_team_member(client_id: int, user_id: int) -> Any:
    client = load_for(Action.SHARE, Client, client_id, audit_view=False)
    user = _team_member(user_id)
    try:
        client_service.remove_from_team(db.session, actor=current_user, client=client, user=user, where=where())
    except ValidationError as exc:
        flash(exc.errors["user"], "error")
        return redirect(url_for(".detail", client_id=client.id, _anchor="team"))
    flash(_("%(name)s hoort niet meer bij het team van dit dossier.", name=user.full_name), "success")
    if not access.can(current_user, Action.VIEW, client):
        return redirect(url_for(".index"))
    return redirect(url_for(".detail", client_id=client.id, _anchor="team"))


@bp.get("/<int:client_id>")
def detail(client_id: int) -> Any:
    client = load_for(Action.VIEW, Client, client_id)
    notes = queries.visible_notes(current_user, client, today=current_day())
    client_service.load_team(db.session, client)
    consents = db.session.scalars(select(Consent).where(Consent.client_id == client.id)
                                  .options(selectinload(Consent.organisations))
                                  .order_by(Consent.starts_on.desc())).all()
    access.preload(consents)
    consents = [c for c in consents if access.can(current_user, Action.VIEW, c)]
    return render_template("clients/detail.html", client=client, notes=notes, consents=consents, today=current_day(),
                           can_write=access.can(current_user, Action.CREATE_NOTE, client),
                           can_share=access.can(current_user, Action.SHARE, client),
                           can_consent=access.can(current_user, Action.CREATE_CONSENT, client),
                           can_edit=access.can(current_user, Action.EDIT, client),
                           team_candidates=(client_service.team_candidates(db.session, client)
                                            if access.can(current_user, Action.SHARE, client) else []),
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
