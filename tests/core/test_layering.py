"""The core never imports Qt or the GUI, and its layers import only downwards (import-linter contracts in
pyproject.toml: a forbidden one and a layers one)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_importing_the_whole_core_loads_no_qt() -> None:
    modules = sorted(
        "annotator." + ".".join(p.relative_to(ROOT / "annotator").with_suffix("").parts)
        for p in (ROOT / "annotator").rglob("*.py")
        if "migrations" not in p.parts and p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui'))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_import_linter_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 kept, 0 broken" in run.stdout
    assert "The core's layers" in run.stdout


def test_the_layers_contract_refuses_an_operation_importing_the_command_line(tmp_path: Path) -> None:
    """The loop issue 8 found (operations importing ``annotator.cli``) breaks the layers contract."""
    shutil.copytree(ROOT / "annotator", tmp_path / "annotator", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "ui", tmp_path / "ui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    service = tmp_path / "annotator" / "service.py"
    service.write_text(
        service.read_text(encoding="utf-8") + "\nfrom annotator import cli  # noqa\n", encoding="utf-8"
    )
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode != 0, run.stdout + run.stderr
    assert "1 kept, 1 broken" in run.stdout
    assert "annotator.service -> annotator.cli" in run.stdout
