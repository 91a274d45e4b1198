"""Case notes: write, edit a draft, finalise, correct a final note (a new version), delete a draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from portal import access
from portal.audit import AuditAction, Where, record
from portal.models import CaseNote, CaseNoteVersion, Client, User
from portal.models.base import utcnow
from portal.models.clients import NoteState
from portal.services.errors import ConflictError, InvalidStateError, ValidationError
from portal.vocab import Action, Confidentiality, DataCategory

LIFE_DOMAINS = ("finances", "work_education", "time_use", "housing", "domestic_relations", "mental_health",
                "physical_health", "substance_use", "basic_adl", "instrumental_adl", "social_network",
                "social_participation", "justice", "media")
MAX_TITLE = 200
MAX_TEXT = 20_000


@dataclass(frozen=True)
class NoteInput:
    title: str
    text: str
    noted_on: date | None
    life_domains: tuple[str, ...]
    data_category: str
    confidentiality: str


def validate(data: NoteInput, *, today: date) -> dict[str, object]:
    """Check every field; raise ValidationError naming each bad field, or return clean values."""
    errors: dict[str, str] = {}
    title, text = data.title.strip(), data.text.strip()
    if not title:
        errors["title"] = str(_l("Geef de notitie een titel."))
    elif len(title) > MAX_TITLE:
        errors["title"] = str(_l("De titel mag hoogstens %(n)s tekens hebben.", n=MAX_TITLE))
    if not text:
        errors["text"] = str(_l("De notitie is leeg."))
    elif len(text) > MAX_TEXT:
        errors["text"] = str(_l("De notitie mag hoogstens %(n)s tekens hebben.", n=MAX_TEXT))
    if data.noted_on is None:
        errors["noted_on"] = str(_l("Vul een geldige datum in."))
    elif data.noted_on > today:
        errors["noted_on"] = str(_l("De datum mag niet in de toekomst liggen."))
    bad = [d for d in data.life_domains if d not in LIFE_DOMAINS]
    if bad:
        errors["life_domains"] = str(_l("Onbekend levensdomein: %(d)s", d=", ".join(bad)))
    try:
        category = DataCategory(data.data_category)
    except ValueError:
        errors["data_category"] = str(_l("Kies een gegevenscategorie."))
    try:
        level = Confidentiality[data.confidentiality.upper()]
    except KeyError:
        errors["confidentiality"] = str(_l("Kies een vertrouwelijkheidsniveau."))
    if errors:
        raise ValidationError(errors)
    return {"title": title, "text": text, "noted_on": data.noted_on, "life_domains": list(dict.fromkeys(
        data.life_domains)), "data_category": category, "confidentiality": level}


def create(session: Session, *, actor: User, client: Client, data: NoteInput, today: date,
           where: Where | None = None) -> CaseNote:
    access.require(actor, Action.CREATE_NOTE, client, today=today)
    clean = validate(data, today=today)
    note = CaseNote(client=client, author=actor, state=NoteState.DRAFT, **clean)
    session.add(note)
    session.flush()
    session.add(CaseNoteVersion(note=note, number=1, title=note.title, text=note.text,
                                life_domains=note.life_domains, author_id=actor.id))
    record(session, actor, AuditAction.CREATE, note, where=where)
    _enqueue(session, note)
    return note


def _check_version(note: CaseNote, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != note.version_id:
        raise ConflictError()


def update_draft(session: Session, *, actor: User, note: CaseNote, data: NoteInput, expected_version: int | None,
                 today: date, where: Where | None = None) -> CaseNote:
    access.require(actor, Action.EDIT, note, today=today)
    if note.state != NoteState.DRAFT:
        raise InvalidStateError()
    _check_version(note, expected_version)
    clean = validate(data, today=today)
    level_before = note.confidentiality
    for k, v in clean.items():
        setattr(note, k, v)
    note.modified_at = utcnow()
    current = note.versions[-1]
    current.title, current.text, current.life_domains = note.title, note.text, note.life_domains
    record(session, actor, AuditAction.UPDATE, note, where=where)
    if level_before != note.confidentiality:
        record(session, actor, AuditAction.LEVEL_CHANGE, note, where=where,
               detail={"from": Confidentiality(level_before).code, "to": note.confidentiality.code})
    _enqueue(session, note)
    return note


def finalize(session: Session, *, actor: User, note: CaseNote, expected_version: int | None, today: date,
             where: Where | None = None) -> CaseNote:
    access.require(actor, Action.EDIT, note, today=today)
    if note.state != NoteState.DRAFT:
        raise InvalidStateError()
    _check_version(note, expected_version)
    note.state = NoteState.FINAL
    note.finalized_at = note.modified_at = utcnow()
    record(session, actor, AuditAction.FINALIZE, note, where=where)
    _enqueue(session, note)
    return note


def correct(session: Session, *, actor: User, note: CaseNote, data: NoteInput, reason: str,
            expected_version: int | None, today: date, where: Where | None = None) -> CaseNote:
    """A final note is never overwritten: the correction becomes a new version, the old stays readable."""
    access.require(actor, Action.EDIT, note, today=today)
    if note.state != NoteState.FINAL:
        raise InvalidStateError()
    _check_version(note, expected_version)
    errors = {}
    if not reason.strip():
        errors["reason"] = str(_l("Geef aan waarom u de notitie corrigeert."))
    try:
        clean = validate(data, today=today)
    except ValidationError as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise ValidationError(errors)
    if clean["text"] == note.text and clean["title"] == note.title and clean["life_domains"] == note.life_domains:
        raise ValidationError({"text": str(_l("Er is niets gewijzigd."))})
    note.versions[-1].correction_reason = reason.strip()[:500]
    number = note.version_number + 1
    note.title, note.text, note.life_domains = clean["title"], clean["text"], clean["life_domains"]
    note.version_number = number
    note.modified_at = utcnow()
    session.add(CaseNoteVersion(note=note, number=number, title=note.title, text=note.text,
                                life_domains=note.life_domains, author_id=actor.id))
    record(session, actor, AuditAction.CORRECT, note, where=where, detail={"version": number})
    _enqueue(session, note)
    return note


def delete_draft(session: Session, *, actor: User, note: CaseNote, today: date, where: Where | None = None) -> None:
    access.require(actor, Action.DELETE, note, today=today)
    record(session, actor, AuditAction.DELETE, note, where=where)
    _enqueue(session, note, deleted=True)
    session.delete(note)


def _enqueue(session: Session, note: CaseNote, *, deleted: bool = False) -> None:
    """Hook for the search outbox (search issue); a no-op until the index exists."""
    from portal import indexing

    indexing.enqueue(session, "case_note", note.id, deleted=deleted)
