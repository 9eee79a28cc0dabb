"""End to end over real SSH on 127.0.0.1: NAPALM's ios driver against simulated devices.

Healthy routers, one dead (closed port), one refusing the login, one that
never sends an SSH banner and one too slow to answer: the healthy ones are
collected, each failure is one issue row with its code, and no file written
by the scan holds the password or the enable secret.
"""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner
from livedata import PASSWORD, SECRET, USERNAME
from simulator import closed_port, ios_device

from netconsol.cli import cli
from netconsol.collectors.live import Target, scan
from netconsol.inventory import Inventory

TIMEOUT = 2


@pytest.fixture
def fleet(corpus, sim, tmp_path):
    """hosts.yaml for six simulated devices; returns (hosts path, {name: Device})."""
    devices = {
        "R1": ios_device(corpus, "R1", USERNAME, PASSWORD, SECRET, neighbors=[("Gi2", "R2", "Gi2")]),
        "R2": ios_device(corpus, "R2", USERNAME, PASSWORD, SECRET, neighbors=[("Gi2", "R1", "Gi2")]),
        "R3": ios_device(corpus, "R3", USERNAME, "another-password", SECRET),
        "R6": ios_device(corpus, "R6", USERNAME, PASSWORD, SECRET, delay=3 * TIMEOUT),
    }
    ports = {name: sim.add(d) for name, d in devices.items()}
    ports["R4"] = closed_port()
    ports["R5"] = sim.add_silent()
    hosts = tmp_path / "hosts.yaml"
    lines = [f"{n}: {{hostname: 127.0.0.1, port: {p}, groups: [lab]}}" for n, p in sorted(ports.items())]
    hosts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "groups.yaml").write_text("lab: {platform: ios, data: {department: 市大数据局, district: 薛城区}}\n",
                                          encoding="utf-8")
    return hosts, devices


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("NETCONSOL_USERNAME", USERNAME)
    monkeypatch.setenv("NETCONSOL_PASSWORD", PASSWORD)
    monkeypatch.setenv("NETCONSOL_SECRET", SECRET)


def test_live_scan_over_ssh(fleet, env, tmp_path):
    hosts, devices = fleet
    out = tmp_path / "snap"
    t0 = time.monotonic()
    r = CliRunner().invoke(cli, ["live", str(hosts), "--out", str(out), "--workers", "8",
                                 "--timeout", str(TIMEOUT)])
    elapsed = time.monotonic() - t0
    assert r.exit_code == 0, r.output + (r.stderr or "")
    assert elapsed < 20
    inv = Inventory.load(out)

    # the healthy routers are collected through the whole NAPALM ios path
    devs = inv["devices"].set_index("device")
    assert sorted(devs.index) == ["R1", "R2"]
    assert devs.loc["R1", "model"] == "WS-C2960G-8TC-L" and devs.loc["R1", "platform"] == "ios"
    assert devs.loc["R1", "district"] == "薛城区" and devs.loc["R1", "attributed_by"] == "manifest"
    sent = devices["R1"].commands
    for cmd in ("terminal length 0", "terminal width 511", "enable", "show version", "show interfaces",
                "show ip interface", "show ipv6 interface", "show running-config", "show lldp neighbors detail"):
        assert cmd in sent, cmd

    # get_interfaces_ip reports GigabitEthernet1 without a VRF; the running config binds it to MGMT
    raw_ip = json.loads((out / "live" / "R1" / "get_interfaces_ip.1").read_text())
    assert "192.168.35.121" in raw_ip["GigabitEthernet1"]["ipv4"]
    ifs = inv["interfaces"]
    gi1 = ifs[(ifs.device == "R1") & (ifs.interface == "GigabitEthernet1") & (ifs.address == "192.168.35.121/24")]
    assert list(gi1.vrf) == ["MGMT"]
    pre = inv["prefixes"]
    assert list(pre[(pre.device == "R1") & (pre.prefix == "192.168.35.0/24")].vrf) == ["MGMT"]
    assert "MGMT" in set(inv["vrfs"][inv["vrfs"].device == "R1"].vrf)

    # LLDP from both ends is one link
    links = inv["links"]
    assert len(links) == 1
    assert tuple(links.iloc[0][["a_device", "a_interface", "b_device", "b_interface"]]) == \
        ("R1", "GigabitEthernet2", "R2", "GigabitEthernet2")

    # every failure is an issue row with its code; the scan went on
    iss = inv["issues"]
    codes = {row.source: row.code for row in iss[iss.severity == "error"].itertuples()}
    assert codes == {"R3": "live-auth-failed", "R4": "live-unreachable", "R5": "live-timeout",
                     "R6": "live-timeout"}
    for row in iss[iss.source.isin(["R3", "R4", "R5", "R6"])].itertuples():
        assert row.source in row.message and "127.0.0.1" in row.message
    files = inv["files"].set_index("source")
    assert set(files.index) == {"R1", "R2", "R3", "R4", "R5", "R6"} and set(files.kind) == {"live"}
    assert files.loc["R1", "status"] == "parsed" and files.loc["R4", "status"] == "failed"
    assert "R3: live-auth-failed" in r.output and "live: 2 ok, 0 partial, 4 failed" in r.output

    # nothing written by the scan holds the password or the secret ...
    assert PASSWORD in devices["R1"].outputs["show running-config"]  # ... though the device showed both
    assert SECRET in devices["R1"].outputs["show running-config"]
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) > 15
    for p in written:
        data = p.read_bytes()
        assert PASSWORD.encode() not in data, p
        assert SECRET.encode() not in data, p
    for text in (r.output, r.stderr or ""):
        assert PASSWORD not in text and SECRET not in text
    running = (out / "live" / "R1" / "running.cfg").read_text()
    assert "enable password <redacted>" in running
    assert f"username {USERNAME} privilege 15 password 0 <redacted>" in running

    # offline re-analysis of the saved outputs gives the same devices, interfaces and links
    again = tmp_path / "again"
    r2 = CliRunner().invoke(cli, ["live", str(out / "live" / "hosts.yaml"), "--mock", str(out / "live"),
                                  "--out", str(again)])
    assert r2.exit_code == 0, r2.output
    replay = Inventory.load(again)
    for table in ("devices", "interfaces", "vrfs", "prefixes", "links"):
        assert replay[table].equals(inv[table]), table


def test_a_hung_host_is_abandoned_at_the_host_deadline(corpus, sim, creds):
    port = sim.add(ios_device(corpus, "SLOW", creds.username, creds.password, creds.secret, delay=8))
    t0 = time.monotonic()
    res = scan([Target("SLOW", "127.0.0.1", "ios", port)], creds, timeout=6, host_timeout=1.5)
    assert time.monotonic() - t0 < 5
    (h,) = res.hosts
    assert (h.status, h.code) == ("failed", "live-timeout") and "abandoned" in h.message
    (i,) = [x for x in res.rows["issues"] if x["code"] == "live-timeout"]
    assert i["source"] == "SLOW" and creds.password not in i["message"]


def test_password_prompted_without_echo(corpus, sim, tmp_path, monkeypatch):
    monkeypatch.setenv("NETCONSOL_USERNAME", USERNAME)
    monkeypatch.delenv("NETCONSOL_PASSWORD", raising=False)
    monkeypatch.delenv("NETCONSOL_SECRET", raising=False)
    port = sim.add(ios_device(corpus, "R1", USERNAME, PASSWORD, SECRET))
    hosts = tmp_path / "hosts.csv"
    hosts.write_text(f"name,host,platform,port\nR1,127.0.0.1,ios,{port}\n", encoding="utf-8")
    out = tmp_path / "snap"
    r = CliRunner().invoke(cli, ["live", str(hosts), "--out", str(out), "--timeout", str(TIMEOUT)],
                           input=f"{PASSWORD}\n{SECRET}\n")
    assert r.exit_code == 0, r.output
    assert "Password:" in (r.stderr or r.output) and "R1: ok" in r.output
    for text in (r.output, r.stderr or ""):
        assert PASSWORD not in text and SECRET not in text
    assert Inventory.load(out)["devices"].device.tolist() == ["R1"]
