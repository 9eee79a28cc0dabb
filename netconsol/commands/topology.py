"""``netconsol topology``: the snapshot's topology as one self-contained HTML file.

Thin: load the snapshot, infer links when it has none, build the graph, optionally turn the
plans into overlay tables, and hand everything to :mod:`netconsol.render.html`.
"""
from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

__all__ = ["topology", "commands", "exit_overlay", "merge_overlay"]


def exit_overlay(inv, rules_dir=None, lang: str = "zh"):
    """(exits, unified) overlay tables from the exit plan, keyed by the graph's exit ids.

    The plan numbers reconciled exits (a sheet row and the config interface that are one line
    share an ``E-...`` id); the graph draws the rows of ``exits``.  Every row of a reconciled
    exit gets its disposition.
    """
    from ..analyze.exits import load_exit_rules, plan_exits, reconcile_exits
    from ..normalize.carriers import Carriers
    from ..rules import rules_path

    carriers = Carriers.load(rules_path("carriers.yaml", rules_dir))
    rules = load_exit_rules(rules_path("exits.yaml", rules_dir), carriers=carriers)
    plan = plan_exits(inv, rules)
    reconciled, _ = reconcile_exits(inv, rules)
    members = {}
    for r in reconciled.itertuples(index=False):
        ids = [i for i in [str(r.sheet_exit or "")] + str(r.config_exit or "").split() if i]
        members[r.exit] = ids
    rows = []
    for r in plan.tables["exits"].itertuples(index=False):
        for xid in members.get(r.exit, [r.exit]):
            rows.append({"exit": xid, "disposition": r.disposition, "target_site": r.target_site or "",
                         "disposition_label": str(plan.value_label("disposition", r.disposition, lang) or ""),
                         "plan_exit": r.exit})
    exits = pd.DataFrame(rows, columns=["exit", "disposition", "target_site", "disposition_label", "plan_exit"])
    names = {s.id: (s.name if lang == "zh" else (s.name_en or s.name)) for s in rules.sites}
    design = plan.tables.get("design")
    unified = []
    if design is not None and len(design):
        for site, g in design.groupby("site", sort=True):
            unified.append({"site": site, "name": names.get(site, site), "role": str(g["role"].iloc[0]),
                            "carrier": " ".join(str(c) for c in g["carrier"]),
                            "bought_mbps": float(g["bought_mbps"].sum())})
    return exits, pd.DataFrame(unified, columns=["site", "name", "role", "carrier", "bought_mbps"])


def merge_overlay(inv, rules_dir=None, lang: str = "zh"):
    """The merge plan as an overlay table: network, target (a domain class), edge (moves into an
    extranet domain, rather than kept outside or recorded for the intranet), labels and the
    plan's method, address action, attach point and wave.  None while there is no merge plan."""
    import importlib

    name = f"{__package__.rsplit('.', 1)[0]}.analyze.merge"
    try:
        merge_mod = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name == name:
            return None
        raise
    from ..domains import EXTRANET_TARGETS
    from ..rules import rules_path

    rules = merge_mod.load_domain_rules(rules_path("domains.yaml", rules_dir))
    plan = merge_mod.plan_merge(inv, rules)
    nets = plan.tables["networks"]

    def label(col, v):
        v = "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
        return "" if v == "" else str(plan.value_label(col, v, lang))

    rows = []
    for r in nets.to_dict("records"):
        rows.append({"network": r["network"], "target": r["target"], "edge": r["target"] in EXTRANET_TARGETS,
                     "target_label": label("target", r["target"]), "method": label("method", r.get("method")),
                     "action": label("action", r.get("action")), "attach_point": label("attach_point",
                                                                                        r.get("attach_point")),
                     "wave": label("wave", r.get("wave"))})
    return pd.DataFrame(rows, columns=["network", "target", "edge", "target_label", "method", "action",
                                       "attach_point", "wave"])


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
    notes = []
    if with_plan:
        exits, unified = exit_overlay(inv, rules_dir, lang)
        merge = merge_overlay(inv, rules_dir, lang)
        if merge is None:
            notes.append("merge plan: not available yet (netconsol.analyze.merge)")
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
    for n in notes:
        click.echo(n)


commands = [topology]
