"""`netconsol template`: the self-inspection workbook round-trips through the collector."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from netconsol import normalize as nz
from netconsol.cli import cli
from netconsol.collectors import collect
from netconsol.collectors.rooms import LISTS_SHEET, load_room_rules
from netconsol.rules import load_columns
from netconsol.render.template import ACCESS_WORDS, KIND_WORDS, sheet_headers, template_bytes

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "inventories/zaozhuang-demo"


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    out = tmp_path_factory.mktemp("tpl") / "自查表.xlsx"
    res = CliRunner().invoke(cli, ["template", "--out", str(out), "--inventory", str(DEMO)])
    assert res.exit_code == 0, res.output
    return out


def _fill(path, out, rows_by_sheet):
    wb = openpyxl.load_workbook(path)
    for sheet, rows in rows_by_sheet.items():
        ws = wb[sheet]
        heads = {c.value: c.column for c in ws[1]}
        for i, row in enumerate(rows, start=2):
            for head, value in row.items():
                ws.cell(row=i, column=heads[head], value=value)
    wb.save(out)
    return out


GOOD = {
    "互联网接入": [{"序号": 1, "区(市)": "市中区", "单位": "市公安局", "接入类型": "互联网专线", "接入设备": "GA-FW01",
                "设备型号": "华为USG6350", "IP地址段": "192.0.2.8/29", "运营商": "中国电信", "带宽": "100M",
                "费用": "5000元/月", "合同到期": "2027-06-30"}],
    "局域网及专网": [{"序号": 1, "区(市)": "市中区", "单位": "市公安局", "网络名称": "公安视频专网", "网络类型": "业务专网",
                  "IP地址段": "10.20.0.0/16", "运营商": "中国联通", "带宽": "1G", "用途": "视频监控", "是否涉密": "否",
                  "是否对外服务": "否"}],
    "设备": [{"序号": 1, "区(市)": "市中区", "单位": "市公安局", "接入设备": "GA-CE01", "设备型号": "华为AR2240",
            "IP地址段": "10.20.1.0/24", "网络类型": "局域网"}],
    "机房": [{"序号": 1, "区(市)": "市中区", "单位": "市公安局", "机房位置": "市公安局3楼机房",
            "接入网络类型": "政务外网行政服务域、互联网", "带宽": "100M", "服务器型号": "华为2288H V5",
            "服务器数量(台)": 4, "存储型号": "华为OceanStor 5300", "存储容量(TB)": "100TB", "是否迁移政务云": "迁移"},
           {"服务器型号": "浪潮NF5270M5", "服务器数量(台)": 2, "是否迁移政务云": "迁移"}],
}


def test_headers_are_what_the_collector_reads(blank):
    cols = load_columns()
    rooms = load_room_rules()
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames[:4] == ["互联网接入", "局域网及专网", "设备", "机房"]
    assert wb[LISTS_SHEET].sheet_state == "hidden"
    for sheet, heads in sheet_headers("zh").items():
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == [h for _f, h in heads]
        for f, h in heads:
            assert (rooms if sheet == "机房" else cols).field_for(h) == f, (sheet, h)
        for c in ws[1]:
            assert c.comment is not None and c.comment.text.strip(), (sheet, c.value)
    # English headers fold to the same fields
    for sheet, heads in sheet_headers("en").items():
        for f, h in heads:
            assert (rooms if "room" in sheet.lower() else cols).field_for(h) == f, (sheet, h)


def test_lists_formats_and_comments(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb["局域网及专网"]
    heads = {c.value: c.column_letter for c in ws[1]}
    assert ws[f"{heads['IP地址段']}2"].number_format == "@"
    assert "例" in ws[f"{heads['IP地址段']}1"].comment.text
    validated = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            validated[rng.coord.split(":")[0].rstrip("0123456789")] = dv.formula1
    for col in ("网络类型", "运营商", "是否涉密", "单位", "区(市)"):
        assert heads[col] in validated, col
    lists = wb[LISTS_SHEET]
    values = {}
    for col in lists.iter_cols(values_only=True):
        values[col[0]] = [v for v in col[1:] if v]
    assert all(nz.network_kind(k) for k in values["network_kind"]) and tuple(values["network_kind"]) == KIND_WORDS
    assert all(nz.access_type(a) for a in ACCESS_WORDS)
    carriers = nz.Carriers.load()
    assert values["carrier"] and all(carriers.canonical(c)[1] for c in values["carrier"])
    assert "市公安局" in values["department"] and "市中区" in values["district"]
    assert [nz.to_bool(v) for v in values["classified"]] == [True, False]


def test_correct_form_reads_back_with_zero_issues(blank, tmp_path):
    filled = _fill(blank, tmp_path / "填好的.xlsx", GOOD)
    inv = collect([filled])
    assert inv["issues"].empty, inv["issues"].to_dict("records")
    (f,) = inv["files"].to_dict("records")
    assert (f["rows"], f["accepted"], f["rejected"]) == (5, 5, 0)
    (e,) = inv["exits"].to_dict("records")
    assert (e["carrier"], e["bandwidth_mbps"], e["public_range"], e["fee_yuan_year"]) == \
        ("China Telecom", 100.0, "192.0.2.8/29", 60000.0)
    nets = inv["networks"]
    assert set(nets["kind"]) == {"business_private"}     # the 设备 sheet declares a device, not a LAN
    (d,) = inv["devices"].to_dict("records")
    assert (d["device"], d["platform"], d["model"], d["department"]) == ("GA-CE01", "sheet", "华为AR2240", "市公安局")
    assert set(inv["prefixes"]["prefix"]) == {"192.0.2.8/29", "10.20.0.0/16", "10.20.1.0/24"}
    rooms = inv["rooms"].to_dict("records")
    assert [(r["server_model"], r["servers"], r["cloud"]) for r in rooms] == \
        [("华为2288H V5", 4, "migrate"), ("浪潮NF5270M5", 2, "migrate")]
    assert rooms[0]["network_kinds"] == "extranet_admin internet" and rooms[0]["storage_tb"] == 100.0
    assert rooms[1]["department"] == "市公安局" and rooms[1]["address"] == "市公安局3楼机房"   # filled down
    assert inv.validate() == []


def test_usual_mistakes_read_back_as_exactly_those_issues(blank, tmp_path):
    bad = {k: [dict(r) for r in v] for k, v in GOOD.items()}
    bad["局域网及专网"][0]["IP地址段"] = "10.0.317.0/24"
    bad["互联网接入"][0]["运营商"] = "中国铁塔"
    bad["互联网接入"][0]["带宽"] = "快"
    filled = _fill(blank, tmp_path / "填错的.xlsx", bad)
    inv = collect([filled])
    got = sorted((r["location"], r["column"], r["code"], r["severity"], r["value"])
                 for r in inv["issues"].to_dict("records"))
    assert got == [
        ("互联网接入!row 2", "I (运营商)", "unknown-carrier", "warning", "中国铁塔"),
        ("互联网接入!row 2", "J (带宽)", "bad-bandwidth", "warning", "快"),
        ("局域网及专网!row 2", "J (IP地址段)", "bad-ip-range", "error", "10.0.317.0/24"),
    ]
    (f,) = inv["files"].to_dict("records")
    assert (f["rows"], f["accepted"], f["rejected"]) == (5, 5, 0)  # a bad IP range is blanked, its row kept (issue 18)


def test_same_inputs_same_bytes():
    assert template_bytes("zh", DEMO) == template_bytes("zh", DEMO)
    assert template_bytes("en") != template_bytes("zh")


def test_english_form_reads_back(tmp_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(template_bytes("en"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:4] == ["Internet access", "LAN and private networks", "Devices", "Server rooms"]
    heads = {c.value: c.column for c in wb["Server rooms"][1]}
    ws = wb["Server rooms"]
    for head, v in (("Department", "市公安局"), ("Server model", "华为2288H V5"), ("Server count", 3),
                    ("Migrate to government cloud", "保留")):
        ws.cell(row=2, column=heads[head], value=v)
    wb.save(path)
    inv = collect([path])
    assert inv["issues"].empty
    (r,) = inv["rooms"].to_dict("records")
    assert (r["servers"], r["cloud"]) == (3, "keep")


def test_opens_in_libreoffice_headless(blank, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        if os.environ.get("NETCONSOL_REQUIRE_SOFFICE") == "1":   # .ci/run: tests/setup.sh installs it
            pytest.fail("soffice (LibreOffice) not installed although tests/setup.sh installs it")
        pytest.skip("soffice (LibreOffice) not installed: the headless conversion check needs it "
                    "(apt-get install libreoffice-calc-nogui)")
    filled = _fill(blank, tmp_path / "form.xlsx", GOOD)
    res = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                          "csv", "--outdir", str(tmp_path / "csv"), str(filled)],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    out = tmp_path / "csv" / "form.csv"
    assert out.is_file(), res.stdout + res.stderr
    text = out.read_text(encoding="utf-8", errors="replace")
    assert "IP" in text and "192.0.2.8/29" in text
