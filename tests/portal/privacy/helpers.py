"""Old records and lists for the privacy tests."""

from __future__ import annotations

from datetime import date, timedelta

from portal import indexing
from portal.archive import Archive
from portal.models import CaseNote, CaseNoteVersion, Consent, NoteAttachment, StoredFile
from portal.models.base import today, utcnow
from portal.models.consents import ConsentState
from portal.services import destruction, note_attachments, retention
from portal.web.search_glue import get_index
from tests.factories import create_note

YEARS = {"case_note": 20, "plan_of_approach": 20, "consent": 5}
LONG_AGO = timedelta(days=365 * 21 + 10)


def old_note(session, world, *, text: str = "Oude notitie.", title: str = "Gesprek") -> CaseNote:  # noqa: ANN001
    """A final note on the `own` dossier, last changed 21 years ago (due under the 20-year rule)."""
    note = create_note(session, world.clients["own"], world.users["case_manager"], title=title, text=text)
    session.add(CaseNoteVersion(note_id=note.id, number=2, title=title, text=text + " (correctie)",
                                author_id=note.author_id))
    note.version_number = 2
    note.created_at = note.modified_at = utcnow() - LONG_AGO
    session.flush()
    indexing.enqueue(session, "case_note", note.id)
    return note


def attach_old(session, app, note: CaseNote, data: bytes, filename: str = "bijlage.pdf") -> NoteAttachment:  # noqa: ANN001
    """Attach a file through the service, then age the note again (adding restarts its retention clock)."""
    archive = Archive(app.config["PORTAL"].instance_path / "archive")
    attachment = note_attachments.add(session, actor=note.author, note=note, data=data, filename=filename,
                                      archive=archive, max_bytes=20 * 1024 * 1024, today=today())
    note.modified_at = utcnow() - LONG_AGO
    session.flush()
    return attachment


def old_consent(session, world, app, *, payload: bytes = b"%PDF-1.7 sealed") -> Consent:  # noqa: ANN001
    """A consent of the `own` dossier that ended six years ago, with a sealed file in the archive."""
    stored = Archive(app.config["PORTAL"].instance_path / "archive").put(payload)
    f = StoredFile(sha256=stored.sha256, size=stored.size, media_type="application/pdf", filename="sealed.pdf")
    session.add(f)
    session.flush()
    d = today()
    consent = Consent(client_id=world.clients["own"].id, created_by_id=world.users["case_manager"].id,
                      reference=f"OLD/{d.year - 7}/0001", categories=["general"], purpose="oud",
                      starts_on=d - timedelta(days=365 * 7), ends_on=d - timedelta(days=365 * 6),
                      state=ConsentState.SIGNED, signed_at=utcnow() - timedelta(days=365 * 7), sealed_file_id=f.id,
                      sealed_sha256=stored.sha256)
    consent.created_at = utcnow() - timedelta(days=365 * 7)
    session.add(consent)
    session.flush()
    return consent


def index_now(session) -> None:  # noqa: ANN001
    session.commit()
    indexing.drain(session, get_index())


def destroy(session, app, po, keys) -> destruction.Outcome:  # noqa: ANN001
    """Propose, approve and execute a list of `keys`, then scrub: the whole path of the CLI and the page."""
    dl = retention.propose(session, actor=po, today=today(), years=YEARS, keys=keys)
    retention.approve(session, actor=po, dl=dl)
    outcome = destruction.execute(session, actor=po, dl=dl, today=today(), years=YEARS)
    session.commit()
    destruction.scrub(session, archive=Archive(app.config["PORTAL"].instance_path / "archive"), index=get_index(),
                      docs=lambda: indexing.all_docs(session), engine=session.get_bind())
    return outcome


def on_day(years_ago: int) -> date:
    return today() - timedelta(days=365 * years_ago)
