"""Deny by default: every endpoint needs a fully authenticated user unless marked @public."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import current_user

from portal import access
from portal.audit import AuditAction
from portal.extensions import db
from portal.vocab import Action

F = TypeVar("F", bound=Callable[..., Any])

#: Endpoints reachable while the second factor is still missing.
TWO_FACTOR_STEP = frozenset({"auth.two_factor", "auth.enrol", "auth.logout", "auth.language"})


def public(view: F) -> F:
    """Mark a view as reachable without login (login page, static files, health)."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def is_api_request() -> bool:
    return request.path.startswith("/api/")


REQUEST_STATE = ("_login_user", "user_session", "auth_method", "audit_target", "session_ended", "csrf_token",
                 "_flask_babel")


def init_app(app: Flask) -> None:
    @app.before_request
    def _fresh_state() -> None:
        # A new request normally gets a new `g`; when an app context is already pushed (tests, CLI
        # calling the app), Flask reuses it, so drop what the previous request left behind.
        for key in REQUEST_STATE:
            g.pop(key, None)

    @app.before_request
    def _guard() -> Any:
        if is_public_endpoint(app, request.endpoint):
            return None
        if not current_user.is_authenticated:
            if is_api_request():
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
        sess = g.get("user_session")
        if sess is not None and not sess.two_factor_done and request.endpoint not in TWO_FACTOR_STEP:
            if is_api_request():
                abort(401)
            if current_user.has_two_factor:
                return redirect(url_for("auth.two_factor"))
            return redirect(url_for("auth.enrol"))
        return None


def load_for(action: Action, model: type, obj_id: int, *, audit_view: bool = True) -> Any:
    """Load an object and check `action` on it in one call.

    :raise NotFoundError: (404) it does not exist or she may not view it.
    :raise AccessDeniedError: (403) she may view it but not do `action`.
    """
    from portal.audit import record
    from portal.web.request_info import where

    obj = db.session.get(model, obj_id)
    if obj is None:
        raise access.NotFoundError()
    g.audit_target = obj
    access.require(current_user, action, obj)
    if audit_view and action in {Action.VIEW, Action.DOWNLOAD}:
        record(db.session, current_user, AuditAction.DOWNLOAD if action == Action.DOWNLOAD else AuditAction.VIEW,
               obj, where=where(), emergency_reason=emergency_reason_for(obj))
    return obj


def emergency_reason_for(obj: object) -> str:
    """If she sees `obj` only through an emergency grant, the grant's reason goes into the audit row."""
    from portal.services import emergency

    reasons = access.reasons(current_user, obj)
    if reasons and all(r.kind == "emergency" for r in reasons):
        return emergency.active_reason(current_user, obj) or "emergency"
    return ""
