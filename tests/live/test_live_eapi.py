"""End to end over HTTPS on 127.0.0.1: NAPALM's eos driver (eAPI through pyeapi) against
simulated switches answering with NAPALM's own EOS test data and a real EOS config.

One switch refuses the login and one port is closed: each is one issue row while the others
are collected; the facts
(model, version, serial) come from the getters, VRFs and BGP from the running config, LLDP
neighbours become links; nothing written holds the password or the enable secret.
"""
from __future__ import annotations

from contextlib import ExitStack

from click.testing import CliRunner
from eapi import EapiServer, eos_device
from livedata import PASSWORD, SECRET, USERNAME
from simulator import closed_port

from netconsol.cli import cli
from netconsol.inventory import Inventory


def test_live_scan_over_eapi(corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("NETCONSOL_USERNAME", USERNAME)
    monkeypatch.setenv("NETCONSOL_PASSWORD", PASSWORD)
    monkeypatch.setenv("NETCONSOL_SECRET", SECRET)
    devices = {"leaf1": eos_device(corpus, "leaf1", USERNAME, PASSWORD, SECRET),
               "leaf2": eos_device(corpus, "leaf2", USERNAME, PASSWORD, SECRET),
               "leaf3": eos_device(corpus, "leaf3", USERNAME, "another-password", SECRET)}
    with ExitStack() as stack:
        servers = {n: stack.enter_context(EapiServer(d)) for n, d in devices.items()}
        hosts = tmp_path / "hosts.yaml"
        ports = {n: s.port for n, s in servers.items()} | {"leaf4": closed_port()}
        hosts.write_text("".join(f"{n}: {{hostname: 127.0.0.1, port: {p}, platform: eos, "
                                 f"data: {{department: 市大数据局}}}}\n" for n, p in sorted(ports.items())),
                         encoding="utf-8")
        out = tmp_path / "snap"
        r = CliRunner().invoke(cli, ["live", str(hosts), "--out", str(out), "--timeout", "10"])
        assert r.exit_code == 0, r.output
        sent = [c if isinstance(c, str) else c["cmd"] for q in servers["leaf1"].requests
                for c in q["params"]["cmds"]]
    for cmd in ("enable", "show version", "show hostname", "show interfaces", "show ip interface",
                "show lldp neighbors", "show running-config"):
        assert cmd in sent, cmd
    inv = Inventory.load(out)

    devs = inv["devices"].set_index("device")
    assert sorted(devs.index) == ["leaf1", "leaf2"]
    d = devs.loc["leaf1"]
    # facts win over the config's banner comment; the serial is the getter's
    assert (d.vendor, d.platform, d.model, d.os_version, d.serial) == ("arista", "eos", "vEOS", "4.28.3M",
                                                                       "SN-LEAF1")
    assert d.department == "市大数据局"
    ifs = inv["interfaces"]
    mine = ifs[ifs.device == "leaf1"]
    assert set(mine[mine.address != ""].address) >= {"10.11.11.14/30", "10.0.20.6/32", "10.0.0.15/24",
                                                     "192.168.233.1/24", "172.17.17.66/25"}
    lo = mine[mine.interface == "Loopback0"].iloc[0]
    assert lo.location.startswith("line ")                        # from the running config
    assert mine[mine.address == "172.17.17.66/25"].iloc[0].location == "getter get_interfaces_ip"
    bgp = inv["bgp"]
    assert set(bgp[bgp.device == "leaf1"].neighbor) == {"10.11.11.13", "10.11.11.21"}
    routes = inv["routes"]
    assert "0.0.0.0/0" in set(routes[routes.device == "leaf1"].prefix)
    links = inv["links"]
    assert set(links[links.a_device == "leaf1"].a_interface) == {"Ethernet1", "Ethernet2"}
    assert set(links.evidence) == {"lldp"}

    iss = inv["issues"]
    failed = iss[iss.severity == "error"]
    assert list(zip(failed.source, failed.code)) == [("leaf3", "live-auth-failed"), ("leaf4", "live-unreachable")]
    assert "live: 2 ok, 0 partial, 2 failed" in r.output

    assert PASSWORD in devices["leaf1"].outputs["show running-config"]   # the switch showed both ...
    written = [p for p in out.rglob("*") if p.is_file()]
    assert len(written) > 10
    for p in written:                                                    # ... nothing written keeps them
        data = p.read_bytes()
        assert PASSWORD.encode() not in data and SECRET.encode() not in data, p
    assert PASSWORD not in r.output and SECRET not in r.output
