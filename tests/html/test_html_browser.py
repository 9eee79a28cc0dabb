"""The topology page in real headless Chromium, driven over the DevTools protocol.

Every page is opened from file:// with the network emulated offline (an air-gapped
workstation) and watched: the only request is the file itself, the console stays clean, the
canvas is drawn, and the page's vis DataSets hold exactly the graph.  Hostile hostnames and
descriptions are hovered for real (mouse events) and must show as text, with no dialog.
"""
from __future__ import annotations

import json
import re
from pathlib import Path


from pagecheck import HOSTILE, drawn_pixels, graph_of, hostile_graph, node_point, open_topology, page_graph
from netconsol.analyze import build_graph, infer_links
from netconsol.collectors import collect
from netconsol.inventory import Inventory
from netconsol.render.html import write_topology_html
from synthetic import demo_like_graph, plan_tables

ROOT = Path(__file__).resolve().parents[2]


def assert_clean(page, url_prefix="file://"):
    requests = page.requests()
    assert requests and all(u.startswith(url_prefix) for u in requests), requests
    assert len(requests) == 1, requests       # the page itself, nothing else
    assert page.errors() == []
    assert page.dialogs() == []


def test_corpus_network_draws_offline_with_its_exact_graph(page, corpus, tmp_path):
    """A real public network (Batfish's example configs), collected, links inferred."""
    inv = collect([corpus / "batfish" / "networks" / "example" / "live" / "configs"])
    g = build_graph(inv, infer_links(inv))
    assert g.number_of_nodes() > 10
    out = write_topology_html(g, tmp_path / "example.html", lang="en")
    open_topology(page, out)
    assert_clean(page)
    assert drawn_pixels(page) > 2000
    assert page_graph(page) == graph_of(g)
    # small graph: physics settles it, then stops
    assert page.wait_for("netconsol.network.physics.physicsEnabled === false", 20)


def test_demo_city_with_plans(page, demo_snapshot, tmp_path):
    """The demo city through the CLI with --plan: draws offline, the switch shows the plans."""
    from click.testing import CliRunner

    from netconsol.cli import cli

    out = tmp_path / "demo.html"
    r = CliRunner().invoke(cli, ["topology", str(demo_snapshot), "--html", str(out), "--plan"])
    assert r.exit_code == 0, r.output
    merged, dispositions = map(int, re.search(r"plan overlay: (\d+) networks to merge, (\d+) exit rows", r.output)
                               .groups())
    assert merged > 10 and dispositions > 10, r.output
    inv = Inventory.load(demo_snapshot)
    g = build_graph(inv, infer_links(inv))
    open_topology(page, out)
    assert_clean(page)
    assert drawn_pixels(page) > 5000
    assert page_graph(page) == graph_of(g)
    shown_plan = "netconsol.shown.edges.get().filter(function(e){return e.id.charAt(0)==='e' && " \
                 "netconsol.data.edges.get(e.id).planOnly}).length"
    assert page.evaluate(shown_plan) == 0
    page.evaluate("netconsol.setMode('proposed')")
    assert page.evaluate(shown_plan) > 10
    kinds = page.evaluate("netconsol.shown.edges.getIds().filter(function(i){return i.charAt(0)==='e'})"
                          ".map(function(i){return netconsol.data.edges.get(i).type})")
    assert "plan_merge" in kinds and "plan_exit" in kinds
    closing = page.evaluate("netconsol.data.nodes.get().filter(function(n){return n.disposition==='migrate'"
                            "||n.disposition==='decommission'}).map(function(n){return n.id})")
    assert closing
    styled = page.evaluate("netconsol.shown.nodes.get(%s)" % json.dumps(closing[0]))
    assert styled["color"]["background"] == "#c3c9cf" and styled["shapeProperties"]["borderDashes"]
    assert page.evaluate("netconsol.shown.nodes.get().some(function(n){return n.shape==='star'})")
    page.evaluate("netconsol.setMode('current')")
    assert page.evaluate(shown_plan) == 0
    styled = page.evaluate("netconsol.shown.nodes.get(%s)" % json.dumps(closing[0]))
    assert styled["color"]["background"] != "#c3c9cf" and styled["shapeProperties"]["borderDashes"] is False
    assert page.errors() == [] and page.dialogs() == []


def test_hostile_strings_show_as_text_and_run_nothing(page, tmp_path):
    title = "</title><script>alert(8)</script>"
    g = hostile_graph()
    import pandas as pd

    merge = pd.DataFrame([{"network": "none", "target": "x"}])
    out = write_topology_html(g, tmp_path / "hostile.html", title=title, lang="en", merge=merge)
    open_topology(page, out)
    assert page.wait_for("netconsol.network.physics.physicsEnabled === false", 20)
    assert page.evaluate("document.title") == title
    assert page.evaluate("document.getElementById('title').textContent") == title
    for bad in HOSTILE:
        nid = "device:" + bad
        page.mouse("mouseMoved", 5, 5)          # off any node: the previous tooltip goes
        page.browser.pump(0.2)
        x, y = node_point(page, nid)
        page.mouse("mouseMoved", x, y)
        tip = page.wait_for(
            "(function(){var t=document.querySelector('div.vis-tooltip');"
            "return t && getComputedStyle(t).visibility==='visible' && t.querySelector('.nc-tip-title') "
            "&& t.querySelector('.nc-tip-title').textContent===%s ? t.textContent : null})()" % json.dumps(bad), 5)
        page.browser.pump(0.1)
        assert page.dialogs() == [], f"a dialog opened on hovering {bad!r}"
        assert tip, f"no tooltip for {bad!r}"
        assert bad in tip                                  # the site fact, shown literally
        assert tip.count(bad) >= 3                         # title, id, site (and department)
    # the search box and the department filter hold them as text too
    assert page.evaluate("netconsol.search(%s)" % json.dumps(HOSTILE[0])) == "device:" + HOSTILE[0]
    assert HOSTILE[0] in page.evaluate("document.getElementById('search-result').textContent")
    options = page.evaluate("Array.from(document.querySelectorAll('#filter-department option'))"
                            ".map(function(o){return o.textContent})")
    assert set(HOSTILE) <= set(options)
    assert page.evaluate("document.querySelectorAll('img, iframe, svg script').length") == 0
    assert page.dialogs() == []
    assert page.requests() == [out.resolve().as_uri()]
    assert page.errors() == []


def test_hostname_from_a_config_reaches_the_tooltip_as_text(page, tmp_path):
    """End to end: a device's SNMP location in a config carries the payload."""
    cfg = tmp_path / "configs"
    cfg.mkdir()
    bad = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    (cfg / "r1.cfg").write_text("!\nhostname EVIL-R1\n!\nsnmp-server location %s\n!\ninterface GigabitEthernet0/0\n"
                                " description \" onmouseover=\"alert(3)\n ip address 10.9.9.1 255.255.255.252\n!\nend\n"
                                % bad)
    (cfg / "r2.cfg").write_text("!\nhostname EVIL-R2\n!\ninterface GigabitEthernet0/0\n"
                                " ip address 10.9.9.2 255.255.255.252\n!\nend\n")
    inv = collect([cfg])
    snap = inv.save(tmp_path / "snap")
    from click.testing import CliRunner

    from netconsol.cli import cli

    out = tmp_path / "t.html"
    r = CliRunner().invoke(cli, ["topology", str(snap), "--html", str(out)])
    assert r.exit_code == 0, r.output
    open_topology(page, out)
    assert page.wait_for("netconsol.network.physics.physicsEnabled === false", 20)
    x, y = node_point(page, "device:EVIL-R1")
    page.mouse("mouseMoved", x, y)
    tip = page.wait_for("(function(){var t=document.querySelector('div.vis-tooltip');"
                        "return t && getComputedStyle(t).visibility==='visible' ? t.textContent : null})()", 5)
    assert tip and bad in tip
    assert page.dialogs() == [] and page.errors() == []
    assert page.requests() == [out.resolve().as_uri()]


def test_large_graph_starts_collapsed_and_opens_on_click(page, tmp_path):
    g = demo_like_graph(3000, seed=5)
    m, e, u = plan_tables(g)
    out = write_topology_html(g, tmp_path / "big.html", merge=m, exits=e, unified=u)
    open_topology(page, out)
    assert_clean(page)
    assert page_graph(page) == graph_of(g)
    shown = page.evaluate("netconsol.shown.nodes.length")
    assert shown < 60, shown
    assert drawn_pixels(page) > 2000
    cluster = page.evaluate("netconsol.shown.nodes.getIds().filter(function(i){return i.indexOf('cluster:d')===0})"
                            ".sort()[1]")
    x, y = node_point(page, cluster)
    page.click(x, y)
    assert page.wait_for("netconsol.shown.nodes.get(%s) === null" % json.dumps(cluster), 10)
    opened = page.evaluate("netconsol.shown.nodes.length")
    assert opened > shown
    # a device in a collapsed district: search opens its district and site, selects it
    target = page.evaluate("netconsol.data.nodes.get().filter(function(n){return n.type==='device' && n.site && "
                           "netconsol.shown.nodes.get(n.id)===null}).map(function(n){return n.id}).sort()[0]")
    label = page.evaluate("netconsol.data.nodes.get(%s).label" % json.dumps(target))
    page.evaluate("document.getElementById('search').value = %s" % json.dumps(label))
    page.evaluate("document.getElementById('find').click()")
    assert page.evaluate("netconsol.shown.nodes.get(%s) !== null" % json.dumps(target))
    assert page.evaluate("netconsol.network.getSelectedNodes()") == [target]
    # a filter by district leaves only that district's nodes (and clusters of it)
    district = page.evaluate("netconsol.data.nodes.get(%s).district" % json.dumps(target))
    page.evaluate("(function(){var s=document.getElementById('filter-district'); s.value=%s;"
                  "s.dispatchEvent(new Event('change'));})()" % json.dumps(district))
    ids = page.evaluate("netconsol.shown.nodes.getIds()")
    assert target in ids
    for nid in ids:
        if not nid.startswith("cluster:"):
            assert page.evaluate("netconsol.data.nodes.get(%s).district" % json.dumps(nid)) == district
    page.evaluate("netconsol.collapseAll()")
    assert page.evaluate("netconsol.shown.nodes.length") <= shown
    assert page.errors() == [] and page.dialogs() == []


def test_candidate_links_are_drawn_and_counted_apart(page, tmp_path):
    """Issue 19: a pair whose one side has no known owner is a candidate, never a link: dashed,
    its own colour and legend entry, counted apart in the status line (the acceptance case
    reused-lan-two-depts: OFFICE-RT-3F is in no department)."""
    case = ROOT / "tests" / "acceptance" / "topology" / "reused-lan-two-depts"
    inv = collect([case])
    links = infer_links(inv)
    g = build_graph(inv, links)
    cand = sorted(tuple(sorted((u, v))) for u, v, a in g.edges(data=True) if a.get("type") == "candidate")
    real = sorted(tuple(sorted((u, v))) for u, v, a in g.edges(data=True) if a.get("type") == "link")
    assert cand == [("device:JY-CORE-01", "device:OFFICE-RT-3F"), ("device:MZ-CORE-01", "device:OFFICE-RT-3F")]
    assert real == [("device:JY-ACC-01", "device:JY-CORE-01")]
    out = write_topology_html(g, tmp_path / "candidates.html", lang="en")
    open_topology(page, out)
    assert_clean(page)
    assert page_graph(page) == graph_of(g)
    styles = page.evaluate(
        "netconsol.shown.edges.get().filter(function(e){var d=netconsol.data.edges.get(e.id);"
        "return d && (d.type==='link'||d.type==='candidate')}).map(function(e){var d=netconsol.data.edges.get(e.id);"
        "return [d.from, d.to, d.type, e.color.color, e.dashes || false, e.width || 1]})")
    by_type = {}
    for f, t, kind, colour, dashes, width in styles:
        by_type.setdefault(kind, []).append(((f, t), colour, dashes))
    assert sorted(p for p, _, _ in by_type["candidate"]) == cand
    assert sorted(p for p, _, _ in by_type["link"]) == real
    assert all(d and c == "#e8590c" for _, c, d in by_type["candidate"])      # dashed, own colour
    assert all(d is False and c == "#46525e" for _, c, d in by_type["link"])   # solid, the link colour
    legend = page.evaluate("Array.from(document.querySelectorAll('#legend [data-edge]'))"
                           ".map(function(i){return [i.getAttribute('data-edge'), i.textContent,"
                           " i.querySelector('.sw').className]})")
    kinds = {k: (text, cls) for k, text, cls in legend}
    assert "candidate link" in kinds["candidate"][0] and "dashed" in kinds["candidate"][1]
    assert kinds["link"][0] == "L3 link" and "dashed" not in kinds["link"][1]
    status = page.evaluate("document.getElementById('status').textContent")
    assert "; links 1, candidate links (unconfirmed) 2" in status, status
    # the hover says what it is
    tip = page.evaluate("(function(){var e=netconsol.shown.edges.get().filter(function(e){"
                        "var d=netconsol.data.edges.get(e.id); return d && d.type==='candidate'})[0];"
                        "var t=e.title; netconsol.network.emit('hoverEdge', {edge: e.id}); return t.textContent})()")
    assert "candidate link (a side's owner unknown: to confirm)" in tip
    # filtered to one department, only what both of its ends pass is counted
    page.evaluate("(function(){var s=document.getElementById('filter-department'); s.value='市民政局';"
                  "s.dispatchEvent(new Event('change'));})()")
    status = page.evaluate("document.getElementById('status').textContent")
    assert "; links 0, candidate links (unconfirmed) 0" in status, status
    assert page.errors() == [] and page.dialogs() == []
