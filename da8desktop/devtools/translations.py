"""Keep the Qt translation catalogue in step with the code.

    python -m da8desktop.devtools.translations update   # scan sources into the .ts files
    python -m da8desktop.devtools.translations build    # compile .ts -> .qm

Sources are English; `resources/translations/da8desktop_vi.ts` holds Vietnamese (edit it with
Qt Linguist, `pyside6-linguist`). `qtbase_vi.ts` is our own translation of the Qt stock strings
we show, because Qt ships none for Vietnamese. The .qm files are committed so a checkout runs
without a build step; tests/gui/test_translations.py fails when they are stale or unfinished.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from da8desktop.core.paths import resource_path

PACKAGE = Path(__file__).resolve().parents[1]
CATALOGUES = ("da8desktop_vi", "qtbase_vi")


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    return found


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "devtools" not in p.parts)


def update(ts_file: Path | None = None) -> Path:
    """Scan the sources; new strings are added as unfinished, vanished ones marked obsolete."""
    target = ts_file or resource_path("translations", "da8desktop_vi.ts")
    subprocess.run([_tool("pyside6-lupdate"), *map(str, source_files()), "-no-obsolete",
                    "-locations", "none", "-target-language", "vi_VN", "-ts", str(target)],
                   check=True, capture_output=True)
    return target


def build(out_dir: Path | None = None) -> list[Path]:
    built = []
    for name in CATALOGUES:
        source = resource_path("translations", f"{name}.ts")
        target = (out_dir or source.parent) / f"{name}.qm"
        subprocess.run([_tool("pyside6-lrelease"), str(source), "-qm", str(target)],
                       check=True, capture_output=True)
        built.append(target)
    return built


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        print(update())
    elif command == "build":
        print("\n".join(map(str, build())))
    else:
        print(__doc__)
        raise SystemExit(2)
