"""Hostile values in a validly signed commune bundle (the second adversarial review): records
whose types and lengths are right but whose values no form of the commune could have written —
trusted-address cases with codes that are not in the catalogue, absurd counts, days out of
range, a case hung on a livelihood group, a name smuggled in an extra field; livelihood groups
with negative owners, a subtype not in the list, a 10 MB registration number. Each bundle is
signed by the enrolled laptop A1's real key (tests/core/test_sync_ownership.a1_bundle).

Outcome: each hostile record is refused alone, named in the receipt with a reason in the
officer's language, and nothing of it is stored; the honest record beside it is taken."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from da8desktop.core.db.models import Group, TrustedAddressCase
from da8desktop.core.hlc import pack, wall_millis
from da8desktop.core.i18n import install_ts_language
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.trusted_cases import TrustedCasesService
from da8desktop.core.services.villages import VillagesService
from da8desktop.core.sync import codec
from da8desktop.core.sync.export import row_lines
from da8desktop.core.sync.importer import import_file
from da8desktop.core.sync.state import Sites
from tests.core.test_sync_ownership import a1_bundle, site_of, snapshot

NAME = "Lò Thị Mai"


def _line(db, model, row_id) -> dict[str, Any]:
    with db.read() as session:
        [line] = row_lines(session, Sites(session), model, model.id == row_id, None)
    return line


def _born_at_a1(world, template: dict[str, Any], **values: Any) -> dict[str, Any]:
    """A new row of A1 (its own stamps), a copy of `template` with `values` changed."""
    line = copy.deepcopy(template)
    site = site_of(world.dbs["A1"])
    line["id"] = str(uuid.uuid4())
    line["v"].update({k: codec.encode_value(v) for k, v in values.items()})
    line["s"] = {f: [site, 900_000, pack(wall_millis(), 0)] for f in line["v"]}
    line["c"] = {site: 900_000}
    return line


@pytest.fixture
def cases_world(world):
    """At A1 (and, after a round, at the province): a trusted address with one case, and a
    livelihood group."""
    a1 = world.dbs["A1"]
    village = VillagesService(a1).create(name="Bản Phăng").id
    address = GroupsService(a1).create(type_key="group_type:DCTC", name="Địa chỉ tin cậy xã",
                                       village_id=village, launch_date=dt.date(2024, 3, 8)).id
    livelihood = GroupsService(a1).create(type_key="group_type:SINHKE", name="THT Dệt",
                                          subtype="THT", village_id=village).id
    case = TrustedCasesService(a1).create(
        group_id=address, reported_on=dt.date(2026, 2, 3), violence_form_key="violence_form:THE_CHAT",
        support_given=["case_support:TU_VAN"], sex="F", age_band="18_59", case_count=2).id
    world.round()
    return address, livelihood, case


def _import(world, tmp_path, lines, name):
    install_ts_language("en")  # the Vietnamese is in translations-pending/hattack.jsonl
    path = a1_bundle(world, tmp_path, lines, name=name)
    return import_file(world.dbs["P"], path)


def test_hostile_trusted_address_cases_are_refused_one_by_one(world, cases_world, tmp_path):
    address, livelihood, case = cases_world
    p = world.dbs["P"]
    template = _line(p, TrustedAddressCase, case)
    hostile = {
        "support_not_in_catalogue": dict(support_given="case_support:NOT_IN_THE_LIST"),
        "support_another_kind": dict(support_given="case_support:TU_VAN,case_support:KINH"),
        "support_free_text": dict(support_given=NAME),
        "form_is_an_ethnic_group": dict(violence_form_key="ethnic:2008:01"),
        "form_missing": dict(violence_form_key="violence_form:NOT_A_FORM"),
        "ethnic_is_a_form": dict(ethnic_key="violence_form:THE_CHAT"),
        "age_band_unknown": dict(age_band="99_200"),
        "sex_unknown": dict(sex="X"),
        "count_zero": dict(case_count=0),
        "count_negative": dict(case_count=-5),
        "count_absurd": dict(case_count=30_000),
        "count_beyond_smallint": dict(case_count=10**9),
        "count_not_a_number": dict(case_count="3"),
        "day_in_2099": dict(reported_on=dt.date(2099, 1, 1)),
        "day_in_1900": dict(reported_on=dt.date(1900, 1, 1)),
        "on_a_livelihood_group": dict(group_id=livelihood),
    }
    lines = [_born_at_a1(world, template, **change) for change in hostile.values()]
    smuggled = _born_at_a1(world, template)
    smuggled["v"]["note"] = NAME  # a field this table does not have
    smuggled["s"]["note"] = smuggled["s"]["reported_on"]
    honest = _born_at_a1(world, template, case_count=4)
    report = _import(world, tmp_path, {"trusted_address_case": [*lines, smuggled, honest]},
                     "cases.da8")

    refused = {o.row_id: o.reason for o in report.outcomes if o.action == "rejected"}
    for name, line in zip([*hostile, "smuggled_note"], [*lines, smuggled]):
        assert uuid.UUID(line["id"]) in refused, name
        assert refused[uuid.UUID(line["id"])], name
    assert len(refused) == len(hostile) + 1
    assert "Traceback" not in report.message
    with p.read() as session:
        stored = {r.id: r for r in session.scalars(select(TrustedAddressCase))}
    assert uuid.UUID(honest["id"]) in stored and stored[uuid.UUID(honest["id"])].case_count == 4
    assert not {uuid.UUID(line["id"]) for line in [*lines, smuggled]} & set(stored)
    # The reasons the officer reads are plain words, translated like every receipt reason.
    reason = refused[uuid.UUID(lines[list(hostile).index("support_not_in_catalogue")]["id"])]
    assert "not in the list" in reason and "NOT_IN_THE_LIST" in reason, reason
    reason = refused[uuid.UUID(lines[list(hostile).index("on_a_livelihood_group")]["id"])]
    assert "trusted address" in reason, reason


def test_hostile_livelihood_groups_are_refused_and_a_huge_field_refuses_the_file(
        world, cases_world, tmp_path):
    _address, livelihood, _case = cases_world
    p = world.dbs["P"]
    template = _line(p, Group, livelihood)
    hostile = {
        "owners_negative": dict(women_owners=-1),
        "co_owners_negative": dict(women_co_owners=-3),
        "owners_absurd": dict(women_owners=50_000),
        "subtype_not_in_list": dict(subtype="Công ty"),
        "type_is_a_role": dict(type_key="role:THANH_VIEN"),
        "registration_too_long": dict(registration_no="9" * 61),
    }
    lines = [_born_at_a1(world, template, **change) for change in hostile.values()]
    honest = _born_at_a1(world, template, name="THT Mây tre", women_owners=5, women_co_owners=2)
    report = _import(world, tmp_path, {"community_group": [*lines, honest]}, "groups.da8")
    refused = {o.row_id for o in report.outcomes if o.action == "rejected"}
    assert {uuid.UUID(line["id"]) for line in lines} == refused, report.outcomes
    with p.read() as session:
        stored = set(session.scalars(select(Group.id)))
    assert uuid.UUID(honest["id"]) in stored and not refused & stored

    # A 10 MB registration number: the line is longer than any record, the file is refused
    # whole before anything is written.
    before = snapshot(p)
    giant = _born_at_a1(world, template, registration_no="9" * 10_000_000)
    report = _import(world, tmp_path, {"community_group": [giant, honest]}, "giant.da8")
    assert report.status == "rejected" and "Traceback" not in report.message
    assert snapshot(p) == before
