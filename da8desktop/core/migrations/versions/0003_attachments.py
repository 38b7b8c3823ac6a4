"""Attachments: photos and scanned documents on groups, meetings and activities.

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('attachment',
    sa.Column('owner_table', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=True),
    sa.Column('added_on', sa.Date(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("owner_table IN ('community_group', 'activity')", name=op.f('ck_attachment_owner_table')),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_attachment_sha256')),
    sa.CheckConstraint('size_bytes >= 0', name=op.f('ck_attachment_size')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_owner', ['owner_table', 'owner_id', 'deleted'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_owner')

    op.drop_table('attachment')

