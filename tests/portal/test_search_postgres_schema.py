"""On PostgreSQL the portal searches with the database's full-text backend, in migrated tables that
autogenerate leaves alone. Runs in the PostgreSQL leg only (PORTAL_TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from search_index.backends.postgres_schema import TABLES, alembic_include_object
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PORTAL_TEST_DATABASE_URL")


def _diff_tables(db, **opts) -> set[str]:  # noqa: ANN001
    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
    return {d[1].name for d in diffs if d[0] in ("remove_table", "add_table")}


def test_migration_creates_search_tables_and_autogenerate_keeps_them(app, db):
    assert set(TABLES) <= set(inspect(db.engine).get_table_names())
    assert set(TABLES) <= _diff_tables(db)  # without the hook autogenerate would drop them
    assert _diff_tables(db, include_object=alembic_include_object) & set(TABLES) == set()


def test_portal_on_postgresql_uses_the_postgres_backend(app):
    from portal.web.search_glue import get_index

    assert app.config["PORTAL"].search_backend == "postgres"
    assert get_index(app).name == "postgres"
    assert get_index(app).check() is True
