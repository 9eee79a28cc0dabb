"""The page built column-wise (issue 23) against the plain per-record computations it replaced.

Each fast path of render/html.py and render/layout.py is compared with the simple version on
random and hostile inputs: attribute dicts of mixed keys and value types (facts), string
numbering, the column packer against the record packer, the JSON escaped as bytes, the site
order keys, and the merge overlay's label memo.
"""
from __future__ import annotations

import json
import random
import warnings
from itertools import chain
from types import SimpleNamespace

import networkx as nx
import pandas as pd
import pytest

from netconsol.analyze.overlays import merge_overlay
from netconsol.render import html as H
from netconsol.render.layout import _TYPE_ORDER, _order_keys, flat_attrs

from pagecheck import HOSTILE, hostile_graph
from synthetic import demo_like_graph, plan_tables

ODD_TEXT = ["", " ", "=SUM(A1)", "+1", "-1", "@x", 'a"b', "a\nb", "</script>", "\u2028", "市大数据局",
            "10.0.0.1/32", "2001:db8::/128", "0.0.0.0/0", "x" * 300] + list(HOSTILE)
ODD_VALUES = ODD_TEXT + [None, 0, 1, 2.5, float("nan"), True, False]


def _facts(attrs: dict) -> list[list[str]]:
    """The plain computation the page's flat facts must equal: [[key, text], ...] of the non-empty attributes (and of a ``facts`` dict), known keys first."""
    extra = attrs.get("facts")
    if isinstance(extra, dict):
        attrs = {**{k: v for k, v in attrs.items() if k != "facts"}, **extra}
    known, rest = H._fact_keys(tuple(attrs))
    out = []
    for k in known:
        v = attrs[k]
        if v is not None and v != "":
            if type(v) is not str:
                v = H._s(v)
            if v:
                out.append([k, v])
    for k in rest:
        v = H._s(attrs[k])
        if v:
            out.append([str(k), v])
    return out



def _random_attrs(rnd: random.Random) -> dict:
    keys = list(H._FACT_ORDER) + ["type", "label", "zeta", "alpha", "Ünïcode", 7]
    rnd.shuffle(keys)
    attrs = {}
    for k in keys[:rnd.randint(0, len(keys))]:
        pool = ODD_VALUES if rnd.random() < 0.3 else ODD_TEXT
        attrs[k] = rnd.choice(pool)
    if rnd.random() < 0.1:
        attrs["facts"] = {"model": rnd.choice(ODD_TEXT), "kind": rnd.choice(ODD_VALUES)}
    if rnd.random() < 0.05:
        attrs["alpha"] = pd.NA  # not a known fact: shown as ''
    return attrs


def test_facts_column_equals_facts_per_record():
    rnd = random.Random(23)
    # many records share a key order (the fast path), others are all different (the fallback)
    templates = [_random_attrs(rnd) for _ in range(12)]
    attrs = []
    for _ in range(3000):
        t = rnd.choice(templates)
        a = {k: (rnd.choice(ODD_TEXT) if type(v) is str else v) for k, v in t.items()}
        attrs.append(a if rnd.random() < 0.8 else _random_attrs(rnd))
    attrs += [{}, {"type": "x"}, {"facts": {}}, {"kind": ""}, {"kind": "k", "zz": ""}]
    got = H._facts_column(attrs)
    want = [list(chain.from_iterable(_facts(a))) for a in attrs]
    assert got == want
    assert sum(map(len, got)) > 1000  # the inputs do have facts to show


def test_codes_number_strings_as_first_met():
    rnd = random.Random(5)
    for _ in range(200):
        strings = {s: i for i, s in enumerate(rnd.sample(ODD_TEXT, rnd.randint(0, 6)))}
        plain = dict(strings)
        values = [rnd.choice(ODD_TEXT + [f"e{i}" for i in range(5)]) for _ in range(rnd.randint(0, 30))]
        if rnd.random() < 0.3:  # distinct values, maybe new: the ids' shortcut
            values = list(dict.fromkeys(values))
        want = []
        for v in values:
            if v not in plain:
                plain[v] = len(plain)
            want.append(plain[v])
        assert H._codes(strings, values) == want
        assert list(strings.items()) == list(plain.items())


def _graphs():
    yield hostile_graph()
    g = demo_like_graph(1500, seed=77)
    g.add_edge("device:CITY-CORE-01", "device:CITY-CORE-01", type="link", count=3)  # a self-loop
    yield g
    nested = nx.Graph()  # attributes in a facts dict, numbers and NaN among them
    for n, a in demo_like_graph(300, seed=3).nodes(data=True):
        nested.add_node(n, type=a["type"], label=a["label"], facts={**{k: v for k, v in a.items() if k not in
                                                                      ("type", "label")}, "count": 2,
                                                                   "bought": float("nan")})
    nested.add_edges_from(demo_like_graph(300, seed=3).edges(data=True))
    yield nested
    yield nx.Graph()


@pytest.mark.parametrize("graph", list(_graphs()), ids=["hostile", "demo-like", "nested", "empty"])
def test_page_from_columns_equals_page_from_records(graph):
    """The page written from the columns (write path) equals the one packed from the records
    topology_data returns (the generic record packer), with and without plan overlays."""
    overlays = [{}]
    if graph.number_of_nodes() > 500:
        m, e, u = plan_tables(graph)
        m = pd.concat([m, pd.DataFrame({"network": ["nowhere", m.network.iloc[0]], "target": ["x", "keep"],
                                        "edge": [True, False]})], ignore_index=True)
        overlays.append({"merge": m, "exits": e, "unified": u})
    for kw in overlays:
        for lang in ("en", "zh"):
            records = H.topology_data(graph, lang=lang, title="t\u2028</title>", **kw)
            page = b"".join(H._page_bytes(H._page_data(graph, lang=lang, title="t\u2028</title>", **kw)))
            assert page == H.render_page(records).encode("utf-8")
            packed = H.pack_page_data(H._page_data(graph, lang=lang, **kw))
            assert json.loads(json.dumps(H.unpack_page_data(packed))) == \
                json.loads(json.dumps(H.topology_data(graph, lang=lang, **kw)))
            # every record's facts are _facts of its (flattened) attributes
            by_id = {str(n): flat_attrs(a) for n, a in graph.nodes(data=True)}
            for r in records["nodes"]:
                if r["id"] in by_id:
                    assert r["facts"] == _facts(by_id[r["id"]])


def test_table_with_plain_records_only_and_odd_tails():
    t = H._Table(0, {"id": [], "facts": []}, flat=("facts",))
    t.tail = [{"id": "a", "facts": [["k", "v"]], "x": None}, {"id": "b", "facts": "not facts"}]
    assert H.pack_page_data({"nodes": t}) == H.pack_page_data({"nodes": t.records()})
    t = H._Table(2, {"id": ["a", "b"], "facts": [["k", "v"], []]}, flat=("facts",))
    t.set(1, "target", "z")
    t.set(0, "planFacts", [["p", "q"]])
    t.tail = [{"id": "c", "facts": [("k", "w")], "planOnly": True}]
    assert t.records()[0] == {"id": "a", "facts": [["k", "v"]], "planFacts": [["p", "q"]]}
    assert H.pack_page_data({"nodes": t}) == H.pack_page_data({"nodes": t.records()})


def test_script_json_bytes_equals_script_json_encoded():
    for obj in (ODD_TEXT, {"a": "</script><!-- & \u2028\u2029 >"}, ["\ud800 lone surrogate", "<&>"], [], {}):
        assert H._script_json_bytes(obj) == H.script_json(obj).encode("utf-8")


def test_title_holding_the_data_slot_is_rendered_whole():
    g = demo_like_graph(60)
    data = H._page_data(g, title=f"x{H._DATA_SLOT}y")
    assert b"".join(H._page_bytes(data)) == H.render_page(H.topology_data(g, title=f"x{H._DATA_SLOT}y")).encode()


def _plain_key(graph, n, anchor_kinds=("district", "town", "department")):
    d = graph.nodes[n]
    t = d.get("type")
    if graph.is_directed():
        degree = graph.degree(n)
    else:
        nbrs = graph.adj[n]
        degree = len(nbrs) + (n in nbrs)
    return (0 if t == "unit" and d.get("kind") in anchor_kinds else 1, _TYPE_ORDER.get(t, 5), -degree, n)


@pytest.mark.parametrize("kind", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
def test_order_keys_equal_the_plain_key(kind):
    rnd = random.Random(11)
    g = kind()
    types = ["unit", "network", "device", "exit", "subnet", "other", None]
    for i in range(200):
        g.add_node(f"n{i:03d}", type=rnd.choice(types), kind=rnd.choice(["district", "town", "city", ""]))
    for _ in range(500):
        g.add_edge(f"n{rnd.randrange(200):03d}", f"n{rnd.randrange(200):03d}")  # self-loops and repeats too
    keys = _order_keys(g)
    assert keys == {n: _plain_key(g, n) for n in g.nodes}
    some = sorted(g.nodes)[::7]
    assert _order_keys(g, some) == {n: _plain_key(g, n) for n in some}


def test_merge_overlay_labels_each_value_as_value_label_does():
    calls = []

    def value_label(col, v, lang):
        calls.append((col, v))
        if isinstance(v, bool):
            return f"bool:{v}"
        return f"{col}:{v!r}"

    nets = pd.DataFrame({"network": ["a", "b", "c", "d", "e"], "target": ["extranet_admin", "keep", "keep", "x", ""],
                         "method": [True, 1, 1.0, None, float("nan")], "wave": ["w1", "w1", "w2", pd.NA, "w1"],
                         "unused": [[1], [2], [3], [4], [5]]})
    plan = SimpleNamespace(tables={"networks": nets}, value_label=value_label)
    out = merge_overlay(plan, "en")
    assert out.method.tolist() == ["bool:True", "method:1", "method:1.0", "", ""]
    assert out.wave.tolist() == ["wave:'w1'", "wave:'w1'", "wave:'w2'", "", "wave:'w1'"]
    assert out.action.tolist() == [""] * 5 and out.edge.tolist() == [True, False, False, False, False]
    assert calls.count(("wave", "w1")) == 1  # labelled once


def test_records_equal_to_dict_records():
    frames = [
        pd.DataFrame({"a": ["x", None, "y"], "b": [True, False, True], "c": [1, 2, 3], "d": [1.5, float("nan"), 0.0]}),
        pd.DataFrame({"a": ["x", 1, 2.5], "b": [True, None, "s"]}),  # object columns of plain values
        pd.DataFrame({"a": pd.array(["x", None, "z"], dtype="string"), "b": [1, 2, 3]}),  # extension dtype
        pd.DataFrame({"a": pd.array([1, None, 3], dtype="Int64")}),
        pd.DataFrame({"a": [pd.Timestamp("2020-01-01")] * 2}),
        pd.DataFrame({"a": [[1], [2]], "b": ["q", "r"]}),  # lists: not plain
        pd.DataFrame({"a": ["=1+1", '"q"', "a\nb"]}),
        pd.DataFrame(columns=["a", "b"]),
        pd.DataFrame([[1, 2]], columns=["a", "a"]),
    ]
    for df in frames:
        with warnings.catch_warnings():  # pandas warns of the duplicate column names (and so do we)
            warnings.simplefilter("ignore", UserWarning)
            got, want = H._records(df), df.to_dict("records")
        assert repr(got) == repr(want)
        assert [list(map(type, r.values())) for r in got] == [list(map(type, r.values())) for r in want]
