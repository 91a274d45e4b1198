"""Agendas and minutes (agenda, verslag) of the project group and steering committee."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from flask_babel import lazy_gettext as _l

from letters.minutes import ActionItem, Agenda, AgendaItem, Minutes, MinutesItem, Purpose, build_agenda, build_minutes
from letters.model import Document
from portal.doctypes import Context, DocKind, Field, register
from portal.doctypes._lines import cells, day, fail, plain_lines
from portal.models.documents import DocType

PURPOSES = {"vaststellen": Purpose.DECIDE, "besluiten": Purpose.DECIDE, "besluitvorming": Purpose.DECIDE,
            "decide": Purpose.DECIDE, "bespreken": Purpose.DISCUSS, "discuss": Purpose.DISCUSS,
            "informeren": Purpose.INFORM, "ter informatie": Purpose.INFORM, "inform": Purpose.INFORM}

AGENDA_FIELDS = (
    Field("meeting", _l("Overleg"), "line", required=True, help=_l("Bijvoorbeeld: projectgroep zorgaanpak")),
    Field("held_on", _l("Datum"), "date", required=True),
    Field("starts_at", _l("Begintijd"), "time"),
    Field("ends_at", _l("Eindtijd"), "time"),
    Field("location", _l("Locatie"), "line"),
    Field("invitees", _l("Genodigden"), "lines", help=_l("Eén naam (en organisatie) per regel.")),
    Field("items", _l("Agendapunten"), "lines", required=True,
          help=_l("Per regel: titel | doel (vaststellen, bespreken of ter informatie) | inbreng | bijlagen, "
                  "gescheiden door ';'")),
)

ACTION_COLUMNS = (Field("description", _l("Actie"), "short"), Field("owner", _l("Wie"), "user"),
                  Field("due_on", _l("Wanneer"), "date"), Field("done", _l("Gedaan"), "check"))

MINUTES_FIELDS = (
    Field("meeting", _l("Overleg"), "line", required=True),
    Field("held_on", _l("Datum"), "date", required=True),
    Field("location", _l("Locatie"), "line"),
    Field("chair", _l("Voorzitter"), "line"),
    Field("secretary", _l("Verslag"), "line"),
    Field("attendees", _l("Aanwezig"), "lines", help=_l("Eén naam per regel.")),
    Field("absent", _l("Afwezig"), "lines", help=_l("Eén naam per regel.")),
    Field("items", _l("Verslag per agendapunt"), required=True,
          help=_l("Begin elk agendapunt met '## ' en de titel; regels die met 'Besluit:' beginnen zijn besluiten.")),
    Field("actions", _l("Actielijst"), "rows", columns=ACTION_COLUMNS),
)
_A = {f.name: f for f in AGENDA_FIELDS}
_M = {f.name: f for f in MINUTES_FIELDS}


def _time(field: Field, text: str) -> time | None:
    if not text.strip():
        return None
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise fail(field, _l("%(label)s: vul een tijd in als 13:30.")) from None


def agenda_of(f: dict[str, Any]) -> Agenda:
    items = []
    for n, (title, purpose, presenter, attachments) in cells(_A["items"], f["items"], most=4):
        key = purpose.strip().lower() or "bespreken"
        if key not in PURPOSES:
            raise fail(_A["items"], _l("%(label)s, regel %(n)s: doel is vaststellen, bespreken of ter informatie."),
                       n=n)
        items.append(AgendaItem(title, PURPOSES[key], presenter,
                                tuple(a.strip() for a in attachments.split(";") if a.strip())))
    return Agenda(meeting=f["meeting"], held_on=day(f["held_on"]) or date.min, items=tuple(items),
                  starts_at=_time(_A["starts_at"], f["starts_at"]), ends_at=_time(_A["ends_at"], f["ends_at"]),
                  location=f["location"], invitees=plain_lines(f["invitees"]))


def _build_agenda(f: dict[str, Any], ctx: Context) -> Document:
    return build_agenda(agenda_of(f), sender=ctx.sender, subject=ctx.subject, reference=ctx.reference,
                        dated_on=ctx.dated_on, footer_note=ctx.footer_note)


def minutes_items(text: str) -> tuple[MinutesItem, ...]:
    """'## Titel' starts an item; 'Besluit: ...' lines are its decisions; other lines its notes."""
    items: list[tuple[str, list[str], list[str]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            items.append((stripped.lstrip("#").strip(), [], []))
        elif not items and stripped:
            raise fail(_M["items"], _l("%(label)s: begin elk agendapunt met '## ' en de titel."))
        elif items and stripped.lower().startswith("besluit:"):
            items[-1][2].append(stripped.split(":", 1)[1].strip())
        elif items:
            items[-1][1].append(line.rstrip())
    if any(not title for title, _, _ in items):
        raise fail(_M["items"], _l("%(label)s: een agendapunt heeft geen titel."))
    return tuple(MinutesItem(title, "\n".join(notes).strip(), tuple(d for d in decisions if d))
                 for title, notes, decisions in items)


def action_rows(rows: list[dict[str, Any]], names: Any) -> list[tuple[str, int, date | None, bool]]:
    """(description, owner id, due date, done) per row.

    :raise ValidationError: ('actions') naming the row with no description, an unknown owner or a bad date.
    """
    field = _M["actions"]
    out = []
    for n, row in enumerate(rows, start=1):
        desc = str(row.get("description", "")).strip()
        owner = str(row.get("owner", "")).strip()
        due = str(row.get("due_on", "") or "").strip()
        if not desc:
            raise fail(field, _l("%(label)s, regel %(n)s: beschrijf de actie."), n=n)
        if not owner.isdigit() or int(owner) not in names:
            raise fail(field, _l("%(label)s, regel %(n)s: kies wie de actie uitvoert."), n=n)
        if due and day(due) is None:
            raise fail(field, _l("%(label)s, regel %(n)s: vul een geldige datum in."), n=n)
        out.append((desc, int(owner), day(due), str(row.get("done", "")) in {"1", "true", "on", "True"}))
    return out


def minutes_of(f: dict[str, Any], names: Any) -> Minutes:
    actions = tuple(ActionItem(desc, names[owner], due) for desc, owner, due, _done in action_rows(f["actions"], names))
    return Minutes(meeting=f["meeting"], held_on=day(f["held_on"]) or date.min, items=minutes_items(f["items"]),
                   attendees=plain_lines(f["attendees"]), absent=plain_lines(f["absent"]), chair=f["chair"],
                   secretary=f["secretary"], location=f["location"], actions=actions)


def _build_minutes(f: dict[str, Any], ctx: Context) -> Document:
    return build_minutes(minutes_of(f, ctx.user_names), sender=ctx.sender, subject=ctx.subject,
                         reference=ctx.reference, dated_on=ctx.dated_on, footer_note=ctx.footer_note)


def minutes_from_agenda(agenda_fields: dict[str, Any]) -> dict[str, Any]:
    """Start minutes from an agenda: the meeting, date, place, invitees and an item per agenda item."""
    titles = [parts[0] for _, parts in cells(_A["items"], agenda_fields.get("items", ""), most=4)]
    return {"meeting": agenda_fields.get("meeting", ""), "held_on": agenda_fields.get("held_on", ""),
            "location": agenda_fields.get("location", ""), "attendees": agenda_fields.get("invitees", ""),
            "items": "\n\n".join(f"## {t}\n" for t in titles), "actions": []}


AGENDA = register(DocKind(type=DocType.AGENDA, label=_l("Agenda"), series="AGENDA", workflow="review",
                          fields=AGENDA_FIELDS, builder=_build_agenda))
MINUTES = register(DocKind(type=DocType.MINUTES, label=_l("Verslag"), series="VERSLAG", workflow="review",
                           fields=MINUTES_FIELDS, builder=_build_minutes))
