"""The national tier (issue 21, item 6): a data file may be the Central Women's Union's
(role 'central'); a province registers the centre as a peer (sync_peer role 'central'); the
centre keeps each province's figures and targets per commune, indicator and period. Local
tables only: nothing here travels in commune bundles, so BUNDLE_SCHEMA is unchanged.

Revision ID: 0012
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = "0011"
branch_labels = None
depends_on = None

ROLES = "role IN ('commune', 'province', 'central')"
OLD_ROLES = "role IN ('commune', 'province')"


def _roles(body: str) -> None:
    for table in ('installation', 'sync_peer'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f'ck_{table}_role'), type_='check')
            batch_op.create_check_constraint(op.f(f'ck_{table}_role'), sa.text(body))


def upgrade() -> None:
    _roles(ROLES)
    for name in ('central_figure', 'central_target'):
        op.create_table(name,
        sa.Column('province_key', sa.String(length=40), nullable=False),
        sa.Column('commune_key', sa.String(length=40), nullable=False),
        sa.Column('indicator_code', sa.String(length=40), nullable=False),
        sa.Column('period', sa.String(length=9), nullable=False),
        sa.Column('value', sa.Numeric(precision=14, scale=2, asdecimal=False), nullable=False),
        sa.Column('as_of', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['province_key'], ['admin_unit.key'],
                                name=op.f(f'fk_{name}_province_key_admin_unit')),
        sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'],
                                name=op.f(f'fk_{name}_commune_key_admin_unit')),
        sa.PrimaryKeyConstraint('province_key', 'commune_key', 'indicator_code', 'period',
                                name=op.f(f'pk_{name}'))
        )
    with op.batch_alter_table('central_figure', schema=None) as batch_op:
        batch_op.create_index('ix_central_figure_period', ['period', 'indicator_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('central_figure', schema=None) as batch_op:
        batch_op.drop_index('ix_central_figure_period')
    op.drop_table('central_target')
    op.drop_table('central_figure')
    op.execute("DELETE FROM sync_peer WHERE role = 'central'")
    _roles(OLD_ROLES)
