"""The sheet reader gives exactly what the frozen reference (tests/sheets_reference.py) gives:
same rows in every table, in the same order, same keys in the same order, same value types.

Checked on the demo sheets, the messy fixture, generated messy CSV and XLSX sheets (title rows,
blank and whitespace rows, short rows, unmapped columns, full-width and zero-width text, bad
values in every column, non-text XLSX cells, merged cells, several sheets) and with column rules
that fill down or require unusual fields.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from pathlib import Path

import openpyxl
import pytest

import sheets_reference as ref
from netconsol.collectors import sheets
from netconsol.rules import load_columns

ROOT = Path(__file__).resolve().parents[1]
DEMO_SHEETS = ROOT / "inventories" / "zaozhuang-demo" / "sheets"
FIX = Path(__file__).parent / "fixtures" / "sheets"


# issues issue 20 added to what the reader says (the frozen reference predates them)
ADDED_CODES = {"duplicate-column", "unbalanced-quote", "empty-sheet", "formula-no-value"}


def assert_same(new, old):
    if "issues" in new.tables:
        new.tables["issues"] = [i for i in new.tables["issues"] if i["code"] not in ADDED_CODES]
        if not new.tables["issues"] and "issues" not in old.tables:
            del new.tables["issues"]
    assert list(new.tables) == list(old.tables)  # tables appear in the same order too
    for table, old_rows in old.tables.items():
        new_rows = new.tables[table]
        assert len(new_rows) == len(old_rows), table
        for i, (a, b) in enumerate(zip(new_rows, old_rows)):
            assert list(a) == list(b), (table, i, a, b)
            for k in b:
                x, y = a[k], b[k]
                nan = isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y)
                same = x == y or nan
                assert same and type(x) is type(y), (table, i, k, x, y)


def both(path, source=None, rules=None, sheet=None):
    new = sheets.collect_sheet(path, source, rules=rules, sheet=sheet)
    old = ref.collect_sheet(path, source, rules=rules, sheet=sheet)
    assert_same(new, old)
    return new


@pytest.mark.parametrize("path", sorted(DEMO_SHEETS.iterdir()) + sorted(FIX.iterdir()), ids=lambda p: p.name)
def test_demo_and_fixture_sheets_same_as_reference(path):
    rows = both(path, f"sheets/{path.name}")
    assert rows.tables["files"][0]["rows"] > 0


# --- generated messy sheets -------------------------------------------------------------------------
HEADERS = {
    "seq": ["序号", "No."], "district": ["区（市）", "区县", "district"], "town": ["镇街", "乡镇"],
    "department": ["单位名称", "填报单位", "Department"], "network_name": ["网络名称", "专网名称"],
    "network_kind": ["网络类型", "类别"], "access_type": ["接入类型", "接入方式"],
    "device": ["接入设备", "设备名称"], "model": ["设备型号"], "ip_range": ["IP地址段", "公网IP", "IP Range"],
    "carrier": ["运营商", "ISP"], "bandwidth": ["带宽", "带宽(M)"], "purpose": ["用途", "承载业务"],
    "fee": ["费用", "年费"], "contract_end": ["合同到期", "到期时间"], "mandated_by": ["上级要求"],
    "classified": ["是否涉密"], "public_facing": ["是否对外服务"], "services": ["发布服务"],
    "peak_util": ["峰值利用率"], "remark": ["备注"],
}
WS = ["", " ", "\u3000", "\u200b", "  \t"]
POOLS = {
    "seq": lambda r, i: str(i),
    "district": lambda r, i: r.choice(["市中区", "薛城区", " 薛城区 ", "峄城区", "", "", "\u3000", "区\u200b1"]),
    "town": lambda r, i: r.choice(["镇1", "镇2", "", "", "街道（一）", "ＡＢ镇"]),
    "department": lambda r, i: r.choice(["市教育局", "区公安分局", "", " ", "\u3000", "单位" + str(i % 7),
                                         "ＸＸ局", "医保局\u200b", "教育局（本部）"]),
    "network_name": lambda r, i: r.choice(["办公网", "", "视频专网", "政务外网", "网" + str(i % 5)]),
    "network_kind": lambda r, i: r.choice(["互联网", "业务专网", "局域网", "政务外网公共服务域", "专网", "",
                                           "火星网", "政务外网", "INTERNET", "互联网出口", "  ", "?"]),
    "access_type": lambda r, i: r.choice(["互联网专线", "MSTP", "裸光纤", "光纤宽带", "", "飞鸽传书",
                                          "4G/5G", "VPN专线", "其他"]),
    "device": lambda r, i: r.choice(["AR" + str(r.randrange(100, 120)), "", "核心交换机", "FW-1"]),
    "model": lambda r, i: r.choice(["S5735", "", "USG6000"]),
    "ip_range": lambda r, i: r.choice([
        f"10.{r.randrange(256)}.{r.randrange(256)}.0/24", f"192.168.{r.randrange(256)}.0 255.255.255.0",
        f"10.{r.randrange(4)}.{r.randrange(4)}.1-254", f"１０．{r.randrange(9)}．{r.randrange(9)}．０／２４",
        f"203.0.113.{r.randrange(32) * 8}/29", f"10.1.{r.randrange(300)}.300/24", "10.1.1.5/24",
        "2001:db8::/48", "2001:db8::1/64", "10.1.*.*", "10.2.3.x", "IP：10.9.9.0/24（办公）",
        "10.1.1.0/24，10.1.2.0/24", "10.5.5.0/0.0.0.255", "", "", "待定", "255.255.255.0",
        "10.1.1.10-10.1.1.5", "198.51.100.0/30 198.51.100.4/30", "8.8.8.8", "10.1.1.0 掩码255.255.0.255",
        "\u3000", "fe80::1-fe80::ff", "10.0.0.0/8；172.16.0.0/12"]),
    "carrier": lambda r, i: r.choice(["电信", "中国电信枣庄分公司", "联通", "网通", "CMCC", "移动", "广电",
                                      "天翼", "China Unicom", "宇宙电信", "", "\u200b", "电 信", "ｃｔｃｃ"]),
    "bandwidth": lambda r, i: r.choice(["100M", "百兆", "1G", "2*100M", "20Mbps", "千兆", "50M", "快", "",
                                        "100", "上行10M/下行100M", "-1M", "0"]),
    "purpose": lambda r, i: r.choice(["办公", "", "视频监控", "对外网站"]),
    "fee": lambda r, i: r.choice(["5000元/月", "6万/年", "12000", "", "3000/月", "免费", "5.52万", "abc"]),
    "contract_end": lambda r, i: r.choice(["2027-06-30", "2027.6", "2027年6月", "", "长期", "45000",
                                           "2027/13/01"]),
    "mandated_by": lambda r, i: r.choice(["", "公安部", "是"]),
    "classified": lambda r, i: r.choice(["是", "否", "", "无", "maybe", "Y"]),
    "public_facing": lambda r, i: r.choice(["是", "否", "", "对外", "N"]),
    "services": lambda r, i: r.choice(["", "网站", "邮件"]),
    "peak_util": lambda r, i: r.choice(["65%", "0.5", "", "120%", "高", "80", "1"]),
    "remark": lambda r, i: r.choice(["", "备注", "\u3000"]),
}


def _messy_grid(seed: int, rows: int, fields=None, title="XX区网络自查表"):
    r = random.Random(seed)
    fields = list(fields or POOLS)
    r.shuffle(fields)
    header = [r.choice(HEADERS[f]) for f in fields]
    extra = r.randrange(len(header) + 1)
    header.insert(extra, "其他信息")  # an unmapped column
    grid = [[title], [], header]
    for i in range(rows):
        roll = r.random()
        if roll < 0.04:
            grid.append([])
            continue
        if roll < 0.07:
            grid.append([r.choice(WS) for _ in header])
            continue
        if roll < 0.09:  # only the unmapped column has something
            row = [""] * len(header)
            row[extra] = "只有这里"
            grid.append(row)
            continue
        row = [POOLS[f](r, i) for f in fields]
        row.insert(extra, r.choice(["", "x"]))
        if r.random() < 0.05:
            row = row[: r.randrange(len(row))]  # a short row
        grid.append(row)
    return grid


def _write_csv(path: Path, grid, encoding="gb18030"):
    import csv
    import io

    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(grid)
    path.write_bytes(buf.getvalue().encode(encoding))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", ["网络自查表.csv", "互联网出口自查表.csv"])
def test_generated_messy_csv_same_as_reference(tmp_path, seed, name):
    p = tmp_path / name
    _write_csv(p, _messy_grid(seed, 400), "gb18030" if seed % 2 else "utf-8")
    both(p, name)


def test_generated_sheet_without_some_columns_same_as_reference(tmp_path):
    for seed, fields in enumerate([("department", "ip_range", "carrier"), ("department", "network_kind", "fee"),
                                   ("ip_range", "carrier", "bandwidth", "district"),  # no department: missing-column
                                   ("department", "district", "town", "purpose", "network_name", "device")]):
        p = tmp_path / f"s{seed}.csv"
        _write_csv(p, _messy_grid(100 + seed, 200, fields))
        both(p, p.name)


@pytest.mark.parametrize("fill_down, required", [
    (("district", "town", "carrier", "network_kind", "ip_range", "department"), ("department",)),
    (("bandwidth", "classified", "fee"), ("department", "ip_range", "carrier")),
    ((), ()),
    (("purpose", "device", "access_type", "peak_util"), ("network_kind",)),
])
def test_unusual_column_rules_same_as_reference(tmp_path, fill_down, required):
    rules = dataclasses.replace(load_columns(), fill_down=fill_down, required=required, _cache={})
    for seed, name in enumerate(["网络自查表.csv", "出口.csv"]):
        p = tmp_path / name
        _write_csv(p, _messy_grid(200 + seed, 300))
        new = sheets.collect_sheet(p, name, rules=rules)
        old = ref.collect_sheet(p, name, rules=rules)
        assert_same(new, old)


def _xlsx_value(r: random.Random, v: str):
    roll = r.random()
    if roll < 0.06:
        return None
    if roll < 0.1 and v.isdigit():
        return int(v)
    if roll < 0.13 and v.isdigit():
        return float(v)
    if roll < 0.15:
        return r.choice([100.0, 0.65, 1.5, 45000, True, False, dt.datetime(2027, 6, 30), dt.date(2026, 1, 1)])
    return v


def test_generated_messy_xlsx_same_as_reference(tmp_path):
    r = random.Random(5)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for k, title in enumerate(["专网", "互联网出口", "Sheet3"]):
        ws = wb.create_sheet(title)
        grid = _messy_grid(300 + k, 250)
        for row in grid:
            ws.append([_xlsx_value(r, v) for v in row])
        for _ in range(15):  # merged cells (filled with their top-left value on read)
            top = r.randrange(4, 200)
            col = r.randrange(1, 6)
            ws.merge_cells(start_row=top, start_column=col, end_row=top + r.randrange(1, 4), end_column=col)
    ws = wb.create_sheet("empty")
    ws.append(["a", "b"])
    p = tmp_path / "网络自查表.xlsx"
    wb.save(p)
    both(p, "x.xlsx")
    both(p, "x.xlsx", sheet="互联网出口")


def test_bench_sheet_same_as_reference(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_sheets import make_csv
    finally:
        sys.path.pop(0)
    p = tmp_path / "sheet.csv"
    make_csv(p, 3000, seed=11)
    both(p, "bench")


def test_a_sheet_without_a_department_column_under_rules_that_allow_it(tmp_path):
    """Rules that do not require a department: a sheet with no such column is read, each row
    with a blank department (the row-at-a-time reader lost the whole file to a KeyError)."""
    rules = dataclasses.replace(load_columns(), required=("ip_range",), _cache={})
    p = tmp_path / "exits.csv"
    p.write_text("接入设备,IP地址段,运营商,带宽\nFW-1,203.0.113.0/29,电信,100M\nFW-2,198.51.100.8/29,联通,1G\n"
                 "FW-3,,移动,50M\n", encoding="utf-8")
    rows = sheets.collect_sheet(p, p.name, rules=rules)
    exits = rows["exits"]
    assert [(e["device"], e["department"], e["carrier"]) for e in exits] == [("FW-1", "", "China Telecom"),
                                                                             ("FW-2", "", "China Unicom")]
    errors = [i for i in rows["issues"] if i["severity"] == "error"]
    assert len(errors) == 1 and errors[0]["location"] == "row 4" and errors[0]["column"] == "B (IP地址段)"
