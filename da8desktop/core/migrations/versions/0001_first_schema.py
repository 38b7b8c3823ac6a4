"""First schema: identity, admin units, catalogues, commune records, activities, targets,
sync bookkeeping and audit.

Kept exactly as released: tests/fixtures/schema_0001.sqlite was written by it.

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('admin_unit',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('scheme', sa.String(length=10), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('division_type', sa.String(length=40), nullable=True),
    sa.Column('name_fold', sa.String(length=120), nullable=False),
    sa.Column('parent_key', sa.String(length=40), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint("level IN ('province', 'district', 'commune')", name=op.f('ck_admin_unit_level')),
    sa.CheckConstraint("scheme IN ('2025', 'pre2025')", name=op.f('ck_admin_unit_scheme')),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_admin_unit_validity')),
    sa.ForeignKeyConstraint(['parent_key'], ['admin_unit.key'], name=op.f('fk_admin_unit_parent_key_admin_unit')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_admin_unit')),
    sa.UniqueConstraint('scheme', 'level', 'code', name=op.f('uq_admin_unit_scheme_level_code'))
    )
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.create_index('ix_admin_unit_parent', ['parent_key'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.CheckConstraint("action IN ('create', 'update', 'delete', 'restore', 'merge', 'import', 'export', 'print', 'setup', 'migrate')", name=op.f('ck_audit_log_action')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('catalogue_item',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('scheme', sa.String(length=10), server_default='', nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=True),
    sa.Column('parent_key', sa.String(length=80), nullable=True),
    sa.Column('alt_names', sa.JSON(), nullable=False),
    sa.Column('props', sa.JSON(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('catalogue_version', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['parent_key'], ['catalogue_item.key'], name=op.f('fk_catalogue_item_parent_key_catalogue_item')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_catalogue_item')),
    sa.UniqueConstraint('kind', 'scheme', 'code', name=op.f('uq_catalogue_item_kind_scheme_code'))
    )
    with op.batch_alter_table('catalogue_item', schema=None) as batch_op:
        batch_op.create_index('ix_catalogue_item_kind', ['kind', 'sort_order'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('sync_site',
    sa.Column('idx', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('site_id', sa.Uuid(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('idx', name=op.f('pk_sync_site')),
    sa.UniqueConstraint('site_id', name=op.f('uq_sync_site_site_id'))
    )
    op.create_table('admin_succession',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('old_key', sa.String(length=40), nullable=False),
    sa.Column('new_key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('effective', sa.Date(), nullable=False),
    sa.CheckConstraint("kind IN ('merge', 'split', 'rename')", name=op.f('ck_admin_succession_kind')),
    sa.CheckConstraint('old_key <> new_key', name=op.f('ck_admin_succession_not_self')),
    sa.ForeignKeyConstraint(['new_key'], ['admin_unit.key'], name=op.f('fk_admin_succession_new_key_admin_unit')),
    sa.ForeignKeyConstraint(['old_key'], ['admin_unit.key'], name=op.f('fk_admin_succession_old_key_admin_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_succession')),
    sa.UniqueConstraint('old_key', 'new_key', name=op.f('uq_admin_succession_old_key_new_key'))
    )
    with op.batch_alter_table('admin_succession', schema=None) as batch_op:
        batch_op.create_index('ix_admin_succession_new', ['new_key'], unique=False)

    op.create_table('installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Uuid(), nullable=False),
    sa.Column('site_idx', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('is_demo', sa.Boolean(), nullable=False),
    sa.Column('province_key', sa.String(length=40), nullable=False),
    sa.Column('commune_key', sa.String(length=40), nullable=True),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('ethnic_scheme', sa.String(length=10), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hlc', sa.BigInteger(), nullable=False),
    sa.Column('install_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role <> 'commune' OR commune_key IS NOT NULL", name=op.f('ck_installation_commune_has_unit')),
    sa.CheckConstraint("role IN ('commune', 'province')", name=op.f('ck_installation_role')),
    sa.CheckConstraint('id = 1', name=op.f('ck_installation_single_row')),
    sa.CheckConstraint('seq >= 0 AND hlc >= 0', name=op.f('ck_installation_counters')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_installation_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['province_key'], ['admin_unit.key'], name=op.f('fk_installation_province_key_admin_unit')),
    sa.ForeignKeyConstraint(['site_idx'], ['sync_site.idx'], name=op.f('fk_installation_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation')),
    sa.UniqueConstraint('site_id', name=op.f('uq_installation_site_id'))
    )
    op.create_table('row_version',
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Uuid(), nullable=False),
    sa.Column('site_idx', sa.Integer(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['site_idx'], ['sync_site.idx'], name=op.f('fk_row_version_site_idx_sync_site')),
    sa.PrimaryKeyConstraint('table_name', 'row_id', 'site_idx', name=op.f('pk_row_version'))
    )
    with op.batch_alter_table('row_version', schema=None) as batch_op:
        batch_op.create_index('ix_row_version_site_seq', ['site_idx', 'seq'], unique=False)

    op.create_table('target',
    sa.Column('indicator_key', sa.String(length=80), nullable=False),
    sa.Column('commune_key', sa.String(length=40), nullable=False),
    sa.Column('period', sa.String(length=9), nullable=False),
    sa.Column('value', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=False),
    sa.Column('set_by_province', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint('length(period) IN (4, 9)', name=op.f('ck_target_period')),
    sa.CheckConstraint('value >= 0', name=op.f('ck_target_value')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_target_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['indicator_key'], ['catalogue_item.key'], name=op.f('fk_target_indicator_key_catalogue_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target')),
    sa.UniqueConstraint('indicator_key', 'commune_key', 'period', name=op.f('uq_target_indicator_key_commune_key_period'))
    )
    op.create_table('village',
    sa.Column('commune_key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_fold', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=True),
    sa.Column('extremely_difficult', sa.Boolean(), nullable=False),
    sa.Column('difficulty_decision', sa.String(length=120), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('successor_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint('successor_id IS NULL OR successor_id <> id', name=op.f('ck_village_not_own_successor')),
    sa.CheckConstraint('valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from', name=op.f('ck_village_validity')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_village_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['successor_id'], ['village.id'], name=op.f('fk_village_successor_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village'))
    )
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.create_index('ix_village_commune', ['commune_key', 'name_fold'], unique=False)

    op.create_table('community_group',
    sa.Column('commune_key', sa.String(length=40), nullable=False),
    sa.Column('type_key', sa.String(length=80), nullable=False),
    sa.Column('subtype', sa.String(length=40), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_fold', sa.String(length=200), nullable=False),
    sa.Column('village_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('phase', sa.String(length=9), nullable=False),
    sa.Column('founding_decision_no', sa.String(length=60), nullable=True),
    sa.Column('founding_decision_date', sa.Date(), nullable=True),
    sa.Column('founding_issuer', sa.String(length=120), nullable=True),
    sa.Column('rules_date', sa.Date(), nullable=True),
    sa.Column('launch_date', sa.Date(), nullable=True),
    sa.Column('host_location', sa.String(length=200), nullable=True),
    sa.Column('registration_no', sa.String(length=60), nullable=True),
    sa.Column('field_of_activity', sa.String(length=200), nullable=True),
    sa.Column('hotline', sa.String(length=60), nullable=True),
    sa.Column('props', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("phase IN ('2021-2025', '2026-2030')", name=op.f('ck_community_group_phase')),
    sa.CheckConstraint("status IN ('active', 'reorganised', 'dissolved', 'stopped')", name=op.f('ck_community_group_status')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_community_group_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['type_key'], ['catalogue_item.key'], name=op.f('fk_community_group_type_key_catalogue_item')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_community_group_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_group'))
    )
    with op.batch_alter_table('community_group', schema=None) as batch_op:
        batch_op.create_index('ix_community_group_type', ['commune_key', 'type_key', 'deleted'], unique=False)

    op.create_table('person',
    sa.Column('commune_key', sa.String(length=40), nullable=False),
    sa.Column('village_id', sa.Uuid(), nullable=True),
    sa.Column('family_name', sa.String(length=60), nullable=False),
    sa.Column('middle_name', sa.String(length=80), nullable=True),
    sa.Column('given_name', sa.String(length=60), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('search_key', sa.String(length=200), nullable=False),
    sa.Column('sort_key', sa.String(length=800), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.SmallInteger(), nullable=True),
    sa.Column('ethnic_key', sa.String(length=80), nullable=True),
    sa.Column('religion', sa.String(length=60), nullable=True),
    sa.Column('cccd', sa.String(length=12), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('position_key', sa.String(length=80), nullable=True),
    sa.Column('school', sa.String(length=120), nullable=True),
    sa.Column('grade', sa.SmallInteger(), nullable=True),
    sa.Column('guardian_name', sa.String(length=120), nullable=True),
    sa.Column('guardian_phone', sa.String(length=20), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("sex IN ('F', 'M')", name=op.f('ck_person_sex')),
    sa.CheckConstraint('birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100', name=op.f('ck_person_birth_year')),
    sa.CheckConstraint('cccd IS NULL OR length(cccd) IN (9, 12)', name=op.f('ck_person_cccd_length')),
    sa.CheckConstraint('grade IS NULL OR grade BETWEEN 1 AND 12', name=op.f('ck_person_grade')),
    sa.CheckConstraint('length(given_name) > 0', name=op.f('ck_person_given_name')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_person_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['ethnic_key'], ['catalogue_item.key'], name=op.f('fk_person_ethnic_key_catalogue_item')),
    sa.ForeignKeyConstraint(['position_key'], ['catalogue_item.key'], name=op.f('fk_person_position_key_catalogue_item')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_person_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_cccd', ['cccd'], unique=False)
        batch_op.create_index('ix_person_sort', ['commune_key', 'deleted', 'sort_key'], unique=False)
        batch_op.create_index('ix_person_village', ['village_id'], unique=False)

    op.create_table('activity',
    sa.Column('commune_key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('phase', sa.String(length=9), nullable=False),
    sa.Column('content_key', sa.String(length=80), nullable=True),
    sa.Column('group_id', sa.Uuid(), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('date_start', sa.Date(), nullable=False),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('days', sa.Numeric(precision=5, scale=1, asdecimal=False), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('village_ids', sa.JSON(), nullable=False),
    sa.Column('topic_keys', sa.JSON(), nullable=False),
    sa.Column('form_key', sa.String(length=80), nullable=True),
    sa.Column('training_type_key', sa.String(length=80), nullable=True),
    sa.Column('facilitator', sa.String(length=120), nullable=True),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('chair_name', sa.String(length=120), nullable=True),
    sa.Column('chair_position', sa.String(length=120), nullable=True),
    sa.Column('questions_raised', sa.Integer(), nullable=True),
    sa.Column('questions_answered', sa.Integer(), nullable=True),
    sa.Column('questions_forwarded', sa.Integer(), nullable=True),
    sa.Column('cost_vnd', sa.BigInteger(), nullable=True),
    sa.Column('funding_source', sa.String(length=120), nullable=True),
    sa.Column('participation', sa.String(length=10), nullable=False),
    sa.Column('count_total', sa.Integer(), nullable=True),
    sa.Column('count_women', sa.Integer(), nullable=True),
    sa.Column('count_men', sa.Integer(), nullable=True),
    sa.Column('count_minority', sa.Integer(), nullable=True),
    sa.Column('count_children', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("COALESCE(count_children, 0) <= COALESCE(count_total, 0) OR participation = 'attendance'", name=op.f('ck_activity_counts_children')),
    sa.CheckConstraint("COALESCE(count_minority, 0) <= COALESCE(count_total, 0) OR participation = 'attendance'", name=op.f('ck_activity_counts_minority')),
    sa.CheckConstraint("COALESCE(count_women, 0) + COALESCE(count_men, 0) <= COALESCE(count_total, 0) OR participation = 'attendance'", name=op.f('ck_activity_counts_sex')),
    sa.CheckConstraint("kind <> 'group_meeting' OR group_id IS NOT NULL", name=op.f('ck_activity_meeting_group')),
    sa.CheckConstraint("kind IN ('group_meeting', 'communication', 'policy_dialogue', 'training')", name=op.f('ck_activity_kind')),
    sa.CheckConstraint("participation <> 'counts' OR count_total IS NOT NULL", name=op.f('ck_activity_counts_total')),
    sa.CheckConstraint("participation IN ('attendance', 'counts')", name=op.f('ck_activity_participation')),
    sa.CheckConstraint("phase IN ('2021-2025', '2026-2030')", name=op.f('ck_activity_phase')),
    sa.CheckConstraint('(count_total IS NULL OR count_total >= 0) AND (count_women IS NULL OR count_women >= 0) AND (count_men IS NULL OR count_men >= 0) AND (count_minority IS NULL OR count_minority >= 0) AND (count_children IS NULL OR count_children >= 0)', name=op.f('ck_activity_counts_positive')),
    sa.CheckConstraint('cost_vnd IS NULL OR cost_vnd >= 0', name=op.f('ck_activity_cost')),
    sa.CheckConstraint('date_end IS NULL OR date_end >= date_start', name=op.f('ck_activity_dates')),
    sa.CheckConstraint('questions_answered IS NULL OR questions_raised IS NULL OR COALESCE(questions_answered, 0) + COALESCE(questions_forwarded, 0) <= questions_raised', name=op.f('ck_activity_questions')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_activity_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['content_key'], ['catalogue_item.key'], name=op.f('fk_activity_content_key_catalogue_item')),
    sa.ForeignKeyConstraint(['form_key'], ['catalogue_item.key'], name=op.f('fk_activity_form_key_catalogue_item')),
    sa.ForeignKeyConstraint(['group_id'], ['community_group.id'], name=op.f('fk_activity_group_id_community_group')),
    sa.ForeignKeyConstraint(['training_type_key'], ['catalogue_item.key'], name=op.f('fk_activity_training_type_key_catalogue_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_date', ['commune_key', 'deleted', 'date_start'], unique=False)
        batch_op.create_index('ix_activity_group', ['group_id', 'date_start'], unique=False)

    op.create_table('group_support',
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('item', sa.String(length=200), nullable=False),
    sa.Column('value_vnd', sa.BigInteger(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint('value_vnd IS NULL OR value_vnd >= 0', name=op.f('ck_group_support_value')),
    sa.ForeignKeyConstraint(['group_id'], ['community_group.id'], name=op.f('fk_group_support_group_id_community_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_support'))
    )
    with op.batch_alter_table('group_support', schema=None) as batch_op:
        batch_op.create_index('ix_group_support_group', ['group_id'], unique=False)

    op.create_table('membership',
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('role_key', sa.String(length=80), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint('left_on IS NULL OR joined_on IS NULL OR left_on >= joined_on', name=op.f('ck_membership_dates')),
    sa.ForeignKeyConstraint(['group_id'], ['community_group.id'], name=op.f('fk_membership_group_id_community_group')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_membership_person_id_person')),
    sa.ForeignKeyConstraint(['role_key'], ['catalogue_item.key'], name=op.f('fk_membership_role_key_catalogue_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index('ix_membership_group', ['group_id', 'deleted'], unique=False)
        batch_op.create_index('ix_membership_person', ['person_id', 'deleted'], unique=False)

    op.create_table('safe_delivery_support',
    sa.Column('commune_key', sa.String(length=40), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('support_type', sa.String(length=10), nullable=False),
    sa.Column('amount_vnd', sa.BigInteger(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('voucher_no', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("support_type IN ('normal', 'caesarean', 'other')", name=op.f('ck_safe_delivery_support_type')),
    sa.CheckConstraint('amount_vnd >= 0', name=op.f('ck_safe_delivery_support_amount')),
    sa.ForeignKeyConstraint(['commune_key'], ['admin_unit.key'], name=op.f('fk_safe_delivery_support_commune_key_admin_unit')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_safe_delivery_support_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safe_delivery_support'))
    )
    with op.batch_alter_table('safe_delivery_support', schema=None) as batch_op:
        batch_op.create_index('ix_safe_delivery_date', ['commune_key', 'given_on'], unique=False)
        batch_op.create_index('ix_safe_delivery_person', ['person_id'], unique=False)

    op.create_table('trusted_address_case',
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('violence_form_key', sa.String(length=80), nullable=False),
    sa.Column('support_given', sa.String(length=200), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('ethnic_key', sa.String(length=80), nullable=True),
    sa.Column('case_count', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.CheckConstraint("age_band IN ('under_16', '16_17', '18_59', '60_plus')", name=op.f('ck_trusted_address_case_age_band')),
    sa.CheckConstraint("sex IN ('F', 'M')", name=op.f('ck_trusted_address_case_sex')),
    sa.CheckConstraint('case_count >= 1', name=op.f('ck_trusted_address_case_case_count')),
    sa.ForeignKeyConstraint(['ethnic_key'], ['catalogue_item.key'], name=op.f('fk_trusted_address_case_ethnic_key_catalogue_item')),
    sa.ForeignKeyConstraint(['group_id'], ['community_group.id'], name=op.f('fk_trusted_address_case_group_id_community_group')),
    sa.ForeignKeyConstraint(['violence_form_key'], ['catalogue_item.key'], name=op.f('fk_trusted_address_case_violence_form_key_catalogue_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_address_case'))
    )
    with op.batch_alter_table('trusted_address_case', schema=None) as batch_op:
        batch_op.create_index('ix_trusted_case_group', ['group_id', 'reported_on'], unique=False)

    op.create_table('attendance',
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('present', sa.Boolean(), nullable=False),
    sa.Column('is_guest', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('stamps', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_attendance_activity_id_activity')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('activity_id', 'person_id', name=op.f('uq_attendance_activity_id_person_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_person', ['person_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_person')

    op.drop_table('attendance')
    with op.batch_alter_table('trusted_address_case', schema=None) as batch_op:
        batch_op.drop_index('ix_trusted_case_group')

    op.drop_table('trusted_address_case')
    with op.batch_alter_table('safe_delivery_support', schema=None) as batch_op:
        batch_op.drop_index('ix_safe_delivery_person')
        batch_op.drop_index('ix_safe_delivery_date')

    op.drop_table('safe_delivery_support')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index('ix_membership_person')
        batch_op.drop_index('ix_membership_group')

    op.drop_table('membership')
    with op.batch_alter_table('group_support', schema=None) as batch_op:
        batch_op.drop_index('ix_group_support_group')

    op.drop_table('group_support')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_group')
        batch_op.drop_index('ix_activity_date')

    op.drop_table('activity')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_village')
        batch_op.drop_index('ix_person_sort')
        batch_op.drop_index('ix_person_cccd')

    op.drop_table('person')
    with op.batch_alter_table('community_group', schema=None) as batch_op:
        batch_op.drop_index('ix_community_group_type')

    op.drop_table('community_group')
    with op.batch_alter_table('village', schema=None) as batch_op:
        batch_op.drop_index('ix_village_commune')

    op.drop_table('village')
    op.drop_table('target')
    with op.batch_alter_table('row_version', schema=None) as batch_op:
        batch_op.drop_index('ix_row_version_site_seq')

    op.drop_table('row_version')
    op.drop_table('installation')
    with op.batch_alter_table('admin_succession', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_succession_new')

    op.drop_table('admin_succession')
    op.drop_table('sync_site')
    op.drop_table('setting')
    with op.batch_alter_table('catalogue_item', schema=None) as batch_op:
        batch_op.drop_index('ix_catalogue_item_kind')

    op.drop_table('catalogue_item')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity')
        batch_op.drop_index('ix_audit_log_at')

    op.drop_table('audit_log')
    with op.batch_alter_table('admin_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_admin_unit_parent')

    op.drop_table('admin_unit')

