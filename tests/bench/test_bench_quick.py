"""The benchmark command at its --quick size, so its code never rots (issue #8). No timing is
asserted here: CI machines differ; the figures are read in docs/performance.md."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_runs_every_measure_and_writes_its_table(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick",
                           "--work", str(tmp_path), "--json", str(out)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    keys = [r["key"] for r in report["results"]]
    # every measure of the issues' tables is there (rows such as S1/S2 and P3c come beside them)
    assert {"P1", "P1o", "P1m", "P2", "P3a", "P3b", "P3c", "P4", "P4c", "P4d", "P5", "P6", "P7a",
            "P7b", "P8a", "P8b", "P8c", "P8d", "S1", "S1a", "S1b", "S2"} <= set(keys)
    assert len(keys) == len(set(keys))
    for result in report["results"]:
        assert result["value"] > 0, result
        assert result["goal"], result
    by_key = {r["key"]: r for r in report["results"]}
    assert by_key["P2"]["extra"]["people"] == 3 * 300  # every bundle imported, nothing lost
    assert by_key["P5"]["extra"]["rows"] == 3 * 300
    assert by_key["P7b"]["extra"]["records"] >= 10  # the ten changed people travel
    assert "| P1 |" in done.stdout and report["machine"]["cores"] >= 1
