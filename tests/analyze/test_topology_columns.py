"""The column-wise link inference and graph equal the row-by-row computation they replaced
(``rowwise_topology.py``, a copy of it), on random inventories with hostile rows: IPv6 and
link-local addresses, /0 /31 /32 /127 /128, host bits set, malformed and non-canonical addresses,
missing prefix lengths and admin states, shut parents, unnumbered ports, VRFs sharing route
targets, labels with quotes, newlines and formula prefixes; and the bulk address readers equal
ip_int / net_bounds (netaddr) text by text."""
import random

import pytest
from netaddr import IPAddress, IPNetwork
from rowwise_topology import build_graph as rowwise_graph
from rowwise_topology import infer_links as rowwise_links
from rowwise_topology import interface_addresses as rowwise_addresses

from netconsol.analyze import link
from netconsol.analyze import topology as topo
from netconsol.inventory import Inventory, Rows

HOSTILE = ["10.1.1.5", "0.0.0.0", "255.255.255.255", "256.1.1.1", "10.01.1.1", "10.1.1.1 ", " 10.1.1.1", "10.1.1",
           "10..1.1", "10.1.1.1.", ".10.1.1", "1.2.3.4\x00", "1.2.3.04", "001.2.3.4", "1.2.3.4/24", "a.b.c.d",
           "١.٢.٣.٤", "1.2.3.4444", "12345678901234567890", "", "10.1.1.1\n", "2001:db8::1", "::", "fe80::1",
           "::ffff:10.1.1.1", "10.1.1.+1", "10.1.1.-1", "0.0.0.00", "9.9.9.9", "99.99.99.99", "199.250.255.255"]
HOSTILE_CIDRS = ["10.1.1.5/24", "0.0.0.0/0", "0.0.0.0/00", "255.255.255.255/32", "10.1.1.1/08", "10.1.1.1/8",
                 "10.1.1.1/33", "10.1.1.1/ 24", "10.1.1.1/-1", "10.1.1.1/", "/24", "10.1.1/24", "10.01.1.1/24",
                 "10.1.1.1/24/1", "10.1.1.1", "1.2.3.4/3a", "1.2.3.4/٣", "2001:db8::1/64", "::/0", "::1/128",
                 "fe80::1/64", "10.1.1.0/31", "10.1.1.1/32", "100.100.100.100/24", "10.1.1.1/24\x00", "1.2.3.4/320",
                 "1.2.3.4//24", "1.2.3/4.5"]


def _netaddr_ip(t):
    try:
        a = IPAddress(t)
        return (a.version, int(a))
    except Exception:  # noqa: BLE001 - whatever netaddr refuses is left out
        return None


def _netaddr_net(t):
    try:
        n = IPNetwork(t)
        return (n.version, n.first, n.last)
    except Exception:  # noqa: BLE001
        return None


def _random_quads(rng, k, prefix):
    out = []
    for _ in range(k):
        parts = [str(rng.choice([0, 1, 9, 10, 99, 100, 199, 255, 256, 999, rng.randrange(256)])) for _ in range(4)]
        if rng.random() < 0.05:
            parts[rng.randrange(4)] = "0" + parts[0]
        t = ".".join(parts)
        if prefix:
            t += "/" + rng.choice(["0", "8", "24", "30", "31", "32", "33", "08", "", str(rng.randrange(40))])
        out.append(t)
    return out


def test_bulk_address_readers_equal_netaddr_text_by_text():
    rng = random.Random(23)
    ips = HOSTILE + _random_quads(rng, 3000, False)
    cidrs = HOSTILE_CIDRS + _random_quads(rng, 3000, True)
    topo._IP_CACHE.clear()
    topo._NET_CACHE.clear()
    got_ips, got_nets = topo.ip_ints(ips), topo.nets_bounds(cidrs)
    assert got_ips == [_netaddr_ip(t) for t in ips]
    assert got_nets == [_netaddr_net(t) for t in cidrs]
    # the numpy path read the canonical quads itself (not the one-by-one fallback), and filled the caches
    idx, _, _ = topo._dotted_quads(cidrs, True)
    assert len(idx) > 500 and "10.1.1.1/08" not in {cidrs[i] for i in idx}
    assert all(topo._NET_CACHE[t] == v for t, v in zip(cidrs, got_nets) if v is not None)
    assert all(topo._IP_CACHE[t] == v for t, v in zip(ips, got_ips) if v is not None)
    assert topo.ip_ints([]) == [] and topo.nets_bounds([]) == []


TEXTS = ["", 'say "hi"', "line\nbreak", "=HYPERLINK(\"x\")", "+1", "-2", "@a", "TO_D3", "to d1 uplink", "D10-link"]


def _subnets(rng):
    out = []
    for k in range(12):
        base = f"10.{rng.randrange(3)}.{k}."
        out.append(("4", base, rng.choice([24, 30, 31, 32, 26])))
    out += [("6", "2001:db8:1::", 64), ("6", "2001:db8:2::", 127), ("6", "2001:db8:3::", 128),
            ("6", "fe80::", 64), ("4", "192.168.0.", 0)]
    return out


def random_inventory(seed: int) -> Inventory:
    rng = random.Random(seed)
    rows = Rows()
    devs = [f"D{i}" for i in range(14)]
    nets = [("n-admin", "extranet_admin", "Dept-A"), ("n-vpn", "extranet_vpn", ""), ("n-a", "business_private", "Dept-A"),
            ("n-b", "business_private", "Dept-B"), ("n-intra", "intranet", "")]
    for nid, kind, dept in nets:
        rows.add("networks", {"network": nid, "name": rng.choice([nid, "", 'net "q"']), "kind": kind,
                              "department": dept, "district": rng.choice(["", "Dist1"]), "source": "inventory.yaml",
                              "location": f"networks.{nid}"})
    for p, nid in [("10.0.0.0/16", "n-admin"), ("10.1.0.0/16", "n-a"), ("10.2.0.0/24", "n-vpn"),
                   ("2001:db8::/32", "n-b"), ("10.2.0.0/8", "n-intra")]:
        rows.add("prefixes", {"prefix": p, "family": 6 if ":" in p else 4, "network": nid,
                              "origin": rng.choice(["manifest", "sheet"]), "source": "inventory.yaml", "location": "x"})
    rows.add("units", {"unit": "City", "name": "City", "level": "city"})
    rows.add("units", {"unit": "Dist1", "name": "Dist1", "level": "district"})
    rows.add("units", {"unit": "Dist1/Town1", "name": "Town1", "level": "town", "district": "Dist1"})
    rows.add("units", {"unit": "dept:Dept-A", "name": "Dept-A", "level": "department", "district": "Dist1"})
    for d in devs[:11]:   # D11-D13: devices only the interfaces and links name
        rows.add("devices", {"device": d, "vendor": "huawei", "platform": "vrp",
                             "department": rng.choice(["", "", "Dept-A", "Dept-B"]),
                             "district": rng.choice(["", "Dist1", "Dist2"]), "town": rng.choice(["", "Town1", "TownX"]),
                             "network": rng.choice(["", "n-admin", "n-a", "n-vpn", "unknown-net"]),
                             "role": rng.choice(["", "", "pe", "core", "ce"]), "model": rng.choice(["", "AR"]),
                             "site": rng.choice(["", "s1"]), "source": f"{d}.cfg", "location": "file"})
    for d in rng.sample(devs, 6):
        rows.add("vrfs", {"device": d, "vrf": rng.choice(["GA", "SF", "mgmt"]),
                          "export_rt": rng.choice(["", "100:1", "100:2 100:3"]),
                          "import_rt": rng.choice(["", "100:1", "100:3"]), "source": f"{d}.cfg", "location": "x"})
    subnets = _subnets(rng)
    line = 0
    for _ in range(rng.randrange(60, 120)):
        d = rng.choice(devs)
        fam, base, plen = rng.choice(subnets)
        host = rng.choice([1, 2, 3, 5, 9, 0, 255]) if fam == "4" else rng.choice([1, 2, 3, 0])
        ip = f"{base}{host}" if fam == "4" else f"{base}{host:x}"
        width = 32 if fam == "4" else 128
        net = IPNetwork(f"{ip}/{plen}")
        subnet = str(net.cidr)
        prefixlen = plen
        r = rng.random()
        if r < 0.04:
            ip = ip.replace("10.", "010.", 1)          # non-canonical: netaddr refuses
        elif r < 0.07:
            subnet = f"{ip}/{plen}"                     # host bits set in the subnet column
        elif r < 0.10:
            prefixlen = None
        elif r < 0.12:
            ip, subnet = "", ""
        elif r < 0.14:
            subnet = "not-a-subnet"
        line += 1
        itf = rng.choice(["Gi0/1", "Gi0/2", "Gi0/1.100", "Vlanif10", "Vlanif20", "LoopBack0", "MEth0"])
        kind = {"G": "physical", "V": "vlan", "L": "loopback", "M": "management"}[itf[0]]
        if "." in itf:
            kind = "subinterface"
        rows.add("interfaces", {
            "device": d, "interface": itf, "kind": kind, "parent": "Gi0/1" if "." in itf else "",
            "description": rng.choice(TEXTS + [f"TO_{rng.choice(devs)}"]),
            "admin_up": rng.choice([True, True, True, False, None]), "address": f"{ip}/{plen}" if ip else "",
            "ip": ip, "prefixlen": prefixlen if prefixlen is None or prefixlen <= width else None, "subnet": subnet,
            "family": int(fam), "secondary": rng.random() < 0.1, "vrf": rng.choice(["", "", "GA", "SF", "mgmt"]),
            "unnumbered": "LoopBack0" if rng.random() < 0.05 else "", "gateways": rng.choice(["", "10.0.0.1"]),
            "vlan": rng.choice([None, 10, 20]), "source": f"{d}.cfg", "location": f"line {line}"})
        if subnet and rng.random() < 0.8:
            rows.add("prefixes", {"prefix": subnet, "family": int(fam), "device": d, "interface": itf,
                                  "origin": "interface", "network": rng.choice(["", "", "n-admin", "n-a", "n-b", "n-vpn",
                                                                                "n-intra"]),
                                  "department": rng.choice(["", "Dept-A", "Dept-B"]), "source": f"{d}.cfg",
                                  "location": f"line {line}"})
    for _ in range(rng.randrange(6)):
        a, b = rng.sample(devs, 2)
        rows.add("links", {"a_device": a, "a_interface": "Gi0/1", "b_device": b, "b_interface": "Gi0/2",
                           "subnet": rng.choice(["", "10.0.1.0/30"]), "evidence": rng.choice(["lldp", "subnet", "sheet cdp"]),
                           "source": "x", "location": "y"})
    for k in range(rng.randrange(3)):
        rows.add("exits", {"exit": f"X{k}", "department": rng.choice(["", "Dept-A"]), "district": "Dist1",
                           "town": rng.choice(["", "Town1"]), "device": rng.choice(devs + ["nowhere"]),
                           "interface": "Gi0/2", "carrier": "c", "evidence": "e", "public_range": "198.51.100.0/29"})
    return Inventory.from_rows(rows)


def _graph_as_lists(g):
    return ([(n, list(d.items())) for n, d in g.nodes(data=True)],
            [(u, v, list(d.items())) for u, v, d in g.edges(data=True)],
            [(n, list(g.adj[n])) for n in g])


@pytest.mark.parametrize("seed", range(40))
def test_columns_equal_the_row_by_row_computation(seed):
    inv = random_inventory(seed)
    vctx = topo.vrf_contexts(inv)
    cols = topo.interface_addresses(inv, vctx)
    want = rowwise_addresses(inv, vctx)
    assert topo.address_rows(cols) == want
    assert list(cols) == list(topo.ADDRESS_KEYS) and all(len(v) == len(want) for v in cols.values())
    links = topo.infer_links(inv, addrs=cols)
    assert links.equals(rowwise_links(inv, addrs=want))
    assert _graph_as_lists(topo.build_graph(inv, links, addrs=cols)) == \
        _graph_as_lists(rowwise_graph(inv, links, addrs=want))
    linked = link(inv)
    assert linked.links.equals(links) and topo.address_rows(linked.addrs) == want


def test_random_inventories_exercise_the_hostile_rows():
    """The generator gives what the comparison above is about: links, candidates or several-context
    subnets, dropped rows, link-local and loopback addresses that do not link."""
    seen = set()
    for seed in range(40):
        inv = random_inventory(seed)
        rows = topo.address_rows(topo.interface_addresses(inv))
        links = topo.infer_links(inv)
        seen |= {"link"} if (links["status"] == "link").any() else set()
        seen |= {"dropped"} if len(rows) < len(inv["interfaces"]) else set()
        seen |= {"link-local"} if any(r["link_local"] for r in rows) else set()
        seen |= {"unlinkable"} if any(not r["linkable"] for r in rows) else set()
        seen |= {"ipv6"} if any(r["family"] == 6 for r in rows) else set()
    assert seen == {"link", "dropped", "link-local", "unlinkable", "ipv6"}


def test_empty_inventory():
    inv = Inventory.from_rows(Rows())
    cols = topo.interface_addresses(inv)
    assert list(cols) == list(topo.ADDRESS_KEYS) and all(v == [] for v in cols.values())
    assert len(topo.infer_links(inv, addrs=cols)) == 0
    assert topo.build_graph(inv, addrs=cols).number_of_nodes() == 0
