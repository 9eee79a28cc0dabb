"""Issue 20, problems 3 and 8: control characters and formula-leading text from input reach no
CSV or XLSX as a live formula or an illegal character, and snapshots still round-trip."""
from __future__ import annotations

import csv
import io

import openpyxl

from netconsol.inventory import Inventory
from netconsol.sanitize import formula_leading
from netconsol.scan import run_scan

PAYLOADS = ("=1+1", "＝１＋１", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3")


def _plant(inv):
    cfg = inv / "configs" / "private" / "caizheng" / "CZ-R01.cfg"
    s = cfg.read_text(encoding="utf-8")
    s = s.replace("hostname CZ-R01\n", "hostname CZ-R01\x08\n")
    s = s.replace(" description 财政专网 汇聚\n", f" description {PAYLOADS[0]}\n")
    s = s.replace(" description TO-CZ-R02\n", f" description {PAYLOADS[1]}\x07\n")
    cfg.write_text(s, encoding="utf-8")
    with open(inv / "sheets" / "市中区-局域网及专网自查表.csv", "ab") as f:
        for i, p in enumerate(PAYLOADS, start=90):
            f.write(f"{i},市中区政府办公室,市中区,,{p}网,局域网,SZ-ZFB-CE{i},AR2240,10.0.{i}.0/24,,{p}\n".encode("gbk"))


def _number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
        return True
    except ValueError:
        return False


def test_no_live_formula_or_illegal_character_in_any_output(demo_copy, tmp_path):
    _plant(demo_copy)
    out = tmp_path / "out"
    result = run_scan(demo_copy, out)
    assert "CZ-R01\x08" in set(result.inventory["devices"].device)
    csvs = sorted(out.rglob("*.csv"))
    xlsxs = sorted(out.rglob("*.xlsx"))
    assert len(csvs) > 20 and len(xlsxs) == 6  # report, merge and exit plans, expansion plan, milestones, scorecard
    seen = 0
    for f in csvs:
        text = f.read_text(encoding="utf-8-sig")
        seen += sum(text.count(p) for p in PAYLOADS)
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                assert not (formula_leading(cell) and not _number(cell)), (f, cell)
    assert seen  # the payloads are there, as text
    for f in xlsxs:
        wb = openpyxl.load_workbook(f)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (f, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        assert not formula_leading(c.value), (f, c.coordinate, c.value)
                        assert "\x08" not in c.value and "\x07" not in c.value
    # the snapshot, read by netconsol, gives back exactly what was found
    back = Inventory.load(out / "snapshot")
    assert "CZ-R01\x08" in set(back["devices"].device)
    assert set(PAYLOADS) <= set(back["networks"].purpose) | set(back["interfaces"].description) | {PAYLOADS[1]}
    assert "＝１＋１\x07" in set(back["interfaces"].description)
    for name in back.tables:
        assert back[name].equals(result.inventory[name]), name


def test_snapshot_quote_prefix_round_trips(tmp_path):
    from netconsol import schema

    rows = [{"source": s, "location": "line 1", "severity": "info", "code": "x", "message": s, "value": s}
            for s in ("'already quoted", "''", "=A1", "plain", "-", "'=A1", "＠x")]
    inv = Inventory({"issues": schema.frame("issues", rows)})
    inv.save(tmp_path / "snap")
    text = (tmp_path / "snap" / "issues.csv").read_text(encoding="utf-8")
    assert "\n=A1" not in text and ",=A1" not in text
    back = Inventory.load(tmp_path / "snap")
    assert back["issues"].equals(inv["issues"])
