"""Executing an approved destruction list: rows, versions, files, index entries; then the scrub.

Two phases. `execute` runs in the caller's transaction: it re-checks every item (still due, no legal
hold), deletes the rows, writes a tombstone per record and audits it; any failure rolls the whole
list back, so nothing is half-destroyed. After the commit, `scrub` removes what lingers outside the
live rows: the archive files, the dead documents in the search index's segments, and the old page
images in SQLite's write-ahead log and free pages (VACUUM, then a TRUNCATE checkpoint); on
PostgreSQL, VACUUM FULL of the affected tables rewrites them without the dead tuples. `scrub` is
idempotent: after a crash between the phases it is simply run again (`flask --app portal retention
--scrub`).

Audit rows about destroyed records stay as they are: they hold who looked at what and when (the
object type and id, never its content), and the hash chain stays verifiable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal import access, indexing
from portal.archive import Archive
from portal.audit import AuditAction, Where, record
from portal.models import (
    CaseNote,
    Consent,
    DestructionItem,
    DestructionList,
    Document,
    LocalRole,
    StoredFile,
    Tombstone,
    User,
    WooDocument,
)
from portal.models.base import utcnow
from portal.models.retention import ListState
from portal.services.errors import StateConflictError
from portal.services.retention import due, held_client_ids, rule_text
from portal.vocab import Action
from search_index import IndexDoc, SearchBackend

log = logging.getLogger(__name__)

#: Tables whose rows destruction deletes: VACUUM FULL on PostgreSQL.
TOUCHED_TABLES = ("case_notes", "case_note_versions", "note_attachments", "documents", "document_versions",
                  "review_requests", "review_comments", "zrm_measurements", "action_items", "consents",
                  "consent_signatures", "consent_organisations", "stored_files", "local_roles", "index_outbox",
                  "destruction_items")


class ScrubError(RuntimeError):
    """The database could not be scrubbed (a reader kept the write-ahead log busy); run the scrub again."""


@dataclass(frozen=True)
class Outcome:
    destroyed: int
    skipped: int


def _file_ids_of(obj: object) -> list[int | None]:
    if isinstance(obj, Document):
        return [obj.pdf_file_id, obj.docx_file_id, *(v.file_id for v in obj.versions)]
    if isinstance(obj, Consent):
        return [obj.sealed_file_id, *(s.file_id for s in obj.signatures)]
    if isinstance(obj, CaseNote):
        return [a.file_id for a in obj.attachments]
    return []


def _versions_of(obj: object) -> int:
    return len(obj.versions) if isinstance(obj, CaseNote | Document) else 0


def _load(session: Session, item: DestructionItem) -> object | None:
    model = {"case_note": CaseNote, "document": Document, "consent": Consent}[item.object_type]
    return session.get(model, item.object_id)


def _destroy(session: Session, item: DestructionItem, obj: object) -> tuple[list[str], int, int]:
    """Delete the record, its versions and attachments, its local roles and its file rows; return hashes to
    unlink."""
    file_ids = sorted({i for i in _file_ids_of(obj) if i is not None})
    versions = _versions_of(obj)
    if isinstance(obj, Consent):
        session.execute(update(Consent).where(Consent.renewed_from_id == obj.id).values(renewed_from_id=None))
    session.execute(delete(LocalRole).where(LocalRole.object_type == item.object_type,
                                            LocalRole.object_id == item.object_id))
    session.delete(obj)
    session.flush()
    hashes: set[str] = set()
    for file_id in file_ids:
        stored = session.get(StoredFile, file_id)
        if stored is not None:
            hashes.add(stored.sha256)
            session.delete(stored)
    session.flush()
    return sorted(hashes), versions, len(file_ids)


def execute(session: Session, *, actor: User, dl: DestructionList, today: date, years: dict[str, int],
            where: Where | None = None) -> Outcome:
    """Destroy the items of an approved list, in the caller's transaction. Call `scrub` after the commit.

    :raise StateConflictError: the list is not approved (or already executed).
    """
    access.require(actor, Action.MANAGE_RETENTION)
    if dl.state != ListState.APPROVED or dl.approved_by_id is None or dl.approved_at is None:
        raise StateConflictError({"list": str(_l("Alleen een goedgekeurde vernietigingslijst kan worden "
                                                 "uitgevoerd."))})
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete=ON"))  # deleted cells are overwritten with zeros
    held = held_client_ids(session)
    still_due = {r.key for r in due(session, today=today, years=years)}
    destroyed = skipped = 0
    now = utcnow()
    for item in dl.items:
        obj = _load(session, item)
        reason = ""
        if obj is None:
            reason = "not found"
        elif item.client_id in held:
            reason = "legal hold"
        elif (item.object_type, item.object_id) not in still_due:
            reason = "no longer due"
        elif item.object_type == "document" and session.scalar(
                select(WooDocument.id).where(WooDocument.document_id == item.object_id).limit(1)) is not None:
            reason = "in a Woo request"  # the request's decision needs it: a hold in all but name
        if reason:
            item.outcome, item.outcome_reason = "skipped", reason
            skipped += 1
            continue
        record(session, actor, AuditAction.DESTROY, obj, where=where,
               detail={"list": dl.id, "kind": item.kind, "reference": item.reference})
        created_on = obj.created_at.date()  # type: ignore[attr-defined]
        hashes, versions, n_files = _destroy(session, item, obj)
        if item.object_type in indexing.INDEXERS:
            indexing.enqueue(session, item.object_type, item.object_id, deleted=True)
        session.add(Tombstone(
            kind=item.kind, object_type=item.object_type, object_id=item.object_id, client_id=item.client_id,
            client_code=item.client_code, reference=item.reference, created_on=created_on,
            last_changed_on=item.last_changed_on, due_on=item.due_on, rule=rule_text(item.kind, years),
            versions_removed=versions, files_removed=n_files, list_id=dl.id, approved_by_id=dl.approved_by_id,
            approved_at=dl.approved_at, destroyed_by_id=actor.id, destroyed_at=now))
        item.outcome, item.pending_files = "destroyed", hashes
        destroyed += 1
    dl.state, dl.executed_by_id, dl.executed_at = ListState.EXECUTED, actor.id, now
    record(session, actor, AuditAction.DESTRUCTION_LIST, where=where,
           detail={"list": dl.id, "step": "executed", "destroyed": destroyed, "skipped": skipped})
    session.flush()
    return Outcome(destroyed, skipped)


def remove_files(session: Session, archive: Archive) -> int:
    """Unlink the archive files of destroyed records that no row names any more; commit."""
    removed = 0
    for item in session.scalars(select(DestructionItem).where(DestructionItem.outcome == "destroyed")):
        if not item.pending_files:
            continue
        for sha in item.pending_files:
            if session.scalar(select(StoredFile.id).where(StoredFile.sha256 == sha).limit(1)) is None:
                removed += int(archive.remove(sha))
        item.pending_files = []
    session.commit()
    return removed


def scrub_database(engine: Engine, *, attempts: int = 100) -> None:
    """Leave no page image of deleted rows in the database files.

    SQLite: VACUUM rebuilds the file without free pages, then a TRUNCATE checkpoint copies the
    write-ahead log into it and empties the log. PostgreSQL: VACUUM FULL rewrites the touched tables
    (dead tuples gone from the table files; old WAL segments are recycled by the server).
    """
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            conn = raw.driver_connection
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("VACUUM")
            for _ in range(attempts):
                busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy:
                    return
                time.sleep(0.05)
            raise ScrubError("the write-ahead log stayed busy; run `flask --app portal retention --scrub` again")
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in TOUCHED_TABLES:
                conn.exec_driver_sql(f'VACUUM (FULL, ANALYZE) "{table}"')


def scrub(session: Session, *, archive: Archive, index: SearchBackend,
          docs: Callable[[], Iterable[IndexDoc]], engine: Engine) -> int:
    """Phase two, after the commit: files, index, database. Idempotent. Returns files removed."""
    removed = remove_files(session, archive)
    gone = [f"{t.object_type}:{t.object_id}" for t in session.scalars(select(Tombstone))
            if t.object_type in indexing.INDEXERS]
    indexing.drain(session, index)
    index.expunge(gone, docs)
    session.commit()  # hands the connection back: VACUUM needs no open transaction
    scrub_database(engine)
    return removed
