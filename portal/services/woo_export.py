"""Export a Woo request: redacted files, the inventory list, and the leak check before release.

Generated documents are re-rendered from their fields with every withheld span replaced by its
ground ('[5.1.2e]'), so the withheld text never reaches the renderer. Uploaded PDFs are rebuilt
from their kept text (`woo.pdf`). Then `woo.leak` extracts the text of every file in the ZIP and
the export is refused if any withheld string is still there (fail closed): nothing is stored,
nothing is released.
"""

from __future__ import annotations

import copy
import dataclasses
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from letters.render_pdf import render_pdf
from portal import access, doctypes
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import StoredFile, User, WooDocument, WooRequest
from portal.models.base import utcnow
from portal.models.documents import DocType
from portal.services import document_render
from portal.services.errors import StateConflictError, ValidationError
from portal.services.woo import PAGE_PROBLEM_TEXT, generated_segments, is_stale, pages, require_open, segments, span_of
from portal.vocab import Action
from woo import leak
from woo.grounds import PRIVACY, ground
from woo.inventory import InventoryRow, build_zip, to_csv, to_pdf
from woo.model import Decision, Span, Status, decide, redact_segments, withheld
from woo.pdf import OutPage, write_pdf

ZIP_TYPE = "application/zip"


@dataclasses.dataclass
class Rendered:
    row: InventoryRow
    data: bytes | None
    secrets: list[str]


def accepted(wdoc: WooDocument) -> list[Span]:
    return [span_of(r) for r in wdoc.redactions if r.status == Status.ACCEPTED]


def _label(wdoc: WooDocument) -> str:
    return f"{wdoc.position}. {wdoc.title}"


def _refuse(field: str, message: object, **kw: object) -> StateConflictError:
    return StateConflictError({field: str(message) % kw if kw else str(message)})


def render_generated(session: Session, wdoc: WooDocument, spans: list[Span], *, threshold: int) -> tuple[bytes, str]:
    """(PDF, redacted title) of a letter re-rendered from its fields with the withheld spans left out.

    :raise StateConflictError: a redaction makes the fields unbuildable (e.g. half an amount in a budget line).
    """
    doc = wdoc.document
    assert doc is not None
    red = redact_segments(generated_segments(doc), spans)
    fields = copy.deepcopy(doc.fields)
    for name, text in red.items():
        if name == "title":
            continue
        if "." in name:
            field, index, column = name.split(".")
            fields[field][int(index)][column] = text
        else:
            fields[name] = text
    ctx = document_render.context(session, doc, threshold=threshold, fields=fields, title=red["title"],
                                  on=doc.sent_at.date() if doc.sent_at else doc.modified_at.date())
    if doc.type == DocType.MINUTES:
        # Owners of actions are staff members; their names are printed from the user table, not a field.
        ctx = dataclasses.replace(ctx, user_names={k: ground(PRIVACY).marker for k in ctx.user_names})
    try:
        letter = doctypes.build(doctypes.kind_of(doc.type), fields, ctx)
    except ValidationError as exc:
        raise _refuse("document", _l("%(doc)s: met deze lakkingen is het document niet meer op te bouwen (%(why)s). "
                                     "Lak de hele regel of maak het document niet openbaar."),
                      doc=_label(wdoc), why="; ".join(exc.errors.values())) from exc
    return render_pdf(letter, invariant=True), red["title"]


def _file_name(wdoc: WooDocument) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", wdoc.document.reference if wdoc.document else "bijlage").strip("-")
    return f"{wdoc.position:02d}-{slug or 'document'}.pdf"


def render_one(session: Session, req: WooRequest, wdoc: WooDocument, *, archive: Archive,
               threshold: int) -> Rendered:
    segs = segments(wdoc, archive)
    spans = accepted(wdoc)
    secrets = withheld(segs, spans)
    grounds = sorted({s.ground for s in spans})
    withheld_pages: list[tuple[int, str]] = []
    if wdoc.file is not None:
        withheld_pages = [(p.number, p.problem) for p in pages(wdoc, archive) if p.problem]
        if withheld_pages:
            grounds = sorted({*grounds, PRIVACY})
    auto = decide(accepted=len(spans), withheld_pages=len(withheld_pages),
                  pages=len(withheld_pages) + len(segs) if wdoc.file is not None else 0)
    decision = Decision(wdoc.decision) if wdoc.decision else auto
    if decision == Decision.PUBLIC and auto != Decision.PUBLIC:
        raise _refuse("decision", _l("%(doc)s: beoordeeld als openbaar, maar er zijn lakkingen of geweigerde "
                                     "pagina's. Kies 'deels openbaar' of verwijder de lakkingen."), doc=_label(wdoc))
    remark = [wdoc.remark] if wdoc.remark else []
    remark += [str(_l("Pagina %(n)s geheel geweigerd: %(why)s.")) % {"n": n, "why": PAGE_PROBLEM_TEXT[why]}
               for n, why in withheld_pages]
    title = redact_segments({"title": wdoc.title}, [s for s in spans if s.segment == "title"])["title"] \
        if wdoc.document is not None else wdoc.title
    data = None
    if decision == Decision.NOT_PUBLIC:
        grounds = sorted({*grounds, wdoc.decision_ground} - {""})
    elif wdoc.document is not None:
        data, title = render_generated(session, wdoc, spans, threshold=threshold)
        if wdoc.document.type == DocType.MINUTES and wdoc.document.fields.get("actions"):
            grounds = sorted({*grounds, PRIVACY})
    else:
        red = redact_segments(segs, spans)
        data = write_pdf([OutPage(red[p.segment]) if p.problem is None
                          else OutPage(None, PRIVACY, str(PAGE_PROBLEM_TEXT[p.problem])) for p in pages(wdoc, archive)],
                         heading=f"{req.reference} - {wdoc.position}")
    row = InventoryRow(wdoc.position, title, wdoc.document.reference if wdoc.document else "", wdoc.dated_on,
                       decision, tuple(grounds), " ".join(remark), _file_name(wdoc) if data else "")
    return Rendered(row, data, secrets)


def check_ready(req: WooRequest, archive: Archive, actor: User) -> None:
    """:raise StateConflictError: naming each document that is not ready (no longer visible to the handler, no
    proposals, changed, open proposals)."""
    if not req.documents:
        raise _refuse("request", _l("Voeg eerst documenten toe aan het verzoek."))
    problems: dict[str, str] = {}
    for wdoc in req.documents:
        key = f"document-{wdoc.position}"
        if wdoc.document is not None and not access.can(actor, Action.VIEW, wdoc.document):
            problems[key] = str(_l("Document %(n)s: u mag dit document niet meer inzien; haal het uit het verzoek."
                                   )) % {"n": wdoc.position}
        elif not wdoc.fingerprint:
            problems[key] = str(_l("%(doc)s: nog geen lakvoorstellen gemaakt.")) % {"doc": _label(wdoc)}
        elif is_stale(wdoc, archive):
            problems[key] = str(_l("%(doc)s: gewijzigd nadat de lakvoorstellen zijn gemaakt; laat opnieuw "
                                   "voorstellen maken.")) % {"doc": _label(wdoc)}
        elif open_count := sum(1 for r in wdoc.redactions if r.status == Status.PROPOSED):
            problems[key] = str(_l("%(doc)s: %(n)s lakvoorstel(len) nog niet beoordeeld.")) % {
                "doc": _label(wdoc), "n": open_count}
    if problems:
        raise StateConflictError(problems)


def export(session: Session, *, actor: User, req: WooRequest, archive: Archive, threshold: int,
           where: Where | None = None) -> bytes:
    """Build the ZIP, run the leak check, and only then store and release it.

    :raise StateConflictError: not ready (see check_ready), a redaction breaks a document, or the leak
        check found withheld text (the message names the files, never the text).
    """
    access.require(actor, Action.EDIT, req)
    require_open(req)
    check_ready(req, archive, actor)
    files: dict[str, bytes] = {}
    rows: list[InventoryRow] = []
    secrets: list[str] = []
    for wdoc in req.documents:
        done = render_one(session, req, wdoc, archive=archive, threshold=threshold)
        rows.append(done.row)
        secrets += done.secrets
        if done.data is not None:
            files[done.row.file_name] = done.data
    files["inventarislijst.csv"] = to_csv(rows)
    files["inventarislijst.pdf"] = to_pdf(rows, title=req.title, reference=req.reference)
    leaks = leak.find_leaks(files, secrets)
    if leaks:
        raise _refuse("export", _l("De lekcontrole heeft de export tegengehouden: %(files)s. Lak ook de andere "
                                   "plaatsen van deze tekst of pas de titel aan."),
                      files=", ".join(sorted({name for name, _ in leaks})))
    data = build_zip(files)
    stored = archive.put(data)
    file = StoredFile(sha256=stored.sha256, size=stored.size, media_type=ZIP_TYPE,
                      filename=f"{req.reference.replace('/', '-')}.zip", created_by_id=actor.id)
    session.add(file)
    session.flush()
    req.export_file = file
    req.state, req.exported_at = "exported", utcnow()
    record(session, actor, AuditAction.WOO_EXPORT, req, where=where,
           detail={"sha256": stored.sha256, "files": len(files), "withheld": len(set(secrets))})
    return data
