"""A demo province (issue 21, item 4): a province officer learns the province pages without a
real commune. Three demo communes are made in a private temporary folder, each a real laptop set
up from a real setup file with demo records; their real bundles are imported here and their
fingerprints confirmed. Then: targets allocated to every commune for this year, a conflict (two
laptops of one commune changed one phone number) and a refused record (a phone number stored by
an "older version" past its limit), so every province page has something to show.

Nothing of the temporary communes is kept but what their bundles brought."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from da8desktop.core import atomic_write
from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Installation, Person, Setting
from da8desktop.core.demo import load_demo
from da8desktop.core.domain import Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.progress import Progress, no_progress
from da8desktop.core.services.people import PeopleService
from da8desktop.core.services.site import identity
from da8desktop.core.services.targets import TargetsService
from da8desktop.core.sync.keys import SiteKeys, UnlockedKeys

DEMO_PROVINCE = "11"  # Tỉnh Điện Biên, as the demo commune
DEMO_COMMUNES = ("03325", "03158", "03217")  # Mường Phăng, Sín Thầu, Tủa Chùa
MARKER = "demo_province"
PAST_LIMIT_PHONE = "0912345678 - 0987654321"  # 23 characters, over the field's 20


@dataclass
class DemoProvinceSummary:
    already_loaded: bool = False
    communes: list[str] = field(default_factory=list)
    bundles: int = 0
    targets: int = 0
    conflicts: int = 0
    refused: int = 0


def load_demo_province(db: Database, seed: int = 1, people: int = 80,
                       progress: Progress = no_progress, *, mark_demo: bool = False,
                       keys: SiteKeys | None = None) -> DemoProvinceSummary:
    """`db`: a new data file (set up here as province 11, a demo) or a province file of 11
    (`mark_demo`: it was set up for the demo a moment ago). `keys`: the province's keys,
    unlocked by the caller where a passphrase can be asked (else unwrapped here, asking
    nobody)."""
    from da8desktop.core.sync.enrol import province_init, unlock

    summary = DemoProvinceSummary()
    unlocked = UnlockedKeys()
    site = identity(db)
    if site is None:
        province_init(db, DEMO_PROVINCE, unlocked=unlocked)
        mark_demo = True
    elif site.role != Role.PROVINCE.value or site.province_code != DEMO_PROVINCE:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Demo", "A demo province is made on a new data file (or on the data file of Tỉnh "
            "Điện Biên). Make a new data file for it."))
    if mark_demo:
        with db.write() as uow:
            uow.installation().is_demo = True
    with db.read() as session:
        if session.get(Setting, MARKER) is not None:
            summary.already_loaded = True
            return summary
    # The province's own keys, unlocked before the throw-away ones' passphrase is set.
    keys = keys or unlock(db, unlocked=unlocked)
    assert keys is not None  # a province set up above
    with tempfile.TemporaryDirectory(prefix="da8-demo-province-") as folder, _throwaway_keys():
        _build(db, keys, Path(folder), seed, people, progress, summary)
    with db.write() as uow:
        uow.session.add(Setting(key=MARKER, value={"seed": seed, "communes": summary.communes}))
    return summary


@contextmanager
def _throwaway_keys() -> Iterator[None]:
    """The temporary laptops' keys are wrapped with a passphrase of their own, never put in the
    OS keyring (which would keep an entry per demo laptop) and never asked for."""
    saved = {name: os.environ.get(name) for name in ("DA8_KEYRING", "DA8_KEY_PASSPHRASE")}
    os.environ["DA8_KEYRING"] = "off"
    os.environ["DA8_KEY_PASSPHRASE"] = secrets.token_hex(16)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _build(db: Database, keys: SiteKeys, folder: Path, seed: int, people: int,
           progress: Progress, summary: DemoProvinceSummary) -> None:
    """`keys`: the province's; each laptop's own are kept from its set-up, so no key is
    unwrapped again (Argon2id) at each bundle."""
    from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                            own_fingerprint, unlock)
    from da8desktop.core.sync.export import export_bundles
    from da8desktop.core.sync.importer import import_file

    fingerprint = own_fingerprint(db) or ""
    template = folder / "template.sqlite"
    Database.open(template).close()
    laptops: dict[str, Database] = {}
    laptop_keys: dict[str, SiteKeys | None] = {}

    def laptop(name: str, code: str) -> Database:
        path = folder / f"{name}.sqlite"
        atomic_write.write_bytes(path, template.read_bytes())
        made = Database.open(path)
        setup = enroll(db, code, folder / "setup", keys=keys)
        unlocked = UnlockedKeys()
        commune_init(made, setup.path, fingerprint, unlocked=unlocked)
        laptops[name], laptop_keys[name] = made, unlock(made, unlocked=unlocked)
        return made

    def send(name: str) -> None:
        for bundle in export_bundles(laptops[name], folder / f"out-{uuid.uuid4().hex[:8]}",
                                     keys=laptop_keys[name]):
            report = import_file(db, bundle.path, keys=keys)
            summary.bundles += 1
            summary.conflicts += report.counts.get("conflict", 0)
            summary.refused += report.counts.get("rejected", 0)

    def receive(name: str) -> None:
        for bundle in export_bundles(db, folder / f"down-{uuid.uuid4().hex[:8]}", keys=keys):
            if _addressed(laptops[name], bundle.path):
                import_file(laptops[name], bundle.path, keys=laptop_keys[name])

    try:
        steps = len(DEMO_COMMUNES) + 2
        for number, code in enumerate(DEMO_COMMUNES):
            progress(number, steps)
            commune = laptop(f"xa{code}", code)
            load_demo(commune, seed=seed + number, people=people)
            send(f"xa{code}")  # registers the laptop; its data waits for the confirmation
            confirm_commune_computer(db, code, own_fingerprint(commune) or "")
            send(f"xa{code}")  # confirmed: the next bundle (everything, nothing was taken) applies
            summary.communes.append(code)
        progress(len(DEMO_COMMUNES), steps)
        _conflict(db, laptop("xa03325-2", DEMO_COMMUNES[0]), laptops, send, receive)
        _refused(laptops[f"xa{DEMO_COMMUNES[1]}"])
        send(f"xa{DEMO_COMMUNES[1]}")
        summary.targets = _targets(db)
        progress(steps, steps)
    finally:
        for made in laptops.values():
            made.close()


def _addressed(laptop: Database, path: Path) -> bool:
    with laptop.read() as session:
        inst = session.get(Installation, 1)
        key = (inst.sign_public or "")[:4] if inst else ""
    return bool(key) and f"-{key}-" in path.name


def _conflict(db: Database, second: Database, laptops: dict[str, Database], send, receive) -> None:  # noqa: ANN001
    """The commune's second laptop gets the commune's data, then both change one phone number
    before either sees the other's change: the province meets both and keeps the later one."""
    from da8desktop.core.sync.enrol import confirm_commune_computer, own_fingerprint

    first_name, code = f"xa{DEMO_COMMUNES[0]}", DEMO_COMMUNES[0]
    send("xa03325-2")  # its first bundle registers it
    confirm_commune_computer(db, code, own_fingerprint(second) or "")
    receive("xa03325-2")
    with second.read() as session:
        person = session.scalar(select(Person.id).where(Person.deleted.is_(False))
                                .order_by(Person.id).limit(1))
    if person is None:
        return
    PeopleService(laptops[first_name]).update(person, phone="0912000111")
    PeopleService(second).update(person, phone="0912000222")
    send(first_name)
    send("xa03325-2")


def _refused(commune: Database) -> None:
    """A phone number past its limit, as an older version could store it: the province refuses
    that one record and takes the rest."""
    with commune.write() as uow:
        person = uow.session.scalar(select(Person).where(Person.deleted.is_(False))
                                    .order_by(Person.id.desc()).limit(1))
        if person is not None:  # written as it was stored: past the forms' checks, so it travels
            uow.update(person, {"phone": PAST_LIMIT_PHONE})


def _targets(db: Database) -> int:
    """This year's targets for every demo commune: a little above what each has reached."""
    from da8desktop.core.indicators.periods import Period
    from da8desktop.core.indicators.progress import compute_progress

    year = dt.date.today().year
    progress = compute_progress(db, Period.choose(year, None, None))
    changes = []
    for row in progress.rows:
        for key, cell in row.by_commune.items():
            if cell.achieved or key.endswith(DEMO_COMMUNES):
                target = max(1.0, round(cell.achieved * 1.3 + 1))
                changes.append((row.indicator.key, key, progress.period.target_period, target))
    return TargetsService(db).set_many(changes)
