"""The extranet expansion plan (外网扩容提升方案): every district, town/street and department the
extranet does not reach yet, with the nearest node to reach it from, the proposed link and the
domains to carry; and the intranet's: every department holding a classified network, with the
intranet node it needs.  Pure: tables in, tables out; labels live in render/.

What is unreached comes from the metrics' own definitions (metrics.town_status,
metrics.department_status): a town not attached, or attached without the public service domain
(the seed plan wants 公共服务域 in every 镇/街); a department not connected; a district whose PE
the backbone does not reach.  The nearest node (netconsol's choice, by the topology and the
manifest): the district's extranet PE when the backbone reaches it, else an attached town router
of the same district, else the city core; a department at city level: the city core.  Attachment
evidence read from configs (metrics.attachments) counts: a backbone port that is up, bound to a
domain's VPN instance and described with the unit's name; a reserved port shut down does not.
"""
from __future__ import annotations

import pandas as pd

from ..frames import table
from .metrics import unit_status
from .topology import build_graph, node_id
from .topology import rows as _rows

__all__ = ["plan_expansion", "intranet_needs", "EXPANSION_COLUMNS", "INTRANET_COLUMNS"]

EXPANSION_COLUMNS = [("district", "str"), ("level", "str"), ("name", "str"), ("gap", "str"), ("devices", "str"),
                     ("nearest", "str"), ("nearest_role", "str"), ("link", "str"), ("domains", "str"),
                     ("basis", "str")]
INTRANET_COLUMNS = [("district", "str"), ("department", "str"), ("networks", "str"), ("intranet_node", "str"),
                    ("node_level", "str")]
_BOTH = "extranet_public extranet_admin"


def plan_expansion(inv, graph=None, *, status: dict | None = None) -> pd.DataFrame:
    """One row per unreached district, town and department, grouped by district (city-level
    departments under '').  ``gap``: not_connected, or no_public_domain (a town attached in the
    administrative domain only: the public domain is added on the existing line, the only domain
    listed); ``nearest_role``: district_pe, town_router or city_core.
    *status*: :func:`netconsol.analyze.metrics.unit_status` of *graph* when already known."""
    graph = graph if graph is not None else build_graph(inv)
    status = unit_status(inv, graph) if status is None else status
    reach, towns, depts = status["reach"], status["towns"], status["depts"]
    devs = inv["devices"]
    roles = list(_rows(devs, ("device", "role", "district", "town")))
    core = sorted(r.device for r in roles if r.role == "core")
    pes = {}
    for r in roles:
        if r.role == "pe":
            pes.setdefault(r.district, []).append(r.device)
    town_routers = {}
    for t in _rows(towns, ("district", "attached", "devices")):
        for dev in t.devices.split() if t.attached else ():
            if node_id("device", dev) in reach:
                town_routers.setdefault(t.district, []).append(dev)

    def reached(dev):
        return node_id("device", dev) in reach

    def nearest(district):
        if district:
            for d in sorted(pes.get(district, [])):
                if reached(d):
                    return d, "district_pe"
            for d in sorted(town_routers.get(district, [])):
                return d, "town_router"
        for d in core:
            return d, "city_core"
        return "", ""

    rows = []
    districts = inv["units"][inv["units"].level == "district"].name.tolist()
    for d in districts:
        own = sorted(pes.get(d, []))
        if not any(reached(p) for p in own):
            node, role = nearest("")
            rows.append({"district": d, "level": "district", "name": d, "gap": "not_connected",
                         "devices": " ".join(own), "nearest": node, "nearest_role": role, "link": "leased_line",
                         "domains": _BOTH, "basis": "pe_unreached" if own else "no_pe"})
    for t in _rows(towns, ("district", "town", "devices", "attached", "public", "basis")):
        if t.attached and t.public:
            continue
        node, role = nearest(t.district)
        gap, link = ("not_connected", "leased_line") if not t.attached else ("no_public_domain", "add_vrf")
        rows.append({"district": t.district, "level": "town", "name": t.town, "gap": gap, "devices": t.devices,
                     "nearest": node, "nearest_role": role, "link": link,
                     "domains": _BOTH if not t.attached else "extranet_public", "basis": t.basis})
    dev_by_dept = {}
    for r in _rows(devs, ("device", "department")):
        if r.department:
            dev_by_dept.setdefault(r.department, []).append(r.device)
    for r in _rows(depts, ("department", "district", "connected", "basis")):
        if r.connected:
            continue
        # every department runs OA (administrative domain) and exchanges data with the sharing
        # platform (public domain): a new line carries both
        node, role = nearest(r.district)
        rows.append({"district": r.district, "level": "department", "name": r.department, "gap": "not_connected",
                     "devices": " ".join(sorted(dev_by_dept.get(r.department, []))), "nearest": node,
                     "nearest_role": role, "link": "leased_line", "domains": _BOTH, "basis": r.basis})
    order = {"district": 0, "town": 1, "department": 2}
    rows.sort(key=lambda x: (x["district"] == "", x["district"], order[x["level"]], x["name"]))
    return table(rows, EXPANSION_COLUMNS)


def intranet_needs(inv) -> pd.DataFrame:
    """One row per department holding a classified network (classified, or of kind intranet): the
    intranet node it needs, the district's node for a district department, else the city's."""
    dept_district = {r.name: r.district for r in _rows(inv["units"], ("name", "level", "district"))
                     if r.level == "department"}
    held = {}
    for r in _rows(inv["networks"], ("network", "kind", "classified", "department", "district")):
        classified = r.classified is not pd.NA and r.classified is not None and bool(r.classified)
        if (classified or r.kind == "intranet") and r.department:
            # the department's district where the network names none (the manifest's networks
            # rarely repeat it)
            district = r.district or dept_district.get(r.department, "")
            held.setdefault((district, r.department), []).append(r.network)
    rows = [{"district": d, "department": dept, "networks": " ".join(sorted(nets)),
             "intranet_node": d or "city", "node_level": "district" if d else "city"}
            for (d, dept), nets in sorted(held.items(), key=lambda kv: (kv[0][0] == "", kv[0]))]
    return table(rows, INTRANET_COLUMNS)
