"""Reporting periods: a year, a quarter of a year, or a programme phase.

Targets exist per year ('2026') and per phase ('2026-2030'). A quarter is measured from the start
of its year to the end of the quarter (year to date) against the year's target, which is how
quarterly progress reports are written; the figure for the quarter alone is kept beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from da8desktop.core.domain import Phase
from da8desktop.core.errors import UserFacingError
from da8desktop.core.i18n import QT_TRANSLATE_NOOP


def phase_of(year: int) -> str:
    return Phase.PHASE_1.value if year <= 2025 else Phase.PHASE_2.value


def phase_bounds(phase: str) -> tuple[int, int]:
    first, last = phase.split("-")
    return int(first), int(last)


@dataclass(frozen=True)
class Period:
    kind: str  # year | quarter | phase
    year: int | None = None
    quarter: int | None = None
    phase: str | None = None

    @staticmethod
    def choose(year: int | None = None, quarter: int | None = None, phase: str | None = None,
               today: dt.date | None = None) -> Period:
        """What the CLI options and the dashboard's picker mean; nothing chosen = this year."""
        if phase:
            if phase not in {p.value for p in Phase}:
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Indicators", "Unknown phase {phase}: use 2021-2025 or 2026-2030."), phase=phase)
            return Period("phase", phase=phase)
        year = year or (today or dt.date.today()).year
        if not 2021 <= year <= 2030:
            raise UserFacingError(QT_TRANSLATE_NOOP(
                "Indicators", "The year {year} is outside the programme (2021–2030)."), year=year)
        if quarter is not None:
            if quarter not in (1, 2, 3, 4):
                raise UserFacingError(QT_TRANSLATE_NOOP(
                    "Indicators", "The quarter is 1, 2, 3 or 4."))
            return Period("quarter", year=year, quarter=quarter)
        return Period("year", year=year)

    @property
    def phase_code(self) -> str:
        return self.phase if self.kind == "phase" else phase_of(self.year or 0)

    @property
    def start(self) -> dt.date:
        """Start of the measured span (a quarter is measured from the start of its year)."""
        if self.kind == "phase":
            return dt.date(phase_bounds(self.phase_code)[0], 1, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        if self.kind == "phase":
            return dt.date(phase_bounds(self.phase_code)[1], 12, 31)
        if self.kind == "quarter":
            return quarter_bounds(self.year, self.quarter)[1]
        return dt.date(self.year, 12, 31)

    @property
    def quarter_start(self) -> dt.date:
        """Start of the quarter alone (same as `start` for a year or a phase)."""
        return quarter_bounds(self.year, self.quarter)[0] if self.kind == "quarter" else self.start

    @property
    def target_period(self) -> str:
        return self.phase_code if self.kind == "phase" else str(self.year)

    @property
    def target_span(self) -> tuple[dt.date, dt.date]:
        """The span the target is for: the year for a year or a quarter, else the phase."""
        if self.kind == "phase":
            return self.start, self.end
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)

    def as_at(self, today: dt.date | None = None) -> dt.date:
        """The day stock figures (groups, members) are read at: the period's end, or today."""
        return min(self.end, today or dt.date.today())

    def expected_share(self, today: dt.date | None = None) -> float:
        """How much of the target should be reached by now if work were spread evenly."""
        first, last = self.target_span
        end = min(self.end, today or dt.date.today())
        if end < first:
            return 0.0
        return min(1.0, ((end - first).days + 1) / ((last - first).days + 1))

    def label(self) -> str:
        if self.kind == "phase":
            return QT_TRANSLATE_NOOP("Indicators", "phase {phase}").render(phase=self.phase)
        if self.kind == "quarter":
            return QT_TRANSLATE_NOOP("Indicators", "quarter {quarter}/{year}").render(
                quarter=self.quarter, year=self.year)
        return QT_TRANSLATE_NOOP("Indicators", "year {year}").render(year=self.year)

    def chart_steps(self) -> list[tuple[str, dt.date, dt.date]]:
        """The bars of the achievement chart: quarters of the year, or years of the phase."""
        if self.kind == "phase":
            first, last = phase_bounds(self.phase_code)
            return [(str(y), dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(first, last + 1)]
        return [(QT_TRANSLATE_NOOP("Indicators", "Quarter {quarter}").render(quarter=roman),
                 *quarter_bounds(self.year, q)) for q, roman in enumerate(QUARTERS, start=1)]


QUARTERS = ("I", "II", "III", "IV")  # quarters are written in Roman numerals: Quý I–IV


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, last - dt.timedelta(days=1)
