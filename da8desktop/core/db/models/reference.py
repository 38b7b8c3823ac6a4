"""Reference data shared by every site: administrative units and catalogues.

Keys are readable strings built from (scheme, level, code) or (kind, scheme, code), so every
site seeds identical keys and records can reference them with real foreign keys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from da8desktop.core.domain import AdminLevel, AdminScheme, SuccessionKind, sql_in

from .base import Base


class AdminUnit(Base):
    """A province, district or commune as one scheme knew it. Codes were reused after the 2025
    reform, so a code alone means nothing: the key is scheme + level + code."""

    __tablename__ = "admin_unit"
    __table_args__ = (
        UniqueConstraint("scheme", "level", "code"),
        CheckConstraint(sql_in("scheme", AdminScheme), name="scheme"),
        CheckConstraint(sql_in("level", AdminLevel), name="level"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from",
                        name="validity"),
        Index("ix_admin_unit_parent", "parent_key"),
    )

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    level: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(120))
    division_type: Mapped[str | None] = mapped_column(String(40))
    name_fold: Mapped[str] = mapped_column(String(120))
    parent_key: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.key"))
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]

    @staticmethod
    def make_key(scheme: str, level: str, code: str | int) -> str:
        width = {"province": 2, "district": 3, "commune": 5}[level]
        return f"{scheme}:{level}:{int(code):0{width}d}"


class AdminSuccession(Base):
    """Old unit -> new unit (merge / split / rename). A split old unit has several rows."""

    __tablename__ = "admin_succession"
    __table_args__ = (
        UniqueConstraint("old_key", "new_key"),
        CheckConstraint(sql_in("kind", SuccessionKind), name="kind"),
        CheckConstraint("old_key <> new_key", name="not_self"),
        Index("ix_admin_succession_new", "new_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    old_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    new_key: Mapped[str] = mapped_column(ForeignKey("admin_unit.key"))
    kind: Mapped[str] = mapped_column(String(10))
    effective: Mapped[dt.date]


class CatalogueItem(Base):
    """One entry of a versioned code list shipped in resources/catalogues (and later updated by
    the province): programme structure, group types, roles, topics, ethnic groups, indicators…"""

    __tablename__ = "catalogue_item"
    __table_args__ = (
        UniqueConstraint("kind", "scheme", "code"),
        Index("ix_catalogue_item_kind", "kind", "sort_order"),
    )

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    scheme: Mapped[str] = mapped_column(String(10), default="", server_default="")
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    parent_key: Mapped[str | None] = mapped_column(ForeignKey("catalogue_item.key"))
    alt_names: Mapped[list[Any]] = mapped_column(default=list)
    props: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    catalogue_version: Mapped[str] = mapped_column(String(20))

    @staticmethod
    def make_key(kind: str, code: str, scheme: str = "") -> str:
        return f"{kind}:{scheme}:{code}" if scheme else f"{kind}:{code}"
