"""Three-way reconciliation on a demo device seen by a sheet, a config backup and live collection
(NAPALM's mock driver replaying recorded getters, the layout tests/live uses)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netconsol.analyze.reconcile import reconcile
from netconsol.analyze.topology import infer_links
from netconsol.cli import cli
from netconsol.collectors import collect_rows
from netconsol.collectors.live import Target, scan
from netconsol.credentials import Credentials
from netconsol.inventory import Inventory

pytest.importorskip("napalm")

BACKUP = """sysname ZZ-DEMO-R1
interface GigabitEthernet0/0/0
 description LAN
 ip address 10.20.1.1 255.255.255.0
interface GigabitEthernet0/0/1
 description To-ChinaTelecom
 ip address 192.0.2.9 255.255.255.248
 nat outbound 2000
interface GigabitEthernet0/0/2
 ip address 10.30.0.1 255.255.255.252
ip route-static 0.0.0.0 0.0.0.0 192.0.2.14
"""
# the running config: GE0/0/2 readdressed since the backup was taken
RUNNING = BACKUP.replace("10.30.0.1 255.255.255.252", "10.30.9.1 255.255.255.252")
SWITCH = """sysname ZZ-DEMO-SW1
interface Vlanif1
 ip address 10.20.1.2 255.255.255.0
interface Vlanif9
 ip address 10.30.0.2 255.255.255.252
"""
SHEET = ("单位,接入设备,设备型号,IP地址段,运营商,带宽,网络类型\n"
         "市公安局,ZZ-DEMO-R1,华为AR2240,192.0.2.8/29,电信,100M,互联网\n"
         "市公安局,ZZ-DEMO-R1,华为AR2240,10.20.1.0/24,,,局域网\n")


def _mock(folder: Path):
    folder.mkdir(parents=True)
    data = {
        "get_facts": {"hostname": "ZZ-DEMO-R1", "model": "AR2240", "vendor": "Huawei", "os_version": "V200R009",
                      "serial_number": "2102350DLL10F3000001", "fqdn": "ZZ-DEMO-R1", "uptime": 1.0,
                      "interface_list": ["GigabitEthernet0/0/0"]},
        "get_interfaces": {"GigabitEthernet0/0/0": {"is_enabled": True, "is_up": True, "description": "LAN",
                                                    "mac_address": "", "speed": 1000.0, "mtu": 1500,
                                                    "last_flapped": -1.0}},
        "get_interfaces_ip": {"GigabitEthernet0/0/0": {"ipv4": {"10.20.1.1": {"prefix_length": 24}}}},
        # LLDP: GE0/0/0 hears the switch (confirms the inferred LAN link); GE0/0/2 hears a box that
        # is not the backup's peer (contradicts the link inferred from 10.30.0.0/30)
        "get_lldp_neighbors": {"GigabitEthernet0/0/0": [{"hostname": "ZZ-DEMO-SW1", "port": "Vlanif1"}],
                               "GigabitEthernet0/0/2": [{"hostname": "ZZ-OTHER-FW", "port": "GE1/0/0"}]},
        "get_config": {"running": RUNNING, "startup": "", "candidate": ""},
    }
    for g, v in data.items():
        (folder / f"{g}.1").write_text(json.dumps(v), encoding="utf-8")


@pytest.fixture
def three_way(tmp_path):
    inv_dir = tmp_path / "inv"
    (inv_dir / "configs").mkdir(parents=True)
    (inv_dir / "sheets").mkdir()
    (inv_dir / "configs/ZZ-DEMO-R1.cfg").write_text(BACKUP, encoding="utf-8")
    (inv_dir / "configs/ZZ-DEMO-SW1.cfg").write_text(SWITCH, encoding="utf-8")
    (inv_dir / "sheets/市公安局-互联网出口自查表.csv").write_text(SHEET, encoding="utf-8")
    rows = collect_rows([inv_dir])
    _mock(tmp_path / "rec" / "r1")
    live = scan([Target("r1", "192.0.2.10", "huawei_vrp", data={"department": "市公安局"})],
                Credentials("", ""), mock_dir=tmp_path / "rec")
    assert live.hosts[0].status in ("ok", "partial"), live.hosts[0]
    rows.update(live.rows)
    from netconsol.collectors import _unique_devices, _unique_keys
    _unique_devices(rows)
    _unique_keys(rows)
    inv = Inventory.from_rows(rows)
    inv.tables["links"] = infer_links(inv)
    return inv


def _row(df, **match):
    m = df
    for k, v in match.items():
        m = m[m[k] == v]
    assert len(m) == 1, (match, df.to_dict("records"))
    return m.iloc[0].to_dict()


def test_device_seen_by_all_three_sources(three_way):
    rec = reconcile(three_way)
    assert Inventory({"reconciliation": rec}).validate() == []
    dev = _row(rec, object="device", key="ZZ-DEMO-R1", aspect="presence")
    assert (dev["declared"], dev["configured"], dev["observed"], dev["status"]) == ("yes", "yes", "yes", "agree")
    assert dev["message"] == "device ZZ-DEMO-R1: declared, configured and seen live"
    model = _row(rec, object="device", key="ZZ-DEMO-R1", aspect="model")
    assert model["declared"] == "AR2240"  # the sheet says 华为AR2240: vendor Huawei, model AR2240 (issue 18)
    assert model["observed"] == "AR2240" and model["status"] != "disagree"


def test_addresses_backup_against_running(three_way):
    rec = reconcile(three_way)
    ok = _row(rec, object="address", key="ZZ-DEMO-R1 GigabitEthernet0/0/0 10.20.1.1/24")
    assert ok["status"] == "agree"
    stale = _row(rec, object="address", key="ZZ-DEMO-R1 GigabitEthernet0/0/2 10.30.0.1/30")
    assert stale["status"] == "disagree" and "not on the live device" in stale["message"]
    new = _row(rec, object="address", key="ZZ-DEMO-R1 GigabitEthernet0/0/2 10.30.9.1/30")
    assert new["status"] == "disagree" and "not in the config backup" in new["message"]


def test_prefixes_and_exits(three_way):
    # the blind acceptance case (tests/acceptance/reconcile) set the shape: a prefix is keyed by CIDR
    # and department; one that two sources hold gets a range row; a configured subnet no sheet
    # declares is one-sided (partial), not a disagreement; an exit is keyed HOST:INTERFACE and an exit
    # every source holds gets its attribute rows only (no presence/agree row)
    rec = reconcile(three_way)
    lan = _row(rec, object="prefix", key="10.20.1.0/24 市公安局", aspect="range")
    assert (lan["declared"], lan["configured"], lan["observed"], lan["status"]) == (
        "10.20.1.0/24", "10.20.1.0/24", "10.20.1.0/24", "agree")
    undeclared = _row(rec, object="prefix", key="10.30.0.0/30 市公安局")
    assert (undeclared["declared"], undeclared["configured"], undeclared["status"]) == ("", "yes", "partial")
    assert "no sheet row of 市公安局 declares it" in undeclared["message"]
    live_only = _row(rec, object="prefix", key="10.30.9.0/30 市公安局")
    assert (live_only["configured"], live_only["observed"], live_only["status"]) == ("", "yes", "partial")
    ex = rec[(rec["object"] == "exit")]
    assert set(ex["key"]) == {"ZZ-DEMO-R1:GigabitEthernet0/0/1"} and "presence" not in set(ex["aspect"])
    car = _row(rec, object="exit", key="ZZ-DEMO-R1:GigabitEthernet0/0/1", aspect="carrier")
    assert car["status"] == "agree" and car["declared"] == car["observed"] == "China Telecom"
    rng = _row(rec, object="exit", key="ZZ-DEMO-R1:GigabitEthernet0/0/1", aspect="range")
    assert (rng["declared"], rng["configured"], rng["observed"], rng["status"]) == (
        "192.0.2.8/29", "192.0.2.8/29", "192.0.2.8/29", "agree")


def test_live_neighbours_confirm_and_contradict_inferred_links(three_way):
    rec = reconcile(three_way)
    links = rec[rec["object"] == "link"]
    confirmed = links[links["status"] == "agree"]
    assert any("ZZ-DEMO-SW1" in k and "GigabitEthernet0/0/0" in k for k in confirmed["key"]), links.to_dict("records")
    contra = links[links["status"] == "disagree"]
    assert any("ZZ-OTHER-FW" in m for m in contra["message"]), links.to_dict("records")


def test_reconcile_command_writes_the_table_and_show_prints_it(three_way, tmp_path):
    snap = tmp_path / "snap"
    three_way.save(snap)
    r = CliRunner().invoke(cli, ["reconcile", str(snap)])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("reconciliation ") and "agree" in r.output
    r = CliRunner().invoke(cli, ["show", str(snap), "reconciliation", "--where", "object=device", "--format", "csv"])
    assert r.exit_code == 0 and "ZZ-DEMO-R1" in r.output and "declared, configured and seen live" in r.output
