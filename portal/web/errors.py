"""Exceptions to HTTP answers, in one table: an HTML page for the browser, problem+json for the API."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from consent_forms.errors import ConsentError
from portal.access.errors import AccessDeniedError, NotFoundError
from portal.services.errors import (
    ConflictError,
    InvalidStateError,
    ReauthRequiredError,
    StateConflictError,
    TooLargeError,
    ValidationError,
)

#: exception class -> (status, title)
TABLE: dict[type[BaseException], tuple[int, Any]] = {
    # Before ValidationError, its base class: the first match in this table wins.
    StateConflictError: (409, _l("Dit kan niet in de huidige status")),
    NotFoundError: (404, _l("Niet gevonden")),
    AccessDeniedError: (403, _l("U heeft geen toestemming voor deze handeling")),
    TooLargeError: (413, _l("Het bestand is te groot")),  # before ValidationError, its base class
    ValidationError: (400, _l("De invoer is niet in orde")),
    ConflictError: (409, _l("Iemand anders heeft dit intussen gewijzigd")),
    StaleDataError: (409, _l("Iemand anders heeft dit intussen gewijzigd")),
    InvalidStateError: (409, _l("Dit kan niet in de huidige status")),
    ReauthRequiredError: (401, _l("Voer uw wachtwoord opnieuw in")),
    CSRFError: (400, _l("Het formulier is verlopen of ongeldig. Laad de pagina opnieuw.")),
    # A consent-domain error the service did not map to a field: refuse, never a 500.
    ConsentError: (400, _l("De invoer is niet in orde")),
}

HTTP_TITLES: dict[int, Any] = {
    400: _l("Ongeldig verzoek"), 401: _l("Niet ingelogd"), 403: _l("Geen toegang"), 404: _l("Niet gevonden"),
    405: _l("Methode niet toegestaan"), 409: _l("Conflict"), 413: _l("Het bestand is te groot"),
    415: _l("Dit bestandstype wordt niet ondersteund"), 429: _l("Te veel pogingen"),
    500: _l("Er ging iets mis aan onze kant"),
}


def problem(status: int, title: str, detail: str = "", errors: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        # NL API Design Rules: kebab-case names, as in the request bodies.
        body["invalid-params"] = [{"name": k.replace("_", "-"), "reason": str(v)} for k, v in errors.items()]
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


def _answer(status: int, title: Any, detail: str = "", errors: dict[str, str] | None = None) -> Any:
    if request.path.startswith("/api/"):
        return problem(status, str(title), detail, errors)
    return render_template("error.html", status=status, title=title, detail=detail, errors=errors), status


def _record_denial(exc: BaseException) -> None:
    """Audit a denied access after the rollback, so the row survives (securedrop's throttle_login)."""
    from flask import g

    from portal.audit import AuditAction, record
    from portal.extensions import db
    from portal.web.request_info import where

    db.session.rollback()
    target = g.pop("audit_target", None)
    if not current_user.is_authenticated:
        return
    try:
        record(db.session, current_user, AuditAction.DENIED, target, allowed=False,
               detail={"endpoint": request.endpoint, "method": request.method,
                       "status": 404 if isinstance(exc, NotFoundError) else 403}, where=where())
        db.session.commit()
    except Exception:  # noqa: BLE001 - a failing audit write must not turn a 404 into a 500 loop
        db.session.rollback()
        raise


def _back_path() -> str:
    """Where to return after re-authentication: the referring page's local path (a browser sends an
    absolute URL, which the open-redirect guard would rightly refuse), else this request's path."""
    from urllib.parse import urlsplit

    ref = urlsplit(request.referrer or "")
    if ref.path and (not ref.netloc or ref.netloc == request.host):
        return ref.path + (f"?{ref.query}" if ref.query else "")
    return request.path


def init_app(app: Flask) -> None:
    def handle_known(exc: BaseException) -> Any:
        status, title = next(v for k, v in TABLE.items() if isinstance(exc, k))
        if isinstance(exc, NotFoundError | AccessDeniedError):
            _record_denial(exc)
        if isinstance(exc, ReauthRequiredError) and not request.path.startswith("/api/"):
            from flask import redirect, url_for
            return redirect(url_for("auth.reauth", next=_back_path()))
        errors = exc.errors if isinstance(exc, ValidationError) else None
        return _answer(status, title, errors=errors)

    for exc_class in TABLE:
        app.register_error_handler(exc_class, handle_known)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        status = exc.code or 500
        if status == 404 and request.endpoint is not None:
            _record_denial(NotFoundError())
        title = HTTP_TITLES.get(status, exc.name)
        return _answer(status, title)
