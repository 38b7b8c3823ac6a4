"""Start now, connect later (issue 21, item 3): a data file that already holds a commune's
records (set up as a standalone commune, or a copy of the demo with real data entered) is
connected to the province with the province's setup file. Its records keep their ids; each is
stamped anew as a write of this computer in the setup's transaction, so the first bundle carries
every one of them whatever site wrote them before (the demo's generator, the file before it was
copied). Nothing else changes: the same transaction then sets the keys and the province up."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, literal, select, update

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import SYNCED_MODELS, AdminUnit, Installation, RowVersion, SyncPeer
from da8desktop.core.domain import Role
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.sync.partition import COMMUNE_OWNED


def connectable(db: Database, commune_key: str, commune_name: str) -> bool:
    """False for a file not set up yet; True for a commune file of that commune never connected
    to a province; otherwise a plain refusal, before any key is made."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return False
        if inst.role != Role.COMMUNE.value:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "This data file is a province's, so it cannot be connected as a "
                "commune. Choose the commune's data file, or make a new one."))
        if inst.sign_public or session.scalar(select(func.count()).select_from(SyncPeer)):
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "This data file is already connected to a province. Nothing was "
                "changed. To set up another computer, ask the province for a new setup file "
                "and use it on a new data file."))
        if inst.commune_key != commune_key:
            unit = session.get(AdminUnit, inst.commune_key) if inst.commune_key else None
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Enrol", "This data file holds the records of {here}, but the setup file is for "
                "{there}. Nothing was changed. Ask the province for the setup file of {here}."),
                here=unit.name if unit else "?", there=commune_name)
    return True


def stamp_records_as_ours(uow: Any) -> int:
    """Every commune record of the file, written again (same values, same ids) by this
    computer's current site in this transaction: one UPDATE and one INSERT per table."""
    session = uow.session
    inst = uow.installation()
    inst.is_demo = False  # its records are real now: they go to the province
    site_idx, seq, hlc = uow.dot()
    stamped = 0
    for model in SYNCED_MODELS:
        table = model.__table__
        if table.name not in COMMUNE_OWNED:
            continue
        stamps = {name: [site_idx, seq, hlc] for name in model.data_fields()}
        stamped += session.execute(update(table).values(stamps=stamps)).rowcount or 0
        session.execute(delete(RowVersion).where(RowVersion.table_name == table.name,
                                                 RowVersion.site_idx == site_idx))
        session.execute(insert(RowVersion).from_select(
            ["table_name", "row_id", "site_idx", "seq"],
            select(literal(table.name), table.c.id, literal(site_idx), literal(seq))))
    session.expire_all()
    return stamped
