"""File menu: a new data file, another one, and the recent ones, in the same window."""

from da8desktop.core.db.lock import AlreadyOpen, WriterLock
from da8desktop.gui.pages.people import PeoplePage
from da8desktop.gui.pages.welcome import WelcomePage
from tests.gui.helpers import RecordingDialogs, open_window


def test_new_file_then_back_to_the_demo_from_recent_files(qtbot, demo_db, tmp_path):
    demo_file = demo_db.file.resolve()
    new_file = tmp_path / "xa-that"
    dialogs = RecordingDialogs(answers=[str(new_file)])
    window = open_window(qtbot, demo_db, dialogs=dialogs)
    window.lock = WriterLock(demo_file).acquire()
    assert window.new_data_file()
    assert window.db.file == (tmp_path / "xa-that.sqlite").resolve()
    assert isinstance(window.pages.widget(0), WelcomePage)  # a new file starts at the welcome
    try:  # the demo's lock went with it; the new file is this window's now
        WriterLock(demo_file).acquire().release()
        WriterLock(window.db.file).acquire()
        raise AssertionError("the new file is not locked")
    except AlreadyOpen:
        pass
    from da8desktop.gui.data_files import fill_recent

    fill_recent(window)
    entries = [a.text() for a in window.recent_menu.actions()]
    assert str(demo_file) in entries
    back = next(a for a in window.recent_menu.actions() if a.text() == str(demo_file))
    back.trigger()
    assert window.db.file.resolve() == demo_file
    assert window.page(PeoplePage) is not None
    dialogs.answers.append(str(tmp_path / "xa-that.sqlite"))
    assert not window.new_data_file()  # an existing file is never written over
    assert "đã có" in dialogs.shown[-1][1] or "already exists" in dialogs.shown[-1][1]
    assert window.db.file.resolve() == demo_file
    window.lock.release()
