"""Every file the application writes goes through core/atomic_write.py (issue 22, item 3): the
final name holds the old file or the whole new one, never half; a failure leaves no .part and
says plainly what happened."""

from __future__ import annotations

import ast
import errno
from pathlib import Path

import pytest

from da8desktop.core import atomic_write
from da8desktop.core.disk_errors import DiskFull

PACKAGE = Path(__file__).resolve().parents[2] / "da8desktop"

# Modules that may rename a file themselves, each with its reason.
ALLOWED = {
    "core/atomic_write.py": "the helper itself",
}


def _renames(source: str) -> list[int]:
    """Lines calling os.replace / os.rename / shutil.move, or a one-argument `.replace(x)` /
    `.rename(x)` (Path's; str.replace takes two arguments, datetime.replace keywords)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, owner = node.func.attr, node.func.value
        module = owner.id if isinstance(owner, ast.Name) else None
        if module in {"os", "shutil"} and name in {"replace", "rename", "renames", "move"}:
            found.append(node.lineno)
        elif name in {"replace", "rename"} and len(node.args) == 1 and not node.keywords:
            found.append(node.lineno)
    return found


def test_no_module_renames_a_file_but_the_helper():
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in ALLOWED:
            continue
        stray += [f"{relative}:{line}" for line in _renames(path.read_text("utf-8"))]
    assert stray == [], ("write through da8desktop/core/atomic_write.py (or add the module to "
                         f"ALLOWED with a reason): {stray}")


def test_the_scan_sees_a_path_rename():
    assert _renames("import os\nos.replace(a, b)\np.replace(q)\nq.rename(r)\n") == [2, 3, 4]
    assert _renames("s.replace('a', 'b')\nd.replace(year=1)\n") == []


def test_a_write_replaces_the_whole_file_and_leaves_no_part(tmp_path):
    target = tmp_path / "settings.json"
    target.write_text("old", "utf-8")
    atomic_write.write_text(target, "new")
    assert target.read_text("utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_failed_writer_keeps_the_old_file_and_removes_the_part(tmp_path):
    target = tmp_path / "list.xlsx"
    target.write_bytes(b"old workbook")
    with pytest.raises(RuntimeError), atomic_write.atomic_path(target) as part:
        part.write_bytes(b"half")
        raise RuntimeError("the writer stopped")
    assert target.read_bytes() == b"old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["list.xlsx"]


def test_a_full_disk_is_said_plainly_and_leaves_nothing(tmp_path):
    target = tmp_path / "bundle.da8"
    with pytest.raises(DiskFull), atomic_write.atomic_path(target) as part:
        part.write_bytes(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_the_bytes_and_the_folder_are_flushed(tmp_path, monkeypatch):
    flushed = []
    real_fsync = atomic_write.os.fsync
    monkeypatch.setattr(atomic_write.os, "fsync", lambda fd: flushed.append(fd) or real_fsync(fd))
    atomic_write.write_bytes(tmp_path / "a.bin", b"data")
    assert len(flushed) == (2 if atomic_write.os.name == "posix" else 1)
