"""Search-index outbox: every change that the index must follow adds a row in the same transaction.

A crash between commit and indexing loses nothing: the rows wait until a drain applies them.
Access changes (sharing, assignment, consent, membership) enqueue every object they affect.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.models import CaseNote, IndexOutbox


def enqueue(session: Session, object_type: str, object_id: int, *, deleted: bool = False) -> None:
    session.add(IndexOutbox(object_type=object_type, object_id=object_id, deleted=deleted))


def enqueue_client(session: Session, client_id: int) -> None:
    """The dossier and everything in it: its access may have changed."""
    enqueue(session, "client", client_id)
    for note_id in session.scalars(select(CaseNote.id).where(CaseNote.client_id == client_id)):
        enqueue(session, "case_note", note_id)
