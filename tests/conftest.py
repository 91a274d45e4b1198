"""Shared fixtures: an app on a fresh, migrated SQLite file per test; personas; logged-in clients.

The schema is migrated once per session into a template file and copied for each test (the
flaskr/securedrop way), so every test starts from an empty, fully migrated database.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

os.environ.setdefault("PORTAL_TESTING", "1")


#: Set to a PostgreSQL URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run the suite on PostgreSQL.
PG_URL = os.environ.get("PORTAL_TEST_DATABASE_URL", "")


def _pg_admin():  # noqa: ANN202
    import sqlalchemy as sa

    from config import from_env
    url = from_env({"DATABASE_URL": PG_URL}).sqlalchemy_url
    return sa.create_engine(url, isolation_level="AUTOCOMMIT"), sa.engine.make_url(url)


def _pg_create(name: str, template: str | None = None) -> str:
    import sqlalchemy as sa

    engine, url = _pg_admin()
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _pg_drop(name: str) -> None:
    import sqlalchemy as sa

    engine, _url = _pg_admin()
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path | str]:
    """A migrated, empty database: a SQLite file to copy, or a PostgreSQL template database."""
    from portal import create_app
    from portal.cli import init_db

    path = tmp_path_factory.mktemp("template")
    overrides: dict[str, object] = {"instance_path": path, "testing": True, "secure_cookies": False}
    pg_name = ""
    if PG_URL:
        pg_name = f"portal_tpl_{uuid.uuid4().hex[:12]}"
        overrides["database_url"] = _pg_create(pg_name)
    app = create_app(overrides)
    with app.app_context():
        init_db()
        from portal.extensions import db
        db.engine.dispose()
    yield pg_name or path / "portal.sqlite3"
    if pg_name:
        _pg_drop(pg_name)


@pytest.fixture
def app(tmp_path: Path, template_db: Path | str) -> Iterator[Flask]:
    from portal import create_app

    overrides: dict[str, object] = {"instance_path": tmp_path, "testing": True, "secure_cookies": False,
                                    "secret_key": os.urandom(16).hex()}
    pg_name = ""
    if isinstance(template_db, str):
        pg_name = f"portal_t_{uuid.uuid4().hex[:12]}"
        overrides["database_url"] = _pg_create(pg_name, template=template_db)
    else:
        shutil.copy(template_db, tmp_path / "portal.sqlite3")
    app = create_app(overrides)
    with app.app_context():
        yield app
        from portal.extensions import db
        db.session.remove()
        db.engine.dispose()
    index = app.extensions.get("search_index")
    if index is not None:
        index.close()
    if pg_name:
        _pg_drop(pg_name)


@pytest.fixture
def db(app: Flask):  # noqa: ANN201
    from portal.extensions import db

    return db


@pytest.fixture
def session(db):  # noqa: ANN001, ANN201
    return db.session


@pytest.fixture
def world(app: Flask, session):  # noqa: ANN001, ANN201
    from tests.factories import build_world

    w = build_world(session)
    session.commit()
    return w


_CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path)
    m = _CSRF.search(page.get_data(as_text=True))
    assert m, f"no csrf token on {path} ({page.status_code})"
    return m.group(1)


class Browser:
    """A test client that logs in like a person and sends the CSRF token like a form would."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.client = app.test_client()
        self._token: str | None = None

    def login(self, user, password: str = "Demo-wachtwoord-2026") -> Browser:  # noqa: ANN001, S107
        from portal.extensions import db
        from portal.services import accounts

        r = self.client.post("/login", data={"username": user.username, "password": password,
                                             "csrf_token": csrf_token(self.client)})
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        user = db.session.merge(user)
        user.totp_last_step = 0  # tests log in faster than the 30 s code step
        db.session.commit()
        code = accounts.current_code(user.totp_secret)
        r = self.client.post("/login/code", data={"code": code, "csrf_token": csrf_token(self.client, "/login/code")})
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        self._token = csrf_token(self.client, "/account")
        return self

    def get(self, path: str, **kw):  # noqa: ANN003, ANN201
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, **kw):  # noqa: ANN003, ANN201
        data = dict(data or {})
        data.setdefault("csrf_token", self._token or csrf_token(self.client))
        return self.client.post(path, data=data, **kw)


@pytest.fixture
def browser(app: Flask):  # noqa: ANN201
    def make(user=None) -> Browser:  # noqa: ANN001
        b = Browser(app)
        return b.login(user) if user is not None else b
    return make


@pytest.fixture
def count_queries(db):  # noqa: ANN001, ANN201
    """``with count_queries() as seen:`` collects the SQL statements run inside (transaction control left out)."""
    from contextlib import contextmanager

    from sqlalchemy import event

    @contextmanager
    def counting() -> Iterator[list[str]]:
        seen: list[str] = []

        def listener(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
            if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK")):
                seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    return counting
