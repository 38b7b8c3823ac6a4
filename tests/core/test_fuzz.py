"""Bad input everywhere (issue 10): random, truncated and mutated bundles and workbooks. The
readers either accept or refuse with a plain message; they never crash and never write."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pyrage
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from da8desktop.core.errors import UserFacingError
from da8desktop.core.excel.import_people import preview_import
from da8desktop.core.services.people import PeopleService
from da8desktop.core.sync.importer import import_file
from tests.core.test_sync_attacks import keys_of, state

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.filterwarnings("ignore:Duplicate name")
@FUZZ
@given(data=st.data())
def test_bundle_reader_never_crashes(world, tmp_path_factory, data):
    if not hasattr(world, "fuzz_bundle"):
        PeopleService(world.dbs["A1"]).create(full_name="Lò Thị Hoa", sex="F", birth_year=1990)
        [world.fuzz_bundle] = world.send("A1", "P")
        world.fuzz_before = state(world.dbs["P"])
    good = world.fuzz_bundle.read_bytes()
    kind = data.draw(st.sampled_from(["random", "truncate", "flip", "insert", "plain_zip"]))
    if kind == "random":
        bad = data.draw(st.binary(max_size=4096))
    elif kind == "truncate":  # positions as fractions: every run makes a bundle of its own size
        bad = good[:int(data.draw(st.floats(0, 0.999)) * len(good))]
    elif kind == "flip":
        at = int(data.draw(st.floats(0, 0.999)) * len(good))
        bad = good[:at] + bytes([good[at] ^ data.draw(st.integers(1, 255))]) + good[at + 1:]
    elif kind == "insert":
        at = int(data.draw(st.floats(0, 1)) * len(good))
        bad = good[:at] + data.draw(st.binary(min_size=1, max_size=64)) + good[at:]
    else:  # a well-encrypted archive with random entries: exercises the unzip and the parser
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for _ in range(data.draw(st.integers(0, 4))):
                archive.writestr(data.draw(st.sampled_from(
                    ["manifest.json", "manifest.sig", "person.ndjson", "../x", "files/ab"])),
                    data.draw(st.binary(max_size=300)))
        bad = pyrage.encrypt(buffer.getvalue(), [keys_of(world.dbs["P"]).box.to_public()])
    path = tmp_path_factory.mktemp("fuzz") / "fuzzed.da8"
    path.write_bytes(bad)
    report = import_file(world.dbs["P"], path)
    assert report.status == "rejected" and report.message
    assert state(world.dbs["P"]) == world.fuzz_before


@FUZZ
@given(data=st.data())
def test_excel_reader_never_crashes(commune_db, tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("xlsx")
    path = folder / "ds.xlsx"
    kind = data.draw(st.sampled_from(["cells", "bytes", "truncate"]))
    if kind == "bytes":
        path.write_bytes(data.draw(st.binary(max_size=2048)))
    else:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Họ và tên", "Năm sinh", "Giới tính", "Dân tộc", "SĐT"])
        cell = st.one_of(st.none(), st.integers(-10**9, 10**9), st.floats(allow_nan=False,
                         allow_infinity=False), st.text(max_size=30).map(
                         lambda t: "".join(c for c in t if c.isprintable())),
                         st.sampled_from(["Nữ", "Nam", "01/01/1990", "31/02/2000", "Tổng cộng",
                                          "Lß ThÞ", "Loø Thò", "H'Mông", "=1+1"]))
        for _ in range(data.draw(st.integers(0, 12))):
            ws.append([data.draw(cell) for _ in range(5)])
        buffer = io.BytesIO()
        wb.save(buffer)
        raw = buffer.getvalue()
        if kind == "truncate":  # a fraction: the workbook's length varies with its timestamp
            raw = raw[:int(data.draw(st.floats(0, 0.999)) * len(raw))]
        path.write_bytes(raw)
    try:
        preview = preview_import(commune_db, path)
    except UserFacingError as error:
        assert error.message()
        return
    for row in preview.rows:  # every row explained: accepted, matched or refused with a reason
        assert row.status in ("new", "match", "error")
        assert row.status != "error" or row.reasons
