"""Which page reloads after a change, and when.

A page declares `shows`: the tables it displays (None: anything, e.g. the recycle bin). When a
change touches one of them the page is reloaded at once if it is on screen, else marked stale
and reloaded when it is next shown (or asked for through `MainWindow.page()`). Several changes
while it is hidden make one reload, with their union. Saving a group's hotline therefore
reloads the Groups page and marks the Progress page; Villages and People do nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from da8desktop.core.db.changes import Changes, as_changes

# The commune's records (synced tables) that figures and counts are made of.
COMMUNE_RECORDS = frozenset({
    "person", "village", "community_group", "group_support", "group_status_change", "membership",
    "activity", "attendance", "safe_delivery_support", "trusted_address_case", "target",
    "catalogue_item", "attachment"})
# What the sync pages show: peers, bundles, conflicts, and what is not yet sent (every stamped
# write adds a row_version).
SYNC_STATE = frozenset({"sync_peer", "sync_bundle", "sync_conflict", "sync_site", "installation",
                        "row_version"})


class PageRefresh(QObject):
    def __init__(self, page: QWidget, events: QObject) -> None:
        super().__init__(page)  # dies with its page, and its connection with it
        self.page = page
        self.pending = Changes()
        events.changed.connect(self._changed)
        page.installEventFilter(self)

    def _changed(self, payload: object) -> None:
        changes = as_changes(payload)
        if not changes.touches(getattr(self.page, "shows", None)):
            return
        self.pending = self.pending | changes
        if self.page.isVisible():
            self.flush()

    def flush(self) -> None:
        """Reload now if something the page shows changed since its last reload."""
        if self.pending:
            changes, self.pending = self.pending, Changes()
            self.page.reload(changes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.page and event.type() == QEvent.Type.Show:
            self.flush()
        return False
