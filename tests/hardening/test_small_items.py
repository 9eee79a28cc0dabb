"""Issue 20, problem 9 (the smaller items): CR-only configs, duplicate header columns, empty CSV."""
from __future__ import annotations

from netconsol.collectors.configs import collect_config
from netconsol.collectors.sheets import collect_sheet

IOS = "hostname R1\n!\ninterface GigabitEthernet1\n ip address 10.1.1.1 255.255.255.0\n!\nend\n"
VRP = "sysname R2\n#\ninterface GigabitEthernet0/0/1\n ip address 10.2.2.1 255.255.255.0\n#\nreturn\n"


def test_cr_only_line_endings_are_lines(tmp_path):
    for name, text, addr in (("r1.cfg", IOS, "10.1.1.1/24"), ("r2.cfg", VRP, "10.2.2.1/24")):
        p = tmp_path / name
        p.write_bytes(text.replace("\n", "\r").encode())
        rows = collect_config(p, name)
        (f,) = rows["files"]
        assert f["lines"] == len([ln for ln in text.splitlines() if ln.strip()]), f
        assert f["understood"] + f["ignored"] + f["unrecognized"] == f["lines"]
        assert {r["address"] for r in rows["interfaces"]} == {addr}
        assert rows["devices"][0]["device"] in ("R1", "R2")


def test_duplicate_header_columns_are_a_warning_naming_both(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("序号,单位,区（市）,网络名称,IP地址段,IP地址段\n1,市财政局,市中区,财政专网,10.1.0.0/20,10.9.0.0/16\n",
                 encoding="utf-8")
    rows = collect_sheet(p, "s.csv")
    dup = [i for i in rows["issues"] if i["code"] == "duplicate-column"]
    assert len(dup) == 1 and dup[0]["severity"] == "warning"
    assert dup[0]["column"].startswith("F") and "column E" in dup[0]["message"], dup


def test_an_empty_csv_is_an_issue(tmp_path):
    for body in ("", "\n\n,,,\n"):
        p = tmp_path / "empty.csv"
        p.write_text(body, encoding="utf-8")
        rows = collect_sheet(p, "empty.csv")
        assert [i["code"] for i in rows["issues"]] == ["empty-sheet"]
        assert rows["files"][0]["status"] == "failed" and rows["files"][0]["rows"] == 0


def test_formula_without_cached_value_is_a_warning(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "局域网及专网"
    ws.append(["序号", "单位", "区（市）", "网络名称", "IP地址段"])
    ws.append([1, "市财政局", "市中区", "财政专网", "=CONCATENATE(\"10.1.0.0\",\"/20\")"])
    ws.append([2, "市人社局", "市中区", "人社专网", "10.2.0.0/20"])
    p = tmp_path / "f.xlsx"
    wb.save(p)  # openpyxl keeps the formula and writes no cached value
    rows = collect_sheet(p, "sheets/f.xlsx")
    warn = [i for i in rows["issues"] if i["code"] == "formula-no-value"]
    assert [(w["location"], w["column"], w["severity"]) for w in warn] == [("局域网及专网!E2", "E", "warning")]
    assert rows["files"][0]["rows"] == 2
