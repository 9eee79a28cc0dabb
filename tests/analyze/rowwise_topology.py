"""The link inference and the graph as they were computed row by row (one dict per interface address,
one add_node / add_edge per node and link), before issue 23 made them column-wise: the oracle the
column-wise code in netconsol.analyze.topology is compared with (test_topology_columns.py).  A copy
of that code, kept as it was; the helpers it shares with the module are imported from it."""
from collections import defaultdict

import networkx as nx
import pandas as pd

from netconsol import schema
from netconsol.analyze.topology import (EXTRANET_KINDS, LINK_EXCLUDED_KINDS, PE_ROLES, _NODE_KEYS,
                                        ADDRESS_ERRORS, _cidr_key, _kept_links, _names, _neighbor_links,
                                        _neighbor_pairs, _nets, _plan_index, _s, _unit_lookup,
                                        compatible_networks, ip_int, net_bounds, node_id, rows, town_unit, tuples,
                                        vrf_contexts)
from netconsol.analyze.unionfind import DisjointSets


def interface_addresses(inv, vctx: dict | None = None) -> list[dict]:
    """Every interface address (ip set) with its attribution and context.

    Keys: the interfaces columns plus ``network``, ``net_kind``, ``department`` (of the
    prefix row), ``device_department``, ``context`` (network id, else 'global' or the VRF
    context), ``vctx`` ('global' or the VRF context), ``family``, ``start``, ``end``, ``ip_int``
    and ``linkable``.  *vctx*: :func:`vrf_contexts` of *inv* when the caller has it already.
    """
    attr = {}
    for origin, device, interface, prefix, network, department in tuples(
            inv["prefixes"], ("origin", "device", "interface", "prefix", "network", "department")):
        if origin == "interface":
            attr[(device, interface, prefix)] = (network, department)
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev_dept = dict(tuples(inv["devices"], ("device", "department")))
    # a sub-interface of a shut-down port is down whatever its own line says (VRP and Comware
    # keep 'shutdown' on the physical port; its .100 has no shutdown line of its own)
    itf = inv["interfaces"]
    down = {(d, i) for d, i, up in tuples(itf, ("device", "interface", "admin_up"))
            if up is not pd.NA and up is not None and not bool(up)}
    parent_down = set()
    if down and "parent" in itf.columns:
        parent_down = {(d, i) for d, i, par in tuples(itf, ("device", "interface", "parent"))
                       if par and (d, par) in down}
    if vctx is None:
        vctx = vrf_contexts(inv)
    out = []
    dept_of = {}
    no_attr = ("", "")
    itf = inv["interfaces"]
    extra = [itf[c] if c in itf.columns else pd.Series([""] * len(itf), dtype=object)
             for c in ("description", "vlan", "gateways")]
    extra = zip(*(s_.to_numpy(dtype=object).tolist() for s_ in extra))
    for (device, interface, kind, vrf, address, ip, subnet, prefixlen, secondary, admin_up, unnumbered, source,
         location), (description, vlan, gateways) in zip(tuples(itf, (
            "device", "interface", "kind", "vrf", "address", "ip", "subnet", "prefixlen", "secondary", "admin_up",
            "unnumbered", "source", "location")), extra):
        if type(ip) is not str:
            ip = _s(ip)
        if type(subnet) is not str:
            subnet = _s(subnet)
        if not ip or not subnet or (unnumbered if type(unnumbered) is str else _s(unnumbered)):
            continue
        try:
            fam, start, end = net_bounds(subnet)
            ip_n = ip_int(ip)[1]
        except ADDRESS_ERRORS:  # a malformed row is the parser's issue, not a crash here
            continue
        network, dept = attr.get((device, interface, subnet), no_attr)
        ctx_v = "global" if not vrf else vctx.get((device, vrf), f"{device}:{vrf}")
        plen = _s(prefixlen)
        maxlen = 32 if fam == 4 else 128
        link_local = fam == 6 and (ip_n >> 118) == 0x3FA  # fe80::/10
        up = (admin_up is pd.NA or admin_up is None or bool(admin_up)) and (device, interface) not in parent_down
        linkable = (kind not in LINK_EXCLUDED_KINDS and up and not link_local
                    and plen != "" and int(plen) < maxlen)
        device_department = dept_of.get(device)
        if device_department is None:
            device_department = dept_of[device] = _s(dev_dept.get(device, ""))
        out.append({
            "device": device, "interface": interface, "kind": kind, "vrf": vrf, "address": address,
            "ip": ip, "subnet": subnet, "family": fam, "start": start, "end": end, "ip_int": ip_n,
            "secondary": secondary, "admin_up": admin_up, "source": source, "location": location,
            "network": network, "net_kind": kinds.get(network, ""), "department": dept,
            "device_department": device_department, "vctx": ctx_v,
            "context": network or ctx_v, "linkable": bool(linkable), "link_local": link_local,
            "description": _s(description), "vlan": _s(vlan), "gateways": _s(gateways),
        })
    return out



def infer_links(inv, neighbors=None, *, addrs: list | None = None) -> pd.DataFrame:
    """The links table: L3 links from shared subnets, plus kept and neighbour-derived rows.

    Rows carry ``status`` ``link`` or ``candidate`` (module docstring, evidence rules).
    *addrs*: :func:`interface_addresses` of *inv* when the caller has it already.
    """
    every = interface_addresses(inv) if addrs is None else addrs
    addrs = [a for a in every if a["linkable"]]
    nets = _nets(inv)
    plans = _plan_index(inv)
    ips_of = defaultdict(set)
    for a in every:
        ips_of[(a["device"], a["interface"])].add((a["family"], a["ip_int"]))
    groups = defaultdict(list)
    for a in addrs:
        groups[(a["family"], a["start"], a["end"])].append(a)
    found: dict[tuple, dict] = {}
    dev = {r.device: r for r in rows(inv["devices"], ("device", "department", "network", "role"))}
    departments_known = any(r.department for r in dev.values())
    peers = _neighbor_pairs(inv, neighbors)
    # (device, subnet span) -> how many of the device's interfaces hold it: a subnet reused per VRF/VLAN
    per_device = defaultdict(int)
    for a in addrs:
        per_device[(a["device"], a["family"], a["start"], a["end"])] += 1

    def pe_device(x) -> bool:
        """A PE of the extranet: the manifest's role says so (pe, or the core that carries the VPN
        instances); a device the manifest gives no role is one when its network is the extranet.  A CE
        or town router the manifest files under the extranet's network (it serves the extranet) is not."""
        d = dev.get(x["device"])
        if d is None:
            return False
        if d.role:
            return d.role in PE_ROLES
        return nets.get(d.network, {}).get("kind", "") in EXTRANET_KINDS

    def on_extranet_plan(subnet) -> bool:
        return any(nets.get(n, {}).get("kind", "") in EXTRANET_KINDS for n in plans.containing(subnet))

    def peer_evidence(a, b, subnet) -> str:
        """Evidence beyond the shared subnet that two ends are one network ('' when none)."""
        if frozenset((a["device"].lower(), b["device"].lower())) in peers:
            return "lldp"
        if _names(a["description"], b["device"]) or _names(b["description"], a["device"]):
            return "description"
        fam, start, end = net_bounds(subnet)
        if end - start <= 3 and on_extranet_plan(subnet):
            return "extranet-plan"
        return ""

    def consider(a, b, subnet):
        if a["device"] == b["device"]:
            return
        ka, kb = (a["device"], a["interface"]), (b["device"], b["interface"])
        if ips_of[ka] & ips_of[kb]:
            return
        # VRF contexts: the same context, or a PE's VPN instance facing a CE on the extranet's plan
        if a["vctx"] != b["vctx"]:
            x, y = (a, b) if a["vrf"] and pe_device(a) else (b, a)
            if not (x["vrf"] and (pe_device(x) or x["net_kind"] in EXTRANET_KINDS) and not pe_device(y)
                    and (on_extranet_plan(subnet) or x["net_kind"] in EXTRANET_KINDS)):
                return
        # SVIs of one subnet reused per VLAN on a device pair: pair them VLAN by VLAN
        if a["vlan"] and b["vlan"] and a["vlan"] != b["vlan"] and a["kind"] == b["kind"] == "vlan" and (
                per_device[(a["device"], a["family"], a["start"], a["end"])] > 1
                or per_device[(b["device"], b["family"], b["start"], b["end"])] > 1):
            return
        if not compatible_networks(a, b, subnet, nets, plans):
            return
        status, evidence = "link", "subnet"   # the attribution alone decides: the subnet is the evidence
        if not (a["network"] and b["network"]):
            da = a["device_department"] or a["department"]
            db = b["device_department"] or b["department"]
            ev = peer_evidence(a, b, subnet)
            if da and db:
                if da != db:
                    if not ev:
                        return  # two departments' reused space: a conflict (overlaps), not a link
                    evidence = ev
            elif not da and not db and not departments_known:
                evidence = ev or "subnet"   # nothing in the inventory is attributed: the subnet alone
            elif ev:
                evidence = ev
            else:
                status, evidence = "candidate", "subnet"
        if kb < ka:
            a, b, ka, kb = b, a, kb, ka
        row = found.get(ka + kb)
        if row is None:
            found[ka + kb] = row = {"a_device": ka[0], "a_interface": ka[1], "b_device": kb[0], "b_interface": kb[1],
                                    "subnets": set(), "evidence": set(), "status": status, "source": a["source"],
                                    "location": f"{a['location']} / {b['source']} {b['location']}".strip()}
        elif status == "link":
            row["status"] = "link"
        row["subnets"].add(subnet)
        row["evidence"].update(("subnet", evidence))

    for members in groups.values():
        members.sort(key=lambda m: (m["device"], m["interface"], m["ip_int"]))
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                consider(members[i], members[j], members[i]["subnet"])
    # masks that disagree: subnets of one family nested in each other
    from netconsol.analyze.intervals import overlapping_pairs

    for fam in (4, 6):
        keys = sorted(k for k in groups if k[0] == fam)
        spans = [(k[1], k[2]) for k in keys]
        for i, j in overlapping_pairs(spans):
            big, small = (keys[i], keys[j]) if spans[i][1] - spans[i][0] >= spans[j][1] - spans[j][0] else \
                (keys[j], keys[i])
            for a in groups[big]:
                if not small[1] <= a["ip_int"] <= small[2]:
                    continue
                for b in groups[small]:
                    consider(a, b, b["subnet"])
    out_rows = []
    for r in found.values():
        out_rows.append({**{k: r[k] for k in ("a_device", "a_interface", "b_device", "b_interface", "source",
                                           "location", "status")},
                     "subnet": " ".join(sorted(r["subnets"], key=_cidr_key)),
                     "evidence": " ".join(sorted(r["evidence"]))})
    out_rows.extend(_unnumbered_links(inv, every))
    out_rows.extend(_kept_links(inv))
    out_rows.extend(_neighbor_links(inv, neighbors))
    merged: dict[tuple, dict] = {}
    for r in out_rows:
        k = (r["a_device"], r["a_interface"], r["b_device"], r["b_interface"])
        m = merged.get(k)
        if m is None:
            merged[k] = dict(r)
            continue
        m["evidence"] = " ".join(sorted(set(m["evidence"].split()) | set(r["evidence"].split())))
        if r.get("subnet") and not m.get("subnet"):
            m["subnet"] = r["subnet"]
        if r.get("status", "link") == "link":
            m["status"] = "link"   # other evidence (lldp, a kept row) settles a candidate
    df = schema.frame("links", merged.values())
    return df.sort_values(["a_device", "a_interface", "b_device", "b_interface"], kind="mergesort").reset_index(
        drop=True)



def _unnumbered_links(inv, every) -> list[dict]:
    """Links between unnumbered interfaces (EOS ``ip address unnumbered Loopback0``, NX-OS / IOS
    ``ip unnumbered``): two devices whose lender addresses peer (a BGP neighbour statement of one
    names the other's lender address, or an LLDP/CDP neighbour row) are linked by their unnumbered
    ports; with several such ports on a device, the descriptions naming the peer pick the port (a
    port whose description names another device is not used)."""
    itf = inv["interfaces"]
    unnum = itf[(itf["unnumbered"] != "") & (itf["admin_up"].fillna(True).astype(bool))]
    if len(unnum) == 0:
        return []
    owner = {}   # (device, lender interface) -> its addresses
    addr_dev = defaultdict(set)
    for a in every:
        owner.setdefault((a["device"], a["interface"]), set()).add(a["ip"])
        if a["kind"] == "loopback":
            addr_dev[a["ip"]].add(a["device"])
    ports = defaultdict(list)   # device -> [(interface, description, lender ips, source, location)]
    for r in rows(unnum, ("device", "interface", "unnumbered", "description", "source", "location")):
        ports[r.device].append((r.interface, _s(r.description), owner.get((r.device, r.unnumbered), set()),
                                r.source, r.location))
    peered = set()
    bgp = inv["bgp"]
    for device, neighbor in tuples(bgp, ("device", "neighbor")):
        for other in addr_dev.get(neighbor, ()):
            if other != device:
                peered.add(frozenset((device, other)))
    lower = {d.lower(): d for d in ports}
    for pair in _neighbor_pairs(inv, None):
        names = [lower.get(x) for x in pair]
        if len(names) == 2 and all(names):
            peered.add(frozenset(names))
    out = []
    for pair in sorted(peered, key=sorted):
        a_dev, b_dev = sorted(pair)
        if a_dev not in ports or b_dev not in ports:
            continue

        def pick(dev, other):
            mine = ports[dev]
            named = [p for p in mine if _names(p[1], other)]
            if named:
                return named
            unnamed = [p for p in mine if not any(_names(p[1], d) for d in ports if d != dev)]
            return unnamed if len(unnamed) == 1 else []
        pa, pb = pick(a_dev, b_dev), pick(b_dev, a_dev)
        if len(pa) != 1 or len(pb) != 1:
            continue
        (ai, _, _, src, loc), (bi, _, _, bsrc, bloc) = pa[0], pb[0]
        out.append({"a_device": a_dev, "a_interface": ai, "b_device": b_dev, "b_interface": bi, "subnet": "",
                    "evidence": "unnumbered", "status": "link", "source": src,
                    "location": f"{loc} / {bsrc} {bloc}"})
    return out



def _segments(subnet, members, links_by_subnet) -> list[list]:
    """The members of one subnet grouped into segments: members sharing a context, and members
    whose interfaces a link of this subnet joins; in order of each segment's first member."""
    sets = DisjointSets(range(len(members)))
    union = sets.union
    first_of_ctx = {}
    for i, m in enumerate(members):
        j = first_of_ctx.setdefault(m["context"], i)
        if j != i:
            union(j, i)
    pairs = links_by_subnet.get(subnet)
    if pairs:
        of_key = defaultdict(list)
        for i, m in enumerate(members):
            of_key[(m["device"], m["interface"])].append(i)
        for ka, kb in pairs:
            xs, ys = of_key.get(ka), of_key.get(kb)
            if not xs or not ys:
                continue
            if ka == kb:
                for j in xs[1:]:
                    union(xs[0], j)
            else:
                for j in xs + ys[1:]:
                    union(ys[0], j)
    return [[members[i] for i in group] for group in sets.groups().values()]


def build_graph(inv, links: pd.DataFrame | None = None, *, addrs: list | None = None) -> nx.Graph:
    """One graph of devices, subnets, networks, units (city/district/town/department) and exits.

    Node ids: ``device:NAME``, ``subnet:CTX|CIDR`` (CTX = the network id, else 'global' or
    the VRF context; '+'-joined when linked interfaces of several networks share it),
    ``network:ID``, ``exit:ID``, ``unit:UNIT`` (units.unit).  Every node has the attributes
    type, label, vendor, platform, department, district, town, network, kind, addresses,
    carrier, evidence ('' when not applicable).  Edges have ``type``: address (device-subnet),
    link (device-device, with evidence and interfaces), member (device/subnet-network),
    located (device/network/exit-unit), owned (-> department unit), part_of (unit-unit),
    exit (exit-device).  *addrs*: :func:`interface_addresses` of *inv* when the caller has it.
    """
    if addrs is None:
        addrs = interface_addresses(inv)
    if links is None:
        links = infer_links(inv, addrs=addrs)
    g = nx.Graph()
    nets = _nets(inv)
    by_id, towns_by_name, city = _unit_lookup(inv)

    nodes = g.nodes

    def add(nid, **attrs):
        if nid in g:
            node = nodes[nid]
            for k, v in attrs.items():
                if v not in ("", None) and not node.get(k):
                    node[k] = v
            return nid
        base = dict.fromkeys(_NODE_KEYS, "")
        for k, v in attrs.items():
            base[k] = "" if v is None else v
        g.add_node(nid, **base)
        return nid

    # add() again with the same attributes changes nothing: the unit, network and bare device
    # nodes below are added once per distinct call
    done: dict = {}
    edges: list = []   # (u, v, attributes) for g.add_edges_from, before the links are read

    def unit(uid, level="", district=""):
        if not uid:
            return ""
        key = ("unit", uid, level, district)
        hit = done.get(key)
        if hit is not None:
            return hit
        r = by_id.get(uid)
        if r is not None:
            nid = add(node_id("unit", uid), type="unit", label=r.name, kind=r.level, district=r.district,
                      town=r.name if r.level == "town" else "")
        else:
            name = uid.split("/")[-1].removeprefix("dept:")
            nid = add(node_id("unit", uid), type="unit", label=name, kind=level, district=district,
                      town=name if level == "town" else "")
        done[key] = nid
        return nid

    def network_node(nid):
        key = ("network", nid)
        hit = done.get(key)
        if hit is None:
            hit = done[key] = _network_node(add, nid, nets)
        return hit

    def bare_device(dev):
        key = ("device", dev)
        hit = done.get(key)
        if hit is None:
            hit = done[key] = add(node_id("device", dev), type="device", label=dev, kind="unknown")
        return hit

    def place(nid, department, district, town):
        t = town_unit(district, town, by_id, towns_by_name)
        if t:
            edges.append((nid, unit(t, "town", district), {"type": "located"}))
        elif district:
            edges.append((nid, unit(district, "district", district), {"type": "located"}))
        if department:
            edges.append((nid, unit(f"dept:{department}", "department", district), {"type": "owned"}))

    # units and their hierarchy
    for r in rows(inv["units"], ("unit", "level", "district")):
        u = unit(r.unit)
        if r.level == "town" and r.district:
            edges.append((u, unit(r.district, "district", r.district), {"type": "part_of"}))
        elif r.level == "district" and city:
            edges.append((u, unit(city, "city"), {"type": "part_of"}))
        elif r.level == "department":
            parent = r.district or city
            if parent:
                edges.append((u, unit(parent, "district" if r.district else "city", r.district), {"type": "part_of"}))

    by_dev = defaultdict(list)
    for a in addrs:
        by_dev[a["device"]].append(a["address"])
    for r in rows(inv["devices"], ("device", "vendor", "platform", "department", "district", "town", "network", "role",
                                   "model", "site")):
        nid = add(node_id("device", r.device), type="device", label=r.device, vendor=r.vendor, platform=r.platform,
                  department=r.department, district=r.district, town=r.town, network=r.network, kind=r.role,
                  addresses=" ".join(sorted(set(by_dev.get(r.device, [])))), model=r.model, site=r.site)
        place(nid, r.department, r.district, r.town)
        if r.network:
            edges.append((nid, network_node(r.network), {"type": "member"}))
    for nid_, n in nets.items():
        nn = network_node(nid_)
        place(nn, n["department"], n["district"], n["town"])

    # subnets: one node per segment (interfaces of a subnet joined by a link or sharing a context)
    links_by_subnet = defaultdict(list)  # subnet -> [(a key, b key)] of link rows written in pair order
    if "status" not in links.columns:
        links = links.assign(status="link")
    link_rows = list(rows(links, ("a_device", "a_interface", "b_device", "b_interface", "subnet", "evidence",
                                  "status")))
    for r in link_rows:
        if r.status == "candidate":
            continue  # a candidate joins no segment
        ka, kb = (r.a_device, r.a_interface), (r.b_device, r.b_interface)
        if ka > kb:
            continue  # a pair of interfaces is looked up in order: a row written the other way never matches
        for sn in _s(r.subnet).split():
            links_by_subnet[sn].append((ka, kb))
    groups = defaultdict(list)
    for a in addrs:
        if a["linkable"]:
            groups[a["subnet"]].append(a)
    for subnet, members in groups.items():
        if len(members) == 1 or len({m["context"] for m in members}) == 1:
            segments = [members]  # one context: one segment whatever the links say
        else:
            segments = _segments(subnet, members, links_by_subnet)
        for seg in segments:
            ctx = "+".join(sorted({m["context"] for m in seg}))
            networks = sorted({m["network"] for m in seg if m["network"]})
            sid = add(node_id("subnet", f"{ctx}|{subnet}"), type="subnet", label=subnet, network=" ".join(networks),
                      kind="subnet", addresses=" ".join(sorted({m["address"] for m in seg})), cidr=subnet,
                      context=ctx)
            per_dev = defaultdict(list)
            for m in seg:
                per_dev[m["device"]].append(m)
            for dev, ms in per_dev.items():
                dn = bare_device(dev)
                edges.append((dn, sid, {"type": "address", "interface": " ".join(sorted({m["interface"] for m in ms})),
                                        "address": " ".join(sorted({m["address"] for m in ms}))}))
            for n in networks:
                edges.append((sid, network_node(n), {"type": "member"}))

    # the edges above in one call, in the order they were made (every node they join was added
    # first, so the nodes' and the adjacency's order is add_edge's); the links below read edges
    g.add_edges_from(edges)
    edges.clear()

    for r in link_rows:
        a = bare_device(r.a_device)
        b = bare_device(r.b_device)
        pair = f"{r.a_interface}--{r.b_interface}"
        if r.status == "candidate":
            # shown apart (a dashed edge on the page), never walked as a link by the metrics
            if not g.has_edge(a, b):
                g.add_edge(a, b, type="candidate", evidence=_s(r.evidence), interfaces=pair, subnet=_s(r.subnet),
                           count=1)
            continue
        if g.has_edge(a, b) and g.edges[a, b].get("type") in ("link", "candidate"):
            if g.edges[a, b]["type"] == "candidate":
                g.add_edge(a, b, type="link", evidence=_s(r.evidence), interfaces=pair, subnet=_s(r.subnet), count=1)
                continue
            e = g.edges[a, b]
            e["interfaces"] = e["interfaces"] + " " + pair
            e["evidence"] = " ".join(sorted(set(e["evidence"].split()) | set(_s(r.evidence).split())))
            e["count"] += 1
        else:
            g.add_edge(a, b, type="link", evidence=_s(r.evidence), interfaces=pair, subnet=_s(r.subnet), count=1)

    for r in rows(inv["exits"], ("exit", "carrier", "department", "district", "town", "evidence", "public_range",
                                 "device", "interface")):
        xn = add(node_id("exit", r.exit), type="exit", label=r.exit, carrier=r.carrier, department=r.department,
                 district=r.district, town=r.town, kind="internet", evidence=r.evidence,
                 addresses=r.public_range)
        place(xn, r.department, r.district, r.town)
        if r.device and node_id("device", r.device) in g:
            edges.append((xn, node_id("device", r.device), {"type": "exit", "interface": r.interface}))
    g.add_edges_from(edges)
    return g


def _network_node(add, nid, nets):
    n = nets.get(nid, {})
    return add(node_id("network", nid), type="network", label=n.get("name", "") or nid, kind=n.get("kind", ""),
               department=n.get("department", ""), district=n.get("district", ""), town=n.get("town", ""),
               carrier=n.get("carrier", ""), network=nid)
