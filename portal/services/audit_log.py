"""The privacy officer's look at the audit trail (DESIGN §9): one filter for the page, its CSV export and the API.

Filters come in as the query-string values they are (`user`, `client`, `action`, `from`, `to`, `denied`);
a malformed one is refused with its name, never silently ignored, so a filtered answer is never taken
for the whole log. `upto` pins the pages of one look to the entries that existed when it began: each
look adds an entry itself, so without it every "next page" would shift by one and show a row twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from portal import access
from portal.audit import AuditAction, Where, record
from portal.models import AuditEntry, User
from portal.services.errors import ValidationError
from portal.vocab import Action

#: The filters, in the order the page shows them.
FILTERS = ("user", "client", "action", "from", "to", "denied", "upto")
ACTIONS = frozenset(a.value for a in AuditAction)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def filtered(*, actor: User, args: Mapping[str, str]) -> tuple[Select[tuple[AuditEntry]], dict[str, str]]:
    """The entries matching the filters in `args`, newest first, and the filters as read (stripped, '' if absent).

    `denied=1` keeps only denials; `denied=0` or no value keeps everything (the page's checkbox).

    :raise AccessDeniedError: the actor may not read the log.
    :raise ValidationError: one or more filter values are malformed; each is named.
    """
    access.require(actor, Action.VIEW_LOG)
    given = {k: (args.get(k) or "").strip() for k in FILTERS}
    errors: dict[str, str] = {}
    stmt = select(AuditEntry)
    if given["user"]:
        stmt = stmt.where(AuditEntry.username == given["user"])
    if given["client"]:
        if given["client"].isascii() and given["client"].isdigit() and len(given["client"]) <= 9:
            stmt = stmt.where(AuditEntry.client_id == int(given["client"]))
        else:
            errors["client"] = str(_l("Vul het nummer van de cliënt in (alleen cijfers)."))
    if given["action"]:
        if given["action"] in ACTIONS:
            stmt = stmt.where(AuditEntry.action == given["action"])
        else:
            errors["action"] = str(_l("Onbekende handeling."))
    days: dict[str, date] = {}
    for name, bound in (("from", time.min), ("to", time.max)):
        if not given[name]:
            continue
        if (d := _day(given[name])) is None:
            errors[name] = str(_l("Vul een geldige datum in (jjjj-mm-dd)."))
            continue
        days[name] = d
        at = datetime.combine(d, bound, UTC)
        stmt = stmt.where(AuditEntry.at >= at if name == "from" else AuditEntry.at <= at)
    if "from" in days and "to" in days and days["to"] < days["from"]:
        errors["to"] = str(_l("Deze datum ligt vóór de begindatum."))
    if given["upto"]:
        if given["upto"].isascii() and given["upto"].isdigit() and len(given["upto"]) <= 18:
            stmt = stmt.where(AuditEntry.seq <= int(given["upto"]))
        else:
            errors["upto"] = str(_l("Moet een heel getal van 1 tot en met %(n)s zijn.", n=10 ** 18 - 1))
    if given["denied"] not in ("", "0", "1"):
        errors["denied"] = str(_l("Kies 1 (alleen geweigerd) of 0 (alles)."))
    elif given["denied"] == "1":
        stmt = stmt.where(AuditEntry.allowed.is_(False))
    if errors:
        raise ValidationError(errors)
    return stmt.order_by(AuditEntry.seq.desc()), given


@dataclass(frozen=True)
class AuditPage:
    """One page of the filtered log."""

    rows: list[AuditEntry]
    filters: dict[str, str]
    page: int
    per_page: int
    has_next: bool


def look(session: Session, *, actor: User, args: Mapping[str, str], page: int, per_page: int,
         where: Where | None = None, api: bool = False) -> AuditPage:
    """Page `page` (from 1) of the filtered log; the look itself is recorded (NEN 7513: reading the log is
    an access too).

    :raise AccessDeniedError: the actor may not read the log.
    :raise ValidationError: a filter is malformed (see `filtered`).
    """
    stmt, given = filtered(actor=actor, args=args)
    detail: dict[str, object] = {k: v for k, v in given.items() if v}
    if not given["upto"]:  # a new look: its pages show the log as it is now, without later entries
        upto = session.scalar(select(func.max(AuditEntry.seq))) or 0
        stmt = stmt.where(AuditEntry.seq <= upto)
        given["upto"] = str(upto)
    rows = list(session.scalars(stmt.offset((page - 1) * per_page).limit(per_page + 1)))
    if api:
        detail["api"] = True
    record(session, actor, AuditAction.AUDIT_VIEW, detail=detail, where=where)
    return AuditPage(rows=rows[:per_page], filters=given, page=page, per_page=per_page,
                     has_next=len(rows) > per_page)
