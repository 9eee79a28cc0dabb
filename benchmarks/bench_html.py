"""Benchmark: the topology HTML of a 10,000-node demo-like city, ours beside pyvis's default.

    python benchmarks/bench_html.py [--nodes 10000] [--seed 2017] [--pyvis-cap 60] [--no-pyvis] [--spring]

Ours (netconsol.render.html): build and write the page (target <= 3 s), its size, and the time
to the first draw in headless Chromium (target <= 3 s: the page sets ``netconsolFirstDraw`` at
vis-network's first ``afterDrawing``), then opening one district and expanding everything.

pyvis 0.3.2's default (``Network(cdn_resources="in_line")``, ``from_nx``, physics on): build and
write, size, requests that try to leave the machine (its template loads Bootstrap from a CDN),
and whether vis-network's physics settles within the cap (``network.physics.stabilized``).

Layout: ``layout_by_site`` against networkx's ``spring_layout`` (seeded) at 1,000 and 2,000
nodes, and at the full size with ``--spring`` (minutes).  Both pages are opened offline (the
network emulated down), as on the air-gapped workstations they are made for.  Figures are
printed; nothing is written outside a temporary directory.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "html"))

from cdp import Chromium  # noqa: E402
from synthetic import demo_like_graph, plan_tables  # noqa: E402


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def bench_ours(g, work: Path, browser: Chromium) -> dict:
    from netconsol.render.html import write_topology_html

    merge, exits, unified = plan_tables(g)
    out = work / "ours.html"
    times = []
    for _ in range(3):
        t = time.perf_counter()
        write_topology_html(g, out, merge=merge, exits=exits, unified=unified, title="bench")
        times.append(time.perf_counter() - t)
    first = times[0]
    page = browser.new_page()
    t = time.perf_counter()
    page.navigate(out.resolve().as_uri())
    ready = page.wait_for("window.netconsolReady === true", 60)
    wall = time.perf_counter() - t
    draw_ms = page.evaluate("window.netconsolFirstDraw") if ready else None
    shown = page.evaluate("netconsol.shown.nodes.length") if ready else 0
    cluster = page.evaluate("netconsol.shown.nodes.getIds().filter(function(i){return i.indexOf('cluster:d')===0})"
                            ".sort()[0]")
    # a small graph is drawn whole, without district clusters: nothing to open
    open_ms = page.evaluate("(function(){var t=performance.now(); netconsol.openCluster(%r);"
                            " return performance.now()-t})()" % cluster) if cluster else None
    opened = page.evaluate("netconsol.shown.nodes.length")
    expand_ms = page.evaluate("(function(){var t=performance.now(); netconsol.expandAll();"
                              " return performance.now()-t})()", timeout=120)
    expanded = page.evaluate("netconsol.shown.nodes.length")
    result = {"write_first_s": first, "write_median_s": statistics.median(times), "size": out.stat().st_size,
              "draw_ms": draw_ms, "wall_s": wall, "shown": shown, "open_ms": open_ms, "opened": opened,
              "expand_ms": expand_ms, "expanded": expanded, "requests": page.requests(), "errors": page.errors()}
    page.close()
    return result


def bench_pyvis(g, work: Path, browser: Chromium, cap: float) -> dict:
    import networkx as nx
    from pyvis.network import Network

    # labels and a text title only: the graph's other attributes are not vis options
    h = nx.Graph()
    for n, a in g.nodes(data=True):
        h.add_node(n, label=a.get("label", n), title=f"{a.get('type', '')} {a.get('label', '')}")
    h.add_edges_from(g.edges())
    out = work / "pyvis.html"
    cwd = os.getcwd()
    os.chdir(work)  # pyvis writes relative to the working directory
    try:
        t = time.perf_counter()
        net = Network(cdn_resources="in_line")
        net.from_nx(h)
        net.write_html(str(out))
        build = time.perf_counter() - t
    finally:
        os.chdir(cwd)
    page = browser.new_page()
    t = time.perf_counter()
    # its scripts run vis-network's layout and physics before the load event: do not wait for it
    page.navigate(out.resolve().as_uri(), wait=False)
    settled = page.wait_for("typeof network !== 'undefined' && network.physics && "
                            "network.physics.stabilized === true", cap, interval=0.5)
    waited = time.perf_counter() - t
    result = {"build_s": build, "size": out.stat().st_size, "settled": bool(settled), "waited_s": waited,
              "requests": page.requests(), "errors": page.errors()}
    page.close()
    return result


def bench_layout(full, spring_full: bool) -> list[tuple]:
    import networkx as nx

    from netconsol.render.layout import layout_by_site

    rows = []
    sizes = [1000, 2000] + ([full.number_of_nodes()] if spring_full else [])
    for n in sizes:
        g = full if n == full.number_of_nodes() else demo_like_graph(n)
        t = time.perf_counter()
        layout_by_site(g)
        ours = time.perf_counter() - t
        t = time.perf_counter()
        nx.spring_layout(g, seed=7)
        spring = time.perf_counter() - t
        rows.append((g.number_of_nodes(), ours, spring))
    if not spring_full:
        t = time.perf_counter()
        layout_by_site(full)
        rows.append((full.number_of_nodes(), time.perf_counter() - t, None))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=2017)
    ap.add_argument("--pyvis-cap", type=float, default=60.0, help="seconds to wait for pyvis's physics to settle")
    ap.add_argument("--no-pyvis", action="store_true", help="skip the pyvis baseline")
    ap.add_argument("--spring", action="store_true", help="also time spring_layout at the full size (minutes)")
    args = ap.parse_args(argv)

    g = demo_like_graph(args.nodes, seed=args.seed)
    print(f"graph: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
          f"(tests/html/synthetic.py, seed {args.seed})")
    with tempfile.TemporaryDirectory(prefix="bench-html-") as tmp, Chromium(1600, 1000) as browser:
        work = Path(tmp)
        o = bench_ours(g, work, browser)
        print("\nnetconsol.render.html (pyvis's vis-network 9.1.2 inlined, our template)")
        print(f"  build + write HTML      {o['write_first_s']:.2f} s first call, "
              f"{o['write_median_s']:.2f} s median of 3   (target <= 3 s)")
        print(f"  file size               {_mb(o['size'])}")
        draw = f"{o['draw_ms'] / 1000:.2f} s" if o["draw_ms"] is not None else "no draw in 60 s"
        print(f"  first draw in Chromium  {draw} after navigation start ({o['shown']} nodes and clusters shown;"
              f" {o['wall_s']:.2f} s wall incl. CDP)   (target <= 3 s)")
        if o["open_ms"] is None:
            print(f"  open one district       (no district cluster: {o['shown']} nodes drawn whole)")
        else:
            print(f"  open one district       {o['open_ms'] / 1000:.2f} s -> {o['opened']} shown")
        print(f"  expand all              {o['expand_ms'] / 1000:.2f} s -> {o['expanded']} shown (subnets hidden)")
        print(f"  requests                {len(o['requests'])} (file:// only: "
              f"{all(u.startswith('file://') for u in o['requests'])}); console errors {len(o['errors'])}")
        if not args.no_pyvis:
            p = bench_pyvis(g, work, browser, args.pyvis_cap)
            print("\npyvis 0.3.2 default (Network(cdn_resources='in_line'), from_nx, physics on)")
            print(f"  build + write HTML      {p['build_s']:.2f} s")
            print(f"  file size               {_mb(p['size'])}")
            state = (f"settled after {p['waited_s']:.1f} s" if p["settled"]
                     else f"not settled after {args.pyvis_cap:.0f} s")
            print(f"  physics                 {state}")
            leaving = [u for u in p["requests"] if not u.startswith(("file://", "data:"))]
            print(f"  requests leaving        {len(leaving)} ({', '.join(sorted({u.split('/')[2] for u in leaving}))})"
                  f"; console errors {len(p['errors'])}")
    print("\nlayout (seconds)")
    print(f"  {'nodes':>7}  {'layout_by_site':>14}  {'nx.spring_layout':>16}")
    for n, ours, spring in bench_layout(g, args.spring):
        print(f"  {n:>7}  {ours:>14.2f}  {('%.1f' % spring) if spring is not None else '(--spring)':>16}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
