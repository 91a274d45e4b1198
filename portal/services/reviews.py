"""The review workflow of letters: request review, comment per section, approve or send back, send.

Reviewers get the local role 'reviewer' on the document, which opens it to them while it is in
review (DESIGN §5 rule 6) and lets them review it; nobody reviews her own document (access).
Sending freezes the PDF and DOCX: the archive gets the bytes first, then the database the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import access, doctypes, indexing, workflow
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import Document, LocalRole, ReviewComment, ReviewRequest, StoredFile, User
from portal.models.base import utcnow
from portal.models.documents import DocState, ReviewDecision
from portal.services import document_render
from portal.services.documents import _snapshot, check_version
from portal.services.errors import InvalidStateError, ValidationError
from portal.vocab import Action, LocalRoleName

MAX_COMMENT = 5000
MAX_REVIEWERS = 10


def _step(session: Session, *, actor: User, doc: Document, name: str, today: date, where: Where | None,
          detail: dict[str, object] | None = None) -> None:
    """Check and apply transition `name`; the access check uses the Action the transition names."""
    t = workflow.transition(doctypes.kind_of(doc.type).workflow, name, doc.state)
    access.require(actor, t.action, doc, today=today)
    before = doc.state
    doc.state = t.target
    doc.modified_at = utcnow()
    record(session, actor, AuditAction.TRANSITION, doc, where=where,
           detail={"transition": name, "from": before.value, "to": t.target.value, **(detail or {})})
    indexing.enqueue(session, "document", doc.id)


def pending(doc: Document) -> list[ReviewRequest]:
    return [r for r in doc.reviews if r.decision == ReviewDecision.PENDING]


def request_review(session: Session, *, actor: User, doc: Document, reviewer_ids: Sequence[int | str],
                   expected_version: int | None = None, today: date, where: Where | None = None) -> list[ReviewRequest]:
    """The author submits her draft to named reviewers.

    :raise ValidationError: ('reviewers') none chosen, unknown or inactive users, or herself.
    :raise InvalidStateError: (409) the document is not a draft.
    """
    access.require(actor, Action.EDIT, doc, today=today)
    workflow.transition(doctypes.kind_of(doc.type).workflow, "submit", doc.state)
    check_version(doc, expected_version)
    ids = list(dict.fromkeys(int(i) for i in reviewer_ids if str(i).strip().isdigit()))
    if not ids or len(ids) != len([i for i in reviewer_ids if str(i).strip()]):
        raise ValidationError({"reviewers": str(_l("Kies ten minste één beoordelaar."))})
    if actor.id in ids:
        raise ValidationError({"reviewers": str(_l("U kunt uzelf niet als beoordelaar kiezen."))})
    if len(ids) > MAX_REVIEWERS:
        raise ValidationError({"reviewers": str(_l("Kies hoogstens %(n)s beoordelaars.", n=MAX_REVIEWERS))})
    reviewers = session.scalars(select(User).where(User.id.in_(ids), User.is_active_flag.is_(True))).all()
    if len(reviewers) != len(ids):
        raise ValidationError({"reviewers": str(_l("Een gekozen beoordelaar bestaat niet (meer)."))})
    requests = []
    for reviewer in reviewers:
        exists = session.scalar(select(LocalRole.id).where(
            LocalRole.object_type == "document", LocalRole.object_id == doc.id, LocalRole.principal_kind == "user",
            LocalRole.principal_id == reviewer.id, LocalRole.role == LocalRoleName.REVIEWER))
        if exists is None:
            session.add(LocalRole(object_type="document", object_id=doc.id, principal_kind="user",
                                  principal_id=reviewer.id, role=LocalRoleName.REVIEWER, granted_by_id=actor.id))
        req = ReviewRequest(document=doc, reviewer_id=reviewer.id, requested_by_id=actor.id,
                            version_number=doc.version_number)
        session.add(req)
        requests.append(req)
    record(session, actor, AuditAction.REVIEW_REQUEST, doc, where=where,
           detail={"reviewers": [r.id for r in reviewers], "version": doc.version_number})
    _step(session, actor=actor, doc=doc, name="submit", today=today, where=where)
    session.flush()
    return requests


def comment(session: Session, *, actor: User, doc: Document, section: str, text: str, today: date,
            where: Where | None = None) -> ReviewComment:
    """A reviewer's remark on one section ('' for the whole document).

    :raise AccessDeniedError: (403) she is not a reviewer of this document in review.
    :raise ValidationError: ('section', 'text').
    """
    access.require(actor, Action.REVIEW, doc, today=today)
    kind = doctypes.kind_of(doc.type)
    errors = {}
    if section and section not in {f.name for f in kind.sections}:
        errors["section"] = str(_l("Kies een onderdeel van het document."))
    text = (text or "").strip()
    if not text:
        errors["text"] = str(_l("Schrijf een opmerking."))
    elif len(text) > MAX_COMMENT:
        errors["text"] = str(_l("Een opmerking mag hoogstens %(n)s tekens hebben.", n=MAX_COMMENT))
    if errors:
        raise ValidationError(errors)
    note = ReviewComment(document=doc, author_id=actor.id, section=section, text=text,
                         version_number=doc.version_number)
    session.add(note)
    record(session, actor, AuditAction.COMMENT, doc, where=where, detail={"section": section})
    session.flush()
    return note


def decide(session: Session, *, actor: User, doc: Document, approve: bool, comment_text: str = "", today: date,
           where: Where | None = None) -> ReviewRequest:
    """Approve, or send back to draft with a comment. The document is approved once every reviewer
    asked in this round approved; one sending back returns it to draft at once.

    :raise AccessDeniedError: (403) not her review, or her own document.
    :raise ValidationError: ('comment') sending back without saying why.
    :raise InvalidStateError: (409) not in review, or she already decided.
    """
    access.require(actor, Action.REVIEW, doc, today=today)
    mine = next((r for r in pending(doc) if r.reviewer_id == actor.id), None)
    if mine is None:
        raise InvalidStateError()
    text = (comment_text or "").strip()
    if not approve and not text:
        raise ValidationError({"comment": str(_l("Schrijf waarom u de brief terugstuurt."))})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"comment": str(_l("Een opmerking mag hoogstens %(n)s tekens hebben.", n=MAX_COMMENT))})
    mine.decision = ReviewDecision.APPROVED if approve else ReviewDecision.CHANGES_REQUESTED
    mine.decided_at = utcnow()
    mine.comment = text
    record(session, actor, AuditAction.REVIEW_DECISION, doc, where=where, detail={"decision": mine.decision.value})
    if not approve:
        for other in pending(doc):
            other.decision, other.decided_at = ReviewDecision.WITHDRAWN, utcnow()
        _step(session, actor=actor, doc=doc, name="send_back", today=today, where=where)
    elif not pending(doc):
        _step(session, actor=actor, doc=doc, name="approve", today=today, where=where)
    return mine


def withdraw(session: Session, *, actor: User, doc: Document, today: date, where: Where | None = None) -> None:
    """The author takes her document back from review."""
    access.require(actor, Action.EDIT, doc, today=today)
    workflow.transition("review", "withdraw", doc.state)
    for r in pending(doc):
        r.decision, r.decided_at = ReviewDecision.WITHDRAWN, utcnow()
    _step(session, actor=actor, doc=doc, name="withdraw", today=today, where=where)


def reopen(session: Session, *, actor: User, doc: Document, today: date, where: Where | None = None) -> None:
    """Back to draft after approval (the approval lapses: it must be reviewed again)."""
    _step(session, actor=actor, doc=doc, name="reopen", today=today, where=where)


def send(session: Session, *, actor: User, doc: Document, archive: Archive, threshold: int, today: date,
         expected_version: int | None = None, where: Where | None = None) -> Document:
    """Freeze the approved document: PDF and DOCX into the archive, then the rows; state 'sent'.

    :raise InvalidStateError: (409) the document is not approved.
    """
    t = workflow.transition(doctypes.kind_of(doc.type).workflow, "send", doc.state)
    access.require(actor, t.action, doc, today=today)
    check_version(doc, expected_version)
    files = {}
    for fmt, media_type in document_render.FORMATS.items():
        data = document_render.render(session, doc, fmt, threshold=threshold, on=today, archive=archive)
        stored = archive.put(data)  # archive before database (DESIGN §7)
        files[fmt] = StoredFile(sha256=stored.sha256, size=stored.size, media_type=media_type,
                                filename=f"{doc.reference.replace('/', '-')}.{fmt}", created_by_id=actor.id)
        session.add(files[fmt])
    session.flush()
    doc.pdf_file_id, doc.docx_file_id = files["pdf"].id, files["docx"].id
    doc.sent_at = utcnow()
    _step(session, actor=actor, doc=doc, name="send", today=today, where=where,
          detail={"pdf": files["pdf"].sha256, "docx": files["docx"].sha256})
    doc.version_number += 1
    _snapshot(session, doc, actor, "sent")
    record(session, actor, AuditAction.SEND, doc, where=where, detail={"reference": doc.reference})
    return doc


def assigned_to(session: Session, user: User) -> list[Document]:
    """Documents in review waiting for her decision (start page)."""
    # An IN subquery instead of DISTINCT: PostgreSQL has no equality for the JSON field columns.
    pending = select(ReviewRequest.document_id).where(ReviewRequest.reviewer_id == user.id,
                                                      ReviewRequest.decision == ReviewDecision.PENDING)
    docs = session.scalars(select(Document).where(Document.id.in_(pending), Document.state == DocState.IN_REVIEW)
                           .order_by(Document.modified_at.desc())).all()
    return [d for d in docs if access.can(user, Action.REVIEW, d)]
