"""Letters and plans: create, edit (a new version per change), upload a DOCX edited in Word, delete a draft.

Workflow steps (review, send, agree, evaluate) live in `portal.services.reviews` and
`portal.services.client_plans`. Every change is audited and queued for the search index in the
same transaction; nothing here commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from letters.docx_import import DocxProblem, extract_docx_text
from letters.errors import MalformedDocxError
from letters.fields import MAX_LINE
from letters.text import document_text
from portal import access, doctypes, indexing, workflow
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import Client, Document, DocumentVersion, StoredFile, User, Workspace
from portal.models.base import utcnow
from portal.models.documents import ActionItem, DocState, DocType
from portal.services import document_render
from portal.services.errors import ConflictError, InvalidStateError, TooLargeError, ValidationError
from portal.services.references import next_reference
from portal.vocab import Action, Confidentiality

DOCX_TYPE = document_render.FORMATS["docx"]

_DOCX_MESSAGES = {
    DocxProblem.NOT_ZIP: _l("Dit is geen Word-document (.docx)."),
    DocxProblem.NOT_DOCX: _l("Dit is geen Word-document (.docx)."),
    DocxProblem.LEGACY_DOC: _l("Dit is een oud Word-bestand (.doc). Sla het op als .docx en probeer opnieuw."),
    DocxProblem.ENCRYPTED: _l("Het document is met een wachtwoord beveiligd. Haal de beveiliging eraf."),
    DocxProblem.ZIP_BOMB: _l("Het bestand is verdacht groot als het wordt uitgepakt en is geweigerd."),
    DocxProblem.MALFORMED: _l("Het Word-document is beschadigd en kan niet worden gelezen."),
    DocxProblem.TOO_LARGE: _l("Het bestand is te groot."),
}


def _level(value: str | Confidentiality | None, default: Confidentiality) -> Confidentiality:
    if isinstance(value, Confidentiality):
        return value
    if not value:
        return default
    try:
        return Confidentiality[value.upper()]
    except KeyError:
        raise ValidationError({"confidentiality": str(_l("Kies een vertrouwelijkheidsniveau."))}) from None


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": str(_l("Geef het document een titel (onderwerp)."))})
    if len(title) > MAX_LINE or "\n" in title:
        message = _l("De titel mag hoogstens %(n)s tekens op één regel hebben.", n=MAX_LINE)
        raise ValidationError({"title": str(message)})
    return title


def _validated(session: Session, doc: Document, raw: dict[str, Any], title: str, *, threshold: int,
               today: date) -> tuple[dict[str, Any], str]:
    """Clean fields and the document's canonical text, or ValidationError naming every bad field."""
    kind = doctypes.kind_of(doc.type)
    errors: dict[str, str] = {}
    try:
        title = _title(title)
    except ValidationError as exc:
        errors |= exc.errors
    try:
        clean = doctypes.check_fields(kind, raw)
    except ValidationError as exc:
        raise ValidationError({**errors, **exc.errors}) from None
    # Values the form does not carry (e.g. the date a plan was agreed) are kept.
    clean = {**{k: v for k, v in (doc.fields or {}).items() if kind.field(k) is None}, **clean}
    try:
        ctx = document_render.context(session, doc, threshold=threshold, fields=clean, title=title or "-", on=today)
        built = doctypes.build(kind, clean, ctx)
    except ValidationError as exc:
        raise ValidationError({**errors, **exc.errors}) from None
    if errors:
        raise ValidationError(errors)
    return clean, document_text(built)


def _snapshot(session: Session, doc: Document, actor: User, kind: str, remark: str = "",
              file: StoredFile | None = None, text: str | None = None) -> DocumentVersion:
    version = DocumentVersion(document=doc, number=doc.version_number, title=doc.title, fields=dict(doc.fields),
                              text=doc.text if text is None else text, state=doc.state.value, kind=kind,
                              remark=remark[:2000], file_id=file.id if file else None, author_id=actor.id)
    session.add(version)
    return version


def _sync_actions(doc: Document) -> None:
    """Minutes: the action list as rows, so each owner sees her open actions on her start page."""
    if doc.type != DocType.MINUTES:
        return
    from portal.doctypes.meetings import action_rows

    rows = action_rows(doc.fields.get("actions", []), {int(k) for k in _owner_ids(doc)})
    doc.action_items.clear()
    for position, (description, owner_id, due_on, done) in enumerate(rows):
        doc.action_items.append(ActionItem(position=position, description=description[:2000], owner_id=owner_id,
                                           due_on=due_on, is_done=done))


def _owner_ids(doc: Document) -> set[int]:
    return {int(r.get("owner")) for r in doc.fields.get("actions", []) if str(r.get("owner", "")).isdigit()}


def create(session: Session, *, actor: User, doc_type: DocType | str, title: str, fields: dict[str, Any],
           workspace: Workspace | None = None, client: Client | None = None, confidentiality: str = "",
           agenda: Document | None = None, threshold: int, today: date, where: Where | None = None) -> Document:
    """Start a letter or plan in a workspace (project documents) or a dossier (a client's plan).

    :raise NotFoundError/AccessDeniedError: she may not create documents there.
    :raise ValidationError: naming each bad field; nothing is saved.
    """
    kind = doctypes.kind_of(doc_type)
    container = client if kind.type == DocType.PLAN_OF_APPROACH else workspace
    if container is None:
        field = "client" if kind.type == DocType.PLAN_OF_APPROACH else "workspace"
        raise ValidationError({field: str(_l("Kies waar het document hoort."))})
    access.require(actor, Action.CREATE_DOCUMENT, container, today=today)
    if agenda is not None:
        access.require(actor, Action.VIEW, agenda, today=today)
    default = Confidentiality.ZAAKVERTROUWELIJK if client is not None else Confidentiality.INTERN
    doc = Document(type=kind.type, title=(title or "").strip()[:200], owner=actor, owner_id=actor.id,
                   workspace_id=workspace.id if kind.type != DocType.PLAN_OF_APPROACH and workspace else None,
                   client=client if kind.type == DocType.PLAN_OF_APPROACH else None,
                   state=DocState.DRAFT, confidentiality=_level(confidentiality, default), fields={},
                   agenda_id=agenda.id if agenda is not None else None, reference="")
    clean, text = _validated(session, doc, fields, title, threshold=threshold, today=today)
    doc.title, doc.fields, doc.text = _title(title), clean, text
    doc.reference = str(next_reference(session, kind.series, today.year))
    session.add(doc)
    session.flush()
    _snapshot(session, doc, actor, "create")
    _sync_actions(doc)
    record(session, actor, AuditAction.CREATE, doc, where=where, detail={"type": kind.type.value,
                                                                         "reference": doc.reference})
    indexing.enqueue(session, "document", doc.id)
    return doc


def check_version(doc: Document, expected_version: int | None) -> None:
    """:raise ConflictError: (409) someone saved the document since the form was loaded."""
    if expected_version is not None and expected_version != doc.version_id:
        raise ConflictError()


def require_editable(doc: Document) -> None:
    """:raise InvalidStateError: (409) e.g. a document in review, approved or sent."""
    if not workflow.is_editable(doctypes.kind_of(doc.type).workflow, doc.state):
        raise InvalidStateError()


def update(session: Session, *, actor: User, doc: Document, title: str, fields: dict[str, Any],
           confidentiality: str = "", expected_version: int | None, threshold: int, today: date,
           where: Where | None = None) -> Document:
    """Save new field values as a new version (nothing happens if nothing changed).

    :raise InvalidStateError: (409) the document is in review, approved or sent.
    :raise ConflictError: (409) someone else saved it meanwhile.
    :raise ValidationError: naming each bad field; nothing is saved.
    """
    access.require(actor, Action.EDIT, doc, today=today)
    require_editable(doc)
    check_version(doc, expected_version)
    level = _level(confidentiality, doc.confidentiality)
    clean, text = _validated(session, doc, fields, title, threshold=threshold, today=today)
    if clean == doc.fields and title.strip() == doc.title and level == doc.confidentiality:
        return doc
    level_before = doc.confidentiality
    doc.title, doc.fields, doc.text, doc.confidentiality = title.strip(), clean, text, level
    doc.version_number += 1
    doc.modified_at = utcnow()
    _snapshot(session, doc, actor, "edit")
    _sync_actions(doc)
    record(session, actor, AuditAction.UPDATE, doc, where=where, detail={"version": doc.version_number})
    if level_before != level:
        record(session, actor, AuditAction.LEVEL_CHANGE, doc, where=where,
               detail={"from": Confidentiality(level_before).code, "to": level.code})
    indexing.enqueue(session, "document", doc.id)
    return doc


def upload_docx(session: Session, *, actor: User, doc: Document, data: bytes, filename: str, archive: Archive,
                max_bytes: int, today: date, where: Where | None = None) -> DocumentVersion:
    """Store a DOCX edited in Word as a new version with its text (archive first, then the rows).

    :raise TooLargeError: (413, 'file') larger than `max_bytes`.
    :raise ValidationError: ('file') not a DOCX, damaged, encrypted or a zip bomb; nothing is saved.
    """
    access.require(actor, Action.EDIT, doc, today=today)
    require_editable(doc)
    if not data:
        raise ValidationError({"file": str(_l("Kies een Word-bestand (.docx)."))})
    try:
        text = extract_docx_text(data, max_bytes=max_bytes)
    except MalformedDocxError as exc:
        message = str(_DOCX_MESSAGES.get(DocxProblem(exc.reason), _DOCX_MESSAGES[DocxProblem.MALFORMED]))
        if exc.reason == DocxProblem.TOO_LARGE:
            raise TooLargeError({"file": message}) from exc
        raise ValidationError({"file": message}) from exc
    except Exception as exc:  # noqa: BLE001 - a hostile upload is refused with a reason, never a 500
        raise ValidationError({"file": str(_DOCX_MESSAGES[DocxProblem.MALFORMED])}) from exc
    stored = archive.put(data)  # archive before database (DESIGN §7)
    name = "".join(c for c in (filename or "document.docx") if c.isalnum() or c in "._- ")[:200] or "document.docx"
    file = StoredFile(sha256=stored.sha256, size=stored.size, media_type=DOCX_TYPE, filename=name,
                      created_by_id=actor.id)
    session.add(file)
    session.flush()
    doc.upload_text = text
    doc.version_number += 1
    doc.modified_at = utcnow()
    version = _snapshot(session, doc, actor, "upload", remark=name, file=file, text=text)
    record(session, actor, AuditAction.UPLOAD, doc, where=where, detail={"sha256": stored.sha256, "size": stored.size})
    indexing.enqueue(session, "document", doc.id)
    return version


def delete_draft(session: Session, *, actor: User, doc: Document, today: date, where: Where | None = None) -> None:
    """:raise AccessDeniedError/NotFoundError: only the author deletes her own draft."""
    access.require(actor, Action.DELETE, doc, today=today)
    if doc.state != DocState.DRAFT:
        raise InvalidStateError()
    record(session, actor, AuditAction.DELETE, doc, where=where, detail={"reference": doc.reference})
    indexing.enqueue(session, "document", doc.id, deleted=True)
    session.delete(doc)


def refresh_text(session: Session, doc: Document, *, threshold: int, today: date) -> None:
    """Recompute the canonical text after a change outside the fields (e.g. a ZRM measurement)."""
    doc.text = document_text(document_render.letter(session, doc, threshold=threshold, on=today))


def open_actions(session: Session, user: User) -> list[ActionItem]:
    """Her open actions from minutes she may view (start page), soonest due first."""
    from sqlalchemy import select

    items = session.scalars(select(ActionItem).where(ActionItem.owner_id == user.id, ActionItem.is_done.is_(False))
                            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)).all()
    return [i for i in items if access.can(user, Action.VIEW, i.document)]
