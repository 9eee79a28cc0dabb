"""Address conflicts: overlapping ranges of different owners, duplicate host addresses,
and ranges inside a target domain's address pool.

Ranges are integer intervals (netaddr parses; arithmetic is on ints).  Overlapping
pairs come from one sweep on numpy columns (:func:`~netconsol.analyze.intervals.overlap_pairs_array`,
the same pairs as :func:`overlapping_pairs`): sort by (start, -end); the ranges overlapping
one range and sorted after it are the next ones starting no later than its end.  That is
O(n log n + k) for k overlapping pairs; nothing compares all pairs.

**Ranges.**  Every ``prefixes`` row is a range, except that rows of one sheet cell
(same origin sheet or exit, source, location, network, department) whose CIDRs are
contiguous form ONE range, so a cell written ``10.0.0.5-10.0.0.20`` (five CIDRs) is one
range.  Manifest lists stay one range per CIDR: they are written as separate ranges.
That is where ``partial`` comes from: two single CIDRs are nested or disjoint, but two
such ranges can overlap without either containing the other.

**Sides.**  Ranges with the same interval and the same owner are one side of a conflict
(both ends of a /30, a manifest range repeated in a sheet): the owner is the network,
or for unattributed ranges the VRF context (interfaces) and the department.  The side's
device/interface/vrf columns show its first interface.

**When two overlapping sides conflict** (the rest of the time they are one owner's
space seen twice):

1. same network → never;
2. linked → never: interfaces joined by an inferred link, and a range of a network
   that one of its interfaces is linked into (a CE's access /30 numbered from the
   extranet's plan is the extranet's address, not an overlap with it);
3. either side unattributed → only when both name departments and they differ, or when
   both are unattributed interface subnets in different VRF contexts (VRFs sharing a
   name or a route target are one context; the global tables are one);
4. two networks → a conflict, except a department ``lan`` inside an extranet range
   that is the extranet's plan or sits on a device of that department (the extranet
   hands LAN blocks to departments).

**Pools** (``{domain: [CIDR, ...]}``, default: the manifest ranges of the
extranet_admin and extranet_public networks, keyed by kind): a ``pool`` conflict is an
attributed range of a non-extranet network overlapping the domain's pool, unless it is
a ``lan`` inside the pool or linked into a network of that domain.  A range-pair
conflict against that domain's own range inside its pool is then left out: the pool
row already says it.

**Duplicates**: the same host address on two interfaces (different devices, or two
interfaces of one device), in any network: Batfish's uniqueIpAssignments.  IPv6
link-local addresses and unnumbered interfaces are left out.
"""
from __future__ import annotations

import functools
import gc
import hashlib
from bisect import bisect_right
from collections import defaultdict, namedtuple

import numpy as np
import pandas as pd
from netaddr import IPAddress, iprange_to_cidrs

from .. import schema
from .cidrs import cidr_bounds
from .intervals import merge_intervals, overlapping_pairs
from .intervals import overlap_pairs_array, split128, sweep_keys, widest_same_owner
from .topology import ADDRESS_ERRORS, EXTRANET_KINDS, _s, ip_int, net_bounds, rows, tuples, vrf_contexts

__all__ = ["find_conflicts", "overlapping_pairs", "default_pools", "merge_intervals", "interval_cidrs",
           "relation", "unused_allocations", "KIND_ORDER", "PROBLEM_KINDS"]

KIND_ORDER = ("identical", "contains", "partial", "pool", "duplicate-ip", "shared-by-design")
# kinds that are problems to solve (shared-by-design is listed, not counted)
PROBLEM_KINDS = KIND_ORDER[:-1]


def interval_cidrs(family: int, start: int, end: int) -> list[str]:
    return [str(c) for c in iprange_to_cidrs(IPAddress(start, family), IPAddress(end, family))]


def relation(a: tuple[int, int], b: tuple[int, int]) -> str:
    """identical, contains (either way) or partial, for two overlapping intervals."""
    if a == b:
        return "identical"
    if (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1]):
        return "contains"
    return "partial"


def default_pools(inv) -> dict[str, list[str]]:
    """{kind: manifest CIDRs} of the extranet_admin and extranet_public networks."""
    nets = inv["networks"]
    kind_of = dict(tuples(nets, ("network", "kind")))
    p = inv["prefixes"]
    pools: dict[str, list[str]] = {}
    for r in rows(p[p["origin"] == "manifest"], ("network", "prefix")):
        k = kind_of.get(r.network, "")
        if k in ("extranet_admin", "extranet_public"):
            pools.setdefault(k, [])
            if r.prefix not in pools[k]:
                pools[k].append(r.prefix)
    return {k: sorted(v, key=net_bounds) for k, v in sorted(pools.items())}


# ----------------------------------------------------------------------------------------------
class _Side:
    __slots__ = ("family", "start", "end", "owner", "network", "kind", "ctx", "depts", "dev_depts", "cidrs",
                 "members", "keys", "partners", "linked_nets", "has_plan", "_sig", "_prefix", "size")

    def __init__(self, family, start, end, owner, network, kind, ctx):
        self.family, self.start, self.end = family, start, end
        self.owner, self.network, self.kind, self.ctx = owner, network, kind, ctx
        self.depts, self.dev_depts, self.cidrs = set(), set(), set()
        self.members, self.keys, self.partners, self.linked_nets = [], set(), set(), set()
        self.has_plan = False
        self._sig = self._prefix = None
        self.size = end - start + 1

    # the words of a side, made when a conflict row asks for them (most sides are in none)
    @property
    def prefix(self) -> str:
        """Its CIDRs, in address order."""
        if self._prefix is None:
            self._prefix = " ".join(sorted(self.cidrs, key=net_bounds)) if len(self.cidrs) > 1 \
                else next(iter(self.cidrs))
        return self._prefix

    @property
    def sig(self) -> str:
        """``PREFIX|OWNER``: what a conflict id is made of."""
        if self._sig is None:
            self._sig = "%s|%s" % (self.prefix, "/".join(self.owner))
        return self._sig

    def rep(self) -> dict:
        return self.members[0]

    def department(self) -> str:
        return self.rep()["department"] or self.rep().get("device_department", "")


def _bounds(column) -> tuple[list, list, list]:
    """(families, firsts, lasts) of a column of CIDRs as Python ints, read in bulk (cidrs.py);
    family 0 for one net_bounds refuses."""
    fam, fh, fl, lh, ll = cidr_bounds(column.to_numpy(dtype=object).tolist())
    first, last = fl.tolist(), ll.tolist()
    for i in np.flatnonzero(fam == 6).tolist():
        first[i] |= int(fh[i]) << 64
        last[i] |= int(lh[i]) << 64
    return fam.tolist(), first, last


def _gc_paused(fn):
    """*fn* with the cyclic garbage collector paused, as the scan pauses it and platforms.base.gc_paused
    pauses it for the parsers (analyze may not import platforms): a million small acyclic objects (sides,
    rows) would otherwise start a collection every 700 allocations, a quarter of the time here."""
    @functools.wraps(fn)
    def paused(*args, **kwargs):
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
    return paused


def _members(inv, vctx=None):
    """Range members: one per interface prefix row, one per merged run of sheet/manifest/exit CIDRs."""
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev_dept = dict(tuples(inv["devices"], ("device", "department")))
    if vctx is None:
        vctx = vrf_contexts(inv)
    vrf_of = {}
    shut = set()
    for device, interface, subnet, vrf, admin_up in tuples(inv["interfaces"], ("device", "interface", "subnet", "vrf",
                                                                            "admin_up")):
        if _s(subnet):
            vrf_of[(device, interface, subnet)] = vrf
        if admin_up is False or (admin_up is not None and admin_up is not pd.NA and not admin_up):
            shut.add((device, interface))
    members = []
    runs = defaultdict(list)
    dept_of = {}
    pfx = inv["prefixes"]
    for (prefix, origin, pvrf, device, interface, network, department, source, location), fam, start, end in zip(
            tuples(pfx, ("prefix", "origin", "vrf", "device", "interface", "network", "department", "source",
                         "location")), *_bounds(pfx["prefix"])):
        if not fam:
            continue  # unreadable: its collector reported it
        if origin == "interface":
            if (device, interface) in shut:
                continue  # allocated but unused: an info issue (unused_allocations), never a conflict
            vrf = pvrf or vrf_of.get((device, interface, prefix), "")
            ctx = "" if network else ("global" if not vrf else vctx.get((device, vrf), f"{device}:{vrf}"))
            device_department = dept_of.get(device)
            if device_department is None:
                device_department = dept_of[device] = _s(dev_dept.get(device, ""))
            members.append({"family": fam, "start": start, "end": end, "cidrs": [prefix], "network": network,
                            "kind": kinds.get(network, ""), "department": department, "vrf": vrf,
                            "device": device, "interface": interface, "origin": "interface", "ctx": ctx,
                            "device_department": device_department, "source": source,
                            "location": location})
        elif origin in ("sheet", "exit"):
            runs[(origin, source, location, network, department, pvrf, fam)].append((start, end, prefix))
        else:
            runs[(origin, source, location, network, department, pvrf, fam, prefix)].append((start, end, prefix))
    for (origin, source, location, network, dept, vrf, fam, *_), items in runs.items():
        items.sort()
        cur = None
        for s, e, c in items:
            if cur and s <= cur["end"] + 1:
                cur["end"] = max(cur["end"], e)
                cur["cidrs"].append(c)
                continue
            cur = {"family": fam, "start": s, "end": e, "cidrs": [c], "network": network,
                   "kind": kinds.get(network, ""), "department": dept, "vrf": vrf, "device": "", "interface": "",
                   "origin": origin, "ctx": "", "device_department": "", "source": source, "location": location}
            members.append(cur)
    return members


def _member_order(m):
    return m["origin"] != "interface", m["device"], m["interface"], m["source"], m["location"]


def _sides(members, partners_of, net_of_key, known: set) -> list[_Side]:
    sides: dict[tuple, _Side] = {}
    for m in members:
        network = m["network"]
        if network:
            owner = ("net", network)
        else:
            owner = ("ctx", m["ctx"], m["department"] or m["device_department"])
        fam, start, end = m["family"], m["start"], m["end"]
        k = (fam, start, end, owner)
        sd = sides.get(k)
        if sd is None:
            sides[k] = sd = _Side(fam, start, end, owner, network, m["kind"], m["ctx"])
        sd.members.append(m)
        sd.cidrs.update(m["cidrs"])
        dept, dev_dept = m["department"], m["device_department"]
        if dept:
            sd.depts.add(dept)
        if dev_dept:
            sd.depts.add(dev_dept)
        if m["origin"] == "interface":
            key = (m["device"], m["interface"])
            sd.keys.add(key)
            if dev_dept:
                sd.dev_depts.add(dev_dept)
            for pk, (pf, ps, pe) in partners_of.get(key, ()):
                if pf == fam and ps <= end and pe >= start:
                    sd.partners.add(pk)
                    if net_of_key.get(pk):
                        sd.linked_nets.add(net_of_key[pk])
        else:
            sd.has_plan = True
    out = list(sides.values())
    for sd in out:
        if known:  # an alias or a typo is not evidence of another owner
            sd.depts &= known
            sd.dev_depts &= known
        if len(sd.members) > 1:
            sd.members.sort(key=_member_order)
    return out


def _hosting(lan: _Side, ext: _Side) -> bool:
    """A department LAN and an extranet range that hands it out or carries it."""
    if lan.kind != "lan" or ext.kind not in EXTRANET_KINDS:
        return False
    if ext.has_plan and ext.start <= lan.start and lan.end <= ext.end:
        return True  # a block of the extranet's plan
    # the department's own segments on the extranet (its CE LAN, a town's service LANs)
    return not lan.depts or bool((ext.dev_depts or ext.depts) & lan.depts)


def _conflicting(a: _Side, b: _Side) -> bool:
    if a.owner == b.owner:
        return False
    if a.network and a.network == b.network:
        return False
    if (a.keys & b.partners) or (b.keys & a.partners):
        return False
    if (a.network and a.network in b.linked_nets) or (b.network and b.network in a.linked_nets):
        return False
    if not a.network or not b.network:
        if a.depts and b.depts:
            # two departments' space overlapping is a conflict; one department reusing its space
            # per VRF (MLAG/vPC peers, tenant VRFs) is not
            return not (a.depts & b.depts)
        return bool(not a.network and not b.network and a.ctx and b.ctx and a.ctx != b.ctx)
    return not (_hosting(a, b) or _hosting(b, a))


def _cid(kind, sig_a, sig_b) -> str:
    x, y = sorted((sig_a, sig_b))
    return "C-" + hashlib.sha1(f"{kind}|{x}|{y}".encode()).hexdigest()[:12]


def _side_cols(sd: _Side, p: str) -> dict:
    r = sd.rep()
    return {f"{p}_prefix": sd.prefix, f"{p}_network": sd.network,
            f"{p}_vrf": r["vrf"], f"{p}_device": r["device"], f"{p}_interface": r["interface"],
            f"{p}_department": sd.department()}


def _overlap_cols(family, s, e) -> dict:
    return {"overlap": " ".join(interval_cidrs(family, s, e)), "addresses": e - s + 1}


def _link_partners(links):
    """(device, interface) -> [(partner key, (family, start, end) of the link subnet)]."""
    partners = defaultdict(list)
    if links is None:
        return partners
    for r in rows(links, ("a_device", "a_interface", "b_device", "b_interface", "subnet")):
        for sn in _s(r.subnet).split():
            try:
                span = net_bounds(sn)
            except ADDRESS_ERRORS:
                continue
            a, b = (r.a_device, r.a_interface), (r.b_device, r.b_interface)
            partners[a].append((b, span))
            partners[b].append((a, span))
    return partners


def _range_pairs(sides: list[_Side]) -> tuple[list[tuple[int, int]], list[int]]:
    """Overlapping pairs of sides of different owners, and ``top``: each side's widest same-owner
    range holding it (itself if none).  One numpy sweep over both families (intervals.py)."""
    n = len(sides)
    if n == 0:
        return [], []
    family = np.fromiter((sd.family for sd in sides), dtype=np.int64, count=n)
    s, e = sweep_keys(family, *split128([sd.start for sd in sides]), *split128([sd.end for sd in sides]))
    codes: dict = {}
    owner = np.fromiter((codes.setdefault(sd.owner, len(codes)) for sd in sides), dtype=np.int64, count=n)
    size_rank = {v: k for k, v in enumerate(sorted({sd.size for sd in sides}))}  # exact past 2**63 (IPv6)
    sizes = np.fromiter((size_rank[sd.size] for sd in sides), dtype=np.int64, count=n)
    a, b = overlap_pairs_array(s, e)
    top = widest_same_owner(s, e, owner, a, b, sizes)
    other = owner[a] != owner[b]
    return list(zip(a[other].tolist(), b[other].tolist())), top.tolist()


@_gc_paused
def find_conflicts(inv, pools: dict | None = None, links: pd.DataFrame | None = None, *,
                   vctx: dict | None = None) -> pd.DataFrame:
    """The conflicts table of *inv* (rules in the module docstring).

    *pools*: ``{domain: [CIDR, ...]}``; None = :func:`default_pools`, ``{}`` = none.
    *links*: the links table used for rule 2; None = :func:`~netconsol.analyze.topology.infer_links`.
    *vctx*: :func:`~netconsol.analyze.topology.vrf_contexts` of *inv* when the caller has it.
    """
    if links is None:
        from .topology import infer_links
        links = infer_links(inv)
    if pools is None:
        pools = default_pools(inv)
    members = _members(inv, vctx)
    net_of_key = {}
    for m in members:
        if m["origin"] == "interface" and m["network"]:
            net_of_key.setdefault((m["device"], m["interface"]), m["network"])
    units = inv["units"]
    known = set(units.loc[units["level"] == "department", "name"])
    sides = _sides(members, _link_partners(links), net_of_key, known)
    kinds = dict(tuples(inv["networks"], ("network", "kind")))

    pairs, top = _range_pairs(sides)

    # pool conflicts: they replace range pairs against the domain's own ranges
    pool_spans = {}
    for domain, cidrs in pools.items():
        for c in cidrs:
            fam, s, e = net_bounds(c)
            pool_spans.setdefault((domain, fam), []).append((s, e, c))
    for v in pool_spans.values():
        v.sort()
    pool_hit: dict[int, dict[str, tuple]] = defaultdict(dict)  # side -> domain -> (merged pool, pool CIDRs)
    for idx, sd in enumerate(sides):
        if not sd.network or sd.kind in EXTRANET_KINDS:
            continue
        for (domain, fam), spans in pool_spans.items():
            if fam != sd.family or any(kinds.get(n) == domain for n in sd.linked_nets):
                continue
            hit = [x for x in spans[:bisect_right(spans, (sd.end, float("inf"), ""))] if x[1] >= sd.start]
            if not hit:
                continue
            merged = merge_intervals((s, e) for s, e, _ in hit)
            if sd.kind == "lan" and any(s <= sd.start and sd.end <= e for s, e in merged):
                continue
            pool_hit[idx][domain] = (merged, [c for _, _, c in hit])
    rows = []
    for idx, domains in pool_hit.items():
        sd = sides[idx]
        for domain, (merged, cidrs) in domains.items():
            if top[idx] != idx and domain in pool_hit.get(top[idx], {}):
                continue  # its widest same-network range says it
            parts = [(max(s, sd.start), min(e, sd.end)) for s, e in merged if s <= sd.end and e >= sd.start]
            row = {"conflict": _cid("pool", sd.sig, f"{' '.join(cidrs)}|pool/{domain}"), "kind": "pool",
                   **_side_cols(sd, "a"), "b_prefix": " ".join(cidrs), "b_network": domain, "b_vrf": "",
                   "b_device": "", "b_interface": "", "b_department": "",
                   "overlap": " ".join(c for lo, hi in parts for c in interval_cidrs(sd.family, lo, hi)),
                   "addresses": sum(hi - lo + 1 for lo, hi in parts),
                   "source": sd.rep()["source"], "location": sd.rep()["location"]}
            rows.append(((sd.family, sd.start, -sd.end, 3), row))

    def pool_covers(x_idx, y: _Side) -> bool:
        """y is a range of a pool domain's network inside that pool, and x has the pool conflict."""
        hit = pool_hit.get(x_idx, {}).get(kinds.get(y.network, ""))
        return bool(hit) and any(s <= y.start and y.end <= e for s, e in hit[0])

    for i, j in pairs:
        a, b = sides[i], sides[j]
        if not _conflicting(a, b) or pool_covers(i, b) or pool_covers(j, a):
            continue
        ti, tj = top[i], top[j]
        if (ti, tj) != (i, j) and _conflicting(sides[ti], sides[tj]):
            continue  # the widest ranges of the two owners already conflict: that row says it
        kind = relation((a.start, a.end), (b.start, b.end))
        if kind == "identical" and a.size == 1 and a.keys and b.keys:
            continue  # one host address on two interfaces: the duplicate-ip (or shared-by-design) row says it
        if kind == "identical" and b.sig < a.sig:
            a, b = b, a
        elif kind == "contains" and b.size > a.size:
            a, b = b, a
        elif kind == "partial" and b.start < a.start:
            a, b = b, a
        ca, cb = _side_cols(a, "a"), _side_cols(b, "b")
        if kind == "partial":
            overlap = _overlap_cols(a.family, max(a.start, b.start), min(a.end, b.end))
        else:  # the overlap is the smaller side itself: its CIDRs are already known
            overlap = {"overlap": cb["b_prefix"], "addresses": b.size}
        row = {"conflict": _cid(kind, a.sig, b.sig), "kind": kind, **ca, **cb, **overlap,
               "source": a.rep()["source"], "location": a.rep()["location"]}
        rows.append(((a.family, a.start, -a.end, KIND_ORDER.index(kind)), row))

    rows.extend(_duplicates(inv))
    rows.sort(key=lambda x: (x[0], x[1]["conflict"]))
    return schema.frame("conflicts", [r for _, r in rows])


_DUP_COLUMNS = ("device", "interface", "ip", "unnumbered", "subnet", "address", "vrf", "admin_up", "kind",
                "gateways", "source", "location")
_DupRow = namedtuple("_DupRow", _DUP_COLUMNS)


def _mask(m: pd.Series) -> np.ndarray:
    """A boolean Series (nullable or not) as a numpy mask, missing values False."""
    return m.to_numpy(dtype=bool, na_value=False)


def _vtep_devices(inv) -> set:
    """Devices with a VXLAN tunnel interface (EOS Vxlan1, NX-OS nve1): their VTEP loopback may be
    shared with an MLAG/vPC peer on purpose."""
    return {device for device, name in tuples(inv["interfaces"], ("device", "interface"))
            if type(name) is str and name.lower().startswith(("vxlan", "nve"))}


def _held_twice(itf) -> dict:
    """{(family, int): {(device, interface): [row, own address, gateway]}} of the addresses up
    interfaces hold (their own, unless unnumbered, and their gateways; link-local left out), for
    the addresses two rows or more hold, in the order the addresses were first met; a row is the
    interface's first row holding the address as its own, else its first row holding it."""
    if "gateways" not in itf.columns:
        itf = itf.assign(gateways="")
    # first the addresses every up interface holds, as integers, and which rows hold each: nearly
    # every address is held once; only those held by two rows or more are looked at row by row
    table = list(tuples(itf, _DUP_COLUMNS))
    i_ip, i_unnumbered, i_admin_up, i_gateways = (_DUP_COLUMNS.index(c) for c in ("ip", "unnumbered", "admin_up",
                                                                                   "gateways"))
    first_row: dict = {}    # (family, int) -> the first row holding it
    more: dict = {}         # (family, int) -> the rows holding it, when two or more do
    held_of: dict = {}      # row -> [(address text, (family, int))]
    for i, r in enumerate(table):
        admin_up = r[i_admin_up]
        if admin_up is False or (admin_up is not None and admin_up is not pd.NA and not admin_up):
            continue
        ip, unnumbered, gateways = r[i_ip], r[i_unnumbered], r[i_gateways]
        held = []
        if type(ip) is not str:
            ip = _s(ip)
        if ip and not (unnumbered if type(unnumbered) is str else _s(unnumbered)):
            held.append(ip)
        if gateways if type(gateways) is str else _s(gateways):
            held.extend(_s(gateways).split())
        got = []
        for h in held:
            try:
                fam, n = ip_int(h)
            except ADDRESS_ERRORS:
                continue
            if fam == 6 and (n >> 118) == 0x3FA:  # fe80::/10, link-local
                continue
            k = (fam, n)
            got.append((h, k))
            j = first_row.setdefault(k, i)
            if j != i:
                rows_k = more.get(k)
                if rows_k is None:
                    more[k] = [j, i]
                elif rows_k[-1] != i:
                    rows_k.append(i)
        if got:
            held_of[i] = got
    by_ip = {}
    for k in first_row:   # in the order the addresses were first met
        if k not in more:
            continue
        owners = by_ip[k] = {}
        for i in more[k]:
            r = _DupRow._make(table[i])
            key = (r.device, r.interface)
            ip = _s(r.ip)
            gws = _s(r.gateways).split()
            for h, hk in held_of[i]:
                if hk != k:
                    continue
                slot = owners.get(key)
                if slot is None:
                    owners[key] = slot = [r, False, False]  # row, own address, gateway
                if h == ip and not _s(r.unnumbered):
                    if slot[0] is not r and not slot[1]:
                        slot[0] = r
                    slot[1] = True
                if h in gws:
                    slot[2] = True
    return by_ip


def _duplicates(inv) -> list[tuple]:
    """Host addresses held twice: ``duplicate-ip``, or ``shared-by-design`` when both holders hold it
    on purpose.  Holders: every up interface's own addresses and its first-hop virtual addresses
    (``gateways``: HSRP/VRRP/VARP, anycast).  Two holders that both list the address as a gateway
    share it by design (a VRRP IP-address owner included); a loopback /32 on two devices that both
    run a VXLAN tunnel interface is an MLAG/vPC-shared VTEP, by design too.  An interface address
    equal to another's virtual address is a real duplicate.  Shut interfaces hold nothing (their
    addresses are allocated but unused), unnumbered interfaces borrow, and one device's interfaces
    in different VRFs do not clash."""
    by_ip = _held_twice(inv["interfaces"])
    # the prefix rows the duplicates name (their devices'), read once: only those devices' rows
    # when every such device is a name (a missing one reads them all, as a missing key may match)
    named = {r.device for owners in by_ip.values() if len(owners) > 1 for r, _, _ in owners.values()}
    pfx = inv["prefixes"]
    if all(type(d) is str for d in named):
        pfx = pfx[_mask(pfx["device"].isin(named))]
    nets = {}
    for origin, device, interface, prefix, network, department in tuples(
            pfx, ("origin", "device", "interface", "prefix", "network", "department")):
        if origin == "interface":
            nets[(device, interface, prefix)] = (network, department)
    vteps = None
    out = []
    for (fam, n), owners in by_ip.items():
        if len(owners) < 2:
            continue
        keys = sorted(owners)
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                (ra, _own_a, gw_a), (rb, _own_b, gw_b) = owners[keys[x]], owners[keys[y]]
                if ra.device == rb.device and _s(ra.vrf) != _s(rb.vrf):
                    continue  # one device keeps its VRFs apart
                if gw_a and gw_b:
                    kind = "shared-by-design"
                elif gw_a or gw_b:
                    kind = "duplicate-ip"
                else:
                    if vteps is None:
                        vteps = _vtep_devices(inv)
                    kind = ("shared-by-design" if ra.kind == rb.kind == "loopback" and ra.device != rb.device
                            and ra.device in vteps and rb.device in vteps else "duplicate-ip")
                cols = {}
                for p, r in (("a", ra), ("b", rb)):
                    net, dept = nets.get((r.device, r.interface, _s(r.subnet)), ("", ""))
                    cols.update({f"{p}_prefix": _s(r.address), f"{p}_network": net, f"{p}_vrf": r.vrf,
                                 f"{p}_device": r.device, f"{p}_interface": r.interface, f"{p}_department": dept})
                sig_a = f"{fam}|{n}|{ra.device}|{ra.interface}"
                sig_b = f"{fam}|{n}|{rb.device}|{rb.interface}"
                row = {"conflict": _cid(kind, sig_a, sig_b), "kind": kind, **cols,
                       "overlap": str(IPAddress(n, fam)), "addresses": 1, "source": ra.source,
                       "location": ra.location}
                out.append(((fam, n, -n, KIND_ORDER.index(kind)), row))
    return out


def unused_allocations(inv) -> list[dict]:
    """Issue rows (info, ``allocated-unused``): every shut-down interface holding an address.  The
    space is allocated but unused: it makes no link and no conflict, and is listed here instead."""
    out = []
    for device, interface, address, subnet, admin_up, unnumbered, source, location in tuples(
            inv["interfaces"], ("device", "interface", "address", "subnet", "admin_up", "unnumbered", "source",
                                "location")):
        if not _s(subnet) or _s(unnumbered):
            continue
        if admin_up is None or admin_up is pd.NA or admin_up:
            continue
        out.append({"source": source, "location": location, "column": interface, "severity": "info",
                    "code": "allocated-unused",
                    "message": f"{device} {interface} is shut down but holds {address}: the space is allocated "
                               "but unused (no link, no conflict)",
                    "value": _s(subnet), "expected": "the interface brought up, or its address released"})
    return out
