"""Progress metrics per district and for the city.  The definitions are netconsol's own
and every row says so in ``definition``.

**Attached to the extranet** means a path of links from the extranet backbone:

* the backbone is the devices whose role is ``pe`` or ``core`` and whose network is an
  extranet one (extranet_admin, extranet_public, extranet_vpn) or unattributed; when
  no device has such a role, every device that is a member of an extranet network or
  sits on one of its subnets;
* the walk follows address and link edges (device-subnet-device, device-device) and
  never enters a device or subnet of the intranet (isolated by rule); membership
  alone (an address from the extranet plan, a line in the manifest) does not attach a
  device that no link reaches: the configs would contradict the claim.

* a **town** is attached when a device located in it is attached.  A town without
  devices takes the manifest's ``connected`` flag; a town whose devices are all
  unreached is not attached, whatever the manifest says (basis "graph (contradicts
  manifest)").  When the inventory has no backbone at all, towns take the manifest.
* **public-service coverage** of a town: one of its attached devices has an address in
  an extranet_public network (the public-domain VRF reaches it); towns without
  devices take the manifest flag (the manifest does not say which domain).
* a **department** is connected when one of its devices is attached, or an extranet
  network belongs to it (a VPN carried for it), or a backbone port the configs state
  attaches it (:func:`attachments`: up, bound to a domain's VPN instance, its description
  naming the department), else, having no device, the manifest's ``connected`` flag;
  unknown counts as not connected.  A town without devices of its own is attached, and
  covered by the public domain, by such a port too.

Counts: private networks (kinds gov_private and business_private; a department's own
``lan`` is counted apart as lan_networks), exits, conflicts (all rows of the conflicts
table are open), address overlaps (identical, contains, partial, pool) and duplicate
IPs.  A district's counts take the rows whose network, device, department or exit
belongs to it.
"""
from __future__ import annotations

from collections import defaultdict, deque

import networkx as nx
import pandas as pd

from .. import schema
from ..errors import RulesError
from ..normalize import fold
from .topology import EXTRANET_KINDS, _s, build_graph, node_id
from .topology import rows as _rows, tuples

__all__ = ["compute_metrics", "town_status", "department_status", "attached", "backbone", "attachments", "unit_status",
           "METRICS"]

PRIVATE_KINDS = ("gov_private", "business_private")
_WALK_EDGES = ("address", "link")

# netconsol's definitions, in English: the snapshot's metrics.definition.  The official Chinese
# names (系统联通率 ...) and the Chinese definitions are render/catalogue.py's, keyed by metric id.
METRICS = {
    "town_connectivity": "netconsol definition: towns/streets attached to the e-government extranet (a device "
                         "located in the town is reached by links from the extranet PEs/core; towns without "
                         "devices per the manifest) / all towns",
    "town_coverage_public": "netconsol definition: towns/streets whose attached device has an address in the public "
                            "service domain (extranet_public; towns without devices per the manifest) / all towns",
    "connectivity_rate": "netconsol definition (connectivity rate): departments connected to the extranet (a device "
                         "reached, an extranet VPN carried for it, or the manifest for departments without "
                         "devices) / departments in scope",
    "private_networks": "netconsol definition: count of networks of kind gov_private or business_private",
    "lan_networks": "netconsol definition: count of networks of kind lan (departments' own LANs)",
    "exits": "netconsol definition: count of internet exits, a line seen both in a sheet and in a config counted "
             "once (netconsol.analyze.exits.reconcile_exits)",
    "conflicts": "netconsol definition: count of open address conflicts (every conflicts row but shared-by-design)",
    "address_overlaps": "netconsol definition: count of conflicts of kind identical, contains, partial or pool",
    "duplicate_ips": "netconsol definition: count of conflicts of kind duplicate-ip",
}


def backbone(graph: nx.Graph) -> list[str]:
    """The extranet backbone's device nodes (see the module docstring)."""
    def net_kind(d):
        kinds = {graph.nodes.get(node_id("network", x), {}).get("kind", "") for x in _s(d.get("network")).split()}
        return kinds

    roles = [n for n, d in graph.nodes(data=True)
             if d.get("type") == "device" and d.get("kind") in ("pe", "core")
             and (not _s(d.get("network")) or net_kind(d) & set(EXTRANET_KINDS))]
    if roles:
        return sorted(roles)
    out = set()
    for n, d in graph.nodes(data=True):
        if d.get("type") != "network" or d.get("kind") not in EXTRANET_KINDS:
            continue
        for m in graph.neighbors(n):
            t = graph.nodes[m].get("type")
            if t == "device":
                out.add(m)
            elif t == "subnet":
                out.update(x for x in graph.neighbors(m) if graph.nodes[x].get("type") == "device")
    return sorted(out)


def attached(graph: nx.Graph) -> set[str]:
    """Device and subnet nodes reached from the backbone over address and link edges."""
    # plain dicts (node -> its data; node -> {neighbour: edge data}), read once, instead of
    # networkx's views at every step; the nodes whose kind is intranet, as a set
    nodes = dict(graph.nodes(data=True))
    adj = dict(graph.adjacency())
    intranet = {n for n, d in nodes.items() if d.get("kind") == "intranet"}

    def blocked(n):
        d = nodes[n]
        if d.get("type") not in ("device", "subnet"):
            return True
        return any(node_id("network", x) in intranet for x in _s(d.get("network")).split())

    starts = [n for n in backbone(graph) if not blocked(n)]
    seen = set(starts)
    queue = deque(starts)
    while queue:
        n = queue.popleft()
        for m, edge in adj[n].items():
            if m in seen or edge.get("type") not in _WALK_EDGES or blocked(m):
                continue
            seen.add(m)
            queue.append(m)
    return seen


_DOMAINS = ("extranet_admin", "extranet_public")
ATTACHMENT_COLUMNS = ["device", "interface", "vrf", "subnet", "domain", "level", "unit", "district", "source",
                      "location"]


def _interface_down(inv) -> set:
    """(device, interface) shut down, by its own line or its parent port's."""
    itf = inv["interfaces"]
    down = {(d, i) for d, i, up in tuples(itf, ("device", "interface", "admin_up"))
            if up is not pd.NA and up is not None and not bool(up)}
    if "parent" in itf.columns:
        down |= {(d, i) for d, i, par in tuples(itf, ("device", "interface", "parent")) if par and (d, par) in down}
    return down


def attachments(inv, graph: nx.Graph | None = None) -> pd.DataFrame:
    """PE–CE attachments the configs state, for units that have no device of their own: one row
    per interface of a backbone device (:func:`backbone`) that is up (its port too), bound to a
    VPN instance, addressed in an extranet domain's plan (the domain: that network's kind,
    extranet_admin or extranet_public), and whose description names a department (name or
    alias) or a town of the manifest.  A port reserved and shut down ('预留-北岭乡') attaches
    nothing; nor does a VPN instance defined but bound to no interface that is up."""
    graph = graph if graph is not None else build_graph(inv)
    spine = {n.split(":", 1)[1] if n.startswith("device:") else n for n in backbone(graph)}
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    names = []   # (folded text, level, unit name, district), longest first
    for r in _rows(inv["units"], ("name", "level", "district", "aliases")):
        if r.level == "department":
            for n in {r.name, *(a for a in _s(r.aliases).split("|") if a)}:
                names.append((fold(n), "department", r.name, r.district))
        elif r.level == "town":
            names.append((fold(r.name), "town", r.name, r.district))
    names.sort(key=lambda x: (-len(x[0]), x[1], x[2]))
    first_named = _first_name_in(names)
    itf = inv["interfaces"]
    desc = {(d, i): _s(x) for d, i, x in tuples(itf, ("device", "interface", "description")) if d in spine} \
        if "description" in itf.columns else {}   # read for the backbone's interfaces only
    down = _interface_down(inv)
    rows = []
    # plain tuples (the values rows() gives), unpacked: most rows are not a backbone's
    for origin, device, interface, vrf, prefix, network, source, location in tuples(
            inv["prefixes"], ("origin", "device", "interface", "vrf", "prefix", "network", "source", "location")):
        if origin != "interface" or device not in spine or not vrf or kinds.get(network) not in _DOMAINS:
            continue
        if (device, interface) in down:
            continue
        hit = first_named(fold(desc.get((device, interface), "")))
        if hit is None:
            continue
        # a town and a department both named (城关镇 in 城关镇人民政府): the longer name, first
        rows.append({"device": device, "interface": interface, "vrf": vrf, "subnet": prefix,
                     "domain": kinds[network], "level": hit[1], "unit": hit[2], "district": hit[3],
                     "source": source, "location": location})
    rows.sort(key=lambda x: (x["level"], x["unit"], x["device"], x["interface"]))
    return pd.DataFrame(rows, columns=ATTACHMENT_COLUMNS)


def _first_name_in(names):
    """``f(text)``: the first entry of *names* (folded name first, in list order, longest names
    first) whose name occurs in *text*, else None: ``next(n for n in names if n[0] and n[0] in
    text)``.  A province names ~20,000 units: instead of trying each name on each text, at each
    position of the text the substrings as long as the names starting with its character are looked
    up; the longest length found wins (the list puts every longer name before a shorter one), and
    of the names of that length found, the earliest in the list."""
    index: dict[int, dict[str, int]] = {}   # length -> folded name -> its first position in names
    for i, n in enumerate(names):
        if n[0]:
            index.setdefault(len(n[0]), {}).setdefault(n[0], i)
    # the lengths of the names starting with each character, longest first: a text is read once,
    # each position trying only the lengths of the names its character starts
    by_char: dict[str, list] = {}
    for ln, of_len in index.items():
        for name in of_len:
            by_char.setdefault(name[0], set()).add(ln)
    by_char = {ch: sorted(lns, reverse=True) for ch, lns in by_char.items()}
    memo: dict[str, tuple | None] = {}

    def first(text: str):
        if text in memo:
            return memo[text]
        best_len, best = 0, None
        end = len(text)
        for j, ch in enumerate(text):
            for ln in by_char.get(ch, ()):
                if ln < best_len:
                    break
                if j + ln > end:
                    continue
                i = index[ln].get(text[j:j + ln])
                if i is not None:
                    if ln > best_len:
                        best_len, best = ln, i
                    elif i < best:
                        best = i
                    break   # a shorter name at this position loses to this one
        hit = memo[text] = names[best] if best is not None else None
        return hit

    return first


def _attached_domains(att: pd.DataFrame, level: str) -> dict:
    """{(district, unit): {domains}} of *att* rows of *level*."""
    out = defaultdict(set)
    for row_level, unit, district, domain in tuples(att, ("level", "unit", "district", "domain")):
        if row_level == level:
            out[(district, unit)].add(domain)
    return out


def _public(graph, dev) -> bool:
    """The device has an address in an extranet_public network."""
    for m in graph.neighbors(dev):
        d = graph.nodes[m]
        if d.get("type") == "subnet" and any(
                graph.nodes.get(node_id("network", x), {}).get("kind") == "extranet_public"
                for x in _s(d.get("network")).split()):
            return True
    return False


def _located(graph, unit_nid):
    return [n for n in graph.neighbors(unit_nid)
            if graph.nodes[n].get("type") == "device" and graph.edges[n, unit_nid].get("type") == "located"]


def town_status(inv, graph: nx.Graph | None = None, reach: set | None = None,
                has_source: bool | None = None, att: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per town unit: unit, district, town, devices, attached, public, basis.

    *reach*, *has_source*, *att*: :func:`attached`, ``bool(backbone(graph))`` and
    :func:`attachments` when already known.
    """
    graph = graph if graph is not None else build_graph(inv)
    reach = attached(graph) if reach is None else reach
    has_source = bool(backbone(graph)) if has_source is None else has_source
    stated = _attached_domains(attachments(inv, graph) if att is None else att, "town")
    rows = []
    for r in _rows(inv["units"], ("unit", "level", "district", "name", "connected")):
        if r.level != "town":
            continue
        nid = node_id("unit", r.unit)
        devs = sorted(_located(graph, nid)) if nid in graph else []
        manifest = None if r.connected is pd.NA or r.connected is None else bool(r.connected)
        if devs and has_source:
            att = any(d in reach for d in devs)
            pub = any(d in reach and _public(graph, d) for d in devs)
            basis = "graph" if (manifest is None or manifest == att) else "graph (contradicts manifest)"
        elif (r.district, r.name) in stated and has_source:
            # no device of its own, but a backbone port bound to a domain names it
            att, pub = True, "extranet_public" in stated[(r.district, r.name)]
            basis = "config" if manifest in (None, True) else "config (contradicts manifest)"
        else:
            att = bool(manifest) if manifest is not None else False
            pub = att
            basis = "manifest" if manifest is not None else "unknown"
        rows.append({"unit": r.unit, "district": r.district, "town": r.name,
                     "devices": " ".join(d.split(":", 1)[1] for d in devs), "attached": att, "public": pub,
                     "basis": basis})
    return pd.DataFrame(rows, columns=["unit", "district", "town", "devices", "attached", "public", "basis"])


def department_status(inv, graph: nx.Graph | None = None, reach: set | None = None,
                      att: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per department in scope: department, district, connected, basis.

    *reach*, *att*: :func:`attached` of *graph* and :func:`attachments` when already known.
    """
    graph = graph if graph is not None else build_graph(inv)
    reach = attached(graph) if reach is None else reach
    stated = _attached_domains(attachments(inv, graph) if att is None else att, "department")
    units = inv["units"]
    depts = {r.name: (r.district, r.connected) for r in _rows(units, ("name", "district", "connected", "level"))
             if r.level == "department"}
    if not depts:
        for df in (inv["devices"], inv["networks"]):
            for r in _rows(df, ("department", "district")):
                if r.department and r.department not in depts:
                    depts[r.department] = (r.district, pd.NA)
    dev_by_dept = defaultdict(list)
    for r in _rows(inv["devices"], ("device", "department")):
        if r.department:
            dev_by_dept[r.department].append(node_id("device", r.device))
    carried = {r.department for r in _rows(inv["networks"], ("department", "kind"))
               if r.kind in EXTRANET_KINDS and r.department}
    rows = []
    for name in sorted(depts):
        district, flag = depts[name]
        devs = dev_by_dept.get(name, [])
        if any(d in reach for d in devs):
            ok, basis = True, "graph"
        elif name in carried:
            ok, basis = True, "extranet network"
        elif (district, name) in stated:
            ok = True
            basis = "config" if flag is pd.NA or flag is None or bool(flag) else "config (contradicts manifest)"
        elif devs:
            ok, basis = False, "graph"
        elif flag is not pd.NA and flag is not None:
            ok, basis = bool(flag), "manifest"
        else:
            ok, basis = False, "unknown"
        rows.append({"department": name, "district": district, "connected": ok, "basis": basis})
    return pd.DataFrame(rows, columns=["department", "district", "connected", "basis"])


def unit_status(inv, graph: nx.Graph) -> dict:
    """What the towns' and departments' status tables are derived from, each computed once:
    ``reach`` (:func:`attached`), ``att`` (:func:`attachments`), ``towns`` (:func:`town_status`)
    and ``depts`` (:func:`department_status`) of *inv* and *graph*."""
    reach = attached(graph)
    att = attachments(inv, graph)
    towns = town_status(inv, graph, reach=reach, has_source=bool(backbone(graph)), att=att)
    depts = department_status(inv, graph, reach=reach, att=att)
    return {"reach": reach, "att": att, "towns": towns, "depts": depts}


def _district_maps(inv):
    net_d = dict(tuples(inv["networks"], ("network", "district")))
    dev_d = dict(tuples(inv["devices"], ("device", "district")))
    dept_d = {r.name: r.district for r in _rows(inv["units"], ("name", "district", "level")) if r.level == "department"}
    return net_d, dev_d, dept_d


def _real_exits(inv, exit_rules=None) -> pd.DataFrame:
    """One row per real exit (sheet and config evidence joined, by *exit_rules*: the rules the exit
    plan uses, else the shipped ones); the raw rows if the shipped rules cannot be read."""
    if inv["exits"].empty:
        return inv["exits"]
    from .exits import load_exit_rules, reconcile_exits

    if exit_rules is None:
        try:
            exit_rules = load_exit_rules()
        except RulesError:  # the shipped exit rules are missing or broken: count what the collectors saw
            return inv["exits"]
    exits, _ = reconcile_exits(inv, exit_rules)
    return exits


def compute_metrics(inv, graph: nx.Graph | None = None, *, exit_rules=None, status: dict | None = None) -> pd.DataFrame:
    """The metrics table: city and per-district rows, each with its netconsol definition.
    *exit_rules*: the exit rules the scan's exit plan uses, so both count the same exits;
    *status*: :func:`unit_status` of *inv* and *graph* when already known."""
    graph = graph if graph is not None else build_graph(inv)
    status = unit_status(inv, graph) if status is None else status
    towns, depts = status["towns"], status["depts"]
    units = list(_rows(inv["units"], ("unit", "level")))
    city = next((r.unit for r in units if r.level == "city"), "city")
    districts = [r.unit for r in units if r.level == "district"]
    seen = set(districts)
    for df in (inv["devices"], inv["networks"], inv["exits"]):
        for d in df["district"].tolist():
            if d and d not in seen:
                seen.add(d)
                districts.append(d)
    net_d, dev_d, dept_d = _district_maps(inv)
    nets = inv["networks"]
    exits = _real_exits(inv, exit_rules)
    conflicts = inv["conflicts"]

    def conflict_districts(r):
        out = set()
        for p in ("a", "b"):
            for d in (net_d.get(getattr(r, f"{p}_network"), ""), dev_d.get(getattr(r, f"{p}_device"), ""),
                      dept_d.get(getattr(r, f"{p}_department"), "")):
                if d:
                    out.add(d)
        return out

    # per district tallies in one pass over each table (key None: the city, every row)
    def tally(keys, *flags):
        out = defaultdict(lambda: [0] * (len(flags) + 1))
        for i, k in enumerate(keys):
            for scope in (None, k):
                t = out[scope]
                t[0] += 1
                for j, f in enumerate(flags, start=1):
                    t[j] += int(bool(f[i]))
        return out

    town_t = tally(towns["district"].tolist(), towns["attached"].tolist(), towns["public"].tolist())
    dept_t = tally(depts["district"].tolist(), depts["connected"].tolist())
    kinds = nets["kind"].tolist()
    net_t = tally(nets["district"].tolist(), [k in PRIVATE_KINDS for k in kinds], [k == "lan" for k in kinds])
    exit_t = tally(exits["district"].tolist())
    conf_t = defaultdict(lambda: [0, 0, 0])
    for r, kind in zip(_rows(conflicts, ("a_network", "a_device", "a_department", "b_network", "b_device",
                                         "b_department")), conflicts["kind"].tolist()):
        if kind == "shared-by-design":
            continue  # listed, not a problem (anycast, VRRP/HSRP virtual, MLAG-shared VTEP)
        for scope in (None, *conflict_districts(r)):
            t = conf_t[scope]
            t[0] += 1
            t[1] += int(kind != "duplicate-ip")
            t[2] += int(kind == "duplicate-ip")
    rows = []

    def rate(scope, level, metric, num, den):
        rows.append({"scope": scope, "level": level, "metric": metric,
                     "value": (num / den) if den else float("nan"), "numerator": num, "denominator": den,
                     "definition": METRICS[metric], "source": "netconsol analyze", "location": "metrics"})

    def count(scope, level, metric, n):
        rows.append({"scope": scope, "level": level, "metric": metric, "value": n, "numerator": n,
                     "denominator": float("nan"), "definition": METRICS[metric], "source": "netconsol analyze",
                     "location": "metrics"})

    for scope, level, d in [(city, "city", None)] + [(x, "district", x) for x in districts]:
        n_towns, n_att, n_pub = town_t.get(d, (0, 0, 0))
        rate(scope, level, "town_connectivity", n_att, n_towns)
        rate(scope, level, "town_coverage_public", n_pub, n_towns)
        n_depts, n_conn = dept_t.get(d, (0, 0))
        rate(scope, level, "connectivity_rate", n_conn, n_depts)
        _, n_private, n_lan = net_t.get(d, (0, 0, 0))
        count(scope, level, "private_networks", n_private)
        count(scope, level, "lan_networks", n_lan)
        count(scope, level, "exits", exit_t.get(d, (0,))[0])
        n_conf, n_overlap, n_dup = conf_t.get(d, (0, 0, 0))
        count(scope, level, "conflicts", n_conf)
        count(scope, level, "address_overlaps", n_overlap)
        count(scope, level, "duplicate_ips", n_dup)
    return schema.frame("metrics", rows)
