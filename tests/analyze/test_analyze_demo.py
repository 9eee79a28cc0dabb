"""The demo city against its ground truth: every planted overlap, the duplicate address and
every unconnected town is found, and nothing else.

Ground truth format (netconsol/generate/truth.py, ``ground_truth.json``):
``overlaps[]``: {networks: [a, b], prefixes: [[prefix of a, prefix of b], ...], type, with_pool};
``duplicate_ips[]``: {ip, a: {device, interface, network}, b: {...}};
``unconnected_towns[]``: {district, town}; ``unconnected_departments[]``: names;
``pools``: {extranet_admin: CIDR, extranet_public: CIDR}.
"""
import json
from pathlib import Path

import pytest

from netconsol.analyze import analyze, department_status, town_status
from netconsol.collectors import collect

DEMO = Path(__file__).resolve().parents[2] / "inventories" / "zaozhuang-demo"


@pytest.fixture(scope="module")
def demo():
    assert (DEMO / "ground_truth.json").is_file(), f"the demo city is missing at {DEMO}"
    truth = json.loads((DEMO / "ground_truth.json").read_text(encoding="utf-8"))
    return analyze(collect([DEMO])), truth


def _network_of_domain(inv):
    """Pool rows name a domain (a kind); the truth names the network of that kind."""
    n = inv["networks"]
    return {k: sorted(n.loc[n["kind"] == k, "network"]) for k in ("extranet_admin", "extranet_public")}


def _pair(inv, r):
    b = r.b_network
    if r.kind == "pool":
        ids = _network_of_domain(inv)[b]
        assert len(ids) == 1, f"domain {b} maps to networks {ids}"
        b = ids[0]
    return frozenset({r.a_network, b})


def test_every_planted_overlap_is_found_and_nothing_else(demo):
    inv, truth = demo
    c = inv["conflicts"]
    ranges = c[c["kind"] != "duplicate-ip"]
    planted = {frozenset(o["networks"]) for o in truth["overlaps"]}
    # since the generator's issue-19 plants: the two departments' reused office LANs (identical) and
    # the VRRP virtual addresses (shared-by-design, one network on both sides) are conflict rows too
    planted |= {frozenset((r["a"]["network"], r["b"]["network"])) for r in truth["topology"]["reused_lans"]}
    planted |= {frozenset((r["network"],)) for r in truth["topology"]["vrrp_pairs"]}
    found = {_pair(inv, r) for r in ranges.itertuples(index=False)}
    assert found == planted
    # each overlapping prefix pair of the truth is a row (pool rows: the range against the pool)
    for o in truth["overlaps"]:
        a, b = o["networks"]
        for pa, pb in o["prefixes"]:
            assert any(_pair(inv, r) == frozenset({a, b})
                       and {pa, pb} <= set(r.a_prefix.split()) | set(r.b_prefix.split())
                       for r in ranges.itertuples(index=False)), (a, b, pa, pb)
    with_pool = {frozenset(o["networks"]) for o in truth["overlaps"] if o["with_pool"]}
    assert {_pair(inv, r) for r in ranges.itertuples(index=False) if r.kind == "pool"} == with_pool
    pools = {r.b_prefix for r in ranges.itertuples(index=False) if r.kind == "pool"}
    assert pools <= set(truth["pools"].values())


def test_the_duplicate_address_is_found_and_nothing_else(demo):
    inv, truth = demo
    c = inv["conflicts"]
    dups = c[c["kind"] == "duplicate-ip"]
    got = {(r.overlap, frozenset({(r.a_device, r.a_interface, r.a_network), (r.b_device, r.b_interface,
                                                                              r.b_network)}))
           for r in dups.itertuples(index=False)}
    want = {(d["ip"], frozenset({(d["a"]["device"], d["a"]["interface"], d["a"]["network"]),
                                 (d["b"]["device"], d["b"]["interface"], d["b"]["network"])}))
            for d in truth["duplicate_ips"]}
    assert got == want and len(want) == 1


def test_every_unconnected_town_is_found_and_nothing_else(demo):
    inv, truth = demo
    towns = town_status(inv)
    off = {(r.district, r.town) for r in towns.itertuples(index=False) if not r.attached}
    assert off == {(t["district"], t["town"]) for t in truth["unconnected_towns"]}
    # the connected towns are attached by links found in the configs, not by the manifest's word
    on = towns[towns["attached"]]
    assert (on["basis"] == "graph").all() and len(on) == len(towns) - len(off)
    m = inv["metrics"].set_index(["scope", "metric"])
    city = truth["city"]["name"]
    assert m.loc[(city, "town_connectivity"), ["numerator", "denominator"]].tolist() == [len(on), len(towns)]


def test_unconnected_departments(demo):
    inv, truth = demo
    d = department_status(inv)
    off = set(d.loc[~d["connected"], "department"])
    town_govs = {t["town"] + ("办事处" if t["town"].endswith("街道") else "人民政府") for t in truth["unconnected_towns"]}
    assert off == set(truth["unconnected_departments"]) | town_govs


def test_demo_links_and_metrics_fit_the_contract(demo):
    inv, truth = demo
    assert inv.validate() == []
    links = inv["links"]
    # every town access router has its admin and public /30s to its district PE
    routers = [h for h, d in truth["devices"].items() if d["role"] == "access"]
    for h in routers:
        peers = links[(links["a_device"] == h) | (links["b_device"] == h)]
        assert len(peers) >= 2, h
        assert all("-PE-" in (r.a_device + r.b_device) for r in peers.itertuples(index=False)), h
    m = inv["metrics"].set_index(["scope", "metric"])
    city = truth["city"]["name"]
    assert m.loc[(city, "exits"), "value"] == truth["totals"]["exits_before"]
    assert m.loc[(city, "duplicate_ips"), "value"] == len(truth["duplicate_ips"])
