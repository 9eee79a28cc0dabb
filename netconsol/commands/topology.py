"""``netconsol topology``: the snapshot's topology as one self-contained HTML file.

Thin: load the snapshot, infer links when it has none, build the graph, optionally turn the
plans into overlay tables, and hand everything to :mod:`netconsol.render.html`.
"""
from __future__ import annotations

from pathlib import Path

import click

__all__ = ["topology", "commands"]


@click.command("topology")
@click.argument("snapshot", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--html", "html_out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="HTML file to write (.html). Only this file is written; it loads nothing from the network.")
@click.option("--plan", "with_plan", is_flag=True,
              help="Overlay the merge plan and the exit plan; the page switches between current and proposed.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Rules directory replacing the shipped rules/ (per file), for --plan.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the page's controls and legend.")
@click.option("--title", default=None, help="Page title (default: the city's name and 'topology').")
def topology(snapshot, html_out, with_plan, rules_dir, lang, title):
    """Draw a snapshot's topology as one self-contained HTML file.

    Devices, networks, subnets, sites and exits, placed by district and site (same snapshot,
    byte-identical file).  The page has a search box, filters by district, department and
    network class, and tooltips with the facts; large graphs start collapsed into districts
    and sites that open on click.  Everything is inline: it works on an air-gapped machine.
    Links are inferred when the snapshot has none.

    \b
    Example:
      netconsol topology out/snapshot --html out/topology.html
      netconsol topology out/snapshot --html out/topology.html --plan --lang en
    """
    from ..analyze import build_graph, infer_links
    from ..inventory import Inventory
    from ..render.html import write_topology_html

    inv = Inventory.load(snapshot)
    links = inv["links"]
    inferred = False
    if links.empty:
        links = infer_links(inv)
        inferred = True
    graph = build_graph(inv, links)
    merge = exits = unified = None
    if with_plan:
        from ..analyze.exits import load_exit_rules
        from ..render.exits_doc import plan_exits
        from ..analyze.merge import load_domain_rules, plan_merge
        from ..analyze.overlays import exit_overlay, merge_overlay
        from ..normalize.carriers import Carriers
        from ..rules import rules_path

        carriers = Carriers.load(rules_path("carriers.yaml", rules_dir))
        exit_rules = load_exit_rules(rules_path("exits.yaml", rules_dir), carriers=carriers)
        exits, unified = exit_overlay(plan_exits(inv, exit_rules), exit_rules, lang)
        merge = merge_overlay(plan_merge(inv, load_domain_rules(rules_path("domains.yaml", rules_dir))), lang)
    if title is None:
        city = inv["units"][inv["units"]["level"] == "city"]["name"]
        place = city.iloc[0] if len(city) else snapshot.name
        title = f"{place} 网络拓扑" if lang == "zh" else f"{place} network topology"
    path = write_topology_html(graph, html_out, merge=merge, exits=exits, unified=unified, title=title, lang=lang)
    click.echo(f"wrote {path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges"
               + (f" ({len(links)} links inferred)" if inferred else ""))
    if with_plan:
        click.echo(f"plan overlay: {0 if merge is None else len(merge)} networks to merge, "
                   f"{0 if exits is None else len(exits)} exit rows with a disposition")


commands = [topology]
