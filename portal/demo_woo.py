"""Demo Woo request: petra (privacy officer) handles a request for a council briefing, eva reviews.

The briefing is fictional and written to contain everything the detectors look for: a client's
pseudonym, a case manager's name, e-mail, phone, BSN, an address, an amount, and a sentence from a
health note. The proposals are made; reviewing and exporting are left to whoever tries the demo.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.archive import Archive
from portal.audit import Where
from portal.models import CaseNote, LocalRole, User, Workspace
from portal.models.clients import NoteState
from portal.models.documents import DocType
from portal.services import documents, reviews, woo
from portal.vocab import DataCategory, LocalRoleName

WHERE = Where("demo")
TITLE = "Raadsinformatiebrief casus tijdelijke woonplek"


def briefing_fields(health_sentence: str) -> dict[str, object]:
    return {
        "recipient": "Aan de gemeenteraad van Nijmegen",
        "figures": [],
        "evaluation_and_explanation": (
            "Op verzoek van de raad lichten wij één casus uit de zorgaanpak toe. Cliënte Roos wordt sinds maart "
            "begeleid door casemanager Sanne Veldkamp. Zij is bereikbaar via sanne@demo.invalid of "
            "06-12345678.\n\n"
            f"Uit de rapportage: {health_sentence}\n\n"
            "De tijdelijke woonplek aan de Voorbeeldstraat 12, 6511 AB Nijmegen kost € 1.150,00 per maand. "
            "Het BSN 123456782 is bij de aanvraag gecontroleerd."),
        "legal_background": "De woonplek valt onder de regeling voor urgentieplekken van de gemeente.",
        "next_steps": "De raadscommissie ontvangt in het voorjaar een technische toelichting.",
        "signed_by": "Burgemeester en wethouders van Nijmegen",
    }


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def health_sentence(session: Session) -> str:
    text = session.scalar(select(CaseNote.text).where(CaseNote.data_category == DataCategory.HEALTH,
                                                      CaseNote.state == NoteState.FINAL).order_by(CaseNote.id))
    first = (text or "Cliënte begeleid naar de huisarts voor een controle.").split("\n")[0]
    return first.split(". ")[0].rstrip(".") + "."


def load(session: Session, *, today: date) -> int:
    """Create the demo briefing (approved, shared with petra) and the Woo request with proposals."""
    eva, hamid, petra = (_user(session, u) for u in ("eva", "hamid", "petra"))
    pg = session.scalar(select(Workspace).where(Workspace.code == "PG"))
    assert pg is not None
    doc = documents.create(session, actor=eva, doc_type=DocType.COUNCIL_BRIEFING, title=TITLE, workspace=pg,
                           today=today, fields=briefing_fields(health_sentence(session)), threshold=5, where=WHERE)
    reviews.request_review(session, actor=eva, doc=doc, reviewer_ids=[hamid.id], today=today, where=WHERE)
    reviews.decide(session, actor=hamid, doc=doc, approve=True, today=today, where=WHERE)
    # The privacy officer is no member of the project group: the author shares the letter with her by name.
    session.add(LocalRole(object_type="document", object_id=doc.id, principal_kind="user", principal_id=petra.id,
                          role=LocalRoleName.READER, granted_by_id=eva.id))
    session.flush()
    req = woo.create_request(session, actor=petra, title="Woo-verzoek over de tijdelijke woonplekken",
                             requester_reference="Verzoek 2026-17", received_on=today - timedelta(days=3),
                             reviewer_id=eva.id, today=today, where=WHERE)
    wdoc = woo.add_document(session, actor=petra, req=req, doc_id=doc.id, where=WHERE)
    instance = Path(current_app.config["PORTAL"].instance_path) if has_app_context() else Path("instance")
    woo.propose(session, actor=petra, req=req, wdoc=wdoc, archive=Archive(instance / "archive"), where=WHERE)
    return 1
