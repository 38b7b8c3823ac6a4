"""Every prompt, message box and file picker goes through gui/dialogs.py: one place for the
extension rule and the remembered folders, and tests answer them without blocking."""

import re
from pathlib import Path

import da8desktop.gui
from da8desktop.gui.dialogs import with_suffix

DIRECT = re.compile(r"\b(QFileDialog|QMessageBox|QInputDialog)\b")
ALLOWED = {"dialogs.py"}


def test_nothing_but_the_dialog_service_opens_a_stock_dialog():
    root = Path(da8desktop.gui.__file__).parent
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in sorted(root.rglob("*.py")) if path.name not in ALLOWED
             for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if DIRECT.search(line)]
    assert found == []


def test_the_extension_rule():
    assert with_suffix("bao-cao", ".xlsx") == Path("bao-cao.xlsx")
    assert with_suffix("Bao-Cao.XLSX", ".xlsx") == Path("Bao-Cao.XLSX")
    assert with_suffix("goi.da8", None) == Path("goi.da8")


def test_the_last_folder_is_remembered_per_purpose(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    from da8desktop.gui.dialogs import EXPORTS, USB, Dialogs

    stick, exports = tmp_path / "usb", tmp_path / "documents"
    stick.mkdir()
    exports.mkdir()
    asked = []

    def folder(_parent, _title, start):
        asked.append(start)
        return str(stick)

    def save(_parent, _title, start, _filter):
        asked.append(start)
        return str(exports / "nguoi"), ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", folder)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    dialogs = Dialogs()
    assert dialogs.folder("Stick", purpose=USB) == str(stick)
    assert dialogs.save_file("Export", "*.xlsx", suffix=".xlsx", name="nguoi.xlsx",
                             purpose=EXPORTS) == str(exports / "nguoi.xlsx")
    dialogs.folder("Stick again", purpose=USB)
    dialogs.save_file("Export again", "*.xlsx", suffix=".xlsx", name="x.xlsx", purpose=EXPORTS)
    # The stick's folder is offered for bundles, the documents folder for exports.
    assert asked[2:] == [str(stick), str(exports / "x.xlsx")]
