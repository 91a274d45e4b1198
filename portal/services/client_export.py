"""A client's own file (AVG art. 15, NEN 7513): everything about her in one ZIP, for the privacy officer.

The ZIP holds a readable Dutch PDF index (letters' renderer, with letterhead and page numbers) that
lists every item with its date and kind, the dossier data as JSON, case notes with all versions,
plans of approach with versions and frozen files, consents with their sealed PDFs and signature
files, letters that mention her, uploaded files, and the access log (who viewed or changed her file,
when, what) from the audit trail as PDF and CSV. It is written to a spooled temporary file (memory
up to a few MB, then disk), never built whole in memory. The export itself is audited.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from letters.model import Document as LetterDocument
from letters.model import Heading, KeyValue, Paragraph, Sender, Table
from letters.render_pdf import render_pdf
from portal import access
from portal.archive import Archive, ArchiveError
from portal.audit import AuditAction, Where, record
from portal.models import (
    AuditEntry,
    CaseNote,
    Client,
    Consent,
    Document,
    EmergencyGrant,
    LegalHold,
    StoredFile,
    User,
)
from portal.models.base import utcnow
from portal.services import csv_cells
from portal.vocab import Action

SPOOL_BYTES = 8 * 1024 * 1024
KIND_NL = {"dossier": "Dossiergegevens", "case_note": "Casusnotitie", "plan_of_approach": "Plan van aanpak",
           "consent": "Toestemmingsformulier", "letter": "Brief", "file": "Bestand", "access_log": "Toegangslog"}
ACTION_NL = {"object:view": "bekeken", "object:list": "in een lijst gezien", "object:create": "aangemaakt",
             "object:update": "gewijzigd", "object:finalize": "definitief gemaakt", "object:correct": "gecorrigeerd",
             "object:delete": "verwijderd", "object:download": "gedownload", "object:export": "geëxporteerd",
             "object:upload": "bestand toegevoegd", "access:denied": "geweigerd", "access:emergency": "noodtoegang",
             "consent:sign": "ondertekend", "consent:revoke": "ingetrokken", "sharing:grant": "gedeeld",
             "sharing:revoke": "delen beëindigd", "privacy:client_export": "inzageverzoek geëxporteerd",
             "retention:destroy": "vernietigd", "retention:legal_hold": "bewaarplicht"}


@dataclass
class Manifest:
    """Rows of the PDF index: (date, kind, file name in the ZIP, description)."""

    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, day: date | datetime | None, kind: str, name: str, description: str) -> None:
        when = day.date() if isinstance(day, datetime) else day
        self.rows.append((when.isoformat() if when else "", KIND_NL[kind], name, description[:120]))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()


def _safe(name: str) -> str:
    keep = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
    return keep.strip("-.")[:80] or "bestand"


class _Writer:
    def __init__(self, zf: zipfile.ZipFile, archive: Archive, manifest: Manifest) -> None:
        self.zf, self.archive, self.manifest, self.missing = zf, archive, manifest, 0

    def text(self, name: str, data: bytes) -> None:
        self.zf.writestr(name, data)

    def stored(self, folder: str, stored: StoredFile | None, kind: str, description: str) -> None:
        if stored is None:
            return
        name = f"{folder}/{stored.id}-{_safe(stored.filename or stored.sha256[:12])}"
        try:
            data = self.archive.get(stored.sha256)
        except ArchiveError:
            self.missing += 1
            self.manifest.add(stored.created_at, kind, "(ontbreekt)",
                              f"{description}: bestand ontbreekt in het archief")
            return
        self.zf.writestr(name, data)
        self.manifest.add(stored.created_at, kind, name, description)


def _dossier(session: Session, client: Client) -> dict[str, Any]:
    holds = session.scalars(select(LegalHold).where(LegalHold.client_id == client.id)).all()
    grants = session.scalars(select(EmergencyGrant).where(EmergencyGrant.client_id == client.id)).all()
    return {
        "id": client.id, "code": client.code, "display-name": client.display_name,
        "date-of-birth": _iso(client.date_of_birth), "permit-status": client.permit_status.value,
        "housing": client.housing.value, "financial-administration": client.financial_administration.value,
        "contact-frequency": client.contact_frequency.value, "created-at": _iso(client.created_at),
        "modified-at": _iso(client.modified_at),
        "team": [{"name": a.user.full_name, "role": a.user.role.value, "organisation": a.user.organisation.name,
                  "since": _iso(a.created_at)} for a in client.assignments],
        "emergency-access": [{"user": g.user.full_name, "reason": g.reason, "granted-at": _iso(g.granted_at),
                              "reviewed": g.reviewed} for g in grants],
        "legal-holds": [{"reason": h.reason, "set-at": _iso(h.set_at), "lifted-at": _iso(h.lifted_at)}
                        for h in holds],
    }


def _notes(session: Session, client: Client, w: _Writer) -> None:
    for note in session.scalars(select(CaseNote).where(CaseNote.client_id == client.id).order_by(CaseNote.id)):
        name = f"notities/notitie-{note.id}.json"
        w.text(name, _json({
            "id": note.id, "noted-on": _iso(note.noted_on), "title": note.title, "text": note.text,
            "life-domains": note.life_domains, "data-category": note.data_category.value,
            "confidentiality": note.confidentiality.code, "state": note.state.value, "author": note.author.full_name,
            "created-at": _iso(note.created_at), "modified-at": _iso(note.modified_at),
            "versions": [{"number": v.number, "title": v.title, "text": v.text, "author": v.author.full_name,
                          "created-at": _iso(v.created_at), "correction-reason": v.correction_reason}
                         for v in note.versions],
            "attachments": [{"id": a.id, "filename": a.filename, "media-type": a.media_type, "size": a.size,
                             "uploaded-by": a.uploaded_by.full_name, "uploaded-at": _iso(a.uploaded_at),
                             "file": f"bijlagen/{a.file_id}-{_safe(a.file.filename or a.file.sha256[:12])}",
                             "text": a.text} for a in note.attachments]}))
        w.manifest.add(note.noted_on, "case_note", name, f"{note.title} ({len(note.versions)} versie(s))")
        for a in note.attachments:
            w.stored("bijlagen", a.file, "file", f"Bijlage bij notitie {note.id} ({note.title}): {a.filename}")


def _document_json(doc: Document) -> bytes:
    return _json({
        "id": doc.id, "type": doc.type.value, "reference": doc.reference, "title": doc.title,
        "state": doc.state.value, "fields": doc.fields, "text": doc.text, "owner": doc.owner.full_name,
        "created-at": _iso(doc.created_at), "modified-at": _iso(doc.modified_at), "sent-at": _iso(doc.sent_at),
        "measurements": [{"measured-on": _iso(m.measured_on), "scores": m.scores} for m in doc.measurements],
        "versions": [{"number": v.number, "title": v.title, "fields": v.fields, "text": v.text, "kind": v.kind,
                      "remark": v.remark, "author": v.author.full_name, "created-at": _iso(v.created_at)}
                     for v in doc.versions]})


def _documents(session: Session, client: Client, w: _Writer) -> None:
    plans = session.scalars(select(Document).where(Document.client_id == client.id).order_by(Document.id)).all()
    for doc in plans:
        name = f"plannen/plan-{doc.id}.json"
        w.text(name, _document_json(doc))
        w.manifest.add(doc.modified_at, "plan_of_approach", name, f"{doc.title} ({doc.reference})")
        w.stored("plannen", doc.pdf_file, "plan_of_approach", f"{doc.reference} als PDF")
        w.stored("plannen", doc.docx_file, "plan_of_approach", f"{doc.reference} als DOCX")
        for v in doc.versions:
            w.stored("bestanden", v.file, "file", f"{doc.reference} versie {v.number} (upload)")
    # Letters that name her (project documents never should; if one does, she has a right to it).
    needles = [n for n in (client.code, client.display_name) if len(n) >= 4]
    if not needles:
        return
    mentions = or_(*[Document.text.contains(n) for n in needles], *[Document.upload_text.contains(n) for n in needles])
    for doc in session.scalars(select(Document).where(Document.client_id.is_(None), mentions).order_by(Document.id)):
        name = f"brieven/brief-{doc.id}.json"
        w.text(name, _document_json(doc))
        w.manifest.add(doc.modified_at, "letter", name, f"{doc.title} ({doc.reference}) noemt de cliënt")
        w.stored("brieven", doc.pdf_file, "letter", f"{doc.reference} als PDF")


def _consents(session: Session, client: Client, w: _Writer) -> None:
    for c in session.scalars(select(Consent).where(Consent.client_id == client.id).order_by(Consent.id)):
        name = f"toestemmingen/toestemming-{c.id}.json"
        w.text(name, _json({
            "reference": c.reference, "state": c.state.value, "categories": c.categories, "purpose": c.purpose,
            "organisations": [o.name for o in c.organisations], "starts-on": _iso(c.starts_on),
            "ends-on": _iso(c.ends_on), "signed-at": _iso(c.signed_at), "revoked-on": _iso(c.revoked_on),
            "revocation-reason": c.revocation_reason, "form-version": c.form_version, "language": c.language,
            "signatures": [{"role": s.role, "name": s.signer_name, "method": s.method, "signed-at": _iso(s.signed_at),
                            "content-sha256": s.content_sha256} for s in c.signatures]}))
        w.manifest.add(c.created_at, "consent", name, f"{c.reference} ({c.state.value})")
        w.stored("toestemmingen", c.sealed_file, "consent", f"{c.reference}: verzegeld formulier")
        for s in c.signatures:
            w.stored("bestanden", s.file, "file", f"{c.reference}: handtekening of scan ({s.role})")


def access_log(session: Session, client: Client) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.client_id == client.id)
                                .order_by(AuditEntry.seq)))


def _access_log(session: Session, client: Client, w: _Writer, sender: Sender) -> None:
    rows = access_log(session, client)
    names = dict(session.execute(select(User.username, User.full_name)).all())
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow(["tijdstip", "gebruiker", "naam", "rol", "organisatie", "handeling", "object", "toegestaan",
                  "reden noodtoegang"])
    table_rows = []
    for r in rows:
        obj = f"{r.object_type}:{r.object_id}" if r.object_type else ""
        action = ACTION_NL.get(r.action, r.action)
        row = (r.at.isoformat(timespec="seconds"), r.username, names.get(r.username, ""), r.role, r.organisation,
               action, obj, "ja" if r.allowed else "nee", r.emergency_reason)
        out.writerow([csv_cells.cell(v) for v in row])
        table_rows.append((r.at.strftime("%Y-%m-%d %H:%M"), names.get(r.username, r.username) or "-",
                           r.organisation or "-", action, obj or "-", "ja" if r.allowed else "nee"))
    w.text("toegangslog/toegangslog.csv", buf.getvalue().encode("utf-8-sig"))
    pdf = render_pdf(LetterDocument(
        sender=sender, subject=f"Wie heeft het dossier {client.code} ingezien of gewijzigd", dated_on=utcnow().date(),
        blocks=(Paragraph(f"Uit het logboek van het portaal (NEN 7513): {len(rows)} regels."),
                Table(("Tijdstip", "Wie", "Organisatie", "Handeling", "Object", "Toegestaan"), tuple(table_rows)))
        if table_rows else (Paragraph("Het logboek bevat geen regels over dit dossier."),)))
    w.text("toegangslog/toegangslog.pdf", pdf)
    first = rows[0].at if rows else None
    w.manifest.add(first, "access_log", "toegangslog/toegangslog.pdf", f"Wie keek of wijzigde wat ({len(rows)} regels)")
    w.manifest.add(first, "access_log", "toegangslog/toegangslog.csv", "Hetzelfde logboek als CSV")


def _index_pdf(client: Client, manifest: Manifest, sender: Sender, missing: int) -> bytes:
    blocks: list[Any] = [
        Paragraph("Dit overzicht hoort bij uw verzoek om inzage (artikel 15 AVG). Het ZIP-bestand bevat alle "
                  "gegevens die het portaal over u bewaart, en een logboek van wie uw dossier heeft bekeken of "
                  "gewijzigd, en wanneer."),
        KeyValue((("Dossier", client.code), ("Naam in het dossier", client.display_name),
                  ("Samengesteld op", utcnow().strftime("%Y-%m-%d %H:%M UTC")),
                  ("Aantal onderdelen", str(len(manifest.rows))))),
        Heading("Inhoud", 2),
        Table(("Datum", "Soort", "Bestand", "Omschrijving"), tuple(manifest.rows)),
    ]
    if missing:
        blocks.append(Paragraph(f"Let op: {missing} bestand(en) ontbraken in het archief."))
    return render_pdf(LetterDocument(sender=sender, subject=f"Inzage in uw dossier {client.code}",
                                     dated_on=utcnow().date(), blocks=tuple(blocks)))


def export_client(session: Session, *, actor: User, client: Client, archive: Archive,
                  where: Where | None = None) -> IO[bytes]:
    """Write the client's file as a ZIP to a spooled temporary file (positioned at 0); audit the export.

    :raise AccessDeniedError: the actor is not the privacy officer.
    """
    access.require(actor, Action.EXPORT_CLIENT_FILE)
    org = actor.organisation
    sender = Sender(organisation=org.name, department="Privacyfunctionaris",
                    address_lines=tuple(x.strip() for x in org.address.splitlines() if x.strip()))
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned to the caller
    try:
        manifest = Manifest()
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            w = _Writer(zf, archive, manifest)
            w.text("dossier.json", _json(_dossier(session, client)))
            manifest.add(client.created_at, "dossier", "dossier.json", "Gegevens van het dossier en het team")
            _notes(session, client, w)
            _documents(session, client, w)
            _consents(session, client, w)
            # Audit before the log is read, so the export itself appears in what she receives.
            record(session, actor, AuditAction.CLIENT_EXPORT, client, where=where,
                   detail={"items": len(manifest.rows)})
            _access_log(session, client, w, sender)
            zf.writestr("inhoud.pdf", _index_pdf(client, manifest, sender, w.missing))
        spool.seek(0)
        return spool
    except BaseException:
        spool.close()
        raise
