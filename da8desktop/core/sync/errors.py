"""Messages shared by the sync modules (each says what to do next)."""

from __future__ import annotations

from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def not_set_up_for_sync() -> UserFacingError:
    return UserFacingError(QT_TRANSLATE_NOOP(
        "Sync", "This computer is not set up for sync yet. At a commune: set it up from the "
        "province's setup file (da8desktop commune init --setup FILE). At the province: "
        "da8desktop province init --province-code CODE."))
