"""Foreign keys checked at commit on PostgreSQL, as SQLite's defer_foreign_keys does for an
import: rows of one table may point at each other (a village and its successor), and a bundle
lists them in id order, not in the order of their references. Nothing changes on SQLite.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _foreign_keys() -> list[tuple[str, str]]:
    inspector = sa.inspect(op.get_bind())
    return [(table, fk["name"]) for table in inspector.get_table_names()
            for fk in inspector.get_foreign_keys(table) if fk.get("name")]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name in _foreign_keys():
        # Still checked at every statement unless a transaction defers them (the importer).
        op.execute(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{name}" DEFERRABLE INITIALLY IMMEDIATE')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, name in _foreign_keys():
        op.execute(f'ALTER TABLE "{table}" ALTER CONSTRAINT "{name}" NOT DEFERRABLE')
