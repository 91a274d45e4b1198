"""Attachments on case notes (bijlagen): add, remove from a draft, read; access is the note's.

An upload is hostile until proven otherwise. Only its bytes decide what it is (the name and the
type the browser claims decide nothing): a PDF, JPEG or PNG goes through the same checks as a
paper consent scan (encrypted or scripted PDFs, image bombs, truncated files are refused), a DOCX
through the Word-upload checks (zip bombs, password protection, legacy .doc, other zips). The
text of a PDF or DOCX is extracted for search within the index's size and time limits; an image
has none. The file goes to the archive first, then the rows; the note is queued for the index in
the same transaction. A final note's text is immutable, but adding an attachment overwrites
nothing, so whoever may correct the note may add one; removing one is only possible on a draft.
Nothing here commits.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from consent_forms import errors as scan_errors
from consent_forms.signing import check_scan, sniff_media_type
from letters.docx_import import DocxProblem, extract_docx_text
from letters.errors import MalformedDocxError
from portal import access, indexing
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import CaseNote, NoteAttachment, StoredFile, User
from portal.models.base import utcnow
from portal.models.clients import NoteState
from portal.services.errors import StateConflictError, TooLargeError, ValidationError
from portal.vocab import Action
from search_index.extract import DOCX, PDF, extract_text

log = logging.getLogger(__name__)

FIELD = "file"
PNG, JPEG = "image/png", "image/jpeg"
#: Accepted media types (sniffed) and the extension a stored name gets.
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", PNG: ".png", JPEG: ".jpg"}
#: At most this many attachments per note: a note is not a file share.
MAX_PER_NOTE = 20
MAX_NAME = 120
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_TYPES_MESSAGE = _l("Een bijlage moet een PDF-, Word- (.docx), PNG- of JPEG-bestand zijn.")
_SCAN_MESSAGES: dict[type[scan_errors.ConsentError], Any] = {
    scan_errors.EmptyScanError: _l("Het bestand is leeg. Kies een bestand om als bijlage toe te voegen."),
    scan_errors.ScanTooLargeError: _l("De bijlage is te groot (hoogstens 20 MB, 50 pagina's of 60 megapixel)."),
    scan_errors.UnsupportedScanTypeError: _TYPES_MESSAGE,
    scan_errors.EncryptedPdfError: _l(
        "De PDF is versleuteld of met een wachtwoord beveiligd. Voeg een PDF zonder beveiliging toe."),
    scan_errors.ActiveContentPdfError: _l("De PDF bevat scripts of ingesloten bestanden en is geweigerd."),
    scan_errors.MalformedScanError: _l("Het bestand is beschadigd of onvolledig en kan niet worden gelezen."),
}
_DOCX_MESSAGES = {
    DocxProblem.NOT_ZIP: _TYPES_MESSAGE,
    DocxProblem.NOT_DOCX: _TYPES_MESSAGE,
    DocxProblem.LEGACY_DOC: _l("Dit is een oud Word-bestand (.doc). Sla het op als .docx en probeer opnieuw."),
    DocxProblem.ENCRYPTED: _l("Het document is met een wachtwoord beveiligd. Haal de beveiliging eraf."),
    DocxProblem.ZIP_BOMB: _l("Het bestand is verdacht groot als het wordt uitgepakt en is geweigerd."),
    DocxProblem.MALFORMED: _l("Het Word-document is beschadigd en kan niet worden gelezen."),
    DocxProblem.TOO_LARGE: _l("De bijlage is te groot (hoogstens 20 MB, 50 pagina's of 60 megapixel)."),
}


@dataclass(frozen=True)
class CheckedFile:
    media_type: str
    filename: str
    text: str


def _refuse(message: Any, *, too_large: bool = False) -> ValidationError:
    return (TooLargeError if too_large else ValidationError)({FIELD: str(message)})


def safe_filename(name: str, media_type: str) -> str:
    """A display name without path, control or odd characters, ending in the extension of the real type.

    A name is only ever shown and sent in Content-Disposition, never used as a path; still, a
    name like ``..\\..\\boot.ini`` or one with a newline has no business in either.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if (c.isalnum() or c in "._-() ") and unicodedata.category(c)[0] != "C")
    stem, _ext = os.path.splitext(name.strip(" ."))
    stem = stem.strip(" .")[:MAX_NAME] or "bijlage"
    return stem + EXTENSIONS[media_type]


def check_file(data: bytes, filename: str, *, max_bytes: int) -> CheckedFile:
    """What the bytes are, a safe name, and the text for search.

    :raise TooLargeError: (413, 'file') larger than `max_bytes` or the scan limits.
    :raise ValidationError: ('file') empty, not PDF/DOCX/PNG/JPEG, encrypted, scripted, a zip bomb, damaged.
    """
    if not data:
        raise _refuse(_SCAN_MESSAGES[scan_errors.EmptyScanError])
    if len(data) > max_bytes:
        raise _refuse(_SCAN_MESSAGES[scan_errors.ScanTooLargeError], too_large=True)
    text = ""
    if data.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        media_type = DOCX
        try:
            text = extract_docx_text(data, max_bytes=max_bytes)  # the same text as a DOCX document upload
        except MalformedDocxError as exc:
            reason = DocxProblem(exc.reason) if exc.reason in DocxProblem._value2member_map_ else DocxProblem.MALFORMED
            raise _refuse(_DOCX_MESSAGES[reason], too_large=reason == DocxProblem.TOO_LARGE) from exc
        except Exception as exc:  # noqa: BLE001 - a hostile upload is refused with a reason, never a 500
            raise _refuse(_DOCX_MESSAGES[DocxProblem.MALFORMED]) from exc
    else:
        if sniff_media_type(data) is None:
            raise _refuse(_TYPES_MESSAGE)
        try:
            media_type = check_scan(data).media_type
        except scan_errors.ConsentError as exc:
            message = next((m for cls, m in _SCAN_MESSAGES.items() if isinstance(exc, cls)),
                           _SCAN_MESSAGES[scan_errors.MalformedScanError])
            raise _refuse(message, too_large=isinstance(exc, scan_errors.ScanTooLargeError)) from exc
        except Exception as exc:  # noqa: BLE001 - as above
            raise _refuse(_SCAN_MESSAGES[scan_errors.MalformedScanError]) from exc
    if media_type == PDF:
        result = extract_text(data, media_type, max_bytes=max_bytes)
        if result.skipped_reason:
            log.warning("attachment text not extracted: %s", result.skipped_reason)
        text = result.text
    return CheckedFile(media_type, safe_filename(filename, media_type), text)


def add(session: Session, *, actor: User, note: CaseNote, data: bytes, filename: str, archive: Archive,
        max_bytes: int, today: date, where: Where | None = None) -> NoteAttachment:
    """Attach a file to a note (a draft, or a final note she may correct): archive first, then the rows.

    :raise NotFoundError/AccessDeniedError: she may not edit (or correct) the note.
    :raise TooLargeError, ValidationError: ('file') see `check_file`; nothing is saved.
    """
    access.require(actor, Action.EDIT, note, today=today)
    if len(note.attachments) >= MAX_PER_NOTE:
        raise ValidationError({FIELD: str(_l("Een notitie kan hoogstens %(n)s bijlagen hebben.", n=MAX_PER_NOTE))})
    checked = check_file(data, filename, max_bytes=max_bytes)
    stored = archive.put(data)  # archive before database (DESIGN §7)
    file = StoredFile(sha256=stored.sha256, size=stored.size, media_type=checked.media_type,
                      filename=checked.filename, created_by_id=actor.id)
    session.add(file)
    session.flush()
    attachment = NoteAttachment(note=note, file_id=file.id, filename=checked.filename,
                                media_type=checked.media_type, size=stored.size, text=checked.text,
                                uploaded_by_id=actor.id)
    session.add(attachment)
    note.modified_at = utcnow()  # the record changed: its retention period starts again
    session.flush()
    record(session, actor, AuditAction.UPLOAD, note, where=where,
           detail={"attachment": attachment.id, "sha256": stored.sha256, "size": stored.size,
                   "media_type": checked.media_type})
    indexing.enqueue(session, "case_note", note.id)
    return attachment


def remove(session: Session, *, actor: User, note: CaseNote, attachment: NoteAttachment, today: date,
           where: Where | None = None) -> str:
    """Take an attachment off a draft note, with its file row (one per upload, named by nothing else);
    return the SHA-256 of its bytes.

    The archived bytes are not unlinked inside the transaction (a rollback would then lose a file a
    row still names): after the commit the caller passes the hash to `forget_file`. A crash in
    between leaves an orphan that `archive-verify` reports.

    :raise NotFoundError/AccessDeniedError: she may not edit the note.
    :raise StateConflictError: (409) the note is final: what was recorded stays recorded.
    """
    access.require(actor, Action.EDIT, note, today=today)
    if attachment.note_id != note.id:
        raise access.NotFoundError()
    if note.state != NoteState.DRAFT:
        raise StateConflictError({"attachment": str(_l(
            "Een bijlage van een definitieve notitie kan niet worden verwijderd."))})
    record(session, actor, AuditAction.ATTACHMENT_REMOVE, note, where=where,
           detail={"attachment": attachment.id, "sha256": attachment.file.sha256})
    file = attachment.file
    sha256 = file.sha256
    note.attachments.remove(attachment)
    note.modified_at = utcnow()
    session.flush()
    session.delete(file)
    session.flush()
    indexing.enqueue(session, "case_note", note.id)
    return sha256


def forget_file(session: Session, archive: Archive, sha256: str) -> bool:
    """After a removal is committed: unlink the archived bytes if no file row names them any more (the
    same bytes may be another upload's). Removed from a draft means gone, not kept as an orphan."""
    if session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha256).limit(1)) is not None:
        return False
    return archive.remove(sha256)


def get(session: Session, note: CaseNote, attachment_id: int) -> NoteAttachment:
    """An attachment of this note (the caller has checked the note's access).

    :raise NotFoundError: no such attachment on this note.
    """
    attachment = session.get(NoteAttachment, attachment_id)
    if attachment is None or attachment.note_id != note.id:
        raise access.NotFoundError()
    return attachment


def read(session: Session, *, actor: User, note: CaseNote, attachment: NoteAttachment, archive: Archive,
         where: Where | None = None) -> bytes:
    """The attachment's bytes, checked against their hash; every download is audited.

    :raise NotFoundError: she may not view the note.
    """
    access.require(actor, Action.DOWNLOAD, note)
    data = archive.get(attachment.file.sha256)
    record(session, actor, AuditAction.DOWNLOAD, note, where=where,
           detail={"attachment": attachment.id, "sha256": attachment.file.sha256})
    return data


def content_disposition(attachment: NoteAttachment) -> str:
    """`attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266/5987): never inline, so a
    browser does not render a PDF or image from our origin."""
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-()") else "_" for c in attachment.filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.filename, safe='')}"
