"""Login with password and TOTP, enrolment, re-authentication, sessions, language choice."""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from flask import Blueprint, Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.audit import AuditAction, record
from portal.extensions import db, login_manager
from portal.models import User, UserSession
from portal.models.base import utcnow
from portal.services import accounts
from portal.services.errors import ReauthRequiredError
from portal.web.forms import CodeForm, LoginForm, PasswordChangeForm, ReauthForm
from portal.web.guards import public
from portal.web.request_info import where

bp = Blueprint("auth", __name__)


def _limits() -> accounts.SessionLimits:
    cfg = current_app.config["PORTAL"]
    return accounts.SessionLimits(timedelta(minutes=cfg.session_idle_minutes), timedelta(hours=cfg.session_max_hours))


def _load_from_request(req: Any) -> User | None:
    """Bearer token for the API, otherwise the server-side session named in the signed cookie."""
    auth = req.headers.get("Authorization", "")
    if auth.startswith("Bearer ") and req.path.startswith("/api/"):
        g.auth_method = "token"
        return accounts.user_for_api_token(db.session, auth[7:].strip())
    token = session.get("sid")
    if not token:
        return None
    row = accounts.find_session(db.session, token, _limits())
    if row is None:
        session.pop("sid", None)
        g.session_ended = True
        db.session.commit()  # keep the 'ended' mark even though this request goes on anonymously
        return None
    now = utcnow()
    if now - row.last_seen_at > timedelta(seconds=30):  # fewer writes; idle limit is in minutes
        row.last_seen_at = now
    g.user_session = row
    g.auth_method = "session"
    return row.user


def safe_next(target: str | None) -> str:
    """Only local paths: never an open redirect to another host."""
    if not target:
        return url_for("home.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target


def _finish_login(user: User) -> Any:
    session.clear()  # no session fixation: a fresh cookie with a fresh id
    token, row = accounts.start_session(db.session, user, remote_addr=request.remote_addr or "",
                                        user_agent=request.headers.get("User-Agent", ""))
    session["sid"] = token
    session["lang"] = user.locale
    g.user_session = row
    return row


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> Any:
    if current_user.is_authenticated and g.get("user_session") and g.user_session.two_factor_done:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        status = 400 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form, session_ended=g.get("session_ended")), status
    cfg = current_app.config["PORTAL"]
    user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
    if user is not None and accounts.is_locked(user):
        record(db.session, user, AuditAction.LOGIN_FAILED, allowed=False, detail={"why": "locked"}, where=where())
        db.session.commit()
        flash(_("Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het later opnieuw."),
              "error")
        return render_template("auth/login.html", form=form), 429
    if not accounts.check_password(user, form.password.data) or user is None or not user.is_active:
        if user is not None:
            locked = accounts.register_failure(user, max_failures=cfg.login_max_failures,
                                               lockout_minutes=cfg.lockout_minutes)
            record(db.session, user, AuditAction.LOCKED if locked else AuditAction.LOGIN_FAILED, allowed=False,
                   where=where())
        db.session.commit()
        flash(_("Gebruikersnaam of wachtwoord klopt niet."), "error")
        return render_template("auth/login.html", form=form), 400
    _finish_login(user)
    session["next"] = safe_next(form.next.data)
    if user.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    return redirect(url_for("auth.enrol"))


@bp.route("/login/code", methods=["GET", "POST"])
def two_factor() -> Any:
    sess: UserSession = g.user_session
    if sess.two_factor_done:
        return redirect(url_for("home.index"))
    if not current_user.has_two_factor:
        return redirect(url_for("auth.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        cfg = current_app.config["PORTAL"]
        if accounts.is_locked(current_user):
            accounts.end_session(sess, "locked")
            db.session.commit()
            session.clear()
            flash(_("Dit account is tijdelijk geblokkeerd na te veel mislukte pogingen. Probeer het later opnieuw."),
                  "error")
            return redirect(url_for("auth.login"))
        if accounts.verify_totp(current_user, form.code.data):
            sess.two_factor_done = True
            accounts.register_success(current_user)
            record(db.session, current_user, AuditAction.LOGIN, where=where())
            return redirect(safe_next(session.pop("next", None)))
        accounts.register_failure(current_user, max_failures=cfg.login_max_failures,
                                  lockout_minutes=cfg.lockout_minutes)
        record(db.session, current_user, AuditAction.LOGIN_FAILED, allowed=False, detail={"why": "code"},
               where=where())
        db.session.commit()
        form.code.errors = [*form.code.errors, _("Deze code klopt niet of is al gebruikt.")]
    status = 400 if request.method == "POST" else 200
    return render_template("auth/two_factor.html", form=form), status


def _qr_svg(uri: str) -> str:
    img = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol() -> Any:
    sess: UserSession = g.user_session
    user: User = current_user
    if user.has_two_factor and not sess.two_factor_done:
        return redirect(url_for("auth.two_factor"))
    if user.has_two_factor:
        return redirect(url_for("home.index"))
    if not user.totp_pending_secret:
        user.totp_pending_secret = accounts.new_totp_secret()
    form = CodeForm()
    if form.validate_on_submit():
        if accounts.verify_totp(user, form.code.data, secret=user.totp_pending_secret):
            user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
            sess.two_factor_done = True
            record(db.session, user, AuditAction.TWO_FACTOR_ENROLLED, where=where())
            flash(_("Tweestapsverificatie is ingesteld."), "success")
            return redirect(safe_next(session.pop("next", None)))
        form.code.errors = [*form.code.errors, _("Deze code klopt niet. Controleer de tijd op uw telefoon.")]
    uri = accounts.provisioning_uri(user, user.totp_pending_secret)
    status = 400 if request.method == "POST" else 200
    return render_template("auth/enrol.html", form=form, qr=_qr_svg(uri), secret=user.totp_pending_secret), status


@bp.post("/logout")
def logout() -> Any:
    sess = g.get("user_session")
    if sess is not None:
        accounts.end_session(sess, "logout")
        record(db.session, current_user, AuditAction.LOGOUT, where=where())
    session.clear()
    flash(_("U bent uitgelogd."), "success")
    return redirect(url_for("auth.login"))


def require_recent_auth() -> None:
    """Sensitive actions need the password re-entered within PORTAL_REAUTH_MINUTES.

    :raise ReauthRequiredError: the page layer sends her to the re-authentication form.
    """
    if g.get("auth_method") == "token":
        return
    sess = g.get("user_session")
    minutes = current_app.config["PORTAL"].reauth_minutes
    if sess is None or sess.reauth_at is None or utcnow() - sess.reauth_at > timedelta(minutes=minutes):
        raise ReauthRequiredError()


@bp.route("/reauth", methods=["GET", "POST"])
def reauth() -> Any:
    form = ReauthForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        if accounts.check_password(current_user, form.password.data):
            g.user_session.reauth_at = utcnow()
            return redirect(safe_next(form.next.data))
        form.password.errors = [*form.password.errors, _("Dit wachtwoord klopt niet.")]
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reauth.html", form=form), status


@bp.route("/account", methods=["GET"])
def account() -> Any:
    return render_template("auth/account.html", sessions=accounts.live_sessions(db.session, current_user),
                           current_id=g.user_session.id if g.get("user_session") else None,
                           form=PasswordChangeForm())


@bp.post("/account/sessions/<int:session_id>/end")
def end_session(session_id: int) -> Any:
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        from portal.access import NotFoundError
        raise NotFoundError()
    accounts.end_session(row, "revoked")
    record(db.session, current_user, AuditAction.SESSION_REVOKED, detail={"session": row.id}, where=where())
    flash(_("De sessie is beëindigd."), "success")
    if g.get("user_session") is not None and row.id == g.user_session.id:
        session.clear()
        return redirect(url_for("auth.login"))
    return redirect(url_for("auth.account"))


@bp.post("/account/password")
def change_password() -> Any:
    form = PasswordChangeForm()
    user: User = current_user
    if form.validate_on_submit():
        problem = accounts.password_problem(form.new.data, user.username)
        if not accounts.check_password(user, form.current.data):
            form.current.errors = [*form.current.errors, _("Dit wachtwoord klopt niet.")]
        elif problem:
            form.new.errors = [*form.new.errors, _("Het wachtwoord mag uw gebruikersnaam niet bevatten.")]
        else:
            user.password_hash = accounts.hash_password(form.new.data, fast=current_app.config["PORTAL"].testing)
            user.password_changed_at = utcnow()
            accounts.end_all_sessions(db.session, user, "password_changed")
            record(db.session, user, AuditAction.PASSWORD_CHANGED, where=where())
            session.clear()
            flash(_("Uw wachtwoord is gewijzigd. Log opnieuw in."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/account.html", sessions=accounts.live_sessions(db.session, user),
                           current_id=g.user_session.id if g.get("user_session") else None, form=form), 400


@bp.post("/language/<lang>")
@public
def language(lang: str) -> Any:
    if lang in ("nl", "en"):
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
    return redirect(safe_next(request.form.get("next") or request.referrer and urlsplit(request.referrer).path))


def init_app(app: Flask) -> None:
    login_manager.request_loader(_load_from_request)
    login_manager.login_view = "auth.login"
    app.register_blueprint(bp)
