"""The privacy officer's pages: a client's own file (export), retention, legal holds, destruction lists."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

import config
from portal import access, indexing
from portal.audit import AuditAction, record
from portal.extensions import db
from portal.models import Client, DestructionList, LegalHold, Tombstone
from portal.services import client_export, destruction, retention
from portal.services.errors import ValidationError
from portal.views._common import current_day
from portal.views.documents import archive
from portal.vocab import Action
from portal.web.auth import require_recent_auth
from portal.web.request_info import where
from portal.web.search_glue import get_index

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

#: Dutch names of the record kinds, list states and skip reasons on the pages.
LABELS = {"case_note": _l("Casusnotitie"), "plan_of_approach": _l("Plan van aanpak"),
          "consent": _l("Toestemmingsformulier"), "proposed": _l("voorgesteld"), "approved": _l("goedgekeurd"),
          "executed": _l("uitgevoerd"), "cancelled": _l("ingetrokken"), "destroyed": _l("vernietigd"),
          "skipped": _l("overgeslagen"), "legal hold": _l("bewaarplicht"), "no longer due": _l("niet meer vervallen"),
          "not found": _l("niet gevonden"), "in a Woo request": _l("in een Woo-verzoek")}


@bp.context_processor
def _labels() -> dict[str, Any]:
    return {"privacy_label": lambda key: LABELS.get(key, key)}


def years() -> dict[str, int]:
    return config.retention_years(current_app.config["PORTAL"].retention_years)


def _client(raw: str | None) -> Client:
    client = db.session.get(Client, int(raw)) if (raw or "").isdigit() else None
    if client is None:
        raise ValidationError({"client": _("Kies een cliënt.")})
    return client


def _list(list_id: int) -> DestructionList:
    dl = db.session.get(DestructionList, list_id)
    if dl is None:
        raise access.NotFoundError()
    return dl


def _log_listing(what: str, clients: list[Client]) -> None:
    """These pages name clients: a view of client data, logged like the start page (NEN 7513)."""
    if clients:
        record(db.session, current_user, AuditAction.LIST, where=where(),
               detail={"what": what, "clients": [c.id for c in clients]})


@bp.get("/")
def index() -> Any:
    access.require(current_user, Action.EXPORT_CLIENT_FILE)
    clients = db.session.scalars(select(Client).order_by(Client.code)).all()
    _log_listing("client export", clients)
    return render_template("privacy/index.html", clients=clients)


@bp.post("/export")
def export() -> Any:
    access.require(current_user, Action.EXPORT_CLIENT_FILE)
    client = _client(request.form.get("client_id"))
    require_recent_auth()
    spool = client_export.export_client(db.session, actor=current_user, client=client, archive=archive(),
                                        where=where())
    return send_file(spool, mimetype="application/zip", as_attachment=True,
                     download_name=f"inzage-{client.code}.zip")


@bp.get("/retention")
def retention_page() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    due = retention.due(db.session, today=current_day(), years=years())
    holds = db.session.scalars(select(LegalHold).order_by(LegalHold.set_at.desc())).all()
    lists = db.session.scalars(select(DestructionList).order_by(DestructionList.id.desc()).limit(50)).all()
    clients = db.session.scalars(select(Client).order_by(Client.code)).all()
    tombstones = db.session.scalars(select(Tombstone).order_by(Tombstone.id.desc()).limit(50)).all()
    _log_listing("retention", clients)
    return render_template("privacy/retention.html", due=due, holds=holds, lists=lists, clients=clients,
                           tombstones=tombstones, years=years(), codes={c.id: c.code for c in clients})


@bp.post("/retention/lists")
def propose() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    keys: list[tuple[str, int]] = []
    for raw in request.form.getlist("item"):
        otype, _sep, oid = raw.partition(":")
        if not oid.isdigit():
            raise ValidationError({"items": _("Onbekend stuk: %(item)s", item=raw[:40])})
        keys.append((otype, int(oid)))
    dl = retention.propose(db.session, actor=current_user, today=current_day(), years=years(),
                           keys=keys or None, where=where())
    flash(_("Vernietigingslijst %(n)s is opgesteld. Keur hem goed voordat hij wordt uitgevoerd.", n=dl.id), "success")
    return redirect(url_for(".list_detail", list_id=dl.id))


@bp.get("/retention/lists/<int:list_id>")
def list_detail(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    return render_template("privacy/list.html", dl=_list(list_id))


@bp.post("/retention/lists/<int:list_id>/approve")
def approve(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    dl = _list(list_id)
    require_recent_auth()
    retention.approve(db.session, actor=current_user, dl=dl, where=where(),
                      four_eyes=current_app.config["PORTAL"].destruction_four_eyes)
    flash(_("Vernietigingslijst %(n)s is goedgekeurd.", n=dl.id), "success")
    return redirect(url_for(".list_detail", list_id=dl.id))


@bp.post("/retention/lists/<int:list_id>/cancel")
def cancel(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    dl = _list(list_id)
    retention.cancel(db.session, actor=current_user, dl=dl, where=where())
    flash(_("Vernietigingslijst %(n)s is ingetrokken.", n=dl.id), "success")
    return redirect(url_for(".retention_page"))


@bp.post("/retention/lists/<int:list_id>/execute")
def execute(list_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    dl = _list(list_id)
    require_recent_auth()
    outcome = destruction.execute(db.session, actor=current_user, dl=dl, today=current_day(), years=years(),
                                  where=where())
    # Destruction has two phases: the rows go in this commit, then what lingers in files is scrubbed.
    db.session.commit()
    flash(_("%(d)s stuk(ken) vernietigd, %(s)s overgeslagen.", d=outcome.destroyed, s=outcome.skipped), "success")
    try:
        destruction.scrub(db.session, archive=archive(), index=get_index(),
                          docs=lambda: indexing.all_docs(db.session), engine=db.engine)
    except destruction.ScrubError:
        flash(_("Het wissen van oude kopieën in de databasebestanden lukte nu niet (de database was bezig). "
                "Laat de beheerder 'flask --app portal retention --scrub' uitvoeren."), "warning")
    return redirect(url_for(".list_detail", list_id=list_id))


@bp.post("/holds")
def set_hold() -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    client = _client(request.form.get("client_id"))
    retention.set_hold(db.session, actor=current_user, client=client, reason=request.form.get("reason", ""),
                       where=where())
    flash(_("Bewaarplicht gezet op dossier %(code)s.", code=client.code), "success")
    return redirect(url_for(".retention_page"))


@bp.post("/holds/<int:hold_id>/lift")
def lift_hold(hold_id: int) -> Any:
    access.require(current_user, Action.MANAGE_RETENTION)
    hold = db.session.get(LegalHold, hold_id)
    if hold is None:
        raise access.NotFoundError()
    retention.lift_hold(db.session, actor=current_user, hold=hold, reason=request.form.get("reason", ""),
                        where=where())
    flash(_("Bewaarplicht opgeheven."), "success")
    return redirect(url_for(".retention_page"))
