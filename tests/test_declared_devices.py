"""Issue 22: the 设备 (devices) sheet of the self-inspection workbook lists declared devices (name,
model, department): they reach the devices table (a configured device takes the sheet's model
when its config is silent; a disagreement is reported, the config's kept) and the reconciliation,
and are never read as LAN rows."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from netconsol.analyze.reconcile import reconcile
from netconsol.collectors import collect
from netconsol.collectors.declared import is_device_sheet
from netconsol.render.template import template_bytes
from netconsol.rules import load_columns

DECLARED = [
    {"区(市)": "市中区", "单位": "市公安局", "接入设备": "GA-CE01", "设备型号": "华为AR2240", "IP地址段": "10.20.1.0/24",
     "网络类型": "局域网"},                                                    # config silent on its model
    {"单位": "公安局", "接入设备": "GA-RT01", "设备型号": "思科 ISR4451"},        # config says ISR4331
    {"单位": "市公安局", "接入设备": "GA-RT02", "设备型号": "Cisco ISR4331"},     # config says ISR4331 too
    {"单位": "市公安局", "接入设备": "GA-FW01", "设备型号": "USG6350"},           # no config: declared only
    {"单位": "市公安局", "接入设备": "GA-CE01", "设备型号": "AR6140"},            # declared twice
    {"单位": "", "接入设备": "X-01"},                                            # no department: rejected
    {"单位": "市公安局", "设备型号": "S5735"},                                    # no device name: rejected
]


def _inventory(tmp_path: Path) -> Path:
    inv = tmp_path / "inv"
    (inv / "sheets").mkdir(parents=True)
    (inv / "configs").mkdir()
    (inv / "inventory.yaml").write_text(
        "city: 枣庄市\ndistricts:\n  - {name: 市中区, code: \"370402\"}\n"
        "departments:\n  - {name: 市公安局, district: 市中区, aliases: [公安局]}\n", encoding="utf-8")
    form = inv / "sheets" / "市公安局-自查表.xlsx"
    form.write_bytes(template_bytes("zh"))
    wb = openpyxl.load_workbook(form)
    ws = wb["设备"]
    heads = {c.value: c.column for c in ws[1]}
    for i, row in enumerate(DECLARED, start=2):
        for h, v in row.items():
            ws.cell(row=i, column=heads[h], value=v)
    wb.save(form)
    cfg = inv / "configs"
    (cfg / "ga-ce01.cfg").write_text("sysname GA-CE01\n#\ninterface GigabitEthernet0/0/1\n"
                                     " ip address 10.20.1.1 255.255.255.0\n#\nreturn\n", encoding="utf-8")
    for host, addr in (("GA-RT01", "10.20.2.1"), ("GA-RT02", "10.20.3.1")):
        (cfg / f"{host.lower()}.cfg").write_text(
            f"!Chassis type: ISR4331\n!\nhostname {host}\n!\ninterface GigabitEthernet0/0/0\n"
            f" ip address {addr} 255.255.255.0\n!\nend\n", encoding="utf-8")
    return inv


@pytest.fixture
def collected(tmp_path):
    return collect([_inventory(tmp_path)])


def test_declared_devices_reach_the_devices_table(collected):
    inv = collected
    dev = {d["device"]: d for d in inv["devices"].to_dict("records")}
    assert sorted(dev) == ["GA-CE01", "GA-FW01", "GA-RT01", "GA-RT02"]    # one row per device, no '@' copies
    src = "sheets/市公安局-自查表.xlsx"
    ce = dev["GA-CE01"]
    assert (ce["platform"], ce["model"], ce["model_source"], ce["department"]) == \
        ("vrp", "华为AR2240", f"{src} 设备!row 2", "市公安局")
    assert (ce["declared_by"], ce["declared_model"]) == (f"{src} 设备!row 2", "华为AR2240")
    rt = dev["GA-RT01"]
    assert (rt["model"], rt["model_source"], rt["declared_model"], rt["department"]) == \
        ("ISR4331", "config", "思科 ISR4451", "市公安局")                        # the config's model kept
    fw = dev["GA-FW01"]
    assert (fw["platform"], fw["model"], fw["department"], fw["district"], fw["source"], fw["location"]) == \
        ("sheet", "USG6350", "市公安局", "市中区", src, "设备!row 5")
    # declared devices are not networks; the row's range is a sheet prefix of the department
    assert not (inv["networks"]["source"] == src).any()
    (p,) = inv["prefixes"][inv["prefixes"].source == src].to_dict("records")
    assert (p["prefix"], p["origin"], p["department"], p["network"]) == ("10.20.1.0/24", "sheet", "市公安局", "")
    issues = sorted((r["location"], r["code"], r["severity"], r["column"], r["value"])
                    for r in inv["issues"].to_dict("records"))
    assert issues == [
        ("设备!row 3", "model-disagrees", "warning", "model", "思科 ISR4451"),
        ("设备!row 6", "duplicate-declared-device", "warning", "device", "GA-CE01"),
        ("设备!row 7", "missing-value", "error", "D (单位)", ""),
        ("设备!row 8", "missing-value", "error", "E (接入设备)", ""),
    ]
    (f,) = inv["files"][inv["files"].source == src].to_dict("records")
    assert (f["rows"], f["accepted"], f["rejected"]) == (7, 5, 2)          # rows = accepted + rejected
    assert inv.validate() == []


def test_declared_devices_in_the_reconciliation(collected):
    rec = reconcile(collected)
    dev = {(r["key"], r["aspect"]): r for r in rec[rec.object == "device"].to_dict("records")}
    assert (dev["GA-RT01", "model"]["status"], dev["GA-RT01", "model"]["declared"],
            dev["GA-RT01", "model"]["configured"]) == ("disagree", "思科 ISR4451", "ISR4331")
    assert dev["GA-RT02", "model"]["status"] == "agree"          # vendor words left out: Cisco ISR4331 = ISR4331
    # the configured side of GA-CE01 says no model of its own: the sheet's is not echoed back as configured
    assert ("GA-CE01", "model") not in dev
    assert dev["GA-CE01", "presence"]["declared"] == "yes" and dev["GA-CE01", "presence"]["configured"] == "yes"
    assert (dev["GA-CE01", "presence"]["source"], dev["GA-CE01", "presence"]["location"]) == \
        ("sheets/市公安局-自查表.xlsx", "设备!row 2")
    # declared only (no config): one presence row saying so, as the blind reconciliation case answers
    fw = dev["GA-FW01", "presence"]
    assert (fw["declared"], fw["configured"], fw["status"]) == ("yes", "", "partial")
    assert ("GA-FW01", "model") not in dev                       # one source only: no model to compare


def test_which_sheets_are_device_sheets():
    words = load_columns().device_sheet_words
    for name in ("设备", "Devices", "市中区-设备", "市中区_设备清单"):
        assert is_device_sheet(name, words), name
    for name in ("局域网及专网", "互联网接入", "接入设备统计表", "机房", "网络自查表"):
        assert not is_device_sheet(name, words), name
