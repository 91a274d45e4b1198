"""/api/v1: JSON over the same services, access rules and audit trail as the pages (DESIGN §12)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request
from flask_login import current_user

from portal.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@bp.before_request
def _csrf_for_cookie_sessions() -> Any:
    """Bearer-token calls cannot be forged cross-site; cookie-authenticated calls must carry the CSRF token."""
    if request.method in UNSAFE and current_user.is_authenticated and g.get("auth_method") != "token":
        csrf.protect()
    return None


from portal.api import audit_log, clients, consents, letterheads, letters, openapi, privacy, search, woo  # noqa: E402,F401  (routes register on bp)
