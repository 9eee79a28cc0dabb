"""The scan's deliverables beyond the two plans (issue 21): the scorecard, and the figures the
history records for every district and department.

``build_deliverables`` runs the pure analyzers over what the scan already has (inventory,
graph, plans) and the history's baseline; ``Deliverables.write`` writes each as its own plan
file under ``OUT/plans/``; ``Deliverables.hang_into`` adds their sections to the report;
``Deliverables.history_rows`` are what the history records beside the metrics.  Kept apart
from scan.py so the scan only calls it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

__all__ = ["build_deliverables", "Deliverables"]


@dataclass
class Deliverables:
    plans: dict = field(default_factory=dict)          # key -> Plan (written as plans/<key>.{md,xlsx,csv})
    report_tables: dict = field(default_factory=dict)  # key -> table ids of that plan the report shows
    history_rows: pd.DataFrame | None = None           # scope, level, figure, value, numerator, denominator
    stems: dict = field(default_factory=dict)          # key -> file stem when not the key itself
    raw: set = field(default_factory=set)               # keys also written as <stem>.json (raw codes)

    def write(self, plans_dir: Path, lang: str) -> dict:
        """plans/<stem>.md and .xlsx (and .json for the keys in ``raw``), and its tables as CSV: plans/<stem>/<table>.csv, or for a
        plan with a stem of its own, plans/<stem>.csv (the first table) and plans/<stem>-<table>.csv."""
        from .render.plans import write_plan

        out = {}
        for key, plan in self.plans.items():
            stem = self.stems.get(key, key)
            written = []
            for fmt in ("md", "xlsx", *(("json",) if key in self.raw else ())):
                written += write_plan(plan, fmt, plans_dir / f"{stem}.{fmt}", lang)
            if stem == key:
                written += write_plan(plan, "csv", plans_dir / key, lang)
            else:
                first = next(iter(plan.tables))
                for path in write_plan(plan, "csv", plans_dir / f"{stem}.csv", lang):
                    if path.name == f"{stem}-{first}.csv":
                        path = path.replace(plans_dir / f"{stem}.csv")
                    written.append(path)
            out[key] = written
        return out

    def hang_into(self, report) -> None:
        from .render.deliverables import append_to

        for key, plan in self.plans.items():
            append_to(report, plan, self.report_tables.get(key), prefix=f"{key}_")


def _baseline(db, inventory, figures) -> pd.DataFrame | None:
    if not db or not Path(db).is_file():
        return None
    from .history import HistoryDB

    h = HistoryDB(db)
    try:
        return h.baseline(str(Path(inventory).resolve()), figures)
    finally:
        h.close()


def build_deliverables(inv, graph, merge, exits, *, city: str = "", db=None, inventory=None, rules_dir=None,
                       inventory_dir=None, units: dict | None = None) -> Deliverables:
    """Scorecard (and what later points add) of one scan.  *merge*, *exits*: the scan's plans;
    *db*, *inventory*: the history database and inventory path, for the baseline scan; *units*:
    :func:`netconsol.analyze.metrics.unit_status` of *inv* and *graph* when already known."""
    from .analyze.milestones import load_milestones
    from .analyze.scorecard import compute_scorecard, rank_scorecard
    from .render.deliverables import FIGURE_DEFINITIONS, RANKING
    from .render.deliverables import scorecard_plan

    from .analyze.metrics import unit_status
    from .analyze.milestones import milestone_overview, milestone_status, plan_schedule
    from .render.deliverables import milestones_plan

    from .analyze.expansion import intranet_needs, plan_expansion
    from .render.deliverables import expansion_plan

    d = Deliverables()
    # the towns' and departments' status, read by all three
    units = unit_status(inv, graph) if units is None else units
    d.plans["expansion"] = expansion_plan(plan_expansion(inv, graph, status=units), intranet_needs(inv), city=city)
    d.report_tables["expansion"] = ("extranet", "intranet")
    d.stems["expansion"] = "expansion-plan"
    d.raw.add("expansion")  # column names and coded values, as merge-plan.json and exits-plan.json
    exit_rows, merge_rows = exits.tables.get("exits"), merge.tables.get("networks")
    # milestones: judged at the rules' as_of (blank: the exit plan's date)
    ms = load_milestones(default_as_of=str(exits.meta.get("plan_date") or ""), rules_dir=rules_dir,
                         inventory_dir=inventory_dir)
    status = milestone_status(inv, ms, towns=units["towns"], merge=merge_rows, exits=exit_rows, depts=units["depts"])
    schedule = plan_schedule(ms, merge_rows, exit_rows, inv["networks"])
    actions = {**merge.values.get("target", {}), **exits.values.get("disposition", {})}  # the plans' own labels
    d.plans["milestones"] = milestones_plan(milestone_overview(status), status, schedule, ms.milestones, city=city,
                                            actions=actions)
    d.report_tables["milestones"] = ("overview",)
    overdue = set(status[status.status == "overdue"].scope)

    base = _baseline(db, inventory, ("networks_to_integrate", "exits_open")) if inventory is not None else None
    card = compute_scorecard(inv, graph, exits=exit_rows, baseline=base, milestones=status, depts=units["depts"])
    d.plans["scorecard"] = scorecard_plan(card, rank_scorecard(card, "district", overdue),
                                          rank_scorecard(card, "department", overdue), FIGURE_DEFINITIONS, RANKING, city=city)
    d.report_tables["scorecard"] = ("districts", "departments", "definitions")
    # the history: every scorecard figure, and each milestone's status (1 done, 0 due, -1 overdue)
    judged = status[status.status != "n/a"]
    ms_rows = pd.DataFrame({"scope": judged.scope, "level": judged.level,
                            "figure": "milestone:" + judged.milestone,
                            "value": judged.status.map({"done": 1.0, "due": 0.0, "overdue": -1.0}),
                            "numerator": judged.left.astype("float64"), "denominator": float("nan")})
    d.history_rows = pd.concat([card[["scope", "level", "figure", "value", "numerator", "denominator"]], ms_rows],
                               ignore_index=True)
    return d
