"""Records keep their unit (issue 20 item 8): an activity and a safe-delivery support can carry
the pre-2025 commune they happened in (`legacy_unit_key`), one of the old communes merged into
the installation's 2025 commune. A synced column: bundles carry it from this revision on.

Revision ID: 0011
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("activity", "safe_delivery_support")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('legacy_unit_key', sa.String(length=40), nullable=True))
            batch_op.create_foreign_key(op.f(f'fk_{table}_legacy_unit_key_admin_unit'),
                                        'admin_unit', ['legacy_unit_key'], ['key'])
        # Every field carries a stamp (a bundle line names them all); the new one takes the
        # stamp of `deleted`, which every site holding the row agrees on (as 0005 and 0009).
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"UPDATE {table} SET stamps = json_set(stamps, '$.legacy_unit_key', "
                       "json_extract(stamps, '$.deleted')) "
                       "WHERE json_extract(stamps, '$.deleted') IS NOT NULL")
        else:
            op.execute(f"UPDATE {table} SET stamps = (stamps::jsonb || jsonb_build_object("
                       "'legacy_unit_key', stamps::jsonb -> 'deleted'))::json "
                       "WHERE stamps::jsonb ? 'deleted'")


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'fk_{table}_legacy_unit_key_admin_unit'),
                                     type_='foreignkey')
            batch_op.drop_column('legacy_unit_key')
