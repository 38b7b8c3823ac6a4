"""Issue 23 item 4 at the centre: the preview of a province's bundle and its commit share one
reading of the file (central_import.read_central, then apply_central, through
core/sync/prepared.py), as at the province; a file changed on the stick in between is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from da8desktop.core.sync import central, central_export, central_import, importer
from da8desktop.core.sync.central_status import province_computers
from da8desktop.core.sync.enrol import province_init
from da8desktop.core.sync.export import export_bundles
from da8desktop.core.sync.importer import import_paths
from da8desktop.core.sync.prepared import commit_prepared, prepare_paths
from da8desktop.core.db.database import Database
from tests.cli.test_central_ownership_cli import connected, figure, stored


def counting(monkeypatch):
    """How many times a bundle is opened (decrypted), by either reader, and an entry parsed."""
    calls = {"open": 0, "parse": 0}
    open_importer, open_central = importer.open_bundle, central_import.open_bundle
    parse_lines = central_import.parse_lines

    def opening(real):
        def open_(*args, **kwargs):
            calls["open"] += 1
            return real(*args, **kwargs)
        return open_

    def parsing(*args, **kwargs):
        calls["parse"] += 1
        return parse_lines(*args, **kwargs)

    monkeypatch.setattr(importer, "open_bundle", opening(open_importer))
    monkeypatch.setattr(central_import, "open_bundle", opening(open_central))
    monkeypatch.setattr(central_import, "parse_lines", parsing)
    return calls


def send(monkeypatch, province: Database, folder: Path, *figures: dict) -> Path:
    monkeypatch.setattr(central_export, "figures", lambda db, today=None: list(figures))
    [bundle] = export_bundles(province, folder)
    return bundle.path


def test_the_centre_stores_the_previewed_bundle_without_reading_it_again(
        tmp_path, monkeypatch, new_file):
    centre, provinces = connected(tmp_path, new_file)
    path = send(monkeypatch, provinces["11"], tmp_path / "up", figure("03325", 12))
    before = stored(centre.file)
    calls = counting(monkeypatch)
    [prepared] = prepare_paths(centre, [path])
    assert prepared.report.status == "dry_run" and prepared.kept
    assert prepared.report.counts["new"] == 1
    assert calls == {"open": 1, "parse": calls["parse"]} and calls["parse"] >= 1
    assert stored(centre.file) == before  # the preview wrote nothing
    read = dict(calls)
    [done] = commit_prepared(centre, [prepared])
    assert done.status == "applied" and done.counts == prepared.report.counts
    assert calls == read  # neither decrypted nor parsed again
    assert not prepared.kept
    figures = [row for row in stored(centre.file) if len(row) == 6]  # central_figure rows
    assert [(row[1], row[4]) for row in figures] == [("2025:commune:03325", 12.0)]
    assert import_paths(centre, [path])[0].status == "duplicate"


def test_a_bundle_changed_on_the_stick_after_the_centres_preview_is_refused(
        tmp_path, monkeypatch, new_file):
    centre, provinces = connected(tmp_path, new_file)
    path = send(monkeypatch, provinces["11"], tmp_path / "up", figure("03325", 12))
    [prepared] = prepare_paths(centre, [path])
    other = send(monkeypatch, provinces["11"], tmp_path / "later", figure("03325", 99))
    shutil.copyfile(other, path)  # another bundle, under the name previewed
    before = stored(centre.file)
    [done] = commit_prepared(centre, [prepared])
    assert (done.status, done.reason) == ("rejected", "changed")
    assert stored(centre.file) == before
    [again] = prepare_paths(centre, [path])  # previewed again: now it is the later one
    [done] = commit_prepared(centre, [again])
    assert done.status == "applied"
    assert [row[4] for row in stored(centre.file) if len(row) == 6] == [99.0]


def test_a_first_bundle_registers_the_province_at_the_commit_from_its_one_reading(
        tmp_path, monkeypatch, new_file):
    """A province's first bundle waits for its fingerprint to be confirmed: the commit keeps
    the registration, from the bundle its preview read, and stores no figure."""
    centre = Database.open(new_file("tw.sqlite"))
    _identity, centre_fp = central.central_init(centre)
    province = Database.open(new_file("tinh11.sqlite"))
    province_init(province, "11")
    setup = central.central_enroll(centre, "11", tmp_path / "usb")
    central.connect_central(province, setup.path, centre_fp)
    path = send(monkeypatch, province, tmp_path / "up", figure("03325", 12))
    calls = counting(monkeypatch)
    [prepared] = prepare_paths(centre, [path])
    assert (prepared.report.status, prepared.report.reason) == ("rejected", "unconfirmed")
    assert prepared.kept and calls["open"] == 1
    assert {p.code: p.status for p in province_computers(centre)} == {"11": "pending"}
    [done] = commit_prepared(centre, [prepared])  # the preview above registered nothing
    assert done.reason == "unconfirmed" and calls["open"] == 1
    assert {p.code: p.status for p in province_computers(centre)} == {
        "11": "awaiting_confirmation"}
    assert not [row for row in stored(centre.file) if len(row) == 6]

