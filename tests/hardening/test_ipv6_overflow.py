"""Issue 20, problem 1: IPv6 and out-of-range integers never overflow an Int64 column.

An IPv6 interface address with NAT and a default route, IPv6 exit and LAN rows in sheets
(address counts of 2**64 and more), and integers far past 2**63 in a VRP and a JunOS config:
the scan completes, the counts are exact, the bad integers are issues and their lines are
counted unrecognized."""
from __future__ import annotations

from netconsol.collectors.configs import collect_config
from netconsol.inventory import Inventory
from netconsol.scan import run_scan


def _add_ipv6(inv):
    cfg = inv / "configs" / "private" / "caizheng" / "CZ-R01.cfg"
    s = cfg.read_text(encoding="utf-8")
    s = s.replace(" ip address 10.1.0.1 255.255.255.0\n",
                  " ip address 10.1.0.1 255.255.255.0\n ipv6 address 2001:db8:10::1/64\n ip nat inside\n")
    s = s.replace(" description TO-CZ-R02\n", " description TO-CZ-R02\n ip nat outside\n")
    s = s.replace("ip forward-protocol nd\n",
                  "ip forward-protocol nd\nipv6 route ::/0 2001:db8:10::2\nip route 0.0.0.0 0.0.0.0 203.0.113.1\n")
    cfg.write_text(s, encoding="utf-8")
    sheets = inv / "sheets"
    with open(sheets / "市中区-互联网出口自查表.csv", "ab") as f:
        f.write("99,西王庄镇人民政府,市中区,西王庄镇,互联网专线,SZ-XWZ-AR09,MSR3620,2001:db8::/32,天翼,50M,"
                "2.76万/年,2027-06-30,,网上办事大厅,40%\n".encode("gbk"))
    with open(sheets / "市中区-局域网及专网自查表.csv", "ab") as f:
        f.write("98,市中区政府办公室,市中区,,视频网,局域网,SZ-ZFB-CE08,AR2240,3fff:0:10::/48,,办公\n"
                "97,市中区政府办公室,市中区,,测试网,局域网,SZ-ZFB-CE09,AR2240,3fff::/20,,办公\n".encode("gbk"))


def test_scan_with_ipv6_completes_and_counts_exactly(demo_copy, tmp_path):
    _add_ipv6(demo_copy)
    out = tmp_path / "out"
    result = run_scan(demo_copy, out)
    inv = result.inventory
    exits = inv["exits"].set_index("exit")
    assert exits.loc["C-CZ-R01:GigabitEthernet0/0", "public_ips"] == 2 ** 64
    sheet_v6 = exits[exits.public_range == "2001:db8::/32"]
    assert list(sheet_v6.public_ips) == [2 ** 96]
    big = [a for a in inv["conflicts"].addresses if a is not None and a >= 2 ** 63]
    assert 2 ** 80 in big and 2 ** 64 in big  # 3fff:0:10::/48 in 3fff::/20; CZ-R01's /64 in 2001:db8::/32
    # the merge plan and the exit plan carry the counts too, and the snapshot reads back exactly
    assert str(2 ** 96) in (out / "plans" / "exits" / "exits.csv").read_text(encoding="utf-8")
    merge_nets = (out / "plans" / "merge" / "networks.csv").read_text(encoding="utf-8")
    assert f"3fff::/20,{2 ** 108}," in merge_nets
    back = Inventory.load(out / "snapshot")
    assert back["exits"].set_index("exit").loc["C-CZ-R01:GigabitEthernet0/0", "public_ips"] == 2 ** 64
    assert not back.validate()


VRP = """sysname R9
#
interface Vlanif99999999999999999999
 ip address 10.9.9.1 255.255.255.0
#
ip route-static 0.0.0.0 0.0.0.0 10.9.9.2 preference 99999999999999999999
#
return
"""
JUNOS = """system {
    host-name J1;
}
protocols {
    bgp {
        group g {
            type external;
            local-as 88888888888888888888;
            peer-as 77777777777777777777;
            neighbor 192.0.2.1;
        }
    }
}
"""


def test_out_of_range_integers_are_issues_and_unrecognized_lines():
    for name, text, cols in (("r9.cfg", VRP, {"vlan", "distance"}), ("j1.cfg", JUNOS, {"local_as", "remote_as"})):
        rows = collect_config(name, name, text=text)
        Inventory.from_rows(rows)  # typing succeeds: no Int64 overflow
        bad = [i for i in rows["issues"] if i["code"] == "out-of-range"]
        assert {i["column"] for i in bad} == cols, bad
        assert all(i["location"].startswith("line ") and i["value"] for i in bad)
        f = rows["files"][0]
        assert f["understood"] + f["ignored"] + f["unrecognized"] == f["lines"]
        unrec = {i["location"] for i in rows["issues"] if i["code"] == "unrecognized-line"}
        assert {i["location"] for i in bad} <= unrec
        for table in ("interfaces", "routes", "bgp"):
            for r in rows[table]:
                for c in cols:
                    assert r.get(c) is None or r[c] < 2 ** 32
