"""Configuration, database pragmas, the demo loader and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import config
from portal.models import CaseNote, Client, Consent, User


def test_config_reads_environment(tmp_path):
    cfg = config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_SESSION_IDLE_MINUTES": "7",
                           "PORTAL_SECURE_COOKIES": "0", "DATABASE_URL": "postgres://u@h/db"})
    assert cfg.instance_path == tmp_path.resolve() and cfg.session_idle_minutes == 7
    assert cfg.secure_cookies is False
    assert cfg.sqlalchemy_url == "postgresql+psycopg://u@h/db"


def test_config_defaults_are_safe(tmp_path):
    cfg = config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path)})
    assert cfg.secure_cookies is True and cfg.session_idle_minutes == 15
    assert cfg.sqlalchemy_url == f"sqlite:///{tmp_path.resolve() / 'portal.sqlite3'}"


def test_config_refuses_unknown_backend(tmp_path):
    with pytest.raises(ValueError, match="PORTAL_SEARCH_BACKEND"):
        config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_SEARCH_BACKEND": "grep"})


@pytest.mark.parametrize(("env", "expected"), [
    ({}, "whoosh"),
    ({"DATABASE_URL": "postgresql://u@db/portal"}, "postgres"),
    ({"DATABASE_URL": "postgres://u@db/portal"}, "postgres"),
    ({"DATABASE_URL": "postgresql://u@db/portal", "PORTAL_SEARCH_BACKEND": "tantivy"}, "tantivy"),
    ({"PORTAL_SEARCH_BACKEND": "tantivy"}, "tantivy"),
])
def test_search_backend_defaults_to_postgres_on_postgresql(tmp_path, env, expected):
    assert config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path), **env}).search_backend == expected


def test_postgres_search_backend_needs_postgresql(tmp_path):
    with pytest.raises(ValueError, match="PostgreSQL DATABASE_URL"):
        config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path), "PORTAL_SEARCH_BACKEND": "postgres"})


def test_secret_key_is_generated_once_with_private_mode(tmp_path):
    cfg = config.ensure_secret_key(config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path)}))
    again = config.ensure_secret_key(config.from_env({"PORTAL_INSTANCE_PATH": str(tmp_path)}))
    assert cfg.secret_key == again.secret_key and len(cfg.secret_key) == 64
    assert (Path(tmp_path) / "secret_key").stat().st_mode & 0o777 == 0o600


def test_sqlite_pragmas_on_every_connection(app, db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas; this leg runs on PostgreSQL")
    for _ in range(2):
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_demo_is_idempotent_and_mirrors_the_evaluation(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0 and "Demo-wachtwoord-2026" in first.output
    counts = (session.scalar(select(func.count()).select_from(User)),
              session.scalar(select(func.count()).select_from(Client)),
              session.scalar(select(func.count()).select_from(CaseNote)))
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert counts == (session.scalar(select(func.count()).select_from(User)),
                      session.scalar(select(func.count()).select_from(Client)),
                      session.scalar(select(func.count()).select_from(CaseNote)))
    assert counts[1] == 20 and counts[2] >= 200
    clients = session.scalars(select(Client)).all()
    assert sum(c.permit_status == "granted" for c in clients) == 18
    assert sum(c.housing == "independent" for c in clients) == 9
    assert sum(c.financial_administration == "protective" for c in clients) == 10
    from datetime import date
    statuses = [k.status_on(date.today()) for k in session.scalars(select(Consent))]
    assert "revoked" in statuses and "expired" in statuses


def test_demo_has_a_note_with_a_readable_attachment(app, session, browser):
    from portal.models import NoteAttachment
    from portal.models.people import User

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    attachment = session.scalars(select(NoteAttachment)).one()  # idempotent: made once
    assert attachment.media_type == "application/pdf" and "Beschikking bijzondere bijstand" in attachment.text
    author = session.get(User, attachment.uploaded_by_id)
    b = browser(author)
    page = b.get(f"/notes/{attachment.note_id}").get_data(as_text=True)
    assert "beschikking-bijzondere-bijstand.pdf" in page
    r = b.get(f"/notes/{attachment.note_id}/attachments/{attachment.id}")
    assert r.status_code == 200 and r.data.startswith(b"%PDF-")
    assert "bijzondere bijstand" in b.get("/search?q=beschikking+bijstand").get_data(as_text=True).lower()


def test_demo_totp_code_command(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    out = runner.invoke(args=["totp-code", "sanne"])
    assert out.exit_code == 0 and out.output.strip().isdigit() and len(out.output.strip()) == 6


def test_create_user_command_validates(app, session):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    bad = runner.invoke(args=["create-user", "x y", "--role", "staff", "--organisation", "NOPE"],
                        input="short\nshort\n")
    assert bad.exit_code == 2 and "organisation" in bad.output
    ok = runner.invoke(args=["create-user", "nieuw", "--role", "staff", "--organisation", "WI", "--name", "Nieuw"],
                       input="Een-lang-wachtwoord-1\nEen-lang-wachtwoord-1\n")
    assert ok.exit_code == 0, ok.output
    assert session.scalar(select(User).where(User.username == "nieuw")).totp_secret is None
