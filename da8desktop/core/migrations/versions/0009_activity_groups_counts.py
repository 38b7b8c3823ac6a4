"""Group status changes with their dates (issue 20 item 4, a new synced table). Activities carry their activity group (programme.json) and, for ND4 trainings, the target
category; typed counts can be cross-tabulated (women who are also of a minority) and split by
ethnic group, so reports never estimate (issue 20, items 1-2).

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

NEW_FIELDS = ("activity_group_key", "target_category_key", "count_women_minority", "count_by_ethnic")


def upgrade() -> None:
    op.create_table('group_status_change',
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'reorganised', 'dissolved', 'stopped')",
                       name=op.f('ck_group_status_change_status')),
    sa.ForeignKeyConstraint(['group_id'], ['community_group.id'],
                            name=op.f('fk_group_status_change_group_id_community_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_status_change'))
    )
    with op.batch_alter_table('group_status_change', schema=None) as batch_op:
        batch_op.create_index('ix_group_status_change_group', ['group_id', 'changed_on'], unique=False)
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('activity_group_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('target_category_key', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('count_women_minority', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('count_by_ethnic', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_activity_activity_group_key_catalogue_item'), 'catalogue_item',
                                    ['activity_group_key'], ['key'])
        batch_op.create_foreign_key(op.f('fk_activity_target_category_key_catalogue_item'), 'catalogue_item',
                                    ['target_category_key'], ['key'])
        batch_op.create_check_constraint(
            op.f('ck_activity_counts_women_minority'),
            sa.text("count_women_minority IS NULL OR (count_women_minority >= 0 AND "
                    "count_women_minority <= COALESCE(count_women, 0) AND "
                    "count_women_minority <= COALESCE(count_minority, 0))"))
    # Every field carries a stamp (a bundle line names them all); the new ones take the stamp of
    # `deleted`, which every site holding the row agrees on, so bundles stay identical (as 0005).
    if op.get_bind().dialect.name == "sqlite":
        paths = ", ".join(f"'$.{f}', json_extract(stamps, '$.deleted')" for f in NEW_FIELDS)
        op.execute(f"UPDATE activity SET stamps = json_set(stamps, {paths}) "
                   "WHERE json_extract(stamps, '$.deleted') IS NOT NULL")
    else:
        pairs = ", ".join(f"'{f}', stamps::jsonb -> 'deleted'" for f in NEW_FIELDS)
        op.execute(f"UPDATE activity SET stamps = (stamps::jsonb || jsonb_build_object({pairs}))::json "
                   "WHERE stamps::jsonb ? 'deleted'")


def downgrade() -> None:
    with op.batch_alter_table('group_status_change', schema=None) as batch_op:
        batch_op.drop_index('ix_group_status_change_group')
    op.drop_table('group_status_change')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_activity_counts_women_minority'), type_='check')
        batch_op.drop_constraint(op.f('fk_activity_target_category_key_catalogue_item'), type_='foreignkey')
        batch_op.drop_constraint(op.f('fk_activity_activity_group_key_catalogue_item'), type_='foreignkey')
        for name in reversed(NEW_FIELDS):
            batch_op.drop_column(name)
