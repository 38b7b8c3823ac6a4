"""`da8desktop selftest`: prove on this computer (or a freshly built frozen app) that every part
works together: migrations, catalogues, demo data, the main window, PDF printing, Excel export,
sync (keys, encryption, signatures).
Exits 0 only if every step passed. Nothing outside a temporary folder is touched."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from da8desktop.core.formats import format_number, format_size
from da8desktop.core.i18n import QT_TRANSLATE_NOOP, Text


def _steps(folder: Path, language: str) -> list[tuple[Text, Callable[[dict], str]]]:
    state: dict = {}

    def open_database(_s: dict) -> str:
        from da8desktop.core.db.database import Database
        from da8desktop.core.db.migrate import SCHEMA_HEAD

        db = Database.open(folder / "selftest.sqlite")
        assert db.migration.to_revision == SCHEMA_HEAD, db.migration
        state["db"] = db
        return QT_TRANSLATE_NOOP("Selftest", "schema {revision}").render(
            revision=db.migration.to_revision)

    def demo(_s: dict) -> str:
        from da8desktop.core.demo import load_demo
        from da8desktop.core.services.stats import collect

        load_demo(state["db"], seed=1, people=120)
        stats = collect(state["db"])
        assert stats.people == 120 and stats.groups > 0 and stats.attendance_rows > 0, stats
        return QT_TRANSLATE_NOOP(
            "Selftest", "{people} people, {groups} groups, {attendance} attendance rows").render(
            people=format_number(stats.people), groups=format_number(stats.groups),
            attendance=format_number(stats.attendance_rows))

    def window(_s: dict) -> str:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from da8desktop.gui.i18n import install_qt_language
        from da8desktop.gui.main_window import MainWindow

        app = QApplication.instance() or QApplication([])
        state["app"] = app
        install_qt_language(app, language)
        started = time.perf_counter()
        main = MainWindow(state["db"], language)
        main.show()
        app.processEvents()
        shown_ms = (time.perf_counter() - started) * 1000
        image = main.grab().toImage()
        assert not image.isNull() and image.width() > 300, "empty window"
        assert main.pages.count() >= 6, main.page_titles()
        if language == "vi":
            assert main.page_titles()[0] == "Tiến độ", "Vietnamese translation not loaded"
        home = main.pages.widget(0)
        deadline = time.perf_counter() + 30
        while getattr(home, "loading", False) and time.perf_counter() < deadline:
            app.processEvents()  # the Progress page computes its figures in the background
            time.sleep(0.01)
        assert getattr(home, "progress", None) is not None, "the Progress page did not load"
        main.close()
        return QT_TRANSLATE_NOOP("Selftest", "{pages} pages, built and shown in {ms} ms").render(
            pages=main.pages.count(), ms=format_number(round(shown_ms)))

    def pdf(_s: dict) -> str:
        from da8desktop.core.reports.member_list import member_list
        from da8desktop.core.services.groups_query import list_groups
        from da8desktop.render.pdf import write_pdf

        path = folder / "members.pdf"
        pages = write_pdf(member_list(state["db"], [list_groups(state["db"])[0].id]), path)
        assert path.read_bytes().startswith(b"%PDF") and pages >= 1
        return QT_TRANSLATE_NOOP("Selftest", "{pages} page(s), {size}").render(
            pages=pages, size=format_size(path.stat().st_size))

    def xlsx(_s: dict) -> str:
        import openpyxl

        from da8desktop.core.excel.export import export_people

        result = export_people(state["db"], folder / "people.xlsx")
        sheet = openpyxl.load_workbook(result.path, read_only=True).active
        rows = sum(1 for _row in sheet.iter_rows())
        assert rows == result.rows + 1, (rows, result.rows)
        return QT_TRANSLATE_NOOP("Selftest", "{rows} rows").render(rows=format_number(result.rows))

    def indicators(_s: dict) -> str:
        import openpyxl

        from da8desktop.core.excel.indicators import export_indicator_report
        from da8desktop.core.indicators.periods import Period
        from da8desktop.core.indicators.progress import compute_progress

        progress = compute_progress(state["db"], Period.choose())
        path = folder / "indicators.xlsx"
        export_indicator_report(state["db"], progress, path)
        sheet = openpyxl.load_workbook(path, read_only=True).active
        assert sheet.max_row >= 5 + len(progress.rows), sheet.max_row
        reached = sum(1 for r in progress.rows if r.cell.achieved)
        return QT_TRANSLATE_NOOP("Selftest", "{indicators} indicators, {reached} with a value").render(
            indicators=len(progress.rows), reached=reached)

    def sync(_s: dict) -> str:
        from da8desktop.core.db.database import Database
        from da8desktop.core.services.people import PeopleService
        from da8desktop.core.services.stats import collect
        from da8desktop.core.sync.enrol import (commune_init, confirm_commune_computer, enroll,
                                                own_fingerprint, province_init)
        from da8desktop.core.sync.export import export_bundles
        from da8desktop.core.sync.importer import import_file

        saved = {k: os.environ.get(k) for k in ("DA8_KEY_PASSPHRASE", "DA8_KEYRING")}
        # Throw-away keys: never the officer's keyring, never their passphrase.
        os.environ.update(DA8_KEY_PASSPHRASE="selftest passphrase", DA8_KEYRING="off")
        try:
            province, commune = (Database.open(folder / "tinh.sqlite"),
                                 Database.open(folder / "xa.sqlite"))
            _identity, province_fingerprint = province_init(province, "11")
            setup = enroll(province, "03325", folder / "usb")
            commune_init(commune, setup.path, province_fingerprint)
            PeopleService(commune).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
            [bundle] = export_bundles(commune, folder / "usb")
            assert b"Hoa" not in bundle.path.read_bytes(), "bundle not encrypted"
            held = import_file(province, bundle.path)  # registered, held until confirmed
            assert held.reason == "unconfirmed" and collect(province).people == 0, held
            confirm_commune_computer(province, "03325", own_fingerprint(commune) or "")
            report = import_file(province, bundle.path)
            assert report.status == "applied" and collect(province).people == 1, report
            [back] = export_bundles(province, folder / "usb")
            assert import_file(commune, back.path).status == "applied"
            province.close()
            commune.close()
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        return QT_TRANSLATE_NOOP(
            "Selftest", "a bundle of {size}: encrypted, signed and imported").render(
            size=format_size(bundle.path.stat().st_size))

    def server_driver(_s: dict) -> str:
        """A province server needs the PostgreSQL driver and its libpq inside the frozen app."""
        import psycopg
        from sqlalchemy import create_engine

        engine = create_engine("postgresql+psycopg://selftest@127.0.0.1:1/none")
        assert engine.dialect.driver == "psycopg"
        engine.dispose()
        return f"psycopg {psycopg.__version__}, libpq {psycopg.pq.version() // 10000} ({psycopg.pq.__impl__})"

    return [(QT_TRANSLATE_NOOP("Selftest", "Open and migrate a new database"), open_database),
            (QT_TRANSLATE_NOOP("Selftest", "Load the demo commune"), demo),
            (QT_TRANSLATE_NOOP("Selftest", "Show the main window"), window),
            (QT_TRANSLATE_NOOP("Selftest", "Print a member list to PDF"), pdf),
            (QT_TRANSLATE_NOOP("Selftest", "Export people to Excel"), xlsx),
            (QT_TRANSLATE_NOOP("Selftest", "Compute the indicators and export the report"),
             indicators),
            (QT_TRANSLATE_NOOP("Selftest", "Enrol a commune and exchange sync bundles"), sync),
            (QT_TRANSLATE_NOOP("Selftest", "Load the driver for a province server"),
             server_driver)]


def run_selftest(language: str, out: Callable[[str], None] = print) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="da8-selftest-") as folder:
        for name, step in _steps(Path(folder), language):
            started = time.perf_counter()
            try:
                detail = step({})
            except Exception as error:  # noqa: BLE001 - every failure is reported, then counted
                failures += 1
                out(f"✗ {name.render()}: {type(error).__name__}: {error}")
                continue
            out(f"✓ {name.render()} ({format_number(round((time.perf_counter() - started) * 1000))} ms): "
                f"{detail}")
    if failures:
        out(QT_TRANSLATE_NOOP("Selftest", "{count} step(s) failed.").render(count=failures))
        return 1
    out(QT_TRANSLATE_NOOP("Selftest", "All steps passed.").render())
    return 0
