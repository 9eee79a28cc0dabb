"""The topology page without a browser: bytes, escaping, CSP, layout, overlays, output paths."""
from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from netconsol.render.layout import assign_sites, layout_by_site, pack_circles
from netconsol.render.html import (COLLAPSE_ABOVE, PHYSICS_MAX, HtmlOutputError, pack_page_data, script_json,
                                   topology_data, topology_html, unpack_page_data, vis_assets,
                                   write_topology_html)
from pagecheck import HOSTILE, hostile_graph
from synthetic import demo_like_graph, plan_tables

def _json_block(html: str) -> str:
    m = re.search(r'<script type="application/json" id="netconsol-data">(.*?)</script>', html, re.S)
    assert m, "data block missing"
    return m.group(1)


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.blocks, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._in = [tag, dict(attrs), ""]

    def handle_data(self, data):
        if self._in is not None:
            self._in[2] += data

    def handle_endtag(self, tag):
        if self._in is not None and tag == self._in[0]:
            self.blocks.append(tuple(self._in))
            self._in = None


# ---- bytes and escaping ----------------------------------------------------------------------------
def test_same_graph_in_any_insertion_order_gives_identical_bytes():
    g = demo_like_graph(1500, seed=3)
    nodes = list(g.nodes(data=True))
    edges = list(g.edges(data=True))
    random.Random(1).shuffle(nodes)
    random.Random(2).shuffle(edges)
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_edges_from(edges)
    m, e, u = plan_tables(g)
    a = topology_html(g, merge=m, exits=e, unified=u)
    b = topology_html(h, merge=m.sample(frac=1, random_state=5), exits=e.sample(frac=1, random_state=6), unified=u)
    assert a == b
    # two renders in one second would agree even with a clock in them: look for one
    own = a.replace(vis_assets()[0], "")
    assert not re.search(r"20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d", own)


def test_a_base_made_beforehand_gives_the_same_page():
    """A scan makes page_base(graph) while its plans are made and adds the overlays later: the
    page is the one topology_html(graph, plans...) gives, and a base serves one page only."""
    from netconsol.render.html import page_base

    g = demo_like_graph(1200, seed=4)
    m, e, u = plan_tables(g)
    whole = topology_html(g, merge=m, exits=e, unified=u, lang="en")
    base = page_base(g)
    assert len(base["nodes"]) == g.number_of_nodes() and len(base["edges"]) == g.number_of_edges()
    assert topology_html(g, merge=m, exits=e, unified=u, lang="en", base=base) == whole
    assert topology_html(g, lang="en", base=page_base(g)) == topology_html(g, lang="en")


def test_hostile_strings_cannot_leave_the_json_block():
    html = topology_html(hostile_graph(), title="</title><script>alert(9)</script>")
    block = _json_block(html)
    for ch in "<>&\u2028\u2029":
        assert ch not in block, repr(ch)
    data = unpack_page_data(json.loads(block))
    labels = {n["label"] for n in data["nodes"]}
    assert set(HOSTILE) <= labels
    facts = {v for n in data["nodes"] for _, v in n["facts"]}
    assert set(HOSTILE) <= facts
    # the title went through autoescape, and nowhere else is a payload in markup
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(9)&lt;/script&gt;</title>" in html
    outside = html.replace(block, "")
    for bad in HOSTILE[:4]:
        assert bad not in outside


def test_script_json_escapes_and_round_trips():
    obj = {"a": "</script><!-- & \u2028\u2029 >", "b": ["\ud800 lone surrogate"]}
    text = script_json(obj)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == obj
    text.encode("utf-8")  # lone surrogates escaped, not written as invalid UTF-8


def test_page_loads_nothing_and_csp_allows_exactly_its_own_blocks():
    html = topology_html(demo_like_graph(300))
    p = _Tags()
    p.feed(html)
    for tag, attrs in p.tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
        assert tag not in ("link", "iframe", "img", "object", "embed", "base"), tag
    csp = next(a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    hashes = set(re.findall(r"'sha256-[^']+'", csp))
    executable = [b for b in p.blocks if not (b[0] == "script" and b[1].get("type") == "application/json")]
    assert len(executable) == 4  # vis js, our js, vis css, our css
    for tag, _, text in executable:
        h = "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
        assert h in hashes, tag
    assert len(hashes) == 4


# ---- data --------------------------------------------------------------------------------------------
def test_data_has_every_node_and_edge_of_the_graph_sorted():
    g = demo_like_graph(800)
    d = topology_data(g)
    ids = [n["id"] for n in d["nodes"]]
    assert ids == sorted(str(n) for n in g.nodes)
    pairs = sorted((e["from"], e["to"], e["type"]) for e in d["edges"])
    assert pairs == sorted(tuple(sorted((u, v))) + (a["type"],) for u, v, a in g.edges(data=True))
    assert [e["id"] for e in d["edges"]] == [f"e{i}" for i in range(len(d["edges"]))]


def test_size_thresholds_switch_physics_subnets_and_clusters():
    small = topology_data(demo_like_graph(200))["options"]
    assert small == {"physics": True, "collapsed": False, "subnets": True, "big": False}
    mid = topology_data(demo_like_graph(PHYSICS_MAX + 200))["options"]
    assert mid == {"physics": False, "collapsed": False, "subnets": False, "big": True}
    big = topology_data(demo_like_graph(COLLAPSE_ABOVE + 500))["options"]
    assert big["collapsed"] and not big["physics"]


def test_overlays_attach_to_nodes_and_report_unmatched_rows():
    g = demo_like_graph(600)
    merge, exits, unified = plan_tables(g)
    merge = pd.concat([merge, pd.DataFrame([{"network": "no-such-net", "target": "extranet-admin"}])])
    missing = {"exit": "X-missing", "disposition": "migrate", "target_site": "city-core"}
    exits = pd.concat([exits, pd.DataFrame([missing])])
    d = topology_data(g, merge=merge, exits=exits, unified=unified)
    assert d["plan"]["available"]
    assert d["plan"]["unmatched"] == {"merge": ["no-such-net"], "exits": ["X-missing"]}
    by_id = {n["id"]: n for n in d["nodes"]}
    for r in merge.iloc[:-1].itertuples():
        assert by_id[f"network:{r.network}"]["target"] == r.target
    moving = [r.exit for r in exits.iloc[:-1].itertuples() if r.disposition in ("migrate", "decommission")]
    plan_edges = {(e["from"], e["to"]) for e in d["edges"] if e["type"] == "plan_exit"}
    assert plan_edges == {tuple(sorted((f"exit:{x}", "plan:exit:city-core"))) for x in moving}
    merge_edges = [e for e in d["edges"] if e["type"] == "plan_merge"]
    assert len(merge_edges) == len(merge) - 1
    assert by_id["plan:exit:city-core"]["unified"] and by_id["plan:exit:city-core"]["planOnly"]
    # devices of a merged network carry its target (their outline in the proposed view)
    first = merge.iloc[0]
    member = next(n for n in d["nodes"] if n["type"] == "device" and g.nodes[n["id"]]["network"] == first.network)
    assert member["target"] == first.target


def test_target_given_as_a_domain_class_resolves_to_that_network():
    g = demo_like_graph(400)
    net = next(n for n, a in g.nodes(data=True)
               if a["type"] == "network" and a["kind"] in ("gov_private", "business_private"))
    merge = pd.DataFrame([{"network": net.split(":", 1)[1], "target": "extranet_public", "edge": True},
                          {"network": "extranet-admin", "target": "keep", "edge": False}])
    d = topology_data(g, merge=merge)
    e = [x for x in d["edges"] if x["type"] == "plan_merge"]
    assert [(x["from"], x["to"]) for x in e] == [tuple(sorted((net, "network:extranet-public")))]
    assert not any(n["id"].startswith("plan:domain:") for n in d["nodes"])


def test_overlay_without_its_key_columns_is_refused():
    with pytest.raises(HtmlOutputError, match=r"merge plan: missing columns \['target'\]"):
        topology_data(demo_like_graph(100), merge=pd.DataFrame({"network": ["x"]}))


# ---- layout ------------------------------------------------------------------------------------------
def test_layout_is_deterministic_and_sites_never_overlap():
    g = demo_like_graph(3000, seed=11)
    a = layout_by_site(g)
    h = nx.Graph()
    nodes = list(g.nodes(data=True))
    random.Random(4).shuffle(nodes)
    h.add_nodes_from(nodes)
    h.add_edges_from(g.edges(data=True))
    assert layout_by_site(h).positions == a.positions
    assert len(set(a.positions.values())) == g.number_of_nodes()  # no two nodes on one point
    sites = list(a.sites.values())
    xs = sorted(range(len(sites)), key=lambda i: sites[i][0])
    for i, p in enumerate(xs):
        x1, y1, r1 = sites[p]
        for q in xs[i + 1:]:
            x2, y2, r2 = sites[q]
            if x2 - x1 > r1 + 2000:
                break
            assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2 - 0.2, (p, q)


def test_pack_circles_never_overlaps():
    rnd = random.Random(5)
    for _ in range(30):
        radii = sorted((rnd.uniform(5, 200) for _ in range(rnd.randint(1, 150))), reverse=True)
        if rnd.random() < 0.3:
            rnd.shuffle(radii)
        pos, enclosing = pack_circles(radii, 10.0)
        for i in range(len(radii)):
            assert math.hypot(*pos[i]) + radii[i] <= enclosing + 1e-6
            for j in range(i + 1, len(radii)):
                d = math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1])
                assert d >= radii[i] + radii[j] - 1e-6, (i, j)


def test_sites_follow_town_then_department_and_subnets_follow_their_device():
    g = demo_like_graph(400)
    sites = assign_sites(g)
    assert sites["unit:示例市"] is None and sites["network:extranet-admin"] is None
    town_dev = next(n for n, a in g.nodes(data=True) if a["type"] == "device" and a["town"])
    assert sites[town_dev] == (g.nodes[town_dev]["district"], g.nodes[town_dev]["town"])
    city_dev = next(n for n, a in g.nodes(data=True) if a["type"] == "device" and not a["district"]
                    and a["department"].startswith("市部门"))
    assert sites[city_dev] == ("", g.nodes[city_dev]["department"])
    for n, a in g.nodes(data=True):
        if a["type"] == "subnet":
            first = min(m for m in g.neighbors(n) if g.nodes[m]["type"] == "device")
            assert sites[n] == sites[first]


# ---- output path -------------------------------------------------------------------------------------
def test_writes_exactly_one_file_where_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "sub" / "topology.html"
    assert write_topology_html(demo_like_graph(100), out) == out
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["sub", "sub/topology.html"]


@pytest.mark.parametrize("name,message", [
    ("topology.png", "ending in .html"),
    ("a/../topology.html", "'..' is not allowed"),
    ("adir.html", "is a directory"),
    ("link.html", "symbolic link"),
])
def test_refuses_surprising_output_paths(tmp_path, name, message):
    (tmp_path / "adir.html").mkdir()
    (tmp_path / "a").mkdir()
    outside = tmp_path.parent / f"{tmp_path.name}-outside.html"
    (tmp_path / "link.html").symlink_to(outside)
    with pytest.raises(HtmlOutputError, match=re.escape(message)):
        write_topology_html(demo_like_graph(50), tmp_path / name)
    assert not outside.exists()


def test_attributes_in_a_facts_dict_count_like_flat_ones():
    flat = demo_like_graph(300)
    nested = nx.Graph()
    for n, a in flat.nodes(data=True):
        nested.add_node(n, type=a["type"], label=a["label"],
                        facts={k: v for k, v in a.items() if k not in ("type", "label")})
    nested.add_edges_from(flat.edges(data=True))
    a, b = topology_data(flat), topology_data(nested)
    assert a["nodes"] == b["nodes"] and a["filters"] == b["filters"]


def test_packed_page_data_unpacks_to_the_same_records():
    """The page carries nodes/edges/sites/districts packed (string table + rows): the Python
    inverse gives back every record exactly (the browser tests check the script's inverse)."""
    for graph in (hostile_graph(), demo_like_graph(2_000)):
        data = json.loads(json.dumps(topology_data(graph)))
        packed = pack_page_data(data)
        assert json.loads(json.dumps(unpack_page_data(json.loads(json.dumps(packed))))) == data
    # strings are stored once: on a city the packed text is much smaller than the objects
    assert len(json.dumps(packed, ensure_ascii=False)) < 0.6 * len(json.dumps(data, ensure_ascii=False))
    odd = {"nodes": [{"id": "a", "x": 1.5, "none": None, "facts": [["k", "v"]], "mixed": "s"},
                     {"id": "b", "facts": [], "mixed": 3, "flag": True, "list": [1, 2]}, {}],
           "edges": [], "title": "t"}
    assert unpack_page_data(json.loads(json.dumps(pack_page_data(odd)))) == odd


def test_candidate_links_are_their_own_figure_and_edge_kind():
    """Issue 19: the page's figures count candidate links apart from links; both languages word them."""
    from netconsol.analyze import build_graph, infer_links
    from netconsol.collectors import collect

    case = Path(__file__).resolve().parents[1] / "acceptance" / "topology" / "reused-lan-two-depts"
    inv = collect([case])
    g = build_graph(inv, infer_links(inv))
    for lang in ("en", "zh"):
        data = topology_data(g, lang=lang)
        assert data["figures"] == {"links": 1, "candidates": 2}
        assert sorted(e["type"] for e in data["edges"] if e["type"] in ("link", "candidate")) == \
            ["candidate", "candidate", "link"]
        assert data["text"]["edges_legend"]["candidate"] and data["text"]["candidates"]
    assert topology_data(g, lang="zh")["text"]["candidates"] == "候选链路（未确认）"
