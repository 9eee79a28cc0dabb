"""Internet exits in configs, decided from evidence (issue 17; the policy: rules/exit_evidence.yaml).

:func:`gather` lists every interface of one parsed device that shows exit-like evidence, with each
piece named (``exit_candidates`` rows, no verdict yet).  :func:`judge` gives each candidate its
verdict from the evidence and what the manifest says about the addresses around it (extranet
networks and their VPN instances, vertical networks, data centres); :func:`judge_rows` does it for
all candidates of a collection and rebuilds the config ``exits`` rows: only verdict ``exit`` is an
exit.  Vendor syntax stays in the parsers (they fill ``interfaces.address_mode``, ``nat``, routes,
BGP); nothing here reads config text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress
from pathlib import Path
from socket import AF_INET, inet_pton

from netaddr import AddrFormatError, IPAddress, IPNetwork, IPSet

from .. import normalize as nz
from ..errors import RulesError
from ..normalize.ipranges import span_is_public
from ..rules import DEFAULT_RULES_DIR, load_yaml

__all__ = ["ExitEvidenceRules", "load_exit_evidence", "Context", "gather", "judge", "judge_rows",
           "VERDICTS", "STRONG"]

VERDICTS = ("exit", "extranet_uplink", "vertical_uplink", "management", "dc_internal", "private_next_hop", "review")
STRONG = ("public-address", "cgnat-address", "dialer", "dhcp-client")
PATH = ("default-route", "nat-outbound", "ebgp-carrier")
# what makes an interface a candidate at all (a static route alone does not: internal routing)
CANDIDATE = STRONG + PATH + ("carrier-description",)
_CGNAT = IPNetwork("100.64.0.0/10")
_DEFAULTS = ("0.0.0.0/0", "::/0")
_EXTRANET_KINDS = ("extranet_admin", "extranet_public", "extranet_vpn")


@dataclass(frozen=True)
class ExitEvidenceRules:
    path: str
    management_vrfs: frozenset
    datacentre_words: tuple

    def is_management_vrf(self, vrf: str) -> bool:
        return bool(vrf) and vrf.lower() in self.management_vrfs

    def is_datacentre(self, *texts) -> bool:
        """Whether a text names a data centre: an ASCII word as a whole word of the lowercased
        text, any other word (数据中心) anywhere in it."""
        ascii_words, other_words = self._datacentre_matchers
        for t in texts:
            if not t:
                continue
            if ascii_words is not None and ascii_words.search(t.lower()):
                return True
            if any(w in t for w in other_words):
                return True
        return False

    @cached_property
    def _datacentre_matchers(self):
        """(one compiled pattern of every ASCII word, or None; the other words): the pattern
        matches where any one word would, between the same boundaries."""
        ascii_words = [w for w in self.datacentre_words if w.isascii()]
        pattern = None
        if ascii_words:
            pattern = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, ascii_words)) + r")(?![a-z0-9])")
        return pattern, tuple(w for w in self.datacentre_words if not w.isascii())


_CACHE: dict = {}


def load_exit_evidence(path=None) -> ExitEvidenceRules:
    """The policy of rules/exit_evidence.yaml, checked (errors name the file and the key)."""
    path = Path(path) if path else DEFAULT_RULES_DIR / "exit_evidence.yaml"
    key = str(path)
    if key in _CACHE:
        return _CACHE[key]
    data = load_yaml(path)
    known = {"management_vrfs", "datacentre_words"}
    for k in data:
        if k not in known:
            raise RulesError(f"{path}: unknown key {k!r}; known: {', '.join(sorted(known))}")

    def words(k):
        v = data.get(k, [])
        if not isinstance(v, list) or not all(isinstance(x, (str, int)) and str(x).strip() for x in v):
            raise RulesError(f"{path}: {k}: expected a list of words, got {v!r}")
        return [str(x).strip() for x in v]

    rules = ExitEvidenceRules(path=str(path), management_vrfs=frozenset(w.lower() for w in words("management_vrfs")),
                              datacentre_words=tuple(words("datacentre_words")))
    _CACHE[key] = rules
    return rules


# ---- evidence ----------------------------------------------------------------------------------
def _addr(text):
    try:
        return IPAddress(text)
    except (AddrFormatError, ValueError, TypeError):
        return None


def _net(text):
    try:
        return IPNetwork(text)
    except (AddrFormatError, ValueError, TypeError):
        return None


_CGNAT_SPAN = (4, _CGNAT.first, _CGNAT.last)
_WIDTH = {4: 32, 6: 128}
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_DOTTED = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}")   # canonical dotted quad: inet_pton reads every one


def _ip(text):
    """(version, integer) of an address text, or None where :func:`_addr` gives None.  A plain
    dotted quad (what the parsers write) is read in C; anything else through netaddr."""
    if ":" not in text and _DOTTED.fullmatch(text):
        return 4, int.from_bytes(inet_pton(AF_INET, text), "big")
    # not a canonical dotted quad: netaddr reads it, or says it is not one
    a = _addr(text)
    return None if a is None else (a.version, a.value)


def _span(text):
    """(version, first, last, text as netaddr writes it) of a network text, or None where
    :func:`_net` gives None.  A canonical 'a.b.c.d/n' (every subnet a parser writes) is computed
    here, its text unchanged (inet_pton takes only canonical quads, and n is written plainly);
    anything else through netaddr."""
    addr, slash, plen = text.partition("/")
    if slash and ":" not in addr and plen.isdigit() and len(plen) <= 2 and plen == str(int(plen)) \
            and int(plen) <= 32:
        try:
            v = int.from_bytes(inet_pton(AF_INET, addr), "big")
        except OSError:
            v = None
        if v is not None:
            size = 1 << (32 - int(plen))
            first = v & ~(size - 1) & 0xFFFFFFFF
            return 4, first, first + size - 1, text
    n = _net(text)
    return None if n is None else (n.version, n.first, n.last, str(n))


def _is_null(name: str) -> bool:
    return name.lower().startswith("null")


def gather(device: str, rows, carriers, source: str) -> list[dict]:
    """``exit_candidates`` rows (verdict blank) for the interfaces of *device* in *rows*."""
    ifaces = [r for r in rows["interfaces"] if r["device"] == device]
    by_name: dict[str, list] = {}
    for r in ifaces:
        by_name.setdefault(r["interface"], []).append(r)
    nets = []  # (version, first, last, interface, vrf): integers, not netaddr objects (a province's
    spans = {}  # 100,000 interfaces cost a second of netaddr parsing in gather alone)
    for r in ifaces:
        sub = r.get("subnet")
        n = spans[id(r)] = _span(sub) if sub else None
        if n is not None:
            nets.append((n[0], n[1], n[2], r["interface"], r.get("vrf", "") or ""))
    vrf_of = {name: (rs[0].get("vrf", "") or "") for name, rs in by_name.items()}
    dynamic_in = {}   # vrf -> interfaces whose address is learnt (DHCP / PPP)
    for name, rs in by_name.items():
        if rs[0].get("address_mode"):
            dynamic_in.setdefault(vrf_of[name], []).append(name)

    # the subnets by (family, prefix length) and network number: a next hop or neighbor is looked up
    # once per prefix length present, not against every subnet (a PE's hundreds of subinterfaces
    # times its hundreds of BGP neighbors made this a third of collecting its config)
    index: dict = {}

    def containing(addr: str, vrf: str | None) -> str:
        """The first interface (in *ifaces* order) whose subnet holds *addr*, in *vrf* (None: any)."""
        a = _ip(addr)
        if a is None:
            return ""
        if not index and nets:
            for pos, (nv, first, last, name, v) in enumerate(nets):
                shift = (last - first + 1).bit_length() - 1      # subnets are CIDR-aligned
                index.setdefault((nv, shift), {}).setdefault(first >> shift, []).append((pos, name, v))
        version, value = a
        best = None
        for (nv, shift), table in index.items():
            if nv != version:
                continue
            for pos, name, v in table.get(value >> shift, ()):
                if vrf is None or v == vrf:
                    if best is None or pos < best[0]:
                        best = (pos, name)
                    break
        return best[1] if best else ""

    evidence: dict[str, list] = {}
    hops: dict[str, list] = {}
    carrier_of: dict[str, str] = {}

    def add(name, piece):
        evidence.setdefault(name, [])
        if piece not in evidence[name]:
            evidence[name].append(piece)

    for rt in rows["routes"]:
        if rt["device"] != device:
            continue
        vrf = rt.get("vrf", "") or ""
        nh = rt.get("next_hop", "") or ""
        name = rt.get("interface", "") or ""
        if name and (_is_null(name) or name not in by_name):
            continue
        if not name and nh:
            # the connected subnet in the route's VRF; else any VRF; else the one interface of that VRF
            # whose address is learnt (DHCP / PPP): its subnet comes at run time
            name = containing(nh, vrf) or containing(nh, None)
            if not name and len(dynamic_in.get(vrf, ())) == 1:
                name = dynamic_in[vrf][0]
        if not name:
            continue
        add(name, "default-route" if rt.get("prefix") in _DEFAULTS else "static-route")
        if nh:
            hops.setdefault(name, [])
            if nh not in hops[name]:
                hops[name].append(nh)
    nat_ifs = {r.get("interface") for r in rows["nat"] if r["device"] == device
               and r.get("kind") in ("outbound", "inside_source") and r.get("interface")}
    for b in rows["bgp"]:
        if b["device"] != device or not b.get("ebgp") or b.get("remote_as") in (None, ""):
            continue
        try:
            c = carriers.by_asn(int(b["remote_as"]))
        except (TypeError, ValueError):
            c = ""
        if c:
            name = containing(b["neighbor"], b.get("vrf", "") or "") or containing(b["neighbor"], None)
            if name:
                add(name, "ebgp-carrier")
                carrier_of.setdefault(name, c)
    out = []
    for name in sorted(by_name):
        rs = by_name[name]
        first = rs[0]
        if any(r.get("nat") in ("outside", "outbound") for r in rs) or name in nat_ifs:
            add(name, "nat-outbound")
        public = []
        for r in rs:
            n = spans[id(r)]
            if n is None or first.get("kind") == "loopback":
                continue
            version, lo, hi, text = n
            if version == 4 and _CGNAT_SPAN[1] <= lo and hi <= _CGNAT_SPAN[2]:
                add(name, "cgnat-address")
                public.append(text)
            elif span_is_public(version, lo, hi):
                add(name, "public-address")
                public.append(text)
        mode = first.get("address_mode") or ""
        if mode == "ppp":
            add(name, "dialer")
        elif mode == "dhcp":
            add(name, "dhcp-client")
        desc = first.get("description", "") or ""
        c = carriers.find_in_text(desc) if desc else ""
        if c:
            add(name, "carrier-description")
            carrier_of.setdefault(name, c)
        ev = evidence.get(name, [])
        if not any(p in CANDIDATE for p in ev):
            continue
        order = {p: i for i, p in enumerate(("public-address", "cgnat-address", "dialer", "dhcp-client",
                                             "default-route", "static-route", "nat-outbound", "ebgp-carrier",
                                             "carrier-description"))}
        out.append({
            "device": device, "interface": name, "vrf": first.get("vrf", "") or "",
            "address": " ".join(r["address"] for r in rs if r.get("address")),
            "address_mode": mode, "next_hops": " ".join(hops.get(name, [])),
            "public_range": " ".join(sorted(set(public))), "carrier": carrier_of.get(name, ""),
            "evidence": " ".join(sorted(ev, key=order.get)), "verdict": "", "reason": "", "exit": "",
            "source": source, "location": first.get("location", ""),
        })
    return out


# ---- verdict -----------------------------------------------------------------------------------
@dataclass
class Context:
    """What the manifest says about address space: network id -> kind, and lookups."""
    networks: list = field(default_factory=list)      # (IPSet, id, kind, vertical, datacentre)
    vrfs: dict = field(default_factory=dict)          # (device, vrf) -> (id, kind, vertical, datacentre)
    device_network: dict = field(default_factory=dict)  # device -> (id, kind, vertical, datacentre)

    @classmethod
    def from_manifest(cls, manifest, rules: ExitEvidenceRules) -> "Context":
        ctx = cls()
        if manifest is None:
            return ctx
        info = {}
        for n in manifest.networks:
            vertical = n.get("kind") == "business_private" or bool(n.get("vertical_ministry"))
            dc = rules.is_datacentre(n.get("id", ""), n.get("name", ""), n.get("purpose", ""), n.get("tags", ""))
            info[n["id"]] = (n["id"], n.get("kind", ""), vertical, dc)
            ps = IPSet()
            for p in n.get("prefixes") or ():
                net = _net(p)
                if net is not None:
                    ps.add(net)
            ctx.networks.append((ps, *info[n["id"]]))
            for dev, vrf in n.get("vrfs") or ():
                ctx.vrfs[(dev, vrf)] = info[n["id"]]
        for host, d in manifest.devices.items():
            if d.get("network") in info:
                ctx.device_network[host] = info[d["network"]]
        for n in manifest.networks:
            for host in n.get("devices") or ():
                ctx.device_network.setdefault(host, info[n["id"]])
        return ctx

    def network_of(self, addr_or_net):
        """(id, kind, vertical, datacentre) of the smallest manifest network holding it, or None
        (the first such network in manifest order on a tie).

        An address or network is in an IPSet when one of the set's CIDRs holds it whole (what
        ``IPSet.__contains__`` checks, one supernet at a time): looked up here in an index of
        every network's CIDRs by prefix length, not by asking each network's set in turn (a
        province's 2,400 networks made that 20 s of a collection)."""
        if not isinstance(addr_or_net, (IPAddress, IPNetwork)):
            return self._network_of_by_sets(addr_or_net)
        index = self._cidr_index()
        version = addr_or_net.version
        if isinstance(addr_or_net, IPAddress):
            first, plen = int(addr_or_net), _WIDTH[version]
        else:
            first, plen = addr_or_net.first, addr_or_net.prefixlen
        found = set()
        for length, shift, table in index.get(version, ()):
            if length <= plen:
                hit = table.get(first >> shift)
                if hit:
                    found.update(hit)
        if not found:
            return None
        best = min(found, key=lambda i: (self._sizes[i], i))
        return tuple(self.networks[best][1:])

    def _network_of_by_sets(self, addr_or_net):
        best, size = None, None
        for ps, *rest in self.networks:
            if addr_or_net in ps:
                s = ps.size
                if size is None or s < size:
                    best, size = tuple(rest), s
        return best

    def _cidr_index(self) -> dict:
        """{version: [(prefix length, shift, {CIDR's first address >> shift: [network positions]})]}."""
        index = self.__dict__.get("_index")
        if index is None or self.__dict__.get("_indexed") != len(self.networks):
            by_len: dict = {}
            self._sizes = [ps.size for ps, *_ in self.networks]
            for i, (ps, *_rest) in enumerate(self.networks):
                for cidr in ps.iter_cidrs():
                    shift = _WIDTH[cidr.version] - cidr.prefixlen
                    by_len.setdefault((cidr.version, cidr.prefixlen, shift), {}) \
                        .setdefault(cidr.first >> shift, []).append(i)
            index = {}
            for (version, plen, shift), table in sorted(by_len.items()):
                index.setdefault(version, []).append((plen, shift, table))
            self.__dict__["_index"], self.__dict__["_indexed"] = index, len(self.networks)
        return index


def _role(net) -> str:
    if net is None:
        return ""
    _id, kind, vertical, dc = net
    if kind in _EXTRANET_KINDS:
        return "extranet"
    if vertical:
        return "vertical"
    if dc:
        return "dc"
    return "known"


def judge(c: dict, ctx: Context, rules: ExitEvidenceRules, kind: str = "", subnets=()) -> tuple[str, str]:
    """(verdict, reason) of one candidate; *kind* and *subnets*: its interface's kind and subnets.
    See rules/exit_evidence.yaml for the order."""
    ev = set(c["evidence"].split())
    vrf = c["vrf"]
    if rules.is_management_vrf(vrf):
        return "management", f"in management VRF {vrf!r}"
    if kind == "management":
        return "management", "management port"
    # the manifest's networks around the interface: its VRF, its subnets, its next hops
    around = []   # (role, what, network id)
    v = ctx.vrfs.get((c["device"], vrf)) if vrf else None
    if v is not None:
        around.append((_role(v), f"VRF {vrf}", v[0]))
    for s in subnets:
        n = _net(s)
        net = ctx.network_of(n) if n is not None else None
        if net is not None:
            around.append((_role(net), s, net[0]))
    hop_roles = []
    for h in c["next_hops"].split():
        a = _addr(h)
        if a is None:
            continue
        net = ctx.network_of(a)
        role = _role(net)
        if net is not None:
            around.append((role, f"next hop {h}", net[0]))
        hop_roles.append((h, a, role))
    for want, verdict in (("extranet", "extranet_uplink"), ("vertical", "vertical_uplink")):
        for role, what, nid in around:
            if role == want:
                return verdict, f"{what} in network {nid}"
    # public addresses inside a manifest network (an extranet numbered in public-looking space)
    # are not the internet's
    public = [p for p in c["public_range"].split() if ctx.network_of(_net(p)) is None] if c["public_range"] else []
    strong = {p for p in ev & set(STRONG) if p not in ("public-address", "cgnat-address")}
    if public:
        strong |= {"cgnat-address" if _net(p) in _CGNAT else "public-address" for p in public}
    path = ev & set(PATH)
    if strong and path:
        return "exit", " + ".join(sorted(strong)) + " with " + " + ".join(sorted(path))
    if strong:
        return "review", " + ".join(sorted(strong)) + " without a route, NAT or eBGP out of it"
    defaults = "default-route" in ev
    private_hops = [(h, role) for h, a, role in hop_roles if not nz.is_public(str(a))]
    if any(role == "dc" for _h, role in private_hops) or (
            defaults and private_hops and _role(ctx.device_network.get(c["device"])) == "dc"):
        return "dc_internal", "default to a private next hop of a data-centre network"
    if defaults and not c["address"] and not c["address_mode"] and not c["next_hops"]:
        return "review", "default route out of an interface with no address: far end unknown"
    if defaults and "nat-outbound" in ev and private_hops and all(role == "" for _h, role in private_hops):
        return "review", "default route with NAT to a private next hop of no known network (broadband behind a modem?)"
    if private_hops:
        return "private_next_hop", "route to a private next hop " + " ".join(h for h, _r in private_hops)
    if hop_roles:
        return "review", "route to a public next hop from an interface without a public address"
    return "review", "weak evidence only (" + " + ".join(sorted(ev)) + ")"


def judge_rows(rows, manifest=None, rules: ExitEvidenceRules | None = None) -> None:
    """Verdicts for every ``exit_candidates`` row of *rows*; config ``exits`` rebuilt from them.

    Sheet exits are left as they are.  Exits keep their ids (``C-DEVICE:INTERFACE``)."""
    rules = rules or load_exit_evidence()
    ctx = Context.from_manifest(manifest, rules)
    devices = {d["device"]: d for d in rows["devices"]}
    wanted = {(c["device"], c["interface"]) for c in rows["exit_candidates"]}
    facts: dict = {}
    for r in rows["interfaces"]:
        k = (r["device"], r["interface"])
        if k in wanted:
            f = facts.setdefault(k, [r.get("kind", "") or "", []])
            if r.get("subnet"):
                f[1].append(r["subnet"])
    cols = getattr(rows, "columns", {}).get("interfaces")
    if cols:    # gathered column by column (collect): the same facts, in the same order
        keys = list(zip(cols["device"], cols["interface"]))
        # the candidates' interface rows picked in C (a few thousand of a province's 140,000)
        for i in compress(range(len(keys)), map(wanted.__contains__, keys)):
            f = facts.setdefault(keys[i], [cols["kind"][i] or "", []])
            if cols["subnet"][i]:
                f[1].append(cols["subnet"][i])
    exits = [e for e in rows["exits"] if e.get("origin") != "config"]
    for c in rows["exit_candidates"]:
        kind, subnets = facts.get((c["device"], c["interface"]), ("", []))
        c["verdict"], c["reason"] = judge(c, ctx, rules, kind, subnets)
        d = devices.get(c["device"], {})
        c["department"], c["district"] = d.get("department", "") or "", d.get("district", "") or ""
        if c["verdict"] != "exit":
            c["exit"] = ""
            continue
        c["exit"] = f"C-{c['device']}:{c['interface']}"
        public = c["public_range"].split()
        exits.append({
            "exit": c["exit"], "origin": "config", "device": c["device"], "interface": c["interface"],
            "public_range": c["public_range"],
            "public_ips": sum(IPNetwork(p).size for p in public) or None,
            "carrier": c["carrier"], "carrier_known": bool(c["carrier"]) or None,
            "address_mode": "dynamic" if c["address_mode"] else "static",
            "evidence": c["evidence"], "source": c["source"], "location": c["location"],
            "department": c["department"], "district": c["district"], "town": d.get("town", "") or "",
            "attributed_by": d.get("attributed_by", "") if c["department"] else "",
        })
    rows.tables["exits"] = exits
