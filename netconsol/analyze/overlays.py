"""Plans turned into the topology page's overlay tables (pure: plans in, tables out).

The page (:mod:`netconsol.render.html`) draws the graph's nodes; these tables say, per node id,
what the plans do with it: the merge plan's target domain per network, the exit plan's
disposition per exit row, and the unified exits.
"""
from __future__ import annotations

import pandas as pd

__all__ = ["exit_overlay", "merge_overlay"]


def exit_overlay(plan, rules, lang: str = "zh"):
    """(exits, unified) overlay tables from an exit *plan*, keyed by the graph's exit ids.

    The plan numbers reconciled exits (a sheet row and the config interface that are one line
    share an ``E-...`` id) and names the ``exits`` rows each joins (``sheet_exit``,
    ``config_exit``); the graph draws those rows.  Every row of a reconciled exit gets its
    disposition.
    """
    rows = []
    for r in plan.tables["exits"].itertuples(index=False):
        members = str(r.sheet_exit or "").split() + str(r.config_exit or "").split()
        for xid in members or [r.exit]:
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


def merge_overlay(plan, lang: str = "zh"):
    """A merge *plan* as an overlay table: network, target (a domain class), edge (moves into an
    extranet domain, rather than kept outside or recorded for the intranet), labels and the
    plan's method, address action, attach point and wave."""
    from ..domains import EXTRANET_TARGETS

    memo = {}  # (column, type, value) -> label: a plan repeats a few values over thousands of rows

    def label(col, v):
        v = "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else v
        if v == "":
            return ""
        try:
            key = (col, type(v), v)  # the type keeps True apart from 1
            hit = memo.get(key)
        except TypeError:  # unhashable
            return str(plan.value_label(col, v, lang))
        if hit is None:
            hit = memo[key] = str(plan.value_label(col, v, lang))
        return hit

    rows = []
    networks = plan.tables["networks"]
    used = [c for c in ("network", "target", "method", "action", "attach_point", "wave") if c in networks.columns]
    for r in networks[used].to_dict("records"):  # the columns read, not the plan's twenty-odd
        rows.append({"network": r["network"], "target": r["target"], "edge": r["target"] in EXTRANET_TARGETS,
                     "target_label": label("target", r["target"]), "method": label("method", r.get("method")),
                     "action": label("action", r.get("action")),
                     "attach_point": label("attach_point", r.get("attach_point")),
                     "wave": label("wave", r.get("wave"))})
    return pd.DataFrame(rows, columns=["network", "target", "edge", "target_label", "method", "action",
                                       "attach_point", "wave"])
