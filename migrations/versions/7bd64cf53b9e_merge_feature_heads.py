"""Merge the feature heads: Woo, letterheads, retention and PostgreSQL search (no schema change).

Revision ID: 7bd64cf53b9e
Revises: 455272c3fe51, 7d2e4c1a9b30, 8018616eebc0, e4a7c9d2b618
Create Date: 2026-11-25 09:31:53.472455

"""
# revision identifiers, used by Alembic.
revision = '7bd64cf53b9e'
down_revision = ('455272c3fe51', '7d2e4c1a9b30', '8018616eebc0', 'e4a7c9d2b618')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
