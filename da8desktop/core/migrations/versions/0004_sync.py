"""Sync: peers (enrolment registry), bundles seen, conflicts; keys on the installation;
per-site knowledge.

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('commune_key', sa.String(length=40), nullable=True),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('kept_value', sa.JSON(), nullable=True),
    sa.Column('kept_site', sa.String(length=200), nullable=False),
    sa.Column('lost_value', sa.JSON(), nullable=True),
    sa.Column('lost_site', sa.String(length=200), nullable=False),
    sa.Column('bundle_id', sa.Uuid(), nullable=True),
    sa.Column('detected_at', sa.DateTime(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index('ix_sync_conflict_open', ['resolved', 'commune_key'], unique=False)

    op.create_table('sync_peer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('province_key', sa.String(length=40), nullable=False),
    sa.Column('commune_key', sa.String(length=40), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('sign_public', sa.String(length=64), nullable=True),
    sa.Column('box_public', sa.String(length=100), nullable=True),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('fingerprint', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(), nullable=True),
    sa.Column('acked', sa.JSON(), nullable=False),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.Column('out_seq', sa.BigInteger(), nullable=False),
    sa.Column('last_out_bundle', sa.Uuid(), nullable=True),
    sa.CheckConstraint("role IN ('commune', 'province')", name=op.f('ck_sync_peer_role')),
    sa.CheckConstraint("status IN ('pending', 'enrolled', 'revoked')", name=op.f('ck_sync_peer_status')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_sync_peer_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['province_key'], ['admin_unit.key'], name=op.f('fk_sync_peer_province_key_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_peer')),
    sa.UniqueConstraint('sign_public', name=op.f('uq_sync_peer_sign_public'))
    )
    with op.batch_alter_table('sync_peer', schema=None) as batch_op:
        batch_op.create_index('ix_sync_peer_commune', ['commune_key'], unique=False)

    op.create_table('sync_bundle',
    sa.Column('bundle_id', sa.Uuid(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('peer_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.Column('own_seq', sa.BigInteger(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('receipt', sa.JSON(), nullable=True),
    sa.CheckConstraint("direction IN ('in', 'out')", name=op.f('ck_sync_bundle_direction')),
    sa.ForeignKeyConstraint(['peer_id'], ['sync_peer.id'], name=op.f('fk_sync_bundle_peer_id_sync_peer')),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_sync_bundle'))
    )
    with op.batch_alter_table('sync_bundle', schema=None) as batch_op:
        batch_op.create_index('ix_sync_bundle_peer', ['peer_id', 'direction', 'seq'], unique=False)

    with op.batch_alter_table('installation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sign_public', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('box_public', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('keys_wrapped', sa.JSON(), nullable=True))

    with op.batch_alter_table('sync_site', schema=None) as batch_op:
        batch_op.add_column(sa.Column('known_seq', sa.BigInteger(), server_default='0', nullable=False))

    

def downgrade() -> None:

    with op.batch_alter_table('sync_site', schema=None) as batch_op:
        batch_op.drop_column('known_seq')

    with op.batch_alter_table('installation', schema=None) as batch_op:
        batch_op.drop_column('keys_wrapped')
        batch_op.drop_column('box_public')
        batch_op.drop_column('sign_public')

    with op.batch_alter_table('sync_bundle', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_bundle_peer')

    op.drop_table('sync_bundle')
    with op.batch_alter_table('sync_peer', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_peer_commune')

    op.drop_table('sync_peer')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_conflict_open')

    op.drop_table('sync_conflict')
    
