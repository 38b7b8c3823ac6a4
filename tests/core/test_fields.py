"""One declaration of each field's limits (core/fields.py): the columns agree with it, and for
every declared field the services (what the commune's forms save) accept exactly the values
the province's sync decoder accepts, at the boundaries (issue #18, item 2)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import sqlalchemy as sa

from da8desktop.core import fields
from da8desktop.core.errors import ValidationFailed
from da8desktop.core.sync import codec
from da8desktop.core.sync.partition import MODELS_BY_TABLE
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, GroupSupportService
from da8desktop.core.services.support import SafeDeliveryService
from da8desktop.core.services.trusted_cases import TrustedCasesService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.villages import VillagesService

SERVICES = {
    "village": (VillagesService, {"name": "Bản Nà Phá"}),
    "person": (PeopleService, {"family_name": "Lò", "middle_name": "Thị", "given_name": "Mai",
                               "sex": "F", "birth_year": 1980}),
    "community_group": (GroupsService, {"type_key": "group_type:TTCD", "name": "Tổ TT Nà Phá"}),
    "group_support": (GroupSupportService, {"item": "Máy tính", "group_id": "group"}),
    "safe_delivery_support": (SafeDeliveryService, {"person_id": "woman", "support_type": "normal",
                                                    "amount_vnd": 2_200_000,
                                                    "given_on": dt.date(2026, 2, 1)}),
    "trusted_address_case": (TrustedCasesService, {
        "group_id": "group", "reported_on": dt.date(2026, 2, 1), "sex": "F",
        "violence_form_key": "violence_form:THE_CHAT", "age_band": "18_59", "case_count": 1}),
    "activity": (ActivitiesService, {"kind": "communication", "title": "Truyền thông",
                                     "date_start": dt.date(2026, 3, 8), "count_total": 30,
                                     "count_women": 20}),
}
UNIQUE = itertools.count()
PHONES_OK = ["0912345678", "0912 345 678", "+84912345678", "+84 912 345 678", "02153811111",
             "0912.345.678", "02153811/0912345678", "21538111 - 0912345", "0912345, 0987654"]
PHONES_BAD = ["0912345678 - 0987654321", "1", "0912-345-678", "abc", "0912345678 / ",
              "(0215) 381 111", "0912345 / 0987654 / 01"]


def boundary_values(rule: fields.FieldRule) -> list[object]:
    """Values at and around the rule's limits, for one field."""
    if rule.form == "phone":
        return PHONES_OK + PHONES_BAD
    if rule.form == "cccd":
        return ["001180012345", "011180012345", "012345678", "00118001234", "0011800123456",
                "00118001234a"]
    if rule.form == "cases":
        return [0, 1, 999, 1000, -1]
    if rule.form == "headcount":
        return [-1, 0, 9999, 10000]
    if rule.form == "case_support":  # codes of the catalogue only, never text (no names)
        return ["case_support:TU_VAN", "case_support:TU_VAN,case_support:TAM_LANH",
                "Lò Thị Mai, tạm lánh", "case_support:tu_van", "case_support:TU_VAN,",
                ",".join(["case_support:KHAC"] * 7)]
    if rule.form == "year":
        this_year = dt.date.today().year
        return [1899, 1900, 1980, this_year, this_year + 1]
    assert rule.max_length is not None
    n = rule.max_length
    return ["ả" * n, "ả" * (n + 1), "x" * (n - 1), "Bản " + "ư" * (n - 4), "y" * (n + 40)]


def column(rule: fields.FieldRule) -> sa.Column:
    return MODELS_BY_TABLE[rule.table].__table__.c[rule.name]


@pytest.mark.parametrize("rule", fields.RULES, ids=lambda r: f"{r.table}.{r.name}")
def test_each_declared_length_is_its_column_width(rule):
    kind = column(rule).type
    if rule.max_length is None:
        assert not isinstance(kind, sa.String) or kind.length is None
    else:
        assert isinstance(kind, sa.String) and kind.length == rule.max_length


def test_every_bounded_text_a_user_types_is_declared():
    """A String(N) column of a synced table is declared, or derived/chosen (not typed)."""
    not_typed = {"name_fold", "search_key", "sort_key", "sort_key_family", "sex", "status",
                 "phase", "kind", "participation", "support_type", "age_band", "period",
                 "owner_table", "sha256", "commune_key"}
    for table, model in MODELS_BY_TABLE.items():
        for col in model.__table__.columns:
            if isinstance(col.type, sa.String) and col.type.length and not col.foreign_keys \
                    and col.key not in not_typed and col.key in model.data_fields():
                assert fields.rule(table, col.key) is not None, f"{table}.{col.key} undeclared"


def _service_accepts(db, rule, value) -> bool:
    service_class, base = SERVICES[rule.table]
    values = dict(base)
    for name, given in values.items():  # a parent record, made once per database
        if given in ("group", "woman"):
            values[name] = _parent(db, given)
    if "name" in values:  # villages' names are unique in a commune
        values["name"] = f"{values['name']} {next(UNIQUE)}"
    if rule.name in ("family_name", "middle_name", "given_name"):
        values.update(family_name="L", middle_name=None, given_name="M")
    values[rule.name] = value
    try:
        service_class(db).create(**values)
    except ValidationFailed as failed:
        assert any(e.field == rule.name for e in failed.errors), failed.message()
        assert rule.label.render() in failed.message()  # the field is named, plainly
        return False
    return True


PARENTS: dict[tuple[str, str], object] = {}


def _parent(db, kind):
    key = (str(db.url), kind)
    if key not in PARENTS:
        PARENTS[key] = (GroupsService(db).create(type_key="group_type:DCTC", name="Địa chỉ tin cậy").id
                        if kind == "group" else PeopleService(db).create(
                            full_name="Lò Thị Ơn", sex="F", birth_year=1990).id)
    return PARENTS[key]


def _decoder_accepts(rule, value) -> bool:
    try:
        codec.decode_value(column(rule), value)
    except codec.BadRecord as refused:
        assert rule.label.render() in str(refused)
        return False
    return True


@pytest.mark.parametrize("rule", [r for r in fields.RULES if r.table in SERVICES],
                         ids=lambda r: f"{r.table}.{r.name}")
def test_the_service_accepts_exactly_what_the_province_decoder_accepts(commune_db, rule):
    checked = 0
    for value in boundary_values(rule):
        if rule.name == "full_name":
            continue  # derived from its parts: tested below
        assert _service_accepts(commune_db, rule, value) == _decoder_accepts(rule, value), value
        checked += 1
    assert checked or rule.name == "full_name"


def test_a_full_name_longer_than_its_column_is_refused_at_both_ends(commune_db):
    people = PeopleService(commune_db)
    rule = fields.rule("person", "full_name")
    fits = {"family_name": "L" * 59, "middle_name": "T" * 79, "given_name": "M" * 60}
    people.create(sex="F", birth_year=1980, **fits)  # 200 characters with the spaces
    assert _decoder_accepts(rule, " ".join(fits.values()))
    with pytest.raises(ValidationFailed) as failed:
        people.create(sex="F", birth_year=1980, **{**fits, "family_name": "L" * 60})
    assert failed.value.message() == fields.TOO_LONG.render(field=rule.label.render(), length=200)
    assert not _decoder_accepts(rule, "L" * 60 + " " + "T" * 79 + " " + "M" * 60)


def test_the_province_names_the_field_where_it_said_wrong_type():
    rule = fields.rule("person", "phone")
    with pytest.raises(codec.BadRecord) as refused:
        codec.decode_value(column(rule), "0912345678 - 0987654321")
    assert str(refused.value) == fields.TOO_LONG.render(field=rule.label.render(), length=20)
    village = fields.rule("village", "name")
    with pytest.raises(codec.BadRecord) as refused:
        codec.decode_value(column(village), "B" * 129)
    assert str(refused.value) == fields.TOO_LONG.render(field=village.label.render(), length=120)
    assert fields.TOO_LONG.source == "{field} is longer than {length} characters."


def test_an_attachment_caption_is_held_to_the_same_limit(commune_db, tmp_path):
    from da8desktop.core.services.attachments import add_attachment

    team = GroupsService(commune_db).create(type_key="group_type:TTCD", name="Tổ TT").id
    scan = tmp_path / "bien-ban.jpg"
    scan.write_bytes(b"\xff\xd8 a scan")
    rule = fields.rule("attachment", "caption")
    for caption in ("c" * 300, "c" * 301):
        try:
            add_attachment(commune_db, "community_group", team, scan, caption)
            accepted = True
        except ValidationFailed as failed:
            assert rule.label.render() in failed.message()
            accepted = False
        assert accepted == _decoder_accepts(rule, caption) == (len(caption) <= 300)
