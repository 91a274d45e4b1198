"""The privacy officer's view of the audit trail: filters, CSV export, emergency access review."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select

from portal import access
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import AuditEntry, EmergencyGrant
from portal.services import csv_cells, emergency
from portal.views._common import page_arg, parse_date
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.request_info import where

bp = Blueprint("audit_log", __name__, url_prefix="/audit")
PER_PAGE = 50


def _filtered() -> tuple[Select[tuple[AuditEntry]], dict[str, str]]:
    access.require(current_user, Action.VIEW_LOG)
    args = {k: request.args.get(k, "").strip() for k in ("user", "client", "action", "from", "to", "denied")}
    stmt = select(AuditEntry)
    if args["user"]:
        stmt = stmt.where(AuditEntry.username == args["user"])
    if args["client"].isdigit():
        stmt = stmt.where(AuditEntry.client_id == int(args["client"]))
    if args["action"]:
        stmt = stmt.where(AuditEntry.action == args["action"])
    if (d := parse_date(args["from"])) is not None:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(d, time.min, UTC))
    if (d := parse_date(args["to"])) is not None:
        stmt = stmt.where(AuditEntry.at <= datetime.combine(d, time.max, UTC))
    if args["denied"] == "1":
        stmt = stmt.where(AuditEntry.allowed.is_(False))
    return stmt.order_by(AuditEntry.seq.desc()), args


@bp.get("/")
def index() -> Any:
    stmt, args = _filtered()
    page = page_arg()
    rows = db.session.scalars(stmt.offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)).all()
    record(db.session, current_user, AuditAction.AUDIT_VIEW, detail={k: v for k, v in args.items() if v},
           where=where())
    return render_template("audit/index.html", rows=rows[:PER_PAGE], has_next=len(rows) > PER_PAGE, page=page,
                           args=args, actions=[a.value for a in AuditAction],
                           grants=emergency.unreviewed(db.session))


@bp.get("/export.csv")
def export() -> Any:
    stmt, args = _filtered()
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
    access.require(current_user, Action.VIEW_LOG)
    grant = db.session.get(EmergencyGrant, grant_id)
    if grant is None:
        raise access.NotFoundError()
    emergency.review(db.session, actor=current_user, grant=grant, note=request.form.get("note", ""), where=where())
    flash(_("De noodtoegang is beoordeeld."), "success")
    return redirect(url_for(".index"))
