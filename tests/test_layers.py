"""Import directions: the contracts of .importlinter hold (`lint-imports` from the checkout), and
the check is real: the same contracts break on a copy of the package with one import turned back up."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    cmd = [str(LINT)] if LINT.exists() else [sys.executable, "-m", "importlinter.cli"]
    return subprocess.run(cmd + ["--no-cache", str(ROOT / ".importlinter")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_contracts_kept():
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Contracts: 4 kept, 0 broken." in r.stdout, r.stdout


def test_an_analyzer_importing_a_renderer_breaks_the_layers(tmp_path):
    pkg = tmp_path / "netconsol"
    shutil.copytree(ROOT / "netconsol", pkg, ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.c"))
    metrics = pkg / "analyze" / "metrics.py"
    metrics.write_text(metrics.read_text(encoding="utf-8") + "\nfrom ..render.plans import L  # noqa\n",
                       encoding="utf-8")
    overlaps = pkg / "analyze" / "overlaps.py"
    overlaps.write_text(overlaps.read_text(encoding="utf-8").replace(
        "from .intervals import merge_intervals, overlapping_pairs\n",
        "from .intervals import merge_intervals, overlapping_pairs\nfrom . import merge  # noqa\n"), encoding="utf-8")
    r = _lint(tmp_path)
    assert r.returncode != 0
    assert "netconsol.analyze.metrics -> netconsol.render.plans" in r.stdout, r.stdout
    assert "No cycles are allowed in netconsol.analyze" in r.stdout, r.stdout
