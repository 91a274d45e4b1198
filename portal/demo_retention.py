"""Demo records past their retention period, so the privacy officer's retention page shows something.

Fictional, like all demo data: two notes and a consent from long ago in one dossier, and an old note
in another dossier that is under a legal hold (listed, but never destroyed).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import CaseNote, CaseNoteVersion, Client, Consent, LegalHold, User
from portal.models.base import utcnow
from portal.models.clients import NoteState
from portal.models.consents import ConsentState
from portal.vocab import Confidentiality, DataCategory

OLD_NOTES = [
    ("Eerste kennismaking", "Kennismaking op straat; cliënte wil eerst zien wie we zijn.", DataCategory.GENERAL),
    ("Aanvraag uitkering", "Samen de aanvraag ingevuld; afspraak voor de papieren.", DataCategory.WORK_INCOME),
]


def _old_note(session: Session, client: Client, author: User, title: str, text: str, category: DataCategory,
              years_ago: int) -> CaseNote:
    when = utcnow() - timedelta(days=365 * years_ago + 30)
    note = CaseNote(client_id=client.id, author_id=author.id, noted_on=when.date(), title=title, text=text,
                    life_domains=["finances" if category == DataCategory.WORK_INCOME else "social_network"],
                    data_category=category, confidentiality=Confidentiality.ZAAKVERTROUWELIJK, state=NoteState.FINAL,
                    finalized_at=when, created_at=when, modified_at=when)
    session.add(note)
    session.flush()
    session.add(CaseNoteVersion(note_id=note.id, number=1, title=title, text=text, life_domains=note.life_domains,
                                author_id=author.id, created_at=when))
    return note


def load(session: Session, *, today: date) -> None:
    clients = session.scalars(select(Client).order_by(Client.id)).all()
    officer = session.scalar(select(User).where(User.username == "petra"))
    if len(clients) < 8 or officer is None:
        return
    due_client, held_client = clients[6], clients[7]
    author = session.get(User, due_client.assignments[0].user_id)
    for title, text, category in OLD_NOTES:
        _old_note(session, due_client, author, title, text, category, years_ago=21)
    consent = Consent(client_id=due_client.id, created_by_id=author.id, reference=f"STAP/{today.year - 7}/0001",
                      categories=["general"], purpose="Samenwerking in de zorgaanpak (oud formulier)",
                      starts_on=today - timedelta(days=365 * 7), ends_on=today - timedelta(days=365 * 6),
                      state=ConsentState.SIGNED, signed_at=utcnow() - timedelta(days=365 * 7),
                      created_at=utcnow() - timedelta(days=365 * 7))
    session.add(consent)
    held_author = session.get(User, held_client.assignments[0].user_id)
    _old_note(session, held_client, held_author, "Melding politie", "Verslag van het gesprek na de melding.",
              DataCategory.GENERAL, years_ago=22)
    session.add(LegalHold(client_id=held_client.id, set_by_id=officer.id,
                          reason="Klacht bij de Autoriteit Persoonsgegevens loopt nog (demo)"))
    session.flush()
