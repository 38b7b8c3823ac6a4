"""What the central installation keeps of each province (issue 21, item 6): figures and targets
per commune, indicator and period, as the provinces computed them. Aggregates only: nothing
here names a person. Local tables (they never travel again); each province's rows are replaced
whole by its newest bundle, and only that province's bundles may touch them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class CentralFigure(Base):
    """One computed value: commune x indicator x period, as the province's program counted it."""

    __tablename__ = "central_figure"
    __table_args__ = (Index("ix_central_figure_period", "period", "indicator_code"),)

    province_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"), primary_key=True)
    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"), primary_key=True)
    # A code and name as the province's catalogue has them: a province may add an indicator
    # the centre's catalogue does not know yet, so no key into catalogue_item.
    indicator_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)  # '2026' or '2026-2030'
    value: Mapped[float] = mapped_column(Numeric(14, 2, asdecimal=False))
    as_of: Mapped[dt.datetime]  # when the province wrote the bundle


class CentralTarget(Base):
    """A target the province allocated to one of its communes."""

    __tablename__ = "central_target"

    province_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"), primary_key=True)
    commune_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"), primary_key=True)
    indicator_code: Mapped[str] = mapped_column(String(40), primary_key=True)
    period: Mapped[str] = mapped_column(String(9), primary_key=True)
    value: Mapped[float] = mapped_column(Numeric(14, 2, asdecimal=False))
    as_of: Mapped[dt.datetime]
