"""A stored document as a letters Document, PDF and DOCX: the letterhead from the author's organisation,
aggregate figures for briefings, ZRM measurements for client plans."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from letters.model import Document as LetterDocument
from letters.model import Reference, Sender
from letters.plan_of_approach import ZrmMeasurement as LetterZrm
from letters.render_docx import render_docx
from letters.render_pdf import render_pdf
from letters.text import document_text
from portal import doctypes
from portal.archive import Archive
from portal.models import Document, User, WorkspaceMember
from portal.models.documents import DocType
from portal.services import figures, letterheads

FORMATS = {"pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def sender_for(user: User, *, archive: Archive | None = None) -> Sender:
    """The letterhead of the author's organisation: its newest letterhead version (logo, address,
    contact, colour), else name and address only. The logo needs `archive`; text needs no logo."""
    session = object_session(user)
    if session is None:  # a detached user: name and address are all we can know
        org = user.organisation
        return Sender(organisation=org.name,
                      address_lines=tuple(x.strip() for x in org.address.splitlines() if x.strip()))
    return letterheads.sender(session, user.organisation, archive=archive)


def owner_candidates(session: Session, doc: Document | None, *, workspace_id: int | None,
                     owner: User) -> dict[int, str]:
    """Who may own a minutes action: the workspace's members and the author (id -> name)."""
    ws = doc.workspace_id if doc is not None else workspace_id
    names = {owner.id: owner.full_name}
    if ws is not None:
        names |= dict(session.execute(select(User.id, User.full_name).join(
            WorkspaceMember, WorkspaceMember.user_id == User.id).where(WorkspaceMember.workspace_id == ws)).all())
    return dict(sorted(names.items(), key=lambda kv: kv[1]))


def context(session: Session, doc: Document, *, threshold: int, fields: dict[str, Any] | None = None,
            title: str | None = None, on: date | None = None, archive: Archive | None = None) -> doctypes.Context:
    """Everything the builder needs for `doc` (optionally with fields not yet saved)."""
    fields = doc.fields if fields is None else fields
    level = doc.confidentiality.code.replace("_", " ")
    ctx: dict[str, Any] = {
        "sender": sender_for(doc.owner, archive=archive), "subject": title or doc.title,
        "reference": Reference.parse(doc.reference) if doc.reference else None,
        "dated_on": doc.sent_at.date() if doc.sent_at else on, "footer_note": f"Vertrouwelijkheid: {level}"}
    if doc.type == DocType.COUNCIL_BRIEFING:
        ctx["figures"] = figures.compute(session, fields.get("figures", []), threshold=threshold)
    if doc.type == DocType.MINUTES:
        ctx["user_names"] = owner_candidates(session, doc, workspace_id=None, owner=doc.owner)
    if doc.type == DocType.PLAN_OF_APPROACH and doc.client is not None:
        ctx |= {"client_name": doc.client.display_name, "case_manager": doc.owner.full_name,
                "measurements": tuple(LetterZrm.of(m.measured_on, m.scores) for m in doc.measurements)}
    return doctypes.Context(**ctx)


def letter(session: Session, doc: Document, *, threshold: int, on: date | None = None,
           archive: Archive | None = None) -> LetterDocument:
    """:raise ValidationError: if stored fields no longer build (should not happen; they were validated)."""
    kind = doctypes.kind_of(doc.type)
    return doctypes.build(kind, doc.fields, context(session, doc, threshold=threshold, on=on, archive=archive))


def text_of(session: Session, doc: Document, *, threshold: int) -> str:
    return document_text(letter(session, doc, threshold=threshold))


def render(session: Session, doc: Document, fmt: str, *, threshold: int, on: date | None = None,
           archive: Archive | None = None) -> bytes:
    """PDF or DOCX bytes of the current fields (invariant output: the same content gives the same bytes).

    With `archive` the letterhead includes the organisation's logo."""
    built = letter(session, doc, threshold=threshold, on=on, archive=archive)
    return render_pdf(built, invariant=True) if fmt == "pdf" else render_docx(built, invariant=True)
