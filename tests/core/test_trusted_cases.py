"""Trusted-address cases (issue 20 item 5): aggregates only, written through the service with
its checks, audited, deleted recoverably, counted by the catalogue's `cases` rule (hand-counted
below) and carried to the province in a bundle."""

import datetime as dt

import pytest
from sqlalchemy import select

from da8desktop.core.db.models import AuditEntry, TrustedAddressCase
from da8desktop.core.errors import ValidationFailed
from da8desktop.core.indicators.periods import Period
from da8desktop.core.indicators.progress import compute_progress
from da8desktop.core.indicators.figure_records import records_behind
from da8desktop.core.services.groups import GroupsService
from da8desktop.core.services.trusted_cases import TrustedCasesService, get_case, list_cases
from da8desktop.core.services.villages import VillagesService

TODAY = dt.date(2026, 11, 23)
THAI, KINH = "ethnic:2008:03", "ethnic:2008:01"


def _address(db, name="Địa chỉ tin cậy xã"):
    village = VillagesService(db).create(name="Bản Phăng").id
    return GroupsService(db).create(type_key="group_type:DCTC", name=name, village_id=village,
                                    launch_date=dt.date(2024, 3, 8)).id


def _case(db, group, day, form="THE_CHAT", sex="F", band="18_59", ethnic=THAI, n=1,
          support=("case_support:TU_VAN",)):
    return TrustedCasesService(db).create(
        group_id=group, reported_on=day, violence_form_key=f"violence_form:{form}",
        support_given=list(support), sex=sex, age_band=band, ethnic_key=ethnic, case_count=n).id


@pytest.fixture
def counted(commune_db):
    """Cases of 2026 counted by hand: 3 + 2 + 1 + 4 = 10 (one of 2025 and a deleted one not)."""
    db = commune_db
    group = _address(db)
    _case(db, group, dt.date(2026, 2, 3), "THE_CHAT", "F", "18_59", THAI, 3)
    _case(db, group, dt.date(2026, 5, 9), "TINH_THAN", "F", "under_16", THAI, 2,
          ("case_support:TU_VAN", "case_support:TAM_LANH"))
    _case(db, group, dt.date(2026, 8, 1), "THE_CHAT", "M", "under_16", KINH, 1)
    _case(db, group, dt.date(2026, 10, 30), "KINH_TE", "F", "60_plus", None, 4)
    _case(db, group, dt.date(2025, 12, 31), "THE_CHAT", "F", "18_59", THAI, 5)  # last year
    gone = _case(db, group, dt.date(2026, 6, 6), "TINH_DUC", "F", "16_17", THAI, 7)
    TrustedCasesService(db).delete(gone)
    return db, group


def test_case_figures_equal_the_hand_count(counted):
    db, _group = counted
    rows = {r.indicator.code: r for r in compute_progress(db, Period.choose(2026), TODAY).rows}
    all_cases = rows["II.DCTC_VU"].cell.figure
    assert all_cases.total == 3 + 2 + 1 + 4
    assert (all_cases.women, all_cases.men) == (3 + 2 + 4, 1)
    assert all_cases.children == 2 + 1  # age band under 16
    assert all_cases.minority == 3 + 2  # Thái; the Kinh case and the one without a group are not
    assert all_cases.villages == {"Bản Phăng": 10}  # the trusted address's village
    assert rows["II.DCTC_VU_TC"].cell.achieved == 3 + 1
    assert rows["II.DCTC_VU_TT"].cell.achieved == 2
    assert rows["II.DCTC_VU_KT"].cell.achieved == 4
    assert rows["II.DCTC_VU_TD"].cell.achieved == 0  # its only case was deleted
    q1 = {r.indicator.code: r for r in compute_progress(db, Period.choose(2026, 1), TODAY).rows}
    assert q1["II.DCTC_VU"].in_quarter == 3
    phase_one = {r.indicator.code: r
                 for r in compute_progress(db, Period.choose(2025), TODAY).rows}
    assert phase_one["I.DCTC_VU"].cell.achieved == 5
    behind = records_behind(db, rows["II.DCTC_VU_TC"].indicator, _span(2026))
    assert sorted(r.value for r in behind) == [1, 3]
    assert {r.kind for r in behind} == {"group"}  # the trusted address, never a person


def _span(year):
    from da8desktop.core.indicators.measures import Span

    return Span(dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year, 12, 31))


def test_only_aggregates_are_accepted(commune_db):
    db = commune_db
    group = _address(db)
    team = GroupsService(db).create(type_key="group_type:TTCD", name="Tổ TT").id
    service = TrustedCasesService(db)
    base = {"group_id": group, "reported_on": dt.date(2026, 3, 1),
            "violence_form_key": "violence_form:THE_CHAT", "sex": "F", "age_band": "18_59",
            "case_count": 1}
    refusals = {
        "support_given": {"support_given": "Lò Thị Mai, tạm lánh"},  # a name in free text
        "group_id": {"group_id": team},
        "reported_on": {"reported_on": dt.date.today() + dt.timedelta(days=2)},
        "case_count": {"case_count": 0},
        "ethnic_key": {"ethnic_key": "violence_form:THE_CHAT"},
        "violence_form_key": {"violence_form_key": "ethnic:2008:03"},
    }
    for field, change in refusals.items():
        with pytest.raises(ValidationFailed) as failed:
            service.create(**{**base, **change})
        assert field in {e.field for e in failed.value.errors}, field
    with pytest.raises(ValidationFailed):
        service.create(**base, support_given=["case_support:NOT_IN_THE_LIST"])
    with pytest.raises(ValidationFailed):
        service.create(**{**base, "case_count": 1000})
    with pytest.raises(TypeError):  # there is no field to hold a name or a note at all
        service.create(**base, note="Lò Thị Mai")
    assert not hasattr(TrustedAddressCase, "note") and not hasattr(TrustedAddressCase, "name")
    with db.read() as session:
        assert session.scalar(select(TrustedAddressCase.id)) is None


def test_edit_delete_restore_and_audit(commune_db):
    db = commune_db
    group = _address(db)
    case_id = _case(db, group, dt.date(2026, 4, 2), n=2)
    service = TrustedCasesService(db)
    service.update(case_id, case_count=3, support_given=["case_support:PHAP_LY"])
    [row] = list_cases(db, group)
    assert (row.case_count, row.support_keys, row.support) == (
        3, ("case_support:PHAP_LY",), "Trợ giúp pháp lý")
    service.delete(case_id)
    assert list_cases(db, group) == [] and get_case(db, case_id) is None
    service.restore(case_id)
    assert get_case(db, case_id).case_count == 3
    with db.read() as session:
        actions = [a.action for a in session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "trusted_address_case",
                                   AuditEntry.entity_id == str(case_id)).order_by(AuditEntry.id))]
    assert actions == ["create", "update", "delete", "restore"]


def test_cases_travel_to_the_province(world):
    a1, province = world.dbs["A1"], world.dbs["P"]
    group = _address(a1)
    case_id = _case(a1, group, dt.date(2026, 3, 1), "TINH_THAN", "F", "under_16", THAI, 2,
                    ("case_support:TU_VAN", "case_support:Y_TE"))
    for path in world.send("A1", "P"):
        assert world.receive("P", path).ok
    arrived = get_case(province, case_id)
    assert arrived is not None and arrived.case_count == 2
    assert arrived.support_keys == ("case_support:TU_VAN", "case_support:Y_TE")
    rows = {r.indicator.code: r for r in compute_progress(province, Period.choose(2026),
                                                         TODAY).rows}
    assert rows["II.DCTC_VU_TT"].cell.achieved == 2
