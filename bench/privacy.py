"""Benchmark of the privacy officer's tasks on the demo data: a client's export and a destruction run.

Run: .venv/bin/python bench/privacy.py [whoosh|tantivy]
Prints the time and size of each demo client's export (ZIP with PDF index and access log), and the
time of one destruction run split into its two phases (rows in one transaction; then the scrub:
archive files, search index, VACUUM and WAL checkpoint). Figures go in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    backend = sys.argv[1] if len(sys.argv) > 1 else "whoosh"
    os.environ["PORTAL_TESTING"] = "1"
    from sqlalchemy import select

    import config
    from portal import create_app, demo, indexing
    from portal.archive import Archive
    from portal.cli import init_db
    from portal.extensions import db
    from portal.models import Client, User
    from portal.models.base import today
    from portal.services import client_export, destruction, retention
    from portal.web.search_glue import get_index

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"instance_path": Path(tmp), "testing": True, "search_backend": backend})
        with app.app_context():
            init_db()
            demo.load(db.session, today=today(), fast_hash=True)
            db.session.commit()
            index = get_index()
            index.rebuild(indexing.all_docs(db.session))
            archive = Archive(Path(tmp) / "archive")
            petra = db.session.scalar(select(User).where(User.username == "petra"))
            times, sizes = [], []
            for client in db.session.scalars(select(Client).order_by(Client.id)).all():
                start = time.perf_counter()
                with client_export.export_client(db.session, actor=petra, client=client, archive=archive) as spool:
                    sizes.append(len(spool.read()))
                times.append((time.perf_counter() - start) * 1000)
                db.session.commit()
            times.sort()
            print(f"export, {len(times)} demo clients: median {statistics.median(times):.0f} ms, "
                  f"max {times[-1]:.0f} ms; ZIP median {statistics.median(sizes) / 1024:.0f} KiB")
            years = config.retention_years("")
            dl = retention.propose(db.session, actor=petra, today=today(), years=years)
            retention.approve(db.session, actor=petra, dl=dl)
            start = time.perf_counter()
            outcome = destruction.execute(db.session, actor=petra, dl=dl, today=today(), years=years)
            db.session.commit()
            phase1 = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            destruction.scrub(db.session, archive=archive, index=index, docs=lambda: indexing.all_docs(db.session),
                              engine=db.engine)
            phase2 = (time.perf_counter() - start) * 1000
            print(f"destruction ({backend}), {outcome.destroyed} records: rows {phase1:.0f} ms, "
                  f"scrub {phase2:.0f} ms (index of {index.count()} documents)")
            index.close()
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
