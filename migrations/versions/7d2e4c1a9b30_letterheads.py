"""letterheads: versioned per organisation (logo in the archive, address, contact, colour)

Revision ID: 7d2e4c1a9b30
Revises: 003be77d56cd
Create Date: 2026-11-25 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import portal.models.base


# revision identifiers, used by Alembic.
revision = '7d2e4c1a9b30'
down_revision = '003be77d56cd'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letterheads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('logo_file_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('website', sa.String(length=200), nullable=False),
    sa.Column('colour', sa.String(length=7), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', portal.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_letterheads_created_by_id_users')),
    sa.ForeignKeyConstraint(['logo_file_id'], ['stored_files.id'], name=op.f('fk_letterheads_logo_file_id_stored_files')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_letterheads_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letterheads')),
    sa.UniqueConstraint('organisation_id', 'version', name=op.f('uq_letterheads_organisation_id'))
    )
    with op.batch_alter_table('letterheads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letterheads_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('letterheads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letterheads_organisation_id'))
    op.drop_table('letterheads')
