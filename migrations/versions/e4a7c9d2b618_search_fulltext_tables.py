"""search: PostgreSQL full-text tables of the 'postgres' search backend (PostgreSQL only)

The backend also creates these if missing (it runs without the portal too); the migration makes them
part of the portal's schema. They are not SQLAlchemy models: migrations/env.py keeps autogenerate off
them. ``reindex`` swaps in rebuilt copies by renaming, under the same names.

Revision ID: e4a7c9d2b618
Revises: 91fb1411abf2
Create Date: 2026-11-25 08:30:00.000000

"""
from alembic import op

from search_index.backends.postgres_schema import CONTROL_TABLES, TABLES, control_ddl, index_ddl, table_ddl


# revision identifiers, used by Alembic.
revision = 'e4a7c9d2b618'
down_revision = '91fb1411abf2'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: the search index is Whoosh or tantivy files under the instance folder
    for statement in [*table_ddl(), *index_ddl(), *control_ddl()]:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in (*TABLES, *CONTROL_TABLES):
        op.execute(f"DROP TABLE IF EXISTS {table}")
