"""Every text a user sees is translated, and the compiled catalogues match their sources."""

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCollator, QLocale
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from da8desktop.core.paths import resource_path
from da8desktop.core.text import collation_key
from da8desktop.devtools import translations

TS = resource_path("translations", "da8desktop_vi.ts")


def messages(path: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [(c.findtext("name"), m.findtext("source"), m.find("translation"))
            for c in root.iter("context") for m in c.iter("message")]


def test_no_vietnamese_translation_is_unfinished():
    unfinished = [source for _ctx, source, tr in messages(TS)
                  if tr.get("type") in ("unfinished",) or not (tr.text or "").strip()]
    assert unfinished == []


def test_every_source_string_is_in_the_catalogue(tmp_path):
    scratch = tmp_path / "scan.ts"
    shutil.copyfile(TS, scratch)
    translations.update(scratch)
    new = [(ctx, src) for ctx, src, tr in messages(scratch) if tr.get("type") == "unfinished"]
    assert new == [], "run: python -m da8desktop.devtools.translations update, then translate"


def test_placeholders_survive_translation():
    import re

    for _ctx, source, tr in messages(TS):
        assert sorted(re.findall(r"{\w+}", source)) == sorted(re.findall(r"{\w+}", tr.text or "")), source


def test_committed_qm_files_are_built_from_the_ts(tmp_path):
    for built in translations.build(tmp_path):
        assert built.read_bytes() == resource_path("translations", built.name).read_bytes(), built.name


def test_stock_buttons_speak_vietnamese(qtbot):
    from da8desktop.gui.i18n import install_qt_language

    install_qt_language(QApplication.instance(), "vi")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Đồng ý", "Hủy"}


def test_pure_python_collation_agrees_with_qt_icu():
    names = ["Ưng", "Uyên", "Ơn", "Ôn", "On", "Êm", "Em", "Đức", "Dũng", "Âu", "Ăn", "Ánh", "Anh",
             "Hỏa", "Hoa", "Họa", "Hóa", "Hõa", "Bình", "Yến", "Thủy", "Thúy", "Thu", "Thư"]
    collator = QCollator(QLocale("vi_VN"))
    assert sorted(names, key=collation_key) == sorted(names, key=collator.sortKey)
