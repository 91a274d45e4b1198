"""The privacy officer's view of the audit trail: filters, CSV export, emergency access review."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit import AuditAction, record
from portal.extensions import db
from portal.services import audit_log, csv_cells, emergency
from portal.services.errors import ValidationError
from portal.views._common import page_arg
from portal.web.auth import require_recent_auth
from portal.web.request_info import where

bp = Blueprint("audit_log", __name__, url_prefix="/audit")
PER_PAGE = 50


@bp.get("/")
def index() -> Any:
    page = {"actions": [a.value for a in AuditAction], "grants": emergency.unreviewed(db.session)}
    try:
        result = audit_log.look(db.session, actor=current_user, args=request.args, page=page_arg(),
                                per_page=PER_PAGE, where=where())
    except ValidationError as exc:  # the form again, the bad fields named; no rows that look filtered
        args = {k: request.args.get(k, "").strip() for k in audit_log.FILTERS if k != "upto"}
        return render_template("audit/index.html", rows=[], has_next=False, page=1, args=args,
                               errors=exc.errors, **page), 400
    return render_template("audit/index.html", rows=result.rows, has_next=result.has_next, page=result.page,
                           args=result.filters, errors={}, **page)


@bp.get("/export.csv")
def export() -> Any:
    stmt, args = audit_log.filtered(actor=current_user, args=request.args)
    require_recent_auth()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["seq", "at", "user", "role", "organisation", "action", "object_type", "object_id", "client_id",
                "allowed", "emergency_reason", "remote_addr", "detail"])
    for r in db.session.scalars(stmt.limit(100_000)):
        w.writerow([csv_cells.cell(v) for v in (r.seq, r.at.isoformat(), r.username, r.role, r.organisation, r.action,
                                       r.object_type, r.object_id, r.client_id, r.allowed, r.emergency_reason,
                                       r.remote_addr, r.detail)])
    record(db.session, current_user, AuditAction.AUDIT_EXPORT, detail={k: v for k, v in args.items() if v},
           where=where())
    return Response(buf.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})


@bp.post("/emergency/<int:grant_id>/review")
def review_emergency(grant_id: int) -> Any:
    grant = emergency.grant_for_review(db.session, actor=current_user, grant_id=grant_id)
    emergency.review(db.session, actor=current_user, grant=grant, note=request.form.get("note", ""), where=where())
    flash(_("De noodtoegang is beoordeeld."), "success")
    return redirect(url_for(".index"))
