"""Operations say what they changed and fail plainly: a page reloads only when a table it shows
changed (and only when on screen); a failure is a translated message or the crash dialog."""

from PySide6.QtWidgets import QWidget

from da8desktop.core.db.changes import Changes
from da8desktop.core.errors import NotSetUp
from da8desktop.core.i18n import QT_TRANSLATE_NOOP
from da8desktop.core.services.groups_query import GroupFilter, get_group, list_groups
from da8desktop.gui.events import DataEvents
from da8desktop.gui.operations import CoalescedLoad, run_operation
from da8desktop.gui.pages.activities import ActivitiesPage
from da8desktop.gui.pages.audit import AuditPage
from da8desktop.gui.pages.dashboard import DashboardPage
from da8desktop.gui.pages.groups import GroupsPage
from da8desktop.gui.pages.overview import OverviewPage
from da8desktop.gui.pages.people import PeoplePage
from da8desktop.gui.pages.sync import SyncPage
from da8desktop.gui.pages.trash import TrashPage
from da8desktop.gui.pages.villages import VillagesPage
from tests.gui.helpers import RecordingDialogs, open_window

PAGES = (DashboardPage, OverviewPage, PeoplePage, GroupsPage, ActivitiesPage, VillagesPage,
         TrashPage, SyncPage, AuditPage)


def show(window, page):
    window.nav.setCurrentRow(window.pages.indexOf(page))


def test_saving_one_field_on_the_groups_page_reloads_only_the_pages_showing_groups(
        qtbot, demo_db, immediate_operations):
    window = open_window(qtbot, demo_db)
    pages = {kind: window.page(kind) for kind in PAGES}  # every page built and up to date
    reloads = {kind: 0 for kind in PAGES}
    for kind, page in pages.items():
        original = page.reload

        def counting(changes=None, kind=kind, original=original):
            reloads[kind] += 1
            original(changes)

        page.reload = counting
    groups = pages[GroupsPage]
    show(window, groups)
    group = list_groups(demo_db, GroupFilter())[0]
    groups.select_group(group.id)
    hotline = groups.detail.fields["hotline"]
    hotline.setText("0912 345 678")
    hotline.setModified(True)
    hotline.editingFinished.emit()

    assert get_group(demo_db, group.id).hotline == "0912 345 678"
    # On screen and showing groups: reloaded once. Everything else waits or ignores it.
    assert reloads == {kind: (1 if kind is GroupsPage else 0) for kind in PAGES}
    # Pages not showing groups stay as they are when visited...
    for kind in (VillagesPage, SyncPage):
        show(window, pages[kind])
    assert reloads[VillagesPage] == 0
    # ...pages that show them (figures, lists of groups, the audit trail) catch up once.
    for kind in (DashboardPage, PeoplePage, AuditPage, PeoplePage):
        show(window, pages[kind])
    assert reloads[DashboardPage] == 1 and reloads[PeoplePage] == 1 and reloads[AuditPage] == 1
    assert reloads[VillagesPage] == 0


def test_a_change_while_hidden_is_one_reload_when_shown(qtbot, demo_db):
    window = open_window(qtbot, demo_db)
    villages = window.page(VillagesPage)
    calls = []
    villages.reload = lambda changes=None: calls.append(changes)
    for _ in range(3):
        window.events.changed.emit(Changes.of("village"))
    window.events.changed.emit(Changes.of("person"))
    assert calls == []
    show(window, villages)
    assert len(calls) == 1 and calls[0].tables == {"village"}


def _failing(error):
    def work(_progress):
        raise error
    return work


def test_a_user_facing_failure_is_shown_in_vietnamese(qtbot, immediate_operations):
    from PySide6.QtWidgets import QApplication

    from da8desktop.gui.i18n import install_qt_language

    install_qt_language(QApplication.instance(), "vi")
    dialogs = RecordingDialogs()
    parent = QWidget()
    qtbot.addWidget(parent)
    run_operation(parent, "Xuất", _failing(NotSetUp(QT_TRANSLATE_NOOP(
        "Database", "This data file is not set up yet. Load the demo commune or set up this "
        "computer first."))), dialogs=dialogs)
    assert dialogs.shown == [("Xuất", "Tệp dữ liệu này chưa được thiết lập. Hãy tải xã mẫu hoặc "
                                      "thiết lập máy tính này trước.")]
    assert dialogs.crashes == []


def test_any_other_failure_shows_the_crash_dialog_never_the_raw_text(qtbot, immediate_operations):
    from da8desktop.core.paths import user_log_dir

    dialogs = RecordingDialogs()
    parent = QWidget()
    qtbot.addWidget(parent)
    raw = "sqlite3.OperationalError: no such column: person.secret_field"
    run_operation(parent, "Export", _failing(RuntimeError(raw)), dialogs=dialogs)
    assert dialogs.shown == []
    assert len(dialogs.crashes) == 1
    title, text = dialogs.crashes[0]
    assert raw not in text and "secret_field" not in text
    assert str(user_log_dir() / "crash.log") in text
    assert raw in (user_log_dir() / "crash.log").read_text("utf-8")


def test_an_operation_announces_what_its_writes_changed(qtbot, demo_db, immediate_operations):
    from da8desktop.core.services.groups import GroupsService

    events = DataEvents()
    heard = []
    events.changed.connect(heard.append)
    group = list_groups(demo_db, GroupFilter())[0]
    parent = QWidget()
    qtbot.addWidget(parent)
    results = []
    run_operation(parent, "Save", lambda _p: GroupsService(demo_db).update(group.id, note="x"),
                  dialogs=RecordingDialogs(), events=events, on_success=results.append)
    assert results and len(heard) == 1
    assert "community_group" in heard[0].tables and "person" not in heard[0].tables


def test_a_load_asked_for_while_running_runs_once_more_not_once_per_ask(qtbot):
    runs, shown = [], []
    parent = QWidget()
    qtbot.addWidget(parent)
    loader = CoalescedLoad(parent, "Load", lambda: len(runs), shown.append,
                           dialogs=RecordingDialogs())

    def work():
        runs.append(1)
        if len(runs) == 1:  # asked three more times while the first load runs
            loader.start()
            loader.start()
            loader.start()
        return len(runs)

    loader.work = work
    from da8desktop.gui import tasks

    previous = tasks.use_executor(tasks.ImmediateExecutor())
    try:
        loader.start()
    finally:
        tasks.use_executor(previous)
    assert len(runs) == 2 and shown == [2] and not loader.loading


def test_every_table_a_page_names_exists():
    """Pages once announced "people" and "groups" for tables named person and community_group:
    nothing reloaded. Every table named in a change or in a page's `shows` is a real table."""
    import re
    from pathlib import Path

    import da8desktop.gui
    from da8desktop.core.db.models import Base
    from da8desktop.gui.page_refresh import COMMUNE_RECORDS, SYNC_STATE

    tables = set(Base.metadata.tables)
    named = set(COMMUNE_RECORDS | SYNC_STATE)
    pattern = re.compile(r"changed\.emit\(\{([^}]*)\}\)|Changes\.of\(([^)]*)\)|"
                         r"shows: frozenset\[str\] \| None = frozenset\(\{([^}]*)\}\)", re.S)
    for path in Path(da8desktop.gui.__file__).parent.rglob("*.py"):
        for match in pattern.finditer(path.read_text("utf-8")):
            text = next(group for group in match.groups() if group is not None)
            named |= set(re.findall(r'"(\w+)"', text))
    assert named and named <= tables, named - tables
    for kind in PAGES:
        assert kind.shows is None or kind.shows <= tables, kind


def test_a_cancelled_load_can_load_again(qtbot, immediate_operations):
    from da8desktop.core.progress import Cancelled

    parent = QWidget()
    qtbot.addWidget(parent)
    shown, dialogs = [], RecordingDialogs()
    answers = iter([Cancelled(), 7])

    def work():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    loader = CoalescedLoad(parent, "Load", work, shown.append, dialogs=dialogs)
    loader.start()  # the officer pressed Cancel: nothing said, nothing shown
    assert not loader.loading and shown == [] and dialogs.shown == dialogs.crashes == []
    loader.start()
    assert shown == [7]


def test_only_the_operation_runner_starts_background_work():
    """Pages and widgets run work through gui/operations.run_operation (its changes announced,
    one failure policy); `run_in_background` is its engine (gui/tasks.py), called nowhere else."""
    import re
    from pathlib import Path

    import da8desktop.gui

    root = Path(da8desktop.gui.__file__).parent
    direct = re.compile(r"\b(run_in_background|BackgroundTask\s*\()")
    allowed = {Path("operations.py"), Path("tasks.py")}
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in sorted(root.rglob("*.py")) if path.relative_to(root) not in allowed
             for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
             if direct.search(line)]
    assert found == []
