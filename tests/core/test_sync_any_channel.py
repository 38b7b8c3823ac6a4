"""Bundles travel by e-mail or Zalo too (issue 21, item 7): a renamed bundle imports, and a
folder of downloads is searched by content (the age header), not by name."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync.importer import bundle_files, import_paths


def test_a_renamed_bundle_imports_and_a_folder_is_searched_by_content(world, tmp_path: Path):
    PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Mai", sex="F", birth_year=1990)
    [bundle] = world.send("A1", "P")
    downloads = tmp_path / "Zalo Received Files"
    downloads.mkdir()
    renamed = downloads / "goi (1).bin"
    shutil.copyfile(bundle, renamed)
    (downloads / "anh-chup.jpg").write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(500))
    (downloads / "ghi-chu.txt").write_text("age-encryption.org is only named here\n")
    (downloads / "empty").write_bytes(b"")
    shutil.copyfile(bundle, downloads / "half.da8.part")  # still being written: skipped
    (downloads / "hong.da8").write_bytes(b"not a bundle")  # named as one: shown, then refused
    (downloads / "subfolder").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(downloads / "a-pipe")  # never opened for reading

    assert bundle_files([downloads]) == [renamed, downloads / "hong.da8"]
    reports = import_paths(world.dbs["P"], [downloads])
    assert [(r.file, r.status) for r in reports] == [("goi (1).bin", "applied"),
                                                     ("hong.da8", "rejected")]
    assert reports[0].counts["new"] >= 1


@pytest.mark.parametrize("name", ["goi (1).bin", "da8-bundle", "Tệp đính kèm.da8.zip"])
def test_a_bundle_named_anything_imports_when_chosen_by_name(world, tmp_path: Path, name):
    [bundle] = world.send("A1", "P", full=True)
    renamed = tmp_path / name
    shutil.copyfile(bundle, renamed)
    [report] = import_paths(world.dbs["P"], [renamed])
    assert report.status == "applied"
