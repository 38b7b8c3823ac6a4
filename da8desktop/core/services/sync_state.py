"""What this site has written that the other side has not yet acknowledged.

Until the sync issue lands, nothing has been acknowledged, so every local write is "unsent"; the
acknowledged sequence is kept in the `setting` table under `sync:acked_seq`.
"""

from __future__ import annotations

from sqlalchemy import func, select

from da8desktop.core.db.database import Database
from da8desktop.core.db.models import Installation, RowVersion, Setting

ACKED_SEQ_KEY = "sync:acked_seq"


def unsent_changes(db: Database) -> int:
    """Rows written here after the last acknowledged local sequence number."""
    with db.read() as session:
        inst = session.get(Installation, 1)
        if inst is None:
            return 0
        acked = session.get(Setting, ACKED_SEQ_KEY)
        acked_seq = int(acked.value) if acked is not None else 0
        return session.scalar(select(func.count()).select_from(RowVersion).where(
            RowVersion.site_idx == inst.site_idx, RowVersion.seq > acked_seq)) or 0
