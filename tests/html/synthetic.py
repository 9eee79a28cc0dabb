"""A seeded, demo-like topology graph of any size, shaped like ``build_graph``'s output.

A city unit; districts with towns and bureaus; the two extranet domains in the centre;
per town access routers on the administrative domain with a LAN and sometimes an internet
exit; per department a CE and, for some, a private network with its routers; /30 subnets
between linked devices.  Same (nodes, seed), same graph.  Used by the browser tests and
``benchmarks/bench_html.py`` so neither depends on a collected corpus for size.
"""
from __future__ import annotations

import random

import networkx as nx

KEYS = ("type", "label", "vendor", "platform", "department", "district", "town", "network", "kind",
        "addresses", "carrier", "evidence")
CARRIERS = ("China Telecom", "China Unicom", "China Mobile")


def demo_like_graph(nodes: int = 10_000, seed: int = 2017, districts: int | None = None) -> nx.Graph:
    rnd = random.Random(seed)
    g = nx.Graph()
    addr = iter(range(1, 1 << 24))

    def add(nid, **attrs):
        base = {k: "" for k in KEYS}
        base.update(attrs)
        g.add_node(nid, **base)
        return nid

    def subnet_between(a, b, net):
        n = next(addr)
        cidr = f"10.{(n >> 14) & 255}.{(n >> 6) & 255}.{(n & 63) * 4}/30"
        sid = add(f"subnet:{net}|{cidr}", type="subnet", label=cidr, network=net, kind="subnet",
                  addresses=cidr)
        g.add_edge(a, sid, type="address")
        g.add_edge(b, sid, type="address")
        g.add_edge(sid, f"network:{net}", type="member")
        g.add_edge(a, b, type="link", evidence="subnet", interfaces="Gi0/0/1--Gi0/0/2", subnet=cidr, count=1)

    city = add("unit:示例市", type="unit", label="示例市", kind="city")
    add("network:extranet-admin", type="network", label="电子政务外网行政服务域", kind="extranet_admin",
        department="市大数据局", network="extranet-admin")
    add("network:extranet-public", type="network", label="电子政务外网公共服务域", kind="extranet_public",
        department="市大数据局", network="extranet-public")
    core = add("device:CITY-CORE-01", type="device", label="CITY-CORE-01", vendor="huawei", platform="vrp",
               department="市大数据局", network="extranet-admin", kind="core")
    g.add_edge(core, "network:extranet-admin", type="member")
    # about 7.5 graph nodes per town device on average (device, subnet, LAN, units, exits)
    n_districts = districts or max(3, min(40, nodes // 800))
    towns_per = max(2, nodes // (n_districts * 7) + 1)
    privates = []
    for i in range(max(2, min(30, nodes // 300))):
        dept = f"市部门{i:02d}"
        net = f"private-{i:02d}"
        privates.append(net)
        add(f"network:{net}", type="network", label=f"专网{i:02d}", kind=rnd.choice(["gov_private",
                                                                                     "business_private"]),
            department=dept, network=net, carrier=rnd.choice(CARRIERS))
        u = add(f"unit:dept:{dept}", type="unit", label=dept, kind="department")
        g.add_edge(u, city, type="part_of")
        g.add_edge(f"network:{net}", u, type="owned")
        ce = add(f"device:P{i:02d}-CE01", type="device", label=f"P{i:02d}-CE01", vendor="cisco", platform="ios",
                 department=dept, network="extranet-admin", kind="ce")
        g.add_edge(ce, u, type="owned")
        g.add_edge(ce, "network:extranet-admin", type="member")
        subnet_between(core, ce, "extranet-admin")
        prev = ce
        for r in range(1, 4):
            d = add(f"device:P{i:02d}-R{r:02d}", type="device", label=f"P{i:02d}-R{r:02d}", vendor="huawei",
                    platform="vrp", department=dept, network=net, kind="router")
            g.add_edge(d, u, type="owned")
            g.add_edge(d, f"network:{net}", type="member")
            subnet_between(prev, d, net)
            prev = d
    x = 0
    for di in range(n_districts):
        dist = f"区县{di:02d}"
        du = add(f"unit:{dist}", type="unit", label=dist, kind="district", district=dist)
        g.add_edge(du, city, type="part_of")
        pe = add(f"device:D{di:02d}-PE01", type="device", label=f"D{di:02d}-PE01", vendor="huawei", platform="vrp",
                 department=f"{dist}大数据中心", district=dist, network="extranet-admin", kind="pe")
        g.add_edge(pe, "network:extranet-admin", type="member")
        g.add_edge(pe, du, type="located")
        subnet_between(core, pe, "extranet-admin")
        for b in range(3):
            dept = f"{dist}局{b}"
            bu = add(f"unit:dept:{dept}", type="unit", label=dept, kind="department", district=dist)
            g.add_edge(bu, du, type="part_of")
            ce = add(f"device:D{di:02d}-B{b}-CE01", type="device", label=f"D{di:02d}-B{b}-CE01", vendor="h3c",
                     platform="comware", department=dept, district=dist, network="extranet-admin", kind="ce")
            g.add_edge(ce, bu, type="owned")
            g.add_edge(ce, du, type="located")
            g.add_edge(ce, "network:extranet-admin", type="member")
            subnet_between(pe, ce, "extranet-admin")
        for t in range(towns_per):
            town = f"镇{di:02d}{t:03d}"
            dept = f"{town}人民政府"
            tu = add(f"unit:{dist}/{town}", type="unit", label=town, kind="town", district=dist, town=town)
            g.add_edge(tu, du, type="part_of")
            ou = add(f"unit:dept:{dept}", type="unit", label=dept, kind="department", district=dist)
            g.add_edge(ou, du, type="part_of")
            lan = f"{dept}/LAN"
            add(f"network:{lan}", type="network", label="便民服务中心局域网", kind="lan", department=dept,
                district=dist, town=town, network=lan)
            g.add_edge(f"network:{lan}", tu, type="located")
            g.add_edge(f"network:{lan}", ou, type="owned")
            prev = pe
            for a in range(1 if rnd.random() < 0.6 else 2):
                name = f"D{di:02d}-T{t:03d}-AR{a + 1:02d}"
                d = add(f"device:{name}", type="device", label=name, vendor=rnd.choice(["huawei", "h3c"]),
                        platform="vrp", department=dept, district=dist, town=town, network="extranet-admin",
                        kind="access", addresses=f"10.{di}.{t % 256}.{a + 1}/24")
                g.add_edge(d, tu, type="located")
                g.add_edge(d, ou, type="owned")
                g.add_edge(d, "network:extranet-admin", type="member")
                subnet_between(prev, d, "extranet-admin")
                lan_sid = add(f"subnet:{lan}|192.168.{t % 256}.0/24", type="subnet", label=f"192.168.{t % 256}.0/24",
                              network=lan, kind="subnet", addresses=f"192.168.{t % 256}.1/24")
                g.add_edge(d, lan_sid, type="address")
                g.add_edge(lan_sid, f"network:{lan}", type="member")
                prev = d
                if rnd.random() < 0.15:
                    x += 1
                    xid = add(f"exit:X{x:05d}", type="exit", label=f"X{x:05d}", kind="internet", department=dept,
                              district=dist, town=town, carrier=rnd.choice(CARRIERS),
                              evidence="default-route nat-outbound", addresses=f"198.51.100.{x % 64 * 4}/30")
                    g.add_edge(xid, d, type="exit", interface="GigabitEthernet0/0/2")
                    g.add_edge(xid, tu, type="located")
            if g.number_of_nodes() >= nodes:
                break
        if g.number_of_nodes() >= nodes:
            break
    return g


def plan_tables(graph, seed: int = 7):
    """Merge and exit overlay tables for a demo-like graph: private networks to a domain, exits
    with dispositions, one unified exit."""
    import pandas as pd

    rnd = random.Random(seed)
    merge = [{"network": n.split(":", 1)[1], "target": rnd.choice(["extranet-admin", "extranet-public"])}
             for n, d in sorted(graph.nodes(data=True)) if d["type"] == "network"
             and d["kind"] in ("gov_private", "business_private")]
    exits = [{"exit": n.split(":", 1)[1], "disposition": rnd.choice(["keep_mandated", "migrate", "decommission"]),
              "target_site": "city-core"} for n, d in sorted(graph.nodes(data=True)) if d["type"] == "exit"]
    for e in exits:
        if e["disposition"] == "keep_mandated":
            e["target_site"] = ""
    unified = [{"site": "city-core", "name": "市大数据中心统一出口", "carrier": "China Telecom China Unicom"}]
    return pd.DataFrame(merge), pd.DataFrame(exits), pd.DataFrame(unified)
