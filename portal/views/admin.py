"""Functional administration: accounts (create, workspaces, deactivate), organisations and workspaces.

The functional admin manages who may work in the portal, never what is in the dossiers: her pages
show no client names, only how many dossiers someone is assigned to.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal import access
from portal.extensions import db
from portal.models import Assignment, Organisation, User, Workspace, WorkspaceMember
from portal.services import users
from portal.services.errors import ValidationError
from portal.vocab import Action, GlobalRole
from portal.web.auth import require_recent_auth
from portal.web.request_info import where

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.name)))


def _workspaces() -> list[Workspace]:
    return list(db.session.scalars(select(Workspace).order_by(Workspace.name)))


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise access.NotFoundError()
    return user


@bp.get("/users")
def user_list() -> Any:
    access.require(current_user, Action.MANAGE)
    return render_template("admin/users.html",
                           users=db.session.scalars(select(User).order_by(User.full_name)).all(),
                           organisations=_organisations(), workspaces=_workspaces())


@bp.route("/users/new", methods=["GET", "POST"])
def new_user() -> Any:
    access.require(current_user, Action.MANAGE)
    require_recent_auth()
    ctx = {"roles": list(GlobalRole), "organisations": _organisations(), "workspaces": _workspaces()}
    if request.method == "GET":
        return render_template("admin/user_new.html", form={}, chosen=[], errors={}, **ctx)
    f = request.form
    chosen = f.getlist("workspaces")
    known = {str(w.id): w for w in ctx["workspaces"]}
    try:
        if any(w not in known for w in chosen):
            raise ValidationError({"workspaces": _("Kies alleen bestaande werkruimten.")})
        user = users.create_user(db.session, username=f.get("username", ""), full_name=f.get("full_name", ""),
                                 role=f.get("role", ""), organisation_code=f.get("organisation", ""),
                                 password=f.get("password", ""), email=f.get("email", ""),
                                 fast_hash=current_app.config["PORTAL"].testing, actor=current_user, where=where())
    except ValidationError as exc:
        return render_template("admin/user_new.html", form=f, chosen=chosen, errors=exc.errors, **ctx), 400
    for ws_id in chosen:
        users.set_membership(db.session, actor=current_user, workspace_id=int(ws_id), user=user, member=True,
                             where=where())
    flash(_("Het account %(username)s is aangemaakt. Geef het wachtwoord langs een veilige weg door; bij de "
            "eerste aanmelding stelt %(name)s tweestapsverificatie in.", username=user.username,
            name=user.full_name), "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.get("/users/<int:user_id>")
def user_detail(user_id: int) -> Any:
    access.require(current_user, Action.MANAGE)
    return _detail(_account(user_id), errors={})


def _detail(user: User, *, errors: dict[str, str]) -> Any:
    member_of = set(db.session.scalars(select(WorkspaceMember.workspace_id).where(WorkspaceMember.user_id == user.id)))
    assigned = db.session.scalar(select(func.count()).select_from(Assignment).where(Assignment.user_id == user.id))
    return render_template("admin/user_detail.html", user=user, workspaces=_workspaces(), member_of=member_of,
                           assigned=assigned, errors=errors)


@bp.post("/users/<int:user_id>/workspaces")
def memberships(user_id: int) -> Any:
    access.require(current_user, Action.MANAGE)
    require_recent_auth()
    user = _account(user_id)
    if not user.is_active:
        flash(_("Een gedeactiveerd account kan geen lid van een werkruimte worden."), "error")
        return redirect(url_for(".user_detail", user_id=user.id))
    chosen = set(request.form.getlist("workspaces"))
    changed = 0
    for workspace in _workspaces():
        member = str(workspace.id) in chosen
        was = db.session.scalar(select(WorkspaceMember.id).where(WorkspaceMember.workspace_id == workspace.id,
                                                                 WorkspaceMember.user_id == user.id)) is not None
        if member != was:
            users.set_membership(db.session, actor=current_user, workspace_id=workspace.id, user=user,
                                 member=member, where=where())
            changed += 1
    if changed:
        flash(_("De werkruimten van %(name)s zijn bijgewerkt.", name=user.full_name), "success")
    else:
        flash(_("Er is niets gewijzigd."), "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/credentials")
def reset_credentials(user_id: int) -> Any:
    access.require(current_user, Action.MANAGE)
    require_recent_auth()
    user = _account(user_id)
    if user.id == current_user.id:
        raise access.NotFoundError()  # her own password she changes on her account page
    reset_two_factor = bool(request.form.get("reset_two_factor"))
    try:
        users.reset_credentials(db.session, actor=current_user, user=user, password=request.form.get("password", ""),
                                reset_two_factor=reset_two_factor, fast_hash=current_app.config["PORTAL"].testing,
                                where=where())
    except ValidationError as exc:
        return _detail(user, errors=exc.errors), 400
    if reset_two_factor:
        flash(_("%(name)s heeft een nieuw wachtwoord en stelt bij de volgende aanmelding opnieuw "
                "tweestapsverificatie in. Alle sessies zijn beëindigd.", name=user.full_name), "success")
    else:
        flash(_("%(name)s heeft een nieuw wachtwoord. Alle sessies zijn beëindigd.", name=user.full_name), "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int) -> Any:
    access.require(current_user, Action.MANAGE)
    require_recent_auth()
    user = db.session.get(User, user_id)
    if user is None or user.id == current_user.id:
        raise access.NotFoundError()
    users.deactivate(db.session, actor=current_user, user=user, where=where())
    flash(_("%(name)s is gedeactiveerd; alle sessies, rollen en delingen zijn beëindigd.", name=user.full_name),
          "success")
    return redirect(url_for(".user_list"))
