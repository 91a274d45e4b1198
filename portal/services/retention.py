"""Retention: what is due for destruction, legal holds, and destruction lists the privacy officer approves.

A record is due when its reference date plus the retention period of its kind has passed
(`config.retention_years`, docs/RETENTION.md) and its dossier is not under a legal hold. Destruction
happens only for the items of an approved list (`portal.services.destruction`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import access
from portal.audit import AuditAction, Where, record
from portal.models import CaseNote, Client, Consent, DestructionItem, DestructionList, Document, LegalHold, User
from portal.models.base import utcnow
from portal.models.documents import DocType
from portal.models.retention import ListState
from portal.services.errors import StateConflictError, ValidationError
from portal.vocab import Action

#: Dutch wording of each rule, shown on the page and written into tombstones.
RULE_TEXT = {"case_note": "{years} jaar na laatste wijziging", "plan_of_approach": "{years} jaar na laatste wijziging",
             "consent": "{years} jaar na einde toestemming"}
MIN_REASON = 10


@dataclass(frozen=True)
class DueRecord:
    kind: str
    object_type: str
    object_id: int
    client_id: int
    client_code: str
    reference: str
    created_on: date | None
    last_changed_on: date
    due_on: date
    on_hold: bool

    @property
    def key(self) -> tuple[str, int]:
        return self.object_type, self.object_id


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def rule_text(kind: str, years: dict[str, int]) -> str:
    return f"{kind}: " + RULE_TEXT[kind].format(years=years[kind])


def held_client_ids(session: Session) -> set[int]:
    return set(session.scalars(select(LegalHold.client_id).where(LegalHold.lifted_at.is_(None))))


def _records(session: Session) -> list[tuple[str, str, int, int, date, date | None, str]]:
    """(kind, object_type, id, client id, reference date, created date, reference) of every record kept.

    Columns only, never the text: this runs over every note in the portal.
    """
    out: list[tuple[str, str, int, int, date, date | None, str]] = []
    for oid, client_id, modified, created in session.execute(
            select(CaseNote.id, CaseNote.client_id, CaseNote.modified_at, CaseNote.created_at)):
        out.append(("case_note", "case_note", oid, client_id, modified.date(), created.date(), ""))
    for oid, client_id, modified, created, reference in session.execute(
            select(Document.id, Document.client_id, Document.modified_at, Document.created_at, Document.reference)
            .where(Document.type == DocType.PLAN_OF_APPROACH, Document.client_id.is_not(None))):
        out.append(("plan_of_approach", "document", oid, client_id, modified.date(), created.date(), reference))
    for oid, client_id, revoked_on, ends_on, signed_at, created, reference in session.execute(
            select(Consent.id, Consent.client_id, Consent.revoked_on, Consent.ends_on, Consent.signed_at,
                   Consent.created_at, Consent.reference)):
        ended = revoked_on or (ends_on if signed_at else created.date())
        out.append(("consent", "consent", oid, client_id, ended, created.date(), reference))
    return out


def due(session: Session, *, today: date, years: dict[str, int], include_held: bool = True) -> list[DueRecord]:
    """Every record whose retention has ended on ``today``, oldest due first."""
    held = held_client_ids(session)
    codes = dict(session.execute(select(Client.id, Client.code)).all())
    found: list[DueRecord] = []
    for kind, otype, oid, client_id, ref_day, created, reference in _records(session):
        due_on = add_years(ref_day, years[kind])
        if due_on > today or (client_id in held and not include_held):
            continue
        found.append(DueRecord(kind, otype, oid, client_id, codes.get(client_id, ""), reference, created, ref_day,
                               due_on, client_id in held))
    found.sort(key=lambda r: (r.due_on, r.object_type, r.object_id))
    return found


# --- legal holds ---------------------------------------------------------------------------------


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": str(_l("Geef een reden van minstens %(n)d tekens.", n=MIN_REASON))})
    if len(reason) > 1000:
        raise ValidationError({"reason": str(_l("De reden mag hoogstens 1000 tekens lang zijn."))})
    return reason


def set_hold(session: Session, *, actor: User, client: Client, reason: str, where: Where | None = None) -> LegalHold:
    access.require(actor, Action.MANAGE_RETENTION)
    reason = _reason(reason)
    if client.id in held_client_ids(session):
        raise StateConflictError({"client": str(_l("Dit dossier staat al onder een bewaarplicht (legal hold)."))})
    hold = LegalHold(client_id=client.id, reason=reason, set_by_id=actor.id)
    session.add(hold)
    session.flush()
    record(session, actor, AuditAction.LEGAL_HOLD, client_id=client.id, where=where,
           detail={"hold": hold.id, "set": True, "reason": reason})
    return hold


def lift_hold(session: Session, *, actor: User, hold: LegalHold, reason: str, where: Where | None = None) -> None:
    access.require(actor, Action.MANAGE_RETENTION)
    reason = _reason(reason)
    if not hold.active:
        raise StateConflictError({"hold": str(_l("Deze bewaarplicht is al opgeheven."))})
    hold.lifted_by_id, hold.lifted_at, hold.lift_reason = actor.id, utcnow(), reason
    record(session, actor, AuditAction.LEGAL_HOLD, client_id=hold.client_id, where=where,
           detail={"hold": hold.id, "set": False, "reason": reason})


# --- destruction lists ---------------------------------------------------------------------------


def propose(session: Session, *, actor: User, today: date, years: dict[str, int],
            keys: list[tuple[str, int]] | None = None, where: Where | None = None) -> DestructionList:
    """A list of the due records (all, or those in ``keys``); records under a legal hold are never listed.

    :raise ValidationError: nothing due, or a chosen record is not due or is held.
    """
    access.require(actor, Action.MANAGE_RETENTION)
    candidates = {r.key: r for r in due(session, today=today, years=years)}
    if keys is None:
        chosen = [r for r in candidates.values() if not r.on_hold]
    else:
        bad = [k for k in keys if k not in candidates or candidates[k].on_hold]
        if bad:
            raise ValidationError({"items": str(_l("Niet alle gekozen stukken zijn vervallen en vrij van "
                                                   "bewaarplicht: %(items)s", items=", ".join(
                                                       f"{t}:{i}" for t, i in bad)))})
        chosen = [candidates[k] for k in dict.fromkeys(keys)]
    if not chosen:
        raise ValidationError({"items": str(_l("Er is niets om te vernietigen."))})
    dl = DestructionList(created_by_id=actor.id)
    for r in chosen:
        if _on_open_list(session, r):
            raise StateConflictError({"items": str(_l("%(what)s staat al op een vernietigingslijst.",
                                                      what=f"{r.object_type}:{r.object_id}"))})
        dl.items.append(DestructionItem(kind=r.kind, object_type=r.object_type, object_id=r.object_id,
                                        client_id=r.client_id, client_code=r.client_code, reference=r.reference,
                                        last_changed_on=r.last_changed_on, due_on=r.due_on))
    session.add(dl)
    session.flush()
    record(session, actor, AuditAction.DESTRUCTION_LIST, where=where,
           detail={"list": dl.id, "step": "proposed", "items": len(dl.items)})
    return dl


def _on_open_list(session: Session, r: DueRecord) -> bool:
    return session.scalar(select(DestructionItem.id).join(DestructionList).where(
        DestructionList.state.in_([ListState.PROPOSED, ListState.APPROVED]),
        DestructionItem.object_type == r.object_type, DestructionItem.object_id == r.object_id).limit(1)) is not None


def approve(session: Session, *, actor: User, dl: DestructionList, where: Where | None = None,
            four_eyes: bool = False) -> None:
    """The privacy officer's approval: only a proposed list, and only if no item is under a hold now.

    With ``four_eyes`` (PORTAL_DESTRUCTION_FOUR_EYES) she may not approve a list she drew up herself.
    """
    access.require(actor, Action.MANAGE_RETENTION)
    if dl.state != ListState.PROPOSED:
        raise StateConflictError({"list": str(_l("Alleen een voorgestelde lijst kan worden goedgekeurd."))})
    if four_eyes and dl.created_by_id == actor.id:
        raise StateConflictError({"list": str(_l("Een andere privacyfunctionaris moet deze lijst goedkeuren "
                                                 "(vier ogen)."))})
    held = held_client_ids(session)
    if any(item.client_id in held for item in dl.items):
        raise StateConflictError({"list": str(_l("Een dossier op deze lijst staat onder een bewaarplicht. "
                                                 "Stel een nieuwe lijst op."))})
    dl.state, dl.approved_by_id, dl.approved_at = ListState.APPROVED, actor.id, utcnow()
    record(session, actor, AuditAction.DESTRUCTION_LIST, where=where, detail={"list": dl.id, "step": "approved"})


def cancel(session: Session, *, actor: User, dl: DestructionList, where: Where | None = None) -> None:
    access.require(actor, Action.MANAGE_RETENTION)
    if dl.state not in {ListState.PROPOSED, ListState.APPROVED}:
        raise StateConflictError({"list": str(_l("Deze lijst is al uitgevoerd of ingetrokken."))})
    dl.state = ListState.CANCELLED
    record(session, actor, AuditAction.DESTRUCTION_LIST, where=where, detail={"list": dl.id, "step": "cancelled"})
