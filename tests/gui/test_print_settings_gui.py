"""Issue 19, item 8: the sign-in sheet's confirmation is a setting the officer ticks."""

from da8desktop.core.reports.print_settings import load_print_settings
from da8desktop.gui.pages.settings import SettingsPage
from tests.gui.helpers import RecordingDialogs


def test_sign_in_confirmation_is_off_until_ticked(qtbot, demo_db):
    page = SettingsPage("vi", demo_db, dialogs=RecordingDialogs(), restore=lambda _b: None)
    qtbot.addWidget(page)
    assert not page.confirm_sign_in.isChecked() and page.show_confirmation.isChecked()
    page.confirm_sign_in.setChecked(True)
    page.save_button.click()
    assert load_print_settings(demo_db).confirm_sign_in
