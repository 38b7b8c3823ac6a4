"""docs/indicators.md lists every indicator of the shipped catalogue (issue 20, "Done when"):
each code has a row of the table under "The indicators of the catalogue" with the catalogue's
unit, its rule (the code's `compute.measure`, in backticks) and the source line it answers."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEADING = "## The indicators of the catalogue"


def doc_rows(text: str) -> dict[str, list[str]]:
    """code -> [unit, rule, source] from the table of the section; a row may name several codes
    separated by " / " (phase I and phase II)."""
    section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| code", "|---")):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for code in cells[0].split(" / "):
            assert code not in rows, f"{code} has two rows"
            rows[code] = cells[1:]
    return rows


def test_every_catalogue_indicator_has_its_rule_and_source_line_in_the_doc():
    catalogue = json.loads((ROOT / "resources/catalogues/indicators.json").read_text("utf-8"))
    rows = doc_rows((ROOT / "docs/indicators.md").read_text("utf-8"))
    codes = [item["code"] for item in catalogue["items"] if item["kind"] == "indicator"]
    assert codes, "the shipped catalogue holds no indicator"
    missing = [code for code in codes if code not in rows]
    assert not missing, f"docs/indicators.md has no row for {missing}"
    for item in catalogue["items"]:
        unit, rule, source = (rows[item["code"]] + ["", "", ""])[:3]
        props = item["props"]
        assert unit == props["unit"], (item["code"], unit)
        assert f"`{props['compute']['measure']}`" in rule, (item["code"], rule)
        assert len(source) > 10, (item["code"], "no source line")
    stale = sorted(set(rows) - set(codes))
    assert not stale, f"docs/indicators.md lists codes the catalogue does not hold: {stale}"
