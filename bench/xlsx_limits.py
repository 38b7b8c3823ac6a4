"""Memory and time of `people import --dry-run` on hostile and large workbooks (issue 18, item 6).

    PYTHONPATH=. python bench/xlsx_limits.py [--rows 20000] [--keep DIR]

Each file is imported by the real command in its own process; its peak resident memory is the
child's ru_maxrss (os.wait4: per child, so one run's peak never hides another's) and its time
the wall clock around it. Goal: every file refused or previewed within 300 MB; a 20,000-row list
previewed in under 10 s."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from xlsx_files import member_list, wide_dimension, zip_bomb


def measure(db: Path, sheet: Path) -> tuple[int, float, float, str]:
    """(exit code, peak MB, seconds, last line of the command's output)."""
    command = [sys.executable, "-m", "da8desktop", "--lang", "en", "--db", str(db), "people",
               "import", str(sheet), "--dry-run"]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = child.stdout.read()  # type: ignore[union-attr]
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = output.decode(errors="replace").strip().splitlines() or [""]
    return child.returncode, usage.ru_maxrss / 1024, seconds, lines[-1][:110]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temp folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="xlsx-limits-"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.sqlite"
    subprocess.run([sys.executable, "-m", "da8desktop", "--db", str(db), "demo", "--people", "400"],
                   check=True, capture_output=True)
    files = {
        f"list of {args.rows:,} rows": member_list(folder / "list.xlsx", args.rows),
        "list of 100,000 rows": member_list(folder / "list-100k.xlsx", 100_000),
        "zip bomb (1.5 GB of sheet XML)": zip_bomb(folder / "bomb.xlsx"),
        "declared A1:XFD1048576, 200,000 rows": wide_dimension(folder / "wide.xlsx"),
    }
    print(f"{'file':<40} {'size':>9} {'exit':>4} {'peak MB':>8} {'seconds':>8}  output")
    for label, sheet in files.items():
        code, peak, seconds, last = measure(db, sheet)
        size = f"{sheet.stat().st_size / 2**20:.1f} MB"
        print(f"{label:<40} {size:>9} {code:>4} {peak:>8.0f} {seconds:>8.1f}  {last}")


if __name__ == "__main__":
    main()
