"""The core must never import PySide6: the CLI, a server and tests use it without Qt."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "da8desktop" / "core"


def test_no_pyside6_import_statement_in_core():
    offenders = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] in ("PySide6", "shiboken6") for n in names):
                offenders.append(f"{path.relative_to(CORE)}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(".".join(p.relative_to(CORE.parent.parent).with_suffix("").parts)
                     for p in CORE.rglob("*.py") if p.name != "__init__.py" or p.parent != CORE)
    script = ("import importlib, sys\n"
              f"for m in {modules!r}:\n"
              "    if 'migrations' not in m: importlib.import_module(m)\n"
              "print(sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
