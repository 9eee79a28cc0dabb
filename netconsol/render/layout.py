"""Layout: node positions for the topology graph, by site, in one deterministic O(n) pass.

Force layouts do not scale to a city (measured at 10,000 nodes: networkx ``spring_layout``
about 3 minutes, vis-network's in-browser physics not settled after 16 minutes) and their
result depends on a random start.  The people reading the picture think in places, so the
layout draws places:

* every node gets a **site** (:func:`assign_sites`): ``(district, place)`` where place is
  the town, else the owning department, else the configured site; the city, the extranet
  domains and the internet sit in the **centre** (site ``None``) and are never clustered;
* a site's nodes are a sunflower (Vogel's spiral): its unit at the centre, then networks,
  devices by falling degree, exits, subnets — so the busiest routers sit in the middle;
* sites are packed around their district's own site in rings, districts in rings around the
  city centre (:func:`pack_circles`): circles never overlap, by construction.

There is no random number anywhere: ties are broken by node id, so the same graph always
gives the same positions (rounded to 0.1), whatever the order nodes were added in.
``benchmarks/bench_html.py`` compares the cost with networkx's ``spring_layout``.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

__all__ = ["Layout", "layout_by_site", "assign_sites", "pack_circles", "sunflower", "flat_attrs", "CENTER_KINDS"]

# networks that belong to the whole city: drawn in the centre beside the city unit
CENTER_KINDS = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "internet")
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
_TYPE_ORDER = {"unit": 0, "network": 1, "device": 2, "exit": 3, "subnet": 4}


@dataclass
class Layout:
    """Positions and the site structure they were drawn from.

    ``positions``  {node: (x, y)}
    ``site_of``    {node: (district, place) or None for the centre}
    ``sites``      {(district, place): (x, y, radius)} — centre of each site's circle
    ``districts``  {district: (x, y, radius)}; '' is the city level (departments without a district)
    """
    positions: dict = field(default_factory=dict)
    site_of: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)
    districts: dict = field(default_factory=dict)


def _s(v) -> str:
    return "" if v is None or (isinstance(v, float) and v != v) else str(v)


def flat_attrs(attrs: dict) -> dict:
    """A node's attributes with those of its ``facts`` dict, if it has one, alongside."""
    facts = attrs.get("facts")
    if isinstance(facts, dict):
        return {**facts, **{k: v for k, v in attrs.items() if k != "facts"}}
    return attrs


def assign_sites(graph) -> dict:
    """{node: (district, place) or None}: where each node is drawn and clustered.

    A district value that names no district of the city (``市直`` on city-level rows: a
    district unit with no ``part_of`` edge to the city unit) counts as the city level ''.  A
    subnet goes with the first (by id) device it addresses.
    """
    nodes = {n: flat_attrs(d) for n, d in graph.nodes(data=True)}
    has_city = any(d.get("type") == "unit" and d.get("kind") == "city" for d in nodes.values())
    # a district unit only a row's text created (no part_of edge to the city) is not a district
    known = {_s(d.get("district")) or _s(d.get("label")) for n, d in nodes.items()
             if d.get("type") == "unit" and d.get("kind") == "district"
             and (not has_city or any(graph.edges[n, m].get("type") == "part_of" for m in graph.neighbors(n)))}

    def district(d):
        v = _s(d.get("district"))
        return v if (not known or v in known) else ""

    out = {}
    ordered = sorted(graph.nodes)
    subnets = []
    for n in ordered:
        d = nodes[n]
        t = d.get("type")
        if t == "subnet":
            subnets.append(n)
            continue
        kind = _s(d.get("kind"))
        if t == "unit":
            if kind == "city":
                out[n] = None
            elif kind == "district":
                out[n] = (district(d), "")
            else:  # town or department: the unit names the place
                out[n] = (district(d), _s(d.get("label")))
            continue
        if t == "network" and (kind in CENTER_KINDS or not (d.get("department") or d.get("town"))):
            out[n] = None
            continue
        place = _s(d.get("town")) or _s(d.get("department")) or _s(d.get("site"))
        out[n] = (district(d), place)
    adj = dict(graph.adjacency())
    for n in subnets:
        devices = [m for m in adj[n] if nodes[m].get("type") == "device"]
        out[n] = out.get(min(devices)) if devices else ("", "")
    return out


def sunflower(count: int, spacing: float) -> list[tuple[float, float]]:
    """*count* points of Vogel's spiral, the first at (0, 0), about *spacing* apart."""
    pts = []
    for i in range(count):
        r = spacing * math.sqrt(i)
        a = i * GOLDEN_ANGLE
        pts.append((r * math.cos(a), r * math.sin(a)))
    return pts


def _sunflower_radius(count: int, spacing: float) -> float:
    return spacing * math.sqrt(max(count - 1, 0)) + spacing * 0.75


def pack_circles(radii: list[float], gap: float) -> tuple[list[tuple[float, float]], float]:
    """Centres for circles of *radii* (first at the origin, the rest in rings around it) and
    the radius enclosing them all.

    Each ring sits just outside the previous one and takes circles in the given order while
    their angular widths fit in a turn; the spare angle is spread evenly.  Circles of one
    ring cannot overlap (their angular sectors are disjoint) nor touch another ring (rings
    are separated by the largest radius on either side plus *gap*).  O(n).
    """
    if not radii:
        return [], 0.0
    pos = [(0.0, 0.0)]
    inner = radii[0]
    i = 1
    n = len(radii)
    while i < n:
        rmax = max(radii[i:i + 64])  # callers sort descending; the window keeps it O(n) otherwise
        ring = inner + gap + rmax
        taken, widths, total = [], [], 0.0
        while i < n:
            w = 2.0 * math.asin(min(1.0, (radii[i] + gap / 2.0) / ring))
            if taken and (total + w > 2.0 * math.pi or radii[i] > rmax):
                break
            taken.append(i)
            widths.append(w)
            total += w
            i += 1
        slack = max(0.0, 2.0 * math.pi - total) / len(taken)
        a = 0.0
        for j, w in zip(taken, widths):
            a += w / 2.0
            pos.append((ring * math.cos(a), ring * math.sin(a)))
            a += w / 2.0 + slack
        inner = ring + max(radii[j] for j in taken)
    enclosing = max(math.hypot(x, y) + r for (x, y), r in zip(pos, radii))
    return pos, enclosing


def _member_order(graph, members, anchor_kinds=("district", "town", "department")):
    keys = _order_keys(graph, members, anchor_kinds)
    return sorted(members, key=keys.__getitem__)


def _order_keys(graph, members=None, anchor_kinds=("district", "town", "department")) -> dict:
    """{node: its sort key in a site} of *members* (default: every node): anchor units first,
    then by type, falling degree, id."""
    nodes = graph.nodes
    if graph.is_directed() or not graph.is_multigraph():
        degrees = graph.degree  # a self-loop counts twice
        degree_of = dict(degrees() if members is None else degrees(members)).__getitem__
    else:
        adj = graph.adj

        def degree_of(n):
            nbrs = adj[n]
            return len(nbrs) + (n in nbrs)
    attrs = dict(nodes(data=True)) if members is None else {n: nodes[n] for n in members}
    out = {}
    for n, d in attrs.items():
        t = d.get("type")
        is_anchor = t == "unit" and d.get("kind") in anchor_kinds
        out[n] = (0 if is_anchor else 1, _TYPE_ORDER.get(t, 5), -degree_of(n), n)
    return out


def layout_by_site(graph, spacing: float = 42.0, gap: float | None = None, sites: dict | None = None) -> Layout:
    """Positions for every node of *graph* (see the module docstring); deterministic, O(n).

    *spacing* is the distance between neighbouring nodes of a site, in vis-network pixels;
    *gap* the space between site circles (default: one spacing).  *sites* overrides
    :func:`assign_sites`.
    """
    gap = spacing if gap is None else gap
    site_of = assign_sites(graph) if sites is None else sites
    members = defaultdict(list)
    for n in graph.nodes:
        members[site_of.get(n)].append(n)
    center_members = members.pop(None, [])
    by_district = defaultdict(list)
    for site in members:
        by_district[site[0]].append(site)
    if not center_members and not members:
        return Layout()

    # sites: a sunflower each, relative to the site centre
    local, site_r = {}, {}
    keys = _order_keys(graph)
    # a site's points are the first of one spiral (a point does not depend on how many follow)
    spiral = sunflower(max(map(len, members.values()), default=0) if members else 0, spacing)
    if len(center_members) > len(spiral):
        spiral = sunflower(len(center_members), spacing)
    for site, ms in list(members.items()) + [(None, center_members)]:
        ordered = sorted(ms, key=keys.__getitem__)
        local[site] = list(zip(ordered, spiral))
        site_r[site] = _sunflower_radius(len(ordered), spacing) if ordered else 0.0

    # districts: the district's own site ((district, '')) first, then its sites by size
    district_pos, district_r = {}, {}
    site_pos = {}
    for dist in sorted(by_district):
        ss = by_district[dist]
        own = [s for s in ss if s[1] == ""]
        rest = sorted((s for s in ss if s[1] != ""), key=lambda s: (-site_r[s], s))
        order = own + rest
        if not own:  # keep the middle empty: the district cluster node is drawn there
            order = [None] + order
        radii = [site_r[s] if s is not None else spacing for s in order]
        pts, enclosing = pack_circles(radii, gap)
        for s, p in zip(order, pts):
            if s is not None:
                site_pos[s] = p
        district_r[dist] = enclosing

    # the city: centre site first, the city level ('') next to it, districts in rings around
    top = [None]
    top_r = [site_r[None] if center_members else spacing]
    ordered_d = sorted(district_r, key=lambda d: (d != "", -district_r[d], d))
    top += ordered_d
    top_r += [district_r[d] for d in ordered_d]
    pts, _ = pack_circles(top_r, gap * 3)
    center = pts[0]
    for d, p in zip(top[1:], pts[1:]):
        district_pos[d] = p

    out = Layout(site_of=site_of)
    for n, (x, y) in local[None]:
        out.positions[n] = (round(center[0] + x, 1), round(center[1] + y, 1))
    for site, placed in local.items():
        if site is None:
            continue
        dx, dy = district_pos[site[0]]
        sx, sy = site_pos[site]
        out.sites[site] = (round(dx + sx, 1), round(dy + sy, 1), round(site_r[site], 1))
        for n, (x, y) in placed:
            out.positions[n] = (round(dx + sx + x, 1), round(dy + sy + y, 1))
    for d, (x, y) in district_pos.items():
        out.districts[d] = (round(x, 1), round(y, 1), round(district_r[d], 1))
    return out
