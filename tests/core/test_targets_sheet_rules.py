"""The rules of a targets sheet's cells (issue 21, item 2): numbers as officers type them,
periods, commune codes against serial numbers."""

from __future__ import annotations

import pytest

from da8desktop.core.excel.targets_sheet import _looks_like_code, parse_period, parse_target


@pytest.mark.parametrize("cell, value", [
    (12, 12.0), (12.5, 12.5), ("12", 12.0), ("12,5", 12.5), ("1.200", 1200.0),
    ("1.200.000", 1_200_000.0), (" 7 ", 7.0), ("", None), (None, None), ("1 200", 1200.0)])
def test_numbers_as_officers_type_them(cell, value):
    assert parse_target(cell) == value


@pytest.mark.parametrize("cell", ["nhiều", "-3", -3, "1e3", "nan", float("inf"), True,
                                  2_000_000_000, "12,5,1"])
def test_what_is_not_a_target(cell):
    with pytest.raises(ValueError):
        parse_target(cell)


def test_periods_and_codes():
    assert parse_period(2026) == "2026" and parse_period(2026.0) == "2026"
    assert parse_period("2026 – 2030") == "2026-2030" and parse_period("Năm 2026") is None
    assert parse_period("1999") is None
    assert _looks_like_code("03325") and _looks_like_code(3325) and _looks_like_code(3325.0)
    assert not _looks_like_code(12) and not _looks_like_code("Xã Mường Phăng")
