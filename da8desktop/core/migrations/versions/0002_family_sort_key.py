"""Family-name-first collation key on people, backfilled from the names.

Printed lists sort by given name (the default `sort_key`); some officers want family-name order,
and lists of 300k people must sort by an indexed column, not in Python.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

# A migration must not import the models (they change); the collation rule is stable code.
from da8desktop.core.text import name_sort_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

person = sa.table(
    "person",
    sa.column("id", sa.Uuid()),
    sa.column("family_name", sa.String()),
    sa.column("middle_name", sa.String()),
    sa.column("given_name", sa.String()),
    sa.column("sort_key_family", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.add_column(sa.Column("sort_key_family", sa.String(length=800), nullable=False,
                                      server_default=""))
    connection = op.get_bind()
    rows = connection.execute(sa.select(person.c.id, person.c.family_name, person.c.middle_name,
                                        person.c.given_name)).all()
    for row in rows:
        key = name_sort_key(row.family_name, row.middle_name, row.given_name, given_first=False)
        connection.execute(person.update().where(person.c.id == row.id)
                           .values(sort_key_family=key))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch_op:
        batch_op.drop_column("sort_key_family")
