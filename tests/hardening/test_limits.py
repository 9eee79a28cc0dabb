"""Issue 20, problem 6: hostile XLSX and YAML files are refused within 5 s and 500 MB."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import write_all, yaml_bomb

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

_PROBE = """
import json, resource, sys, time
t = time.monotonic()
out = {}
try:
    exec(sys.argv[1])
except BaseException as e:
    out["error"] = f"{type(e).__name__}: {e}"[:500]
out["seconds"] = time.monotonic() - t
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out, ensure_ascii=False))
"""


def _probe(code: str) -> dict:
    p = subprocess.run([sys.executable, "-c", _PROBE, code], env=ENV, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    return write_all(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", ["merge-bomb.xlsx", "far-cell.xlsx", "strings-bomb.xlsx"])
def test_hostile_xlsx_is_an_issue_quickly(hostile, name):
    path = hostile[name]
    assert path.stat().st_size < 2_000_000
    r = _probe("from netconsol.collectors.sheets import collect_sheet\n"
               f"rows = collect_sheet({str(path)!r}, 'sheets/x.xlsx')\n"
               "out['issues'] = rows['issues']\nout['files'] = rows['files']\n")
    assert "error" not in r, r
    assert r["seconds"] < 5 and r["rss_mb"] < 500, r
    assert any("sheet too large:" in i["message"] for i in r["issues"]), r["issues"]
    assert r["files"][0]["status"] == "failed"


def _bomb_inventory(tmp: Path, where: str) -> Path:
    inv = tmp / "inv"
    (inv / "configs").mkdir(parents=True)
    (inv / "configs" / "r1.cfg").write_text("sysname R1\n#\ninterface GigabitEthernet0/0/1\n ip address 10.0.0.1 "
                                            "255.255.255.0\n#\nreturn\n", encoding="utf-8")
    if where == "manifest":
        (inv / "inventory.yaml").write_text(yaml_bomb(), encoding="utf-8")
    elif where == "rules":
        (inv / "rules").mkdir()
        (inv / "rules" / "carriers.yaml").write_text(yaml_bomb(), encoding="utf-8")
        (inv / "rules" / "columns.yaml").write_text(yaml_bomb(), encoding="utf-8")
    return inv


@pytest.mark.parametrize("where", ["manifest", "rules"])
def test_yaml_bomb_in_an_inventory_is_refused(tmp_path, where):
    inv = _bomb_inventory(tmp_path, where)
    r = _probe("from click.testing import CliRunner\nfrom netconsol.cli import cli\n"
               f"res = CliRunner().invoke(cli, ['scan', {str(inv)!r}, '--out', {str(tmp_path / 'out')!r}, '--no-history'])\n"
               "out['exit'] = res.exit_code\nout['output'] = res.output[-600:]\n")
    assert r["seconds"] < 5 and r["rss_mb"] < 500, r
    assert r["exit"] != 0 and "alias" in r["output"] and len(r["output"]) < 600, r


def test_yaml_bomb_hosts_file_is_refused(tmp_path):
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text(yaml_bomb(), encoding="utf-8")
    r = _probe("from netconsol.collectors.live import load_targets\n"
               f"load_targets(__import__('pathlib').Path({str(hosts)!r}))\n")
    assert r["seconds"] < 5 and r["rss_mb"] < 500, r
    assert "alias" in r.get("error", ""), r
