"""Woo requests: open one, select documents, let the portal propose redactions, review them.

The domain work (detectors, spans, overlap) is in `woo/`; this module feeds it the document text
and what the database knows (names of clients and staff, notes in special categories) and keeps
the results. Export is in `portal.services.woo_export`. Nothing here commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import access, doctypes
from portal.access import woo as woo_access
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import CaseNote, Client, Document, StoredFile, User, WooDocument, WooRedaction, WooRequest
from portal.models.base import utcnow
from portal.models.clients import NoteState
from portal.services.errors import StateConflictError, TooLargeError, ValidationError
from portal.services.references import next_reference
from portal.vocab import Action, DataCategory
from woo import detect, pdf
from woo.errors import InvalidSpanError, MalformedPdfError, OverlapError, UnknownGroundError
from woo.grounds import GROUNDS
from woo.model import Decision, Span, Status, check_no_overlap, check_span, find_span, fingerprint

#: Dossier categories whose text is special personal data (5.1.1d) when it turns up in a document.
SPECIAL_CATEGORIES = (DataCategory.HEALTH, DataCategory.MENTAL_HEALTH, DataCategory.ADDICTION,
                      DataCategory.SEXUAL_HEALTH, DataCategory.JUSTICE)
#: Field kinds whose text is redactable; other kinds (dates, times, choices) hold no free text.
TEXT_KINDS = frozenset({"text", "line", "lines"})
PDF_TYPE = "application/pdf"

_PDF_MESSAGES = {
    "too_large": _l("Het PDF-bestand is te groot."), "not_pdf": _l("Dit is geen PDF-bestand."),
    "encrypted": _l("Het PDF-bestand is versleuteld; upload een onversleutelde versie."),
    "too_many_pages": _l("Het PDF-bestand heeft te veel pagina's."),
    "malformed": _l("Het PDF-bestand is beschadigd of onleesbaar."),
}
PAGE_PROBLEM_TEXT = {
    "images": _l("bevat afbeeldingen; tekst daarin kan niet worden gecontroleerd"),
    "no_text": _l("heeft geen leesbare tekstlaag (scan)"),
    "unknown_font": _l("gebruikt een lettertype zonder tekstcodering"),
    "unreadable": _l("kon niet worden gelezen"),
}


def _err(field: str, message: Any, **kw: Any) -> dict[str, str]:
    return {field: str(message) % kw if kw else str(message)}


# --- requests and documents ---------------------------------------------------------------------


def create_request(session: Session, *, actor: User, title: str, requester_reference: str, received_on: date | None,
                   reviewer_id: int | None, today: date, where: Where | None = None) -> WooRequest:
    """:raise AccessDeniedError: she may not handle Woo requests. :raise ValidationError: naming the field."""
    access.require(actor, Action.CREATE_WOO)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title or len(title) > 200:
        errors |= _err("title", _l("Vul een titel in van hoogstens 200 tekens."))
    if len((requester_reference or "").strip()) > 100:
        errors |= _err("requester_reference", _l("Het kenmerk van de verzoeker mag hoogstens 100 tekens hebben."))
    if received_on is None or received_on > today:
        errors |= _err("received_on", _l("Vul een geldige datum van ontvangst in, niet in de toekomst."))
    reviewer = session.get(User, reviewer_id) if reviewer_id else None
    if reviewer is None or not woo_access.may_review(reviewer, handler=actor):
        errors |= _err("reviewer", _l("Kies een beoordelaar: een andere privacyfunctionaris of de projectleider."))
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    assert reviewer is not None
    req = WooRequest(reference=str(next_reference(session, "WOO", today.year)), title=title,
                     requester_reference=requester_reference.strip(), received_on=received_on, owner_id=actor.id,
                     reviewer_id=reviewer.id)
    session.add(req)
    session.flush()
    record(session, actor, AuditAction.WOO_CREATE, req, where=where, detail={"reference": req.reference})
    return req


def reviewer_candidates(session: Session, handler: User) -> list[User]:
    users = session.scalars(select(User).where(User.is_active_flag.is_(True)).order_by(User.full_name)).all()
    return [u for u in users if woo_access.may_review(u, handler=handler)]


def require_open(req: WooRequest) -> None:
    if req.state != "open":
        raise StateConflictError(_err("request", _l(
            "Dit verzoek is al geëxporteerd en kan niet meer worden gewijzigd.")))


def selectable_documents(session: Session, actor: User, req: WooRequest) -> list[Document]:
    """Project documents she may view that are not in the request yet."""
    taken = {w.document_id for w in req.documents}
    docs = session.scalars(select(Document).where(Document.client_id.is_(None)).order_by(Document.reference)).all()
    return [d for d in docs if d.id not in taken and access.can(actor, Action.VIEW, d)]


def add_document(session: Session, *, actor: User, req: WooRequest, doc_id: int | None,
                 where: Where | None = None) -> WooDocument:
    """Add a letter or plan of the portal. :raise ValidationError: ('document') unknown, unseen, a client
    plan or already in the request. :raise StateConflictError: the request was exported."""
    access.require(actor, Action.EDIT, req)
    require_open(req)
    doc = session.get(Document, doc_id) if doc_id else None
    if doc is None or not access.can(actor, Action.VIEW, doc):
        raise ValidationError(_err("document", _l("Kies een document dat u mag inzien.")))
    if doc.client_id is not None:
        raise ValidationError(_err("document", _l("Een plan van aanpak uit een cliëntdossier komt niet in een "
                                                  "Woo-besluit; het is in zijn geheel niet openbaar.")))
    if doc.upload_text.strip():
        # The latest version was edited in Word: re-rendering the fields would not give what was sent.
        raise ValidationError(_err("document", _l("Dit document is in Word bewerkt; de velden zijn niet meer de "
                                                  "definitieve tekst. Upload de definitieve versie als PDF.")))
    if any(w.document_id == doc.id for w in req.documents):
        raise ValidationError(_err("document", _l("Dit document zit al in het verzoek.")))
    wdoc = WooDocument(request=req, position=len(req.documents) + 1, document=doc, title=doc.title,
                       dated_on=(doc.sent_at or doc.modified_at).date())
    session.add(wdoc)
    session.flush()
    record(session, actor, AuditAction.WOO_ADD_DOCUMENT, req, where=where,
           detail={"woo_document": wdoc.id, "document": doc.id})
    return wdoc


def add_upload(session: Session, *, actor: User, req: WooRequest, title: str, dated_on: date | None, data: bytes,
               filename: str, archive: Archive, where: Where | None = None) -> WooDocument:
    """Add an uploaded PDF (archive first, then the rows).

    :raise TooLargeError: (413, 'file'). :raise ValidationError: ('file', 'title') not a readable PDF.
    """
    access.require(actor, Action.EDIT, req)
    require_open(req)
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ValidationError(_err("title", _l("Vul een titel in van hoogstens 200 tekens.")))
    if not data:
        raise ValidationError(_err("file", _l("Kies een PDF-bestand.")))
    try:
        pdf.read_pages(data)
    except MalformedPdfError as exc:
        message = str(_PDF_MESSAGES.get(exc.reason, _PDF_MESSAGES["malformed"]))
        raise (TooLargeError if exc.reason == "too_large" else ValidationError)({"file": message}) from exc
    except Exception as exc:  # noqa: BLE001 - a hostile upload is refused with a reason, never a 500
        raise ValidationError({"file": str(_PDF_MESSAGES["malformed"])}) from exc
    stored = archive.put(data)
    name = "".join(c for c in (filename or "document.pdf") if c.isalnum() or c in "._- ")[:200] or "document.pdf"
    file = StoredFile(sha256=stored.sha256, size=stored.size, media_type=PDF_TYPE, filename=name,
                      created_by_id=actor.id)
    session.add(file)
    session.flush()
    wdoc = WooDocument(request=req, position=len(req.documents) + 1, file=file, title=title, dated_on=dated_on)
    session.add(wdoc)
    session.flush()
    record(session, actor, AuditAction.WOO_ADD_DOCUMENT, req, where=where,
           detail={"woo_document": wdoc.id, "sha256": stored.sha256, "size": stored.size})
    return wdoc


def remove_document(session: Session, *, actor: User, req: WooRequest, wdoc: WooDocument,
                    where: Where | None = None) -> None:
    """Take a document out of the request again, with its redactions; the others are renumbered."""
    access.require(actor, Action.EDIT, req)
    require_open(req)
    req.documents.remove(wdoc)
    session.flush()
    for i, other in enumerate(req.documents, start=1):
        other.position = i
    record(session, actor, AuditAction.WOO_REMOVE_DOCUMENT, req, where=where, detail={"woo_document": wdoc.id})


def withheld_pages(wdoc: WooDocument, archive: Archive) -> list[tuple[int, str]]:
    """(page number, reason) of the pages of an upload that are withheld whole."""
    if wdoc.file is None:
        return []
    return [(p.number, str(PAGE_PROBLEM_TEXT[p.problem])) for p in pages(wdoc, archive) if p.problem]


# --- text segments ------------------------------------------------------------------------------


def generated_segments(doc: Document) -> dict[str, str]:
    """The redactable text of a letter: its title, each free-text field and each text cell of a table."""
    kind = doctypes.kind_of(doc.type)
    out = {"title": doc.title}
    for f in kind.fields:
        value = doc.fields.get(f.name)
        if f.kind in TEXT_KINDS and isinstance(value, str) and value.strip():
            out[f.name] = value
        elif f.kind == "rows" and isinstance(value, list):
            for i, row in enumerate(value):
                for col in f.columns:
                    cell = row.get(col.name) if isinstance(row, dict) else None
                    if col.kind in {"line", "short"} and isinstance(cell, str) and cell.strip():
                        out[f"{f.name}.{i}.{col.name}"] = cell
    return out


def segment_label(wdoc: WooDocument, name: str) -> str:
    """What a reviewer calls a segment: the field's label, 'Titel', 'Pagina 2', 'Actielijst, regel 3'."""
    if name == "title":
        return str(_l("Titel"))
    if name.startswith("page-"):
        return str(_l("Pagina %(n)s")) % {"n": name[5:]}
    if wdoc.document is None:
        return name
    kind = doctypes.kind_of(wdoc.document.type)
    field_name, _sep, rest = name.partition(".")
    f = kind.field(field_name)
    label = str(f.label) if f else field_name
    if rest:
        return str(_l("%(label)s, regel %(n)s")) % {"label": label, "n": int(rest.split(".")[0]) + 1}
    return label


def pages(wdoc: WooDocument, archive: Archive) -> list[pdf.PageText]:
    assert wdoc.file is not None
    return pdf.read_pages(archive.get(wdoc.file.sha256))


def segments(wdoc: WooDocument, archive: Archive) -> dict[str, str]:
    """Segment name -> text of a document in a request, as it is now."""
    if wdoc.document is not None:
        return generated_segments(wdoc.document)
    return {p.segment: p.text for p in pages(wdoc, archive) if p.problem is None}


def is_stale(wdoc: WooDocument, archive: Archive) -> bool:
    """Proposed on a different text than the document has now (it was edited since)."""
    return bool(wdoc.fingerprint) and wdoc.fingerprint != fingerprint(segments(wdoc, archive))


def known_names(session: Session) -> list[str]:
    """Names the database knows: clients (pseudonyms included), staff and partners' people."""
    names = list(session.scalars(select(Client.display_name)).all())
    names += list(session.scalars(select(User.full_name)).all())
    return [n for n in names if n and n.strip()]


def special_passages(session: Session) -> list[str]:
    """Text of final notes in health, addiction and justice categories (never shown; only matched)."""
    return list(session.scalars(select(CaseNote.text).where(CaseNote.data_category.in_(SPECIAL_CATEGORIES),
                                                            CaseNote.state == NoteState.FINAL)).all())


# --- proposing and reviewing --------------------------------------------------------------------


def in_force(wdoc: WooDocument) -> list[WooRedaction]:
    return [r for r in wdoc.redactions if r.status != Status.REMOVED]


def span_of(r: WooRedaction) -> Span:
    return Span(r.segment, r.start, r.end, r.ground)


def propose(session: Session, *, actor: User, req: WooRequest, wdoc: WooDocument, archive: Archive,
            where: Where | None = None) -> int:
    """Run the detectors on the document as it is now; earlier redactions are dropped (their positions
    belong to the old text), the reviewer's decision too. Returns the number of proposals."""
    access.require(actor, Action.EDIT, req)
    require_open(req)
    segs = segments(wdoc, archive)
    names, passages = known_names(session), special_passages(session)
    wdoc.redactions.clear()
    session.flush()
    count = 0
    for name, text in segs.items():
        for f in detect.find_all(text, names=names, passages=passages):
            wdoc.redactions.append(WooRedaction(segment=name, start=f.start, end=f.end, ground=f.ground,
                                                kind=f.kind, created_by_id=actor.id))
            count += 1
    wdoc.fingerprint = fingerprint(segs)
    wdoc.proposed_at = utcnow()
    wdoc.decision, wdoc.decision_ground = "", ""
    session.flush()
    record(session, actor, AuditAction.WOO_PROPOSE, req, where=where,
           detail={"woo_document": wdoc.id, "proposals": count})
    return count


def _require_fresh(wdoc: WooDocument, archive: Archive) -> None:
    if not wdoc.fingerprint:
        raise StateConflictError(_err("document", _l("Laat eerst lakvoorstellen maken voor dit document.")))
    if is_stale(wdoc, archive):
        raise StateConflictError(_err("document", _l(
            "Het document is gewijzigd nadat de lakvoorstellen zijn gemaakt. Laat opnieuw voorstellen maken.")))


def _check_ground(code: str, field: str = "ground") -> str:
    if code not in GROUNDS:
        raise ValidationError(_err(field, _l("Kies een weigeringsgrond uit de lijst.")))
    return code


def add_redaction(session: Session, *, actor: User, req: WooRequest, wdoc: WooDocument, segment: str, text: str,
                  occurrence: int, ground: str, archive: Archive, where: Where | None = None) -> WooRedaction:
    """The reviewer adds a redaction by quoting the text (and which occurrence) in one segment.

    :raise ValidationError: ('segment', 'text', 'ground') unknown, not found, or overlapping another redaction.
    :raise StateConflictError: the document changed since the proposals.
    """
    access.require(actor, Action.REVIEW, req)
    require_open(req)
    _require_fresh(wdoc, archive)
    _check_ground(ground)
    segs = segments(wdoc, archive)
    if segment not in segs:
        raise ValidationError(_err("segment", _l("Kies een onderdeel van het document.")))
    found = find_span(segs, segment, text or "", occurrence)
    if found is None:
        raise ValidationError(_err("text", _l("Deze tekst komt (zo vaak) niet voor in het gekozen onderdeel.")))
    span = Span(segment, found.start, found.end, ground)
    try:
        check_span(segs, span)
        check_no_overlap([span_of(r) for r in in_force(wdoc)], span)
    except OverlapError as exc:
        raise ValidationError(_err("text", _l(
            "Deze lakking overlapt een bestaande lakking (tekens %(a)s-%(b)s). Verwijder die eerst of kies "
            "een andere tekst."), a=exc.other[0], b=exc.other[1])) from exc
    except (InvalidSpanError, UnknownGroundError) as exc:
        raise ValidationError(_err("text", _l("Deze tekst kan niet worden gelakt (leeg of ongeldig)."))) from exc
    r = WooRedaction(segment=segment, start=span.start, end=span.end, ground=ground, kind="manual",
                     status=Status.ACCEPTED, created_by_id=actor.id, decided_by_id=actor.id, decided_at=utcnow())
    wdoc.redactions.append(r)
    session.flush()
    record(session, actor, AuditAction.WOO_REDACTION, req, where=where,
           detail={"woo_document": wdoc.id, "redaction": r.id, "status": "added", "ground": ground})
    return r


def set_redaction(session: Session, *, actor: User, req: WooRequest, redaction: WooRedaction, status: str,
                  ground: str | None, archive: Archive, where: Where | None = None) -> None:
    """Accept (optionally with another ground) or remove a redaction; re-instating a removed one checks overlap.

    :raise ValidationError: ('status', 'ground'). :raise StateConflictError: the document changed.
    """
    access.require(actor, Action.REVIEW, req)
    require_open(req)
    wdoc = redaction.woo_document
    _require_fresh(wdoc, archive)
    if status not in {Status.ACCEPTED, Status.REMOVED}:
        raise ValidationError(_err("status", _l("Kies accepteren of verwijderen.")))
    if ground:
        redaction.ground = _check_ground(ground)
    if status == Status.ACCEPTED and redaction.status == Status.REMOVED:
        others = [span_of(r) for r in in_force(wdoc) if r.id != redaction.id]
        try:
            check_no_overlap(others, span_of(redaction))
        except OverlapError as exc:
            raise ValidationError(_err("status", _l("Deze lakking overlapt een andere die nog geldt."))) from exc
    redaction.status = status
    redaction.decided_by_id, redaction.decided_at = actor.id, utcnow()
    session.flush()
    record(session, actor, AuditAction.WOO_REDACTION, req, where=where,
           detail={"woo_document": wdoc.id, "redaction": redaction.id, "status": status, "ground": redaction.ground})


def set_decision(session: Session, *, actor: User, req: WooRequest, wdoc: WooDocument, decision: str, ground: str,
                 remark: str, where: Where | None = None) -> None:
    """The reviewer's decision for one document; 'not public' needs a ground.

    :raise ValidationError: ('decision', 'ground', 'remark').
    """
    access.require(actor, Action.REVIEW, req)
    require_open(req)
    if decision not in {"", *Decision}:
        raise ValidationError(_err("decision", _l("Kies een beoordeling uit de lijst.")))
    if decision == Decision.NOT_PUBLIC:
        _check_ground(ground)
    if len(remark or "") > 1000:
        raise ValidationError(_err("remark", _l("De toelichting mag hoogstens 1000 tekens hebben.")))
    wdoc.decision = decision
    wdoc.decision_ground = ground if decision == Decision.NOT_PUBLIC else ""
    wdoc.remark = (remark or "").strip()
    session.flush()
    record(session, actor, AuditAction.WOO_DECISION, req, where=where,
           detail={"woo_document": wdoc.id, "decision": decision, "ground": wdoc.decision_ground})


def pieces(text: str, redactions: list[WooRedaction], segment: str) -> list[tuple[str, WooRedaction | None]]:
    """A segment's text cut at its redactions, for the review page: (text, redaction or None)."""
    out: list[tuple[str, WooRedaction | None]] = []
    pos = 0
    for r in sorted((r for r in redactions if r.segment == segment), key=lambda r: r.start):
        if r.start < pos:
            continue  # a removed redaction under a later one; the list below still shows it
        out += [(text[pos:r.start], None), (text[r.start:r.end], r)]
        pos = r.end
    out.append((text[pos:], None))
    return [p for p in out if p[0]]
