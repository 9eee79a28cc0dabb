"""One pipeline over one inventory: sources or a snapshot in, tables and plans out.

``scan``, every command and Python users go through it::

    import netconsol
    p = netconsol.open("inventories/zaozhuang-demo")   # an inventory directory, or a snapshot
    p.inventory["prefixes"]        # the collected tables (DataFrames, columns as schema.py)
    p.links(); p.conflicts(); p.metrics(); p.reconciliation()
    p.merge_plan().networks        # MergeResult: the merge plan's tables
    p.exit_plan().tables["exits"]  # the exit plan (a Plan: named tables plus their labels)

It owns the rules: each file from ``rules_dir`` if given, else the inventory's own ``rules/``,
else the shipped defaults (:func:`netconsol.rules.rules_path`).  Each stage runs once, when first
asked for, and later stages reuse what earlier ones computed (the graph, the VRF contexts).
Nothing here prints or writes files: :mod:`netconsol.scan` and :mod:`netconsol.render` do.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path

import pandas as pd

from . import normalize as nz
from .errors import InventoryError
from .inventory import Inventory
from .rules import rules_path

__all__ = ["Pipeline", "open_pipeline"]


class Pipeline:
    """The stages over one inventory; see the module docstring.

    *path*: an inventory directory (or one source file: its folder's ``rules/`` apply), collected
    when :attr:`inventory` is first read; or a snapshot directory (``snapshot.json``), loaded.
    *inventory*: an :class:`Inventory` already in hand (then *path* only names it).
    *rules_dir*: a rules directory whose files replace the others one by one.
    *platform*: force the config syntax (see ``netconsol.platforms.names()``).
    *progress*: ``progress(n)`` after each collected file.
    *pools*: the extranet domains' address pools ``{domain: [CIDR, ...]}`` that conflicts and the
    merge plan check against; None = the manifest ranges (``analyze.default_pools``), ``{}`` = none.
    *exclude*: paths never read as input (a scan's --out and history database inside the inventory).
    *workers*, *dask*: where files are parsed (see :func:`netconsol.collectors.collect_rows`).
    """

    def __init__(self, path=None, *, rules_dir=None, platform=None, inventory: Inventory | None = None,
                 progress=None, pools: dict | None = None, exclude=(), workers: int | None = None,
                 dask: str | None = None):
        if path is None and inventory is None:
            raise InventoryError("give a path (an inventory directory or a snapshot) or an inventory")
        self.path = Path(path) if path is not None else None
        self.rules_dir = Path(rules_dir) if rules_dir is not None else None
        self.platform = platform
        self.progress = progress
        self.pools = pools
        self.exclude = list(exclude)
        self.workers, self.dask = workers, dask
        self._exit_plans = {}
        self._worded_merge = {}
        if inventory is not None:
            self.__dict__["inventory"] = inventory
        elif not self.path.exists():
            raise InventoryError(f"{str(self.path)!r} does not exist: give an inventory directory or a snapshot")

    def __repr__(self) -> str:
        return f"<netconsol.Pipeline {self.kind} {str(self.path or '')!r}>"

    # -- where things are --------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """``snapshot`` (a saved inventory is loaded) or ``inventory`` (sources are collected)."""
        if self.path is not None and (self.path / "snapshot.json").is_file():
            return "snapshot"
        return "inventory"

    @property
    def inventory_dir(self) -> Path | None:
        """The folder whose ``rules/`` apply: the inventory directory (a file's folder); None for a
        snapshot or an inventory given in hand."""
        if self.path is None or self.kind == "snapshot":
            return None
        return self.path if self.path.is_dir() else self.path.parent

    def rules_path(self, name: str) -> Path:
        """The rules file *name* this pipeline uses (explicit dir, inventory's rules/, shipped)."""
        return rules_path(name, self.rules_dir, self.inventory_dir)

    @cached_property
    def carriers(self) -> nz.Carriers:
        return nz.Carriers.load(self.rules_path("carriers.yaml"))

    @cached_property
    def exit_rules(self):
        from .analyze.exits import load_exit_rules

        return load_exit_rules(self.rules_path("exits.yaml"), carriers=self.carriers)

    @cached_property
    def domain_rules(self):
        from .domains import load_domain_rules

        return load_domain_rules(self.rules_path("domains.yaml"))

    # -- stages ------------------------------------------------------------------------------------
    @cached_property
    def found(self):
        """What ``collectors.discover`` finds in the inventory: (manifest, base, sheets, configs)."""
        from .collectors import discover

        if self.kind != "inventory" or self.path is None:
            return (None, None, [], [])
        return discover([self.path], exclude=self.exclude)

    @cached_property
    def inventory(self) -> Inventory:
        """The inventory's tables as collected (or as the snapshot holds them)."""
        if self.kind == "snapshot":
            return Inventory.load(self.path)
        from .collectors import collect

        return collect([self.path], platform=self.platform, rules_dir=self.rules_dir, progress=self.progress,
                       found=self.found, workers=self.workers, dask=self.dask)

    @cached_property
    def linked(self):
        """:func:`netconsol.analyze.link` of the inventory: links, graph, VRF contexts."""
        from .analyze import link

        return link(self.inventory)

    def links(self) -> pd.DataFrame:
        """L3 links inferred from shared subnets, with the declared (sheet, LLDP/CDP) rows kept."""
        return self.linked.links

    def graph(self):
        """The networkx graph of devices, subnets, networks, units and exits."""
        return self.linked.graph

    def analyzed(self, run_later=None) -> Inventory:
        """The inventory with its ``links``, ``conflicts`` and ``metrics`` tables computed.

        *run_later*: as :func:`netconsol.analyze.analyze`; the conflicts and metrics are then in
        the returned inventory once :meth:`finish` has been called."""
        if "_analyzed" not in self.__dict__:
            from .analyze import analyze

            self._derived = {}
            job = None
            if run_later is not None:
                # the reconciliation (read by the snapshot and the report only) needs the links, not
                # the graph: it is made elsewhere, from now on, while the caller makes the plans
                _ = self.linked   # inferred here, once: the forked reconciliation and analyze() share it
                job = run_later(self.reconciliation)
            try:
                self._analyzed = analyze(self.linked, self.pools, keep=self._derived if run_later else None,
                                         run_later=run_later, exit_rules=self.exit_rules)
            except BaseException:
                getattr(job, "cancel", lambda: None)()
                raise
            if job is None or "finish" not in self._derived:
                self._analyzed["reconciliation"] = job.result() if job is not None else self.reconciliation()
            else:
                self._pending_reconciliation = job
        return self._analyzed

    def unit_status(self) -> dict:
        """:func:`netconsol.analyze.metrics.unit_status` of the linked inventory and its graph: the
        towns' and departments' status tables (the metrics' own, when :meth:`analyzed` made them)."""
        derived = getattr(self, "_derived", None) or {}
        if "unit_status" in derived:
            return derived["unit_status"]
        if "_unit_status" not in self.__dict__:
            from .analyze.metrics import unit_status

            self._unit_status = unit_status(self.linked.inventory, self.linked.graph)
        return self._unit_status

    def reconciliation(self) -> pd.DataFrame:
        """Three-way reconciliation (:func:`netconsol.analyze.reconcile.reconcile`): what the sheets
        declare, the configs configure and live devices show, per device, address, prefix, exit and
        inferred link; model words compared as the inventory's ``columns.yaml`` says."""
        if "_reconciliation" not in self.__dict__:
            from .analyze.reconcile import reconcile
            from .rules import load_columns

            self._reconciliation = reconcile(self.linked.inventory, load_columns(self.rules_path("columns.yaml")))
        return self._reconciliation

    def finish(self, reconciliation: bool = True) -> None:
        """Wait for the conflicts and metrics that :meth:`analyzed` started elsewhere, and (unless
        *reconciliation* is False: a caller that reads it later) for the reconciliation."""
        derived = getattr(self, "_derived", None) or {}
        if "finish" in derived:
            derived.pop("finish")()
        job = self.__dict__.get("_pending_reconciliation")
        if reconciliation and job is not None:
            self._reconciliation = job.result()
            self._analyzed["reconciliation"] = self._reconciliation
            del self._pending_reconciliation
        if "_pending_reconciliation" not in self.__dict__:
            derived.pop("cancel", None)

    def cancel(self) -> None:
        """Stop the work :meth:`analyzed` started elsewhere (the caller failed first)."""
        derived = getattr(self, "_derived", None) or {}
        derived.pop("finish", None)
        job = self.__dict__.pop("_pending_reconciliation", None)
        for stop in (derived.pop("cancel", None), getattr(job, "cancel", None)):
            if stop is not None:
                stop()

    def conflicts(self) -> pd.DataFrame:
        """Address conflicts: overlaps between networks, duplicate addresses, pool conflicts."""
        inv = self.analyzed()
        self.finish()
        return inv["conflicts"]

    def overlaps(self) -> pd.DataFrame:
        """The rows of :meth:`conflicts` in address order (family, start, widest first), computed on
        their own (no metrics): what ``netconsol overlaps`` prints.  :meth:`conflicts` holds them
        in key order, as the snapshot stores them."""
        if "_overlaps" not in self.__dict__:
            from .analyze import find_conflicts

            linked = self.linked
            self._overlaps = find_conflicts(linked.inventory, self.pools, linked.links, vctx=linked.vctx)
        return self._overlaps

    def metrics(self) -> pd.DataFrame:
        """Progress metrics per district and for the city (netconsol's definitions, labelled)."""
        inv = self.analyzed()
        self.finish()
        return inv["metrics"]

    @cached_property
    def _merge(self):
        from .analyze.merge import merge_tables
        from .analyze.overlaps import default_pools

        inv = self.linked.inventory
        pools = default_pools(inv) if self.pools is None else self.pools
        return pools, merge_tables(inv, self.domain_rules, pools, links=self.linked.links, graph=self.linked.graph,
                                   vctx=self.linked.vctx)

    def merge_plan(self, lang: str | None = "en"):
        """The private-network merge plan's tables (:class:`netconsol.analyze.merge.MergeResult`),
        their reason columns (rationale, ambiguity, action_reason, attach_note, reason, detail)
        worded in *lang* (``en``, ``zh``), or left as the analyzer's reason codes (None)."""
        if lang is None:
            return self._merge[1]
        if lang not in self._worded_merge:
            from .render.merge import worded

            self._worded_merge[lang] = worded(self._merge[1], self.domain_rules, lang)[0]
        return self._worded_merge[lang]

    def merge_document(self, snapshot: str = ""):
        """The merge plan as a document (:class:`netconsol.render.plans.Plan`) for ``write_plan``."""
        from .render.merge import merge_document

        pools, res = self._merge
        return merge_document(res, self.domain_rules, pools, snapshot)

    def exit_plan(self, snapshot: str = ""):
        """The internet-exit consolidation plan: a Plan whose ``tables`` are DataFrames (summary,
        design, pool, exits, districts, carriers, services, addresses, disagreements).  It reads the
        collected tables only (exits, candidates, interfaces, NAT, routes, devices, networks, units,
        prefixes), not the links: a scan makes it beside the link inference."""
        if snapshot not in self._exit_plans:
            from .render.exits_doc import plan_exits

            self._exit_plans[snapshot] = plan_exits(self.inventory, self.exit_rules, snapshot=snapshot)
        return self._exit_plans[snapshot]


def open_pipeline(path, *, rules_dir=None, platform=None) -> Pipeline:
    """A :class:`Pipeline` over *path*: an inventory directory (collected when first read) or a
    snapshot directory (loaded).  ``netconsol.open`` is this function."""
    return Pipeline(path, rules_dir=rules_dir, platform=platform)
