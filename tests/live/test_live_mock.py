"""Live collection through NAPALM's mock driver: getters + running config -> rows, replay, failures."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from livedata import write_mock_host

from netconsol.cli import cli
from netconsol.collectors import live as L
from netconsol.collectors.live import Target, classify, rows_from_getters, scan
from netconsol.credentials import Credentials
from netconsol.inventory import Inventory

NOBODY = Credentials("", "")


def by(rows, table, **match):
    return [r for r in rows[table] if all(r.get(k) == v for k, v in match.items())]


@pytest.fixture
def mock_dir(corpus, tmp_path):
    root = tmp_path / "rec"
    write_mock_host(corpus, root / "dept1")
    write_mock_host(corpus, root / "flaky", get_lldp_neighbors={
        "exception": "napalm.base.exceptions.CommandErrorException", "args": ["% Invalid input: show lldp"]})
    write_mock_host(corpus, root / "nolldp", get_lldp_neighbors=None)
    return root


def test_mock_scan_rows(mock_dir):
    targets = [Target("dept1", "192.0.2.10", "ios", data={"department": "市公安局", "district": "薛城区",
                                                         "network": "gongan-video"})]
    res = scan(targets, NOBODY, mock_dir=mock_dir)
    rows = res.rows
    assert res.hosts[0].status == "ok"
    # the running config names the device; facts give model and full version
    (dev,) = rows["devices"]
    assert dev["device"] == "as2dept1" and dev["platform"] == "ios" and dev["vendor"] == "cisco"
    assert dev["model"] == "WS-C2960G-8TC-L"
    assert dev["os_version"].startswith("C2960 Software")
    assert dev["serial"] == "FOC1308V5NB"          # get_facts serial_number: the config states none
    assert (dev["department"], dev["district"], dev["network"], dev["attributed_by"]) == \
        ("市公安局", "薛城区", "gongan-video", "manifest")
    # config interfaces, as the offline parser reads them
    (lo,) = by(rows, "interfaces", interface="Loopback0", address="2.1.1.2/32")
    assert lo["location"].startswith("line ") and lo["source"] == "dept1"
    # getter addresses the config lacks complement it (IPv6 link-local skipped)
    (v41,) = by(rows, "interfaces", interface="Vlan41", address="192.168.81.34/24")
    assert v41["location"] == "getter get_interfaces_ip" and v41["vrf"] == ""
    assert not [r for r in rows["interfaces"] if r["address"].lower().startswith("fe80")]
    assert by(rows, "prefixes", prefix="172.29.52.32/27", device="as2dept1", origin="interface")
    assert all(p["department"] == "市公安局" for p in by(rows, "prefixes", device="as2dept1"))
    # lldp -> links
    (link,) = rows["links"]
    assert {(link["a_device"], link["a_interface"]), (link["b_device"], link["b_interface"])} == \
        {("as2dept1", "FastEthernet4"), ("twb-sf-hpsw1", "15")}
    assert link["evidence"] == "lldp" and link["location"] == "getter get_lldp_neighbors"
    # one files row, kind live
    (f,) = rows["files"]
    assert (f["source"], f["kind"], f["platform"], f["status"]) == ("dept1", "live", "ios", "parsed")
    assert Inventory.from_rows(rows).validate() == []


def test_mock_getter_failures_are_issues_not_stops(mock_dir):
    targets = [Target("flaky", "x", "ios"), Target("nolldp", "x", "ios"), Target("absent", "x", "ios")]
    res = scan(targets, NOBODY, mock_dir=mock_dir, workers=3)
    st = {h.target.name: (h.status, h.code) for h in res.hosts}
    assert st == {"flaky": ("partial", ""), "nolldp": ("ok", ""), "absent": ("failed", "live-mock-missing")}
    (i,) = by(res.rows, "issues", source="flaky", code="live-getter-failed")
    assert i["location"] == "getter get_lldp_neighbors" and "Invalid input" in i["message"]
    assert by(res.rows, "issues", source="nolldp", code="live-getter-unsupported")
    # the other getters still gave rows
    assert len(by(res.rows, "devices")) == 2
    assert by(res.rows, "files", source="flaky")[0]["status"] == "partial"
    assert by(res.rows, "files", source="absent")[0]["status"] == "failed"
    # the failure is recorded in the mock layout, so a replay raises it again
    assert res.hosts[0].raw["get_lldp_neighbors"]["exception"].endswith("CommandErrorException")


@pytest.mark.parametrize("driver,platform", [("ios", "ios"), ("nxos_ssh", "nxos"), ("eos", "eos"), ("junos", "junos"),
                                             ("huawei_vrp", "vrp")])
def test_driver_maps_to_the_offline_parser(driver, platform):
    assert L.DRIVERS[driver] == platform
    cfg = {"ios": "hostname X1\ninterface Loopback0\n ip address 10.9.9.9 255.255.255.255\n",
           "eos": "hostname X1\ninterface Loopback0\n   ip address 10.9.9.9/32\n",
           "nxos": "hostname X1\nfeature bgp\ninterface loopback0\n  ip address 10.9.9.9/32\n",
           "junos": "system { host-name X1; }\n"
                    "interfaces { lo0 { unit 0 { family inet { address 10.9.9.9/32; } } } }\n",
           "vrp": "sysname X1\ninterface LoopBack0\n ip address 10.9.9.9 255.255.255.255\n"}[platform]
    rows = rows_from_getters(Target("t", "x", driver), {"get_config": {"running": cfg}})
    assert rows["devices"][0]["device"] == "X1" and rows["devices"][0]["platform"] == platform
    assert [r["address"] for r in rows["interfaces"] if r["address"]] == ["10.9.9.9/32"]


def test_getters_without_config_still_give_a_device():
    raw = {"get_facts": {"hostname": "sw9", "model": "C9300", "os_version": "17.3", "vendor": "Cisco"},
           "get_interfaces_ip": {"Vlan10": {"ipv4": {"10.1.0.1": {"prefix_length": 24}}}},
           "get_interfaces": {"Vlan10": {"is_enabled": True, "description": "users"},
                              "GigabitEthernet1/0/1": {"is_enabled": False, "description": ""}}}
    rows = rows_from_getters(Target("sw9", "x", "ios"), raw)
    (dev,) = rows["devices"]
    assert (dev["device"], dev["platform"], dev["model"]) == ("sw9", "live", "C9300")
    (v10,) = by(rows, "interfaces", interface="Vlan10")
    assert (v10["address"], v10["kind"], v10["description"], v10["admin_up"]) == ("10.1.0.1/24", "vlan", "users", True)
    (gi,) = by(rows, "interfaces", interface="GigabitEthernet1/0/1")
    assert (gi["address"], gi["kind"], gi["admin_up"]) == ("", "physical", False)


class _NoneDriver:
    """Like napalm-huawei-vrp: getters it does not implement return None."""

    def __init__(self, hostname, username, password, timeout=60, optional_args=None):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def get_facts(self):
        return {"hostname": "HW1", "model": "NE40E", "os_version": "V800R011"}

    def get_interfaces(self):
        return {}

    def get_interfaces_ip(self):
        return {}

    def get_lldp_neighbors(self):
        return None

    def get_config(self, retrieve="all"):
        return {"running": "sysname HW1\n local-user a password irreversible-cipher $1c$SECRET$\n"}


def test_getter_returning_none_is_an_info_issue(monkeypatch):
    monkeypatch.setattr(L, "driver_class", lambda name: _NoneDriver)
    res = scan([Target("hw", "192.0.2.1", "huawei_vrp")], Credentials("u", "p"), timeout=1)
    (h,) = res.hosts
    assert h.status == "ok" and "get_lldp_neighbors" not in h.raw
    (i,) = by(res.rows, "issues", code="live-getter-unsupported")
    assert "returned nothing for get_lldp_neighbors" in i["message"]
    assert res.rows["devices"][0]["device"] == "HW1" and res.rows["devices"][0]["platform"] == "vrp"
    assert "$1c$SECRET$" not in h.raw["get_config"]["running"]


def test_huawei_driver_missing_says_how_to_install(monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *a, **k):
        if name == "napalm_huawei_vrp":
            raise ModuleNotFoundError("No module named 'telnetlib'", name="telnetlib")
        return real(name, *a, **k)

    L._driver_cache.clear()
    monkeypatch.setattr(L.importlib, "import_module", fake)
    try:
        res = scan([Target("hw", "192.0.2.1", "huawei_vrp")], Credentials("u", "p"), timeout=1)
    finally:
        L._driver_cache.clear()
    (i,) = by(res.rows, "issues", code="live-driver-missing")
    assert "'telnetlib'" in i["message"] and "pip install -e '.[huawei]'" in i["message"]
    assert "Python <= 3.12" in i["message"] and i["source"] == "hw"
    assert by(res.rows, "files", source="hw", kind="live", status="failed")


def test_huawei_not_installed_message():
    msg = str(L._load_driver("huawei_vrp")) if not _installed("napalm_huawei_vrp") else ""
    if msg:
        assert "not installed" in msg and "pip install -e '.[huawei]'" in msg


def _installed(mod):
    import importlib.util

    return importlib.util.find_spec(mod) is not None


def test_classify_scrubs_the_password():
    c = Credentials("netops", "Sup3r$ecret!", "en4ble")
    e = RuntimeError("login with Sup3r$ecret! failed, enable en4ble")
    code, reason = classify(e, c)
    assert code == "live-error" and "Sup3r$ecret!" not in reason and "en4ble" not in reason
    assert classify(ConnectionRefusedError(111, "Connection refused"))[0] == "live-unreachable"
    assert classify(TimeoutError("timed out"), None, 5)[0] == "live-timeout"


def test_cli_mock_scan_and_replay(mock_dir, tmp_path):
    hosts = tmp_path / "hosts.yaml"
    hosts.write_text("dept1: {hostname: 192.0.2.10, platform: ios, data: {district: 薛城区}}\n"
                     "flaky: {hostname: 192.0.2.11, platform: ios}\n", encoding="utf-8")
    out = tmp_path / "snap"
    r = CliRunner().invoke(cli, ["live", str(hosts), "--mock", str(mock_dir), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "dept1: ok" in r.output and "live: 1 ok, 1 partial, 0 failed" in r.output
    raw = out / "live"
    assert json.loads((raw / "dept1" / "get_facts.1").read_text())["model"] == "WS-C2960G-8TC-L"
    assert "hostname as2dept1" in (raw / "dept1" / "running.cfg").read_text()
    assert (raw / "hosts.yaml").is_file() and (raw / "scan.log").is_file()
    first = Inventory.load(out)
    # offline re-analysis: replay the saved outputs with the mock driver
    again = tmp_path / "again"
    r = CliRunner().invoke(cli, ["live", str(raw / "hosts.yaml"), "--mock", str(raw), "--out", str(again)])
    assert r.exit_code == 0, r.output
    second = Inventory.load(again)
    for table in ("devices", "interfaces", "vrfs", "prefixes", "links", "issues", "files"):
        assert first[table].equals(second[table]), table
    # replaying into the recordings' own folder is refused
    r = CliRunner().invoke(cli, ["live", str(raw / "hosts.yaml"), "--mock", str(raw), "--out", str(out)])
    assert r.exit_code != 0 and "overwrite the recordings" in r.output


def test_cli_help_ends_with_an_example():
    r = CliRunner().invoke(cli, ["live", "--help"])
    assert r.exit_code == 0
    body = r.output.split("\nOptions:")[0].rstrip().splitlines()  # click prints options after the text
    assert any(line.strip() == "Example:" for line in body[-5:])
    assert body[-1].strip().startswith("netconsol live")
    assert "--password" not in r.output
