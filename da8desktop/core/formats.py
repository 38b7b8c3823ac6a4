"""Vietnamese display formats: 1.337 (thousands with '.'), dates dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt


def format_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
