"""Person.redacted: personal data erased for good, on every site.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redacted', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Every field carries a stamp; the new one takes the stamp of `deleted`, which every site
    # holding the row already agrees on, so bundles stay identical across sites.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("UPDATE person SET stamps = json_set(stamps, '$.redacted', "
                   "json_extract(stamps, '$.deleted')) WHERE json_extract(stamps, '$.deleted') IS NOT NULL")
    else:
        op.execute("UPDATE person SET stamps = jsonb_set(stamps::jsonb, '{redacted}', "
                   "stamps::jsonb -> 'deleted')::json WHERE stamps::jsonb ? 'deleted'")


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('redacted')
