"""Vietnamese display formats: 1.337 (thousands with '.'), dates dd/mm/yyyy."""

from __future__ import annotations

import datetime as dt


def format_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def format_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def format_utc_time(value: dt.datetime | None) -> str:
    """A moment stored in UTC (sync bookkeeping), shown in the computer's local time."""
    if value is None:
        return "—"
    local = value.replace(tzinfo=dt.timezone.utc).astimezone()
    return local.strftime("%d/%m/%Y %H:%M")


def parse_birth(text: str | None) -> tuple[dt.date | None, int | None]:
    """'05/01/1990', '5/1/1990', '1990-01-05' -> (date, year); '1990' -> (None, 1990).

    Raises ValueError on anything else. Year-only births are common in rural areas."""
    value = (text or "").strip()
    if not value:
        return None, None
    if value.isdigit() and len(value) == 4:
        return None, int(value)
    return (day := parse_date(value)), day.year


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (also with '-' or '.') or ISO yyyy-mm-dd; raises ValueError otherwise."""
    value = text.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    for separator in "/-.":
        parts = value.split(separator)
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[2]) == 4:
            return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    raise ValueError(value)


def format_figure(value: float | None) -> str:
    """An indicator value: whole numbers with '.' thousands, fractions with a decimal comma."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_number(int(value))
    whole, _, fraction = f"{value:,.1f}".partition(".")
    return f"{whole.replace(',', '.')},{fraction}"


def format_size(size_bytes: int) -> str:
    """A file size as an officer reads it: "7,7 MB", "350 KB" (decimal comma, no KiB)."""
    if size_bytes < 1_048_576:
        return f"{format_number(max(1, round(size_bytes / 1024)) if size_bytes else 0)} KB"
    value = size_bytes / 1_048_576
    if value >= 100:
        return f"{format_number(round(value))} MB"
    return f"{value:.1f}".replace(".", ",") + " MB"
