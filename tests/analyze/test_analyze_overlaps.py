"""Conflicts: the rules, the Batfish duplicate, and the sweep against brute force."""
import json
import random

import pytest
from netaddr import IPNetwork

from netconsol.analyze import find_conflicts, overlapping_pairs
from netconsol.analyze.overlaps import relation
from netconsol.collectors import collect
from netconsol.inventory import Inventory, Rows


def _kinds(df):
    return sorted(df["kind"])


def test_batfish_duplicate_ip_is_the_only_conflict(corpus):
    inv = collect([corpus / "batfish/networks/example/live/configs"])
    ref = json.loads((corpus / "batfish/tests/basic/uniqueIpAssignments.ref").read_text())[0]["duplicateIps"]
    c = find_conflicts(inv)
    assert list(c["kind"]) == ["duplicate-ip"]
    row = c.iloc[0]
    assert row.overlap in ref
    owners = {(o["hostname"], o["interface"]) for o in ref[row.overlap]}
    assert {(row.a_device, row.a_interface), (row.b_device, row.b_interface)} == owners
    assert (row.a_prefix, row.addresses) == ("2.1.1.2/32", 1)


def test_identical_and_contains_between_networks(case):
    case.network("a", "gov_private", "甲局", prefixes=["10.0.0.0/16", "10.1.0.0/24"])
    case.network("b", "gov_private", "乙局", prefixes=["10.0.5.0/24"])
    case.network("c", "business_private", "丙局", prefixes=["10.1.0.0/24"])
    c = find_conflicts(case.inv(), pools={})
    got = {(r.kind, r.a_network, r.a_prefix, r.b_network, r.b_prefix, r.overlap) for r in c.itertuples()}
    assert got == {("contains", "a", "10.0.0.0/16", "b", "10.0.5.0/24", "10.0.5.0/24"),
                   ("identical", "a", "10.1.0.0/24", "c", "10.1.0.0/24", "10.1.0.0/24")}
    assert c["conflict"].is_unique and c["conflict"].str.match(r"^C-[0-9a-f]{12}$").all()


def test_partial_overlap_of_ranges_written_as_several_cidrs(case):
    # 10.2.0.0-10.2.1.255 (two CIDRs of one cell) against 10.2.1.0-10.2.2.255
    case.network("a", "gov_private", "甲局").ranges("a", ["10.2.0.0/24", "10.2.1.0/24"], "甲局")
    case.network("b", "gov_private", "乙局").ranges("b", ["10.2.1.0/24", "10.2.2.0/24"], "乙局")
    c = find_conflicts(case.inv(), pools={})
    assert list(c["kind"]) == ["partial"]
    r = c.iloc[0]
    assert (r.a_prefix, r.b_prefix, r.overlap, r.addresses) == (
        "10.2.0.0/24 10.2.1.0/24", "10.2.1.0/24 10.2.2.0/24", "10.2.1.0/24", 256)


def test_same_network_ranges_are_not_conflicts(case):
    case.network("a", "gov_private", "甲局", prefixes=["10.0.0.0/16"])
    case.iface("R1", "Gi0/0/1", "10.0.0.1/30", network="a", department="甲局")
    case.iface("R2", "Gi0/0/1", "10.0.0.2/30", network="a", department="甲局")
    case.iface("R2", "Vlanif10", "10.0.8.1/24", network="a", department="甲局")
    case.ranges("a", ["10.0.8.0/24"], "甲局")  # the same LAN reported in a sheet
    assert find_conflicts(case.inv(), pools={}).empty


def test_link_ends_in_two_attributed_networks_are_not_conflicts(case):
    case.network("extranet-admin", "extranet_admin", "市大数据局", prefixes=["10.0.0.0/12"])
    case.network("cz-lan", "lan", "市财政局", prefixes=["172.16.0.0/24"])
    case.iface("PE1", "Gi1/0/1", "10.15.255.1/30", vrf="admin", network="extranet-admin", department="市大数据局")
    case.iface("CZ-CE", "Gi0/0/0", "10.15.255.2/30", network="cz-lan", department="市财政局")
    case.iface("CZ-CE", "Vlanif10", "172.16.0.1/24", network="cz-lan", department="市财政局")
    assert find_conflicts(case.inv()).empty


def test_unattributed_vrf_contexts(case):
    # the same subnet in two VRFs of unrelated devices: two routing contexts -> identical
    case.iface("R1", "Gi0/0/1", "10.9.0.1/24", vrf="A").iface("R2", "Gi0/0/1", "10.9.0.1/24", vrf="B")
    # VRFs named alike on two devices are one context: nothing to report for 10.8.0.0/24
    case.iface("R3", "Gi0/0/1", "10.8.0.1/24", vrf="C").iface("R4", "Gi0/0/2", "10.8.0.5/24", vrf="C",
                                                              admin_up=False)
    c = find_conflicts(case.inv(), pools={})
    assert _kinds(c) == ["duplicate-ip", "identical"]
    ident = c[c["kind"] == "identical"].iloc[0]
    assert {ident.a_vrf, ident.b_vrf} == {"A", "B"}


def test_route_targets_join_vrf_contexts(case):
    case.iface("PE1", "Gi0/0/1", "10.9.0.1/24", vrf="GA").iface("PE2", "Gi0/0/1", "10.0.0.1/12", vrf="gongan")
    assert len(find_conflicts(case.inv(), pools={})) == 1
    case.rows.add("vrfs", {"device": "PE1", "vrf": "GA", "import_rt": "65010:301", "export_rt": "65010:301"})
    case.rows.add("vrfs", {"device": "PE2", "vrf": "gongan", "import_rt": "65010:301", "export_rt": "65010:301"})
    assert find_conflicts(case.inv(), pools={}).empty


def test_departments_differ(case):
    # a public block claimed by department 乙's exit sheet is configured on department 甲's router
    case.device("JIA-R1", department="甲局")
    case.iface("JIA-R1", "Gi0/0/9", "203.0.113.2/30", department="甲局")
    case.ranges("", ["203.0.113.0/29"], "乙局", origin="exit")
    case.ranges("", ["203.0.113.0/30"], "甲局", origin="exit")  # 甲's own exit row: the same line
    c = find_conflicts(case.inv(), pools={})
    assert sorted((r.kind, r.a_prefix, r.a_department, r.b_prefix, r.b_department) for r in c.itertuples()) == [
        ("contains", "203.0.113.0/29", "乙局", "203.0.113.0/30", "甲局"),
        ("contains", "203.0.113.0/29", "乙局", "203.0.113.0/30", "甲局")]
    assert {r.b_device for r in c.itertuples()} == {"JIA-R1", ""}


def test_overlap_with_a_pool(case):
    case.network("extranet-admin", "extranet_admin", "市大数据局", prefixes=["10.0.0.0/12"])
    case.network("caizheng", "gov_private", "市财政局", prefixes=["10.4.0.0/20"])
    case.network("jiaoyu", "gov_private", "市教育局", prefixes=["10.15.0.0/16", "172.20.0.0/16"])
    case.network("ga-vpn", "extranet_vpn", "市公安局", prefixes=["10.6.0.0/16"])    # extranet: inside its plan
    case.network("dept-lan", "lan", "市民政局", prefixes=["10.7.1.0/24"])          # a LAN block handed out
    case.network("far", "gov_private", "市应急局", prefixes=["172.18.0.0/16"])
    c = find_conflicts(case.inv())  # default pools: the manifest extranet ranges
    got = {(r.kind, r.a_network, r.a_prefix, r.b_network, r.b_prefix) for r in c.itertuples()}
    assert got == {("pool", "caizheng", "10.4.0.0/20", "extranet_admin", "10.0.0.0/12"),
                   ("pool", "jiaoyu", "10.15.0.0/16", "extranet_admin", "10.0.0.0/12"),
                   # two extranet networks are two routing domains: a range pair, not a pool row
                   ("contains", "extranet-admin", "10.0.0.0/12", "ga-vpn", "10.6.0.0/16")}
    explicit = find_conflicts(case.inv(), pools={"extranet_public": ["172.16.0.0/12"]})
    assert {(r.kind, r.a_network) for r in explicit.itertuples() if r.kind == "pool"} == {
        ("pool", "jiaoyu"), ("pool", "far")}
    assert {r.kind for r in explicit.itertuples() if {r.a_network, r.b_network} == {"caizheng",
                                                                                      "extranet-admin"}} == {"contains"}


def test_duplicate_ip_across_networks_and_on_one_device(case):
    case.network("renshe", "business_private", "人社局").network("yibao", "business_private", "医保局")
    case.iface("RS-R1", "Vlanif10", "192.168.10.1/26", network="renshe", department="人社局")
    case.iface("YB-R2", "Gi0/0/7", "192.168.10.1/26", network="yibao", department="医保局")
    case.iface("R9", "Gi0/0/1", "10.0.0.1/24", vrf="A").iface("R9", "Gi0/0/2", "10.0.0.1/24", vrf="A")
    c = find_conflicts(case.inv(), pools={})
    dups = c[c["kind"] == "duplicate-ip"]
    assert {(r.overlap, r.a_device, r.b_device) for r in dups.itertuples()} == {
        ("192.168.10.1", "RS-R1", "YB-R2"), ("10.0.0.1", "R9", "R9")}
    assert _kinds(c) == ["duplicate-ip", "duplicate-ip", "identical"]


def test_conflicts_are_deterministic(case):
    case.network("a", "gov_private", "甲局", prefixes=["10.0.0.0/16"])
    case.network("b", "gov_private", "乙局", prefixes=["10.0.5.0/24", "10.0.0.0/16"])
    case.network("c", "gov_private", "丙局", prefixes=["10.0.128.0/17", "10.0.200.0/22"])
    one, two = find_conflicts(case.inv()), find_conflicts(case.inv())
    assert one.equals(two) and len(one) == 3


def test_each_overlap_is_reported_by_the_widest_ranges(case):
    # b's interface subnets and its /24 sit inside b's own /16: a's /16 against b's /16 says it all
    case.network("a", "gov_private", "甲局", prefixes=["10.0.0.0/16"])
    case.network("b", "gov_private", "乙局", prefixes=["10.0.5.0/24", "10.0.0.0/16"])
    case.iface("B-R1", "Vlanif10", "10.0.5.1/26", network="b", department="乙局")
    case.iface("B-R1", "Gi0/0/1", "10.0.9.1/30", network="b", department="乙局")
    case.iface("A-R1", "Gi0/0/1", "10.0.9.1/30", network="a", department="甲局")  # and a duplicate
    c = find_conflicts(case.inv())
    assert sorted((r.kind, r.a_prefix, r.b_prefix) for r in c.itertuples()) == [
        ("duplicate-ip", "10.0.9.1/30", "10.0.9.1/30"), ("identical", "10.0.0.0/16", "10.0.0.0/16")]


# --- the sweep against all pairs ---------------------------------------------------------------
def _random_prefixes(n, seed):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        plen = rng.randint(8, 30)
        addr = rng.getrandbits(32) & ~((1 << (32 - plen)) - 1)
        addr = (10 << 24) | (addr & 0x00FFFFFF) if plen >= 12 else addr  # crowd 10/8 so overlaps abound
        out.append(str(IPNetwork(f"{addr >> 24}.{(addr >> 16) & 255}.{(addr >> 8) & 255}.{addr & 255}/{plen}").cidr))
    return out


def test_sweep_equals_all_pairs_on_random_intervals():
    prefixes = _random_prefixes(2000, 7)
    spans = [(IPNetwork(p).first, IPNetwork(p).last) for p in prefixes]
    got = {tuple(sorted(p)) for p in overlapping_pairs(spans)}
    brute = {(i, j) for i in range(len(spans)) for j in range(i + 1, len(spans))
             if spans[i][0] <= spans[j][1] and spans[j][0] <= spans[i][1]}
    assert got == brute
    assert len(brute) > 2000  # the case has real overlaps to find


def test_find_conflicts_equals_brute_force_on_2000_random_prefixes():
    prefixes = _random_prefixes(2000, 11)
    rng = random.Random(3)
    rows = Rows()
    owner = {}
    for k, p in enumerate(prefixes):
        net = f"n{rng.randrange(40):02d}"
        owner.setdefault(net, set()).add(p)
        rows.add("prefixes", {"prefix": p, "family": 4, "network": net, "origin": "manifest",
                              "source": "inventory.yaml", "location": f"networks.{net}.prefixes[{k}]"})
    for net in owner:
        rows.add("networks", {"network": net, "name": net, "kind": "gov_private"})
    c = find_conflicts(Inventory.from_rows(rows), pools={})
    got = {(frozenset({(r.a_prefix, r.a_network), (r.b_prefix, r.b_network)}), r.kind) for r in c.itertuples()}
    ranges = sorted({(p, n) for n, ps in owner.items() for p in ps})
    net = [IPNetwork(p) for p, _ in ranges]
    # a range strictly inside another range of its own network is reported through that one
    widest = [not any(ranges[k][1] == ranges[i][1] and k != i and net[i] in net[k] and net[i] != net[k]
                      for k in range(len(ranges))) for i in range(len(ranges))]
    brute = set()
    for i in range(len(ranges)):
        for j in range(i + 1, len(ranges)):
            if ranges[i][1] == ranges[j][1] or not (widest[i] and widest[j]):
                continue
            a, b = net[i], net[j]
            if a.first <= b.last and b.first <= a.last:
                kind = relation((a.first, a.last), (b.first, b.last))
                brute.add((frozenset({ranges[i], ranges[j]}), kind))
    assert got == brute
    assert len(c) == len(brute) > 1000


@pytest.mark.parametrize("spans,pairs", [
    ([], set()), ([(0, 0)], set()), ([(0, 9), (10, 19)], set()), ([(0, 9), (9, 19)], {(0, 1)}),
    ([(5, 5), (0, 9), (0, 9)], {(0, 1), (0, 2), (1, 2)}),
])
def test_sweep_edges(spans, pairs):
    assert {tuple(sorted(p)) for p in overlapping_pairs(spans)} == pairs


def _duplicates_plain(inv):
    """overlaps._duplicates as first written: every interface prefix row read into the lookup, the
    VXLAN devices found by pandas' string methods."""
    from netaddr import IPAddress

    from netconsol.analyze import overlaps as o

    nets = {}
    for origin, device, interface, prefix, network, department in o.tuples(
            inv["prefixes"], ("origin", "device", "interface", "prefix", "network", "department")):
        if origin == "interface":
            nets[(device, interface, prefix)] = (network, department)
    itf = inv["interfaces"]
    names = itf["interface"].str.lower()
    vteps = set(itf.loc[names.str.startswith("vxlan") | names.str.startswith("nve"), "device"])
    out = []
    for (fam, n), owners in o._held_twice(itf).items():
        if len(owners) < 2:
            continue
        keys = sorted(owners)
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                (ra, _, gw_a), (rb, _, gw_b) = owners[keys[x]], owners[keys[y]]
                if ra.device == rb.device and o._s(ra.vrf) != o._s(rb.vrf):
                    continue
                if gw_a and gw_b:
                    kind = "shared-by-design"
                elif gw_a or gw_b:
                    kind = "duplicate-ip"
                else:
                    kind = ("shared-by-design" if ra.kind == rb.kind == "loopback" and ra.device != rb.device
                            and ra.device in vteps and rb.device in vteps else "duplicate-ip")
                cols = {}
                for p, r in (("a", ra), ("b", rb)):
                    net, dept = nets.get((r.device, r.interface, o._s(r.subnet)), ("", ""))
                    cols.update({f"{p}_prefix": o._s(r.address), f"{p}_network": net, f"{p}_vrf": r.vrf,
                                 f"{p}_device": r.device, f"{p}_interface": r.interface, f"{p}_department": dept})
                sig_a, sig_b = f"{fam}|{n}|{ra.device}|{ra.interface}", f"{fam}|{n}|{rb.device}|{rb.interface}"
                row = {"conflict": o._cid(kind, sig_a, sig_b), "kind": kind, **cols,
                       "overlap": str(IPAddress(n, fam)), "addresses": 1, "source": ra.source,
                       "location": ra.location}
                out.append(((fam, n, -n, o.KIND_ORDER.index(kind)), row))
    return out, vteps


@pytest.mark.parametrize("seed", range(5))
def test_duplicates_equal_the_plain_computation(seed):
    """Random interfaces sharing addresses (own and gateway ones, loopbacks on VXLAN devices, names
    in any case, shut ports, unnumbered ones) and prefix rows of many other devices: the duplicate
    rows (read from their devices' prefix rows only) and the VXLAN devices (found in Python) equal
    those of the plain computation."""
    from netconsol.analyze import overlaps as o

    rng = random.Random(seed)
    rows = Rows()
    for k in range(300):
        dev = f"R{rng.randrange(40)}"
        name = rng.choice(["Vxlan1", "VXLAN2", "nve1", "NVE7", "xvxlan", "Loopback0", "Gi0/1", "Vlanif10", ""])
        ip = f"10.0.{rng.randrange(3)}.{rng.randrange(1, 6)}"
        subnet = f"10.0.{ip.split('.')[2]}.0/24"
        rows.add("interfaces", {
            "device": dev, "interface": name or f"Eth{k}", "ip": ip, "address": f"{ip}/24", "subnet": subnet,
            "vrf": rng.choice(["", "", "blue"]), "admin_up": rng.choice([True, True, False, None]),
            "kind": rng.choice(["loopback", "physical"]), "unnumbered": rng.choice(["", "", "Loopback0"]),
            "gateways": rng.choice(["", "", f"10.0.{rng.randrange(3)}.{rng.randrange(1, 6)}"]),
            "source": f"{dev}.cfg", "location": f"line {k}"})
        rows.add("prefixes", {"prefix": subnet, "family": 4, "network": f"n{k % 7}",
                              "department": rng.choice(["", "dept A", "dept B"]), "device": dev,
                              "interface": name or f"Eth{k}", "origin": rng.choice(["interface", "interface", "sheet"]),
                              "source": f"{dev}.cfg", "location": f"line {k}"})
    for k in range(500):   # other devices' rows, never a duplicate's
        rows.add("prefixes", {"prefix": f"10.9.{k % 250}.0/24", "family": 4, "network": "other",
                              "device": f"S{k}", "interface": "Gi0/0", "origin": "interface",
                              "source": "s.cfg", "location": f"line {k}"})
    inv = Inventory.from_rows(rows)
    want, vteps = _duplicates_plain(inv)
    assert o._vtep_devices(inv) == vteps
    assert o._duplicates(inv) == want
    assert want and any(r["a_network"] for _, r in want)   # rows found, their networks looked up
