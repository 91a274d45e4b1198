"""A demo case note with an attachment: a fictional one-page decision letter drawn in code.

Called from `portal.demo.load` inside the app context (the archive lives in the instance folder).
Goes through `note_attachments.add`, so the file is checked, archived, its text indexed and the
upload audited exactly as on the page.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.archive import Archive
from portal.audit import Where
from portal.models import Assignment, CaseNote, CaseNoteVersion, Client, User
from portal.models.base import utcnow
from portal.models.clients import NoteState
from portal.services import note_attachments
from portal.vocab import Confidentiality, DataCategory

TITLE = "Beschikking bijzondere bijstand ontvangen"


def decision_pdf(client_name: str, today: date) -> bytes:
    """A one-page, entirely fictional decision on special assistance (bijzondere bijstand)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, invariant=True)
    c.setTitle("Beschikking bijzondere bijstand (demo)")
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, 770, "Gemeente Voorbeeldstad - Werk en Inkomen")
    c.setFont("Helvetica", 11)
    lines = [f"Datum: {today.isoformat()}", "Kenmerk: WI/DEMO/0001", "",
             "Beschikking bijzondere bijstand", "",
             f"Aan: mevrouw {client_name} (pseudoniem, demo)", "",
             "U heeft bijzondere bijstand aangevraagd voor de inrichting van uw woning.",
             "Wij kennen u een eenmalige bijdrage toe van EUR 650,- voor bed, tafel en stoelen.",
             "Het bedrag wordt binnen tien werkdagen overgemaakt.", "",
             "Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken bezwaar maken.", "",
             "Dit is een fictieve brief voor de demonstratie van het portaal."]
    y = 730
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return out.getvalue()


def load(session: Session, *, today: date) -> int:
    """Add the note with its attachment to the first demo dossier; returns the number of attachments made."""
    if session.scalar(select(CaseNote.id).where(CaseNote.title == TITLE)) is not None:
        return 0
    client = session.scalars(select(Client).order_by(Client.id)).first()
    if client is None:
        return 0
    author = session.get(User, session.scalars(select(Assignment.user_id).where(Assignment.client_id == client.id)
                                               .order_by(Assignment.id)).first())
    note = CaseNote(client_id=client.id, author_id=author.id, noted_on=today - timedelta(days=2), title=TITLE,
                    text="Cliënte liet de beschikking zien: de bijzondere bijstand voor de inrichting is "
                         "toegekend. Samen het overzicht van de aankopen gemaakt.\n\nVolgende stap: bon bewaren "
                         "voor de verantwoording.",
                    life_domains=["finances", "housing"], data_category=DataCategory.FINANCES,
                    confidentiality=Confidentiality.ZAAKVERTROUWELIJK, state=NoteState.FINAL, finalized_at=utcnow())
    session.add(note)
    session.flush()
    session.add(CaseNoteVersion(note_id=note.id, number=1, title=note.title, text=note.text,
                                life_domains=note.life_domains, author_id=author.id))
    archive = Archive(current_app.config["PORTAL"].instance_path / "archive")
    note_attachments.add(session, actor=author, note=note, data=decision_pdf(client.display_name, today),
                         filename="beschikking-bijzondere-bijstand.pdf", archive=archive,
                         max_bytes=20 * 1024 * 1024, today=today, where=Where("demo"))
    return 1
