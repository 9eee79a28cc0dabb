"""Milestones: rules/milestones.yaml, each milestone's status per city, district and department,
and a due date for every row of the two plans.  Pure: tables in, tables out; labels live in
render/.

``milestone_status`` gives one row per (milestone, scope) with ``status`` done / due / overdue
(or n/a where the check does not apply to the scope's level), judged at the rules' ``as_of``
date.  ``plan_schedule`` gives one row per merge-plan network and per exit-plan exit with its
due date (the wave's date, the milestone's, or the exit's contract end) and whether it is done,
due or overdue.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import RulesError
from ..frames import table
from ..rules import load_yaml, rules_path
from .topology import rows as _rows

__all__ = ["CHECKS", "Milestones", "load_milestones", "milestone_status", "plan_schedule", "STATUS_COLUMNS",
           "SCHEDULE_COLUMNS", "LEVELS", "milestone_overview", "OVERVIEW_COLUMNS"]

CHECKS = ("self_inspection", "expansion_plan", "merge_plan", "exit_plan", "towns_public", "gov_private_merged",
          "exits_consolidated", "classified_intranet", "private_merged")
LEVELS = ("city", "district", "department")
_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_TOP = {"as_of", "waves", "milestones"}
_MS = {"id", "name", "name_en", "due", "check", "applies_to"}
STATUS_COLUMNS = [("milestone", "str"), ("name", "str"), ("name_en", "str"), ("due", "str"), ("check", "str"),
                  ("scope", "str"), ("level", "str"), ("scope_name", "str"), ("district", "str"),
                  ("status", "str"), ("left", "int"), ("as_of", "str")]
SCHEDULE_COLUMNS = [("plan", "str"), ("item", "str"), ("name", "str"), ("department", "str"), ("district", "str"),
                    ("action", "str"), ("wave", "int"), ("milestone", "str"), ("due", "str"), ("status", "str")]


@dataclass
class Milestones:
    path: Path
    as_of: str
    waves: dict = field(default_factory=dict)       # wave number -> YYYY-MM-DD
    milestones: list = field(default_factory=list)  # dicts with _MS keys (applies_to a tuple)

    def by_check(self, check: str) -> dict | None:
        return next((m for m in self.milestones if m["check"] == check), None)


def _date(path, where, v) -> str:
    if isinstance(v, _dt.date):
        return v.isoformat()
    try:
        return _dt.date.fromisoformat(str(v).strip()).isoformat()
    except ValueError:
        raise RulesError(f"{path}: {where}: {v!r} is not a date; expected YYYY-MM-DD, e.g. 2018-05-31") from None


def load_milestones(path=None, *, default_as_of: str = "", rules_dir=None, inventory_dir=None) -> Milestones:
    """Read and check a milestones file (default: the one rules_path finds).  *default_as_of*:
    the date used when the file's ``as_of`` is blank (the exit rules' plan_date)."""
    path = Path(path) if path else rules_path("milestones.yaml", rules_dir, inventory_dir)
    try:
        data = load_yaml(path)
    except ValueError as e:  # PyYAML builds dates while parsing: 2018-13-01 fails there
        raise RulesError(f"{path}: a date is not a date ({e}); expected YYYY-MM-DD, e.g. 2018-05-31") from None
    for k in data:
        if k not in _TOP:
            raise RulesError(f"{path}: unknown key {k!r}; known: {', '.join(sorted(_TOP))}")
    as_of = data.get("as_of") or default_as_of
    if not as_of:
        raise RulesError(f"{path}: as_of is blank and no exit plan date to take; give a date, e.g. as_of: 2018-05-31")
    m = Milestones(path=path, as_of=_date(path, "as_of", as_of))
    waves = data.get("waves") or {}
    if not isinstance(waves, dict):
        raise RulesError(f"{path}: waves: expected a mapping of wave number to date, got {waves!r}")
    for w, d in waves.items():
        try:
            n = int(w)
        except (TypeError, ValueError):
            raise RulesError(f"{path}: waves: {w!r} is not a wave number (1, 2, 3 ...)") from None
        m.waves[n] = _date(path, f"waves.{w}", d)
    seen = set()
    for i, ms in enumerate(data.get("milestones") or []):
        where = f"milestones[{i}]"
        if not isinstance(ms, dict):
            raise RulesError(f"{path}: {where}: expected a mapping, got {ms!r}")
        for k in ms:
            if k not in _MS:
                raise RulesError(f"{path}: {where}: unknown key {k!r}; known: {', '.join(sorted(_MS))}")
        mid = str(ms.get("id") or "")
        if not _ID.match(mid):
            raise RulesError(f"{path}: {where}: id {mid!r}: expected letters, digits, '-' or '_'")
        if mid in seen:
            raise RulesError(f"{path}: {where}: duplicate id {mid!r}")
        seen.add(mid)
        check = str(ms.get("check") or "")
        if check not in CHECKS:
            raise RulesError(f"{path}: {where} ({mid}): check {check!r} is not one of {', '.join(CHECKS)}")
        levels = tuple(ms.get("applies_to") or LEVELS)
        bad = [x for x in levels if x not in LEVELS]
        if bad:
            raise RulesError(f"{path}: {where} ({mid}): applies_to {bad[0]!r} is not one of {', '.join(LEVELS)}")
        m.milestones.append({"id": mid, "name": str(ms.get("name") or mid), "name_en": str(ms.get("name_en") or
                             ms.get("name") or mid), "due": _date(path, f"{where}.due", ms.get("due")),
                             "check": check, "applies_to": levels})
    return m


def _status(done: bool, due: str, as_of: str) -> str:
    return "done" if done else ("overdue" if as_of > due else "due")


def milestone_status(inv, ms: Milestones, *, towns: pd.DataFrame | None = None, merge=None, exits=None,
                     plans_drawn=("expansion_plan", "merge_plan", "exit_plan"),
                     depts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per milestone and scope (city, its districts, its departments) with what is left
    and the status at ``ms.as_of``.  *towns*: metrics.town_status of the scan; *merge*, *exits*:
    the plans' networks and exits tables; *plans_drawn*: the plan checks this scan fulfils;
    *depts*: metrics.department_status of the scan (only its department and district columns
    are read, which no graph changes)."""
    from .metrics import department_status, town_status

    units = inv["units"]
    city = next(iter(units[units.level == "city"].name), "") or "city"
    towns = town_status(inv) if towns is None else towns
    depts = department_status(inv) if depts is None else depts
    dept_district = dict(zip(depts.department.tolist(), depts.district.tolist()))
    districts = units[units.level == "district"].name.tolist()

    def scopes(dept, district):
        district = district or dept_district.get(dept, "")
        out = [("city", city)]
        if district:
            out.append(("district", district))
        if dept:
            out.append(("department", dept))
        return out

    left = {c: {} for c in CHECKS}

    def add(check, dept, district, n=1):
        for s in scopes(dept, district):
            left[check][s] = left[check].get(s, 0) + n

    reported = set()
    for name in ("devices", "networks", "exits", "prefixes"):
        reported.update(d for d in inv[name]["department"].tolist() if d)
    for r in _rows(depts, ("department", "district")):
        add("self_inspection", r.department, r.district, int(r.department not in reported))
    for r in _rows(towns, ("district", "public")):
        add("towns_public", "", r.district, int(not bool(r.public)))
    kept = set()
    if merge is not None and len(merge):
        kept = {r.network for r in _rows(merge, ("network", "target")) if r.target == "keep"}
    for r in _rows(inv["networks"], ("network", "kind", "department", "district", "classified")):
        classified = r.classified is not pd.NA and r.classified is not None and bool(r.classified)
        if r.kind == "gov_private":
            add("gov_private_merged", r.department, r.district)
        if classified and r.kind != "intranet":
            add("classified_intranet", r.department, r.district)
        if r.kind in ("gov_private", "business_private") and r.network not in kept:
            add("private_merged", r.department, r.district)
    if exits is not None and len(exits):
        for r in _rows(exits, ("department", "district", "disposition")):
            if r.disposition in ("migrate", "decommission"):
                add("exits_consolidated", r.department, r.district)

    all_scopes = [("city", city, city, "")] + [("district", d, d, "") for d in districts] + \
        [("department", f"dept:{n}", n, dept_district.get(n, "")) for n in sorted(dept_district)]
    rows = []
    for m in ms.milestones:
        for level, scope, name, district in all_scopes:
            base = {"milestone": m["id"], "name": m["name"], "name_en": m["name_en"], "due": m["due"],
                    "check": m["check"], "scope": scope, "level": level, "scope_name": name, "district": district,
                    "as_of": ms.as_of}
            if level not in m["applies_to"] or (m["check"] in ("expansion_plan", "merge_plan", "exit_plan")
                                                 and level != "city"):
                rows.append({**base, "status": "n/a", "left": None})
                continue
            if m["check"] in ("expansion_plan", "merge_plan", "exit_plan"):
                n = 0 if m["check"] in plans_drawn else 1
            else:
                n = left[m["check"]].get((level, name), 0)
            rows.append({**base, "status": _status(n == 0, m["due"], ms.as_of), "left": n})
    return table(rows, STATUS_COLUMNS)


def plan_schedule(ms: Milestones, merge: pd.DataFrame | None, exits: pd.DataFrame | None,
                  networks: pd.DataFrame | None = None) -> pd.DataFrame:
    """A due date for every plan row: a merge-plan network is due with its wave (a network with no
    wave: kept networks have none, intranet ones are due with the classified_intranet milestone);
    an exit with the exits_consolidated milestone, or at its contract end when the plan keeps it
    until then; a mandated exit has none.  A merge-plan network whose class is already an extranet
    domain or the intranet is done."""
    rows = []
    last_wave = max(ms.waves) if ms.waves else None
    ms_of = {m["check"]: m for m in ms.milestones}
    kinds = dict(zip(networks["network"].tolist(), networks["kind"].tolist())) if networks is not None else {}

    def mark(due, done=False):
        if done:
            return "done"
        return _status(False, due, ms.as_of) if due else ""

    if merge is not None:
        for r in _rows(merge, ("network", "name", "department", "district", "target", "wave", "kind")):
            wave = None if r.wave is pd.NA or r.wave is None else int(r.wave)
            milestone, due = "", ""
            if wave is not None:
                due = ms.waves.get(wave) or (ms.waves.get(last_wave, "") if last_wave else "")
                milestone = "wave"
            elif r.target == "intranet" and "classified_intranet" in ms_of:
                milestone, due = ms_of["classified_intranet"]["id"], ms_of["classified_intranet"]["due"]
            done = kinds.get(r.network, r.kind) in ("extranet_admin", "extranet_public", "extranet_vpn", "intranet")
            rows.append({"plan": "merge", "item": r.network, "name": r.name, "department": r.department,
                         "district": r.district, "action": r.target, "wave": wave, "milestone": milestone,
                         "due": due, "status": mark(due, done)})
    if exits is not None:
        m = ms_of.get("exits_consolidated")
        for r in _rows(exits, ("exit", "department", "district", "disposition", "contract_end", "device")):
            milestone, due = "", ""
            if r.disposition in ("migrate", "decommission") and m:
                milestone, due = m["id"], m["due"]
            elif r.disposition == "keep_until_contract_end":
                milestone, due = "contract_end", r.contract_end
            rows.append({"plan": "exits", "item": r.exit, "name": r.device, "department": r.department,
                         "district": r.district, "action": r.disposition, "wave": None, "milestone": milestone,
                         "due": due, "status": mark(due)})
    return table(rows, SCHEDULE_COLUMNS)


OVERVIEW_COLUMNS = [("milestone", "str"), ("due", "str"), ("city", "str"), ("districts_done", "str"),
                    ("departments_done", "str"), ("overdue", "str"), ("as_of", "str")]


def milestone_overview(status: pd.DataFrame, most: int = 12) -> pd.DataFrame:
    """One row per milestone: the city's status, districts and departments done (x/y), and the
    scopes overdue (the first *most* by name, then how many more)."""
    rows = []
    for mid in dict.fromkeys(status["milestone"].tolist()):
        sub = status[(status.milestone == mid) & (status.status != "n/a")]
        first = status[status.milestone == mid].iloc[0]
        city = sub[sub.level == "city"].status.tolist()

        def done(level):
            s = sub[sub.level == level]
            return f"{int((s.status == 'done').sum())}/{len(s)}" if len(s) else ""

        late = sorted(sub[(sub.status == "overdue") & (sub.level != "city")].scope_name.tolist())
        shown = " ".join(late[:most]) + (f" (+{len(late) - most})" if len(late) > most else "")
        rows.append({"milestone": mid, "due": first.due, "city": city[0] if city else "n/a",
                     "districts_done": done("district"), "departments_done": done("department"),
                     "overdue": shown, "as_of": first.as_of})
    return table(rows, OVERVIEW_COLUMNS)
