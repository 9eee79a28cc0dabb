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


@pytest.mark.parametrize("name", ["merge-bomb.xlsx", "far-cell.xlsx", "strings-bomb.xlsx", "beyond-grid.xlsx"])
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


def _patch_record(path: Path, rtype: int, at: int, value: bytes) -> None:
    """Overwrite bytes *at* the body of the first BIFF record of type *rtype* in the workbook stream."""
    import olefile

    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        off = 0
        while off + 4 <= len(data):
            t, n = int.from_bytes(data[off:off + 2], "little"), int.from_bytes(data[off + 2:off + 4], "little")
            if t == rtype:
                data[off + 4 + at:off + 4 + at + len(value)] = value
                break
            off += 4 + n
        else:
            raise AssertionError(f"no record 0x{rtype:04x} written")
        ole.write_stream("Workbook", bytes(data))


def _hostile_xls(tmp: Path) -> dict:
    """Tiny legacy .xls (BIFF8) files that ask a reader for gigabytes (written with xlwt, then a
    record patched where xlwt would write every cell)."""
    import xlwt

    out = {}
    wb = xlwt.Workbook()
    ws = wb.add_sheet("局域网及专网")
    ws.write(0, 0, "单位")
    ws.write(65535, 255, "x")                      # a grid of 65,536 x 256 = 16.8 million cells
    out["far-cell.xls"] = tmp / "far-cell.xls"
    wb.save(str(out["far-cell.xls"]))
    wb = xlwt.Workbook()
    ws = wb.add_sheet("局域网及专网")
    ws.write(0, 0, "单位")
    ws.write_merge(1, 2, 0, 1, "市公安局")
    path = out["merge-bomb.xls"] = tmp / "merge-bomb.xls"
    wb.save(str(path))
    # MERGEDCELLS: count, then rwFirst rwLast colFirst colLast: rows 2-10,001 x columns A-IP,
    # 2.5 million merged cells to fill
    _patch_record(path, 0x00E5, 2, (1).to_bytes(2, "little") + (10_000).to_bytes(2, "little")
                  + (0).to_bytes(2, "little") + (249).to_bytes(2, "little"))
    # a strings table declaring two billion strings (a reader reserves room for them up front)
    wb = xlwt.Workbook()
    ws = wb.add_sheet("局域网及专网")
    ws.write(0, 0, "单位")
    ws.write(1, 0, "市公安局")
    path = out["strings-claim.xls"] = tmp / "strings-claim.xls"
    wb.save(str(path))
    _patch_record(path, 0x00FC, 4, (2_000_000_000).to_bytes(4, "little"))
    # three sheets of 65,536 x 60 cells, each under the limit, 11.8 million together: all built
    # when the workbook opens
    wb = xlwt.Workbook()
    for k in range(3):
        ws = wb.add_sheet(f"局域网及专网{k}")
        ws.write(0, 0, "单位")
        ws.write(65535, 59, "x")
    out["many-sheets.xls"] = tmp / "many-sheets.xls"
    wb.save(str(out["many-sheets.xls"]))
    return out


@pytest.mark.parametrize("name", ["far-cell.xls", "many-sheets.xls", "merge-bomb.xls", "strings-claim.xls"])
def test_hostile_xls_is_an_issue_quickly(tmp_path, name):
    """A 5.6 KB .xls with cells at A1 and IV65536 took python-calamine 529 MB on opening and
    1.17 GB once read, the three-sheet one 529 MB (calamine builds every sheet's grid when the
    workbook opens): the BIFF records are checked first (collectors/limits.py check_xls).  The
    merged-range and strings-count files carry the XLSX limits over to BIFF (calamine itself
    read these two within 80 MB)."""
    path = _hostile_xls(tmp_path)[name]
    assert path.stat().st_size < 50_000
    r = _probe("from netconsol.collectors.sheets import collect_sheet\n"
               f"rows = collect_sheet({str(path)!r}, 'sheets/x.xls')\n"
               "out['issues'] = rows['issues']\nout['files'] = rows['files']\n")
    assert "error" not in r, r
    assert r["seconds"] < 5 and r["rss_mb"] < 500, r
    (issue,) = [i for i in r["issues"] if "sheet too large:" in i["message"]]
    assert issue["source"] == "sheets/x.xls" and issue["severity"] == "error", issue
    assert {"far-cell.xls": "rows x", "merge-bomb.xls": "merges 2,500,000 cells",
            "many-sheets.xls": "grids add up to over 10,000,000 cells (3 sheets)",
            "strings-claim.xls": "declares 2,000,000,000 strings"}[name] in issue["message"], issue
    assert r["files"][0]["status"] == "failed"


def test_xls_size_cap_and_an_ordinary_xls_still_reads(tmp_path, monkeypatch):
    import xlwt

    from netconsol.collectors import limits
    from netconsol.collectors.sheets import collect_sheet

    wb = xlwt.Workbook()
    ws = wb.add_sheet("局域网及专网")
    for j, h in enumerate(("单位", "网络名称", "网络类型", "IP地址段")):
        ws.write(0, j, h)
    for i in range(1, 41):
        for j, v in enumerate(("市公安局", f"专网{i}", "业务专网", f"10.{i}.0.0/16")):
            ws.write(i, j, v)
    ws.write_merge(41, 42, 0, 3, "")
    path = tmp_path / "ok.xls"
    wb.save(str(path))
    rows = collect_sheet(path, "sheets/ok.xls")
    assert rows["files"][0]["status"] == "parsed" and rows["files"][0]["accepted"] == 40
    assert not [i for i in rows["issues"] if "too large" in i["message"]]
    monkeypatch.setattr(limits, "MAX_XLS_BYTES", path.stat().st_size - 1)
    rows = collect_sheet(path, "sheets/ok.xls")
    (issue,) = rows["issues"]
    assert f"sheet too large: the .xls file is {path.stat().st_size:,} bytes" in issue["message"]
    assert rows["files"][0]["status"] == "failed"


def test_namespaced_cells_beyond_the_grid_are_refused(tmp_path):
    """Cells written with a namespace prefix (<x:c r=...>) are checked as the unprefixed ones."""
    from hostile import _base_xlsx, _rewrite

    from netconsol.collectors.limits import SheetTooLarge, check_xlsx

    path = tmp_path / "prefixed.xlsx"
    path.write_bytes(_rewrite(_base_xlsx(), lambda x: x.replace(
        "</sheetData>", '<x:row r="7"><x:c r="B1234567890" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c>'
                        '</x:row></sheetData>')))
    with pytest.raises(SheetTooLarge, match="addresses row 1,234,567,890"):
        check_xlsx(path)


def test_an_r_attribute_outside_cells_is_no_cell(tmp_path):
    """DrawingML in a theme or drawing part writes r="5400000" (a rectangle's right edge, an angle):
    no cell, no row, and the workbook is read."""
    from hostile import _base_xlsx, _rewrite

    from netconsol.collectors.limits import check_xlsx
    from netconsol.collectors.sheets import collect_sheet

    def drawing(f):
        f.write(b'<?xml version="1.0"?><a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
                b'<a:gradFill><a:lin ang="5400000" scaled="0"/><a:path path="circle"><a:fillToRect l="50000" '
                b'r="5400000" t="-80000" b="180000"/></a:path></a:gradFill><a:tile dir="5400000" r="9999999"/>'
                b'</a:theme>')

    path = tmp_path / "themed.xlsx"
    path.write_bytes(_rewrite(_base_xlsx(), lambda x: x, extra={"xl/theme/theme2.xml": drawing}))
    check_xlsx(path)
    rows = collect_sheet(path, "sheets/themed.xlsx")
    assert rows["files"][0]["status"] != "failed", rows["issues"]
    assert rows["files"][0]["accepted"] == 1
