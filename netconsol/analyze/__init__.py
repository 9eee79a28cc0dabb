"""Analyzers: pure functions over inventory tables (no printing, no files).

:func:`analyze` runs them all and returns a new Inventory whose ``links``,
``conflicts`` and ``metrics`` tables are filled; the pieces are public too::

    links = infer_links(inv)                # L3 links from shared subnets (+ kept lldp/cdp/sheet rows)
    graph = build_graph(inv, links)         # networkx.Graph of devices, subnets, networks, units, exits
    conflicts = find_conflicts(inv, pools)  # overlaps, duplicate IPs, pool conflicts
    metrics = compute_metrics(inv, graph)   # per district and city, definitions labelled
    towns = town_status(inv, graph)         # which towns are attached, and on what basis
"""
from __future__ import annotations

from ..inventory import Inventory
from .metrics import METRICS, attached, compute_metrics, department_status, town_status
from .overlaps import default_pools, find_conflicts, overlapping_pairs
from .topology import EXTRANET_KINDS, build_graph, compatible_networks, infer_links, node_id

__all__ = [
    "analyze", "infer_links", "build_graph", "find_conflicts", "compute_metrics", "town_status",
    "department_status", "attached", "default_pools", "overlapping_pairs", "compatible_networks", "node_id",
    "EXTRANET_KINDS", "METRICS",
]


def analyze(inv: Inventory, pools: dict | None = None) -> Inventory:
    """A copy of *inv* with the links, conflicts and metrics tables computed.

    *pools*: ``{domain: [CIDR, ...]}`` target address plans; None = the manifest ranges of
    the extranet_admin and extranet_public networks; ``{}`` = no pool conflicts.
    """
    links = infer_links(inv)
    out = Inventory({**inv.tables, "links": links})
    graph = build_graph(out, links)
    out["conflicts"] = find_conflicts(out, pools, links)
    out["metrics"] = compute_metrics(out, graph)
    return out
