"""Search-index outbox and drain: the index follows database commits and never loses an update.

Every change the index must follow adds an outbox row in the same transaction as the change. A
drain (after a request that wrote rows, before every search, and in `flask --app portal indexer`)
turns the rows into index updates and only then deletes them: a crash in between replays them,
and replaying an upsert or delete is harmless. Access changes enqueue every object they affect.
"""

from __future__ import annotations

import gc
import logging
import shutil
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from portal import access
from portal.models import CaseNote, Document, IndexOutbox
from search_index import IndexDoc, SearchBackend, open_index

log = logging.getLogger(__name__)
_DIRTY = "outbox_dirty"
_drain_lock = threading.Lock()


def enqueue(session: Session, object_type: str, object_id: int, *, deleted: bool = False) -> None:
    session.add(IndexOutbox(object_type=object_type, object_id=object_id, deleted=deleted))
    session.info[_DIRTY] = True


def enqueue_client(session: Session, client_id: int) -> None:
    """The dossier and everything in it: its access may have changed."""
    for note_id in session.scalars(select(CaseNote.id).where(CaseNote.client_id == client_id)):
        enqueue(session, "case_note", note_id)
    for doc_id in session.scalars(select(Document.id).where(Document.client_id == client_id)):
        enqueue(session, "document", doc_id)


def enqueue_workspace(session: Session, workspace_id: int) -> None:
    """The workspace's project documents: a local role on the workspace changes who may see them."""
    for doc_id in session.scalars(select(Document.id).where(Document.workspace_id == workspace_id)):
        enqueue(session, "document", doc_id)


def has_pending(session: Session) -> bool:
    return bool(session.info.pop(_DIRTY, False))


# --- objects to index documents -------------------------------------------------------------------


def note_doc(note: CaseNote) -> IndexDoc:
    """A case note: its current text, plus the text of its PDF and DOCX attachments."""
    return IndexDoc(
        id=f"case_note:{note.id}", type="case_note", title=note.title, text=note.text,
        client=note.client.display_name, client_id=note.client_id, author=note.author.full_name,
        organisation=note.author.organisation.code, life_domains=tuple(note.life_domains),
        data_category=note.data_category.value, state=note.state.value, confidentiality=note.confidentiality.code,
        created_at=note.created_at, modified_at=note.modified_at,
        principals=access.allowed_principals(note), url=f"/notes/{note.id}",
        attachments_text="\n".join(a.text for a in note.attachments if a.text))


def document_doc(doc: Document) -> IndexDoc:
    """A letter or plan: its canonical text, plus the text of a DOCX uploaded from Word."""
    goals = doc.fields.get("goals") if isinstance(doc.fields, dict) else None
    return IndexDoc(
        id=f"document:{doc.id}", type=doc.type.value, title=f"{doc.title} ({doc.reference})", text=doc.text,
        client=doc.client.display_name if doc.client is not None else None, client_id=doc.client_id,
        author=doc.owner.full_name, organisation=doc.owner.organisation.code,
        life_domains=tuple(sorted(goals)) if isinstance(goals, dict) else (),
        data_category="general" if doc.client_id is not None else None, state=doc.state.value,
        confidentiality=doc.confidentiality.code, created_at=doc.created_at, modified_at=doc.modified_at,
        principals=access.allowed_principals(doc), url=f"/documents/{doc.id}", attachments_text=doc.upload_text)


INDEXERS: dict[str, tuple[type, Callable[[object], IndexDoc]]] = {
    "case_note": (CaseNote, note_doc), "document": (Document, document_doc)}


def parse_doc_id(doc_id: str) -> tuple[str, int] | None:
    kind, _, num = doc_id.partition(":")
    return (kind, int(num)) if kind in INDEXERS and num.isdigit() else None


def load_hit(session: Session, doc_id: str) -> object | None:
    parsed = parse_doc_id(doc_id)
    if parsed is None:
        return None
    return session.get(INDEXERS[parsed[0]][0], parsed[1])


def load_hits(session: Session, doc_ids: Iterable[str]) -> dict[str, object]:
    """The objects behind many hits, one query per type with their dossiers: a page of results must
    not cost a query per hit. Ids that do not parse or no longer exist are left out."""
    wanted: dict[str, list[int]] = {}
    for doc_id in doc_ids:
        parsed = parse_doc_id(doc_id)
        if parsed is not None:
            wanted.setdefault(parsed[0], []).append(parsed[1])
    found: dict[str, object] = {}
    for kind, ids in wanted.items():
        model = INDEXERS[kind][0]
        rows = session.scalars(select(model).where(model.id.in_(ids)).options(selectinload(model.client)))
        found.update({f"{kind}:{obj.id}": obj for obj in rows})
    return found


# --- the backend, one per process -------------------------------------------------------------------


def open_backend(instance_path: Path, backend: str, session: Session | None = None, *,
                 database_url: str | None = None) -> SearchBackend:
    """Open the index; a damaged one (a crash mid-commit: Whoosh is not crash-safe) is rebuilt from the
    database, which is the source of truth, so nothing the user saved is lost from search.

    ``database_url`` is where the 'postgres' backend keeps its tables (the portal's own database)."""
    path = instance_path / "search_index" / backend
    with warnings.catch_warnings():
        # Whoosh leaves a damaged segment's file open when reading it fails; collect it here.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            index = open_index(backend, path, database_url=database_url)
            healthy = index.check()
        except Exception:  # noqa: BLE001 - any failure to read the index means: damaged
            log.exception("search index at %s cannot be opened", path)
            healthy = False
        gc.collect()
    if healthy:
        return index
    log.error("search index at %s is damaged; rebuilding it from the database", path)
    shutil.rmtree(path, ignore_errors=True)  # derived data: the database is the source of truth
    index = open_index(backend, path, database_url=database_url)
    if session is not None:
        session.execute(delete(IndexOutbox))
        index.rebuild(all_docs(session))
        session.commit()
    return index


def drain(session: Session, index: SearchBackend, *, batch: int = 500) -> int:
    """Apply pending outbox rows to the index; return how many rows were applied."""
    applied = 0
    with _drain_lock:
        while True:
            rows = session.execute(select(IndexOutbox.id, IndexOutbox.object_type, IndexOutbox.object_id)
                                   .order_by(IndexOutbox.id).limit(batch)).all()
            if not rows:
                return applied
            upserts: dict[str, IndexDoc] = {}
            deletes: set[str] = set()
            for _row_id, otype, oid in rows:
                if otype not in INDEXERS:
                    continue
                model, build = INDEXERS[otype]
                doc_id = f"{otype}:{oid}"
                obj = session.get(model, oid)
                if obj is None:
                    deletes.add(doc_id)
                    upserts.pop(doc_id, None)
                else:
                    upserts[doc_id] = build(obj)
                    deletes.discard(doc_id)
            if deletes:
                index.delete(deletes)
            if upserts:
                index.upsert(upserts.values())
            # Only after the index has them: a crash before this line replays the rows.
            session.execute(delete(IndexOutbox).where(IndexOutbox.id <= rows[-1][0],
                                                      IndexOutbox.id.in_([r[0] for r in rows])))
            session.commit()
            applied += len(rows)


def all_docs(session: Session) -> Iterator[IndexDoc]:
    for model, build in INDEXERS.values():
        for obj in session.scalars(select(model).execution_options(yield_per=500)):
            yield build(obj)
