"""audit-log: the privacy officer's audit trail and the review of emergency access, as on the /audit page."""

from __future__ import annotations

import json
from typing import Any

from flask import request, url_for
from flask_login import current_user

from portal import access
from portal.api import bp
from portal.api._util import json_body, page_args, str_field
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import AuditEntry, EmergencyGrant
from portal.services import audit_log, emergency
from portal.vocab import Action
from portal.web.request_info import where


def _detail(text: str) -> Any:
    """The stored detail, parsed when it is JSON (as `record` writes it); otherwise the text as stored."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def entry_json(e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "at": e.at.isoformat(), "user": e.username, "role": e.role,
            "organisation": e.organisation, "action": e.action, "object-type": e.object_type,
            "object-id": e.object_id, "client-id": e.client_id, "allowed": e.allowed,
            "emergency-reason": e.emergency_reason, "remote-addr": e.remote_addr, "detail": _detail(e.detail)}


@bp.get("/audit-log")
def audit_entries() -> Any:
    """Filtered, newest first, paged; the filters are those of the page (see services.audit_log)."""
    # First: whoever may not read the log gets 403, not a lesson in its parameters.
    access.require(current_user, Action.VIEW_LOG)
    page, per_page = page_args(per_page=50, max_per_page=100)
    result = audit_log.look(db.session, actor=current_user, args=request.args, page=page, per_page=per_page,
                            where=where(), api=True)
    filters = {k: v for k, v in result.filters.items() if v}

    def link(n: int) -> dict[str, str]:
        return {"href": url_for("api.audit_entries", **filters, page=n, **{"per-page": per_page})}

    links = {"self": link(page), "first": link(1)}
    if page > 1:
        links["prev"] = link(page - 1)
    if result.has_next:
        links["next"] = link(page + 1)
    return {"items": [entry_json(e) for e in result.rows], "page": page, "per-page": per_page, "_links": links}


def grant_json(g: EmergencyGrant) -> dict[str, Any]:
    return {"id": g.id, "user": g.user.username, "client-id": g.client_id, "reason": g.reason,
            "granted-at": g.granted_at.isoformat(), "expires-at": g.expires_at.isoformat(), "reviewed": g.reviewed,
            "reviewed-at": g.reviewed_at.isoformat() if g.reviewed_at else None, "review-note": g.review_note}


@bp.get("/audit-log/emergency-grants")
def emergency_grants() -> Any:
    """Emergency access still to be reviewed (the list at the top of the /audit page)."""
    access.require(current_user, Action.VIEW_LOG)
    items = emergency.unreviewed(db.session)
    record(db.session, current_user, AuditAction.AUDIT_VIEW,
           detail={"what": "emergency-grants", "count": len(items), "api": True}, where=where())
    return {"items": [grant_json(g) for g in items], "total": len(items)}


@bp.post("/audit-log/emergency-grants/<int:grant_id>/review")
def review_emergency_grant(grant_id: int) -> Any:
    """Mark a grant reviewed, with an optional note: the same service as the page's button."""
    grant = emergency.grant_for_review(db.session, actor=current_user, grant_id=grant_id)
    note = str_field(json_body(), "note") if request.content_length else ""
    emergency.review(db.session, actor=current_user, grant=grant, note=note, where=where())
    return grant_json(grant)
