"""Bundles between a province and the centre (docs/bundle-format.md, "The national tier").

Province -> centre (`aggregates`): for every year of the programme up to this one and every phase
begun, each commune's value of each indicator as the province's own progress page computes it,
the targets the province allocated, and its catalogue's indicator names. Nothing else: no row of
a record table, no name, no receipt label. The bundle is the province's whole picture each time
(small: figures, not records), so a lost bundle needs no repair.

Centre -> province (`catalogue`): the centre's catalogue versions, which the province loads when
newer, as it loads what it edits itself, and sends on to its communes."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from da8desktop import __version__
from da8desktop.core.db.database import Database
from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.db.models import (AdminUnit, CatalogueItem, Installation, Setting,
                                       SyncBundle, SyncPeer, Target)
from da8desktop.core.domain import Role
from da8desktop.core.ids import new_id
from da8desktop.core.indicators.catalogue import load_indicators
from da8desktop.core.indicators.periods import Period
from da8desktop.core.sync import codec
from da8desktop.core.sync.central import CENTRAL_CODE_KEY, CENTRAL_NAME
from da8desktop.core.sync.central_file import (FigureLine, IndicatorLine, check_written)
from da8desktop.core.sync.container import Entry, build_zip, encrypt, write_atomically
from da8desktop.core.sync.export import (EXTENSION, SAFE_FILE_NAME, WrittenBundle,
                                         catalogue_entry, unit_code)
from da8desktop.core.sync.keys import SiteKeys

FIRST_YEAR, LAST_YEAR = 2021, 2030


def aggregate_periods(today: dt.date) -> list[Period]:
    """Every year of the programme up to this one, and every phase begun."""
    last = min(max(today.year, FIRST_YEAR), LAST_YEAR)
    years = [Period("year", year=y) for y in range(FIRST_YEAR, last + 1)]
    phases = [Period("phase", phase=p) for p in ("2021-2025", "2026-2030")
              if int(p[:4]) <= last]
    return years + phases


def figures(db: Database, today: dt.date | None = None) -> list[dict[str, Any]]:
    """(commune, indicator, period, value) the province's progress page shows; zeros left out."""
    from da8desktop.core.indicators.progress import compute_progress

    today = today or dt.date.today()
    lines = []
    for period in aggregate_periods(today):
        progress = compute_progress(db, period, today)
        for row in progress.rows:
            for commune in progress.communes:
                cell = row.by_commune.get(commune.key)
                if cell is not None and cell.achieved:
                    lines.append(FigureLine(commune=commune.code, indicator=row.indicator.code,
                                            period=period.target_period,
                                            value=float(cell.achieved)).model_dump())
    return lines


def targets(session: Session, province_key: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(AdminUnit.code, CatalogueItem.code, Target.period, Target.value)
        .join(AdminUnit, AdminUnit.key == Target.commune_key)
        .join(CatalogueItem, CatalogueItem.key == Target.indicator_key)
        .where(Target.deleted.is_(False), AdminUnit.parent_key == province_key)
        .order_by(AdminUnit.code, CatalogueItem.code, Target.period))
    return [FigureLine(commune=c, indicator=i, period=p, value=float(v)).model_dump()
            for c, i, p, v in rows]


def indicators(session: Session) -> list[dict[str, Any]]:
    return [IndicatorLine(code=i.code, name=i.name[:300], unit=i.unit[:60],
                          phase=i.phase if len(i.phase) == 9 else "").model_dump()
            for i in load_indicators(session)]


def _entry(path: str, lines: list[dict[str, Any]]) -> Entry:
    return Entry(path, "".join(codec.dumps(line) + "\n" for line in lines).encode("utf-8"),
                 len(lines))


def _receipts(session: Session, peer: SyncPeer) -> list[dict[str, Any]]:
    """Receipts of the other side's latest bundles: counts only, never a record's label."""
    bundles = session.scalars(select(SyncBundle).where(
        SyncBundle.peer_id == peer.id, SyncBundle.direction == "in").order_by(
        SyncBundle.processed_at.desc()).limit(20))
    return [{"bundle_id": str(b.bundle_id), "seq": b.seq,
             "imported_at": b.processed_at.isoformat(timespec="seconds"),
             "counts": {k: int(v) for k, v in (b.summary.get("counts") or {}).items()
                        if isinstance(v, int)}} for b in bundles]


def export_central(db: Database, session: Session, inst: Installation, keys: SiteKeys,
                   peer: SyncPeer, out_dir: Any) -> WrittenBundle:
    """The one bundle between this province and the centre (either way), in the caller's
    transaction."""
    if inst.role == Role.PROVINCE.value:
        kind = "aggregates"
        entries = [_entry("central_figure.ndjson", figures(db)),
                   _entry("central_target.ndjson", targets(session, inst.province_key)),
                   _entry("central_indicator.ndjson", indicators(session))]
        me: dict[str, str | None] = {"role": Role.PROVINCE.value, "province": unit_code(session, inst.province_key),
              "label": _name(session, inst.province_key)}
        them = {"role": Role.CENTRAL.value, "province": None, "label": peer.label}
    else:
        kind = "catalogue"
        entries = [catalogue_entry(session)]
        me = {"role": Role.CENTRAL.value, "province": None, "label": CENTRAL_NAME}
        them = {"role": Role.PROVINCE.value, "province": unit_code(session, peer.province_key),
                "label": peer.label}
    when = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    bundle_id = new_id()
    seq = peer.out_seq + 1
    manifest: dict[str, Any] = {
        "schema": BUNDLE_SCHEMA, "min_reader_schema": BUNDLE_SCHEMA, "app_version": __version__,
        "bundle_id": str(bundle_id), "kind": kind, "created_at": when.isoformat(),
        "seq": seq, "previous_bundle": str(peer.last_out_bundle) if peer.last_out_bundle else None,
        "source": dict(me, site=str(inst.site_id), sign_public=inst.sign_public),
        "target": dict(them, sign_public=peer.sign_public),
        "summaries": _receipts(session, peer)}
    code = session.get(Setting, CENTRAL_CODE_KEY) if kind == "aggregates" else None
    if code is not None:  # until the centre has answered, every bundle asks to register
        manifest["enrolment"] = {"code": code.value, "box_public": inst.box_public}
    zipped = build_zip(manifest, entries, keys, check=check_written)
    source = f"tinh{me['province']}" if kind == "aggregates" else "tw"
    target = "tw" if kind == "aggregates" else f"tinh{them['province']}"
    name = f"da8-{source}-to-{target}-{when:%Y%m%d}-{seq:04d}{EXTENSION}"
    if not SAFE_FILE_NAME.fullmatch(name) or peer.box_public is None:
        raise ValueError(f"unsafe bundle file name {name!r}")
    path = write_atomically(out_dir / name, encrypt(zipped, peer.box_public))
    records = sum(e.records for e in entries)
    session.add(SyncBundle(
        bundle_id=bundle_id, direction="out", peer_id=peer.id, kind=kind, seq=seq,
        file_name=name, sha256=hashlib.sha256(zipped).hexdigest(), created_at=when,
        processed_at=when, own_seq=inst.seq, summary={"records": records,
                                                      "entries": len(entries)}))
    peer.out_seq = seq
    peer.last_out_bundle = bundle_id
    return WrittenBundle(path, peer.label, kind, seq, records, bundle_id)


def _name(session: Session, key: str) -> str:
    unit = session.get(AdminUnit, key)
    return unit.name if unit else "?"
