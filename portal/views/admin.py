"""Functional administration: users (deactivate), organisations and workspaces overview."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import access
from portal.extensions import db
from portal.models import Organisation, User, Workspace
from portal.services import users
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.request_info import where

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
def user_list() -> Any:
    access.require(current_user, Action.MANAGE)
    return render_template("admin/users.html",
                           users=db.session.scalars(select(User).order_by(User.full_name)).all(),
                           organisations=db.session.scalars(select(Organisation).order_by(Organisation.name)).all(),
                           workspaces=db.session.scalars(select(Workspace).order_by(Workspace.name)).all())


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
