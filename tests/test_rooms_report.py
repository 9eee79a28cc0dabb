"""Server rooms (机房) in the report: per district and department, and the migration list."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from netconsol.render.report import build_report
from netconsol.collectors import collect
from netconsol.render.plans import write_plan
from netconsol.render.rooms import room_rows
from netconsol.render.template import template_bytes

ROOT = Path(__file__).resolve().parents[1]


def _rooms_form(tmp_path):
    path = tmp_path / "机房自查.xlsx"
    path.write_bytes(template_bytes("zh"))
    wb = openpyxl.load_workbook(path)
    ws = wb["机房"]
    heads = {c.value: c.column for c in ws[1]}
    rows = [
        {"区(市)": "市中区", "单位": "市公安局", "机房位置": "市公安局3楼", "接入网络类型": "行政服务域、互联网",
         "带宽": "1G", "服务器型号": "华为2288H V5", "服务器数量(台)": 4, "存储型号": "OceanStor 5300",
         "存储容量(TB)": "100TB", "是否迁移政务云": "迁移"},
        {"服务器型号": "浪潮NF5270M5", "服务器数量(台)": 2, "存储容量(TB)": "20T", "是否迁移政务云": "迁移"},
        {"区(市)": "市中区", "单位": "市教育局", "机房位置": "<b>教育局</b>|机房", "服务器型号": "戴尔R740",
         "服务器数量(台)": "3台", "是否迁移政务云": "保留"},
        {"区(市)": "薛城区", "单位": "薛城区财政局", "机房位置": "一楼", "服务器数量(台)": "很多"},
    ]
    for i, row in enumerate(rows, start=2):
        for h, v in row.items():
            ws.cell(row=i, column=heads[h], value=v)
    wb.save(path)
    return path


def test_rooms_table_and_issues(tmp_path):
    inv = collect([_rooms_form(tmp_path)])
    assert len(inv["rooms"]) == 4
    (i,) = inv["issues"].to_dict("records")
    assert (i["location"], i["code"], i["value"], i["severity"]) == ("机房!row 5", "bad-count", "很多", "warning")
    assert i["column"].endswith("(服务器数量(台))")
    rooms = room_rows(inv)
    assert [(r["department"], r["servers"], r["cloud"]) for r in rooms] == [
        ("市公安局", 6, "migrate"), ("市教育局", 3, "keep"), ("薛城区财政局", None, "")]
    assert rooms[0]["storage_tb"] == 120.0 and rooms[0]["server_models"] == "华为2288H V5×4；浪潮NF5270M5×2"


def test_report_has_room_sections_and_migration_list(tmp_path):
    inv = collect([_rooms_form(tmp_path)])
    md = build_report(inv, "枣庄市")
    out = tmp_path / "report.md"
    write_plan(md, "md", out, "zh")
    text = out.read_text(encoding="utf-8")
    assert "机房 · 按区县和部门" in text and "迁移至政务云的机房" in text
    assert "3 个机房、9 台服务器" in text and "1 个机房（6 台服务器）迁移至政务云" in text
    mig = text.split("迁移至政务云的机房", 1)[1]
    assert "市公安局3楼" in mig and "教育局" not in mig.split("##")[0]
    assert "<b>" not in text      # labels escaped
    # the XLSX layout gets the same tables
    x = build_report(inv, "枣庄市", layout="sheets")
    assert {"rooms_summary", "rooms", "rooms_migrate"} <= set(x.tables)
    s = x.tables["rooms_summary"]
    assert int(s["rooms"].sum()) == 3 and int(s["migrate"].sum() + s["keep"].sum() + s["undecided"].sum()) == 3


def test_no_rooms_no_section():
    from netconsol.inventory import Inventory, Rows

    md = build_report(Inventory.from_rows(Rows()), "枣庄市")
    assert "rooms" not in md.tables


def test_an_absurd_server_count_is_a_warning_not_a_crash(tmp_path):
    # found by the fuzzer (seed 12, input 47078): a 20-digit count overflowed the 64-bit column and
    # the typing of the rooms table raised; it is now a bad-count warning, the row kept
    path = tmp_path / "机房.csv"
    path.write_text("单位,机房位置,服务器型号,服务器数量(台)\n市公安局,3楼,华为2288H V5,99999999999999999999台\n",
                    encoding="utf-8")
    inv = collect([path])
    (room,) = inv["rooms"].to_dict("records")
    assert room["department"] == "市公安局" and pd.isna(room["servers"])
    (i,) = inv["issues"].to_dict("records")
    assert (i["code"], i["severity"]) == ("bad-count", "warning") and "plausible" in i["message"]
