"""SyncPeer.confirmed_at: a commune laptop is trusted with personal data only once the province
officer has compared its fingerprint by phone and confirmed it (issue 17). Peers enrolled
before this revision were trusted then and stay trusted.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sync_peer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE sync_peer SET confirmed_at = COALESCE(enrolled_at, created_at) "
               "WHERE status IN ('enrolled', 'revoked')")


def downgrade() -> None:
    with op.batch_alter_table('sync_peer', schema=None) as batch_op:
        batch_op.drop_column('confirmed_at')
