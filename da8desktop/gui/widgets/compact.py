"""Combo boxes sized by a short minimum, not by their longest entry: catalogue names such as
"Tổ/nhóm sinh kế, tổ hợp tác, hợp tác xã do phụ nữ làm chủ…" must not widen the window past a
commune laptop's screen."""

from PySide6.QtWidgets import QComboBox


def compact(combo: QComboBox, characters: int = 12) -> QComboBox:
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(characters)
    return combo
