"""Several processes writing at once: no duplicate reference, no broken audit chain, no lost update,
no lost index entry. Runs on SQLite here and on PostgreSQL in the PostgreSQL leg of make test."""

from __future__ import annotations

import multiprocessing as mp
from datetime import date

from sqlalchemy import func, select

WORKERS = 4
ROUNDS = 10


def _worker(overrides: dict, user_id: int, client_id: int, note_id: int, barrier, out) -> None:  # noqa: ANN001
    from portal import create_app
    from portal.audit import AuditAction, record
    from portal.extensions import db
    from portal.models import CaseNote, Client, User
    from portal.services import case_notes
    from portal.services.errors import ConflictError
    from portal.services.references import next_reference

    app = create_app(overrides)
    refs, conflicts, updated = [], 0, 0
    with app.app_context():
        user, client = db.session.get(User, user_id), db.session.get(Client, client_id)
        db.session.commit()  # never wait while holding a transaction (on SQLite it is the write lock)
        barrier.wait()
        for i in range(ROUNDS):
            refs.append(str(next_reference(db.session, "STAP", 2026)))
            data = case_notes.NoteInput(title=f"n{i}", text="tekst", noted_on=date(2026, 1, 1), life_domains=(),
                                        data_category="general", confidentiality="intern")
            case_notes.create(db.session, actor=user, client=client, data=data, today=date(2026, 1, 2))
            record(db.session, user, AuditAction.VIEW, client)
            db.session.commit()
        # Everyone saves the same draft believing it is at version 1: exactly one may win.
        note = db.session.get(CaseNote, note_id)
        data = case_notes.NoteInput(title="race", text=f"versie van {mp.current_process().name}",
                                    noted_on=date(2026, 1, 1), life_domains=(), data_category="general",
                                    confidentiality="intern")
        try:
            case_notes.update_draft(db.session, actor=user, note=note, data=data, expected_version=1,
                                    today=date(2026, 1, 2))
            db.session.commit()
            updated += 1
        except ConflictError:
            db.session.rollback()
            conflicts += 1
        except Exception as exc:  # noqa: BLE001 - StaleDataError when the race is lost at flush time
            db.session.rollback()
            conflicts += 1 if "Stale" in type(exc).__name__ else 0
        db.session.remove()
    out.put((refs, updated, conflicts))


def test_concurrent_writers(app, world, session):
    from portal import audit
    from portal.models import CaseNote, IndexOutbox
    from portal.models.clients import NoteState
    from tests.factories import create_note

    draft = create_note(session, world.clients["own"], world.users["case_manager"], state=NoteState.DRAFT)
    session.commit()
    cfg = app.config["PORTAL"]
    overrides = {"instance_path": cfg.instance_path, "testing": True, "secure_cookies": False,
                 "secret_key": cfg.secret_key, "database_url": cfg.database_url}
    notes_before = session.scalar(select(func.count()).select_from(CaseNote))
    ids = (world.users["case_manager"].id, world.clients["own"].id, draft.id)
    session.rollback()  # release our transaction (on SQLite it holds the write lock) before the workers start
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(overrides, *ids, barrier, out)) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=180) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    refs = [r for rs, _u, _c in results for r in rs]
    assert len(refs) == len(set(refs)) == WORKERS * ROUNDS
    assert sorted(refs) == [f"STAP/2026/{n:04d}" for n in range(1, WORKERS * ROUNDS + 1)]
    assert sum(u for _r, u, _c in results) == 1
    assert sum(c for _r, _u, c in results) == WORKERS - 1
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(CaseNote)) == notes_before + WORKERS * ROUNDS
    assert list(audit.verify(session)) == []
    assert audit.count(session) >= WORKERS * ROUNDS * 2
    assert session.scalar(select(func.count()).select_from(IndexOutbox)) >= WORKERS * ROUNDS
