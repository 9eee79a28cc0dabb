"""Helpers for the topology page tests: hostile strings, and reading a page over CDP."""
from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(2)</script>",
    "\" onmouseover=\"alert(3)",
    "<!--<script>alert(4)//-->",
    "line\u2028sep\u2029para",
    "&lt;b&gt;&amp;",
]


def hostile_graph() -> nx.Graph:
    g = nx.Graph()
    keys = ("vendor", "platform", "department", "district", "town", "network", "kind", "addresses", "carrier",
            "evidence")
    g.add_node("unit:C", type="unit", label="C", kind="city", **{k: "" for k in keys if k != "kind"})
    for i, bad in enumerate(HOSTILE):
        g.add_node(f"device:{bad}", type="device", label=bad, site=bad, department=bad, district="",
                   addresses="10.0.0.1/30", kind="router")
        g.add_edge(f"device:{bad}", "unit:C", type="located")
        if i:
            g.add_edge(f"device:{bad}", f"device:{HOSTILE[i - 1]}", type="link", evidence=bad, interfaces=bad)
    return g


def open_topology(page, path: Path, fragment: str = "", timeout: float = 30.0):
    """Navigate to the file and wait for the page's first draw."""
    page.navigate(path.resolve().as_uri() + fragment)
    assert page.wait_for("window.netconsolReady === true", timeout), \
        f"no first draw in {timeout} s; errors: {page.errors()}"


def node_point(page, node_id: str) -> tuple[float, float]:
    """Viewport coordinates of a shown node's centre."""
    x, y = page.evaluate(
        "(function(){var n=netconsol.network, id=%s; var p=n.canvasToDOM(n.getPosition(id));"
        "var r=document.getElementById('graph').getBoundingClientRect(); return [r.left+p.x, r.top+p.y];})()"
        % json.dumps(node_id))
    return x, y


def page_graph(page) -> tuple[set, list]:
    """(node ids, sorted (from, to, type) edges) of the page's DataSets, plan overlays left out."""
    nodes = page.evaluate("netconsol.data.nodes.get().filter(function(n){return !n.planOnly})"
                          ".map(function(n){return n.id})")
    edges = page.evaluate("netconsol.data.edges.get().filter(function(e){return !e.planOnly})"
                          ".map(function(e){return [e.from, e.to, e.type]})")
    return set(nodes), sorted(tuple(e) for e in edges)


def graph_of(g) -> tuple[set, list]:
    edges = []
    for u, v, a in g.edges(data=True):
        f, t = sorted((str(u), str(v)))
        edges.append((f, t, a.get("type", "")))
    return {str(n) for n in g.nodes}, sorted(edges)


def drawn_pixels(page) -> int:
    """Non-transparent pixels of the vis canvas (its background is transparent)."""
    return page.evaluate(
        "(function(){var c=document.querySelector('#graph canvas'); var d=c.getContext('2d')"
        ".getImageData(0,0,c.width,c.height).data; var n=0; for(var i=3;i<d.length;i+=4){if(d[i]>0)n++;} return n;})()")


