"""The catalogue as a workbook the province edits (issue 21, item 1): a sheet of indicators and
a sheet of activity groups, each the whole list (a row left out, or marked not in use, is
retired). Read through safe_read (bounded), written through cells (text stays text)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from da8desktop.core.db.database import Database
from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel import safe_read
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.catalogue import current_items, versions
from da8desktop.core.text import fold

INDICATORS = QT_TRANSLATE_NOOP("Catalogue", "Indicators")
GROUPS = QT_TRANSLATE_NOOP("Catalogue", "Activity groups")
CODE = QT_TRANSLATE_NOOP("Catalogue", "Code")
IND_HEADERS = [CODE, QT_TRANSLATE_NOOP("Catalogue", "Name"),
               QT_TRANSLATE_NOOP("Catalogue", "Name in English"),
               QT_TRANSLATE_NOOP("Catalogue", "Unit"), QT_TRANSLATE_NOOP("Catalogue", "Phase"),
               QT_TRANSLATE_NOOP("Catalogue", "Level"), QT_TRANSLATE_NOOP("Catalogue", "Rule"),
               QT_TRANSLATE_NOOP("Catalogue", "Parameters (JSON)"),
               QT_TRANSLATE_NOOP("Catalogue", "In use")]
GROUP_HEADERS = [CODE, IND_HEADERS[1], IND_HEADERS[2],
                 QT_TRANSLATE_NOOP("Catalogue", "Programme content"), IND_HEADERS[8]]
NOT_IN_USE = {"khong", "no", "0", "false", "ngung", "retired"}


def export_catalogue(db: Database, path: Path) -> dict[str, str | None]:
    from openpyxl import Workbook

    from da8desktop.core.excel.cells import text_row

    held = versions(db)
    with db.read() as session:
        indicators = current_items(session, "indicator")
        groups = current_items(session, "activity_group")
    book = Workbook(write_only=True)
    sheet = book.create_sheet(INDICATORS.render()[:31])
    sheet.append(text_row(sheet, [QT_TRANSLATE_NOOP("Catalogue", "Version").render(),
                                  held.get("indicators") or ""]))
    sheet.append(text_row(sheet, [h.render() for h in IND_HEADERS]))
    for item in indicators:
        props = item.get("props", {})
        compute = dict(props.get("compute") or {})
        rule = compute.pop("measure", "")
        sheet.append(text_row(sheet, [item["code"], item["name"], item.get("name_en", ""),
                                      props.get("unit", ""), props.get("phase", ""),
                                      props.get("level", ""), rule,
                                      json.dumps(compute, ensure_ascii=False) if compute else "",
                                      "x"]))
    sheet = book.create_sheet(GROUPS.render()[:31])
    sheet.append(text_row(sheet, [QT_TRANSLATE_NOOP("Catalogue", "Version").render(),
                                  held.get("programme") or ""]))
    sheet.append(text_row(sheet, [h.render() for h in GROUP_HEADERS]))
    for item in groups:
        sheet.append(text_row(sheet, [item["code"], item["name"], item.get("name_en", ""),
                                      str(item.get("parent", "")).split(":")[-1], "x"]))
    from da8desktop.core.excel.export import save_workbook

    save_workbook(book, path)
    return held


def read_catalogue_sheet(path: Path) -> tuple[dict[str, list[tuple[str, dict[str, Any]]]], list[str]]:
    """kind -> [(row number, item)] for each sheet found, and rows refused while reading."""
    safe_read.check_archive(path)
    _ws, names = safe_read.open_sheet(path, None)
    _ws.parent.close()
    edited: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    refused: list[str] = []
    # A sheet exported in one language is imported in the other: every language's name counts.
    wanted = {fold(name): kind for text, kind in ((INDICATORS, "indicator"),
                                                  (GROUPS, "activity_group"))
              for name in _every_language(text)}
    for name in names:
        kind = wanted.get(fold(name))
        if kind is None:
            continue
        ws, _names = safe_read.open_sheet(path, name)
        rows = [[c.value for c in cells] for cells in safe_read.rows(ws, path)]
        codes = {fold(name) for name in _every_language(CODE)} | {"code", "ma"}
        header = next((i for i, r in enumerate(rows[:10])
                       if r and fold(str(r[0] or "")) in codes), None)
        if header is None:
            continue
        items = edited.setdefault(kind, [])
        for number, row in enumerate(rows[header + 1:], start=header + 2):
            cells = [("" if v is None else str(v).strip()) for v in row] + [""] * 9
            if not any(cells):
                continue
            where = f"{name} {number}"
            try:
                items.append((where, _item(kind, cells)))
            except ValueError as exc:
                refused.append(QT_TRANSLATE_NOOP(
                    "Catalogue", "{where}: the parameters are not a JSON object of names and "
                    "values ({detail}).").render(where=where, detail=str(exc)))
    if not edited:
        raise UserFacingError(QT_TRANSLATE_NOOP(
            "Catalogue", "{file} has no sheet named \"{indicators}\" or \"{groups}\" with a "
            "\"{code}\" column. \"catalogue export\" writes a workbook of the right shape."),
            file=path.name, indicators=INDICATORS.render(), groups=GROUPS.render(),
            code=CODE.render())
    return edited, refused


def _item(kind: str, cells: list[str]) -> dict[str, Any]:
    from da8desktop.core.services.catalogue import parse_parameters

    if kind == "activity_group":
        item = {"kind": kind, "code": cells[0].upper(), "name": cells[1],
                "parent": f"content:{cells[3].upper()}", "_active": _in_use(cells[4])}
    else:
        compute = {"measure": cells[6], **parse_parameters(cells[7])}
        item = {"kind": kind, "code": cells[0].upper(), "name": cells[1],
                "props": {"unit": cells[3], "phase": cells[4], "level": cells[5] or "commune",
                          "compute": compute}, "_active": _in_use(cells[8])}
    if cells[2]:
        item["name_en"] = cells[2]
    return item


def _in_use(text: str) -> bool:
    return fold(text) not in NOT_IN_USE


def _every_language(text: Any) -> set[str]:
    """The English source, the language in use and every shipped translation of `text`."""
    from da8desktop.core.i18n import LANGUAGES, load_ts
    from da8desktop.core.paths import resource_path

    names = {text.source, text.render()}
    for language in LANGUAGES:
        ts = resource_path("translations", f"da8desktop_{language}.ts")
        if ts.exists():
            names.add(load_ts(ts).get((text.context, text.source), text.source))
    return names
