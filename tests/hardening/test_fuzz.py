"""Issue 20: the fuzzer's seeded subset (benchmarks/fuzz.py; the full run's figures are in the
README): no crash, no hang, every ledger adds up."""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_fuzz_subset():
    spec = importlib.util.spec_from_file_location("netconsol_fuzz", ROOT / "benchmarks" / "fuzz.py")
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    f = fuzz.run(300, seed=7, hang=10)
    assert f["inputs"] == 300 and min(f["config"], f["csv"], f["xlsx"], f["yaml"]) > 0
    assert (f["crashes"], f["hangs"], f["ledger_violations"]) == (0, 0, 0), f["failures"][:3]
    assert f["config_lines"] > 1000 and f["sheet_rows"] > 100
