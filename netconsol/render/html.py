"""The topology as one self-contained HTML file: vis-network (shipped in render/vendor/), our template.

Engineers open this file on air-gapped workstations, so it loads nothing: vis-network (pyvis
0.3.2's copy of 9.1.2, shipped in ``render/vendor/`` with its licences), its CSS, our script and the data are all
inline, and a Content-Security-Policy (``default-src 'none'``, scripts and styles allowed by
their sha256 only) makes the browser refuse any request or any script that is not ours.
pyvis itself is not used: its template loads Bootstrap from a CDN even "in_line", injects the
heading and node ids as raw HTML, and its ``add_node`` path is quadratic.

Input-derived text never reaches HTML parsing:

* the data is JSON inside ``<script type="application/json">`` with ``<``, ``>``, ``&``,
  U+2028 and U+2029 escaped, so no value can close the element (:func:`script_json`);
* the page builds tooltips, the legend and menus from DOM nodes with ``textContent``;
  vis-network takes an ``HTMLElement`` as a node's title, and draws labels on the canvas;
* the template (Jinja2, autoescape on) only sees the title and fixed UI words.

Nodes are the graph's (:func:`netconsol.analyze.build_graph`), placed by
:func:`netconsol.render.layout.layout_by_site`; above ``physics_max`` nodes the browser's
physics stays off, above ``collapse_above`` districts and sites start collapsed into cluster
nodes that open on click.  Plans are overlays given as plain tables (:func:`topology_data`):
the page switches between the current network and the proposed one.

Deterministic: nodes and edges sorted by id, positions rounded, no timestamps — the same
graph and plans give byte-identical files.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import os
import tempfile
from importlib import resources
from itertools import accumulate, chain, count, filterfalse, repeat
from operator import is_, methodcaller
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from .layout import Layout, flat_attrs, layout_by_site
from ..errors import NetconsolError

__all__ = [
    "topology_data", "topology_html", "render_page", "write_topology_html", "script_json", "vis_assets",
    "pack_page_data", "unpack_page_data",
    "HtmlOutputError",
    "VIS_VERSION", "PHYSICS_MAX", "COLLAPSE_ABOVE", "CLASS_COLORS", "TEXT",
]

VIS_VERSION = "9.1.2"
PHYSICS_MAX = 500          # more nodes than this: no in-browser physics (precomputed layout only)
COLLAPSE_ABOVE = 2000      # more nodes than this: districts and sites start collapsed
SUBNETS_SHOWN_MAX = 500    # more nodes than this: subnet nodes start hidden (a toggle shows them)

CLASS_COLORS = {
    "extranet_admin": "#1f77b4", "extranet_public": "#17becf", "extranet_vpn": "#9467bd",
    "intranet": "#8c564b", "gov_private": "#ff7f0e", "business_private": "#d62728",
    "internet": "#2ca02c", "lan": "#7f7f7f", "unknown": "#bcbd22", "": "#b8c2cc",
}
KEPT_COLOR = "#4b5563"      # merge targets without an edge (kept outside, recorded)
# colours for merge targets that are not networks of the graph
TARGET_COLORS = ("#e377c2", "#bcbd22", "#6a3d9a", "#b15928", "#00a087", "#3c5488")
CLOSING = ("migrate", "decommission")
_FACT_ORDER = ("kind", "department", "district", "town", "site", "network", "vendor", "platform", "model",
               "addresses", "carrier", "evidence", "cidr", "context", "interfaces", "interface", "address",
               "subnet", "count")
_NOT_FACTS = ("type", "label", "facts")
_FACT_SET = frozenset(_FACT_ORDER + _NOT_FACTS)

TEXT = {
    "en": {
        "search": "Search", "search_placeholder": "device, network, address…", "find": "Find",
        "district": "District", "department": "Department", "class": "Class", "all": "(all)",
        "none": "(city level / none)", "subnets": "Show subnets", "view": "View", "current": "Current",
        "proposed": "Proposed (plans)", "expand_all": "Expand all", "collapse_all": "Collapse all", "fit": "Fit",
        "legend": "Legend", "shapes": "Node types", "no_match": "No node matches", "match": "match", "of": "of",
        "shown": "shown",
        "nodes": "nodes", "edges": "edges", "cluster_hint": "click to expand; double-click a node to collapse its site",
        "members": "members", "aggregated": "links between clusters", "hidden_note": "filters were reset to show it",
        "types": {"device": "device", "network": "network", "subnet": "subnet", "exit": "internet exit",
                  "unit": "unit", "cluster": "cluster (click to open)", "unified": "unified exit (plan)"},
        "classes": {"extranet_admin": "extranet, administrative domain", "extranet_public": "extranet, public domain",
                    "extranet_vpn": "extranet VPN", "intranet": "intranet", "gov_private": "government private network",
                    "business_private": "business private network", "internet": "internet", "lan": "LAN",
                    "unknown": "unknown type (for review)", "": "unclassified"},
        "links": "links", "candidates": "candidate links (unconfirmed)",
        "edges_legend": {"link": "L3 link", "candidate": "candidate link (a side's owner unknown: to confirm)",
                         "agg_candidate": "candidate links between clusters",
                         "address": "address (device–subnet)", "member": "member of network",
                         "exit": "exit line", "plan_merge": "merge into target domain (plan)",
                         "plan_exit": "moves to unified exit (plan)", "closing": "exit to close (plan)",
                         "structure": "located / owned / part of"},
        "facts": {"id": "id", "type": "type", "kind": "kind", "department": "department", "district": "district",
                  "town": "town", "site": "site", "network": "network", "vendor": "vendor", "platform": "platform",
                  "model": "model", "addresses": "addresses", "carrier": "carrier", "evidence": "evidence",
                  "cidr": "subnet", "context": "routing context", "interfaces": "interfaces",
                  "interface": "interface", "address": "address", "subnet": "subnet", "count": "links",
                  "target": "target domain (plan)", "disposition": "disposition (plan)",
                  "target_site": "moves to (plan)", "method": "method (plan)", "action": "addresses (plan)",
                  "attach_point": "attach point (plan)", "wave": "wave (plan)", "plan_exit": "plan exit id",
                  "role": "role", "bought_mbps": "bought Mbps"},
    },
    "zh": {
        "search": "搜索", "search_placeholder": "设备、网络、地址…", "find": "查找",
        "district": "区县", "department": "部门", "class": "网络类别", "all": "（全部）",
        "none": "（市级/未归属）", "subnets": "显示网段", "view": "视图", "current": "现状",
        "proposed": "整合方案", "expand_all": "全部展开", "collapse_all": "全部收起", "fit": "适应窗口",
        "legend": "图例", "shapes": "节点类型", "no_match": "没有匹配的节点", "match": "匹配", "of": "共", "shown": "显示",
        "nodes": "节点", "edges": "连线", "cluster_hint": "单击展开；双击节点收起其站点",
        "members": "成员", "aggregated": "聚合连线", "hidden_note": "已重置筛选以显示该节点",
        "types": {"device": "设备", "network": "网络", "subnet": "网段", "exit": "互联网出口",
                  "unit": "单位", "cluster": "聚合（单击展开）", "unified": "统一出口（方案）"},
        "classes": {"extranet_admin": "电子政务外网行政服务域", "extranet_public": "电子政务外网公共服务域",
                    "extranet_vpn": "外网VPN", "intranet": "电子政务内网", "gov_private": "政务专网",
                    "business_private": "业务专网", "internet": "互联网", "lan": "局域网", "unknown": "类型未知（待核实）",
                    "": "未分类"},
        "links": "链路", "candidates": "候选链路（未确认）",
        "edges_legend": {"link": "三层链路", "candidate": "候选链路（一侧归属未知，待确认）",
                         "agg_candidate": "聚合候选链路", "address": "地址（设备–网段）", "member": "所属网络",
                         "exit": "出口线路", "plan_merge": "并入目标域（方案）",
                         "plan_exit": "迁至统一出口（方案）", "closing": "待撤销出口（方案）",
                         "structure": "位置/归属/隶属"},
        "facts": {"id": "标识", "type": "类型", "kind": "种类", "department": "部门", "district": "区县",
                  "town": "镇街", "site": "站点", "network": "网络", "vendor": "厂商", "platform": "平台",
                  "model": "型号", "addresses": "地址", "carrier": "运营商", "evidence": "依据",
                  "cidr": "网段", "context": "路由上下文", "interfaces": "接口", "interface": "接口",
                  "address": "地址", "subnet": "网段", "count": "链路数",
                  "target": "目标域（方案）", "disposition": "处置（方案）", "target_site": "迁往（方案）",
                  "method": "接入方式（方案）", "action": "地址处理（方案）", "attach_point": "接入点（方案）",
                  "wave": "批次（方案）", "plan_exit": "方案出口编号", "role": "角色", "bought_mbps": "采购带宽Mbps"},
    },
}

_JSON_ESCAPES = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                 ("\u2029", "\\u2029"))


class HtmlOutputError(NetconsolError):
    """The topology cannot be written where asked, or the page's assets are missing."""


def script_json(obj) -> str:
    """JSON that is safe as the text of a ``<script>`` element: ``</script>``, ``<!--`` and the
    line separators JavaScript once treated as newlines cannot appear in it."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes): keep them as \\u escapes
        text = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    # str.replace per character: ~20x faster than str.translate with a dict on CJK text
    for ch, esc in _JSON_ESCAPES:
        if ch in text:
            text = text.replace(ch, esc)
    return text


@functools.lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """(vis-network.min.js, vis-network.css) as shipped in ``render/vendor/vis-network-9.1.2``.

    The two files are pyvis 0.3.2's copy of vis-network 9.1.2 (``pyvis/templates/lib/vis-9.1.2``),
    unchanged, with vis-network's own licence files (dual Apache-2.0 / MIT) beside them."""
    d = resources.files(__package__).joinpath("vendor", f"vis-network-{VIS_VERSION}")
    js_text = d.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css_text = d.joinpath("vis-network.css").read_text(encoding="utf-8")
    if "</script" in js_text.lower() or "</style" in css_text.lower():
        raise HtmlOutputError(f"vis-network {VIS_VERSION}: cannot be inlined, it contains a closing tag")
    return js_text, css_text


@functools.lru_cache(maxsize=1)
def _own_assets() -> tuple[str, str]:
    t = resources.files(__package__).joinpath("templates")
    return (t.joinpath("topology.js").read_text(encoding="utf-8"),
            t.joinpath("topology.css").read_text(encoding="utf-8"))


def _s(v) -> str:
    if type(v) is str:
        return v
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return ""
    return str(v)


_ABSENT = object()  # a key a record does not have
_FACT_INDEX = {k: i for i, k in enumerate(_FACT_ORDER)}
_FACT_KEYS: dict[tuple, tuple] = {}  # attribute names -> (known ones in fact order, the rest sorted)


def _fact_keys(keys: tuple) -> tuple:
    hit = _FACT_KEYS.get(keys)
    if hit is None:
        known = tuple(sorted((k for k in keys if k in _FACT_INDEX), key=_FACT_INDEX.__getitem__))
        rest = tuple(sorted((k for k in keys if k not in _FACT_SET), key=str))
        if len(_FACT_KEYS) > 10_000:
            _FACT_KEYS.clear()
        hit = _FACT_KEYS[keys] = (known, rest)
    return hit


def _frame(df, name: str, required: tuple) -> pd.DataFrame | None:
    if df is None:
        return None
    if not isinstance(df, pd.DataFrame):
        raise HtmlOutputError(f"{name}: expected a DataFrame, got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise HtmlOutputError(f"{name}: missing columns {missing!r} (has {list(df.columns)!r})")
    return df


class _Table:
    """A record list held column by column, as the page is built and packed.

    ``cols``: {key: list with one value per row}, every row having every key (in that order);
    ``flat``: keys whose column holds facts flattened (``[k1, v1, k2, v2, ...]`` per row, every
    item a str) rather than ``[[k1, v1], ...]``; ``extra``: {row: {key: value}} of the keys the
    plan overlays set on some rows, in the order they were set; ``tail``: plain records (plan
    nodes and edges) after the rows.  :meth:`records` gives the list of dicts it stands for.
    """
    __slots__ = ("n", "cols", "flat", "extra", "tail")

    def __init__(self, n: int, cols: dict, flat=()):
        self.n, self.cols, self.flat, self.extra, self.tail = n, cols, frozenset(flat), {}, []

    def __len__(self):
        return self.n + len(self.tail)

    def set(self, i: int, key, value) -> None:
        if key in self.cols:
            self.cols[key][i] = value
        else:
            self.extra.setdefault(i, {})[key] = value

    def has(self, i: int, key) -> bool:
        return key in self.cols or key in self.extra.get(i, ())

    def keys(self) -> list:
        """Every key in the order the records first have it."""
        firsts = [self.cols] if self.n else []
        return list(dict.fromkeys(chain(chain.from_iterable(firsts), chain.from_iterable(
            self.extra[i] for i in sorted(self.extra)), chain.from_iterable(self.tail))))

    def _head(self, key) -> list:
        """The rows' values of *key* (_ABSENT where a row lacks it), facts as [[k, v], ...]."""
        if key in self.cols:
            head = self.cols[key]
            if key in self.flat:
                head = [[[f[j], f[j + 1]] for j in range(0, len(f), 2)] for f in head]
            return head
        extra, empty = self.extra, {}
        return [extra.get(i, empty).get(key, _ABSENT) for i in range(self.n)]

    def column(self, key) -> list:
        """The values of *key*, one per record (_ABSENT where a record lacks it)."""
        return self._head(key) + [r.get(key, _ABSENT) for r in self.tail]

    def records(self) -> list[dict]:
        keys = list(self.cols)
        columns = [self._head(k) for k in keys]
        out = [dict(zip(keys, row)) for row in zip(*columns)] if keys else [{} for _ in range(self.n)]
        for i, more in self.extra.items():
            out[i].update(more)
        return out + self.tail


def _facts_flat(attrs: dict) -> list[str]:
    """:func:`_facts` flattened: [k1, v1, k2, v2, ...] (what the page packs), built as it goes."""
    extra = attrs.get("facts")
    if isinstance(extra, dict):
        attrs = {**{k: v for k, v in attrs.items() if k != "facts"}, **extra}
    known, rest = _fact_keys(tuple(attrs))
    out = []
    for k in known:
        v = attrs[k]
        if v is not None and v != "":
            if type(v) is not str:
                v = _s(v)
            if v:
                out += (k, v)
    for k in rest:
        v = _s(attrs[k])
        if v:
            out += (str(k), v)
    return out


def _facts_column(attrs_list: list) -> list[list[str]]:
    """:func:`_facts` of each attribute dict, flattened ([k1, v1, k2, v2, ...]).  (Measured: one
    call per record beats grouping records by their keys and reading them column-wise, 0.18 s
    against 0.29 s for a province's 282,000 edges.)"""
    return list(map(_facts_flat, attrs_list))


def _text_column(values) -> list[str]:
    """:func:`_s` of each value."""
    return [v if type(v) is str else _s(v) for v in values]


def page_base(graph, *, layout: Layout | None = None) -> dict:
    """What the page holds of *graph* alone: its layout (:func:`layout_by_site` unless given), the
    node and edge records, sites and districts numbered, the figures.  :func:`topology_data` adds
    the plan overlays, the filters and the options to it.  Built column-wise (:class:`_Table`)."""
    layout = layout or layout_by_site(graph)
    nodes_attr = {n: flat_attrs(a) for n, a in graph.nodes(data=True)}
    n_nodes = graph.number_of_nodes()

    # sites and districts, numbered in sorted order
    district_keys = sorted(set(layout.districts) | {s[0] for s in layout.sites})
    did = {d: f"d{i}" for i, d in enumerate(district_keys)}
    site_keys = sorted(layout.sites)
    sid = {s: f"s{i}" for i, s in enumerate(site_keys)}
    site_count = {}
    for s in layout.site_of.values():
        if s is not None:
            site_count[s] = site_count.get(s, 0) + 1

    names = sorted(graph.nodes, key=str)
    attrs = list(map(nodes_attr.__getitem__, names))
    ids = list(map(str, names))
    getter = methodcaller("get", "type")
    types_raw = list(map(getter, attrs))
    kinds_raw = list(map(methodcaller("get", "kind"), attrs))
    labels = [lab or i for lab, i in zip(_text_column(map(methodcaller("get", "label"), attrs)), ids)]
    types = [t or "device" for t in _text_column(types_raw)]
    kinds = _text_column(kinds_raw)

    kind_of_network = {}  # network name -> its node's kind, for cls_of

    def net_kind(net):  # the network's kind as text, or None when it has none (falsy)
        hit = kind_of_network.get(net, _ABSENT)
        if hit is _ABSENT:
            k = nodes_attr.get(f"network:{net}", {}).get("kind")
            hit = kind_of_network[net] = _s(k) if k else None
        return hit

    def cls_of(a, t, kind):
        if t == "network":
            return kind
        if t == "exit":
            return "internet"
        if t in ("device", "subnet"):
            for net in _s(a.get("network")).split():
                k = net_kind(net)
                if k is not None:
                    return k
        return ""

    cls = [cls_of(a, t, k) for a, t, k in zip(attrs, types_raw, kinds)]
    site_of = layout.site_of
    sites = list(map(site_of.get, names))
    positions = layout.positions
    origin = (0.0, 0.0)
    xy = [positions.get(n, origin) for n in names]
    depts = _text_column(map(methodcaller("get", "department"), attrs))
    for i, (d, t, k) in enumerate(zip(depts, types_raw, kinds_raw)):
        if not d and t == "unit" and k == "department":
            depts[i] = _s(attrs[i].get("label"))
    cols = {
        "id": ids, "label": labels, "type": types, "kind": kinds, "cls": cls,
        "district": [s[0] if s is not None else "" for s in sites], "department": depts,
        "site": [sid[s] if s is not None and s in sid and site_count.get(s, 0) > 1 else "" for s in sites],
        "dist": [did[s[0]] if s is not None and s[0] in did else "" for s in sites],
        "x": [p[0] for p in xy], "y": [p[1] for p in xy], "facts": _facts_column(attrs),
    }
    nodes = _Table(len(ids), cols, flat=("facts",))
    index = dict(zip(ids, range(len(ids))))
    # a subnet is filtered with the device it is drawn beside: the first device neighbour in id order
    adj = graph.adj
    for i, t in enumerate(types):
        if t == "subnet" and not depts[i]:
            devices = [m for m in adj[names[i]] if nodes_attr[m].get("type") == "device"]
            if devices:
                depts[i] = depts[index[str(min(devices, key=str))]]

    froms, tos, etypes, eattrs = [], [], [], []
    for u, v, a in graph.edges(data=True):
        su, sv = str(u), str(v)
        if su <= sv:
            froms.append(su)
            tos.append(sv)
        else:
            froms.append(sv)
            tos.append(su)
        eattrs.append(a)
    etypes = _text_column(map(getter, eattrs))
    order = sorted(range(len(froms)), key=list(zip(froms, tos, etypes)).__getitem__)
    pick = lambda col: [col[i] for i in order]  # noqa: E731
    efacts = _facts_column(pick(eattrs))
    edges = _Table(len(order), {"from": pick(froms), "to": pick(tos), "type": pick(etypes), "facts": efacts},
                   flat=("facts",))
    # candidate links (a side's owner unknown, analyze/topology.py) are drawn and counted apart
    figures = {"links": etypes.count("link"), "candidates": etypes.count("candidate")}

    return {"layout": layout, "nodes_attr": nodes_attr, "n_nodes": n_nodes, "district_keys": district_keys,
            "did": did, "site_keys": site_keys, "sid": sid, "nodes": nodes, "index": index, "edges": edges,
            "figures": figures}


def topology_data(graph, *, layout: Layout | None = None, merge: pd.DataFrame | None = None,
                  exits: pd.DataFrame | None = None, unified: pd.DataFrame | None = None,
                  title: str = "netconsol topology", lang: str = "zh", physics_max: int = PHYSICS_MAX,
                  collapse_above: int = COLLAPSE_ABOVE, subnets_shown_max: int = SUBNETS_SHOWN_MAX,
                  base: dict | None = None) -> dict:
    """The page's data: nodes, edges, sites, filters, legend and plan overlays (JSON-able).

    Overlays, all optional, are plain tables so any plan can feed them:

    * *merge*: columns ``network`` (networks.network) and ``target`` (the domain it merges
      into: a network id of the graph such as ``extranet-admin``, a network class one network
      has such as ``extranet_admin``, or any other name, drawn as a node of its own);
      optionally ``edge`` (False: annotate only, e.g. networks kept outside) and
      ``target_label``;
    * *exits*: ``exit`` (exits.exit) and ``disposition`` (keep_mandated,
      keep_until_contract_end, migrate, decommission), optionally ``target_site`` (the
      unified exit a closing exit moves to) and ``disposition_label``;
    * *unified*: the unified exits: ``site``, optionally ``name``.

    Other columns of these tables are shown in the tooltips of the proposed view.

    Rows naming nodes the graph lacks are counted in ``plan.unmatched``, not drawn.

    *base*: :func:`page_base` of *graph* (and *layout*), made beforehand (a scan draws the graph
    while its plans are made); used once, its records become the page's.
    """
    data = _page_data(graph, layout=layout, merge=merge, exits=exits, unified=unified, title=title, lang=lang,
                      physics_max=physics_max, collapse_above=collapse_above, subnets_shown_max=subnets_shown_max,
                      base=base)
    data["nodes"], data["edges"] = data["nodes"].records(), data["edges"].records()
    return data


def _page_data(graph, *, layout: Layout | None = None, merge: pd.DataFrame | None = None,
               exits: pd.DataFrame | None = None, unified: pd.DataFrame | None = None,
               title: str = "netconsol topology", lang: str = "zh", physics_max: int = PHYSICS_MAX,
               collapse_above: int = COLLAPSE_ABOVE, subnets_shown_max: int = SUBNETS_SHOWN_MAX,
               base: dict | None = None) -> dict:
    """:func:`topology_data` with its nodes and edges left as :class:`_Table` (packed as they are)."""
    if lang not in TEXT:
        raise HtmlOutputError(f"language {lang!r}: expected one of {', '.join(TEXT)}")
    merge = _frame(merge, "merge plan", ("network", "target"))
    exits = _frame(exits, "exit plan", ("exit", "disposition"))
    unified = _frame(unified, "unified exits", ("site",))
    base = base if base is not None else page_base(graph, layout=layout)
    layout, nodes_attr, n_nodes = base["layout"], base["nodes_attr"], base["n_nodes"]
    district_keys, did, site_keys, sid = base["district_keys"], base["did"], base["site_keys"], base["sid"]
    nodes, index, edges, figures = base["nodes"], base["index"], base["edges"], base["figures"]

    # ---- plan overlays -------------------------------------------------------------------------
    plan = {"available": False, "merge": 0, "exits": 0, "unified": 0, "unmatched": {"merge": [], "exits": []},
            "targets": {}, "targetLabels": {}}
    plan_nodes, plan_edges = [], []
    if merge is not None and len(merge):
        _merge_overlay(merge, nodes, index, nodes_attr, plan, plan_nodes, plan_edges)
    if unified is not None and len(unified):
        cols = [c for c in unified.columns if c not in ("site", "name")]
        for row in unified.to_dict("records"):
            site = _s(row.get("site"))
            if not site:
                continue
            facts = [["site", site]] + [[str(c), _s(row.get(c))] for c in cols if _s(row.get(c))]
            plan_nodes.append(_plan_node(f"plan:exit:{site}", _s(row.get("name")) or site, "exit", "unified",
                                         "internet", facts, unified=True))
            plan["unified"] += 1
    if exits is not None and len(exits):
        _exit_overlay(exits, nodes, index, plan, plan_nodes, plan_edges)
    plan["available"] = bool(plan["merge"] or plan["exits"] or plan["unified"])
    _place_plan_nodes(plan_nodes, nodes, layout)
    plan["unmatched"] = {k: sorted(set(v)) for k, v in plan["unmatched"].items()}

    base_cols = nodes.cols
    text = TEXT[lang]

    def options(key, label_of=lambda v: v):
        vals = sorted(set(base_cols[key])) if nodes.n else []
        return [[v, label_of(v) if v else text["none"]] for v in vals]

    filters = {"district": options("district"), "department": options("department"),
               "cls": options("cls", lambda v: text["classes"].get(v, v))}
    nodes.tail = sorted(plan_nodes, key=lambda r: r["id"])
    edges.tail = sorted(plan_edges, key=lambda e: (e["from"], e["to"], e["type"]))
    edges.cols["id"] = [f"e{i}" for i in range(edges.n)]
    for i, e in enumerate(edges.tail, edges.n):
        e["id"] = f"e{i}"

    districts = []
    for d in district_keys:
        x, y, r = layout.districts.get(d, (0.0, 0.0, 0.0))
        districts.append({"id": did[d], "key": d, "label": d or text["none"], "x": x, "y": y, "r": r})
    sites = [{"id": sid[s], "dist": did[s[0]], "label": s[1] or (s[0] or text["none"]),
              "x": layout.sites[s][0], "y": layout.sites[s][1], "r": layout.sites[s][2]} for s in site_keys]

    big = n_nodes > physics_max
    return {
        "format": "netconsol-topology", "version": 1, "title": title, "lang": lang, "text": text,
        "options": {"physics": not big, "collapsed": n_nodes > collapse_above,
                    "subnets": n_nodes <= subnets_shown_max, "big": big},
        "palette": {"cls": CLASS_COLORS, "target": plan["targets"]},
        "filters": filters,
        "districts": districts, "sites": sites, "plan": plan, "figures": figures,
        "nodes": nodes, "edges": edges,
    }


def _plan_node(nid, label, type_, kind, cls, facts, **extra) -> dict:
    return {"id": nid, "label": label, "type": type_, "kind": kind, "cls": cls, "district": "", "department": "",
            "site": "", "dist": "", "x": 0.0, "y": 0.0, "facts": facts, "planOnly": True, **extra}


def _plan_facts(row: dict, skip) -> list[list[str]]:
    return [[str(k), _s(v)] for k, v in row.items() if k not in skip and _s(v) and not isinstance(v, bool)]


def _merge_overlay(merge, nodes: _Table, index, nodes_attr, plan, plan_nodes, plan_edges) -> None:
    """Targets on networks (and their devices and subnets), an edge to each target domain.

    A target names a network of the graph (``extranet-admin``) or a network class that exactly
    one network has (``extranet_admin``: the domain network itself); anything else gets a
    plan-only node.  Rows with ``edge`` False (kept networks) are annotated, not linked.
    """
    cols = nodes.cols
    types = cols["type"]
    by_kind = {}
    for i, (t, k) in enumerate(zip(types, cols["kind"])):
        if t == "network" and k:
            by_kind.setdefault(k, []).append(cols["id"][i])
    rows = _records(merge)
    labels = {}
    for row in rows:
        t = _s(row.get("target"))
        if t and _s(row.get("target_label")):
            labels.setdefault(t, _s(row.get("target_label")))

    def resolve(t):
        if f"network:{t}" in index:
            return f"network:{t}"
        if len(by_kind.get(t, ())) == 1:
            return by_kind[t][0]
        return f"plan:domain:{t}"

    def edge_of(row):
        e = row.get("edge", True)
        return True if e is None or e is pd.NA or (isinstance(e, float) and e != e) else bool(e)

    targets = sorted({_s(r.get("target")) for r in rows if _s(r.get("target"))})
    linked = {_s(r.get("target")) for r in rows if edge_of(r)}
    colours = {}
    spare = iter(TARGET_COLORS * (len(targets) // len(TARGET_COLORS) + 1))
    for t in targets:
        tnode = resolve(t)
        if t not in linked:
            colours[t] = KEPT_COLOR
        elif t in CLASS_COLORS and t:
            colours[t] = CLASS_COLORS[t]
        elif tnode in index:
            colours[t] = CLASS_COLORS.get(cols["cls"][index[tnode]]) or next(spare)
        else:
            colours[t] = next(spare)
    plan["targets"] = colours
    plan["targetLabels"] = {t: labels.get(t, t) for t in targets}
    made = set()
    target_of = {}
    skip = ("network", "target", "edge", "target_label")
    extra = nodes.extra
    for row in rows:
        net, tgt = _s(row.get("network")), _s(row.get("target"))
        if not net or not tgt:
            continue
        nid = f"network:{net}"
        i = index.get(nid)
        if i is None:
            plan["unmatched"]["merge"].append(net)
            continue
        edge = edge_of(row)
        target_of[net] = tgt
        nodes.set(i, "target", tgt)
        nodes.set(i, "targetLabel", labels.get(tgt, tgt))
        nodes.set(i, "planFacts", _plan_facts(row, skip))
        plan["merge"] += 1
        if not edge:
            continue
        tnode = resolve(tgt)
        if tnode.startswith("plan:") and tnode not in made:
            made.add(tnode)
            plan_nodes.append(_plan_node(tnode, labels.get(tgt, tgt), "network", tgt, "", [["kind", tgt]]))
        if tnode != nid:
            f, t = sorted((nid, tnode))
            plan_edges.append({"from": f, "to": t, "type": "plan_merge", "facts": [["target", labels.get(tgt, tgt)]],
                               "target": tgt, "planOnly": True})
    if not target_of:
        return
    ids, empty = cols["id"], {}
    first = {}  # a device's or subnet's network text -> the target of its first network that has one

    def target_of_text(text):
        nets = [m for m in _s(text).split() if m in target_of]
        return target_of[nets[0]] if nets else None

    for i, t in enumerate(types):
        if (t == "device" or t == "subnet") and "target" not in extra.get(i, empty):
            text = nodes_attr[ids[i]].get("network")
            if type(text) is str:
                tgt = first.get(text, _ABSENT)
                if tgt is _ABSENT:
                    tgt = first[text] = target_of_text(text)
            else:
                tgt = target_of_text(text)
            if tgt is not None:
                nodes.set(i, "target", tgt)
                nodes.set(i, "targetLabel", labels.get(tgt, tgt))


_NATIVE = frozenset((str, bool, int, float, type(None)))


def _records(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")``, read column by column when every column holds plain Python
    values (numpy bool/int/float columns, object columns of str, bool, int, float or None):
    those are what to_dict gives for them, without boxing each cell.  Otherwise to_dict itself."""
    names = list(df.columns)
    if len(set(names)) != len(names):
        return df.to_dict("records")
    cols = []
    for name in names:
        s = df[name]
        if isinstance(s.dtype, np.dtype) and s.dtype.kind in "biuf":  # not Int64 & co (NA)
            cols.append(s.tolist())
        elif s.dtype == object:
            values = s.tolist()
            if not set(map(type, values)) <= _NATIVE:
                return df.to_dict("records")
            cols.append(values)
        else:
            return df.to_dict("records")
    return [dict(zip(names, row)) for row in zip(*cols)] if names else [{} for _ in range(len(df))]


def _exit_overlay(exits, nodes: _Table, index, plan, plan_nodes, plan_edges) -> None:
    """Dispositions on exits; an edge from each exit that moves to its unified exit."""
    unified_ids = {p["id"] for p in plan_nodes if p.get("unified")}
    skip = ("exit", "disposition", "disposition_label", "target_site")
    for row in exits.to_dict("records"):
        xid = f"exit:{_s(row.get('exit'))}"
        i = index.get(xid)
        if i is None:
            plan["unmatched"]["exits"].append(_s(row.get("exit")))
            continue
        disposition = _s(row.get("disposition"))
        nodes.set(i, "disposition", disposition)
        nodes.set(i, "dispositionLabel", _s(row.get("disposition_label")) or disposition)
        nodes.set(i, "planFacts", _plan_facts(row, skip))
        plan["exits"] += 1
        site = _s(row.get("target_site"))
        if not site or disposition not in CLOSING:
            continue
        nodes.set(i, "targetSite", site)
        uid = f"plan:exit:{site}"
        if uid not in unified_ids:
            unified_ids.add(uid)
            plan_nodes.append(_plan_node(uid, site, "exit", "unified", "internet", [["site", site]], unified=True))
            plan["unified"] += 1
        f, t = sorted((xid, uid))
        plan_edges.append({"from": f, "to": t, "type": "plan_exit", "facts": [["target_site", site]],
                           "planOnly": True})


def _place_plan_nodes(plan_nodes, nodes: _Table, layout: Layout) -> None:
    """Plan-only nodes (target domains, unified exits) on a ring just outside the drawing."""
    if not plan_nodes:
        return
    xs = nodes.cols["x"] or [0.0]
    ys = nodes.cols["y"] or [0.0]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    radius = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 + 150.0

    ordered = sorted(plan_nodes, key=lambda r: r["id"])
    for i, r in enumerate(ordered):
        a = -math.pi / 2 + 2 * math.pi * i / len(ordered)
        r["x"] = round(cx + radius * math.cos(a), 1)
        r["y"] = round(cy + radius * math.sin(a), 1)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("netconsol.render", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def topology_html(graph, **kwargs) -> str:
    """The whole page as text; keyword arguments as for :func:`topology_data`."""
    return render_page(_page_data(graph, **kwargs))


PACKED = ("nodes", "edges", "sites", "districts")


def _facts_only(lists: list) -> bool:
    """Every element of every list a [str, str] pair (or a tuple of two str)."""
    pairs = list(chain.from_iterable(lists))
    return (set(map(type, pairs)) <= {list, tuple} and set(map(len, pairs)) <= {2}
            and set(map(type, chain.from_iterable(pairs))) <= {str})


def _codes(strings: dict, values: list) -> list[int]:
    """Each of *values* (str) as its index in *strings*, numbering the new ones as first met."""
    start = len(strings)
    new = dict.fromkeys(values)
    if len(new) == len(values) and strings.keys().isdisjoint(new):  # ids: every value distinct and new
        strings.update(zip(new, count(start)))
        return list(range(start, start + len(values)))
    strings.update(zip(filterfalse(strings.__contains__, new), count(start)))
    return list(map(strings.__getitem__, values))


def _flat_codes(strings: dict, rows: list) -> list:
    """Flat facts rows ([k1, v1, ...], or _ABSENT) as lists of string indices (None where absent)."""
    absent = any(map(is_, rows, repeat(_ABSENT)))
    codes = _codes(strings, list(chain.from_iterable(r for r in rows if r is not _ABSENT) if absent
                                 else chain.from_iterable(rows)))
    lens = [0 if r is _ABSENT else len(r) for r in rows] if absent else list(map(len, rows))
    return [None if r is _ABSENT else codes[e - n:e] for r, n, e in zip(rows, lens, accumulate(lens))]


def _pack_column(strings: dict, values: list) -> tuple[str, list]:
    """(kind, packed values) of one column (see :func:`pack_page_data`)."""
    absent = any(map(is_, values, repeat(_ABSENT)))
    present = [v for v in values if v is not _ABSENT] if absent else values
    types = set(map(type, present))
    if types == {str}:
        col = _codes(strings, present)
        if absent:
            it = iter(col)
            col = [None if v is _ABSENT else next(it) for v in values]
        return "s", col
    if types == {list} and _facts_only(present):
        return "f", _flat_codes(strings, [v if v is _ABSENT else list(chain.from_iterable(v)) for v in values])
    if type(None) in types:
        return "n", [None if v is _ABSENT else [v] for v in values]
    return "j", [None if v is _ABSENT else v for v in values] if absent else values


def _pack_table_column(strings: dict, table: _Table, key) -> tuple[str, list]:
    if key in table.flat:  # facts kept flat: packed as they are when the plain records' facts are too
        tail = [r.get(key, _ABSENT) for r in table.tail]
        given = [v for v in tail if v is not _ABSENT]
        if set(map(type, given)) <= {list} and _facts_only(given) and (table.n or given):
            return "f", _flat_codes(strings, table.cols[key] + [v if v is _ABSENT else list(chain.from_iterable(v))
                                                                for v in tail])
    return _pack_column(strings, table.column(key))


def pack_page_data(data: dict) -> dict:
    """*data* with its record lists packed for the page: one shared table of strings
    (``strings``) and, per list, ``{"keys", "kinds", "rows"}`` where a row holds, per key, the
    string's index (kind "s"), facts as flat string indices (kind "f"), the JSON value (kind
    "j"), or the value wrapped in a list (kind "n", for a key whose values include null); null
    marks a key the record does not have.  A province's 117,000 nodes and 290,000 edges take
    ~2.4x fewer bytes than as objects.  :func:`unpack_page_data` (and the page's script) undo it.
    Built column by column (a :class:`_Table` is packed from its columns as they are): strings
    are numbered as first met, key by key in the order the records first have them."""
    strings: dict = {}
    out = dict(data)
    for name in PACKED:
        if name not in data:
            continue
        records = data[name]
        if isinstance(records, _Table):
            keys = records.keys()
            packed = [_pack_table_column(strings, records, k) for k in keys]
            n = len(records)
        else:
            records = records or []
            keys = list(dict.fromkeys(chain.from_iterable(records)))
            packed = [_pack_column(strings, list(map(methodcaller("get", k, _ABSENT), records))) for k in keys]
            n = len(records)
        out[name] = {"keys": keys, "kinds": [k for k, _ in packed],
                     "rows": list(map(list, zip(*(c for _, c in packed)))) if packed else [[] for _ in range(n)]}
    out["strings"] = list(strings)
    return out


def unpack_page_data(packed: dict) -> dict:
    """The inverse of :func:`pack_page_data` (what the page's script does on load)."""
    strings = packed["strings"]
    out = {k: v for k, v in packed.items() if k != "strings"}
    for name in PACKED:
        p = packed.get(name)
        if p is None:
            continue
        records = []
        for row in p["rows"]:
            r = {}
            for k, kind, v in zip(p["keys"], p["kinds"], row):
                if v is None:
                    continue
                if kind == "s":
                    r[k] = strings[v]
                elif kind == "f":
                    r[k] = [[strings[v[i]], strings[v[i + 1]]] for i in range(0, len(v), 2)]
                elif kind == "n":
                    r[k] = v[0]
                else:
                    r[k] = v
            records.append(r)
        out[name] = records
    return out


@functools.lru_cache(maxsize=1)
def _assets_and_csp() -> tuple[str, str, str, str, str]:
    vis_js, vis_css = vis_assets()
    app_js, app_css = _own_assets()
    csp = ("default-src 'none'; script-src {s1} {s2}; style-src {c1} {c2}; img-src data:; "
           "base-uri 'none'; form-action 'none'").format(
        s1=_sha256(vis_js), s2=_sha256(app_js), c1=_sha256(vis_css), c2=_sha256(app_css))
    return vis_js, vis_css, app_js, app_css, csp


def _render(data: dict, data_json: str) -> str:
    vis_js, vis_css, app_js, app_css, csp = _assets_and_csp()
    tpl = _environment().get_template("topology.html.j2")
    return tpl.render(title=data["title"], lang=data["lang"], text=data["text"], csp=csp,
                      vis_js=Markup(vis_js), vis_css=Markup(vis_css), app_js=Markup(app_js),
                      app_css=Markup(app_css), data_json=Markup(data_json), plan=data["plan"]["available"])


def render_page(data: dict) -> str:
    """The page for *data* (as :func:`topology_data` returns it; packed on the way)."""
    return _render(data, script_json(pack_page_data(data)))


_DATA_SLOT = "\x00netconsol-data-slot\x00"


def _script_json_bytes(obj) -> bytes:
    """``script_json(obj).encode("utf-8")``, escaped on the bytes (a UTF-8 character's bytes
    never occur inside another's, so replacing them is replacing the character)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates (undecodable bytes): keep them as \\u escapes
        raw = json.dumps(obj, ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode("ascii")
    del text
    for ch, esc in _JSON_ESCAPES:
        b = ch.encode("utf-8")
        if b in raw:
            raw = raw.replace(b, esc.encode("ascii"))
    return raw


def _page_bytes(data: dict) -> list[bytes]:
    """:func:`render_page` of *data* as UTF-8, in pieces: the template is rendered around a slot
    and the data's JSON (tens of MB on a province) is encoded once, never joined to it."""
    page = _render(data, _DATA_SLOT)
    if page.count(_DATA_SLOT) != 1:  # the slot's text came in with the title: render it whole
        return [render_page(data).encode("utf-8")]
    head, _, tail = page.partition(_DATA_SLOT)
    return [head.encode("utf-8"), _script_json_bytes(pack_page_data(data)), tail.encode("utf-8")]


def write_topology_html(graph, out, **kwargs) -> Path:
    """Write the page to the file *out* (and nothing else); the path written.

    *out* must name a file ending in ``.html``/``.htm``, without ``..`` and not a symbolic
    link; its directory is made if missing.  The text goes to a temporary file in that
    directory, renamed into place: nothing else is written, and a reader never sees half a
    file.
    """
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise HtmlOutputError(f"{str(out)!r}: the topology is one HTML file; give a path ending in .html")
    if out.is_dir():
        raise HtmlOutputError(f"{str(out)!r} is a directory; give a file path ending in .html")
    if ".." in out.parts:
        raise HtmlOutputError(f"{str(out)!r}: '..' is not allowed; name the output path directly "
                              "(an absolute path is fine)")
    if out.is_symlink():
        raise HtmlOutputError(f"{str(out)!r} is a symbolic link (to {os.readlink(out)!r}); "
                              "give the path of a regular file")
    chunks = _page_bytes(_page_data(graph, **kwargs))
    parent = out.parent if str(out.parent) else Path(".")
    parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".topology-", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.writelines(chunks)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return out
