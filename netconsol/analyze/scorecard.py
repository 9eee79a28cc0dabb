"""Scorecards: the assessment figures per district and per department, and their ranking.

The seed plan assesses districts and departments on connectivity rate (系统联通率), networks
integrated (整合数), milestones met and progress, and asks to praise the fast and name the
slow.  The figures and the ranking are netconsol's own definitions (worded in ``render/deliverables.py``: ``FIGURE_DEFINITIONS``, ``RANKING``);
every output labels them so.  Pure: tables in, tables out; labels live in render/.

One row per scope and figure::

    scope       the city's name, a district's name, or ``dept:NAME`` (as history --scope takes it)
    level       city, district or department
    name        the district's or department's name
    district    the district a department belongs to ('' = city level)
    figure      one of FIGURES
    value, numerator, denominator

Progress is measured against a **baseline**: the figures of the first scan of the same
inventory recorded in the history (or, with none, this scan): networks integrated and exits
closed are what the baseline had to do and this scan no longer has.  So a first scan and a
rescan of unchanged inputs give the same scorecard.
"""
from __future__ import annotations

from collections import defaultdict

import pandas as pd

from ..frames import table
from .metrics import PRIVATE_KINDS, department_status
from .topology import rows as _rows

__all__ = ["FIGURES", "compute_scorecard", "rank_scorecard", "progress_over_time", "dept_scope",
           "needs_integration", "SCORECARD_COLUMNS", "RANKING_COLUMNS"]

# the figures, in order; their definitions (netconsol's own) are worded by render/deliverables.py
FIGURES = ("connectivity_rate", "networks_to_integrate", "networks_integrated", "exits_open", "exits_closed",
           "conflicts_open", "milestones_met")

SCORECARD_COLUMNS = [("scope", "str"), ("level", "str"), ("name", "str"), ("district", "str"), ("figure", "str"),
                     ("value", "float"), ("numerator", "float"), ("denominator", "float")]
RANKING_COLUMNS = [("rank", "int"), ("name", "str"), ("district", "str"), ("connectivity_rate", "float"),
                   ("networks_to_integrate", "int"), ("networks_integrated", "int"), ("exits_open", "int"),
                   ("exits_closed", "int"), ("conflicts_open", "int"), ("milestones_met", "str"),
                   ("standing", "str")]
_BASELINE_FIGURES = ("networks_to_integrate", "exits_open")


def dept_scope(name: str) -> str:
    return f"dept:{name}"


def needs_integration(kind) -> bool:
    """A network counted as one to integrate: a private network (gov_private, business_private).
    A department's LAN, already reaching the extranet through its router, is not one; a vertical
    network riding the extranet still moves into its VRF (rule R3), so it counts until its class
    says it is in an extranet domain."""
    return kind in PRIVATE_KINDS


def _nan(x):
    return float("nan") if x is None else float(x)


def compute_scorecard(inv, graph=None, exits: pd.DataFrame | None = None, baseline: pd.DataFrame | None = None,
                      milestones: pd.DataFrame | None = None, depts: pd.DataFrame | None = None) -> pd.DataFrame:
    """The scorecard rows (see the module docstring) of *inv*.

    *graph*: the analyzed graph (else built); *exits*: one row per exit with department and
    district (the exit plan's exits table; else the reconciled exits); *baseline*: scorecard rows
    (scope, figure, value) of the baseline scan; *milestones*: the milestone status table
    (:func:`netconsol.analyze.milestones.milestone_status`: scope, status); *depts*:
    :func:`netconsol.analyze.metrics.department_status` of *graph* when already known."""
    from .metrics import _real_exits
    units = inv["units"]
    city = next(iter(units[units.level == "city"].name), "") or "city"
    districts = units[units.level == "district"].name.tolist()
    depts = department_status(inv, graph) if depts is None else depts
    dept_district = dict(zip(depts.department.tolist(), depts.district.tolist()))
    for d in depts.district.tolist():
        if d and d not in districts:
            districts.append(d)

    # scope keys: None = the city; a district's name; ("dept", name)
    def scopes_of(dept, district):
        out = [None]
        district = district or dept_district.get(dept, "")
        if district:
            out.append(district)
        if dept:
            out.append(("dept", dept))
        return out

    conn = defaultdict(lambda: [0, 0])
    for r in _rows(depts, ("department", "district", "connected")):
        for s in scopes_of(r.department, r.district):
            conn[s][0] += int(bool(r.connected))
            conn[s][1] += 1
    todo = defaultdict(int)
    for r in _rows(inv["networks"], ("department", "district", "kind")):
        if needs_integration(r.kind):
            for s in scopes_of(r.department, r.district):
                todo[s] += 1
    ex = exits if exits is not None else _real_exits(inv)
    open_exits = defaultdict(int)
    for r in _rows(ex, ("department", "district")):
        for s in scopes_of(r.department, r.district):
            open_exits[s] += 1
    net_owner = dict(zip(inv["networks"].network.tolist(), inv["networks"].department.tolist()))
    dev_owner = dict(zip(inv["devices"].device.tolist(), inv["devices"].department.tolist()))
    net_d = dict(zip(inv["networks"].network.tolist(), inv["networks"].district.tolist()))
    conf = defaultdict(int)
    for r in _rows(inv["conflicts"], ("a_network", "a_device", "a_department", "b_network", "b_device",
                                      "b_department")):
        touched = {None}
        for p in ("a", "b"):
            for dept in (getattr(r, f"{p}_department"), net_owner.get(getattr(r, f"{p}_network"), ""),
                         dev_owner.get(getattr(r, f"{p}_device"), "")):
                if dept:
                    touched.update(scopes_of(dept, ""))
            d = net_d.get(getattr(r, f"{p}_network"), "")
            if d:
                touched.add(d)
        for s in touched:
            conf[s] += 1
    met = defaultdict(lambda: [0, 0])
    if milestones is not None and len(milestones):
        for r in _rows(milestones, ("scope", "status")):
            if r.status == "n/a":
                continue
            key = None if r.scope == city else (("dept", r.scope[5:]) if r.scope.startswith("dept:") else r.scope)
            met[key][0] += int(r.status == "done")
            met[key][1] += 1
    base = {}
    if baseline is not None and len(baseline):
        for r in _rows(baseline, ("scope", "figure", "value")):
            base[(r.scope, r.figure)] = r.value

    rows = []
    order = [(city, "city", city, "", None)] + [(d, "district", d, "", d) for d in districts] + \
        [(dept_scope(n), "department", n, dept_district.get(n, ""), ("dept", n)) for n in sorted(dept_district)]
    for scope, level, name, district, key in order:
        def add(figure, value, num=None, den=None):
            rows.append({"scope": scope, "level": level, "name": name, "district": district, "figure": figure,
                         "value": _nan(value), "numerator": _nan(num), "denominator": _nan(den)})

        n_conn, n_dept = conn.get(key, (0, 0))
        add("connectivity_rate", n_conn / n_dept if n_dept else None, n_conn, n_dept)
        now = {"networks_to_integrate": todo.get(key, 0), "exits_open": open_exits.get(key, 0)}
        add("networks_to_integrate", now["networks_to_integrate"])
        b = base.get((scope, "networks_to_integrate"), now["networks_to_integrate"])
        add("networks_integrated", max(0, int(b) - now["networks_to_integrate"]))
        add("exits_open", now["exits_open"])
        b = base.get((scope, "exits_open"), now["exits_open"])
        add("exits_closed", max(0, int(b) - now["exits_open"]))
        add("conflicts_open", conf.get(key, 0))
        n_met, n_ms = met.get(key, (0, 0))
        add("milestones_met", n_met / n_ms if n_ms else None, n_met, n_ms)
    return table(rows, SCORECARD_COLUMNS)


def rank_scorecard(card: pd.DataFrame, level: str, overdue: set | None = None) -> pd.DataFrame:
    """The ranking of one level (district or department) by netconsol's ranking (``render.deliverables.RANKING`` words it); ``standing`` is
    ``praised``, ``named`` or ''.  *overdue*: scopes with an overdue milestone."""
    sub = card[card.level == level]
    wide = {}
    for r in _rows(sub, ("scope", "name", "district", "figure", "value", "numerator", "denominator")):
        w = wide.setdefault(r.scope, {"scope": r.scope, "name": r.name, "district": r.district})
        w[r.figure] = r.value
        if r.figure == "milestones_met":
            w["_met"] = (r.numerator, r.denominator)

    def num(v):
        return 0.0 if v != v else float(v)

    def left(w):
        return num(w["networks_to_integrate"]) + num(w["exits_open"]) + num(w["conflicts_open"])

    def key(w):
        return (-num(w["milestones_met"]), -num(w["connectivity_rate"]), left(w),
                -(num(w["networks_integrated"]) + num(w["exits_closed"])), w["name"])

    ranked = sorted(wide.values(), key=key)
    overdue = overdue or set()
    rows = []
    prev, rank = None, 0
    for i, w in enumerate(ranked, start=1):
        k = key(w)[:-1]
        if k != prev:  # equal figures share a rank (1, 1, 3)
            prev, rank = k, i
        n, d = w.get("_met", (float("nan"), float("nan")))
        rate = w["connectivity_rate"]
        progress = num(w["networks_integrated"]) + num(w["exits_closed"])
        if w["scope"] in overdue or (rate == rate and rate < 1):
            standing = "named"
        elif (rate != rate or rate >= 1) and (left(w) == 0 or progress > 0):
            standing = "praised"
        else:
            standing = ""
        rows.append({"rank": rank, "name": w["name"], "district": w["district"], "connectivity_rate": rate,
                     "networks_to_integrate": int(num(w["networks_to_integrate"])),
                     "networks_integrated": int(num(w["networks_integrated"])),
                     "exits_open": int(num(w["exits_open"])), "exits_closed": int(num(w["exits_closed"])),
                     "conflicts_open": int(num(w["conflicts_open"])),
                     "milestones_met": "" if d != d or not d else f"{int(n)}/{int(d)}", "standing": standing})
    return table(rows, RANKING_COLUMNS)


def progress_over_time(wide: pd.DataFrame) -> pd.DataFrame:
    """History's figures of one scope over time (one row per scan, one column per figure) with
    networks integrated and exits closed since the first listed scan."""
    out = wide.copy()
    for figure, done in (("networks_to_integrate", "networks_integrated_since_first"),
                         ("exits_open", "exits_closed_since_first")):
        if figure in out.columns and len(out):
            first = out[figure].iloc[0]
            out[done] = [max(0.0, first - v) if v == v and first == first else float("nan") for v in out[figure]]
    return out
