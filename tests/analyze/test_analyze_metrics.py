"""Metrics and town/department status on a small hand-made district."""
import math

import pytest

from netconsol.analyze import analyze, build_graph, department_status, town_status


@pytest.fixture
def district(case):
    c = case
    c.unit("枣庄市", "city").unit("薛城区", "district", district="薛城区")
    for town, flag in (("临城街道", True), ("周营镇", False), ("沙沟镇", True), ("陶庄镇", True)):
        c.unit(f"薛城区/{town}", "town", district="薛城区", connected=flag)
    c.unit("dept:市公安局", "department").unit("dept:市民政局", "department", connected=False)
    c.unit("dept:薛城区教育局", "department", district="薛城区", connected=True)
    c.network("extranet-admin", "extranet_admin", "市大数据局", prefixes=["10.0.0.0/12"])
    c.network("extranet-public", "extranet_public", "市大数据局", prefixes=["10.16.0.0/12"])
    c.network("gongan-video", "business_private", "市公安局", prefixes=["172.20.0.0/16"])
    c.network("xc-lan", "lan", "薛城区教育局", district="薛城区", prefixes=["192.168.50.0/24"])
    c.device("XC-PE-01", "薛城区大数据中心", "薛城区", network="extranet-admin", role="pe")
    c.device("XC-LC-AR01", "临城街道办事处", "薛城区", "临城街道", network="extranet-admin", role="access")
    c.device("XC-SG-AR01", "沙沟镇人民政府", "薛城区", "沙沟镇", role="access")  # its uplink is not configured
    c.device("GA-CE01", "市公安局", role="ce")
    c.iface("XC-PE-01", "Gi1/0/1.200", "10.31.0.1/30", vrf="public", network="extranet-public",
            department="市大数据局")
    c.iface("XC-LC-AR01", "Gi0/0/0.200", "10.31.0.2/30", vrf="public", network="extranet-public",
            department="市大数据局")
    c.iface("XC-PE-01", "Gi1/0/2", "10.15.0.1/30", vrf="admin", network="extranet-admin", department="市大数据局")
    c.iface("GA-CE01", "Gi0/0/0", "10.15.0.2/30", network="extranet-admin", department="市大数据局")
    c.iface("XC-SG-AR01", "Gi0/0/0", "10.15.0.9/30", network="extranet-admin", department="市大数据局")
    c.rows.add("exits", {"exit": "S-1", "origin": "sheet", "department": "薛城区教育局", "district": "薛城区",
                         "source": "sheets/a.csv", "location": "row 3"})
    return c.inv()


def test_town_status(district):
    t = town_status(district).set_index("town")
    assert t.loc["临城街道", ["attached", "public", "basis"]].tolist() == [True, True, "graph"]
    assert t.loc["周营镇", ["attached", "public", "basis"]].tolist() == [False, False, "manifest"]
    assert t.loc["沙沟镇", ["attached", "basis"]].tolist() == [False, "graph (contradicts manifest)"]
    assert t.loc["陶庄镇", ["attached", "basis"]].tolist() == [True, "manifest"]
    assert t.loc["临城街道", "devices"] == "XC-LC-AR01"


def test_department_status(district):
    d = department_status(district).set_index("department")
    assert d.loc["市公安局", ["connected", "basis"]].tolist() == [True, "graph"]
    assert d.loc["市民政局", ["connected", "basis"]].tolist() == [False, "manifest"]
    assert d.loc["薛城区教育局", ["connected", "basis"]].tolist() == [True, "manifest"]


def test_metrics_table(district):
    out = analyze(district)
    assert out.validate() == []
    m = out["metrics"].set_index(["scope", "metric"])
    assert m.loc[("枣庄市", "town_connectivity"), ["numerator", "denominator"]].tolist() == [2, 4]
    assert m.loc[("枣庄市", "town_coverage_public"), "value"] == 0.5
    assert m.loc[("枣庄市", "connectivity_rate"), ["numerator", "denominator"]].tolist() == [2, 3]
    assert m.loc[("薛城区", "connectivity_rate"), ["numerator", "denominator"]].tolist() == [1, 1]
    assert m.loc[("枣庄市", "private_networks"), "value"] == 1
    assert m.loc[("枣庄市", "lan_networks"), "value"] == 1
    assert m.loc[("薛城区", "lan_networks"), "value"] == 1
    assert m.loc[("薛城区", "exits"), "value"] == 1
    assert math.isnan(m.loc[("枣庄市", "exits"), "denominator"])
    assert m.loc[("枣庄市", "conflicts"), "value"] == len(out["conflicts"])
    assert out["metrics"]["definition"].str.startswith("netconsol definition").all()
    assert set(out["metrics"]["level"]) == {"city", "district"}


def test_without_extranet_sources_towns_follow_the_manifest(case):
    case.unit("薛城区", "district", district="薛城区").unit("薛城区/临城街道", "town", district="薛城区",
                                                            connected=True)
    case.device("LC-AR01", district="薛城区", town="临城街道")
    t = town_status(case.inv())
    assert t.iloc[0][["attached", "basis"]].tolist() == [True, "manifest"]


def test_intranet_is_not_walked(case):
    case.unit("薛城区/临城街道", "town", district="薛城区", connected=True)
    case.network("extranet-admin", "extranet_admin", "市大数据局").network("shemi", "intranet", "市委办公室")
    case.device("PE", role="pe", network="extranet-admin").device("SM-R1", network="shemi")
    case.device("LC-R1", district="薛城区", town="临城街道")
    # the rule never links them; even a recorded link does not carry attachment through the intranet
    case.rows.add("links", {"a_device": "PE", "a_interface": "Gi1", "b_device": "SM-R1", "b_interface": "Gi1",
                            "evidence": "sheet"})
    case.rows.add("links", {"a_device": "SM-R1", "a_interface": "Gi2", "b_device": "LC-R1", "b_interface": "Gi2",
                            "evidence": "sheet"})
    inv = case.inv()
    g = build_graph(inv)
    assert g.nodes["device:SM-R1"]["network"] == "shemi"
    assert town_status(inv, g).iloc[0]["attached"] == False  # noqa: E712 (numpy bool)


def test_first_name_in_equals_trying_every_name():
    """attachments' name lookup (substrings by length) answers what trying each name in list
    order answers, on random names (repeats, one name inside another, empty ones) and texts."""
    import random

    from netconsol.analyze.metrics import _first_name_in

    rnd = random.Random(2323)
    alphabet = "城关镇局区市教育abc"
    for _ in range(200):
        names = []
        for i in range(rnd.randint(0, 30)):
            word = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 5)))
            names.append((word, rnd.choice(("department", "town")), f"unit{rnd.randint(0, 9)}", f"d{i}"))
        names.sort(key=lambda x: (-len(x[0]), x[1], x[2]))
        first = _first_name_in(names)
        for _ in range(20):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12)))
            assert first(text) == next((n for n in names if n[0] and n[0] in text), None), (names, text)
            assert first(text) == first(text)   # the memo gives the same answer


def _attached_plain(graph):
    """attached() as first written: networkx's views at every step, nothing read ahead."""
    from collections import deque

    from netconsol.analyze.metrics import _WALK_EDGES, backbone
    from netconsol.analyze.topology import _s, node_id

    def blocked(n):
        d = graph.nodes[n]
        if d.get("type") not in ("device", "subnet"):
            return True
        return any(graph.nodes.get(node_id("network", x), {}).get("kind") == "intranet"
                   for x in _s(d.get("network")).split())

    starts = [n for n in backbone(graph) if not blocked(n)]
    seen = set(starts)
    queue = deque(starts)
    while queue:
        n = queue.popleft()
        for m in graph.neighbors(n):
            if m in seen or graph.edges[n, m].get("type") not in _WALK_EDGES or blocked(m):
                continue
            seen.add(m)
            queue.append(m)
    return seen


@pytest.mark.parametrize("seed", range(6))
def test_attached_equals_the_plain_walk(seed):
    """Random graphs: devices, subnets, networks (intranet among them, one named by a node of
    another type), nodes without a type, missing or odd network cells, every edge type."""
    import random

    import networkx as nx

    from netconsol.analyze.metrics import attached

    rnd = random.Random(seed)
    g = nx.Graph()
    nets = [f"N{i}" for i in range(6)]
    for i, x in enumerate(nets):
        g.add_node(f"network:{x}", type="network" if i != 5 else "subnet",
                   kind=rnd.choice(["intranet", "extranet_admin", "lan", "intranet"]))
    for i in range(120):
        kind = rnd.choice(["device", "subnet", "other", None])
        data = {"network": rnd.choice(["", None, float("nan"), "N0", "N1 N2", "N9", " N3  N4 ", "N5"])}
        if kind:
            data["type"] = kind
        if kind == "device":
            data["kind"] = rnd.choice(["pe", "core", "ce", ""])
        g.add_node(f"n{i}", **data)
    names = list(g.nodes)
    for _ in range(300):
        a, b = rnd.sample(names, 2)
        g.add_edge(a, b, **({"type": rnd.choice(["address", "link", "member", "owner"])} if rnd.random() < 0.9 else {}))
    want = _attached_plain(g)
    assert attached(g) == want
    assert seed or want   # the first graph reaches something: the walk is exercised
