"""The private-network merge plan (专网整合方案): where each network goes, how its addresses fit,
where it attaches, in which wave it moves, and whether the result keeps the domains apart.

``assign_domains(inv, rules)`` applies ``rules/domains.yaml`` (:mod:`netconsol.domains`) to every
network that is not already an extranet domain or an internet line.  ``plan_merge(inv, rules,
pools)`` does the rest and returns a :class:`netconsol.render.plans.Plan`.

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

from ..domains import EXTRANET_TARGETS, DomainRules, decide, load_domain_rules
from ..render.plans import L, Plan, Section, Text, table
from .overlaps import default_pools, merge_intervals, overlapping_pairs
from .topology import EXTRANET_KINDS, _s, build_graph, infer_links, ip_int, net_bounds, rows, tuples, vrf_contexts
from .unionfind import DisjointSets

__all__ = ["assign_domains", "plan_merge", "load_domain_rules", "MergeResult", "merge_tables", "ACTIONS",
           "ASSIGNMENT_COLUMNS", "NETWORK_COLUMNS", "CONFLICT_COLUMNS"]

OUT_OF_SCOPE = ("extranet_admin", "extranet_public", "extranet_vpn", "internet")
DOMAIN_KINDS = ("extranet_admin", "extranet_public")
ACTIONS = ("none", "renumber", "nat", "vrf_split", "unresolved", "record")
_WAVE_OF = {"none": 1, "renumber": 2, "vrf_split": 2, "nat": 3, "unresolved": 3}

ASSIGNMENT_COLUMNS = [
    ("network", "str"), ("name", "str"), ("kind", "str"), ("department", "str"), ("district", "str"),
    ("target", "str"), ("method", "str"), ("rule", "str"), ("domain_rule", "str"), ("guard", "str"),
    ("ambiguous", "bool"), ("ambiguity_zh", "str"), ("ambiguity_en", "str"),
    ("rationale_zh", "str"), ("rationale_en", "str"),
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


# ---- assignment --------------------------------------------------------------------------------
_TARGET_WORDS = {
    "extranet_admin": L("政务外网行政服务域", "the extranet administrative service domain"),
    "extranet_public": L("政务外网公共服务域", "the extranet public service domain"),
    "extranet_vpn": L("政务外网专用网络区（VRF）", "the extranet dedicated zone (a VRF)"),
    "intranet": L("电子政务内网", "the e-government intranet"),
    "keep": L("保留（受控交换）", "kept outside (controlled exchange)"),
}
_FACT_WORDS = {"classified": L("是否涉密", "classified"), "on_extranet": L("是否已承载于政务外网", "on_extranet"),
               "public_facing": L("是否面向公众", "public_facing"), "purpose": L("用途", "purpose")}


def _fill(template: str, net: dict, lang: str) -> str:
    blank = "用途未填" if lang == "zh" else "purpose not stated"
    vals = {k: _s(net.get(k)) for k in ("name", "purpose", "vertical_ministry", "department", "kind", "network")}
    vals["purpose"] = vals["purpose"] or blank
    vals["name"] = vals["name"] or vals["network"]
    return template.format(**vals)


def _ambiguity(reasons, lang) -> str:
    out = []
    for code, p in reasons:
        if code == "unknown_facts":
            facts = "、".join(_FACT_WORDS.get(f, L(f, f))[lang] for f in p["facts"].split()) if lang == "zh" else \
                ", ".join(_FACT_WORDS.get(f, L(f, f))[lang] for f in p["facts"].split())
            t = _TARGET_WORDS.get(p["target"], L(p["target"], p["target"]))[lang]
            out.append(f"“{facts}”未知，规则{p['rule']}（{t}）可能适用" if lang == "zh" else
                       f"{facts} unknown: rule {p['rule']} ({t}) might apply")
        elif code == "also_matches":
            pairs = list(zip(p["rules"].split(), p["targets"].split()))
            if lang == "zh":
                out.append("同时符合" + "、".join(f"规则{r}（{_TARGET_WORDS[t]['zh']}）" for r, t in pairs))
            else:
                out.append("also matches " + ", ".join(f"rule {r} ({_TARGET_WORDS[t]['en']})" for r, t in pairs))
        elif code == "default_rule":
            out.append("无规则与已知情况相符，按默认规则处理" if lang == "zh" else
                       "no rule matched the known facts; the default rule applied")
        elif code == "classified_guard":
            out.append(f"规则{p['rule']}将涉密网络划入政务外网，已被强制改为内网，请检查规则顺序" if lang == "zh" else
                       f"rule {p['rule']} put a classified network in the extranet; overridden to the intranet: "
                       f"check the rule order")
    return ("；" if lang == "zh" else "; ").join(out)


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


def assign_domains(inv, rules: DomainRules | None = None) -> pd.DataFrame:
    """One row per network to integrate (not an extranet domain, not an internet line): its target
    domain, method, deciding rule, rationale (zh and en) and ambiguity."""
    rules = rules or load_domain_rules()
    numbered = _numbered_lans(inv)
    out = []
    for net in _scope_networks(inv):
        d = decide(rules, net)
        if net["network"] in numbered and d.ambiguous:
            # a LAN the extranet already numbers is not classified (the intranet is never numbered
            # from the extranet plan), and its pools say which domains it serves: unknown
            # 'classified', 'public_facing', 'purpose' and the default rule are not worth a review there
            d.reasons = [(code, p) for code, p in d.reasons
                         if code not in ("default_rule", "unknown_facts")
                         or (code == "unknown_facts"
                             and set(p.get("facts", "").split()) - {"classified", "public_facing", "purpose"})]
            d.ambiguous = bool(d.reasons)
        rule = rules.rule(d.rule)
        rat = {lang: _fill(rule.rationale[lang], net, lang) for lang in ("zh", "en")}
        if d.domain_rule:
            dr = rules.rule(d.domain_rule)
            for lang in ("zh", "en"):
                rat[lang] += (f"接入域由规则{dr.id}确定：" if lang == "zh" else f" Domain from rule {dr.id}: ") + \
                    _fill(dr.rationale[lang], net, lang)
        if d.guard:
            t = rules.rule(d.guard).target if rules.rule(d.guard).target != "chosen" else rules.rule(d.domain_rule).target
            rat["zh"] += (f"但该网络涉密：涉密网络一律不接入政务外网（程序强制，不取决于规则顺序），"
                          f"不按规则{d.guard}划入{_TARGET_WORDS[t]['zh']}，改为纳入电子政务内网，仅登记。")
            rat["en"] += (f" But it is classified: classified networks never join the extranet (enforced in code, "
                          f"whatever the rule order), so instead of {_TARGET_WORDS[t]['en']} (rule {d.guard}) it is "
                          f"recorded for the e-government intranet.")
        out.append({"network": net["network"], "name": net["name"], "kind": net["kind"],
                    "department": net["department"], "district": net["district"], "target": d.target,
                    "method": d.method, "rule": d.rule, "domain_rule": d.domain_rule, "guard": d.guard,
                    "ambiguous": d.ambiguous, "ambiguity_zh": _ambiguity(d.reasons, "zh"),
                    "ambiguity_en": _ambiguity(d.reasons, "en"), "rationale_zh": rat["zh"], "rationale_en": rat["en"]})
    return table(out, ASSIGNMENT_COLUMNS)


# ---- address space -----------------------------------------------------------------------------
def _net(c) -> IPNetwork | None:
    try:
        return IPNetwork(str(c)).cidr
    except Exception:
        return None


def _bounds(c) -> tuple[int, int, int] | None:
    """(version, first, last) of ``_net(c)`` without building it (cached parse), None where _net is None."""
    try:
        return net_bounds(str(c))
    except Exception:
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
    __slots__ = ("blocks", "size")

    def __init__(self, blocks=()):
        self.blocks = list(blocks)
        self.size = sum(b.size for b in self.blocks)

    def iter_cidrs(self) -> list:
        return list(self.blocks)

    def __and__(self, other) -> IPSet:
        return IPSet(self.blocks) & IPSet(other.blocks)


def _network_spaces(inv) -> dict[str, _Space]:
    """{network: the space of its attributed prefixes}, internet-exit addresses left out (they are
    the carrier's, returned or moved by the exit plan, never renumbered into a pool)."""
    exit_keys, exit_space = _exit_keys(inv)
    by_net = defaultdict(list)
    for network, origin, device, interface, prefix, public in tuples(
            inv["prefixes"], ("network", "origin", "device", "interface", "prefix", "public")):
        if not network or origin == "exit":
            continue
        if origin == "interface" and (device, interface) in exit_keys:
            continue
        b = _bounds(prefix)
        if b is None:
            continue
        # (a nullable boolean cell comes as numpy's bool_, or NA: compare by value, not identity)
        if public is not None and public is not pd.NA and bool(public) and _net(prefix) in exit_space:
            continue
        by_net[network].append(b)
    out = {}
    for k, bounds in by_net.items():
        # the canonical blocks of the merged intervals: what an IPSet of the prefixes lists
        blocks = []
        for ver in (4, 6):
            width = _width(ver)
            for first, last in merge_intervals((f, l) for v, f, l in bounds if v == ver):
                blocks.extend(IPNetwork((start, plen), version=ver) for start, plen in _cidr_blocks(first, last, width))
        out[k] = _Space(blocks)
    return out


def _declarations(inv, pools: dict) -> tuple[dict, list]:
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
    for prefix, network, device in tuples(inv["prefixes"], ("prefix", "network", "device")):
        b = _bounds(prefix)
        if b is None:
            continue
        ver, first, last = b
        kind = kinds.get(network, "")
        # (a prefix smaller than every pool covers none)
        declares = smallest_pool is not None and last - first >= smallest_pool and \
            any(pv == ver and first <= pf and pl <= last for _, (pv, pf, pl) in pool_nets) and \
            (kind in DOMAIN_KINDS or not network)
        if declares:
            continue
        existing[ver].append((first, last))
        in_pool = in_pools(ver, first, last)
        if kind in DOMAIN_KINDS or (not network and in_pool):
            dk = kind or next((k for k, (pv, pf, pl) in pool_nets if pv == ver and pf <= first and last <= pl), "")
            used.append((first, last, ver, network, _s(dev_dept.get(device, "")), dk, in_pool))
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
    kept: list = field(default_factory=list)
    moved: list = field(default_factory=list)       # cidrs to renumber or hide behind NAT
    hits: dict = field(default_factory=dict)        # owner -> (owner kind, IPSet overlap)
    segments: dict = field(default_factory=dict)    # LAN cidr -> domain whose pool it was numbered from
    action: str = "none"
    reason: tuple = ()                              # (zh, en)
    block: IPNetwork | None = None
    mapping: list = field(default_factory=list)     # [(old, new)]
    nat_pool: IPNetwork | None = None
    servers: int = 0
    devices: list = field(default_factory=list)
    wave: int | None = None
    group: str = ""
    attach: tuple = ("", "", None, ("", ""))        # (point, path, distance, note zh/en)


@dataclass
class MergeResult:
    """Everything plan_merge computed, as typed tables (the Plan holds the same, labelled)."""
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
    texts: dict = field(default_factory=dict)   # column -> {English prose: (zh, en)}, for the labels


def _interfaces_of(inv) -> dict[str, list]:
    """{network: [(device, interface, ip int, version, prefixlen, address)]} of attributed interface addresses."""
    attr = {}
    for origin, network, device, interface, prefix in tuples(inv["prefixes"], ("origin", "network", "device",
                                                                                "interface", "prefix")):
        if origin == "interface" and network:
            attr[(device, interface, prefix)] = network
    out = defaultdict(list)
    for device, interface, ip, subnet, prefixlen, address in tuples(
            inv["interfaces"], ("device", "interface", "ip", "subnet", "prefixlen", "address")):
        ip, subnet = _s(ip), _s(subnet)
        if not ip or not subnet:
            continue
        net = attr.get((device, interface, subnet))
        if not net:
            continue
        try:
            version, n = ip_int(ip)
        except Exception:
            continue
        plen = int(prefixlen) if not _na(prefixlen) else _width(version)
        out[net].append((device, interface, n, version, plen, _s(address)))
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
    for net, ifaces in interfaces.items():
        for dev, *_ in ifaces:
            if kinds.get(dev_net.get(dev, ""), "") not in EXTRANET_KINDS:
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


def plan_merge(inv, rules: DomainRules | None = None, pools: dict | None = None, snapshot: str = "", *,
               links: pd.DataFrame | None = None, graph=None, vctx: dict | None = None) -> Plan:
    """The merge plan of *inv* as a :class:`~netconsol.render.plans.Plan` (see the module docstring).

    *pools*: ``{domain kind: [CIDR, ...]}``; None = :func:`~netconsol.analyze.overlaps.default_pools`.
    *links*, *graph*, *vctx*: as :func:`merge_tables`.
    """
    rules = rules or load_domain_rules()
    pools = default_pools(inv) if pools is None else pools
    return _document(merge_tables(inv, rules, pools, links=links, graph=graph, vctx=vctx), rules, pools, snapshot)


def merge_tables(inv, rules: DomainRules | None = None, pools: dict | None = None, *,
                 links: pd.DataFrame | None = None, graph=None, vctx: dict | None = None) -> MergeResult:
    """The merge plan's tables (what :func:`plan_merge` labels and exports).

    What the caller may already have computed from *inv*: *links* (:func:`infer_links`),
    *graph* (:func:`build_graph` of *inv* and those links), *vctx* (:func:`vrf_contexts`).
    """
    rules = rules or load_domain_rules()
    if pools is None:
        pools = default_pools(inv)
    pools = {k: sorted({str(n) for n in map(_net, v) if n is not None}, key=lambda c: (IPNetwork(c).version,
                                                                                     IPNetwork(c).first))
             for k, v in sorted(pools.items())}
    assignment = assign_domains(inv, rules)
    nets_tab = {r.network: r for r in rows(inv["networks"], ("network", "vertical_ministry"))}
    spaces = _network_spaces(inv)
    interfaces = _interfaces_of(inv)
    devices = _devices_of(inv, interfaces)
    existing, used = _declarations(inv, pools)
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
        np_ = NetPlan(row=row, space=sp, cidrs=sorted(sp.iter_cidrs(), key=lambda c: (c.version, c.first)))
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
        claimed = _Claims()  # (first, last, version, owner, owner kind, dept, in_pool)
        for k in sorted(targets):
            for n in map(IPNetwork, pools.get(k, [])):
                claimed.append((n.first, n.last, n.version, k, "pool", "", True))
        for u in used:
            if u[5] in targets:
                claimed.append((u[0], u[1], u[2], u[3] or u[5], "domain", u[4], u[6]))
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
        self._starts: dict[tuple[int, int], list] = {}

    def append(self, entry: tuple) -> None:
        first, last, ver = entry[0], entry[1], entry[2]
        k = (last - first).bit_length()
        insort(self._starts.setdefault((ver, k), []), (first, len(self.items)))
        self.items.append(entry)

    def overlapping(self, version: int, a: int, b: int) -> list[tuple]:
        """The entries of *version* sharing an address with [a, b], in claim order."""
        hit = []
        for (ver, k), starts in self._starts.items():
            if ver != version:
                continue
            lo = bisect_left(starts, (a - (1 << k) + 1,))
            hi = bisect_left(starts, (b + 1,))
            for i in range(lo, hi):
                seq = starts[i][1]
                if self.items[seq][1] >= a:
                    hit.append(seq)
        hit.sort()
        return [self.items[i] for i in hit]


def _resolve(np_: NetPlan, claimed: _Claims, pool_sets: dict, key: str, rules: DomainRules, alloc: Allocator,
             interfaces: dict, nat_servers: dict):
    row = np_.row
    is_vrf = key.startswith("vrf:")
    plan_pools = [k for k in sorted(key.removeprefix("plan:").split("+")) if k in pool_sets] \
        if key.startswith("plan:") else []
    for q in np_.cidrs:
        q_first, q_last, q_ver = q.first, q.last, q.version
        # a department LAN numbered from a pool of its plan is a segment the extranet already handed out
        # (town LANs often have one in each domain); it stays in that pool's domain
        seg = next((k for k in plan_pools if alloc.in_pool(k, q_ver, q_first, q_last)), "") \
            if row["kind"] == "lan" else ""
        if seg:
            np_.segments[q] = seg
        lan_in_pool = bool(seg)
        hit = False
        for first, last, ver, owner, okind, odept, in_pool in claimed.overlapping(q_ver, q_first, q_last):
            if okind == "domain" and in_pool and not lan_in_pool:
                continue  # inside a pool: the pool row already says it
            if lan_in_pool and okind == "pool":
                continue
            if lan_in_pool and okind == "domain" and odept in ("", row["department"]):
                continue  # the LAN itself, seen on the department's own extranet device
            ov = IPSet(_span_cidrs(max(first, q_first), min(last, q_last), ver))
            prev = np_.hits.get(owner)
            np_.hits[owner] = (okind, (prev[1] | ov) if prev else ov)
            hit = True
        (np_.moved if hit else np_.kept).append(q)
    nid = row["network"]
    if not np_.cidrs:
        np_.reason = ("清单中没有该网络的地址段：迁移前需补充其地址。",
                      "No address range of this network in the inventory: find its addresses before it moves.")
    if not np_.moved:
        np_.action = "none"
    elif is_vrf:
        np_.action = "vrf_split"
        np_.kept, np_.moved = list(np_.cidrs), []
        np_.reason = ("与同一VRF内的网络地址重叠，为其单独建立VRF（独立RD/RT），无需改址。",
                      "Overlaps a network of the same VRF: it gets a VRF of its own (its own RD/RT); no renumbering.")
        return  # in a VRF of its own it claims nothing here
    else:
        _renumber_or_nat(np_, rules, alloc, interfaces, nat_servers)
    hidden = np_.moved if np_.action in ("nat", "unresolved") else []
    for q in np_.kept + hidden:
        claimed.append((q.first, q.last, q.version, nid, "network", row["department"], False))


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
        over.append((f"需改址设备{len(devs)}台，超过阈值{rules.nat_devices_over}台",
                     f"{len(devs)} devices to readdress, more than {rules.nat_devices_over}"))
    if len(ifaces) > rules.nat_interfaces_over:
        over.append((f"需改址接口地址{len(ifaces)}个，超过阈值{rules.nat_interfaces_over}个",
                     f"{len(ifaces)} interface addresses to change, more than {rules.nat_interfaces_over}"))
    if addresses > rules.nat_addresses_over:
        over.append((f"需迁移地址{addresses:,}个，超过阈值{rules.nat_addresses_over:,}个",
                     f"{addresses:,} addresses to move, more than {rules.nat_addresses_over:,}"))
    if target not in alloc.pools:
        np_.action = "unresolved"
        np_.reason = (f"没有{target}的地址池，无法改址或分配NAT地址池：请在清单中给出该域的地址段。",
                      f"No address pool for {target}: neither renumbering nor a NAT pool is possible; give the "
                      f"domain's ranges in the manifest.")
        return
    forced = row["method"] if row["method"] in ("renumber", "nat") else ""
    if forced == "nat" or (over and forced != "renumber"):
        why = over or [(f"规则{row['rule']}要求NAT", f"rule {row['rule']} asks for NAT")]
        _nat(np_, alloc, nat_servers, rules, ("；".join(z for z, _ in why), "; ".join(e for _, e in why)))
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
        why = (f"地址池{target}已无可用的/{plen}地址块（最大空闲块{largest:,}个地址），改为边界NAT",
               f"pool {target} has no free /{plen} (largest free block {largest:,} addresses): NAT at the edge instead")
        _nat(np_, alloc, nat_servers, rules, why)
        return
    np_.action = "renumber"
    np_.block = block
    offset = 0
    for c in moved:
        new = IPNetwork((block.first + offset, c.prefixlen), version=version)
        np_.mapping.append((c, new))
        offset += c.size
    np_.reason = ((f"改址：分配地址块{block}（{addresses:,}个地址×增长系数{rules.growth_factor}），原地址段按对照表迁入"
                   if margin else f"改址：分配地址块{block}（地址池空间不足，未留增长余量），原地址段按对照表迁入"),
                  (f"renumbered into the allocated block {block} ({addresses:,} addresses × growth "
                   f"{rules.growth_factor}), old prefixes as in the map" if margin else
                   f"renumbered into the allocated block {block} (no room for the growth margin in the pool), old "
                   f"prefixes as in the map"))


def _nat(np_: NetPlan, alloc: Allocator, nat_servers: dict, rules: DomainRules, why: tuple):
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
        np_.reason = (why[0] + f"；地址池{row['target']}连/{plen}的NAT地址池也无法分配，需扩充地址池",
                      why[1] + f"; the pool {row['target']} cannot even hold a /{plen} NAT pool: enlarge the pool")
        return
    np_.action = "nat"
    np_.nat_pool = pool
    np_.reason = (why[0] + f"；在部门边界做NAT，NAT地址池{pool}", why[1] + f"; NAT at the department edge through {pool}")


# ---- conflict rows --------------------------------------------------------------------------------
def _conflict_rows(plans: dict, rules: DomainRules, domain_ids: dict) -> list[dict]:
    import hashlib

    rows = []

    def cid(*parts):
        return "M-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:12]

    def proposal(np_):
        return np_.action if np_.action in ("renumber", "nat", "vrf_split", "unresolved") else "none"

    def detail(np_):
        z, e = np_.reason or ("", "")
        return (f"{np_.row['network']}：{z}" if z else "", f"{np_.row['network']}: {e}" if e else "")

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
                         "acting_network": nid, "_detail": detail(np_)})
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
                         "_detail": detail(actor)})
        else:
            why = _separate_why(pa, pb)
            rows.append({"conflict": cid("pair", a, b), "network": a, "target": pa.row["target"], "other": b,
                         "other_kind": "network", "other_target": pb.row["target"], "scope": "separate",
                         "overlap": _cidrs_text(ov), "addresses": ov.size, "proposal": "separate",
                         "acting_network": "", "_detail": why})
    rows.sort(key=lambda r: (r["network"], r["other_kind"] != "pool", r["other"], r["conflict"]))
    return rows


def _domain_kind(owner, domain_ids):
    for k, ids in domain_ids.items():
        if owner in ids:
            return k
    return owner if owner in DOMAIN_KINDS else ""


def _separate_why(pa: NetPlan, pb: NetPlan) -> tuple:
    def words(p):
        t = p.row["target"]
        return _TARGET_WORDS.get(t, L(t, t))
    a, b = pa.row["network"], pb.row["network"]
    if pa.row["target"] == "extranet_vpn" and pb.row["target"] == "extranet_vpn":
        return (f"{a}与{b}分属不同的专用网络区VRF，地址互不可见，无需改址。",
                f"{a} and {b} are in different dedicated-zone VRFs: their addresses never meet; nothing to change.")
    return (f"{a}（{words(pa)['zh']}）与{b}（{words(pb)['zh']}）不在同一路由域，彼此之间不路由（专用VRF、内网或网闸隔离），无需改址。",
            f"{a} ({words(pa)['en']}) and {b} ({words(pb)['en']}) are not in one routing domain (own VRF, intranet "
            f"or behind a gap): no routing between them; nothing to change.")


# ---- attach points --------------------------------------------------------------------------------
def _attach_points(inv, plans: dict, rules: DomainRules, links: pd.DataFrame, graph=None):
    g = build_graph(inv, links) if graph is None else graph
    adj = defaultdict(set)
    for u, v, data in g.edges(data=True):
        t = data.get("type")
        if t == "link":
            adj[u].add(v)
            adj[v].add(u)
    for n, data in g.nodes(data=True):
        if data.get("type") != "subnet":
            continue
        devs = sorted(x for x, e in g.adj[n].items() if e.get("type") == "address")
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

    def bfs(sources):
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
            np_.attach = (path[-1].removeprefix("device:"), names(path), len(path) - 1, ("", ""))
            continue
        why = (("网络设备在清单中未找到到政务外网PE的链路", "no link from the network's devices to an extranet PE in the inventory")
               if own else ("清单中没有该网络的设备", "no device of this network in the inventory"))
        dept = row["department"]
        ces = ext_by_dept.get(dept, []) if dept else []
        path = bfs(ces) if ces else None
        if path:
            np_.attach = (path[-1].removeprefix("device:"), names(path), None,
                          (why[0] + "；经本部门政务外网设备" + path[0].removeprefix("device:") + "接入",
                           why[1] + "; through the department's extranet device " + path[0].removeprefix("device:")))
            continue
        district = row["district"]
        role = "pe" if district and district != "市直" else "core"
        cands = [d for d, d_district in ext_by_role.get(role, ()) if role == "core" or d_district == district]
        if cands:
            np_.attach = (cands[0], "", None,
                          (why[0] + f"；按所在区县建议接入{cands[0]}" if role == "pe" else
                           why[0] + f"；市直单位，建议接入核心{cands[0]}",
                           why[1] + f"; suggested by district: {cands[0]}" if role == "pe" else
                           why[1] + f"; city level: suggested core {cands[0]}"))
            continue
        np_.attach = ("", "", None, (why[0] + "；不可达", why[1] + "; unreachable"))


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
        advertised = [q for q in np_.kept if q not in np_.segments] + [new for _, new in np_.mapping] + \
            ([np_.nat_pool] if np_.nat_pool else [])
        for o in other:
            for q in advertised:
                q_first, q_last, q_ver = q.first, q.last, q.version
                if o in pool_claims and pool_claims[o].overlapping(q_ver, q_first, q_last):
                    ov = IPSet([q]) & pool_sets.get(o, IPSet())
                    if ov.size:
                        out.append({"check": "prefix_in_other_domain", "network": nid, "target": t, "prefix": str(q),
                                    "_detail": (f"{q}位于{o}地址池内（{_cidrs_text(ov)}）", f"{q} lies in the {o} pool ({_cidrs_text(ov)})")})
                allocs = alloc_by_target.get(o)
                for *_, owner, block in (allocs.overlapping(q_ver, q_first, q_last) if allocs else ()):
                    out.append({"check": "prefix_in_other_domain", "network": nid, "target": t, "prefix": str(q),
                                "_detail": (f"{q}与分配给{owner}（{o}）的{block}重叠",
                                            f"{q} overlaps {block} allocated to {owner} ({o})")})
    # 2. PE/core interfaces facing a network's devices, by VRF
    kinds = dict(tuples(inv["networks"], ("network", "kind")))
    dev = {r.device: r for r in rows(inv["devices"], ("device", "network", "role"))}
    vctx = vrf_contexts(inv) if vctx is None else vctx
    ctx_domain = defaultdict(set)
    for origin, vrf, network, device in tuples(inv["prefixes"], ("origin", "vrf", "network", "device")):
        if origin == "interface" and vrf and network:
            k = kinds.get(network, "")
            label = k if k in DOMAIN_KINDS else f"net:{network}"
            ctx_domain[vctx.get((device, vrf), f"{device}:{vrf}")].add(label)
    iface_vrf = {}
    for device, interface, vrf in tuples(inv["interfaces"], ("device", "interface", "vrf")):
        iface_vrf.setdefault((device, interface), vrf)

    def vrf_domains(d, vrf):
        out = set(ctx_domain.get(vctx.get((d, vrf), f"{d}:{vrf}"), set()))
        for k, names in rules.vrf_names.items():
            if vrf.lower() in names:
                out.add(k)
        return out

    owner_of = {}
    for nid in sorted(plans):
        for d in plans[nid].devices:
            owner_of.setdefault(d, []).append(nid)
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
                                 "_detail": (f"{'涉密网络' if t == 'intranet' else '保留的纵向网络'}{nid}的设备{xd}直接连到政务外网设备{pd_}"
                                             + ("，应物理隔离" if t == "intranet" else "，应经网闸或前置交换服务器"),
                                             f"{'classified' if t == 'intranet' else 'kept'} network {nid}: its device {xd} "
                                             f"is linked to the extranet device {pd_}"
                                             + (": it must be physically isolated" if t == "intranet" else
                                                ": exchange must go through a gap or front-end server"))})
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
                                 "_detail": (f"{pd_} {pi}绑定在VRF {vrf}（{'、'.join(bad)}），而{nid}的目标是{t}：需改绑",
                                             f"{pd_} {pi} is bound to VRF {vrf} ({', '.join(bad)}) but {nid} goes to "
                                             f"{t}: rebind it")})
    # 3. exits whose device carries networks of both domains
    dom_of_net = {nid: plans[nid].row["target"] for nid in plans}
    for nid, k in kinds.items():
        if k in DOMAIN_KINDS:
            dom_of_net[nid] = k
    dev_domains = defaultdict(set)
    for origin, network, device in tuples(inv["prefixes"], ("origin", "network", "device")):
        if origin == "interface" and network and device:
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
                     "_detail": (f"设备{d}同时承载行政服务域和公共服务域，又有互联网出口（{ids}）：行政服务域可能经此出口访问互联网，"
                                 f"应关闭该出口或将其限定在公共服务域",
                                 f"device {d} carries both the administrative and the public domain and has an internet "
                                 f"exit ({ids}): the administrative domain may reach the internet through it; close the "
                                 f"exit or confine it to the public domain")})
    out.sort(key=lambda x: (x["check"], x.get("network", ""), x.get("device", ""), x.get("interface", ""),
                             x.get("prefix", "")))
    return out


# ---- tables ------------------------------------------------------------------------------------------
def _tables(assignment, plans, conflicts, n_conf, waves, isolation, alloc, interfaces) -> MergeResult:
    # prose columns hold the English text; the plan's value labels give it in Chinese
    texts = defaultdict(dict)  # column -> {en text: (zh, en)}

    def text(pair, col):
        zh, en = pair
        if not en and not zh:
            return ""
        texts[col][en] = (zh, en)
        return en

    net_rows, ren_rows, readdr, nat_rows = [], [], [], []
    group_members = defaultdict(list)
    for x in sorted(plans):
        if plans[x].group:
            group_members[plans[x].group].append(x)
    for a in _dict_rows(assignment):
        nid = a["network"]
        np_ = plans[nid]
        mapping = "; ".join(f"{o}→{n}" for o, n in np_.mapping)
        after = list(np_.kept) + [n for _, n in np_.mapping]
        if np_.action in ("nat", "unresolved"):
            after += np_.moved
        after = sorted(after, key=lambda c: (c.version, c.first))
        point, path, dist, note = np_.attach
        net_rows.append({
            "network": nid, "name": a["name"], "kind": a["kind"], "department": a["department"],
            "district": a["district"], "prefixes_before": " ".join(map(str, np_.cidrs)),
            "addresses_before": np_.space.size, "target": a["target"], "method": a["method"],
            "rule": a["rule"], "domain_rule": a["domain_rule"],
            "rationale": text((a["rationale_zh"], a["rationale_en"]), "rationale"), "ambiguous": a["ambiguous"],
            "ambiguity": text((a["ambiguity_zh"], a["ambiguity_en"]), "ambiguity"), "conflicts": n_conf.get(nid, 0),
            "action": np_.action, "renumber_map": mapping,
            "renumbered_addresses": sum(o.size for o, _ in np_.mapping),
            "nat_pool": str(np_.nat_pool) if np_.nat_pool else "", "action_reason": text(np_.reason or ("", ""), "action_reason"),
            "prefixes_after": " ".join(map(str, after)) if a["target"] in EXTRANET_TARGETS else "",
            "attach_point": point if a["target"] in EXTRANET_TARGETS else "",
            "attach_path": path if a["target"] in EXTRANET_TARGETS else "",
            "attach_distance": dist if a["target"] in EXTRANET_TARGETS else None,
            "attach_note": text(note, "attach_note") if a["target"] in EXTRANET_TARGETS else "",
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
                             "reason": text(np_.reason, "reason")})
    conf_rows = []
    for c in conflicts:
        r = {k: v for k, v in c.items() if not k.startswith("_")}
        r["detail"] = text(c["_detail"], "detail")
        conf_rows.append(r)
    iso_rows = []
    for x in isolation:
        r = {k: v for k, v in x.items() if not k.startswith("_")}
        r["detail"] = text(x["_detail"], "detail")
        iso_rows.append(r)
    readdr.sort(key=lambda r: (r["network"], r["device"], r["interface"], r["old_address"]))

    summary = []
    targets = defaultdict(int)
    for r in net_rows:
        targets[r["target"]] += 1
    summary.append({"metric": "networks", "item": "", "value": len(net_rows)})
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
    summary.append({"metric": "conflicts", "item": "", "value": sum(1 for c in conf_rows if c["scope"] != "separate")})
    summary.append({"metric": "separate_overlaps", "item": "", "value": sum(1 for c in conf_rows if c["scope"] == "separate")})
    summary.append({"metric": "ambiguous", "item": "", "value": sum(1 for r in net_rows if r["ambiguous"])})
    summary.append({"metric": "isolation_violations", "item": "", "value": len(iso_rows)})

    return MergeResult(
        assignment=assignment, networks=table(net_rows, NETWORK_COLUMNS), conflicts=table(conf_rows, CONFLICT_COLUMNS),
        renumbering=table(ren_rows, RENUMBER_COLUMNS), readdressing=table(readdr, READDRESS_COLUMNS),
        nat=table(nat_rows, NAT_COLUMNS), waves=table(waves, WAVE_COLUMNS), isolation=table(iso_rows, ISOLATION_COLUMNS),
        summary=table(summary, SUMMARY_COLUMNS), allocations=list(alloc.allocated), texts=dict(texts))


# ---- the plan document ---------------------------------------------------------------------------------
LABELS = {
    "network": L("网络", "network"), "name": L("名称", "name"), "kind": L("网络类别", "kind"),
    "prefixes_before": L("整合前地址段", "prefixes before"), "addresses_before": L("整合前地址数", "addresses before"),
    "target": L("目标域", "target"), "method": L("接入方式", "method"), "rule": L("依据规则", "rule"),
    "domain_rule": L("定域规则", "domain from rule"),
    "rationale": L("理由", "rationale"), "ambiguous": L("需人工确认", "ambiguous"),
    "ambiguity": L("待确认原因", "why ambiguous"), "conflicts": L("地址冲突数", "conflicts"),
    "action": L("地址处置", "address action"), "renumber_map": L("改址对照（旧→新）", "renumber map (old→new)"),
    "renumbered_addresses": L("改址地址数", "renumbered addresses"), "nat_pool": L("NAT地址池", "NAT pool"),
    "action_reason": L("处置说明", "action reason"), "prefixes_after": L("整合后地址段", "prefixes after"),
    "attach_point": L("接入点", "attach point"), "attach_path": L("接入路径", "attach path"),
    "attach_distance": L("跳数", "hops"), "attach_note": L("接入说明", "attach note"),
    "wave": L("迁移批次", "wave"), "moves_with": L("同批联动网络", "moves with"),
    "conflict": L("冲突编号", "conflict"), "other": L("冲突对象", "other side"),
    "other_kind": L("对象类型", "other kind"), "other_target": L("对象所属域", "other side's domain"),
    "scope": L("冲突范围", "scope"), "overlap": L("重叠地址段", "overlap"), "addresses": L("地址数", "addresses"),
    "proposal": L("建议", "proposal"), "acting_network": L("需处置网络", "network that acts"),
    "detail": L("说明", "detail"), "old_prefix": L("原地址段", "old prefix"), "new_prefix": L("新地址段", "new prefix"),
    "block": L("分配地址块", "allocated block"), "old_address": L("原接口地址", "old address"),
    "new_address": L("新接口地址", "new address"), "pool_addresses": L("池地址数", "pool addresses"),
    "exposed_servers": L("对外发布服务器", "exposed servers"), "hidden_prefixes": L("NAT内侧地址段", "prefixes behind NAT"),
    "reason": L("原因", "reason"), "group": L("联动组", "group"), "networks": L("网络", "networks"),
    "count": L("数量", "count"), "actions": L("地址处置", "actions"), "check": L("检查项", "check"),
    "vrf": L("VRF", "VRF"), "metric": L("指标", "metric"), "item": L("分项", "item"), "value": L("数值", "value"),
    "rules": L("规则文件", "rules file"), "pools": L("目标地址池", "target pools"), "snapshot": L("快照", "snapshot"),
}
_VALUES = {
    "target": {k: v for k, v in _TARGET_WORDS.items()},
    "kind": {"gov_private": L("政务专网", "government private network"),
             "business_private": L("业务专网", "business private network"), "lan": L("局域网", "LAN"),
             "intranet": L("电子政务内网", "intranet")},
    "method": {"vrf": L("VRF/MPLS VPN", "VRF / MPLS VPN"), "renumber": L("改址", "renumbering"),
               "nat": L("边界NAT", "NAT at the edge"), "ipsec": L("IPsec/SSL VPN（安全接入平台）", "IPsec/SSL VPN (secure access platform)"),
               "gap": L("网闸/前置服务器", "gap / front-end server"), "frontend": L("前置交换服务器", "front-end exchange server"),
               "record": L("仅登记", "record only")},
    "action": {"none": L("无需改址", "none"), "renumber": L("改址", "renumber"), "nat": L("边界NAT", "NAT"),
               "vrf_split": L("单独建VRF", "own VRF"), "unresolved": L("未解决", "unresolved"),
               "record": L("仅登记", "record only")},
    "scope": {"pool": L("与目标地址池", "with the target pool"), "domain": L("与域内已用地址", "with the domain's used space"),
              "same_plan": L("同一地址规划内", "within one address plan"), "same_vrf": L("同一VRF内", "within one VRF"),
              "separate": L("不同路由域", "separate routing domains")},
    "other_kind": {"pool": L("地址池", "pool"), "domain": L("域网络", "domain network"), "network": L("网络", "network")},
    "check": {"prefix_in_other_domain": L("地址落入另一域", "prefix in the other domain"),
              "vrf_binding": L("PE接口VRF绑定错误", "PE interface in the wrong VRF"),
              "bridged": L("隔离网络直连政务外网", "isolated network linked to the extranet"),
              "exit_both_domains": L("出口同时服务两个域", "exit serving both domains")},
    "metric": {"networks": L("纳入整合的网络", "networks in scope"), "target": L("按目标域", "by target"),
               "wave": L("按迁移批次", "by wave"), "no_wave": L("无批次（保留/内网）", "no wave (kept / intranet)"),
               "action": L("按地址处置", "by address action"),
               "renumbered_addresses": L("改址地址数", "renumbered addresses"),
               "readdressed_interfaces": L("需改接口地址数", "interface addresses to change"),
               "conflicts": L("需处置的地址冲突", "conflicts to resolve"),
               "separate_overlaps": L("不同路由域间的重叠（无需处置）", "overlaps across routing domains (nothing to do)"),
               "ambiguous": L("需人工确认的网络", "networks to confirm by hand"),
               "isolation_violations": L("隔离检查违规", "isolation violations")},
}
_TARGET_LIST = ("extranet_admin", "extranet_public", "extranet_vpn", "intranet", "keep")


def _document(res: MergeResult, rules: DomainRules, pools: dict, snapshot: str) -> Plan:
    values = {k: dict(v) for k, v in _VALUES.items()}
    values["other_target"] = dict(_VALUES["target"])
    values["actions"] = dict(_VALUES["action"])
    values["proposal"] = dict(_VALUES["action"], separate=L("无需处置（路由域隔离）", "nothing (separate routing domains)"))
    item = {t: _TARGET_WORDS[t] for t in _TARGET_LIST}
    item.update({a: v for a, v in _VALUES["action"].items()})
    item.update({str(w): L(f"第{w}批", f"wave {w}") for w in (1, 2, 3)})
    values["item"] = item
    for col, texts in sorted(res.texts.items()):
        values[col] = {en: L(zh, en) for en, (zh, en) in sorted(texts.items())}
    s = res.summary.set_index(["metric", "item"])["value"].to_dict()
    p = {"n": s[("networks", "")], "admin": s[("target", "extranet_admin")], "public": s[("target", "extranet_public")],
         "vpn": s[("target", "extranet_vpn")], "intranet": s[("target", "intranet")], "keep": s[("target", "keep")],
         "w1": s[("wave", "1")], "w2": s[("wave", "2")], "w3": s[("wave", "3")],
         "renumber": s[("action", "renumber")], "nat": s[("action", "nat")], "vrf_split": s[("action", "vrf_split")],
         "unresolved": s[("action", "unresolved")], "addresses": s[("renumbered_addresses", "")],
         "conflicts": s[("conflicts", "")], "separate": s[("separate_overlaps", "")],
         "ambiguous": s[("ambiguous", "")], "violations": s[("isolation_violations", "")],
         "growth": rules.growth_factor, "dev": rules.nat_devices_over, "ifc": rules.nat_interfaces_over,
         "addr": rules.nat_addresses_over}
    sections = [
        Section(L("概要", "Summary"), [
            Text(L("纳入整合的网络 {n} 个：行政服务域 {admin} 个，公共服务域 {public} 个，专用网络区VRF {vpn} 个，"
                   "电子政务内网 {intranet} 个（仅登记），保留受控交换 {keep} 个。",
                   "{n} networks in scope: {admin} to the administrative domain, {public} to the public domain, "
                   "{vpn} as dedicated-zone VRFs, {intranet} recorded for the intranet, {keep} kept outside "
                   "with controlled exchange."), p),
            Text(L("需处置的地址冲突 {conflicts} 处：改址 {renumber} 个网络（共 {addresses:,} 个地址），边界NAT {nat} 个，"
                   "单独建VRF {vrf_split} 个，未解决 {unresolved} 个；不同路由域之间的重叠 {separate} 处无需处置。"
                   "迁移批次：第1批 {w1} 个，第2批 {w2} 个，第3批 {w3} 个。需人工确认 {ambiguous} 个；隔离检查违规 {violations} 项。",
                   "{conflicts} address conflicts to resolve: {renumber} networks renumbered ({addresses:,} addresses), "
                   "{nat} NATed at the edge, {vrf_split} given a VRF of their own, {unresolved} unresolved; {separate} "
                   "overlaps across routing domains need nothing. Waves: {w1} networks in wave 1, {w2} in wave 2, "
                   "{w3} in wave 3. {ambiguous} networks to confirm by hand; {violations} isolation violations."), p),
        ], table="summary"),
        Section(L("各网络整合方案", "Plan per network"), [
            Text(L("目标域由 rules/domains.yaml 的规则依次判定（先符合者为准）；涉密网络一律纳入内网（程序强制）。"
                   "事实缺失（如未填是否涉密）或同时符合多条不同目标的规则时标记为“需人工确认”。",
                   "Targets follow the rules of rules/domains.yaml, first match wins; classified networks always go to "
                   "the intranet (enforced in code). A network is flagged for confirmation when facts are missing "
                   "(e.g. classified left blank) or rules with different targets match."), {}),
        ], table="networks", columns=("network", "name", "department", "prefixes_before", "target", "method", "rule",
                                      "domain_rule", "ambiguous", "conflicts", "action", "renumber_map", "nat_pool",
                                      "attach_point", "attach_path", "wave", "rationale")),
        Section(L("地址冲突与处置建议", "Address conflicts and proposals"), [
            Text(L("行政服务域与公共服务域共用一个地址规划；专用网络区的网络各在自己的VRF中，只与同一VRF内的网络冲突。"
                   "同一规划内按地址空间从大到小依次保留，较小的一方迁移。改址块按迁移地址数×{growth}向上取2的幂并按大小对齐，"
                   "与清单中所有已有地址及其他分配均不重叠；超过阈值（设备{dev}台、接口地址{ifc}个、地址{addr:,}个）"
                   "或地址池不足时改为部门边界NAT。",
                   "The administrative and public domains share one address plan; dedicated-zone networks each live in "
                   "their own VRF and conflict only within it. Within a plan the larger address space keeps its "
                   "addresses and the smaller moves. Renumbered blocks are the moved addresses × {growth}, rounded "
                   "up to a power of two, aligned, and disjoint from every prefix of the inventory and every other "
                   "allocation; past the thresholds ({dev} devices, {ifc} interface addresses, {addr:,} addresses) or "
                   "when the pool has no room, the network is NATed at its edge instead."), p),
        ], table="conflicts"),
        Section(L("改址对照表", "Renumbering map"), table="renumbering"),
        Section(L("接口地址变更清单", "Interface address changes"), table="readdressing"),
        Section(L("边界NAT", "NAT at the department edge"), table="nat"),
        Section(L("迁移批次", "Migration waves"), [
            Text(L("共用设备或存在地址冲突的网络同批迁移；无需改址的先迁（第1批），改址或单独建VRF的第2批，NAT的第3批。",
                   "Networks sharing a device or an address conflict move together; those with nothing to change "
                   "first (wave 1), renumbering or an own VRF in wave 2, NAT in wave 3."), {}),
        ], table="waves"),
        Section(L("隔离检查", "Isolation check"), table="isolation"),
    ]
    titles = {"summary": L("汇总", "Summary"), "networks": L("网络整合", "Networks"),
              "conflicts": L("地址冲突", "Conflicts"), "renumbering": L("改址对照", "Renumbering"),
              "readdressing": L("接口改址", "Interface changes"), "nat": L("边界NAT", "NAT"),
              "waves": L("迁移批次", "Waves"), "isolation": L("隔离检查", "Isolation")}
    tables = {"summary": res.summary, "networks": res.networks, "conflicts": res.conflicts,
              "renumbering": res.renumbering, "readdressing": res.readdressing, "nat": res.nat, "waves": res.waves,
              "isolation": res.isolation}
    meta = {"rules": rules.path.name, "pools": "; ".join(f"{k} {' '.join(v)}" for k, v in sorted(pools.items()))}
    if snapshot:
        meta["snapshot"] = snapshot
    return Plan(name="merge", title=L("专网整合方案", "Private network integration plan"), tables=tables,
                titles=titles, labels=LABELS, values=values, sections=sections, meta=meta).check()
