"""Asked once at start (issue 20 item 8): a commune formed by merging, with records from before
1/7/2025 that carry no former commune, says which former commune they belong to."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from da8desktop.core.db.database import Database
from da8desktop.core.services.units import assign_legacy_unit, mark_asked, units_to_ask
from da8desktop.gui.dialogs import Dialogs
from da8desktop.gui.events import DataEvents


def ask_legacy_unit_once(db: Database, dialogs: Dialogs, events: DataEvents) -> int | None:
    """The number of records stamped, 0 when the officer will assign them later (not asked
    again; `records assign-legacy-unit` does it then), None when nothing was asked or the
    question was closed (asked again at the next start)."""
    if getattr(db, "read_only", False):
        return None
    units = units_to_ask(db)
    if not units:
        return None
    options = [unit.label for unit in units] + [QCoreApplication.translate(
        "LegacyUnits", "Several of them: I will assign them later")]
    title = QCoreApplication.translate("LegacyUnits", "Records from before the merger")
    answer = dialogs.choose(title, QCoreApplication.translate(
        "LegacyUnits", "This commune was formed on 1/7/2025 by merging {communes}. The records from before "
        "that day do not say which former commune they happened in. In which former commune "
        "were they kept?").format(communes=", ".join(unit.name for unit in units)), options)
    if answer is None:
        return None
    if answer >= len(units):
        mark_asked(db)
        return 0
    changed = assign_legacy_unit(db, units[answer].key)
    events.changed.emit({"activity", "safe_delivery_support"})
    dialogs.info(title, QCoreApplication.translate(
        "LegacyUnits", "{count} records now say they were kept in {commune}.").format(
        count=changed, commune=units[answer].name))
    return changed
