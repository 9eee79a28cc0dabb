"""The generator's planted look-alikes (issues 17, 18, 19) against what netconsol finds.

The ground truth is written from what the generator planted (netconsol/generate/plants.py), never
from netconsol's analyzers; these tests compare the two on freshly generated cities.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import netconsol
from netconsol.analyze.overlaps import unused_allocations
from netconsol.generate import GenerateError, generate_city
from netconsol.generate.places import PROFILES

NON_EXITS = {"extranet_uplink", "vertical_uplink", "management", "dc_internal", "private_next_hop"}


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    out = tmp_path_factory.mktemp("plants") / "zz"
    generate_city(out, seed=2017)
    truth = json.loads((out / "ground_truth.json").read_text(encoding="utf-8"))
    return out, truth, netconsol.open(out)


def _pair(df, a, b):
    x = (df.a_device == a["device"]) & (df.a_interface == a["interface"]) & (df.b_device == b["device"]) & \
        (df.b_interface == b["interface"])
    y = (df.a_device == b["device"]) & (df.a_interface == b["interface"]) & (df.b_device == a["device"]) & \
        (df.b_interface == a["interface"])
    return df[x | y]


# --- issue 17: exit candidates ------------------------------------------------------------------
def test_every_non_exit_class_is_planted_across_vendors(city):
    _, truth, _ = city
    verdicts = {c["verdict"] for c in truth["exit_candidates"]}
    assert NON_EXITS | {"exit"} <= verdicts
    plats = {truth["devices"][c["device"]]["platform"] for c in truth["exit_candidates"] if c["verdict"] in NON_EXITS}
    assert {"vrp", "comware", "ios"} <= plats
    ext = [c for c in truth["exit_candidates"] if c["verdict"] == "extranet_uplink"]
    assert {truth["devices"][c["device"]]["platform"] for c in ext} == {"vrp", "comware", "ios"}
    assert all("nat-outbound" in c["evidence"] for c in ext)   # NAT hiding a LAN behind one extranet address
    cg = [e for e in truth["exits"] if e["access_type"] == "cgnat"]
    assert len(cg) == 1 and cg[0]["public_range"].startswith("100.")


def test_exit_candidates_match_the_truth(city):
    _, truth, p = city
    c = p.inventory["exit_candidates"]
    tool = {(r.device, r.interface): r.verdict for r in c.itertuples()}
    want = {(x["device"], x["interface"]): x["verdict"] for x in truth["exit_candidates"]}
    assert set(tool) == set(want)
    wrong = {k: (tool[k], want[k]) for k in want if tool[k] != want[k]}
    assert not wrong, wrong
    found = {k for k, v in tool.items() if v == "exit"}
    real = {k for k, v in want.items() if v == "exit"}
    tp = len(found & real)
    assert tp / len(found) == 1.0 and tp / len(real) == 1.0     # precision and recall on exits
    # every config exit of the truth is an exit row, the CGNAT line included
    cfg = {(e["device"], e["interface"]) for e in truth["exits"] if e["seen_in"] != "sheet"}
    assert cfg == real


def test_planted_non_exits_do_not_change_the_exit_count(city):
    _, truth, p = city
    ex = p.inventory["exits"]
    # one exits row per config exit and per sheet row: planted non-exits add none
    assert (ex.origin == "config").sum() == sum(1 for e in truth["exits"] if e["seen_in"] != "sheet")
    assert p.exit_plan().tables["summary"].set_index("metric").loc["exits", "before"] == len(truth["exits"])


def test_dynamic_sheet_exits_are_exits(city):
    _, truth, p = city
    dyn = [e for e in truth["exits"] if e["address_mode"] == "dynamic"]
    assert dyn, "the generator writes 动态地址/拨号/DHCP... in broadband exit rows"
    ex = p.inventory["exits"]
    got = ex[ex.address_mode == "dynamic"]
    assert len(got) == len(dyn)
    where = {(r.source, r.location) for r in got.itertuples()}
    for e in dyn:
        s = e["sheet"]
        loc = f"{s['sheet']}!row {s['row']}" if s["sheet"] else f"row {s['row']}"
        assert (s["file"], loc) in where, e["id"]


# --- issue 19: topology --------------------------------------------------------------------------
def test_reused_lans_are_conflicts_not_links(city):
    _, truth, p = city
    conf, links = p.conflicts(), p.links()
    reused = truth["topology"]["reused_lans"]
    assert len(reused) == 2
    for r in reused:
        a, b = r["a"], r["b"]
        assert a["department"] != b["department"]
        assert _pair(links, a, b).empty, r["subnet"]          # neither a link nor a candidate
        rows = conf[(conf.kind == "identical") & (conf.a_prefix == r["subnet"]) & (conf.b_prefix == r["subnet"])]
        assert {frozenset((x.a_device, x.b_device)) for x in rows.itertuples()} == \
            {frozenset((a["device"], b["device"]))}, r["subnet"]


def test_shut_stubs_are_allocated_unused_not_conflicts(city):
    _, truth, p = city
    conf, links = p.conflicts(), p.links()
    stubs = truth["topology"]["shut_stubs"]
    assert len(stubs) == 2
    info = {(i["column"], i["value"]) for i in unused_allocations(p.inventory)}
    for s in stubs:
        hit = conf[((conf.a_device == s["device"]) & (conf.a_interface == s["interface"]))
                   | ((conf.b_device == s["device"]) & (conf.b_interface == s["interface"]))]
        assert hit.empty, s
        assert (s["interface"], s["subnet"]) in info
        # the stub makes no link (nor a candidate); the interface holding the address live is up
        assert links[((links.a_device == s["device"]) & (links.a_interface == s["interface"]))
                     | ((links.b_device == s["device"]) & (links.b_interface == s["interface"]))].empty
        itf = p.inventory["interfaces"]
        live = itf[(itf.device == s["live"]["device"]) & (itf.interface == s["live"]["interface"])]
        assert len(live) == 1 and bool(live.iloc[0].admin_up)
        assert live.iloc[0].address.split("/")[0] == s["address"].split("/")[0] or \
            live.iloc[0].subnet == s["subnet"]


def test_vrrp_pairs_are_shared_by_design(city):
    _, truth, p = city
    conf, links = p.conflicts(), p.links()
    pairs = truth["topology"]["vrrp_pairs"]
    assert {x["a"]["platform"] for x in pairs} >= {"ios", "vrp"} or len(pairs) == 2
    sbd = conf[conf.kind == "shared-by-design"]
    assert {(x.overlap, frozenset((x.a_device, x.b_device))) for x in sbd.itertuples()} == \
        {(x["virtual_ip"], frozenset((x["a"]["device"], x["b"]["device"]))) for x in pairs}
    for x in pairs:
        assert not ((conf.kind == "duplicate-ip") & (conf.overlap == x["virtual_ip"])).any()
        ln = _pair(links, x["a"], x["b"])
        assert len(ln) == 1 and ln.iloc[0].status == "link"
    dup = conf[conf.kind == "duplicate-ip"]
    assert sorted(dup.overlap) == sorted(d["ip"] for d in truth["duplicate_ips"])


# --- issue 18: server rooms ----------------------------------------------------------------------
def test_rooms_read_back(city):
    _, truth, p = city
    rooms = p.inventory["rooms"]
    assert len(rooms) == len(truth["rooms"]) >= 7
    got = {(r.department, r.address): (r.servers, r.cloud, r.bandwidth_mbps,
                                       None if r.storage_tb != r.storage_tb else r.storage_tb)
           for r in rooms.itertuples()}
    for t in truth["rooms"]:
        assert got[(t["department"], t["location"])] == (t["servers"], t["cloud"], t["bandwidth_mbps"],
                                                          t["storage_tb"]), t
    districts = {t["district"] for t in truth["rooms"]}
    assert {d["name"] for d in yaml.safe_load((city[0] / "inventory.yaml").read_text(encoding="utf-8"))
            ["districts"]} <= districts


# --- a second city -------------------------------------------------------------------------------
def test_unknown_city_profile_is_refused(tmp_path):
    with pytest.raises(GenerateError, match="hongchuan"):
        generate_city(tmp_path / "x", seed=1, city="nowhere")


def test_second_city_exit_plan_names_no_demo_place(tmp_path):
    from netconsol.scan import run_scan

    inv = tmp_path / "hc"
    s = generate_city(inv, seed=5, city="hongchuan")
    assert s["city"] == "泓川市" and s["districts"] == 4
    truth = json.loads((inv / "ground_truth.json").read_text(encoding="utf-8"))
    demo = PROFILES["zaozhuang"]
    own = PROFILES["hongchuan"]
    assert not (demo.place_names() & own.place_names())
    run_scan(inv, tmp_path / "out", db=tmp_path / "h.sqlite")
    plans = tmp_path / "out" / "plans"
    texts = {"exits-plan.md": (plans / "exits-plan.md").read_text(encoding="utf-8"),
             "exits-plan.json": (plans / "exits-plan.json").read_text(encoding="utf-8")}
    texts.update({f"exits/{f.name}": f.read_text(encoding="utf-8-sig") for f in sorted((plans / "exits").glob("*.csv"))})
    assert len(texts) > 3
    banned = demo.place_names() | {demo.city, demo.short}
    for name, text in texts.items():
        hits = sorted(b for b in banned if b in text)
        assert not hits, (name, hits)
    # its sites come from its own rules (rules/exits.yaml written into the inventory)
    rules = yaml.safe_load((inv / "rules" / "exits.yaml").read_text(encoding="utf-8"))
    sites = [x["name"] for x in rules["sites"]]
    assert any(own.seat in x for x in sites)
    for x in sites:
        assert x in texts["exits-plan.md"], x
    # and the plants are there too: the tool agrees with the truth on this city's candidates
    c = netconsol.open(inv).inventory["exit_candidates"]
    assert {(r.device, r.interface): r.verdict for r in c.itertuples()} == \
        {(x["device"], x["interface"]): x["verdict"] for x in truth["exit_candidates"]}
