"""Link inference and the graph: Batfish's example network, and small cases that each prove one rule."""
import json

import pytest

from netconsol.analyze import analyze, build_graph, infer_links
from netconsol.collectors import collect_rows
from netconsol.inventory import Inventory
from netconsol.platforms.base import make_address

EXAMPLE = "batfish/networks/example/live"


def _batfish_hosts(rows, hosts_dir):
    """Batfish's small host format (hostname, hostInterfaces{name: {prefix, gateway}}) as inventory rows."""
    for f in sorted(hosts_dir.glob("*.json")):
        h = json.loads(f.read_text())
        src = f"hosts/{f.name}"
        rows.add("devices", {"device": h["hostname"], "platform": "host", "source": src, "location": "file"})
        for name, i in sorted(h["hostInterfaces"].items()):
            ip, plen = i["prefix"].split("/")
            a = make_address(ip, plen)
            rows.add("interfaces", {"device": h["hostname"], "interface": i.get("name", name), "kind": "physical",
                                    "admin_up": True, "secondary": False, **a, "source": src,
                                    "location": f"hostInterfaces.{name}"})
            rows.add("prefixes", {"prefix": a["subnet"], "family": 4, "device": h["hostname"],
                                  "interface": i.get("name", name), "origin": "interface", "source": src,
                                  "location": f"hostInterfaces.{name}"})


@pytest.fixture(scope="module")
def example(corpus):
    rows = collect_rows([corpus / EXAMPLE / "configs"])
    _batfish_hosts(rows, corpus / EXAMPLE / "hosts")
    return Inventory.from_rows(rows)


def _directed(links):
    out = set()
    for r in links.itertuples(index=False):
        out.add((r.a_device, r.a_interface, r.b_device, r.b_interface))
        out.add((r.b_device, r.b_interface, r.a_device, r.a_interface))
    return out


def test_batfish_example_links_equal_topology_ref(example, corpus):
    edges = json.loads((corpus / "batfish/derived/example_live_edges_from_topology_ref.json").read_text())["edges"]
    expected = {tuple(e) for e in edges}
    assert len(expected) == 38
    links = infer_links(example)
    assert _directed(links) == expected
    assert len(links) == 19
    assert set(links["evidence"]) == {"subnet"}
    assert (links["a_device"] + links["a_interface"] < links["b_device"] + links["b_interface"]).all()
    row = links[(links["a_device"] == "as2dept1") & (links["b_device"] == "host1")].iloc[0]
    assert (row.a_interface, row.b_interface, row.subnet) == ("GigabitEthernet2/0", "eth0", "2.128.0.0/24")


def test_batfish_example_configs_alone_miss_exactly_the_host_edges(corpus):
    from netconsol.collectors import collect

    edges = json.loads((corpus / "batfish/derived/example_live_edges_from_topology_ref.json").read_text())["edges"]
    expected = {tuple(e) for e in edges}
    got = _directed(infer_links(collect([corpus / EXAMPLE / "configs"])))
    assert got <= expected
    assert {e[0] for e in expected - got} | {e[2] for e in expected - got} >= {"host1", "host2"}
    assert len(expected - got) == 4


def test_batfish_example_same_device_same_subnet_is_no_link(example):
    # as3core1 has Gi2/0 90.90.90.1/24 and Gi3/0 90.90.90.2/24: Batfish draws no self edge
    links = infer_links(example)
    assert not ((links["a_device"] == links["b_device"])).any()
    assert "90.90.90.0/24" not in set(links["subnet"])


def test_batfish_example_graph(example):
    g = build_graph(example)
    assert g.nodes["device:as2dept1"]["type"] == "device"
    assert g.nodes["device:as2dept1"]["vendor"] == "cisco"
    assert "2.1.1.2/32" in g.nodes["device:as2dept1"]["addresses"]
    assert g.nodes["subnet:global|2.128.0.0/24"]["type"] == "subnet"
    assert g.has_edge("device:as2dept1", "device:host1")
    assert g.edges["device:as2dept1", "device:host1"]["type"] == "link"
    assert g.edges["device:as2dept1", "subnet:global|2.128.0.0/24"]["type"] == "address"
    for _, d in g.nodes(data=True):
        assert {"type", "label", "vendor", "platform", "department", "district", "town", "network", "kind",
                "addresses", "carrier", "evidence"} <= set(d)


# --- one rule per case -------------------------------------------------------------------------
def _pairs(links):
    return {(r.a_device, r.a_interface, r.b_device, r.b_interface): (r.subnet, r.evidence)
            for r in links.itertuples(index=False)}


def test_pe_vrf_to_ce_global_links_without_equal_vrf_names(case):
    case.network("ga-vpn", "extranet_vpn", "市公安局").network("gongan", "business_private", "市公安局")
    case.device("PE1", network="extranet-admin", role="pe").device("GA-CE", department="市公安局", network="gongan")
    case.iface("PE1", "GigabitEthernet1/0/1.301", "10.0.0.1/30", vrf="GA", network="ga-vpn", department="市公安局")
    case.iface("GA-CE", "GigabitEthernet0/0/0", "10.0.0.2/30", network="gongan", department="市公安局")
    assert _pairs(infer_links(case.inv())) == {
        ("GA-CE", "GigabitEthernet0/0/0", "PE1", "GigabitEthernet1/0/1.301"): ("10.0.0.0/30", "subnet")}


def test_access_link_numbered_from_the_extranet_plan_links(case):
    case.network("extranet-admin", "extranet_admin", "市大数据局", prefixes=["10.0.0.0/12"])
    case.network("cz-lan", "lan", "市财政局", prefixes=["172.16.0.0/24"])
    case.iface("PE1", "Gi1/0/1", "10.15.255.1/30", vrf="admin", network="extranet-admin", department="市大数据局")
    case.iface("CZ-CE", "Gi0/0/0", "10.15.255.2/30", network="cz-lan", department="市财政局")
    assert len(infer_links(case.inv())) == 1


def test_subnet_in_both_plans_is_reuse_not_a_link(case):
    case.network("extranet-admin", "extranet_admin", "市大数据局", prefixes=["10.0.0.0/12"])
    case.network("caizheng", "gov_private", "市财政局", prefixes=["10.15.0.0/16"])
    case.iface("PE1", "Gi1/0/1", "10.15.255.1/30", vrf="admin", network="extranet-admin", department="市大数据局")
    case.iface("CZ-R1", "Gi0/0/0", "10.15.255.2/30", network="caizheng", department="市财政局")
    assert infer_links(case.inv()).empty


def test_intranet_never_links_to_the_extranet(case):
    case.network("extranet-admin", "extranet_admin", "市委办公室", prefixes=["10.0.0.0/12"])
    case.network("shemi", "intranet", "市委办公室")
    case.iface("PE1", "Gi1/0/1", "10.1.0.1/30", network="extranet-admin", department="市委办公室")
    case.iface("SM-R1", "Gi0/0/0", "10.1.0.2/30", network="shemi", department="市委办公室")
    assert infer_links(case.inv()).empty


def test_reused_private_subnet_in_two_networks_is_no_link_but_an_identical_conflict(case):
    case.network("a-net", "gov_private", "市教育局").network("b-net", "gov_private", "市卫健委")
    case.iface("A-R1", "Vlanif10", "192.168.1.1/24", network="a-net", department="市教育局")
    case.iface("B-R1", "Vlanif10", "192.168.1.2/24", network="b-net", department="市卫健委")
    out = analyze(case.inv())
    assert out["links"].empty
    c = out["conflicts"]
    assert list(c["kind"]) == ["identical"]
    assert {c.iloc[0].a_network, c.iloc[0].b_network} == {"a-net", "b-net"}
    assert c.iloc[0].addresses == 256


def test_loopbacks_and_host_routes_never_link(case):
    case.iface("R1", "LoopBack0", "10.255.0.1/24", kind="loopback").iface("R2", "LoopBack0", "10.255.0.2/24",
                                                                          kind="loopback")
    case.iface("R1", "Gi0/0/1", "10.9.9.1/32").iface("R2", "Gi0/0/1", "10.9.9.2/32")
    assert infer_links(case.inv()).empty


def test_unnumbered_never_links(case):
    # a parser that copies the borrowed address onto the unnumbered interface must not create a link
    case.iface("R1", "Serial1/0", "10.0.0.1/24", unnumbered="LoopBack0")
    case.iface("R2", "Serial1/0", "10.0.0.2/24", unnumbered="LoopBack0")
    assert infer_links(case.inv()).empty


def test_admin_down_never_links(case):
    case.iface("R1", "Gi0/0/1", "10.0.0.1/30", admin_up=False).iface("R2", "Gi0/0/1", "10.0.0.2/30")
    assert infer_links(case.inv()).empty


def test_management_interfaces_link_within_their_vrf(case):
    # issue 19: an out-of-band LAN is a subnet like any other (Batfish's rule); its VRF keeps it apart
    case.iface("R1", "MEth0/0/0", "192.168.0.1/24", kind="management", vrf="mgmt")
    case.iface("R2", "MEth0/0/0", "192.168.0.2/24", kind="management", vrf="mgmt")
    case.iface("R3", "Gi0/0/0", "192.168.0.3/24")
    assert set(_pairs(infer_links(case.inv()))) == {("R1", "MEth0/0/0", "R2", "MEth0/0/0")}


def test_lan_with_three_routers_gives_three_links(case):
    for n, host in enumerate(("R1", "R2", "R3"), 1):
        case.iface(host, "Vlanif100", f"10.1.1.{n}/24")
    links = infer_links(case.inv())
    assert set(_pairs(links)) == {("R1", "Vlanif100", "R2", "Vlanif100"), ("R1", "Vlanif100", "R3", "Vlanif100"),
                                  ("R2", "Vlanif100", "R3", "Vlanif100")}
    assert set(links["subnet"]) == {"10.1.1.0/24"}


def test_secondary_addresses_link(case):
    case.iface("R1", "Gi0/0/1", "10.0.0.1/24").iface("R1", "Gi0/0/1", "172.16.0.1/24", secondary=True)
    case.iface("R2", "Gi0/0/1", "172.16.0.2/24")
    case.iface("R3", "Gi0/0/1", "10.0.0.3/24").iface("R3", "Gi0/0/1", "172.16.0.3/24", secondary=True)
    p = _pairs(infer_links(case.inv()))
    assert p[("R1", "Gi0/0/1", "R2", "Gi0/0/1")][0] == "172.16.0.0/24"
    assert p[("R1", "Gi0/0/1", "R3", "Gi0/0/1")][0] == "10.0.0.0/24 172.16.0.0/24"  # one row, both subnets
    assert len(p) == 3


def test_point_to_point_31(case):
    case.iface("R1", "Gi0/0/1", "10.0.0.0/31").iface("R2", "Gi0/0/1", "10.0.0.1/31")
    assert len(infer_links(case.inv())) == 1


def test_duplicate_address_is_no_link(case):
    case.iface("R1", "Gi0/0/1", "10.0.0.1/24").iface("R2", "Gi0/0/1", "10.0.0.1/24")
    case.iface("R3", "Gi0/0/1", "10.0.0.3/24")
    out = analyze(case.inv())
    assert set(_pairs(out["links"])) == {("R1", "Gi0/0/1", "R3", "Gi0/0/1"), ("R2", "Gi0/0/1", "R3", "Gi0/0/1")}
    assert list(out["conflicts"]["kind"]) == ["duplicate-ip"]


def test_mismatched_masks_link_when_both_addresses_are_in_the_smaller_subnet(case):
    case.iface("R1", "Gi0/0/1", "10.0.0.1/24").iface("R2", "Gi0/0/1", "10.0.0.2/30")
    case.iface("R3", "Gi0/0/1", "10.0.0.100/24").iface("R4", "Gi0/0/1", "10.0.0.6/30")
    p = _pairs(infer_links(case.inv()))
    assert p[("R1", "Gi0/0/1", "R2", "Gi0/0/1")][0] == "10.0.0.0/30"
    assert ("R1", "Gi0/0/1", "R3", "Gi0/0/1") in p
    assert not any("R4" in k for k in p)


def test_ipv6_links_but_not_link_local(case):
    case.iface("R1", "Gi0/0/1", "2001:db8::1/64").iface("R2", "Gi0/0/1", "2001:db8::2/64")
    case.iface("R1", "Gi0/0/2", "fe80::1/64").iface("R2", "Gi0/0/2", "fe80::2/64")
    assert set(_pairs(infer_links(case.inv()))) == {("R1", "Gi0/0/1", "R2", "Gi0/0/1")}


def test_links_from_other_evidence_are_kept_and_merged(case):
    case.iface("R1", "Gi0/0/1", "10.0.0.1/30").iface("R2", "Gi0/0/1", "10.0.0.2/30")
    case.rows.add("links", {"a_device": "R2", "a_interface": "Gi0/0/1", "b_device": "R1", "b_interface": "Gi0/0/1",
                            "evidence": "lldp", "source": "live/R1", "location": "getter get_lldp_neighbors"})
    case.rows.add("links", {"a_device": "R1", "a_interface": "Gi0/0/9", "b_device": "SW9", "b_interface": "Gi1/0/1",
                            "evidence": "sheet", "source": "sheets/links.csv", "location": "row 2"})
    p = _pairs(infer_links(case.inv()))
    assert p[("R1", "Gi0/0/1", "R2", "Gi0/0/1")] == ("10.0.0.0/30", "lldp subnet")
    assert p[("R1", "Gi0/0/9", "SW9", "Gi1/0/1")] == ("", "sheet")


def test_neighbor_rows_become_links(case):
    case.device("R1").device("core-sw")
    neighbors = [{"device": "R1", "interface": "Gi0/0/1", "neighbor": "CORE-SW.example.net",
                  "neighbor_interface": "Gi1/0/1", "protocol": "cdp", "source": "R1.cfg", "location": "line 9"}]
    links = infer_links(case.inv(), neighbors=neighbors)
    assert _pairs(links) == {("R1", "Gi0/0/1", "core-sw", "Gi1/0/1"): ("", "cdp")}


def test_links_are_deterministic(example):
    a, b = infer_links(example), infer_links(example)
    assert a.equals(b)


def test_net_bounds_reads_cidrs_as_netaddr_does():
    """The inet_pton fast path of net_bounds agrees with netaddr, errors included."""
    import random

    from netaddr import IPNetwork

    from netconsol.analyze.topology import _NET_CACHE, net_bounds

    rng = random.Random(2)
    cases = ["10.1.1.5/24", "0.0.0.0/0", "255.255.255.255/32", "10.1.1.1/08", "10.1.1.1/8", "2001:db8::1/64",
             "10.01.1.1/24", "10.1.1.1", "10.1.1.0/33", "10.1.1/24", "a.b.c.d/24", "10.1.1.1/-1", "10.1.1.1/ 24"]
    cases += [f"{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}/{rng.randrange(33)}"
              for _ in range(5000)]
    _NET_CACHE.clear()
    for c in cases:
        try:
            n = IPNetwork(c)
            want = (n.version, n.first, n.last)
        except Exception as e:  # noqa: BLE001 - the same refusal is what is checked
            want = type(e).__name__
        try:
            got = net_bounds(c)
        except Exception as e:  # noqa: BLE001
            got = type(e).__name__
        assert got == want, c
