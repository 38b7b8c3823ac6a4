"""A province's 300,000 people searched and listed fast, its progress counted fast (issue #8).

On SQLite, an FTS5 trigram index over person.search_key answers "contains 'abc'" from the index
instead of reading every row; triggers keep it in step with every write (the services, imports,
restores, redaction). It is an external-content index keyed by the person row's rowid, which
only VACUUM could renumber; the application never runs VACUUM, and the integrity check rebuilds
the index if another tool did (core/db/search_index.py). PostgreSQL keeps LIKE on the column.

On both: indexes for the two list orders without a commune (the province's registry), and for
activities of a kind in a period (the indicators over every commune).

Revision ID: 0007
Revises: 0006
"""
from alembic import op

from da8desktop.core.db.search_index import create_statements, drop_statements

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_order", "person", ["sort_key", "id", "deleted", "search_key"])
    op.create_index("ix_person_order_family", "person", ["sort_key_family", "id", "deleted", "search_key"])
    op.create_index("ix_activity_kind_date", "activity", ["kind", "date_start"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in create_statements():
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in drop_statements():
            op.execute(statement)
    op.drop_index("ix_activity_kind_date", "activity")
    op.drop_index("ix_person_order_family", "person")
    op.drop_index("ix_person_order", "person")
