"""The private-network merge plan (专网整合方案): where each network goes, how its addresses fit,
where it attaches, in which wave it moves, and whether the result keeps the domains apart.

``assign_domains(inv, rules)`` applies ``rules/domains.yaml`` (:mod:`netconsol.domains`) to every
network that is not already an extranet domain or an internet line.  ``merge_tables(inv, rules,
pools)`` does the rest and returns a :class:`MergeResult` of tables; :mod:`netconsol.render.merge`
labels them and writes the plan document.

**Address plans.**  Networks bound for domains that share an address plan (``address_plans``:
admin and public by default, GW 0207 numbers the extranet's common zone from one plan) must not
overlap each other, the plan's pools, or the domain networks' own prefixes.  Networks bound for
``extranet_vpn`` keep their own addresses in their own VRF (one per ministry, ``vpn_vrf_by``), so
only networks of the SAME VRF conflict; such a conflict is solved by a VRF of its own.  Networks
kept outside (``keep``) or recorded for the intranet are in no plan: their overlaps with anything
are listed with the proposal ``separate`` (no routing between them).

**Who moves.**  Within a plan, networks are taken in a stable order, largest address space first
(ties by id): the pools and the domains' used prefixes are claimed first, then each network keeps
its prefixes that overlap nothing claimed and must move the others (a network's space is its
attributed prefixes, merged; a prefix moves whole, so a LAN never ends up split).  Renumbering
the larger network would cost more, so the smaller one moves.  A department ``lan`` lying inside
its own target pool is an allocation the extranet already made: it conflicts only with other
networks, and with domain prefixes on other departments' devices.

**Renumber or NAT.**  The prefixes that move go into ONE block of the target's pool, sized to
their sum × ``growth_factor``, rounded up to a power of two and aligned on its size, chosen
best-fit (the smallest free CIDR that holds it, then the lowest address) from the pool minus
every prefix of the inventory and every earlier allocation (netaddr ``IPSet``).  Each old prefix
maps to a prefix of the same size in the block (largest first, so each stays aligned), host
offsets kept.  Past a ``nat_when`` threshold (devices, interface addresses, addresses to move), or
when the pool has no room even without the margin, the network is NATed at its edge instead: its
moved prefixes stay inside, hidden (still counted as taken), and a NAT pool sized to its exposed
servers (or a /28) is allocated from the target pool the same way.

**Attach point.**  The nearest device whose role is in ``attach_roles`` (PE, core), by the fewest
links from the network's own devices over the inferred topology (shared segments and links; no
unit or membership edges), ties by name.  Without a path: from the department's extranet device
(its CE), else the PE of its district (the core for city-level departments), said so in the row.

**Waves.**  Networks that share a device or an address conflict move together (connected
components); a component with nothing to change is wave 1, one with renumbering or a VRF split
wave 2, one with NAT (or an unresolved conflict) wave 3.  Kept and intranet networks have no wave.

**Isolation check.**  After the plan: no advertised prefix of an admin-bound network lies in the
public pool or a public allocation (and the reverse); no PE/core interface facing a network's
devices is bound to the VRF of another domain; no classified or kept network is linked to an
extranet device; no internet exit's device carries networks of both domains.  Each violation is
a row.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
from netaddr import IPAddress, IPNetwork, IPSet, iprange_to_cidrs

from ..domains import EXTRANET_TARGETS, DomainRules, _fields_read, decide, load_domain_rules, memoized
from ..errors import InventoryError
from ..frames import table
from .intervals import overlap_pairs_array, split128, sweep_keys
from .overlaps import default_pools, merge_intervals, overlapping_pairs
from .topology import ADDRESS_ERRORS, EXTRANET_KINDS, _s, build_graph, infer_links, ip_int, net_bounds, rows, tuples, vrf_contexts
from .unionfind import DisjointSets

__all__ = ["assign_domains", "load_domain_rules", "MergeResult", "merge_tables", "ACTIONS",
           "ASSIGNMENT_COLUMNS", "NETWORK_COLUMNS", "CONFLICT_COLUMNS"]

# 'unknown': a sheet's network type nobody's vocabulary knows; planned once a person says what it is
OUT_OF_SCOPE = ("extranet_admin", "extranet_public", "extranet_vpn", "internet", "unknown")
DOMAIN_KINDS = ("extranet_admin", "extranet_public")
ACTIONS = ("none", "renumber", "nat", "vrf_split", "unresolved", "record")
_WAVE_OF = {"none": 1, "renumber": 2, "vrf_split": 2, "nat": 3, "unresolved": 3}

ASSIGNMENT_COLUMNS = [
    ("network", "str"), ("name", "str"), ("kind", "str"), ("department", "str"), ("district", "str"),
    ("target", "str"), ("method", "str"), ("rule", "str"), ("domain_rule", "str"), ("guard", "str"),
    ("ambiguous", "bool"), ("ambiguity", "str"), ("rationale", "str"),
]
NETWORK_COLUMNS = [
    ("network", "str"), ("name", "str"), ("kind", "str"), ("department", "str"), ("district", "str"),
    ("prefixes_before", "str"), ("addresses_before", "count"),
    ("target", "str"), ("method", "str"), ("rule", "str"), ("domain_rule", "str"), ("rationale", "str"),
    ("ambiguous", "bool"), ("ambiguity", "str"),
    ("conflicts", "int"), ("action", "str"), ("renumber_map", "str"), ("renumbered_addresses", "count"),
    ("nat_pool", "str"), ("action_reason", "str"), ("prefixes_after", "str"),
    ("attach_point", "str"), ("attach_path", "str"), ("attach_distance", "int"), ("attach_note", "str"),
    ("wave", "int"), ("moves_with", "str"),
]
CONFLICT_COLUMNS = [
    ("conflict", "str"), ("network", "str"), ("target", "str"), ("other", "str"), ("other_kind", "str"),
    ("other_target", "str"), ("scope", "str"), ("overlap", "str"), ("addresses", "count"), ("proposal", "str"),
    ("acting_network", "str"), ("detail", "str"),
]
RENUMBER_COLUMNS = [("network", "str"), ("old_prefix", "str"), ("new_prefix", "str"), ("block", "str"),
                    ("addresses", "count")]
READDRESS_COLUMNS = [("network", "str"), ("device", "str"), ("interface", "str"), ("old_address", "str"),
                     ("new_address", "str")]
NAT_COLUMNS = [("network", "str"), ("target", "str"), ("nat_pool", "str"), ("pool_addresses", "count"),
               ("exposed_servers", "int"), ("hidden_prefixes", "str"), ("reason", "str")]
WAVE_COLUMNS = [("wave", "int"), ("group", "str"), ("networks", "str"), ("count", "int"), ("actions", "str")]
ISOLATION_COLUMNS = [("check", "str"), ("network", "str"), ("target", "str"), ("device", "str"),
                     ("interface", "str"), ("vrf", "str"), ("prefix", "str"), ("detail", "str")]
SUMMARY_COLUMNS = [("metric", "str"), ("item", "str"), ("value", "count")]  # renumbered_addresses: any size


def _dict_rows(df: pd.DataFrame) -> list[dict]:
    """``df.to_dict("records")`` of a table() frame (str and nullable columns), built column-wise."""
    cols = list(df.columns)
    data = [df[c].to_numpy(dtype=object).tolist() if isinstance(df[c].dtype, pd.StringDtype) else df[c].tolist()
            for c in cols]
    return [dict(zip(cols, v)) for v in zip(*data)]


def _na(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


# ---- reason codes ------------------------------------------------------------------------------
# The prose columns (rationale, ambiguity, action_reason, attach_note, nat reason, conflict and
# isolation detail) hold reason CODES, not sentences: items ``code key=value ...`` joined by "; ",
# a value's "%", " " and ";" percent-escaped (parse_reasons reads them back).  The codes are stable;
# render/merge.py words each one in zh and en.
def reason(code: str, **params) -> str:
    """One reason item: ``code key=value ...`` (values as str, escaped)."""
    return " ".join([code] + [f"{k}={_escape(str(v))}" for k, v in params.items()])


def reasons(*items: str) -> str:
    """Reason items joined into one cell ("" items left out)."""
    return "; ".join(i for i in items if i)


def _escape(v: str) -> str:
    return v.replace("%", "%25").replace(" ", "%20").replace(";", "%3B")


def parse_reasons(cell) -> list[tuple[str, dict]]:
    """``[(code, {key: value})]`` of a reason cell ("" or NA: [])."""
    from urllib.parse import unquote

    if _na(cell) or not cell:
        return []
    out = []
    for item in str(cell).split("; "):
        code, *kvs = item.split(" ")
        out.append((code, {k: unquote(v) for k, v in (kv.split("=", 1) for kv in kvs)}))
    return out


def _rule_reason(code: str, rule, net: dict, **extra) -> str:
    """A rule's rationale as a code: the rule id and the network values its sentence quotes."""
    import string

    used = {f for lang in ("zh", "en") for _, f, _, _ in string.Formatter().parse(rule.rationale[lang]) if f}
    vals = {k: _s(net.get(k)) for k in ("name", "purpose", "vertical_ministry", "department", "kind", "network")}
    vals["name"] = vals["name"] or vals["network"]
    return reason(code, id=rule.id, **extra, **{k: vals[k] for k in sorted(used) if k in vals})


def _rule_fields(rules: DomainRules) -> set:
    """The network fields the conditions of *rules* read."""
    return {f for r in rules.rules for f in _fields_read(r)}


def _scope_networks(inv) -> list[dict]:
    nets = inv["networks"]
    cols = list(nets.columns)
    out = [dict(zip(cols, r)) for r in rows(nets)]
    return sorted((r for r in out if r["kind"] not in OUT_OF_SCOPE), key=lambda r: r["network"])


def _numbered_lans(inv) -> set:
    """Department LANs whose every prefix lies inside an extranet domain pool."""
    from .overlaps import default_pools

    pool = [_bounds(c) for cidrs in default_pools(inv).values() for c in cidrs]
    pool = [b for b in pool if b is not None]
    if not pool:
        return set()

    def inside(cidr) -> bool:
        b = _bounds(cidr)
        if b is None:
            raise_parse(cidr)
        return any(v == b[0] and a <= b[1] and b[2] <= z for v, a, z in pool)

    nets = inv["networks"]
    lans = set(nets.loc[nets["kind"] == "lan", "network"])
    by_net: dict[str, list] = {}
    pref = inv["prefixes"]
    for net, prefix in zip(pref["network"].tolist(), pref["prefix"].tolist()):
        if net in lans:
            by_net.setdefault(net, []).append(prefix)
    return {n for n, cidrs in by_net.items() if all(inside(c) for c in cidrs)}


ON_EXTRANET = "on_extranet"  # the rule column of a LAN already numbered from the extranet's pools


def assign_domains(inv, rules: DomainRules | None = None) -> pd.DataFrame:
    """One row per network to integrate (not an extranet domain, not an internet line): its target
    domain, method, deciding rule, rationale and ambiguity (reason codes, worded by render/merge.py)."""
    rules = rules or load_domain_rules()
    numbered = _numbered_lans(inv)
    out = []
    # decide() reads only the fields its rules name and the classified flag: networks alike in
    # those share one decision (a province's 10,000 networks have a few hundred such profiles)
    fields = sorted(_rule_fields(rules) | {"classified"})
    decided: dict = {}
    rule_memo: dict = {}   # each rule's value per combination of the fields it reads (decide's memo)
    for net in _scope_networks(inv):
        d = memoized(decided, tuple(net.get(f) for f in fields), lambda: decide(rules, net, rule_memo))
        if net["network"] in numbered:
            # a LAN the extranet already numbers is on the extranet (the intranet is never numbered
            # from the extranet plan): not a network to integrate, whatever rule its facts meet.
            # Issue 21: it is said so (rule ON_EXTRANET), never a rule whose text asks for a review
            # while its flag says no; every other network's flag is decide()'s alone (same facts,
            # same flag; the default rule always flags)
            out.append({"network": net["network"], "name": net["name"], "kind": net["kind"],
                        "department": net["department"], "district": net["district"], "target": d.target,
                        "method": d.method, "rule": ON_EXTRANET, "domain_rule": "", "guard": "",
                        "ambiguous": False, "ambiguity": "",
                        "rationale": reason("on_extranet_lan", name=net["name"] or net["network"])})
            continue
        rat = [_rule_reason("rule", rules.rule(d.rule), net)]
        if d.domain_rule:
            rat.append(_rule_reason("domain_rule", rules.rule(d.domain_rule), net))
        if _s(net.get("evidence")):   # the sheet's own words that stated the facts, quoted by the plan
            rat.append(reason("evidence", text=net["evidence"]))
        if d.guard:
            t = rules.rule(d.guard).target if rules.rule(d.guard).target != "chosen" else rules.rule(d.domain_rule).target
            rat.append(reason("classified_guard", rule=d.guard, target=t))
        out.append({"network": net["network"], "name": net["name"], "kind": net["kind"],
                    "department": net["department"], "district": net["district"], "target": d.target,
                    "method": d.method, "rule": d.rule, "domain_rule": d.domain_rule, "guard": d.guard,
                    "ambiguous": d.ambiguous, "ambiguity": reasons(*(reason(c, **p) for c, p in d.reasons)),
                    "rationale": reasons(*rat)})
    return table(out, ASSIGNMENT_COLUMNS)


# ---- address space -----------------------------------------------------------------------------
def _net(c) -> IPNetwork | None:
    try:
        return IPNetwork(str(c)).cidr
    except ADDRESS_ERRORS:
        return None


def _bounds(c) -> tuple[int, int, int] | None:
    """(version, first, last) of ``_net(c)`` without building it (cached parse), None where _net is None."""
    try:
        return net_bounds(str(c))
    except ADDRESS_ERRORS:
        return None


def raise_parse(c):
    """Fail on *c* exactly as ``IPNetwork(c)`` does."""
    IPNetwork(c)
    raise ValueError(f"{c!r}: not a network")  # not reached: net_bounds parses as IPNetwork does


def _width(version: int) -> int:
    return 32 if version == 4 else 128


def _cidr_blocks(first: int, last: int, width: int) -> list[tuple[int, int]]:
    """[(start, prefix length)] of the interval as the fewest aligned CIDR blocks, lowest first
    (what netaddr's iprange_to_cidrs and an IPSet's iter_cidrs list)."""
    out = []
    while first <= last:
        k = min((first & -first).bit_length() - 1 if first else width, (last - first + 1).bit_length() - 1)
        out.append((first, width - k))
        first += 1 << k
    return out


def _subtract(spans: list, minus: list) -> list:
    """Sorted disjoint intervals *spans* minus sorted disjoint intervals *minus*."""
    out = []
    j = 0
    for s, e in spans:
        while j < len(minus) and minus[j][1] < s:
            j += 1
        k = j
        cur = s
        while k < len(minus) and minus[k][0] <= e:
            ms, me = minus[k]
            if ms > cur:
                out.append((cur, ms - 1))
            cur = max(cur, me + 1)
            k += 1
        if cur <= e:
            out.append((cur, e))
    return out


def _exit_keys(inv):
    keys, ranges = set(), []
    for r in rows(inv["exits"], ("device", "interface", "public_range")):
        if r.device and r.interface:
            keys.add((r.device, r.interface))
        for c in _s(r.public_range).split():
            n = _net(c)
            if n is not None:
                ranges.append(n)
    return keys, IPSet(ranges)


class _Space:
    """A network's address space as the IPSet of its prefixes would hold it: the fewest CIDR
    blocks, sorted; ``size`` and ``iter_cidrs()`` as IPSet's, ``&`` gives the IPSet of the overlap
    (an IPSet per network only when it overlaps another)."""
    __slots__ = ("blocks", "size", "bounds")

    def __init__(self, blocks=(), bounds=None):
        self.blocks = list(blocks)
        # (version, first, last) of each block, in the blocks' order (read without netaddr's properties)
        self.bounds = [(b.version, b.first, b.last) for b in self.blocks] if bounds is None else bounds
        self.size = sum(last - first + 1 for _, first, last in self.bounds)

    def iter_cidrs(self) -> list:
        return list(self.blocks)

    def __and__(self, other) -> IPSet:
        return IPSet(self.blocks) & IPSet(other.blocks)


def _prefix_bounds(inv) -> list:
    """``_bounds`` of each row of the prefixes table, in row order (read once for every pass)."""
    return [_bounds(p) for (p,) in tuples(inv["prefixes"], ("prefix",))]


def _network_spaces(inv, pbounds: list | None = None) -> dict[str, _Space]:
    """{network: the space of its attributed prefixes}, internet-exit addresses left out (they are
    the carrier's, returned or moved by the exit plan, never renumbered into a pool).  *pbounds*:
    :func:`_prefix_bounds` of *inv*, if the caller has it."""
    exit_keys, exit_space = _exit_keys(inv)
    by_net = defaultdict(list)
    if pbounds is None:
        pbounds = _prefix_bounds(inv)
    for (network, origin, device, interface, prefix, public), b in zip(tuples(
            inv["prefixes"], ("network", "origin", "device", "interface", "prefix", "public")), pbounds):
        if not network or origin == "exit":
            continue
        if origin == "interface" and (device, interface) in exit_keys:
            continue
        if b is None:
            continue
        # (a nullable boolean cell comes as numpy's bool_, or NA: compare by value, not identity)
        if public is not None and public is not pd.NA and bool(public) and _net(prefix) in exit_space:
            continue
        by_net[network].append(b)
    out = {}
    for k, bounds in by_net.items():
        # the canonical blocks of the merged intervals: what an IPSet of the prefixes lists
        blocks, bnds = [], []
        v6 = [(f, l) for v, f, l in bounds if v == 6]
        for ver, spans in ((4, [(f, l) for v, f, l in bounds if v == 4] if v6 else [(f, l) for _, f, l in bounds]),
                           (6, v6)):
            width = _width(ver)
            for first, last in merge_intervals(spans) if len(spans) > 1 else spans:
                for start, plen in _cidr_blocks(first, last, width):
                    blocks.append(IPNetwork((start, plen), version=ver))
                    bnds.append((ver, start, start + (1 << (width - plen)) - 1))
        # lowest version, then lowest address first: the order NetPlan.cidrs keeps
        out[k] = _Space(blocks, bnds)
    return out


def _declarations(inv, pools: dict, pbounds: list | None = None) -> tuple[dict, list]:
    """(existing space, domain-used entries).

    Existing space: every prefix of the inventory (and every exit range) except the pools'
    declarations (a prefix of a domain network, or an unattributed one, that covers a pool), as
    ``{version: merged [(first, last)]}``.
    Domain-used entries: (first, last, network, device department, kind, in_pool) for prefixes of
    extranet_admin / extranet_public networks, and unattributed prefixes inside a pool.
    """
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev_dept = dict(tuples(inv["devices"], ("device", "department")))
    pool_nets = [(k, b) for k, cs in pools.items() for b in map(_bounds, cs) if b is not None]
    covered = {ver: merge_intervals((f, l) for _, (v, f, l) in pool_nets if v == ver) for ver in (4, 6)}
    cover_starts = {ver: [f for f, _ in spans] for ver, spans in covered.items()}

    def in_pools(ver, first, last) -> bool:  # the network lies inside the union of the pools
        i = bisect_right(cover_starts[ver], first) - 1
        return i >= 0 and covered[ver][i][1] >= last

    existing, used = {4: [], 6: []}, []
    smallest_pool = min((pl - pf for _, (pv, pf, pl) in pool_nets), default=None)
    if smallest_pool is None:
        smallest_pool = float("inf")
    dept_of = {d: _s(v) for d, v in dev_dept.items()}
    if pbounds is None:
        pbounds = _prefix_bounds(inv)
    for (network, device), b in zip(tuples(inv["prefixes"], ("network", "device")), pbounds):
        if b is None:
            continue
        ver, first, last = b
        kind = kinds.get(network, "")
        domain = kind in DOMAIN_KINDS
        # (a prefix smaller than every pool covers none)
        if last - first >= smallest_pool and (domain or not network) and \
                any(pv == ver and first <= pf and pl <= last for _, (pv, pf, pl) in pool_nets):
            continue   # it declares a pool
        existing[ver].append((first, last))
        if domain or not network:
            in_pool = in_pools(ver, first, last)
            if domain or in_pool:
                dk = kind or next((k for k, (pv, pf, pl) in pool_nets if pv == ver and pf <= first and last <= pl), "")
                used.append((first, last, ver, network, dept_of.get(device, ""), dk, in_pool))
    for r in rows(inv["exits"], ("public_range",)):
        for c in _s(r.public_range).split():
            b = _bounds(c)
            if b is not None:
                existing[b[0]].append((b[1], b[2]))
    return ({ver: merge_intervals(spans) for ver, spans in existing.items()},
            sorted(set(used), key=lambda u: (u[2], u[0], -u[1], u[3], u[4])))


class _FreeBlocks:
    """A set of addresses as the CIDR blocks an IPSet of it lists (the fewest aligned blocks),
    kept per (version, prefix length) as sorted starts: the best-fit block is one look per
    length, taking a block splits the one holding it into its buddies."""

    def __init__(self, spans: dict):
        self.starts: dict[tuple[int, int], list] = {}
        for ver, intervals in sorted(spans.items()):
            for first, last in intervals:
                for start, plen in _cidr_blocks(first, last, _width(ver)):
                    self.starts.setdefault((ver, plen), []).append(start)
        for lst in self.starts.values():
            lst.sort()

    def best(self, version: int, prefixlen: int):
        """(prefix length, start) of the smallest block of at least /prefixlen, lowest first; None."""
        best = None
        for (ver, plen), lst in self.starts.items():
            if ver == version and plen <= prefixlen and lst and (best is None or plen > best[0]):
                best = (plen, lst[0])
        return best

    def remove(self, version: int, start: int, prefixlen: int) -> None:
        width = _width(version)
        for (ver, plen), lst in list(self.starts.items()):
            if ver != version or plen > prefixlen:
                continue
            holder = start >> (width - plen) << (width - plen)
            i = bisect_left(lst, holder)
            if i < len(lst) and lst[i] == holder:
                del lst[i]
                for m in range(plen + 1, prefixlen + 1):
                    buddy = (start >> (width - m) << (width - m)) ^ (1 << (width - m))
                    insort(self.starts.setdefault((version, m), []), buddy)
                return
        end = start + (1 << (width - prefixlen)) - 1
        for (ver, plen), lst in self.starts.items():
            if ver == version and plen > prefixlen:
                del lst[bisect_left(lst, start):bisect_right(lst, end)]

    def largest(self, version: int) -> int:
        plens = [plen for (ver, plen), lst in self.starts.items() if ver == version and lst]
        return 1 << (_width(version) - min(plens)) if plens else 0


class Allocator:
    """Free blocks of each target pool: the pool minus all existing space and earlier allocations."""

    def __init__(self, pools: dict, existing):
        self.pools = {k: IPSet([n for n in map(_net, cs) if n is not None]) for k, cs in pools.items()}
        if isinstance(existing, IPSet):
            existing = {ver: merge_intervals((c.first, c.last) for c in existing.iter_cidrs() if c.version == ver)
                        for ver in (4, 6)}
        # {pool: {version: merged intervals}}: what `cidr in self.pools[k]` asks, in integers
        self.pool_spans = {k: {ver: merge_intervals((c.first, c.last) for c in p.iter_cidrs() if c.version == ver)
                               for ver in (4, 6)} for k, p in self.pools.items()}
        self.free = {k: _FreeBlocks({ver: _subtract(spans, existing.get(ver, [])) for ver, spans in sp.items()})
                     for k, sp in self.pool_spans.items()}
        self.allocated: list[tuple[str, str, IPNetwork]] = []  # (network, purpose, block)

    def in_pool(self, target: str, version: int, first: int, last: int) -> bool:
        spans = self.pool_spans.get(target, {}).get(version, [])
        i = bisect_right(spans, (first, float("inf"))) - 1
        return i >= 0 and spans[i][1] >= last

    def take(self, target: str, version: int, prefixlen: int, owner: str, purpose: str) -> IPNetwork | None:
        free = self.free.get(target)
        if free is None:
            return None
        best = free.best(version, prefixlen)
        if best is None:
            return None
        block = IPNetwork((best[1], prefixlen), version=version)
        for f in self.free.values():
            f.remove(version, best[1], prefixlen)
        self.allocated.append((owner, purpose, block))
        return block

    def largest_free(self, target: str, version: int) -> int:
        free = self.free.get(target)
        if free is None:
            return 0
        return free.largest(version)


def _plen_for(size: int, version: int) -> int:
    """Prefix length of the smallest power-of-two block holding *size* addresses."""
    bits = max(0, math.ceil(math.log2(size))) if size > 1 else 0
    return _width(version) - bits


# ---- the plan ------------------------------------------------------------------------------------
@dataclass
class NetPlan:
    row: dict                      # the assignment row
    space: "_Space"
    plan_key: str = ""
    cidrs: list = field(default_factory=list)       # merged space, sorted
    bounds: list = field(default_factory=list)      # (version, first, last) of each of cidrs
    kept: list = field(default_factory=list)
    kept_idx: list = field(default_factory=list)    # positions in cidrs of kept (those _resolve kept)
    moved: list = field(default_factory=list)       # cidrs to renumber or hide behind NAT
    hits: dict = field(default_factory=dict)        # owner -> (owner kind, IPSet overlap)
    segments: dict = field(default_factory=dict)    # position in cidrs of a LAN cidr -> domain whose pool it was numbered from
    action: str = "none"
    reason: str = ""                                # reason codes (see parse_reasons)
    block: IPNetwork | None = None
    mapping: list = field(default_factory=list)     # [(old, new)]
    nat_pool: IPNetwork | None = None
    servers: int = 0
    devices: list = field(default_factory=list)
    wave: int | None = None
    group: str = ""
    attach: tuple = ("", "", None, "")              # (point, path, distance, note as reason codes)


@dataclass
class MergeResult:
    """Everything the merge plan computed, as typed tables (the document, render/merge.py, labels them).

    The prose columns hold reason codes (:func:`parse_reasons`); render/merge.py words them."""
    assignment: pd.DataFrame
    networks: pd.DataFrame
    conflicts: pd.DataFrame
    renumbering: pd.DataFrame
    readdressing: pd.DataFrame
    nat: pd.DataFrame
    waves: pd.DataFrame
    isolation: pd.DataFrame
    summary: pd.DataFrame
    allocations: list               # [(network, 'renumber' | 'nat', block)] in allocation order


def _interfaces_of(inv) -> dict[str, list]:
    """{network: [(device, interface, ip int, version, prefixlen, address)]} of attributed interface addresses."""
    attr = {}
    for origin, network, device, interface, prefix in tuples(inv["prefixes"], ("origin", "network", "device",
                                                                                "interface", "prefix")):
        if origin == "interface" and network:
            attr[(device, interface, prefix)] = network
    out = defaultdict(list)
    ifaces = inv["interfaces"]
    plens = ifaces["prefixlen"]
    # a nullable integer column as Python ints and pd.NA (what int() and _na read alike from numpy's ints)
    plens = plens.to_numpy(dtype=object).tolist() if isinstance(plens.dtype, pd.Int64Dtype) else list(plens)
    for (device, interface, ip, subnet, address), prefixlen in zip(
            tuples(ifaces, ("device", "interface", "ip", "subnet", "address")), plens):
        if ip.__class__ is not str:
            ip = _s(ip)
        if subnet.__class__ is not str:
            subnet = _s(subnet)
        if not ip or not subnet:
            continue
        net = attr.get((device, interface, subnet))
        if not net:
            continue
        try:
            version, n = ip_int(ip)
        except ADDRESS_ERRORS:
            continue
        plen = int(prefixlen) if not _na(prefixlen) else _width(version)
        out[net].append((device, interface, n, version, plen, address if address.__class__ is str else _s(address)))
    return out


def _devices_of(inv, interfaces) -> dict[str, list]:
    """{network: its own devices}: devices the inventory puts in the network, and devices carrying
    its addresses unless they belong to an extranet network (the PE/core is everyone's)."""
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev_net = dict(tuples(inv["devices"], ("device", "network")))
    out = defaultdict(set)
    for d, n in dev_net.items():
        if n:
            out[n].add(d)
    extranet_devs = {d for d, n in dev_net.items() if kinds.get(n, "") in EXTRANET_KINDS}
    if kinds.get("", "") in EXTRANET_KINDS:   # (a device with no network row reads network "")
        extranet_devs = None
    for net, ifaces in interfaces.items():
        for dev, *_ in ifaces:
            if extranet_devs is None:
                if kinds.get(dev_net.get(dev, ""), "") not in EXTRANET_KINDS:
                    out[net].add(dev)
            elif dev not in extranet_devs:
                out[net].add(dev)
    return {k: sorted(v) for k, v in out.items()}


def _cidrs_text(s) -> str:
    return " ".join(str(c) for c in (s.iter_cidrs() if isinstance(s, IPSet) else s))


def _plan_key(np_: NetPlan, rules: DomainRules) -> str:
    t = np_.row["target"]
    if t in DOMAIN_KINDS:
        return "plan:" + rules.plan_of(t)
    if t == "extranet_vpn":
        by = np_.row.get("_ministry", "") if rules.vpn_vrf_by == "vertical_ministry" else ""
        return "vrf:" + (by or np_.row["network"])
    return ""


def merge_tables(inv, rules: DomainRules | None = None, pools: dict | None = None, *,
                 links: pd.DataFrame | None = None, graph=None, vctx: dict | None = None) -> MergeResult:
    """The merge plan's tables (what :func:`netconsol.render.merge.plan_merge` labels and exports).

    What the caller may already have computed from *inv*: *links* (:func:`infer_links`),
    *graph* (:func:`build_graph` of *inv* and those links), *vctx* (:func:`vrf_contexts`).
    """
    rules = rules or load_domain_rules()
    if pools is None:
        pools = default_pools(inv)
    for k, v in pools.items():
        bad = [c for c in v if _net(c) is None]
        if bad:  # a pool the plan cannot read would silently allow every collision with it
            raise InventoryError(f"address pool {k!r}: {bad[0]!r} is not an address or CIDR (e.g. 10.0.0.0/14)")
    pools = {k: sorted({str(n) for n in map(_net, v)}, key=lambda c: (IPNetwork(c).version, IPNetwork(c).first))
             for k, v in sorted(pools.items())}
    assignment = assign_domains(inv, rules)
    nets_tab = {r.network: r for r in rows(inv["networks"], ("network", "vertical_ministry"))}
    pbounds = _prefix_bounds(inv)
    spaces = _network_spaces(inv, pbounds)
    interfaces = _interfaces_of(inv)
    devices = _devices_of(inv, interfaces)
    existing, used = _declarations(inv, pools, pbounds)
    alloc = Allocator(pools, existing)
    pool_sets = alloc.pools
    domain_ids = defaultdict(list)
    for r in rows(inv["networks"], ("network", "kind")):
        if r.kind in DOMAIN_KINDS:
            domain_ids[r.kind].append(r.network)

    plans: dict[str, NetPlan] = {}
    for row in _dict_rows(assignment):
        nid = row["network"]
        row["_ministry"] = _s(nets_tab[nid].vertical_ministry)
        sp = spaces.get(nid) or _Space()
        # the space's blocks are in (version, first) order already (see _network_spaces)
        np_ = NetPlan(row=row, space=sp, cidrs=list(sp.blocks), bounds=sp.bounds)
        np_.devices = devices.get(nid, [])
        np_.plan_key = _plan_key(np_, rules)
        if row["target"] not in EXTRANET_TARGETS:
            np_.action = "record"
            np_.kept = list(np_.cidrs)
        plans[nid] = np_

    # -- conflicts and decisions, plan by plan ---------------------------------------------------
    nat_servers = _exposed_servers(inv)
    by_key = defaultdict(list)
    for nid, np_ in plans.items():
        if np_.plan_key:
            by_key[np_.plan_key].append(np_)
    for key in sorted(by_key):
        members = sorted(by_key[key], key=lambda p: (-p.space.size, p.row["network"]))
        targets = set(key.removeprefix("plan:").split("+")) if key.startswith("plan:") else set()
        # (first, last, version, owner, owner kind, dept, in_pool)
        claimed = _PlanClaims([(n.first, n.last, n.version, k, "pool", "", True)
                               for k in sorted(targets) for n in map(IPNetwork, pools.get(k, []))]
                              + ([(u[0], u[1], u[2], u[3] or u[5], "domain", u[4], u[6]) for u in used if u[5] in targets]
                                 if targets else []),   # (a VRF's plan claims no domain prefix)
                              members)
        for np_ in members:
            _resolve(np_, claimed, pool_sets, key, rules, alloc, interfaces, nat_servers)

    conflicts = _conflict_rows(plans, rules, domain_ids)
    n_conf = defaultdict(int)
    for c in conflicts:
        if c["scope"] != "separate":
            n_conf[c["network"]] += 1
            if c["other_kind"] == "network":
                n_conf[c["other"]] += 1

    if links is None:
        links = infer_links(inv)
    _attach_points(inv, plans, rules, links, graph)
    waves = _waves(plans, conflicts)
    isolation = _isolation(inv, plans, rules, pools, alloc, links, vctx)
    return _tables(assignment, plans, conflicts, n_conf, waves, isolation, alloc, interfaces)


def _exposed_servers(inv) -> dict[str, set]:
    """{device: inside addresses published by NAT server/static entries}."""
    out = defaultdict(set)
    for r in rows(inv["nat"], ("kind", "inside", "device")):
        if r.kind in ("server", "static") and r.inside:
            out[r.device].add(r.inside)
    return out


class _Claims:
    """The ranges claimed in one plan, in claim order, indexed for overlap queries.

    Entries are ``(first, last, version, ...)``.  Per (version, size class k: size <= 2**k) a
    sorted list of (first, claim number): a range of class k overlapping [a, b] starts in
    [a - 2**k + 1, b], one bisect per class instead of a scan of every claim.
    """

    def __init__(self):
        self.items: list[tuple] = []
        # version -> size class -> sorted [(first, last, claim number)]
        self._classes: dict[int, dict[int, list]] = {}

    def append(self, entry: tuple) -> None:
        first, last, ver = entry[0], entry[1], entry[2]
        k = (last - first).bit_length()
        insort(self._classes.setdefault(ver, {}).setdefault(k, []), (first, last, len(self.items)))
        self.items.append(entry)

    def extend(self, entries) -> None:
        """``append`` each of *entries*, the classes sorted once at the end."""
        touched = set()
        for entry in entries:
            first, last, ver = entry[0], entry[1], entry[2]
            k = (last - first).bit_length()
            self._classes.setdefault(ver, {}).setdefault(k, []).append((first, last, len(self.items)))
            touched.add((ver, k))
            self.items.append(entry)
        for ver, k in touched:
            self._classes[ver][k].sort()

    def overlapping(self, version: int, a: int, b: int) -> list[tuple]:
        """The entries of *version* sharing an address with [a, b], in claim order."""
        hit = []
        for k, starts in self._classes.get(version, {}).items():
            lo = bisect_left(starts, (a - (1 << k) + 1,))
            for i in range(lo, bisect_left(starts, (b + 1,), lo)):
                _, last, seq = starts[i]
                if last >= a:
                    hit.append(seq)
        hit.sort()
        return [self.items[i] for i in hit]


class _PlanClaims:
    """The claims of one plan: its pools' and domains' entries first, then the prefixes its members
    keep (or hide), claimed in the order _resolve takes the members.

    Every overlap a member's prefix can meet is found up front, by one sweep over the fixed entries
    and every member's prefixes (:func:`~netconsol.analyze.intervals.overlap_pairs_array`); a query
    keeps those already claimed, in claim order: what :class:`_Claims` answers for the same claims.
    """

    def __init__(self, fixed: list[tuple], members: list):
        n_fixed = len(fixed)
        self.entries: list = list(fixed) + [None] * sum(len(m.bounds) for m in members)
        self.seq: list = list(range(n_fixed)) + [None] * (len(self.entries) - n_fixed)
        self.next_seq = n_fixed
        self.base: dict[int, int] = {}   # id(member) -> position of its first prefix
        # the fixed entries swept once per distinct range (a pool holds every domain prefix; the same
        # prefix may be many networks'): sweep position i < n_ranges stands for the entries same[i]
        same: dict[tuple, list] = {}
        for i, e in enumerate(fixed):
            same.setdefault((e[2], e[0], e[1]), []).append(i)
        n_ranges = len(same)
        fam, firsts, lasts = [r[0] for r in same], [r[1] for r in same], [r[2] for r in same]
        same = list(same.values())
        for m in members:
            self.base[id(m)] = n_fixed + len(fam) - n_ranges
            for ver, first, last in m.bounds:
                fam.append(ver)
                firsts.append(first)
                lasts.append(last)
        self.partners: dict[int, list] = defaultdict(list)   # member position -> overlapping positions
        if len(fam) > 1:
            s, e = sweep_keys(fam, *split128(firsts), *split128(lasts))
            a, b = overlap_pairs_array(s, e)
            keep = (a >= n_ranges) | (b >= n_ranges)   # pairs of fixed entries are never asked for
            partners = self.partners
            shift = n_fixed - n_ranges   # sweep position -> entry position, for a member's prefix
            for x, y in zip(a[keep].tolist(), b[keep].tolist()):
                if x >= n_ranges:
                    if y >= n_ranges:
                        partners[x + shift].append(y + shift)
                        partners[y + shift].append(x + shift)
                    else:
                        partners[x + shift].extend(same[y])
                else:
                    partners[y + shift].extend(same[x])

    def overlapping(self, pos: int) -> list[tuple]:
        """The claimed entries sharing an address with the member prefix at *pos*, in claim order."""
        seq = self.seq
        hit = sorted((seq[j], j) for j in self.partners.get(pos, ()) if seq[j] is not None)
        entries = self.entries
        return [entries[j] for _, j in hit]

    def claim(self, pos: int, entry: tuple) -> None:
        self.entries[pos] = entry
        self.seq[pos] = self.next_seq
        self.next_seq += 1


def _resolve(np_: NetPlan, claimed: _PlanClaims, pool_sets: dict, key: str, rules: DomainRules, alloc: Allocator,
             interfaces: dict, nat_servers: dict):
    row = np_.row
    is_vrf = key.startswith("vrf:")
    plan_pools = [k for k in sorted(key.removeprefix("plan:").split("+")) if k in pool_sets] \
        if key.startswith("plan:") else []
    is_lan = row["kind"] == "lan"
    dept = row["department"]
    base = claimed.base[id(np_)]
    kept_idx, moved_idx = [], []
    for j, (q_ver, q_first, q_last) in enumerate(np_.bounds):
        # a department LAN numbered from a pool of its plan is a segment the extranet already handed out
        # (town LANs often have one in each domain); it stays in that pool's domain
        seg = next((k for k in plan_pools if alloc.in_pool(k, q_ver, q_first, q_last)), "") if is_lan else ""
        if seg:
            np_.segments[j] = seg
        lan_in_pool = bool(seg)
        hit = False
        for first, last, ver, owner, okind, odept, in_pool in claimed.overlapping(base + j):
            if okind == "domain" and in_pool and not lan_in_pool:
                continue  # inside a pool: the pool row already says it
            if lan_in_pool and okind == "pool":
                continue
            if lan_in_pool and okind == "domain" and odept in ("", dept):
                continue  # the LAN itself, seen on the department's own extranet device
            ov = IPSet(_span_cidrs(max(first, q_first), min(last, q_last), ver))
            prev = np_.hits.get(owner)
            np_.hits[owner] = (okind, (prev[1] | ov) if prev else ov)
            hit = True
        (moved_idx if hit else kept_idx).append(j)
    cidrs = np_.cidrs
    np_.kept_idx = kept_idx
    np_.kept = [cidrs[j] for j in kept_idx]
    np_.moved = [cidrs[j] for j in moved_idx]
    nid = row["network"]
    if not np_.cidrs:
        np_.reason = reason("no_prefixes")
    if not np_.moved:
        np_.action = "none"
    elif is_vrf:
        np_.action = "vrf_split"
        np_.kept, np_.moved = list(np_.cidrs), []
        np_.kept_idx = list(range(len(np_.cidrs)))
        np_.reason = reason("vrf_split")
        return  # in a VRF of its own it claims nothing here
    else:
        _renumber_or_nat(np_, rules, alloc, interfaces, nat_servers)
    hidden = moved_idx if np_.action in ("nat", "unresolved") else []
    bounds = np_.bounds
    for j in kept_idx + hidden:
        ver, first, last = bounds[j]
        claimed.claim(base + j, (first, last, ver, nid, "network", dept, False))


def _span_cidrs(first: int, last: int, version: int) -> list:
    return iprange_to_cidrs(IPAddress(first, version), IPAddress(last, version))


def _renumber_or_nat(np_: NetPlan, rules: DomainRules, alloc: Allocator, interfaces: dict, nat_servers: dict):
    row = np_.row
    nid, target = row["network"], row["target"]
    moved = sorted(np_.moved, key=lambda c: (-c.size, c.first))
    version = moved[0].version
    addresses = sum(c.size for c in moved)
    ifaces = [i for i in interfaces.get(nid, []) if any(c.version == i[3] and c.first <= i[2] <= c.last
                                                         for c in moved)]
    devs = sorted({i[0] for i in ifaces})
    over = []
    if len(devs) > rules.nat_devices_over:
        over.append(reason("over_devices", n=len(devs), limit=rules.nat_devices_over))
    if len(ifaces) > rules.nat_interfaces_over:
        over.append(reason("over_interfaces", n=len(ifaces), limit=rules.nat_interfaces_over))
    if addresses > rules.nat_addresses_over:
        over.append(reason("over_addresses", n=addresses, limit=rules.nat_addresses_over))
    if target not in alloc.pools:
        np_.action = "unresolved"
        np_.reason = reason("no_pool", target=target)
        return
    forced = row["method"] if row["method"] in ("renumber", "nat") else ""
    if forced == "nat" or (over and forced != "renumber"):
        why = over or [reason("rule_nat", rule=row["rule"])]
        _nat(np_, alloc, nat_servers, rules, reasons(*why))
        return
    block = None
    margin = True
    for factor in (rules.growth_factor, 1):
        plen = _plen_for(addresses * factor, version)
        block = alloc.take(target, version, plen, nid, "renumber")
        if block is not None:
            margin = factor == rules.growth_factor
            break
    if block is None:
        largest = alloc.largest_free(target, version)
        plen = _plen_for(addresses, version)
        why = reason("pool_full", target=target, plen=plen, largest=largest)
        _nat(np_, alloc, nat_servers, rules, why)
        return
    np_.action = "renumber"
    np_.block = block
    offset = 0
    for c in moved:
        new = IPNetwork((block.first + offset, c.prefixlen), version=version)
        np_.mapping.append((c, new))
        offset += c.size
    np_.reason = reason("renumber", block=block, addresses=addresses, growth=rules.growth_factor) if margin else \
        reason("renumber_no_margin", block=block)


def _nat(np_: NetPlan, alloc: Allocator, nat_servers: dict, rules: DomainRules, why: str):
    row = np_.row
    servers = set()
    for d in np_.devices:
        servers |= nat_servers.get(d, set())
    np_.servers = len(servers)
    version = np_.moved[0].version
    if servers:
        plen = min(_plen_for(len(servers) + rules.nat_extra_addresses, version),
                   _width(version) - (32 - rules.nat_min_prefixlen))
    else:
        plen = _width(version) - (32 - rules.nat_default_prefixlen)
    pool = alloc.take(row["target"], version, plen, row["network"], "nat")
    if pool is None:
        np_.action = "unresolved"
        np_.reason = reasons(why, reason("nat_pool_full", target=row["target"], plen=plen))
        return
    np_.action = "nat"
    np_.nat_pool = pool
    np_.reason = reasons(why, reason("nat", pool=pool))


# ---- conflict rows --------------------------------------------------------------------------------
def _conflict_rows(plans: dict, rules: DomainRules, domain_ids: dict) -> list[dict]:
    import hashlib

    rows = []

    def cid(*parts):
        return "M-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]

    def proposal(np_):
        return np_.action if np_.action in ("renumber", "nat", "vrf_split", "unresolved") else "none"

    def detail(np_):  # the acting network's reason, said of it
        return reasons(reason("acting", network=np_.row["network"]), np_.reason) if np_.reason else ""

    # pools and domain prefixes
    for nid in sorted(plans):
        np_ = plans[nid]
        for owner in sorted(np_.hits):
            okind, ov = np_.hits[owner]
            if okind == "network":
                continue
            other_target = owner if okind == "pool" else _domain_kind(owner, domain_ids)
            rows.append({"conflict": cid("pool" if okind == "pool" else "domain", nid, owner), "network": nid,
                         "target": np_.row["target"], "other": owner,
                         "other_kind": "pool" if okind == "pool" else "domain",
                         "other_target": other_target, "scope": "pool" if okind == "pool" else "domain",
                         "overlap": _cidrs_text(ov), "addresses": ov.size, "proposal": proposal(np_),
                         "acting_network": nid, "detail": detail(np_)})
    # network pairs (every overlapping pair, whatever the plans)
    ids = sorted(plans)
    spans, owners = [], []
    for nid in ids:
        for c in plans[nid].cidrs:
            spans.append((c.first + (c.version == 6) * (1 << 200), c.last + (c.version == 6) * (1 << 200)))
            owners.append(nid)
    pairs = set()
    for i, j in overlapping_pairs(spans):
        a, b = owners[i], owners[j]
        if a != b:
            pairs.add(tuple(sorted((a, b))))
    for a, b in sorted(pairs):
        pa, pb = plans[a], plans[b]
        ov = pa.space & pb.space
        if not ov.size:
            continue
        same = pa.plan_key and pa.plan_key == pb.plan_key
        if same:
            if b in pa.hits:
                actor = pa
            elif a in pb.hits:
                actor = pb
            else:  # one of them moved the overlapping prefix because of something else
                moved_a = IPSet(pa.moved) & ov
                actor = pa if moved_a.size else pb
            other = pb if actor is pa else pa
            scope = "same_vrf" if pa.plan_key.startswith("vrf:") else "same_plan"
            rows.append({"conflict": cid("pair", a, b), "network": actor.row["network"],
                         "target": actor.row["target"], "other": other.row["network"], "other_kind": "network",
                         "other_target": other.row["target"], "scope": scope, "overlap": _cidrs_text(ov),
                         "addresses": ov.size, "proposal": proposal(actor), "acting_network": actor.row["network"],
                         "detail": detail(actor)})
        else:
            why = _separate_why(pa, pb)
            rows.append({"conflict": cid("pair", a, b), "network": a, "target": pa.row["target"], "other": b,
                         "other_kind": "network", "other_target": pb.row["target"], "scope": "separate",
                         "overlap": _cidrs_text(ov), "addresses": ov.size, "proposal": "separate",
                         "acting_network": "", "detail": why})
    rows.sort(key=lambda r: (r["network"], r["other_kind"] != "pool", r["other"], r["conflict"]))
    return rows


def _domain_kind(owner, domain_ids):
    for k, ids in domain_ids.items():
        if owner in ids:
            return k
    return owner if owner in DOMAIN_KINDS else ""


def _separate_why(pa: NetPlan, pb: NetPlan) -> str:
    a, b = pa.row["network"], pb.row["network"]
    if pa.row["target"] == "extranet_vpn" and pb.row["target"] == "extranet_vpn":
        return reason("separate_vrfs", a=a, b=b)
    return reason("separate_domains", a=a, a_target=pa.row["target"], b=b, b_target=pb.row["target"])


# ---- attach points --------------------------------------------------------------------------------
def _attach_points(inv, plans: dict, rules: DomainRules, links: pd.DataFrame, graph=None):
    g = build_graph(inv, links) if graph is None else graph
    adj = defaultdict(set)
    # one walk over the adjacency (each edge seen from both ends: a link edge adds both directions)
    node_type = dict(g.nodes(data="type"))
    for n, nbrs in g.adjacency():
        for v, e in nbrs.items():
            if e.get("type") == "link":
                adj[n].add(v)
        if node_type[n] != "subnet":
            continue
        devs = sorted(x for x, e in nbrs.items() if e.get("type") == "address")
        for i in range(len(devs)):
            for j in range(i + 1, len(devs)):
                adj[devs[i]].add(devs[j])
                adj[devs[j]].add(devs[i])
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev = {r.device: r for r in rows(inv["devices"], ("device", "network", "role", "department", "district"))}

    def is_extranet(d):
        r = dev.get(d)
        return r is not None and kinds.get(r.network, "") in EXTRANET_KINDS

    targets = {f"device:{d}" for d, r in dev.items()
               if _s(r.role).lower() in rules.attach_roles and (kinds.get(r.network, "") in EXTRANET_KINDS or not r.network)}
    adj_sorted = {k: sorted(v) for k, v in adj.items()}
    # the extranet devices per department and per role, sorted by name (looked up per network)
    ext_by_dept, ext_by_role = defaultdict(list), defaultdict(list)
    for d in sorted(dev):
        r = dev[d]
        if is_extranet(d):
            ext_by_dept[r.department].append(f"device:{d}")
            ext_by_role[_s(r.role).lower()].append((d, r.district))
    # components of the adjacency that hold a target: a search from anywhere else finds none
    comp, comp_has_target = {}, set()
    for start in sorted(adj_sorted):
        if start in comp:
            continue
        comp[start] = start
        stack = [start]
        while stack:
            u = stack.pop()
            if u in targets:
                comp_has_target.add(start)
            for v in adj_sorted.get(u, ()):
                if v not in comp:
                    comp[v] = start
                    stack.append(v)

    found: dict[tuple, list | None] = {}

    def bfs(sources):
        """The path to the nearest target from *sources* (a sorted list; the same sources, the same path)."""
        key = tuple(sources)
        if key not in found:
            found[key] = _bfs(sources)
        return found[key]

    def _bfs(sources):
        if not any(s in targets or comp.get(s) in comp_has_target for s in sources):
            return None  # no target reachable: the search below would find none
        seen = {s: None for s in sources}
        frontier = list(sources)
        while frontier:
            hit = sorted(s for s in frontier if s in targets)
            if hit:
                path, x = [], hit[0]
                while x is not None:
                    path.append(x)
                    x = seen[x]
                return list(reversed(path))
            nxt = []
            for u in frontier:
                for v in adj_sorted.get(u, ()):
                    if v not in seen:
                        seen[v] = u
                        nxt.append(v)
            frontier = nxt
        return None

    def names(path):
        return " → ".join(p.removeprefix("device:") for p in path)

    for nid in sorted(plans):
        np_ = plans[nid]
        row = np_.row
        own = [f"device:{d}" for d in np_.devices if f"device:{d}" in g]
        path = bfs(sorted(own)) if own else None
        if path:
            np_.attach = (path[-1].removeprefix("device:"), names(path), len(path) - 1, "")
            continue
        why = reason("no_link") if own else reason("no_devices")
        dept = row["department"]
        ces = ext_by_dept.get(dept, []) if dept else []
        path = bfs(ces) if ces else None
        if path:
            np_.attach = (path[-1].removeprefix("device:"), names(path), None,
                          reasons(why, reason("via_department", device=path[0].removeprefix("device:"))))
            continue
        district = row["district"]
        role = "pe" if district and district not in rules.city_level_districts else "core"
        cands = [d for d, d_district in ext_by_role.get(role, ()) if role == "core" or d_district == district]
        if cands:
            np_.attach = (cands[0], "", None,
                          reasons(why, reason("by_district" if role == "pe" else "city_core", device=cands[0])))
            continue
        np_.attach = ("", "", None, reasons(why, reason("unreachable")))


# ---- waves -----------------------------------------------------------------------------------------
def _waves(plans: dict, conflicts: list) -> list[dict]:
    moving = sorted(n for n, p in plans.items() if p.row["target"] in EXTRANET_TARGETS)
    sets = DisjointSets(moving)
    union = sets.union
    by_dev = defaultdict(list)
    for n in moving:
        for d in plans[n].devices:
            by_dev[d].append(n)
    for d in sorted(by_dev):
        ns = by_dev[d]
        for x in ns[1:]:
            union(ns[0], x)
    for c in conflicts:
        if c["other_kind"] == "network" and c["scope"] in ("same_plan", "same_vrf") \
                and c["network"] in sets.parent and c["other"] in sets.parent:
            union(c["network"], c["other"])
    groups = sets.groups()
    out = []
    for root in sorted(groups):
        members = sorted(groups[root])
        wave = max(_WAVE_OF.get(plans[m].action, 1) for m in members)
        for m in members:
            plans[m].wave = wave
            plans[m].group = root
        out.append({"wave": wave, "group": root, "networks": " ".join(members), "count": len(members),
                    "actions": " ".join(sorted({plans[m].action for m in members}))})
    out.sort(key=lambda r: (r["wave"], r["group"]))
    return out


# ---- isolation --------------------------------------------------------------------------------------
def _isolation(inv, plans: dict, rules: DomainRules, pools: dict, alloc: Allocator, links: pd.DataFrame,
               vctx: dict | None = None) -> list[dict]:
    out = []
    # 1. advertised prefixes inside the other domain's pool or allocations
    pool_sets = {k: IPSet(v) for k, v in pools.items()}
    pool_claims = {}  # pool -> its CIDRs as claims: does a prefix touch the pool at all?
    for k, v in pools.items():
        pool_claims[k] = c = _Claims()
        for n in map(IPNetwork, v):
            c.append((n.first, n.last, n.version))
    alloc_by_target = defaultdict(_Claims)  # target -> (first, last, version, owner, block), allocation order
    for owner, purpose, block in alloc.allocated:
        alloc_by_target[plans[owner].row["target"]].append((block.first, block.last, block.version, owner, block))
    for nid in sorted(plans):
        np_ = plans[nid]
        t = np_.row["target"]
        if t not in DOMAIN_KINDS:
            continue
        other = [k for k in DOMAIN_KINDS if k != t]
        # a LAN segment numbered from the other domain's pool belongs to that domain (handed out by it)
        advertised = [(np_.cidrs[j], np_.bounds[j]) for j in np_.kept_idx if j not in np_.segments] + \
            [(q, (q.version, q.first, q.last)) for q in [new for _, new in np_.mapping] +
             ([np_.nat_pool] if np_.nat_pool else [])]
        for o in other:
            for q, (q_ver, q_first, q_last) in advertised:
                if o in pool_claims and pool_claims[o].overlapping(q_ver, q_first, q_last):
                    ov = IPSet([q]) & pool_sets.get(o, IPSet())
                    if ov.size:
                        out.append({"check": "prefix_in_other_domain", "network": nid, "target": t, "prefix": str(q),
                                    "detail": reason("in_other_pool", prefix=q, pool=o, overlap=_cidrs_text(ov))})
                allocs = alloc_by_target.get(o)
                for *_, owner, block in (allocs.overlapping(q_ver, q_first, q_last) if allocs else ()):
                    out.append({"check": "prefix_in_other_domain", "network": nid, "target": t, "prefix": str(q),
                                "detail": reason("overlaps_allocation", prefix=q, block=block, owner=owner,
                                                 target=o)})
    # 2. PE/core interfaces facing a network's devices, by VRF
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev = {r.device: r for r in rows(inv["devices"], ("device", "network", "role"))}
    vctx = vrf_contexts(inv) if vctx is None else vctx
    owner_of = {}
    for nid in sorted(plans):
        for d in plans[nid].devices:
            owner_of.setdefault(d, []).append(nid)
    # what the checks below read: the interfaces of the extranet ends of links from a network's devices
    # (this check) and of the exits' devices (check 3); the VRF contexts of those interfaces' VRFs
    ends = set()
    for r in rows(links, ("a_device", "a_interface", "b_device", "b_interface")):
        for xd, pd_, pi in ((r.a_device, r.b_device, r.b_interface), (r.b_device, r.a_device, r.a_interface)):
            p = dev.get(pd_)
            if p is not None and kinds.get(p.network, "") in EXTRANET_KINDS and owner_of.get(xd):
                ends.add((pd_, pi))
    asked_devices = {d for d, _ in ends} | {d for (d,) in tuples(inv["exits"], ("device",))}
    iface_vrf = {}
    for device, interface, vrf in tuples(inv["interfaces"], ("device", "interface", "vrf")):
        if device in asked_devices:
            iface_vrf.setdefault((device, interface), vrf)
    asked_ctx = set()
    for d, i in ends:
        vrf = _s(iface_vrf.get((d, i), ""))
        if vrf:
            asked_ctx.add(vctx.get((d, vrf), f"{d}:{vrf}"))
    # the devices whose prefixes can fall in an asked context: by vctx, or by the fallback name
    # "device:vrf" (a device named by the text before any colon of the context)
    ctx_devices = {d for (d, _), c in vctx.items() if c in asked_ctx}
    ctx_devices |= {c[:i] for c in asked_ctx if isinstance(c, str) for i, ch in enumerate(c) if ch == ":"}
    ctx_domain = defaultdict(set)
    for origin, vrf, network, device in tuples(inv["prefixes"], ("origin", "vrf", "network", "device")):
        if origin == "interface" and vrf and network and (device in ctx_devices or device.__class__ is not str):
            k = kinds.get(network, "")
            label = k if k in DOMAIN_KINDS else f"net:{network}"
            ctx_domain[vctx.get((device, vrf), f"{device}:{vrf}")].add(label)

    def vrf_domains(d, vrf):
        out = set(ctx_domain.get(vctx.get((d, vrf), f"{d}:{vrf}"), set()))
        for k, names in rules.vrf_names.items():
            if vrf.lower() in names:
                out.add(k)
        return out

    seen = set()
    for r in rows(links, ("a_device", "a_interface", "b_device", "b_interface")):
        for (xd, xi), (pd_, pi) in (((r.a_device, r.a_interface), (r.b_device, r.b_interface)),
                                    ((r.b_device, r.b_interface), (r.a_device, r.a_interface))):
            p = dev.get(pd_)
            if p is None or kinds.get(p.network, "") not in EXTRANET_KINDS:
                continue
            for nid in owner_of.get(xd, []):
                t = plans[nid].row["target"]
                vrf = _s(iface_vrf.get((pd_, pi), ""))
                key = (nid, pd_, pi)
                if key in seen:
                    continue
                if t in ("intranet", "keep"):
                    seen.add(key)
                    out.append({"check": "bridged", "network": nid, "target": t, "device": pd_, "interface": pi,
                                 "vrf": vrf,
                                 "detail": reason("bridged_classified" if t == "intranet" else "bridged_kept",
                                                  network=nid, device=xd, extranet_device=pd_)})
                    continue
                if _s(p.role).lower() not in rules.attach_roles or not vrf:
                    continue
                doms = vrf_domains(pd_, vrf)
                if t in DOMAIN_KINDS:
                    bad = sorted(x for x in doms if x in DOMAIN_KINDS and x != t)
                else:  # extranet_vpn: its own VRF, never a common domain's
                    bad = sorted(x for x in doms if x in DOMAIN_KINDS)
                if bad:
                    seen.add(key)
                    out.append({"check": "vrf_binding", "network": nid, "target": t, "device": pd_, "interface": pi,
                                 "vrf": vrf,
                                 "detail": reason("vrf_binding", device=pd_, interface=pi, vrf=vrf,
                                                  domains=" ".join(bad), network=nid, target=t)})
    # 3. exits whose device carries networks of both domains
    dom_of_net = {nid: plans[nid].row["target"] for nid in plans}
    for nid, k in kinds.items():
        if k in DOMAIN_KINDS:
            dom_of_net[nid] = k
    dev_domains = defaultdict(set)
    exit_devices = {d for (d,) in tuples(inv["exits"], ("device",))}
    for origin, network, device in tuples(inv["prefixes"], ("origin", "network", "device")):
        if origin == "interface" and network and device in exit_devices:   # (only exits' devices are asked)
            t = dom_of_net.get(network, "")
            if t in DOMAIN_KINDS:
                dev_domains[device].add(t)
    exits_of = defaultdict(list)
    for r in rows(inv["exits"]):
        if r.device and set(DOMAIN_KINDS) <= dev_domains.get(r.device, set()):
            exits_of[r.device].append(r)
    for d in sorted(exits_of):
        ex = exits_of[d]
        ids = " ".join(sorted({r.exit for r in ex}))
        ifs = " ".join(sorted({r.interface for r in ex if r.interface}))
        ranges = " ".join(sorted({c for r in ex for c in _s(r.public_range).split()}))
        out.append({"check": "exit_both_domains", "network": "", "target": "", "device": d, "interface": ifs,
                     "vrf": " ".join(sorted({_s(iface_vrf.get((d, i), "")) for i in ifs.split()} - {""})),
                     "prefix": ranges,
                     "detail": reason("exit_both_domains", device=d, exits=ids)})
    out.sort(key=lambda x: (x["check"], x.get("network", ""), x.get("device", ""), x.get("interface", ""),
                             x.get("prefix", "")))
    return out


# ---- tables ------------------------------------------------------------------------------------------
def _tables(assignment, plans, conflicts, n_conf, waves, isolation, alloc, interfaces) -> MergeResult:
    # prose columns hold reason codes (parse_reasons); render/merge.py words them
    net_rows, ren_rows, readdr, nat_rows = [], [], [], []
    group_members = defaultdict(list)
    for x in sorted(plans):
        if plans[x].group:
            group_members[plans[x].group].append(x)
    for a in _dict_rows(assignment):
        nid = a["network"]
        np_ = plans[nid]
        mapping = "; ".join(f"{o}→{n}" for o, n in np_.mapping)
        before = " ".join(map(str, np_.cidrs))
        if a["target"] not in EXTRANET_TARGETS:
            after = ""
        elif not np_.mapping and len(np_.kept) == len(np_.cidrs) and \
                not (np_.action in ("nat", "unresolved") and np_.moved):
            after = before  # every prefix kept, none added: the space as it was, in its order
        else:
            after = list(np_.kept) + [n for _, n in np_.mapping]
            if np_.action in ("nat", "unresolved"):
                after += np_.moved
            after = " ".join(map(str, sorted(after, key=lambda c: (c.version, c.first))))
        point, path, dist, note = np_.attach
        net_rows.append({
            "network": nid, "name": a["name"], "kind": a["kind"], "department": a["department"],
            "district": a["district"], "prefixes_before": before,
            "addresses_before": np_.space.size, "target": a["target"], "method": a["method"],
            "rule": a["rule"], "domain_rule": a["domain_rule"],
            "rationale": a["rationale"], "ambiguous": a["ambiguous"],
            "ambiguity": a["ambiguity"], "conflicts": n_conf.get(nid, 0),
            "action": np_.action, "renumber_map": mapping,
            "renumbered_addresses": sum(o.size for o, _ in np_.mapping),
            "nat_pool": str(np_.nat_pool) if np_.nat_pool else "", "action_reason": np_.reason,
            "prefixes_after": after,
            "attach_point": point if a["target"] in EXTRANET_TARGETS else "",
            "attach_path": path if a["target"] in EXTRANET_TARGETS else "",
            "attach_distance": dist if a["target"] in EXTRANET_TARGETS else None,
            "attach_note": note if a["target"] in EXTRANET_TARGETS else "",
            "wave": np_.wave, "moves_with": " ".join(m for m in group_members.get(np_.group, ()) if m != nid),
        })
        for old, new in np_.mapping:
            ren_rows.append({"network": nid, "old_prefix": str(old), "new_prefix": str(new), "block": str(np_.block),
                             "addresses": old.size})
            for devn, iface, ip, ver, plen, address in sorted(interfaces.get(nid, [])):
                if ver == old.version and old.first <= ip <= old.last:
                    readdr.append({"network": nid, "device": devn, "interface": iface, "old_address": address,
                                   "new_address": f"{IPAddress(new.first + ip - old.first, ver)}/{plen}"})
        if np_.action in ("nat", "unresolved") and np_.moved:
            nat_rows.append({"network": nid, "target": a["target"],
                             "nat_pool": str(np_.nat_pool) if np_.nat_pool else "",
                             "pool_addresses": np_.nat_pool.size if np_.nat_pool else 0,
                             "exposed_servers": np_.servers, "hidden_prefixes": " ".join(map(str, np_.moved)),
                             "reason": np_.reason})
    conf_rows = list(conflicts)
    iso_rows = list(isolation)
    readdr.sort(key=lambda r: (r["network"], r["device"], r["interface"], r["old_address"]))

    summary = []
    targets = defaultdict(int)
    # networks to integrate; LANs already on the extranet are counted apart (issue 21)
    for r in net_rows:
        if r["rule"] != ON_EXTRANET:
            targets[r["target"]] += 1
    summary.append({"metric": "networks_in_scope", "item": "", "value": sum(1 for r in net_rows if r["rule"] != ON_EXTRANET)})
    summary.append({"metric": "lans_on_extranet", "item": "", "value": sum(1 for r in net_rows
                                                                             if r["rule"] == ON_EXTRANET)})
    for t in ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "keep"):
        summary.append({"metric": "target", "item": t, "value": targets.get(t, 0)})
    wave_count = defaultdict(int)
    for r in net_rows:
        if r["wave"] is not None:
            wave_count[r["wave"]] += 1
    for w in (1, 2, 3):
        summary.append({"metric": "wave", "item": str(w), "value": wave_count.get(w, 0)})
    summary.append({"metric": "no_wave", "item": "", "value": sum(1 for r in net_rows if r["wave"] is None)})
    acts = defaultdict(int)
    for r in net_rows:
        acts[r["action"]] += 1
    for act in ("none", "renumber", "nat", "vrf_split", "unresolved", "record"):
        summary.append({"metric": "action", "item": act, "value": acts.get(act, 0)})
    summary.append({"metric": "renumbered_addresses", "item": "", "value": sum(r["renumbered_addresses"] for r in net_rows)})
    summary.append({"metric": "readdressed_interfaces", "item": "", "value": len(readdr)})
    summary.append({"metric": "conflicts_to_resolve", "item": "", "value": sum(1 for c in conf_rows if c["scope"] != "separate")})
    summary.append({"metric": "separate_overlaps", "item": "", "value": sum(1 for c in conf_rows if c["scope"] == "separate")})
    summary.append({"metric": "ambiguous", "item": "", "value": sum(1 for r in net_rows if r["ambiguous"])})
    summary.append({"metric": "isolation_violations", "item": "", "value": len(iso_rows)})

    return MergeResult(
        assignment=assignment, networks=table(net_rows, NETWORK_COLUMNS), conflicts=table(conf_rows, CONFLICT_COLUMNS),
        renumbering=table(ren_rows, RENUMBER_COLUMNS), readdressing=table(readdr, READDRESS_COLUMNS),
        nat=table(nat_rows, NAT_COLUMNS), waves=table(waves, WAVE_COLUMNS), isolation=table(iso_rows, ISOLATION_COLUMNS),
        summary=table(summary, SUMMARY_COLUMNS), allocations=list(alloc.allocated))
