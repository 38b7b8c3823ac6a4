"""Lint, types and layers (issue 22, item 6), run by the README's test command so `.ci/run`
enforces them: ruff (rules in pyproject.toml, a noqa that silences nothing fails), mypy on
core/ (a `type: ignore` that silences nothing fails) and import-linter's layer contracts
(docs/architecture.md, "Layers"). Each fails with the tool's own report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = ("import sys; from importlinter.cli import lint_imports_command; "
                "sys.exit(lint_imports_command())")


def _run(*args: str) -> None:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"


@pytest.mark.parametrize("check", [
    ("-m", "ruff", "check", "--no-cache", "."),
    ("-m", "mypy"),  # files and options from [tool.mypy]
    ("-c", LINT_IMPORTS, "--no-cache"),
], ids=["ruff", "mypy", "lint-imports"])
def test_static_check_passes(check):
    _run(*check)
