"""The server-room (机房) part of the self-inspection report: per district and department, and
the list of rooms moving to the government cloud (政务云).  Pure: adds tables and sections to a
report :class:`~netconsol.render.plans.Plan`; render/plans.py writes it like every table."""
from __future__ import annotations

import pandas as pd

from .plans import L, Section, Text, table

__all__ = ["room_rows", "add_rooms"]

LABELS = {
    "room": L("机房", "server room"),
    "address": L("机房位置", "location"),
    "network_kinds": L("接入网络", "networks"),
    "servers": L("服务器(台)", "servers"),
    "server_models": L("服务器型号×数量", "server models × count"),
    "storage": L("存储型号", "storage"),
    "storage_tb": L("存储容量(TB)", "storage (TB)"),
    "cloud": L("政务云", "government cloud"),
    "rooms": L("机房数", "rooms"),
    "migrate": L("迁移上云", "moving"),
    "keep": L("保留", "staying"),
    "undecided": L("未填写", "not stated"),
}
VALUES = {"cloud": {"migrate": L("迁移", "migrate"), "keep": L("保留", "keep"), "": L("未填写", "not stated")}}
_ROOM_COLS = [("district", "str"), ("department", "str"), ("address", "str"), ("network_kinds", "str"),
              ("bandwidth_mbps", "float"), ("server_models", "str"), ("servers", "int"), ("storage", "str"),
              ("storage_tb", "float"), ("cloud", "str")]
_SUM_COLS = [("district", "str"), ("department", "str"), ("rooms", "int"), ("servers", "int"),
             ("storage_tb", "float"), ("migrate", "int"), ("keep", "int"), ("undecided", "int")]


def _s(v) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and v != v) else str(v)


def room_rows(inv) -> list[dict]:
    """One row per room (the rows of one room and its server models folded together), sorted by
    district, department, location.  A room's district falls back to its department's in the
    manifest."""
    df = inv["rooms"]
    if df.empty:
        return []
    units = inv["units"]
    depts = units[units.level == "department"]
    dept_district = dict(zip(depts["name"].tolist(), depts["district"].tolist()))
    rooms: dict = {}
    for r in df.to_dict("records"):
        dept = _s(r["department"])
        key = (dept, _s(r["address"]))
        room = rooms.setdefault(key, {"district": _s(r["district"]) or dept_district.get(dept, ""),
                                      "department": dept, "address": key[1], "kinds": [], "bandwidth_mbps": None,
                                      "models": [], "servers": 0, "counted": False, "storage": [],
                                      "storage_tb": None, "cloud": set()})
        for k in _s(r["network_kinds"]).split():
            if k not in room["kinds"]:
                room["kinds"].append(k)
        if _s(r["bandwidth_mbps"]):
            room["bandwidth_mbps"] = max(room["bandwidth_mbps"] or 0.0, float(r["bandwidth_mbps"]))
        n = None if _s(r["servers"]) == "" else int(r["servers"])
        if _s(r["server_model"]) or n is not None:
            room["models"].append(f"{_s(r['server_model']) or '?'}×{'?' if n is None else n}")
        if n is not None:
            room["servers"] += n
            room["counted"] = True
        if _s(r["storage_model"]) and _s(r["storage_model"]) not in room["storage"]:
            room["storage"].append(_s(r["storage_model"]))
        if _s(r["storage_tb"]):
            room["storage_tb"] = (room["storage_tb"] or 0.0) + float(r["storage_tb"])
        room["cloud"].add(_s(r["cloud"]))
    out = []
    for room in rooms.values():
        clouds = room["cloud"] - {""}
        out.append({"district": room["district"], "department": room["department"], "address": room["address"],
                    "network_kinds": " ".join(room["kinds"]), "bandwidth_mbps": room["bandwidth_mbps"],
                    "server_models": "；".join(room["models"]),
                    "servers": room["servers"] if room["counted"] else None,
                    "storage": "、".join(room["storage"]), "storage_tb": room["storage_tb"],
                    # rows of one room that disagree: shown as not stated, never guessed
                    "cloud": next(iter(clouds)) if len(clouds) == 1 else ""})
    out.sort(key=lambda r: (r["district"], r["department"], r["address"]))
    return out


def add_rooms(plan, inv, layout: str = "sections"):
    """Add the server-room tables to a report *plan* (in place) and return it; nothing when the
    inventory has no rooms."""
    rooms = room_rows(inv)
    if not rooms:
        return plan
    plan.labels = {**plan.labels, **{k: v for k, v in LABELS.items() if k not in plan.labels}}
    values = dict(plan.values)
    values.setdefault("cloud", VALUES["cloud"])
    values.setdefault("network_kinds", values.get("kind", {}))
    plan.values = values
    summary: dict = {}
    for r in rooms:
        s = summary.setdefault((r["district"], r["department"]),
                               {"district": r["district"], "department": r["department"], "rooms": 0, "servers": 0,
                                "storage_tb": 0.0, "migrate": 0, "keep": 0, "undecided": 0})
        s["rooms"] += 1
        s["servers"] += r["servers"] or 0
        s["storage_tb"] += r["storage_tb"] or 0.0
        s[r["cloud"] or "undecided"] += 1
    migrate = [r for r in rooms if r["cloud"] == "migrate"]
    plan.tables["rooms_summary"] = table(list(summary.values()), _SUM_COLS)
    plan.titles["rooms_summary"] = L("机房 · 按区县和部门", "server rooms · by district and department")
    plan.tables["rooms"] = table(rooms, _ROOM_COLS)
    plan.titles["rooms"] = L("机房明细", "server rooms")
    plan.tables["rooms_migrate"] = table(migrate, _ROOM_COLS)
    plan.titles["rooms_migrate"] = L("迁移至政务云的机房", "rooms moving to the government cloud")
    if layout == "sections":
        total = sum(r["servers"] or 0 for r in rooms)
        moving = sum(r["servers"] or 0 for r in migrate)
        new = [Section(plan.titles["rooms_summary"], [Text(L(
            "自查表“机房”页共 {n} 个机房、{servers} 台服务器；其中 {m} 个机房（{moving} 台服务器）迁移至政务云。",
            "The 机房 sheets list {n} rooms with {servers} servers; {m} rooms ({moving} servers) move to the "
            "government cloud."), {"n": len(rooms), "servers": total, "m": len(migrate), "moving": moving})],
            table="rooms_summary"),
            Section(plan.titles["rooms"], table="rooms"),
            Section(plan.titles["rooms_migrate"], table="rooms_migrate")]
        at = next((i for i, s in enumerate(plan.sections) if s.table == "problems"), len(plan.sections))
        plan.sections[at:at] = new
    return plan
