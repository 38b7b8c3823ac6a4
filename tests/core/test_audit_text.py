"""Issue 19, item 6: the audit trail reads as plain words, never ids, keys or ISO dates."""

from __future__ import annotations

import re

from da8desktop.core.services.audit_query import list_audit
from da8desktop.core.services.audit_text import plain

UUID_PART = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")
INTERNAL = re.compile(r"\w+:\w+\.\w+|\b\d{4}-\d{2}-\d{2}\b|\bnormal\b|\bcaesarean\b|\bx\d+\b")


def test_demo_audit_lines_name_people_groups_and_indicators(demo_db):
    rows = list_audit(demo_db, limit=None)
    assert rows
    for row in rows:
        assert not UUID_PART.search(row.description), row
        assert not INTERNAL.search(row.description), row
    members = [r for r in rows if r.entity == "membership"]
    assert members and all(" in " in r.description for r in members)
    assert UUID_PART.search(members[0].summary)  # the stored line is unchanged
    targets = [r for r in rows if r.entity == "target"]
    assert targets and all(r.description.startswith("Số") or r.description[0].isupper()
                           for r in targets)


def test_fixed_english_lines_and_outputs_are_translated():
    assert plain("new site id (copied or restored data file)").startswith("New identity")
    assert plain("people -> danh-sach.xlsx") == "People list → danh-sach.xlsx"
    assert plain("Sinh hoạt 2026-08-16") == "Sinh hoạt 16/08/2026"
    assert plain("2026-13-45 kept") == "2026-13-45 kept"
