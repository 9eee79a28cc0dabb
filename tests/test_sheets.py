"""Self-inspection sheets: header found below titles, every row accepted or rejected, rejects located."""
from pathlib import Path

import openpyxl
import pytest

from netconsol.collectors.sheets import collect_sheet
from netconsol.inventory import Inventory

FIX = Path(__file__).parent / "fixtures" / "sheets"


@pytest.fixture(scope="module")
def messy():
    rows = collect_sheet(FIX / "messy_exits_gbk.csv", "sheets/messy_exits_gbk.csv")
    return Inventory.from_rows(rows)


def test_messy_sheet_counts_add_up(messy):
    # issue 18: only the department-less row is rejected; the bad IP range is blanked, its row kept
    f = messy["files"].iloc[0]
    assert (f.rows, f.accepted, f.rejected) == (7, 6, 1)
    assert f.encoding == "gb18030"
    errors = messy["issues"][messy["issues"].severity == "error"]
    assert len(errors[errors.code == "missing-value"]) == f.rejected
    assert len(messy["exits"]) == f.accepted
    kept = messy["exits"].set_index("location").loc["row 6"]
    assert kept.public_range == "" and kept.department and kept.address_mode == "static"


def test_each_reject_is_located_with_value_and_expectation(messy):
    errors = messy["issues"][messy["issues"].severity == "error"].set_index("location")
    bad_ip = errors.loc["row 6"]
    assert bad_ip.code == "bad-ip-range"
    assert bad_ip.column == "F (IP地址段)"
    assert bad_ip.value == "203.0.113.300/30"
    assert "300" in bad_ip.message and "row kept" in bad_ip.message and bad_ip.expected
    no_dept = errors.loc["row 7"]
    assert (no_dept.code, no_dept.column) == ("missing-value", "B (单位名称)")
    assert set(messy["issues"].source) == {"sheets/messy_exits_gbk.csv"}


def test_messy_values_are_normalized(messy):
    ex = messy["exits"].set_index("location")
    r4 = ex.loc["row 4"]
    assert (r4.department, r4.district, r4.public_range, r4.carrier) == ("区教育局", "薛城区", "192.0.2.8/29",
                                                                        "China Telecom")
    assert (r4.bandwidth_mbps, r4.fee_yuan_year, r4.public_ips, r4.access_type) == (100.0, 60000.0, 8, "fiber_dia")
    r5 = ex.loc["row 5"]
    assert r5.district == "薛城区"  # blank district filled down (CSV export of a merged cell)
    assert (r5.public_range, r5.carrier, r5.bandwidth_mbps) == ("198.51.100.0/30", "China Unicom", 1000.0)
    r8 = ex.loc["row 8"]
    assert (r8.carrier, bool(r8.carrier_known), r8.bandwidth_mbps) == ("宇宙电信", False, 200.0)
    r9 = ex.loc["row 9"]
    assert (r9.public_range, r9.carrier, r9.fee_yuan_year) == ("203.0.113.32/29", "China Mobile", 36000.0)
    assert r9.bandwidth_mbps != r9.bandwidth_mbps  # '快' left blank (NaN) ...
    warn = messy["issues"].set_index(["location", "code"])
    assert ("row 9", "bad-bandwidth") in warn.index  # ... and said so
    assert ("row 8", "unknown-carrier") in warn.index
    r11 = ex.loc["row 11"]
    assert (r11.public_range, r11.carrier) == ("203.0.113.40/30 203.0.113.44/30", "China Unicom")


def test_exit_public_ranges_are_prefix_rows(messy):
    p = messy["prefixes"]
    assert sorted(p.prefix) == sorted(["192.0.2.8/29", "198.51.100.0/30", "203.0.113.16/29", "203.0.113.32/29",
                                       "203.0.113.40/30", "203.0.113.44/30"])
    assert set(p.origin) == {"exit"} and p.public.all()


def _xlsx(path, header_row=3):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "专网"
    ws["A1"] = "山亭区局域网及专网自查表"
    ws.merge_cells("A1:F1")
    ws.append([])
    ws.append(["Department", "Network Name", "Network Type", "IP Range", "ISP", "Purpose"])
    ws.append(["区公安分局", "公安视频专网", "业务专网", "10.10.0.0/16", "电信", "视频监控"])
    ws.append([None, "公安信息网", "专网", "10.11.0.0 255.255.0.0", None, "办公"])
    ws.append(["区教育局", "教育城域网", "公共服务域", "10.20.1.1-254", "联通", "学校接入"])
    ws.append(["区档案馆", "档案内网", "火星网", "10.30.0.0/16", None, None])
    ws.merge_cells("A4:A5")
    wb.save(path)


def test_xlsx_title_row_merged_cells_english_headers(tmp_path):
    _xlsx(tmp_path / "shanting.xlsx")
    inv = Inventory.from_rows(collect_sheet(tmp_path / "shanting.xlsx", "sheets/shanting.xlsx"))
    f = inv["files"].iloc[0]
    assert (f.rows, f.accepted, f.rejected) == (4, 4, 0)   # issue 18: an unknown type keeps the row
    nets = inv["networks"].set_index("name")
    assert nets.loc["公安信息网", "department"] == "区公安分局"  # merged A4:A5 filled
    assert nets.loc["公安视频专网", "kind"] == "business_private"
    assert nets.loc["教育城域网", "kind"] == "extranet_public"
    assert nets.loc["档案内网", "kind"] == "unknown"
    bad = inv["issues"][inv["issues"].code == "unknown-network-kind"].iloc[0]
    assert (bad.location, bad.severity, bad.value, bad.column) == ("专网!row 7", "warning", "火星网", "C (Network Type)")
    prefixes = inv["prefixes"]
    assert set(prefixes[prefixes.network == "区公安分局/公安信息网"].prefix) == {"10.11.0.0/16"}
    # every host of 10.20.1.0/24 is that subnet (issue 18), with an info issue
    assert list(prefixes[prefixes.network == "区教育局/教育城域网"].prefix) == ["10.20.1.0/24"]
    info = inv["issues"][inv["issues"].code == "host-range-subnet"].iloc[0]
    assert (info.location, info.severity, info.column) == ("专网!row 6", "info", "D (IP Range)")


def test_unreadable_and_headerless_files_are_issues_not_crashes(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a zip")
    inv = Inventory.from_rows(collect_sheet(bad, "broken.xlsx"))
    assert inv["issues"].iloc[0].code == "unreadable-sheet"
    assert inv["files"].iloc[0].status == "failed"
    nohdr = tmp_path / "nohdr.csv"
    nohdr.write_text("a,b,c\n1,2,3\n4,5,6\n", encoding="utf-8")
    inv = Inventory.from_rows(collect_sheet(nohdr, "nohdr.csv"))
    f = inv["files"].iloc[0]
    assert (f.rows, f.accepted, f.rejected) == (3, 0, 3)
    assert inv["issues"].iloc[0].code == "no-header"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_detected(tmp_path, encoding):
    text = "单位,IP地址段,运营商\n市医保局,10.40.0.0/16,联通\n"
    p = tmp_path / "s.csv"
    p.write_bytes(text.encode(encoding))
    inv = Inventory.from_rows(collect_sheet(p, "s.csv"))
    assert inv["networks"].iloc[0].department == "市医保局"
    assert inv["prefixes"].iloc[0].prefix == "10.40.0.0/16"
