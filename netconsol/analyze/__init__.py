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

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from ..inventory import Inventory
from .metrics import METRICS, attached, compute_metrics, department_status, town_status, unit_status
from .overlaps import default_pools, find_conflicts, overlapping_pairs, unused_allocations
from .topology import (EXTRANET_KINDS, build_graph, compatible_networks, infer_links, interface_addresses,
                       node_id, vrf_contexts)

__all__ = [
    "ANALYZED_TABLES", "analyze", "link", "Linked", "infer_links", "build_graph", "find_conflicts", "compute_metrics", "town_status",
    "department_status", "attached", "default_pools", "overlapping_pairs", "compatible_networks", "node_id",
    "EXTRANET_KINDS", "METRICS", "unit_status",
]


# the tables analysis replaces (links, issues) or fills (conflicts, metrics; the pipeline's
# reconciliation); every other table of an analyzed inventory is the collected one, shared
ANALYZED_TABLES = ("links", "issues", "conflicts", "metrics", "reconciliation")


@dataclass
class Linked:
    """An inventory with its links inferred, and what was computed on the way (for later stages).
    ``graph`` is built when first asked for: the conflicts and the reconciliation need only the
    links, and a scan starts them before the graph exists."""
    inventory: Inventory   # the input's tables, its ``links`` table replaced by the inferred one
    links: pd.DataFrame
    vctx: dict             # vrf_contexts of the input
    addrs: dict            # interface_addresses of the input: {column: [value per address]}
    _graph: nx.Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> nx.Graph:
        """:func:`build_graph` of :attr:`inventory` and :attr:`links`."""
        if self._graph is None:
            self._graph = build_graph(self.inventory, self.links, addrs=self.addrs)
        return self._graph


def link(inv: Inventory) -> Linked:
    """*inv*'s L3 links (:func:`infer_links`, declared rows kept); its graph when first asked for."""
    vctx = vrf_contexts(inv)
    addrs = interface_addresses(inv, vctx)
    links = infer_links(inv, addrs=addrs)
    out = inv.replaced(links=links, issues=_with_unused(inv, inv["issues"]))
    return Linked(out, links, vctx, addrs)


def analyze(inv: Inventory, pools: dict | None = None, *, keep: dict | None = None, run_later=None,
            exit_rules=None) -> Inventory:
    """A copy of *inv* with the links, conflicts and metrics tables computed.

    *inv* may be what :func:`link` returned for it (its links and graph are then reused).

    *pools*: ``{domain: [CIDR, ...]}`` target address plans; None = the manifest ranges of
    the extranet_admin and extranet_public networks; ``{}`` = no pool conflicts.
    *keep*: a dict to receive what was computed on the way, for later stages to reuse:
    ``vctx`` (:func:`~netconsol.analyze.topology.vrf_contexts`), ``addrs``
    (:func:`~netconsol.analyze.topology.interface_addresses`), ``graph`` (:func:`build_graph`
    of the returned inventory and its links) and, once the metrics are computed, ``unit_status``
    (:func:`~netconsol.analyze.metrics.unit_status`, which the metrics count).
    *run_later*: ``run_later(fn)`` starts ``fn`` elsewhere and returns an object whose
    ``result()`` waits for its value.  Given with *keep*, the conflicts (started before the graph
    is built: they need the links only) and the towns' and departments' status (after it) are
    computed that way: the returned inventory has the conflicts and metrics once
    ``keep["finish"]()`` has been called.
    *exit_rules*: the exit plan's rules (:func:`~netconsol.analyze.exits.load_exit_rules`), so the
    metrics count the exits the plan counts; None = the shipped rules.
    """
    linked = inv if isinstance(inv, Linked) else link(inv)
    out, links, vctx, addrs = linked.inventory, linked.links, linked.vctx, linked.addrs

    def conflicts():
        return find_conflicts(out, pools, links, vctx=vctx)

    def status():
        return unit_status(out, linked.graph)

    if run_later is not None and keep is not None:
        conflicts_job = run_later(conflicts)
        keep.update(vctx=vctx, addrs=addrs, graph=linked.graph)
        status_job = run_later(status)

        def finish():
            out["conflicts"] = conflicts_job.result()
            keep["unit_status"] = status_job.result()
            out["metrics"] = compute_metrics(out, linked.graph, exit_rules=exit_rules, status=keep["unit_status"])

        def cancel():
            for job in (conflicts_job, status_job):
                getattr(job, "cancel", lambda: None)()

        keep["finish"], keep["cancel"] = finish, cancel
        return out
    out["conflicts"] = conflicts()
    st = status()
    out["metrics"] = compute_metrics(out, linked.graph, exit_rules=exit_rules, status=st)
    if keep is not None:
        keep.update(vctx=vctx, addrs=addrs, graph=linked.graph, unit_status=st)
    return out


def _with_unused(inv, issues):
    """The issues table with one ``allocated-unused`` info row per shut interface holding an address
    (earlier such rows replaced: analyzing a snapshot twice gives the same table)."""
    from .. import schema
    import pandas as pd
    kept = issues[issues["code"] != "allocated-unused"] if len(issues) else issues
    extra = schema.frame("issues", unused_allocations(inv))
    if len(extra) == 0:
        return kept.reset_index(drop=True) if len(kept) != len(issues) else issues
    return pd.concat([kept, extra], ignore_index=True)
