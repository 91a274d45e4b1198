"""Agenda and minutes (agenda, verslag) of the project group and steering committee.

The shape follows the project group's own documents (seed 004): date, time, place, invitees,
numbered items each with a purpose (decide, discuss, inform), who introduces it and which
attachments go with it; the minutes add notes, decisions per item and an action list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from letters.errors import InvalidFieldError
from letters.fields import MAX_SHORT, check_date, check_items, check_line, check_text, make_document, text_blocks
from letters.letterhead import format_date, format_short_date
from letters.model import Block, BulletList, Document, Heading, KeyValue, Paragraph, Recipient, Reference, Sender, Table
from letters.vocab import check_language


class Purpose(StrEnum):
    """Why an item is on the agenda."""

    DECIDE = "decide"
    DISCUSS = "discuss"
    INFORM = "inform"


_PURPOSE = {Purpose.DECIDE: ("vaststellen", "decide"), Purpose.DISCUSS: ("bespreken", "discuss"),
            Purpose.INFORM: ("ter informatie", "for information")}

_TEXT = {
    "nl": {
        "agenda": "Agenda {meeting}", "minutes": "Verslag {meeting}", "date": "Datum", "time": "Tijd",
        "location": "Locatie", "chair": "Voorzitter", "secretary": "Verslag", "invitees": "Genodigden",
        "attendees": "Aanwezig", "absent": "Afwezig", "items": "Agenda", "purpose": "Doel",
        "presenter": "Inbreng", "attachments": "Bijlagen", "decisions": "Besluiten", "actions": "Actielijst",
        "number": "Nr.", "action": "Actie", "owner": "Wie", "due": "Wanneer",
    },
    "en": {
        "agenda": "Agenda {meeting}", "minutes": "Minutes {meeting}", "date": "Date", "time": "Time",
        "location": "Location", "chair": "Chair", "secretary": "Minutes", "invitees": "Invited",
        "attendees": "Present", "absent": "Absent", "items": "Agenda", "purpose": "Purpose",
        "presenter": "Presented by", "attachments": "Attachments", "decisions": "Decisions",
        "actions": "Action list", "number": "No.", "action": "Action", "owner": "Who", "due": "When",
    },
}


def _check_names(field: str, names: object) -> None:
    check_items(field, names, str, max_items=100)
    for name in names:  # type: ignore[attr-defined]
        check_line(field, name, required=True)


@dataclass(frozen=True)
class AgendaItem:
    title: str
    purpose: Purpose = Purpose.DISCUSS
    presenter: str = ""
    attachments: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        check_line("items", self.title, required=True)
        if not isinstance(self.purpose, Purpose):
            raise InvalidFieldError("items", f"unknown purpose: {self.purpose!r}")
        check_line("items", self.presenter)
        _check_names("items", self.attachments)
        check_text("items", self.description, max_length=MAX_SHORT)


@dataclass(frozen=True)
class Agenda:
    meeting: str
    held_on: date
    items: tuple[AgendaItem, ...]
    starts_at: time | None = None
    ends_at: time | None = None
    location: str = ""
    invitees: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_line("meeting", self.meeting, required=True)
        check_date("held_on", self.held_on, required=True)
        check_items("items", self.items, AgendaItem, required=True)
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise InvalidFieldError("ends_at", "the meeting must end after it starts")
        check_line("location", self.location)
        _check_names("invitees", self.invitees)


@dataclass(frozen=True)
class MinutesItem:
    title: str
    notes: str = ""
    decisions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        check_line("items", self.title, required=True)
        check_text("items", self.notes)
        check_items("items", self.decisions, str, max_items=50)
        for decision in self.decisions:
            check_text("items", decision, max_length=MAX_SHORT, required=True)


@dataclass(frozen=True)
class ActionItem:
    description: str
    owner: str
    due_on: date | None = None

    def __post_init__(self) -> None:
        check_text("actions", self.description, max_length=MAX_SHORT, required=True)
        check_line("actions", self.owner, required=True)
        check_date("actions", self.due_on)


@dataclass(frozen=True)
class Minutes:
    meeting: str
    held_on: date
    items: tuple[MinutesItem, ...]
    attendees: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    chair: str = ""
    secretary: str = ""
    location: str = ""
    actions: tuple[ActionItem, ...] = ()

    def __post_init__(self) -> None:
        check_line("meeting", self.meeting, required=True)
        check_date("held_on", self.held_on, required=True)
        check_items("items", self.items, MinutesItem, required=True)
        _check_names("attendees", self.attendees)
        _check_names("absent", self.absent)
        check_line("chair", self.chair)
        check_line("secretary", self.secretary)
        check_line("location", self.location)
        check_items("actions", self.actions, ActionItem)


def _when(held_on: date, starts_at: time | None, ends_at: time | None, language: str) -> list[tuple[str, str]]:
    t = _TEXT[language]
    rows = [(t["date"], format_date(held_on, language))]
    if starts_at:
        span = starts_at.strftime("%H.%M") + (f" – {ends_at.strftime('%H.%M')}" if ends_at else "")
        rows.append((t["time"], span))
    return rows


def build_agenda(agenda: Agenda, *, sender: Sender, subject: str = "", reference: Reference | None = None,
                 dated_on: date | None = None, recipient: Recipient | None = None, language: str = "nl",
                 footer_note: str = "") -> Document:
    """Assemble an agenda; the subject defaults to 'Agenda <meeting> <date>'.

    :raise InvalidFieldError: naming the letterhead field at fault.
    """
    t = _TEXT[check_language(language)]
    facts = _when(agenda.held_on, agenda.starts_at, agenda.ends_at, language)
    facts += [(t["location"], agenda.location)] if agenda.location else []
    blocks: list[Block] = [KeyValue(tuple(facts))]
    if agenda.invitees:
        blocks += [Heading(t["invitees"], 2), BulletList(agenda.invitees)]
    blocks.append(Heading(t["items"]))
    for n, item in enumerate(agenda.items, start=1):
        blocks.append(Heading(f"{n}. {item.title}", 2))
        blocks += text_blocks(item.description)
        nl, en = _PURPOSE[item.purpose]
        pairs = [(t["purpose"], nl if language == "nl" else en)]
        pairs += [(t["presenter"], item.presenter)] if item.presenter else []
        pairs += [(t["attachments"], ", ".join(item.attachments))] if item.attachments else []
        blocks.append(KeyValue(tuple(pairs)))
    default = f"{t['agenda'].format(meeting=agenda.meeting)} {format_short_date(agenda.held_on)}"
    return make_document(blocks, sender=sender, subject=subject or default, reference=reference,
                         dated_on=dated_on, recipient=recipient, language=language, footer_note=footer_note)


def build_minutes(minutes: Minutes, *, sender: Sender, subject: str = "", reference: Reference | None = None,
                  dated_on: date | None = None, recipient: Recipient | None = None, language: str = "nl",
                  footer_note: str = "") -> Document:
    """Assemble minutes with decisions per item and a numbered action list.

    :raise InvalidFieldError: naming the letterhead field at fault.
    """
    t = _TEXT[check_language(language)]
    facts = _when(minutes.held_on, None, None, language)
    for key, value in (("location", minutes.location), ("chair", minutes.chair), ("secretary", minutes.secretary)):
        if value:
            facts.append((t[key], value))
    for key, names in (("attendees", minutes.attendees), ("absent", minutes.absent)):
        if names:
            facts.append((t[key], ", ".join(names)))
    blocks: list[Block] = [KeyValue(tuple(facts))]
    for n, item in enumerate(minutes.items, start=1):
        blocks.append(Heading(f"{n}. {item.title}", 2))
        blocks += text_blocks(item.notes)
        if item.decisions:
            blocks += [Paragraph(f"{t['decisions']}:"), BulletList(tuple(d.strip() for d in item.decisions))]
    if minutes.actions:
        rows = tuple((str(n), a.description.strip(), a.owner, format_short_date(a.due_on) if a.due_on else "")
                     for n, a in enumerate(minutes.actions, start=1))
        blocks += [Heading(t["actions"]), Table((t["number"], t["action"], t["owner"], t["due"]), rows)]
    default = f"{t['minutes'].format(meeting=minutes.meeting)} {format_short_date(minutes.held_on)}"
    return make_document(blocks, sender=sender, subject=subject or default, reference=reference,
                         dated_on=dated_on, recipient=recipient, language=language, footer_note=footer_note)
