"""Every window fits the screens commune offices have (issue #19): 1366×768 at 100 % and at 125 %
scaling, and 1024×768 at 100 %, each above a 40 px taskbar.

How the screens are made: Qt's offscreen platform reads its screens from a JSON file
(`QT_QPA_PLATFORM=offscreen:configfile=…`, Qt ≥ 6.5, checked with PySide6 6.11). A screen's size
cannot change inside a running application, so each size runs `tests/gui/fit_probe.py` in its own
process. The offscreen screen is given the *free* area (the screen less the taskbar), because on
Windows that is what `availableGeometry()` answers and what windows are fitted to. 125 % is real
scaling: the 1366×728 free area with `QT_SCALE_FACTOR=1.25`, so widgets see 1093×582 logical
pixels and fonts and rounding behave as on such a laptop. The offscreen platform draws no title
bar, so the probe reserves Windows' frame (16×40 px) around each window.

The probe opens the main window on every page (demo commune, province, and a new file's first
start, the centre) and every dialog (person, group of each type, meeting, each activity kind, safe delivery, targets,
Excel import, print, guide, about), and reports: a window bigger than the free area or leaving
it; a widget cut off by its parent outside a scroll area; a label whose text is clipped (a
one-line label narrower than its text, a wrapped one shorter than its lines); a table whose first
(name) column is narrower than 110 px while its text needs more; a Progress page whose table of
indicators shows fewer than 7 rows whole, or whose chart is below its readable height (fit_probe.
PROGRESS_ROWS: at 125 % the table once showed two). A new dialog must be added to the probe."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from da8desktop.core.db.database import Database
from da8desktop.core.sync.enrol import province_init

SIZES = {"1366x768": (1366, 728, None), "1366x768@125%": (1366, 728, "1.25"),
         "1024x768": (1024, 728, None)}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def files(tmp_path_factory, demo_template_file, template_file):
    os.environ["DA8_KEY_PASSPHRASE"] = "test passphrase"  # as sync_world_files does
    os.environ["DA8_KEYRING"] = "off"
    folder = tmp_path_factory.mktemp("fit")
    demo = shutil.copyfile(demo_template_file, folder / "demo.sqlite")
    province = shutil.copyfile(template_file, folder / "province.sqlite")
    db = Database.open(province)
    province_init(db, "11")
    db.close()
    empty = shutil.copyfile(template_file, folder / "empty.sqlite")
    return folder, [str(demo), str(province), str(empty), str(_centre(folder, province))]


def _centre(folder: Path, province: Path) -> Path:
    """A centre whose province (a copy of the one above, which stays unconnected) sent its
    figures and was confirmed."""
    from da8desktop.core.sync import central
    from da8desktop.core.sync.export import export_bundles
    from da8desktop.core.sync.importer import import_paths

    centre = Database.open(shutil.copyfile(folder / "empty.sqlite", folder / "centre.sqlite"))
    connected = Database.open(shutil.copyfile(province, folder / "connected.sqlite"))
    _identity, fingerprint = central.central_init(centre)
    setup = central.central_enroll(centre, "11", folder / "usb")
    done = central.connect_central(connected, setup.path, fingerprint)
    central.central_enroll(centre, "01", folder / "usb")  # a province not connected yet
    sent = [b.path for b in export_bundles(connected, folder / "up")]
    import_paths(centre, sent)
    central.confirm_province(centre, "11", done.province_fingerprint)
    import_paths(centre, sent)
    connected.close()
    centre.close()
    return folder / "centre.sqlite"


@pytest.mark.parametrize("size", SIZES)
def test_every_page_and_dialog_fits_the_screen(size, files, tmp_path):
    folder, paths = files
    width, height, scale = SIZES[size]
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"synchronousWindowSystemEvents": True,
                                  "windowFrameMargins": False,
                                  "screens": [{"name": size, "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96,
                                               "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    for path in paths:  # each size gets fresh copies: the probe opens them for writing
        shutil.copyfile(path, tmp_path / Path(path).name)
    run = subprocess.run([sys.executable, "-m", "tests.gui.fit_probe",
                          *(str(tmp_path / Path(p).name) for p in paths)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    problems = json.loads(run.stdout.strip().splitlines()[-1])
    assert problems == [], "\n".join(problems)


def test_a_window_bigger_than_the_screen_is_fitted_when_shown(qtbot):
    from PySide6.QtWidgets import QApplication, QDialog

    from da8desktop.gui.screen_fit import FRAME, install_screen_fit

    install_screen_fit(QApplication.instance())
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(3000, 2000)
    dialog.move(500, 400)
    dialog.show()
    area = dialog.screen().availableGeometry()
    assert dialog.width() + FRAME.width() <= area.width()
    assert dialog.height() + FRAME.height() <= area.height()
    assert area.contains(dialog.pos()) and dialog.pos().y() + dialog.height() + FRAME.height() \
        <= area.bottom() + 1
