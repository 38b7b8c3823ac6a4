"""The national tier's manifest and lines are declared strictly (docs/bundle-format.md, "The
national tier"): every departure is a refusal of the whole file, never a crash."""

from __future__ import annotations

import copy

import pytest

from da8desktop.core.db.migrate import BUNDLE_SCHEMA
from da8desktop.core.sync import codec
from da8desktop.core.sync.central_file import FigureLine, parse_lines, read_central_manifest
from da8desktop.core.sync.container import BundleRejected

KEY = "ab" * 32
GOOD = {
    "format": "da8-bundle", "format_version": 1, "schema": BUNDLE_SCHEMA,
    "min_reader_schema": BUNDLE_SCHEMA, "app_version": "0.1.0",
    "bundle_id": "0190c7a4-0000-7000-8000-000000000001", "kind": "aggregates",
    "created_at": "2026-12-01T05:00:00", "seq": 1, "previous_bundle": None,
    "source": {"site": "0190c7a4-0000-7000-8000-000000000002", "sign_public": KEY,
               "role": "province", "province": "11", "label": "Tỉnh Điện Biên"},
    "target": {"sign_public": "cd" * 32, "role": "central", "province": None, "label": "TW"},
    "summaries": [],
    "entries": [{"path": "central_figure.ndjson", "sha256": "0" * 64, "bytes": 10, "records": 1}],
}


def variant(change) -> dict:
    manifest = copy.deepcopy(GOOD)
    change(manifest)
    return manifest


HOSTILE = {
    "unknown field": lambda m: m.update(extra=1),
    "wrong direction": lambda m: m.update(kind="catalogue"),
    "centre naming a province": lambda m: m["target"].update(province="01"),
    "province without code": lambda m: m["source"].update(province=None),
    "catalogue entry in aggregates": lambda m: m["entries"][0].update(path="catalogue.ndjson"),
    "commune table": lambda m: m["entries"][0].update(path="person.ndjson"),
    "entry twice": lambda m: m["entries"].append(dict(m["entries"][0])),
    "huge entry": lambda m: m["entries"][0].update(bytes=1 << 40),
    "seq as true": lambda m: m.update(seq=True),
    "seq as float": lambda m: m.update(seq=1.0),
    "label in a receipt": lambda m: m["summaries"].append({
        "bundle_id": GOOD["bundle_id"], "seq": 1, "imported_at": "2026-12-01T05:00:00",
        "counts": {}, "rejected": [{"label": "Lò Thị Mai"}]}),
    "date in 2200": lambda m: m.update(created_at="2200-01-01T00:00:00"),
    "enrolment in a catalogue": lambda m: m.update(
        kind="catalogue", enrolment={"code": "0123456789", "box_public": "age1" + "q" * 58}),
}


def test_the_good_manifest_passes():
    manifest = read_central_manifest(GOOD, codec.dumps(GOOD).encode(), "f.da8")
    assert manifest.kind == "aggregates" and manifest.source.province == "11"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_manifests_are_refused(name: str):
    bad = variant(HOSTILE[name])
    with pytest.raises(BundleRejected) as refused:
        read_central_manifest(bad, codec.dumps(bad).encode(), "f.da8")
    assert refused.value.reason == "damaged"


@pytest.mark.parametrize("line", [
    {"commune": "3325", "indicator": "II.TTCD", "period": "2026", "value": 1},
    {"commune": "03325", "indicator": "ii.ttcd", "period": "2026", "value": 1},
    {"commune": "03325", "indicator": "II.TTCD", "period": "26", "value": 1},
    {"commune": "03325", "indicator": "II.TTCD", "period": "2026", "value": -1},
    {"commune": "03325", "indicator": "II.TTCD", "period": "2026", "value": 1e13},
    {"commune": "03325", "indicator": "II.TTCD", "period": "2026", "value": "1"},
    {"commune": "03325", "indicator": "II.TTCD", "period": "2026", "value": 1, "name": "Mai"},
])
def test_bad_figure_lines_refuse_the_file(line: dict):
    data = (codec.dumps(line) + "\n").encode()
    with pytest.raises(BundleRejected):
        parse_lines(FigureLine, data, 1, "central_figure.ndjson", "f.da8")
