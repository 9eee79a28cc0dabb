"""Reconciliation of department prefixes, sheets against configs, on the cases the blind acceptance
case (tests/acceptance/reconcile) does not hold: a private range two departments both use, a
declared block summarising several configured subnets, a LAN numbered from the extranet's own
pool next to the uplink into it, and an inventory with one kind of source only."""
from __future__ import annotations

import pytest

import netconsol
from netconsol.analyze.reconcile import reconcile
from netconsol.inventory import Inventory

MANIFEST = """city: 示例市
districts: []
departments:
  - {name: 市甲局, district: ""}
  - {name: 市乙局, district: ""}
  - {name: 市大数据局, district: ""}
networks:
  - {id: extranet-admin, name: 电子政务外网行政服务域, kind: extranet_admin, department: 市大数据局,
     prefixes: [10.0.0.0/16], tags: extranet}
devices:
  A-R1: {department: 市甲局}
  B-R1: {department: 市乙局}
  PE1: {department: 市大数据局, role: pe}
"""


def _vrp(name: str, *addresses: str) -> str:
    out = ["#", f"sysname {name}", "#"]
    for i, a in enumerate(addresses):
        ip, mask = a.split()
        out += [f"interface GigabitEthernet0/0/{i}", f" ip address {ip} {mask}", "#"]
    out += ["interface LoopBack0", " ip address 10.9.9.9 255.255.255.255", "#", "return"]
    return "\n".join(out) + "\n"


SHEET = ("单位,网络名称,网络类型,接入设备,IP地址段\n"
         "市甲局,甲局办公网,局域网,A-R1,192.168.1.0/24\n"
         "市甲局,甲局业务网,局域网,A-R1,10.0.5.0/24\n"
         "市甲局,甲局园区网,局域网,A-R1,172.16.0.0/16\n"
         "市乙局,乙局办公网,局域网,B-R1,192.168.1.0/24\n"
         "市乙局,乙局业务网,局域网,B-R1,192.168.9.0/24\n")


def _inventory(tmp_path, sheets=True) -> Inventory:
    d = tmp_path / "inv"
    (d / "configs").mkdir(parents=True)
    (d / "inventory.yaml").write_text(MANIFEST, encoding="utf-8")
    (d / "configs/A-R1.cfg").write_text(_vrp("A-R1", "10.0.0.2 255.255.255.252", "192.168.1.1 255.255.255.0",
                                             "10.0.5.1 255.255.255.0", "172.16.0.1 255.255.255.0",
                                             "172.16.1.1 255.255.255.0"), encoding="utf-8")
    (d / "configs/B-R1.cfg").write_text(_vrp("B-R1", "192.168.1.1 255.255.255.0", "192.168.9.1 255.255.255.128"),
                                        encoding="utf-8")
    (d / "configs/PE1.cfg").write_text(_vrp("PE1", "10.0.0.1 255.255.255.252"), encoding="utf-8")
    if sheets:
        (d / "sheets").mkdir()
        (d / "sheets/示例市局域网及专网自查表.csv").write_text(SHEET, encoding="utf-8")
    return netconsol.open(d).inventory


@pytest.fixture(scope="module")
def rec(tmp_path_factory):
    df = reconcile(_inventory(tmp_path_factory.mktemp("r")))
    assert Inventory({"reconciliation": df}).validate() == []
    return {(r["object"], r["key"], r["aspect"]): r for r in df.to_dict("records")}


def test_a_range_two_departments_use_is_two_objects(rec):
    a = rec[("prefix", "192.168.1.0/24 市甲局", "range")]
    b = rec[("prefix", "192.168.1.0/24 市乙局", "range")]
    assert (a["status"], a["configured"], b["status"], b["configured"]) == (
        "agree", "192.168.1.0/24", "agree", "192.168.1.0/24")


def test_a_declared_block_summarising_configured_subnets_agrees(rec):
    r = rec[("prefix", "172.16.0.0/16 市甲局", "range")]
    assert (r["configured"], r["status"]) == ("172.16.0.0/24 172.16.1.0/24", "agree")


def test_one_lan_with_another_mask_disagrees_in_words(rec):
    r = rec[("prefix", "192.168.9.0/24 市乙局", "range")]
    assert (r["configured"], r["status"]) == ("192.168.9.0/25", "disagree")
    assert "prefix length /24 declared, /25 in the config" in r["message"]
    assert ("prefix", "192.168.9.0/25 市乙局", "presence") not in rec   # one row, not two one-sided ones


def test_extranet_pool_lan_is_the_departments_and_the_uplink_the_citys(rec):
    assert rec[("prefix", "10.0.5.0/24 市甲局", "range")]["status"] == "agree"
    prefixes = [k for k in rec if k[0] == "prefix"]
    assert not [k for k in prefixes if k[1].startswith(("10.0.0.0/30", "10.9.9.9"))], prefixes
    assert len(prefixes) == 5


def test_devices_no_sheet_names_are_configured_only(rec):
    pe = rec[("device", "PE1", "presence")]
    assert (pe["declared"], pe["configured"], pe["observed"], pe["status"]) == ("", "yes", "", "partial")
    assert rec[("device", "A-R1", "presence")]["status"] == "agree"


def test_one_kind_of_source_has_nothing_to_reconcile(tmp_path):
    assert len(reconcile(_inventory(tmp_path, sheets=False))) == 0


def test_within_pools_equals_ipset_membership():
    """The prefixes' pool check on integers answers ``net in IPSet`` on random pools and subnets
    (both families, host bits set, subnets straddling a pool's edge, pools that merge)."""
    import random

    from netaddr import IPNetwork, IPSet

    from netconsol.analyze.intervals import span_within

    rnd = random.Random(2323)

    def rand_net():
        if rnd.random() < 0.2:
            return IPNetwork(f"2001:db8:{rnd.randrange(4):x}::{rnd.randrange(1 << 16):x}/{rnd.randint(44, 128)}")
        return IPNetwork(f"10.{rnd.randrange(4)}.{rnd.randrange(256)}.{rnd.randrange(256)}/{rnd.randint(12, 32)}")

    for _ in range(300):
        pools = IPSet(rand_net().cidr for _ in range(rnd.randint(0, 6)))
        within = span_within(pools)
        for _ in range(50):
            net = rand_net()
            assert within(net.version, net.first, net.last) == (net in pools), (pools, net)


def test_records_equal_to_dict():
    """reconcile's column-wise records are ``to_dict("records")``: the same values, missing ones
    included (NaN text, None for nullable numbers and flags)."""
    import numpy as np
    import pandas as pd

    from netconsol.analyze.reconcile import _records

    df = pd.DataFrame({"text": pd.array(["a", None, "c", ""], dtype="str"),
                       "flag": pd.array([True, None, False, True], dtype="boolean"),
                       "n": pd.array([1, None, 3, 4], dtype="Int64"), "x": [0.5, float("nan"), 2.0, 3.0]})
    mask = np.array([True, True, False, True])
    want = df[mask].to_dict("records")
    got = _records(df, mask)
    assert [list(r) for r in got] == [list(r) for r in want]
    for g, w in zip(got, want):
        for c in df.columns:
            assert type(g[c]) is type(w[c]) and (g[c] == w[c] or (g[c] != g[c] and w[c] != w[c])), (c, g, w)
    assert _records(df, mask, ["flag", "text"], as_tuples=True) == [(r["flag"], r["text"]) for r in want]
