"""Backup while running, restore into an empty instance, compare every row."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text

from portal.archive import Archive


def _rows(url: str) -> dict[str, list]:
    engine = create_engine(url)
    with engine.connect() as conn:
        out = {t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"')).all()), key=repr)  # noqa: S608
               for t in inspect(conn).get_table_names()}
    engine.dispose()
    return out


def test_backup_and_restore_round_trip(app, world, session, tmp_path_factory):
    cfg = app.config["PORTAL"]
    if not cfg.is_sqlite:
        pytest.skip("the PostgreSQL variant uses pg_dump/pg_restore; covered by docs/DEPLOY.md")
    from portal import audit
    from portal.audit import AuditAction

    audit.record(session, world.users["case_manager"], AuditAction.VIEW, world.notes["own"])
    stored = Archive(cfg.instance_path / "archive").put(b"%PDF-1.7 demo")
    session.commit()
    out = tmp_path_factory.mktemp("bk") / "portal-backup.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", str(out)])
    if result.exit_code:
        __import__("traceback").print_exception(*result.exc_info)
    assert result.exit_code == 0, result.output
    fresh = tmp_path_factory.mktemp("restored")
    from portal import create_app
    from portal.backup import BackupError, restore

    # The restore is called directly: the CLI would run in the app context the fixture already pushed.
    target = create_app({"instance_path": fresh, "testing": True})
    assert restore(target.config["PORTAL"], out)["database"] == "sqlite"
    assert _rows(f"sqlite:///{fresh / 'portal.sqlite3'}") == _rows(cfg.sqlalchemy_url)
    assert Archive(fresh / "archive").get(stored.sha256) == b"%PDF-1.7 demo"
    with pytest.raises(BackupError, match="empty instance"):
        restore(target.config["PORTAL"], out)
    with target.app_context():
        from portal.extensions import db
        assert list(audit.verify(db.session)) == []
        db.engine.dispose()


def test_restore_refuses_something_that_is_not_a_backup(app, tmp_path):
    (tmp_path / "junk").mkdir()
    from portal import create_app
    from portal.backup import BackupError, restore

    target = create_app({"instance_path": tmp_path / "new", "testing": True})
    with pytest.raises(BackupError, match="not a portal backup"):
        restore(target.config["PORTAL"], tmp_path / "junk")
