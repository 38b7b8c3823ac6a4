"""Province-scale benchmarks (issue #8): one command, every measure beside its baseline.

    python bench/run.py                 # full scale: 150 communes, about 300,000 people
    python bench/run.py --quick         # 3 small communes: the code runs, figures mean little
    python bench/run.py --communes 20   # anything in between

Prints a table and writes bench/out/results.json (or --json FILE). The generated communes are
kept in bench/out/work-<size>/ and reused by a later run with the same size and seed (--fresh
makes them again). Figures are wall-clock on this machine; compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# Before da8desktop is imported: no screen, no keyring, no passphrase prompt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("DA8_KEY_PASSPHRASE", "benchmark passphrase")
os.environ.setdefault("DA8_KEYRING", "off")

import measures  # noqa: E402
import province_data  # noqa: E402


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        memory = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    except (ValueError, OSError, AttributeError):
        pass
    import sqlite3

    from PySide6 import __version__ as pyside

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": memory, "os": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "pyside6": pyside}


def prepare(args: argparse.Namespace, size: province_data.Size) -> province_data.ProvinceFiles:
    work = args.work / f"work-{args.communes}x{size.people}-seed{args.seed}"
    stamp = work / "made.json"
    if args.fresh and work.exists():
        shutil.rmtree(work)
    if stamp.exists():
        made = json.loads(stamp.read_text())
        print(f"Reusing {work} (made {made['made_at']}, {made['seconds']:.0f} s)")
        return province_data.ProvinceFiles(
            Path(made["province"]), Path(made["template"]),
            [province_data.CommuneFiles(c["code"], c["name"], Path(c["data_file"]),
                                        Path(c["bundle"]), c["counts"]) for c in made["communes"]])
    if work.exists():
        shutil.rmtree(work)  # an interrupted generation: start again
    print(f"Generating {args.communes} communes of {size.people:,} people in {work} …")
    started = time.perf_counter()
    files = province_data.make_province(work, args.communes, args.seed, size)
    seconds = time.perf_counter() - started
    stamp.write_text(json.dumps({
        "made_at": dt.datetime.now().isoformat(timespec="seconds"), "seconds": seconds,
        "province": str(files.province_file), "template": str(files.template_file),
        "communes": [{"code": c.code, "name": c.name, "data_file": str(c.data_file),
                      "bundle": str(c.bundle), "counts": c.counts} for c in files.communes]},
        ensure_ascii=False, indent=1))
    print(f"Generated in {seconds:.0f} s")
    return files


def table(results: list[measures.Result]) -> str:
    lines = ["| Measure | What | Ours | Baseline | Ratio | Goal | Met |",
             "|---|---|---:|---:|---:|---|---|"]
    for r in results:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        baseline = f"{r.baseline:.3f} s" if r.baseline is not None else "—"
        value = f"{r.value:.3f}" if r.unit in ("s", "GB", "×") else f"{r.value:,.1f}"
        met = {True: "yes", False: "**no**", None: "—"}[r.met]
        extra = ""
        if "peak_rss_mb" in r.extra:
            extra = f", peak {r.extra['peak_rss_mb']:.0f} MB"
        if "p50_s" in r.extra:
            extra = f" (p50 {r.extra['p50_s']:.3f} s)"
        if "cpu_s" in r.extra:
            extra = f" (CPU {r.extra['cpu_s']:.3f} s)"
        if "main_window_ready" in r.extra:
            extra = f" (main window {r.extra['main_window_ready']:.3f} s)"
        lines.append(f"| {r.key} | {r.title} | {value} {r.unit}{extra} | {baseline} | {ratio} "
                     f"| {r.goal} | {met} |")
    return "\n".join(lines)


def judge(result: measures.Result) -> None:
    """Ratio goals are judged here; absolute goals were judged where they were measured."""
    limits = {"P1": 3.0, "P1o": 3.0, "P4": 2.5, "P4c": 2.5, "P4d": 2.5, "P5": 1.3}
    if result.key in limits and result.ratio is not None:
        result.met = result.ratio <= limits[result.key]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 small communes (CI)")
    parser.add_argument("--communes", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "out")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--fresh", action="store_true", help="generate the communes again")
    parser.add_argument("--only", default="", help="comma-separated measures, e.g. P1,P7")
    args = parser.parse_args(argv)
    size = province_data.Size.quick() if args.quick else province_data.Size()
    args.communes = args.communes or (3 if args.quick else 150)
    repeats = 1 if args.quick else 2
    only = {m.strip().upper() for m in args.only.split(",") if m.strip()}
    wanted = lambda key: not only or key in only  # noqa: E731

    scratch = Path(tempfile.mkdtemp(prefix="da8-bench-", dir=args.work if args.work.exists() else None))
    os.environ["XDG_DATA_HOME"] = str(scratch / "home" / "data")  # backups and logs stay here
    os.environ["XDG_CONFIG_HOME"] = str(scratch / "home" / "config")
    os.environ["XDG_STATE_HOME"] = str(scratch / "home" / "state")
    started = time.perf_counter()
    files = prepare(args, size)
    results: list[measures.Result] = []

    failures: dict[str, str] = {}

    def run(key: str, action) -> None:  # noqa: ANN001
        if not wanted(key):
            return
        print(f"{key} …", flush=True)
        try:
            got = action()
        except Exception as error:  # noqa: BLE001 - one broken measure must not lose the others
            failures[key] = f"{type(error).__name__}: {error}"
            print(f"{key} FAILED: {failures[key]}", flush=True)
            return
        for result in got if isinstance(got, list) else [got]:
            judge(result)
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)

    try:
        # First: a child's peak memory counts its parent's size when it was forked, so the
        # command runs before this process has imported anything itself.
        run("P1", lambda: measures.p1_peak_memory(files, scratch))
        run("P1", lambda: measures.p1_import_one(files, scratch, repeats))
        run("P1", lambda: measures.p1_officer_path(files, scratch, repeats))
        province = None
        if wanted("P2") or any(wanted(k) for k in ("P3", "P4", "P5", "P7", "P8", "S1")):
            result, province = measures.p2_import_all(files, scratch)
            judge(result)
            if wanted("P2"):
                results.append(result)
                print(table([result]).splitlines()[-1], flush=True)
        if province is not None:
            run("S1", lambda: measures.s1_file_size_per_row(province, args.communes))
        run("S2", lambda: measures.s2_backups_after_imports(files, scratch))
        if province is not None:
            run("P3", lambda: measures.p3_people_list(province, 3 if args.quick else 12, args.seed))
            run("P3", lambda: measures.p3c_province_page(province, 3 if args.quick else 12,
                                                         args.seed))
            run("P4", lambda: measures.p4_cold_start(files, province, scratch / "start", 3))
            run("P5", lambda: measures.p5_excel(province, scratch))
            run("P8", lambda: measures.p8_command_line(files, province, scratch / "start",
                                                       3 if args.quick else 5))
        run("P6", lambda: measures.p6_member_list_pdf(files.communes[0].data_file, scratch))
        if province is not None:
            run("P7", lambda: measures.p7_commune_export(files, province, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    report = {"when": dt.datetime.now().isoformat(timespec="seconds"),
              "command": "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
              "communes": args.communes, "size": vars(size), "seed": args.seed,
              "machine": machine(), "seconds": round(time.perf_counter() - started),
              "results": [r.as_dict() for r in results], "failures": failures}
    out = args.json or args.work / ("results-quick.json" if args.quick else "results.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str))
    m = report["machine"]
    print()
    print(f"{args.communes} communes × {size.people:,} people; {m['cpu']}, {m['cores']} cores, "
          f"{m['memory_gb']} GB, Python {m['python']}, SQLite {m['sqlite']}")
    print(table(results))
    for key, why in failures.items():
        print(f"{key} failed: {why}")
    print(f"\nWritten {out} ({report['seconds']} s in all)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
