"""A province and three commune laptops (two of Xã Mường Phăng, one of Xã Sín Thầu), enrolled
through the real setup files and first bundles; helpers to edit, send and compare them."""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import SYNCED_MODELS, Installation
from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                        own_fingerprint, province_init, unlock)
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import ImportReport, import_file
from da8desktop.core.sync.keys import SiteKeys, UnlockedKeys
from da8desktop.core.sync.partition import in_commune

PROVINCE = "11"
COMMUNE_A = "03325"  # Xã Mường Phăng
COMMUNE_B = "03158"  # Xã Sín Thầu
SITES = ("P", "A1", "A2", "B1")


def build_world(folder: Path, template: Path) -> dict[str, Path]:
    """Make the four data files, enrolled at the province. Returns name -> file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {name: folder / f"{name}.sqlite" for name in SITES}
    for path in files.values():
        shutil.copyfile(template, path)
    enrol_world({name: Database.open(path) for name, path in files.items()}, folder)
    return files


def enrol_world(dbs: dict[str, Database], folder: Path) -> None:
    """Province set up, three commune laptops enrolled through real setup files and first
    bundles, each confirmed by fingerprint on both sides (as read out by phone); the databases
    are closed afterwards (any backend)."""
    _identity, province_fingerprint = province_init(dbs["P"], PROVINCE)
    for name, code in (("A1", COMMUNE_A), ("A2", COMMUNE_A), ("B1", COMMUNE_B)):
        setup = enroll(dbs["P"], code, folder / "setup")
        commune_init(dbs[name], setup.path, province_fingerprint)
        sent = export_bundles(dbs[name], folder / "enrol" / name)
        for bundle in sent:  # registers the laptop; nothing of it applies until confirmed
            assert import_file(dbs["P"], bundle.path).reason == "unconfirmed"
        confirm_commune_computer(dbs["P"], code, own_fingerprint(dbs[name]) or "")
        for bundle in sent:
            assert import_file(dbs["P"], bundle.path).status == "applied"
    for db in dbs.values():
        db.close()
    shutil.rmtree(folder / "setup")
    shutil.rmtree(folder / "enrol")


@dataclass
class World:
    dbs: dict[str, Database]
    folder: Path
    pg: Any = None  # the test PostgreSQL server when the world lives there
    unlocked: dict[str, UnlockedKeys] = field(default_factory=dict)  # per site, as the window

    def keys(self, name: str) -> SiteKeys | None:
        """The site's keys, unwrapped once (Argon2id) and handed to its exports and imports."""
        return unlock(self.dbs[name], unlocked=self.unlocked.setdefault(name, UnlockedKeys()))

    def copy(self, db: Database) -> Database:
        """An open copy of `db` as it is now (SQLite: the file; PostgreSQL: a database made
        from it as template). `db` is closed for the copy: reopen it with `reopen`."""
        db.close()
        if db.file is not None:
            target = self.folder / f"copy-{uuid.uuid4().hex[:8]}.sqlite"
            shutil.copyfile(db.file, target)
            return Database.open(target)
        from sqlalchemy.engine import make_url

        return Database.open(self.pg.create(template=make_url(db.url).database))

    def reopen(self, name: str) -> Database:
        self.dbs[name].close()
        self.dbs[name] = Database.open(self.dbs[name].url)
        return self.dbs[name]

    def send(self, source: str, target: str | None = None, full: bool = False) -> list[Path]:
        """Bundles written by `source` (for `target` only, when given)."""
        out = self.folder / f"out-{uuid.uuid4().hex[:8]}"
        written = export_bundles(self.dbs[source], out, full=full, keys=self.keys(source))
        paths = [b.path for b in written]
        if target is not None:
            paths = [p for p in paths if addressed_to(self, p, target)]
        return paths

    def receive(self, target: str, path: Path) -> ImportReport:
        return import_file(self.dbs[target], path, keys=self.keys(target))

    def round(self) -> None:
        """Everybody sends everything pending to everybody once (communes first)."""
        for commune in ("A1", "A2", "B1"):
            for path in self.send(commune):
                assert self.receive("P", path).ok
        for path in self.send("P"):
            for commune in ("A1", "A2", "B1"):
                if addressed_to(self, path, commune):
                    assert self.receive(commune, path).ok

    def close(self) -> None:
        for db in self.dbs.values():
            db.close()


def sign_key(db: Database) -> str:
    with db.read() as session:
        inst = session.get(Installation, 1)
        assert inst is not None and inst.sign_public
        return inst.sign_public


def addressed_to(world: World, path: Path, name: str) -> bool:
    """File names carry the first 4 hex digits of the receiving laptop's key."""
    receiver = path.name.split("-to-", 1)[1]
    if name == "P":
        return receiver.startswith("tinh")
    return f"-{sign_key(world.dbs[name])[:4]}-" in receiver


def open_world(folder: Path, template_files: dict[str, Path]) -> World:
    folder.mkdir(parents=True, exist_ok=True)
    dbs = {}
    for name, source in template_files.items():
        target = folder / source.name
        shutil.copyfile(source, target)
        dbs[name] = Database.open(target)
    return World(dbs, folder)


def dump(db: Database, commune_code: str) -> dict[str, list[Any]]:
    """Canonical state of one commune's partition: sorted rows, stamps by site id, local-only
    columns left out."""
    from da8desktop.core.db.models import SyncSite

    key = f"2025:commune:{commune_code}"
    result: dict[str, list[Any]] = {}
    with db.read() as session:
        sites = {s.idx: str(s.site_id) for s in session.scalars(select(SyncSite))}
        for model in SYNCED_MODELS:
            rows = session.scalars(select(model).where(in_commune(model, key)).order_by(model.id))
            result[model.__tablename__] = [
                (str(r.id), {f: _plain(getattr(r, f)) for f in model.data_fields()},
                 {f: [sites[s[0]], s[1], s[2]] for f, s in sorted(r.stamps.items())})
                for r in rows]
    return result


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else (
        str(value) if isinstance(value, uuid.UUID) else value)
