"""Each group type's own fields (issue 20 item 5): a club's grades and facilitator teachers, a
livelihood group's counts of women owners and co-owners, and the kind of each support a group
received (the `support_kind` catalogue: branding, QR, OCOP, e-commerce, 4.0 technology…).
Typed nullable columns, no JSON; both tables are synced, so bundles carry them from here on.

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

GROUP_FIELDS = ("grades", "facilitators", "women_owners", "women_co_owners")
SUPPORT_FIELDS = ("kind_key",)


def upgrade() -> None:
    with op.batch_alter_table('community_group', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grades', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('facilitators', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('women_owners', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('women_co_owners', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_community_group_owners'),
            sa.text("(women_owners IS NULL OR women_owners >= 0) AND "
                    "(women_co_owners IS NULL OR women_co_owners >= 0)"))
    with op.batch_alter_table('group_support', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind_key', sa.String(length=80), nullable=True))
        batch_op.create_foreign_key(op.f('fk_group_support_kind_key_catalogue_item'),
                                    'catalogue_item', ['kind_key'], ['key'])
    # Every field carries a stamp (a bundle line names them all); the new ones take the stamp of
    # `deleted`, which every site holding the row agrees on, so bundles stay identical (as 0009).
    for table, fields in (("community_group", GROUP_FIELDS), ("group_support", SUPPORT_FIELDS)):
        if op.get_bind().dialect.name == "sqlite":
            paths = ", ".join(f"'$.{f}', json_extract(stamps, '$.deleted')" for f in fields)
            op.execute(f"UPDATE {table} SET stamps = json_set(stamps, {paths}) "
                       "WHERE json_extract(stamps, '$.deleted') IS NOT NULL")
        else:
            pairs = ", ".join(f"'{f}', stamps::jsonb -> 'deleted'" for f in fields)
            op.execute(f"UPDATE {table} SET stamps = (stamps::jsonb || "
                       f"jsonb_build_object({pairs}))::json WHERE stamps::jsonb ? 'deleted'")


def downgrade() -> None:
    with op.batch_alter_table('group_support', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_group_support_kind_key_catalogue_item'),
                                 type_='foreignkey')
        batch_op.drop_column('kind_key')
    with op.batch_alter_table('community_group', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_community_group_owners'), type_='check')
        for name in reversed(GROUP_FIELDS):
            batch_op.drop_column(name)
