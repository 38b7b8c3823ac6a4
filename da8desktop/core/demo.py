"""A realistic demo commune, generated through the same services as the GUI.

Deterministic for a seed: the calendar is anchored at DEMO_END, not at today, so two runs with the
same seed give the same records. A seed already loaded is not loaded twice.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Setting
from da8desktop.core.demo_names import (ETHNIC_NAMES, SCHOOLS, SUPPORT_ITEMS, SUPPORT_KINDS,
                                        VILLAGE_NAMES)
from da8desktop.core.domain import (ActivityKind, AgeBand, GroupStatus, Participation, Role,
                                    SafeDeliveryType, Sex)
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.services.activities import ActivitiesService
from da8desktop.core.services.groups import GroupsService, GroupSupportService, MembershipsService
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.site import identity, set_up_installation
from da8desktop.core.services.support import SafeDeliveryService
from da8desktop.core.services.trusted_cases import TrustedCasesService
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.services.villages import VillagesService

DEMO_PROVINCE = "11"  # Điện Biên
DEMO_COMMUNE = "03325"  # Xã Mường Phăng
DEMO_END = dt.date(2026, 11, 15)
ETHNIC_SCHEME = "2008"


@dataclass
class DemoSummary:
    seed: int
    already_loaded: bool = False
    created_site: bool = False
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Person:
    id: uuid.UUID
    sex: str
    birth_year: int
    village: uuid.UUID
    minority: bool


def load_demo(db: Database, seed: int = 1, people: int = 400,
              progress: Progress = no_progress) -> DemoSummary:
    """Add demo data in one transaction; `progress` may raise Cancelled to roll it all back."""
    if people < 50 or people > 200_000:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Demo", "The number of demo people must be between 50 and 200000."))
    summary = DemoSummary(seed)
    site = identity(db)
    if site is None:
        set_up_installation(db, Role.COMMUNE, DEMO_PROVINCE, DEMO_COMMUNE,
                            "Hội LHPN xã Mường Phăng", is_demo=True)
        summary.created_site = True
    elif site.role != Role.COMMUNE:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Demo", "Demo data can only be added to a commune data file."))
    marker = f"demo_seed:{seed}"
    with db.read() as session:
        if session.get(Setting, marker) is not None:
            summary.already_loaded = True
            return summary
    with db.write() as uow:  # one transaction: a demo load is all or nothing
        generator = _Generator(db, random.Random(seed), seed, people, progress)
        generator.run()
        uow.session.add(Setting(key=marker, value={"people": people}))
        summary.counts = generator.counts
    return summary


def person_values(rng: random.Random, villages: list[uuid.UUID], schools: list[str]
                  ) -> dict[str, object]:
    """One plausible person of an ethnic-minority commune (names by ethnic group, a fifth of
    them children at school). Shared with the province-scale benchmark generator (bench/)."""
    codes = list(ETHNIC_NAMES)
    weights = [ETHNIC_NAMES[c][0] for c in codes]
    code = rng.choices(codes, weights)[0]
    _w, families, f_mid, m_mid, f_given, m_given = ETHNIC_NAMES[code]
    sex = Sex.FEMALE if rng.random() < 0.62 else Sex.MALE
    female = sex == Sex.FEMALE
    child = rng.random() < 0.22
    year = rng.randint(2010, 2015) if child else rng.randint(1958, 2004)
    birth_date = (dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                  if rng.random() < 0.55 else None)
    cccd = None
    if not child and rng.random() < 0.5:
        century = 0 if year < 2000 else 2
        cccd = f"011{century + (1 if female else 0)}{year % 100:02d}{rng.randint(0, 999999):06d}"
    village = rng.choice(villages)  # drawn before the names: a seed keeps giving the same people
    return dict(
        family_name=rng.choice(families),
        middle_name=rng.choice(f_mid if female else m_mid),
        given_name=rng.choice(f_given if female else m_given),
        sex=sex.value, birth_date=birth_date, birth_year=year,
        ethnic_key=f"ethnic:{ETHNIC_SCHEME}:{code}", village_id=village, cccd=cccd,
        phone=f"09{rng.randint(10_000_000, 99_999_999)}" if not child and rng.random() < 0.4 else None,
        school=rng.choice(schools) if child else None,
        grade=min(9, max(6, DEMO_END.year - year - 6)) if child else None)


class _Generator:
    def __init__(self, db: Database, rng: random.Random, seed: int, people: int,
                 progress: Progress) -> None:
        self.db, self.rng, self.seed, self.n_people = db, rng, seed, people
        self.progress = progress
        site = identity(db)
        commune = (site.commune_name if site else None) or ""
        self.commune_in_text = commune[:1].lower() + commune[1:]  # "xã Mường Phăng"
        self.place = commune.split(" ", 1)[1] if " " in commune else commune  # "Mường Phăng"
        self.schools = [school.format(place=self.place) for school in SCHOOLS]
        # People one step each, then one step per group's year of meetings (about 20 groups).
        self.total_steps = people + 20
        self.meeting_groups_done = 0
        self.villages_svc = VillagesService(db)
        self.people_svc = PeopleService(db)
        self.groups_svc = GroupsService(db)
        self.members_svc = MembershipsService(db)
        self.activities_svc = ActivitiesService(db)
        self.counts: dict[str, int] = {}
        self.used: set[uuid.UUID] = set()

    def bump(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def run(self) -> None:
        villages = self.make_villages()
        persons = self.make_people(villages)
        adults = [p for p in persons if DEMO_END.year - p.birth_year >= 18]
        children = [p for p in persons if 10 <= DEMO_END.year - p.birth_year <= 15]
        teams = self.make_teams(villages, adults)
        clubs = self.make_clubs(children, adults)
        livelihood = self.make_livelihood(villages, adults)
        self.make_savings(villages, adults)  # stopped since 2025: it holds no new meetings
        trusted = self.make_trusted_address(adults)
        self.progress(self.n_people, self.total_steps)
        for group_id, members in teams:
            self.make_meetings(group_id, members, every_days=30, title="Sinh hoạt tổ truyền thông")
        for group_id, members in clubs:
            self.make_meetings(group_id, members, every_days=15, title="Sinh hoạt CLB")
        for group_id, members in livelihood:  # the savings group is stopped: no new meetings
            self.make_meetings(group_id, members, every_days=91, title="Họp tổ")
        self.make_counted_activities(villages)
        self.make_safe_delivery(adults)
        self.make_trusted_cases(trusted)
        self.make_targets()
        self.progress(self.total_steps, self.total_steps)

    # -- villages and people ------------------------------------------------------------------
    def make_villages(self) -> list[uuid.UUID]:
        existing = self.villages_svc.list()
        ids = [v.id for v in existing]
        names = {v.name for v in existing}
        wanted = max(0, self.rng.randint(10, 20) - len(ids))
        for name in [n for n in VILLAGE_NAMES if n not in names][:wanted]:
            difficult = self.rng.random() < 0.4
            ids.append(self.villages_svc.create(
                name=name, kind=name.split()[0].lower(), extremely_difficult=difficult,
                difficulty_decision="QĐ 612/QĐ-UBDT" if difficult else None).id)
            self.bump("villages")
        return ids

    def make_people(self, villages: list[uuid.UUID]) -> list[_Person]:
        made: list[_Person] = []
        for _ in range(self.n_people):
            values = person_values(self.rng, villages, self.schools)
            result = self.people_svc.create(**values)
            made.append(_Person(result.id, values["sex"], values["birth_year"], values["village_id"],
                                not values["ethnic_key"].endswith(":01")))
            self.bump("people")
            if len(made) % 25 == 0:
                self.progress(len(made), self.total_steps)
        return made

    # -- groups -------------------------------------------------------------------------------
    def pick(self, pool: list[_Person], n: int, *, women_share: float | None = None,
             village: uuid.UUID | None = None) -> list[_Person]:
        candidates = [p for p in pool if p.id not in self.used and (village is None or p.village == village)]
        if women_share is not None:
            candidates.sort(key=lambda p: (p.sex != Sex.FEMALE) if self.rng.random() < women_share
                            else 0)
        chosen = candidates[:n] if women_share is not None else self.rng.sample(candidates, min(n, len(candidates)))
        self.used.update(p.id for p in chosen)
        return chosen

    def group(self, type_code: str, name: str, members: list[_Person], roles: list[str],
              **fields) -> tuple[uuid.UUID, list[_Person]]:  # noqa: ANN003
        launch = fields.pop("launch_date", DEMO_END - dt.timedelta(days=self.rng.randint(400, 1400)))
        group_id = self.groups_svc.create(type_key=f"group_type:{type_code}", name=name,
                                          launch_date=launch, **fields).id
        self.bump(f"groups_{type_code}")
        for i, person in enumerate(members):
            role = roles[i] if i < len(roles) else "THANH_VIEN"
            self.members_svc.create(group_id=group_id, person_id=person.id,
                                    role_key=f"role:{role}", joined_on=launch)
            self.bump("memberships")
        return group_id, members

    def make_teams(self, villages: list[uuid.UUID], adults: list[_Person]):  # noqa: ANN202
        teams = []
        names = {v.id: v.name for v in self.villages_svc.list()}
        for village in villages[: max(3, len(villages) * 3 // 4)]:
            size = self.rng.choice([6, 7, 8, 9, 9, 10, 10, 11])  # a few outside 7-10 on purpose
            members = self.pick(adults, size, village=village) or self.pick(adults, size)
            if len(members) < 3:
                continue
            teams.append(self.group(
                "TTCD", f"Tổ truyền thông cộng đồng {names[village]}", members,
                ["TO_TRUONG", "TO_PHO", "BAN_DIEU_HANH"], village_id=village,
                founding_decision_no=f"{self.rng.randint(10, 250)}/QĐ-UBND",
                founding_issuer=f"UBND {self.commune_in_text}"))
        return teams

    def make_clubs(self, children: list[_Person], adults: list[_Person]):  # noqa: ANN202
        clubs = []
        for school in self.schools:
            members = self.pick(children, self.rng.randint(15, 25))
            if len(members) < 5:
                continue
            teacher = self.pick(adults, 1)
            group_id, _ = self.group("CLB", f"CLB Thủ lĩnh của sự thay đổi – {school.removeprefix('Trường ')}",
                                     members, ["CHU_NHIEM", "PHO_CHU_NHIEM"], host_location=school,
                                     grades="6-9")
            for person in teacher:
                self.members_svc.create(group_id=group_id, person_id=person.id,
                                        role_key="role:GIAO_VIEN")
                self.bump("memberships")
            clubs.append((group_id, members))
        return clubs

    def make_livelihood(self, villages: list[uuid.UUID], adults: list[_Person]):  # noqa: ANN202
        made = []
        support_svc = GroupSupportService(self.db)
        for i, (subtype, field_name) in enumerate([("THT", "Trồng và chế biến chè"),
                                                   ("tổ nhóm", "Dệt thổ cẩm")]):
            members = self.pick([a for a in adults if a.sex == Sex.FEMALE], self.rng.randint(8, 14))
            gid, members = self.group("SINHKE", f"{'Tổ hợp tác' if subtype == 'THT' else 'Tổ'} "
                                      f"{field_name.lower()} số {self.seed}.{i + 1}", members,
                                      ["TO_TRUONG", "THU_QUY"], subtype=subtype,
                                      field_of_activity=field_name, village_id=self.rng.choice(villages),
                                      women_owners=2 if subtype == "THT" else len(members),
                                      women_co_owners=max(0, len(members) - 2) if subtype == "THT" else 0)
            item, value = self.rng.choice(SUPPORT_ITEMS)
            support_svc.create(group_id=gid, item=item, value_vnd=value, kind_key=SUPPORT_KINDS[item],
                               received_on=DEMO_END - dt.timedelta(days=self.rng.randint(30, 300)))
            made.append((gid, members))
        return made

    def make_savings(self, villages: list[uuid.UUID], adults: list[_Person]):  # noqa: ANN202
        members = self.pick([a for a in adults if a.sex == Sex.FEMALE], self.rng.randint(12, 20))
        gid, members = self.group("TKVV", f"Tổ tiết kiệm và vay vốn thôn bản số {self.seed}",
                                  members, ["TO_TRUONG", "THU_QUY", "THU_KY"],
                                  village_id=self.rng.choice(villages),
                                  launch_date=dt.date(2023, 3, 8))
        self.groups_svc.update(gid, status=GroupStatus.STOPPED.value,
                               note="Dừng theo chỉ đạo của Hội LHPN cấp trên")
        return [(gid, members)]

    def make_trusted_address(self, adults: list[_Person]) -> uuid.UUID:
        board = self.pick(adults, 5)
        gid, _ = self.group("DCTC", f"Địa chỉ tin cậy {self.place} {self.seed}", board,
                            ["TRUONG_BAN", "PHO_BAN"], subtype="tập thể",
                            host_location=f"Trạm Y tế {self.commune_in_text}",
                            hotline="0215 3 811 111")
        return gid

    # -- meetings and activities ---------------------------------------------------------------
    def make_meetings(self, group_id: uuid.UUID, members: list[_Person], every_days: int,
                      title: str) -> None:
        day = DEMO_END - dt.timedelta(days=365)
        n = 0
        while day <= DEMO_END:
            n += 1
            present = [p.id for p in members if self.rng.random() < 0.82]
            absent = [p.id for p in members if p.id not in present]
            self.activities_svc.record_meeting(
                group_id, day, f"{title} lần {n}", present=present, absent=absent,
                topic_keys=[self.rng.choice(["topic:BDG", "topic:TAO_HON", "topic:BLGD",
                                             "topic:SKSS", "topic:DKG"])],
                form_key="form:SINH_HOAT")  # content and activity group from the group's type
            self.bump("meetings")
            self.bump("attendance_rows", len(members))
            day += dt.timedelta(days=every_days + self.rng.randint(-3, 3))
        self.meeting_groups_done += 1
        self.progress(min(self.n_people + self.meeting_groups_done, self.total_steps - 1),
                      self.total_steps)

    def make_counted_activities(self, villages: list[uuid.UUID]) -> None:
        plans = [
            (ActivityKind.COMMUNICATION, "Ngày hội truyền thông phòng chống tảo hôn", "content:ND1",
             {"form_key": "form:SU_KIEN", "topic_keys": ["topic:TAO_HON", "topic:CAN_HUYET"]}),
            (ActivityKind.COMMUNICATION, "Sân khấu hóa phòng chống bạo lực gia đình", "content:ND1",
             {"form_key": "form:SAN_KHAU", "topic_keys": ["topic:BLGD"]}),
            (ActivityKind.POLICY_DIALOGUE, "Đối thoại chính sách về bình đẳng giới", "content:ND3",
             {"chair_name": "Lò Văn Thanh", "chair_position": "Chủ tịch UBND xã",
              "questions_raised": 12, "questions_answered": 9, "questions_forwarded": 3}),
            (ActivityKind.TRAINING, "Tập huấn lồng ghép giới", "content:ND4",
             {"training_type_key": "training_type:LONG_GHEP", "organiser": "Hội LHPN tỉnh", "days": 2}),
            (ActivityKind.TRAINING, "Tập huấn giám sát, đánh giá bình đẳng giới", "content:ND3",
             {"training_type_key": "training_type:GIAM_SAT", "organiser": "Hội LHPN tỉnh", "days": 2}),
        ]
        for i, (kind, title, content, extra) in enumerate(plans):
            total = self.rng.randint(25, 120)
            women = self.rng.randint(total // 2, total)
            self.activities_svc.create(
                kind=kind.value, title=f"{title} {self.seed}.{i + 1}", content_key=content,
                date_start=DEMO_END - dt.timedelta(days=self.rng.randint(10, 350)),
                village_ids=self.rng.sample(villages, min(3, len(villages))),
                participation=Participation.COUNTS.value, count_total=total, count_women=women,
                count_men=total - women, count_minority=self.rng.randint(total * 6 // 10, total),
                count_children=self.rng.randint(0, total // 5),
                cost_vnd=self.rng.randint(5, 40) * 1_000_000, funding_source="Dự án 8", **extra)
            self.bump("activities")

    def make_safe_delivery(self, adults: list[_Person]) -> None:
        svc = SafeDeliveryService(self.db)
        mothers = [a for a in adults if a.sex == Sex.FEMALE and 18 <= DEMO_END.year - a.birth_year <= 40]
        for person in self.rng.sample(mothers, min(6, len(mothers))):
            caesarean = self.rng.random() < 0.25
            svc.create(person_id=person.id,
                       support_type=(SafeDeliveryType.CAESAREAN if caesarean else SafeDeliveryType.NORMAL).value,
                       amount_vnd=2_400_000 if caesarean else 2_200_000,
                       given_on=DEMO_END - dt.timedelta(days=self.rng.randint(5, 330)),
                       voucher_no=f"PC-{self.rng.randint(100, 999)}")
            self.bump("safe_delivery")

    def make_trusted_cases(self, group_id: uuid.UUID) -> None:
        svc = TrustedCasesService(self.db)
        for _ in range(4):
            svc.create(group_id=group_id,
                       reported_on=DEMO_END - dt.timedelta(days=self.rng.randint(5, 330)),
                       violence_form_key=self.rng.choice(["violence_form:THE_CHAT",
                                                          "violence_form:TINH_THAN",
                                                          "violence_form:KINH_TE"]),
                       support_given=["case_support:TU_VAN", "case_support:TAM_LANH"],
                       sex=Sex.FEMALE.value,
                       age_band=self.rng.choice([AgeBand.FROM_18_TO_59, AgeBand.FROM_16_TO_17]).value,
                       ethnic_key=f"ethnic:{ETHNIC_SCHEME}:03", case_count=self.rng.randint(1, 3))
            self.bump("trusted_cases")

    def make_targets(self) -> None:
        """The commune's own plan for the demo year (a province would allocate these)."""
        svc = TargetsService(self.db)
        for code, value in (("II.TTCD", 12), ("II.TTCD_TV", 110), ("II.CLB", 2),
                            ("II.CLB_TV", 50), ("II.DCTC", 1), ("II.SINHKE", 3), ("II.DTCS", 2),
                            ("II.TH_LG", 60), ("II.TH_GS", 30), ("II.SDAT", 12)):
            svc.set(f"indicator:{code}", str(DEMO_END.year), value, set_by_province=False)
