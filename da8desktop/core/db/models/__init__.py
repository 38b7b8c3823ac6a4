"""The data model. Import from here: `from da8desktop.core.db.models import Person`."""

from .activities import Activity, Attendance, SafeDeliverySupport, Target, TrustedAddressCase
from .attachments import Attachment
from .base import Base, Synced
from .central import CentralFigure, CentralTarget
from .commune import Group, GroupStatusChange, GroupSupport, Membership, Person, Village
from .local import AuditEntry, Installation, RowVersion, Setting, SyncSite
from .reference import AdminSuccession, AdminUnit, CatalogueItem
from .sync import SyncBundle, SyncConflict, SyncPeer

# Every table that travels in sync bundles, in dependency order (parents first).
SYNCED_MODELS: tuple[type[Synced], ...] = (
    Village, Person, Group, GroupSupport, GroupStatusChange, Membership,
    Activity, Attendance, SafeDeliverySupport, TrustedAddressCase, Target, Attachment,
)

__all__ = [
    "Activity", "Attachment", "AdminSuccession", "AdminUnit", "Attendance", "AuditEntry", "Base",
    "CatalogueItem", "CentralFigure", "CentralTarget", "Group", "GroupStatusChange", "GroupSupport", "Installation", "Membership", "Person",
    "RowVersion", "SYNCED_MODELS", "SafeDeliverySupport", "Setting", "Synced", "SyncBundle", "SyncConflict", "SyncPeer", "SyncSite",
    "Target", "TrustedAddressCase", "Village",
]
