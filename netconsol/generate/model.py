"""The generated city as plain objects: districts, departments, networks, devices, exits.

:func:`plan` builds the whole case from a seeded ``random.Random``; nothing here
writes files (see :mod:`.configs`, :mod:`.sheets`, :mod:`.truth`).  Every
address is an int; every choice is drawn from the one rng in a fixed order, so a
seed gives one case.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import places as P
from .addressing import DOC_BLOCKS, Allocator, Registry, cidr, parse, size

__all__ = ["GenerateError", "Sizes", "resolve_sizes", "plan", "World", "Device", "Iface", "Exit"]

try:
    from ..errors import NetconsolError
except ImportError:  # pragma: no cover - the package always has errors.py
    NetconsolError = Exception


class GenerateError(NetconsolError, ValueError):
    """Sizes the generator cannot honour; the message names the size and the limit."""


EXTRANET_AS = 65010
TOWN_AS = 65100
CUTOFF = "2027-06-30"          # exits whose contract ends after this date are kept until then
EXIT_CAP_BY_SCALE = 100        # documentation space (3 x /24) holds about this many exits
PROVINCE_LAN_PLEN = 26         # town/department LANs shrink from /24 when the pools would pass /12


# ----------------------------------------------------------------------------------------------
@dataclass
class Sizes:
    districts: int
    towns_per_district: int | None
    departments: int
    district_departments: int
    private_networks: int
    exits: int
    devices: int | None
    unconnected_towns: int | None

    def as_dict(self):
        return dict(self.__dict__)


SIZE_KEYS = ("districts", "towns_per_district", "departments", "district_departments", "private_networks",
             "exits", "devices", "unconnected_towns")


def resolve_sizes(scale: float, sizes: dict, base_districts: int = 6) -> Sizes:
    """Sizes from *scale* (relative to the demo) and explicit *sizes*; *base_districts*: the city
    profile's own district count (the default at scale 1)."""
    unknown = sorted(set(sizes) - set(SIZE_KEYS))
    if unknown:
        raise GenerateError(f"unknown size {unknown[0]!r}; known sizes: {', '.join(SIZE_KEYS)}")
    if not scale or scale <= 0:
        raise GenerateError(f"scale must be > 0, got {scale!r}")
    for k, v in sizes.items():
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or v < 0):
            raise GenerateError(f"size {k}={v!r} must be a whole number >= 0")

    def get(key, default):
        v = sizes.get(key)
        return default if v is None else v

    s = Sizes(
        districts=get("districts", max(1, round(base_districts * scale))),
        towns_per_district=sizes.get("towns_per_district"),
        departments=get("departments", max(1, min(40, round(40 * scale)))),
        district_departments=get("district_departments", P.BASE_DISTRICT_BUREAUS),
        private_networks=get("private_networks", round(12 * scale)),
        exits=get("exits", min(round(30 * scale), EXIT_CAP_BY_SCALE)),
        devices=sizes.get("devices"),
        unconnected_towns=sizes.get("unconnected_towns"),
    )
    if s.districts < 1:
        raise GenerateError("districts must be >= 1")
    if s.departments > len(P.CITY_DEPARTMENTS):
        raise GenerateError(f"departments={s.departments}: at most {len(P.CITY_DEPARTMENTS)} city-level departments "
                            f"have names; grow districts (each brings district departments) instead")
    if not 1 <= s.district_departments <= len(P.DISTRICT_BUREAUS):
        raise GenerateError(f"district_departments={s.district_departments}: between 1 and {len(P.DISTRICT_BUREAUS)}")
    if s.towns_per_district is not None and s.towns_per_district < 1:
        raise GenerateError("towns_per_district must be >= 1")
    return s


# ----------------------------------------------------------------------------------------------
@dataclass
class Iface:
    name: str
    desc: str = ""
    addrs: list = field(default_factory=list)      # [(ip int, prefix length)], first = primary
    vrf: str = ""
    vlan: int = 0
    nat: str = ""                                  # outbound (VRP/Comware) | inside | outside (IOS)
    acl: int = 0
    nat_servers: list = field(default_factory=list)  # (global ip, global port, inside ip, inside port)
    shutdown: bool = False
    network: str = ""                              # network id its addresses belong to
    vrrp: list = field(default_factory=list)       # (vrid, virtual ip int)


@dataclass
class Device:
    host: str
    platform: str        # vrp, comware, ios, junos
    model: str
    role: str            # core, pe, access, ce, router
    department: str
    district: str = ""
    town: str = ""
    network: str = ""
    site: str = ""
    encoding: str = "utf-8"
    group: str = ""      # folder under configs/
    ifaces: list = field(default_factory=list)
    vrfs: list = field(default_factory=list)       # (name, rd, rt, description)
    routes: list = field(default_factory=list)     # (vrf, net, plen, next hop, description)
    bgp_as: int = 0
    router_id: int = 0
    peers: list = field(default_factory=list)      # (vrf, ip, remote as, ibgp via loopback)
    acls: list = field(default_factory=list)       # (number, [(net, plen)])
    nat_overload: tuple = ()                       # IOS: (acl, interface)
    mgmt: tuple = ()                               # (ntp server, syslog server)
    ports: int = 0

    @property
    def vendor(self):
        return {"vrp": "huawei", "comware": "h3c", "ios": "cisco", "junos": "juniper"}[self.platform]

    @property
    def path(self):
        return f"configs/{self.group}/{self.host}.cfg"

    def phys(self) -> str:
        """Next free physical port, named as this platform and model name them."""
        k = self.ports
        self.ports += 1
        if self.platform == "vrp":
            if self.role in ("core", "pe"):
                return f"GigabitEthernet{1 + k // 24}/0/{k % 24}"
            return f"GigabitEthernet0/0/{k}"
        if self.platform == "comware":
            return f"GigabitEthernet0/{k}" if self.role != "core" else f"GigabitEthernet1/0/{k + 1}"
        if self.platform == "ios":
            return f"GigabitEthernet0/{k}"
        return f"ge-0/0/{k}"

    def lan_name(self, vlan: int) -> str:
        if self.platform == "vrp":
            return f"Vlanif{vlan}"
        if self.platform == "comware":
            return f"Vlan-interface{vlan}"
        return self.phys()

    def loopback(self) -> str:
        return {"vrp": "LoopBack0", "comware": "LoopBack0", "ios": "Loopback0", "junos": "lo0"}[self.platform]

    def add(self, name, desc="", addrs=(), vrf="", vlan=0, network="", **kw) -> Iface:
        i = Iface(name, desc, list(addrs), vrf, vlan, network=network, **kw)
        self.ifaces.append(i)
        return i


@dataclass
class Exit:
    id: str = ""
    department: str = ""
    district: str = ""
    town: str = ""
    carrier: str = ""
    carrier_known: bool = True
    bandwidth_mbps: float | None = None
    fee_yuan_year: float | None = None
    public_range: str = ""
    contract_end: str = ""
    mandated_by: str = ""
    access_type: str = "fiber_dia"
    services: str = ""
    peak_util: float | None = None
    seen_in: str = "sheet"
    disagreements: list = field(default_factory=list)
    sheet_values: dict = field(default_factory=dict)
    device: str = ""
    interface: str = ""
    evidence: list = field(default_factory=list)
    sheet: dict = field(default_factory=dict)   # file, sheet, row (filled by the sheet writer)
    model: str = ""
    sheet_device: str = ""
    sheet_blank: list = field(default_factory=list)   # fields the sheet row leaves empty
    note: str = ""
    address_mode: str = "static"                      # dynamic: the sheet says 动态地址, 拨号, DHCP...

    @property
    def disposition(self):
        if self.mandated_by:
            return "keep_mandated"
        if self.contract_end and self.contract_end > CUTOFF:
            return "keep_until_contract_end"
        return "migrate"


@dataclass
class World:
    seed: int
    scale: float
    sizes: Sizes
    districts: list = field(default_factory=list)     # dicts: name code slug prefix towns[...]
    departments: list = field(default_factory=list)   # dicts: name code aliases district connected level
    networks: list = field(default_factory=list)      # dicts (manifest + truth fields)
    devices: list = field(default_factory=list)
    exits: list = field(default_factory=list)
    pools: dict = field(default_factory=dict)
    planted_overlaps: list = field(default_factory=list)   # (network a, network b)
    duplicate_ips: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    lan_rows: dict = field(default_factory=dict)      # district ('' = city) -> [row dicts]
    P: P.CityProfile = P.PROFILES[P.DEFAULT_PROFILE]  # the city: name, divisions, seat
    candidates: list = field(default_factory=list)    # exit candidates planted (dicts, see truth.py)
    topology: dict = field(default_factory=dict)      # planted reused LANs, shut stubs, VRRP pairs
    rooms: list = field(default_factory=list)         # server rooms (机房) for the sheets

    def dept(self, name):
        return self._dept_index[name]


# ----------------------------------------------------------------------------------------------
_COMBOS2 = [(a, b) for a in P.SYLLABLES for b in P.SYLLABLES if a[0] != b[0]]
_COMBOS3 = [(a, b, c) for a in P.SYLLABLES for b in P.SYLLABLES for c in P.SYLLABLES
            if a[0] != b[0] and b[0] != c[0]]


def _unique_names(rng, count, suffixes, taken):
    """*count* fictitious names from syllable pairs (then triples), with pinyin and initials, avoiding *taken*."""
    out = []
    pool = _COMBOS2 if len(taken) + count < len(_COMBOS2) // 2 else _COMBOS3
    while len(out) < count:
        parts = pool[rng.randrange(len(pool))]
        suffix = suffixes[len(out) % len(suffixes)] if isinstance(suffixes, tuple) else suffixes
        name = "".join(p[0] for p in parts) + suffix
        if name in taken:
            continue
        taken.add(name)
        out.append((name, "".join(p[1] for p in parts), "".join(p[1][0] for p in parts).upper()))
    return out


def _build_districts(w: World, rng):
    n = w.sizes.districts
    tpd = w.sizes.towns_per_district
    # a second city's made-up names avoid the demo's (its plans are checked for demo place names)
    others = set().union(*(x.place_names() for x in P.PROFILES.values() if x.key != w.P.key))
    taken = {d[0] for d in w.P.districts} | others
    prefixes = {d[3] for d in w.P.districts}
    slugs = {d[2] for d in w.P.districts}
    real = list(w.P.districts[:n])
    synthetic = _unique_names(rng, max(0, n - len(real)), ("区", "区", "县", "市"), taken)
    for i in range(n):
        if i < len(real):
            name, code, slug, prefix, towns = real[i]
            towns = [(t, ini) for t, ini in towns]
        else:
            name, slug, prefix = synthetic[i - len(real)]
            code = ""
            base, k = slug, 2
            while slug in slugs:            # 清河 and 青和 are both qinghe
                slug, k = f"{base}{k}", k + 1
            slugs.add(slug)
            base, k = prefix, 2
            while prefix in prefixes:
                prefix, k = f"{base}{k}", k + 1
            prefixes.add(prefix)
            towns = []
        want = tpd if tpd is not None else (len(towns) if towns else rng.randint(6, 14))
        towns = towns[:want]
        if len(towns) < want:
            t_taken = {t for t, _ in towns} | others
            inis = {ini for _, ini in towns}
            nstreets = 0 if towns else max(1, want // 4)
            for j, (tname, _, ini) in enumerate(
                    _unique_names(rng, want - len(towns), "镇", t_taken)):
                if j < nstreets:
                    t_taken.discard(tname)
                    tname = tname[:-1] + "街道"
                base, k = ini, 2
                while ini in inis:
                    ini, k = f"{base}{k}", k + 1
                inis.add(ini)
                towns.append((tname, ini))
        w.districts.append(dict(name=name, code=code, slug=slug, prefix=prefix,
                                towns=[dict(name=t, initials=ini, connected=True, district=name) for t, ini in towns]))
    # remote towns without an extranet line: never a 街道 (street), never a district's first town
    # (a street only when there are not enough towns to choose from)
    towns = [t for d in w.districts for t in d["towns"][1:] if not t["name"].endswith("街道")]
    streets = [t for d in w.districts for t in d["towns"][1:] if t["name"].endswith("街道")]
    want = w.sizes.unconnected_towns
    if want is None:
        want = round(sum(len(d["towns"]) for d in w.districts) * 0.06)
    if want > len(towns) + len(streets):
        raise GenerateError(f"unconnected_towns={want}: only {len(towns) + len(streets)} towns can be left "
                            f"unconnected (each district keeps its first town on the extranet)")
    chosen = rng.sample(towns, min(want, len(towns)))
    chosen += rng.sample(streets, want - len(chosen))
    for t in chosen:
        t["connected"] = False


def _town_gov(town: str) -> str:
    return town + ("办事处" if town.endswith("街道") else "人民政府")


def _build_departments(w: World, rng, nets):
    need = {"市大数据局"} | {n["dept"] for n in nets}
    depts = w.P.departments
    chosen = [d for d in depts if d[0] in need]
    for d in depts:
        if len(chosen) >= max(w.sizes.departments, len(need)):
            break
        if d not in chosen:
            chosen.append(d)
    chosen.sort(key=lambda d: depts.index(d))
    # a few low-priority departments never joined the extranet
    tail = [d[0] for d in chosen[14:]]
    off = set(rng.sample(tail, min(len(tail), max(0, round(len(chosen) * 0.1)))))
    for name, code, aliases in chosen:
        w.departments.append(dict(name=name, code=code, aliases=list(aliases), district="", level="city",
                                  connected=name not in off, public_facing=name in w.P.public_facing))
    for d in w.districts:
        for suffix, code in P.DISTRICT_BUREAUS[:w.sizes.district_departments]:
            _district_dept(w, d, suffix, code)


def _district_dept(w, d, suffix, code):
    name = P.bureau_name(d["name"], suffix)
    index = w.__dict__.setdefault("_dept_index", {})
    if name in index:
        return index[name]
    x = dict(name=name, code=code, aliases=[], district=d["name"], level="district", connected=True,
             public_facing=code in ("JY", "WJ", "XZSP", "ZR"))
    w.departments.append(x)
    index[name] = x
    return x


# ----------------------------------------------------------------------------------------------
def _private_specs(w: World, rng):
    """The networks to build: the canonical twelve first, then district copies."""
    n = w.sizes.private_networks
    specs = [dict(t) for t in P.PRIVATE_NETWORKS[:n]]
    extra = n - len(specs)
    nd = len(w.districts)
    if extra > nd * len(P.EXTRA_TEMPLATES):
        raise GenerateError(f"private_networks={n}: at most {len(P.PRIVATE_NETWORKS) + nd * len(P.EXTRA_TEMPLATES)} "
                            f"with {nd} districts (one copy of each template per district)")
    by_id = {t["id"]: t for t in P.PRIVATE_NETWORKS}
    for k in range(extra):
        d = w.districts[k % nd]
        tid, code = P.EXTRA_TEMPLATES[(k // nd) % len(P.EXTRA_TEMPLATES)]
        t = dict(by_id[tid])
        suffix = dict((c, s) for s, c in P.DISTRICT_BUREAUS)[code]
        t.update(id=f"{tid}-{d['slug']}", name=d["name"] + t["name"], dept=P.bureau_name(d["name"], suffix),
                 district=d["name"], template=tid, code=code, vrf="", tags=(t["tags"] + " district-copy").strip())
        specs.append(t)
    return specs


def _router_plan(w, rng, specs):
    """Router count and platforms per private network (exactly one JunOS: the education network)."""
    for s in specs:
        if s.get("template"):
            n = rng.randint(1, 2)
            s["platforms"] = [rng.choice(("vrp", "comware", "ios")) for _ in range(n)]
            continue
        fixed = {"gongan-video": ["ios", "ios", rng.choice(("ios", "vrp"))],
                 "jiaoyu": ["junos", "comware", "vrp"][:rng.randint(2, 3)],
                 "shemi": ["vrp"]}.get(s["id"])
        if fixed is None:
            fixed = [rng.choice(("vrp", "comware", "ios")) for _ in range(rng.randint(1, 3))]
        s["platforms"] = fixed


# ----------------------------------------------------------------------------------------------
def _pool_layout(n_admin_lans, n_public_lans, n_admin_links, n_public_links):
    """(pool prefix length, LAN prefix length) big enough for the case, smallest first."""
    for lan in (24, PROVINCE_LAN_PLEN):
        for p in (14, 13, 12, 11, 10):
            if lan == 24 and p < 12:
                break
            total = size(p)
            links = total // 16
            lans = total - links - size(16)        # room for the planted overlaps in each pool
            if (n_admin_lans * size(lan) <= lans and n_public_lans * size(lan) <= lans
                    and (n_admin_links * 8 + 4096) <= links and n_public_links * 4 <= links):
                return p, lan
    raise GenerateError(f"{max(n_admin_lans, n_public_lans)} LANs do not fit the extranet pools (10.0.0.0/9); "
                        f"lower scale or devices")


def _canonical_prefixes(admin_net, public_net, p):
    pend = public_net + size(p)
    base16 = max(parse("10.10.0.0/16")[0], ((pend + size(16) - 1) // size(16)) * size(16) + 2 * size(16))
    g = base16
    return {
        "gongan-video": [cidr(g, 16)],
        "chengguan": [cidr(g + 8 * 256, 21)],
        "renshe": ["192.168.10.0/24", "192.168.20.0/24"],
        "yibao": ["192.168.10.0/24", "192.168.20.0/24"],
        "jiaoyu": [cidr(public_net, 16), "172.20.0.0/16"],
        "caizheng": [cidr(admin_net + size(p) // 4, 20)],
        "shemi": ["10.200.0.0/16"],
        "shipin": ["192.168.100.0/24"],
        "rexian-12345": ["192.168.100.0/24", "192.168.101.0/24"],
        "budongchan": ["172.16.0.0/20"],
        "gongjijin": ["172.16.8.0/22", "172.17.0.0/24"],
        "yingji": ["172.18.0.0/16"],
    }, g


# Overlaps the canonical plans carry on purpose (DOMAIN.md: "the main obstacle").
CANONICAL_OVERLAPS = (("extranet-admin", "caizheng"), ("extranet-public", "jiaoyu"), ("gongan-video", "chengguan"),
                      ("renshe", "yibao"), ("rexian-12345", "shipin"), ("budongchan", "gongjijin"))


def _extra_regions(g):
    regions = ["172.24.0.0/13", "192.168.128.0/17"]
    n = parse(cidr(g, 16))[0] + size(16)
    while n < parse("10.200.0.0/16")[0]:
        regions.append(cidr(n, 16))
        n += size(16)
    return [parse(r) for r in regions]


# ----------------------------------------------------------------------------------------------
def plan(seed: int, scale: float, sizes: Sizes, profile: P.CityProfile | None = None) -> World:
    rng = random.Random(seed)
    w = World(seed=seed, scale=scale, sizes=sizes, P=profile or P.PROFILES[P.DEFAULT_PROFILE])
    _build_districts(w, rng)
    specs = _private_specs(w, rng)
    _build_departments(w, rng, specs)
    for s in specs:
        if s.get("district"):
            d = next(x for x in w.districts if x["name"] == s["district"])
            _district_dept(w, d, dict((c, x) for x, c in P.DISTRICT_BUREAUS)[s["code"]], s["code"])
    _router_plan(w, rng, specs)
    w._dept_index = {d["name"]: d for d in w.departments}
    seat = next((d for d in w.districts if d["name"] == w.P.seat), w.districts[0])

    connected_towns = [t for d in w.districts for t in d["towns"] if t["connected"]]
    city_ces = [d for d in w.departments if d["level"] == "city" and d["connected"] and d["name"] != "市大数据局"]
    dist_ces = [d for d in w.departments if d["level"] == "district" and d["code"] != "DSJ"]
    n_private = sum(len(s["platforms"]) for s in specs)
    natural = 1 + len(w.districts) + len(connected_towns) + len(city_ces) + len(dist_ces) + n_private
    routers_per_town = {id(t): 1 for t in connected_towns}
    if sizes.devices is not None:
        if sizes.devices < natural:
            raise GenerateError(f"devices={sizes.devices} is below the {natural} devices this case needs (core, "
                                f"{len(w.districts)} PEs, {len(connected_towns)} town routers, "
                                f"{len(city_ces) + len(dist_ces)} department CEs, {n_private} private routers); "
                                f"lower scale or the other sizes")
        if not connected_towns and sizes.devices > natural:
            raise GenerateError("devices: no connected town to add access routers to")
        for k in range(sizes.devices - natural):
            routers_per_town[id(connected_towns[k % len(connected_towns)])] += 1
    n_town_routers = sum(routers_per_town.values())

    # -- address plan -----------------------------------------------------------------------
    p, lan_plen = _pool_layout(n_town_routers + len(city_ces) + len(dist_ces), n_town_routers * 5 // 4 + 1,
                               n_town_routers + len(city_ces) + len(dist_ces) + 2 * len(w.districts) + 1,
                               n_town_routers)
    admin_net = parse("10.0.0.0/8")[0]
    public_net = admin_net + size(p)
    w.pools = {"extranet_admin": cidr(admin_net, p), "extranet_public": cidr(public_net, p)}
    canon, g = _canonical_prefixes(admin_net, public_net, p)
    reg = Registry()
    for s in specs:
        s["prefixes"] = canon[s["id"]] if s["id"] in canon else None
    extra_alloc = Allocator(_extra_regions(g), Registry(), name="district private networks")  # plans, not interfaces
    prev = None
    for k, s in enumerate(x for x in specs if x.get("template")):
        if k % 7 == 6 and prev is not None:
            s["prefixes"] = list(prev["prefixes"])          # planted: a district reused a neighbour's plan
            w.planted_overlaps.append((prev["id"], s["id"]))
        else:
            s["prefixes"] = [cidr(extra_alloc.take(24), 24)]
        prev = s
    present = {s["id"] for s in specs} | {"extranet-admin", "extranet-public"}
    w.planted_overlaps[:0] = [o for o in CANONICAL_OVERLAPS if o[0] in present and o[1] in present]

    spans = {s["id"]: [(n, n + size(pl) - 1) for n, pl in map(parse, s["prefixes"])] for s in specs}

    starts = sorted((a, b) for rs in spans.values() for a, b in rs)
    from bisect import bisect_left, bisect_right

    def nested_in(own):
        """Ranges of other networks strictly inside *own* ranges: never used by *own*."""
        out = []
        for s0, e0 in own:
            for a, b in starts[bisect_left(starts, (s0, -1)):bisect_right(starts, (e0, 1 << 33))]:
                if b <= e0 and (a, b) != (s0, e0):
                    out.append((a, b))
        return out

    def pool_alloc(net, name):
        links_start = net + size(p) - size(p) // 16
        own = [(net, net + size(p) - 1)]
        lans = Allocator([(net, p)], reg, nested_in(own), name=f"{name} LANs")
        links = Allocator([(links_start, p + 4)], reg, nested_in(own), name=f"{name} links")
        return lans, links

    a_lan, a_link = pool_alloc(admin_net, "extranet_admin")
    p_lan, p_link = pool_alloc(public_net, "extranet_public")
    # LAN allocators must stop before the links region
    a_lan.reserved.append((admin_net + size(p) - size(p) // 16, admin_net + size(p) - 1))
    p_lan.reserved.append((public_net + size(p) - size(p) // 16, public_net + size(p) - 1))
    a_lan.reserved.sort()
    p_lan.reserved.sort()

    # -- the extranet: core and district PEs -------------------------------------------------
    core = Device(f"{w.P.core_prefix}-CORE-01", "vrp", "NE40E-X8A", "core", "市大数据局", seat["name"], "",
                  "extranet-admin", f"{w.P.city}大数据中心 核心机房", group="core")
    w.devices.append(core)
    core_lo = a_link.take_host()
    core.router_id, core.bgp_as = core_lo, EXTRANET_AS
    core.add("LoopBack0", "", [(core_lo, 32)], network="extranet-admin")
    noc = a_lan.take(lan_plen)
    core.add(core.phys(), "网管区 NOC", [(noc + 1, lan_plen)], network="extranet-admin")
    mgmt = (noc + 10, noc + 11)
    core.mgmt = mgmt
    vrf_desc = {"admin": "政务外网行政服务域", "public": "政务外网公共服务域"}

    def add_vrfs(dev, lo, names=("admin", "public")):
        for v in names:
            rt = {"admin": f"{EXTRANET_AS}:100", "public": f"{EXTRANET_AS}:200",
                  "renshe": f"{EXTRANET_AS}:301", "yibao": f"{EXTRANET_AS}:302"}[v]
            dev.vrfs.append((v, f"{_ip(lo)}:{rt.split(':')[1]}", rt, vrf_desc.get(v, v + " 专用网络区")))

    vpn_nets = [s for s in specs if s.get("vrf")]
    add_vrfs(core, core_lo, ("admin", "public") + tuple(s["vrf"] for s in vpn_nets))

    def link(a, b, alloc, vrf_a="", vrf_b="", desc_a="", desc_b="", net_id="", a_name=None, b_name=None,
             vlan=0):
        n = alloc.take(30)
        ia = a.add(a_name or a.phys(), desc_a, [(n + 1, 30)], vrf=vrf_a, vlan=vlan, network=net_id)
        ib = b.add(b_name or b.phys(), desc_b, [(n + 2, 30)], vrf=vrf_b, vlan=vlan, network=net_id)
        return ia, ib, n

    pes = {}
    for di, d in enumerate(w.districts):
        dsj = P.bureau_name(d["name"], "大数据中心")
        pe = Device(f"{d['prefix']}-PE-01", "vrp", "NE40E-X3A", "pe", dsj, d["name"], "", "extranet-admin",
                    f"{w.P.city}{d['name']}大数据中心机房", group=_group(d))
        if di % 3 == 2:
            pe.encoding = "gb18030"
        w.devices.append(pe)
        pe.mgmt = mgmt
        pes[d["name"]] = pe
        lo = a_link.take_host()
        pe.router_id, pe.bgp_as = lo, EXTRANET_AS
        pe.add("LoopBack0", "", [(lo, 32)], network="extranet-admin")
        add_vrfs(pe, lo)
        ia, ib, n = link(core, pe, a_link, desc_a=f"TO-{pe.host} {d['name']}", desc_b=f"TO-{core.host} 市级核心",
                         net_id="extranet-admin")
        core.routes.append(("", lo, 32, n + 2, f"{pe.host}-LoopBack0"))
        pe.routes.append(("", core_lo, 32, n + 1, f"{core.host}-LoopBack0"))
        core.peers.append(("", lo, EXTRANET_AS, True))
        pe.peers.append(("", core_lo, EXTRANET_AS, True))

    # -- town access routers: Comware and VRP alternating -------------------------------------
    town_routers = {}
    seq = 0
    carriers = list(P.CARRIERS)
    for d in w.districts:
        pe = pes[d["name"]]
        for t in d["towns"]:
            if not t["connected"]:
                continue
            for j in range(routers_per_town[id(t)]):
                plat = "comware" if seq % 2 == 0 else "vrp"
                seq += 1
                host = f"{d['prefix']}-{t['initials']}-AR{j + 1:02d}"
                dev = Device(host, plat, "MSR3620" if plat == "comware" else "AR2220E", "access", _town_gov(t["name"]),
                             d["name"], t["name"], "extranet-admin", f"{w.P.city}{d['name']}{t['name']} 机房",
                             group=_group(d))
                if seq % 5 == 0:
                    dev.encoding = "gb18030"
                dev.mgmt = mgmt
                w.devices.append(dev)
                town_routers.setdefault((d["name"], t["name"]), []).append(dev)
                lo = a_link.take_host()
                dev.router_id, dev.bgp_as = lo, TOWN_AS
                dev.add(dev.loopback(), "", [(lo, 32)], network="extranet-admin")
                add_vrfs(dev, lo)
                pe_port = pe.phys()
                up = dev.phys()
                line = ""
                if rng.random() < 0.35:
                    line = f" {rng.choice(P.CARRIERS[rng.choice(carriers[:3])]['config'])} MSTP {rng.choice((10, 20, 50))}M"
                pe.add(pe_port, f"TO-{host} {t['name']}{line}")
                dev.add(up, f"TO-{pe.host} {pe_port}{line}")
                if line:   # a carrier's MSTP line into the extranet: a carrier name alone is no exit
                    for x, port in ((pe, pe_port), (dev, up)):
                        w.candidates.append(dict(device=x.host, interface=port, vrf="", verdict="review",
                                                 plant="extranet-line-carrier-description",
                                                 evidence=["carrier-description"]))
                for vlan, vrf, alloc, nid in ((100, "admin", a_link, "extranet-admin"),
                                              (200, "public", p_link, "extranet-public")):
                    n = alloc.take(30)
                    label = vrf_desc[vrf]
                    pe.add(f"{pe_port}.{vlan}", f"{t['name']}-{label}", [(n + 1, 30)], vrf=vrf, vlan=vlan, network=nid)
                    dev.add(f"{up}.{vlan}", f"{pe.host}-{label}", [(n + 2, 30)], vrf=vrf, vlan=vlan, network=nid)
                    pe.peers.append((vrf, n + 2, TOWN_AS, False))
                    dev.peers.append((vrf, n + 1, EXTRANET_AS, False))
                a = a_lan.take(lan_plen)
                dev.add(dev.lan_name(100), f"{t['name']} 行政服务域 办公网", [(a + 1, lan_plen)], vrf="admin",
                        network="extranet-admin")
                b = p_lan.take(lan_plen)
                addrs = [(b + 1, lan_plen)]
                if rng.random() < 0.2:
                    b2 = p_lan.take(lan_plen)
                    addrs.append((b2 + 1, lan_plen))
                dev.add(dev.lan_name(200), f"{t['name']} 便民服务中心 公共服务域", addrs, vrf="public",
                        network="extranet-public")

    # -- department CEs: city departments on the core, district departments on their PE -------
    ces = {}
    for dept in city_ces + dist_ces:
        plat = rng.choices(("vrp", "comware", "ios"), (4, 3, 3))[0]
        if dept["level"] == "city":
            host, up_dev, dist = f"{dept['code']}-CE01", core, seat
            group = "city"
        else:
            dist = next(x for x in w.districts if x["name"] == dept["district"])
            host, up_dev, group = f"{dist['prefix']}-{dept['code']}-CE01", pes[dist["name"]], _group(dist)
        model = {"vrp": "AR2240", "comware": "MSR2630", "ios": "CISCO2911"}[plat]
        dev = Device(host, plat, model, "ce", dept["name"], dept["district"], "", "extranet-admin",
                     f"{dept['name']} 信息中心机房", group=group)
        dev.mgmt = mgmt
        w.devices.append(dev)
        ces[dept["name"]] = dev
        ia, ib, n = link(up_dev, dev, a_link, vrf_a="admin", desc_a=f"TO-{host} {dept['name']}",
                         desc_b=f"TO-{up_dev.host} 政务外网", net_id="extranet-admin")
        lan = a_lan.take(lan_plen)
        dev.add(dev.lan_name(10), f"{dept['name']} 办公局域网", [(lan + 1, lan_plen)], network="extranet-admin")
        up_dev.routes.append(("admin", lan, lan_plen, n + 2, dept["name"]))
        dev.routes.append(("", admin_net, p, n + 1, "TO-政务外网行政服务域"))
        dev.routes.append(("", public_net, p, n + 1, "TO-政务外网公共服务域"))

    # -- private networks ---------------------------------------------------------------------
    nets_out = []
    asn = 65200
    for s in specs:
        own = spans[s["id"]]
        alloc = Allocator([parse(x) for x in s["prefixes"]], reg, nested_in(own), name=s["id"])
        widest = min(parse(x)[1] for x in s["prefixes"])
        lan_plen_n = 24 if widest <= 21 else (26 if widest <= 23 else 28)
        code = s.get("code") or next(d["code"] for d in w.departments if d["name"] == s["dept"])
        dist = next((x for x in w.districts if x["name"] == s.get("district")), None)
        prefix = f"{dist['prefix']}-{code}" if dist else code
        routers = []
        for i, plat in enumerate(s["platforms"]):
            host = f"{prefix}-R{i + 1:02d}"
            model = {"vrp": "AR3260", "comware": "MSR3640", "ios": "CISCO3945", "junos": "MX104"}[plat]
            dev = Device(host, plat, model, "router", s["dept"], s.get("district", ""), "", s["id"],
                         f"{s['dept']} {s['name']}机房", group=f"private/{s['id']}")
            if plat in ("vrp", "comware") and not dist and i == 1:
                dev.encoding = "gb18030"
            w.devices.append(dev)
            routers.append(dev)
            lan = alloc.take(lan_plen_n)           # LAN before loopback: no alignment gap
            lo = alloc.take_host()
            dev.add(dev.loopback() if plat != "junos" else "lo0.0", "", [(lo, 32)], network=s["id"])
            addrs = [(lan + 1, lan_plen_n)]
            if i == 0 and rng.random() < 0.5:
                lan2 = alloc.take(lan_plen_n)
                addrs.append((lan2 + 1, lan_plen_n))
            name = dev.lan_name(10) if plat != "junos" else f"{dev.phys()}.0"
            dev.add(name, f"{s['name']} 汇聚", addrs, network=s["id"])
            dev.mgmt = (routers[0].ifaces[1].addrs[0][0] + 9, routers[0].ifaces[1].addrs[0][0] + 10)
            if i > 0:
                r0 = routers[0]
                n = alloc.take(30)
                r0n = r0.phys() if r0.platform != "junos" else f"{r0.phys()}.0"
                dn = dev.phys() if plat != "junos" else f"{dev.phys()}.0"
                r0.add(r0n, f"TO-{host}", [(n + 1, 30)], network=s["id"])
                dev.add(dn, f"TO-{r0.host}", [(n + 2, 30)], network=s["id"])
                r0.routes.append(("", lan, lan_plen_n, n + 2, host))
                for x in s["prefixes"]:
                    xn, xp = parse(x)
                    dev.routes.append(("", xn, xp, n + 1, f"TO-{r0.host}"))
        if s.get("vrf"):
            r0 = routers[0]
            n = alloc.take(30)
            asn += 1
            core.add(core.phys(), f"TO-{r0.host} {s['name']}", [(n + 1, 30)], vrf=s["vrf"], network=s["id"])
            r0.add(r0.phys(), f"TO-{core.host} 政务外网专用网络区", [(n + 2, 30)], network=s["id"])
            core.peers.append((s["vrf"], n + 2, asn, False))
            r0.bgp_as, r0.router_id = asn, routers[0].ifaces[0].addrs[0][0]
            r0.peers.append(("", n + 1, EXTRANET_AS, False))
        if s["id"] == "chengguan" or s.get("template") == "chengguan":
            routers[0].add(routers[0].phys() if routers[0].platform != "junos" else "ge-0/0/9.0",
                           "外勤站点 4G VPDN 汇聚 (无专线)")
        s["devices"] = [r.host for r in routers]
        nets_out.append(s)

    # -- the one planted duplicate host address ---------------------------------------------
    rs = next((s for s in nets_out if s["id"] == "renshe"), None)
    yb = next((s for s in nets_out if s["id"] == "yibao"), None)
    if rs and yb:
        src_dev = next(x for x in w.devices if x.host == rs["devices"][0])
        src = next(i for i in src_dev.ifaces if i.addrs and i.addrs[0][1] < 30)
        dst_dev = next(x for x in w.devices if x.host == yb["devices"][-1])
        ipn, pl = src.addrs[0]
        dname = dst_dev.phys() if dst_dev.platform != "junos" else "ge-0/0/8.0"
        dst = dst_dev.add(dname, "临时调试口 (沿用人社地址)", [(ipn, pl)], network="yibao")
        w.duplicate_ips.append(dict(ip=_ip(ipn), a=dict(device=src_dev.host, interface=src.name, network="renshe"),
                                    b=dict(device=dst_dev.host, interface=dst.name, network="yibao")))

    # -- networks for the manifest and the ground truth ----------------------------------------
    dsj = "市大数据局"
    w.networks.append(dict(id="extranet-admin", name="电子政务外网行政服务域", kind="extranet_admin", department=dsj,
                           district="", purpose="行政办公、公文、内部审批", classified=False, vertical_ministry="",
                           on_extranet=True, public_facing=False, prefixes=[w.pools["extranet_admin"]],
                           devices=[core.host] + [pe.host for pe in pes.values()], vrf="admin", target="extranet_admin",
                           rule="", carrier="", tags="extranet"))
    w.networks.append(dict(id="extranet-public", name="电子政务外网公共服务域", kind="extranet_public", department=dsj,
                           district="", purpose="便民服务、跨部门数据交换", classified=False, vertical_ministry="",
                           on_extranet=True, public_facing=True, prefixes=[w.pools["extranet_public"]],
                           devices=[], vrf="public", target="extranet_public", rule="", carrier="",
                           tags="extranet"))
    for s in nets_out:
        w.networks.append(dict(id=s["id"], name=s["name"], kind=s["kind"], department=s["dept"],
                               district=s.get("district", ""), purpose=s["purpose"], classified=s["classified"],
                               vertical_ministry=s["vertical_ministry"], on_extranet=s["on_extranet"],
                               public_facing=s["public_facing"], prefixes=list(s["prefixes"]), devices=s["devices"],
                               vrf=s.get("vrf", ""), target=s["target"], rule=s["rule"],
                               carrier=s["carrier"], tags=s["tags"], sheet_kind=s["sheet_kind"],
                               platforms=s["platforms"]))
    w.town_routers = town_routers
    w.ces = ces
    w.core = core
    w.pes = pes
    w.lan_plen = lan_plen
    _plan_exits(w, rng)
    from .plants import plant   # after every rng draw above: the plants have their own rng
    plant(w, seed, a_lan, lan_plen)
    hosts = [d.host for d in w.devices]
    assert len(hosts) == len(set(hosts)), "duplicate hostname in the generated case"
    return w


def _group(d) -> str:
    return f"{d['code']}-{d['slug']}" if d["code"] else d["slug"]


def _ip(n):
    from .addressing import ip
    return ip(n)


# ----------------------------------------------------------------------------------------------
PRICE_PER_MONTH = {20: 1500, 50: 2500, 100: 4000, 200: 7000, 300: 9000, 500: 14000, 1000: 24000}


def _plan_exits(w: World, rng):
    """~30 separately bought internet exits, each with where it is seen (config, sheet, both)."""
    n = w.sizes.exits
    if n == 0:
        return
    doc_reg = Registry()
    docs = [Allocator([parse(b)], doc_reg, name=b) for b in DOC_BLOCKS]

    def doc_take(plen, k):
        for j in range(len(docs)):
            try:
                return docs[(k + j) % len(docs)].take(plen)
            except OverflowError:
                continue
        raise GenerateError(f"exits={n}: the documentation blocks {', '.join(DOC_BLOCKS)} are full after "
                            f"{k} exits; ask for fewer exits")
    depts = {d["name"]: d for d in w.departments}
    # owners: (department, district, town, device or None)
    mandated = [(dn, m) for dn, m in w.P.ministry_exits if dn in depts]
    city_dev = [(d["name"], "", "", w.ces.get(d["name"])) for d in w.departments
                if d["level"] == "city" and d["name"] in w.ces]
    city_nodev = [(d["name"], "", "", None) for d in w.departments
                  if d["level"] == "city" and d["name"] not in w.ces and d["name"] != "市大数据局"]
    dist_dev = [(d["name"], d["district"], "", w.ces.get(d["name"])) for d in w.departments
                if d["level"] == "district" and d["name"] in w.ces]
    towns_dev = [(_town_gov(t), dname, t, devs[0]) for (dname, t), devs in w.town_routers.items()]
    towns_nodev = [(_town_gov(t["name"]), d["name"], t["name"], None) for d in w.districts for t in d["towns"]
                   if not t["connected"]]
    priv_dev = []
    by_host = {x.host: x for x in w.devices}
    for net in w.networks:
        if net.get("public_facing") and net["devices"] and net["id"] not in ("extranet-public",):
            devs = [by_host[h] for h in net["devices"] if by_host[h].platform != "junos"]
            if devs:
                priv_dev.append((net["department"], net["district"] if net["district"] else "", "", devs[-1]))
    for lst in (city_dev, city_nodev, dist_dev, towns_dev, towns_nodev, priv_dev):
        rng.shuffle(lst)
    used_dev = set()
    owners = []
    for dn, ministry in mandated[:n]:
        dev = w.ces.get(dn)
        owners.append(((dn, "", "", dev), ministry))
        if dev:
            used_dev.add(dev.host)
    cats = [(city_dev, 35), (city_nodev, 10), (dist_dev, 20), (towns_dev, 20), (towns_nodev, 5), (priv_dev, 10)]
    while len(owners) < n:
        avail = [(lst, wt) for lst, wt in cats if lst]
        if not avail:
            raise GenerateError(f"exits={n}: only {len(owners)} owners available; add departments or districts")
        lst = rng.choices([a for a, _ in avail], [b for _, b in avail])[0]
        o = lst.pop()
        if o[3] is not None and o[3].host in used_dev:
            o = (o[0], o[1], o[2], None)
        if o[3] is not None:
            used_dev.add(o[3].host)
        owners.append((o, ""))
    # where each exit is seen: quotas over the exits that have a device
    with_dev = [i for i, (o, _) in enumerate(owners) if o[3] is not None]
    rng.shuffle(with_dev)
    n_cfg = max(1, round(len(with_dev) * 0.3)) if with_dev else 0
    n_both = round(len(with_dev) * 0.45)
    seen = {i: "sheet" for i in range(n)}
    for k, i in enumerate(with_dev):
        seen[i] = "config" if k < n_cfg else ("both" if k < n_cfg + n_both else "sheet")
    for i, (o, m) in enumerate(owners):
        if m and seen[i] == "config":
            seen[i] = "both"           # a mandated exit is always declared in the sheet
    both = [i for i in range(n) if seen[i] == "both"]
    disagree_fields = (["carrier"], ["bandwidth_mbps"], ["public_range"], ["carrier", "bandwidth_mbps"])
    disagree = {i: disagree_fields[k % 4] for k, i in enumerate(both[: max(1, len(both) // 2)] if both else [])}
    sheet_only = [i for i in range(n) if seen[i] == "sheet" and not owners[i][1]]
    planted_unknown = sheet_only[0] if sheet_only else None
    planted_badbw = sheet_only[1] if len(sheet_only) > 1 else None
    carriers = ["China Telecom", "China Unicom", "China Mobile", "China Broadnet"]
    ebgp_done = False
    for i, ((dn, dist, town, dev), ministry) in enumerate(owners):
        e = Exit(department=dn, district=dist, town=town, mandated_by=ministry, seen_in=seen[i])
        net = plen = None
        if e.seen_in == "sheet":
            dev = None
        e.carrier = rng.choices(carriers, (40, 30, 25, 5))[0]
        bw = rng.choice((20, 50, 100, 100, 200, 300, 500, 1000) if not ministry else (100, 200, 300))
        e.bandwidth_mbps = float(bw)
        e.peak_util = round(rng.uniform(0.08, 0.92), 2)
        if e.seen_in != "config":
            fee = round(PRICE_PER_MONTH[bw] * rng.uniform(0.8, 1.2) / 100) * 100 * 12
            e.fee_yuan_year = float(fee)
            later = rng.random() < 0.22 and not ministry
            if later:
                e.contract_end = f"{rng.choice((2027, 2028, 2029))}-{rng.choice(('09-30', '12-31'))}"
            else:
                e.contract_end = f"{rng.choice((2024, 2025, 2026, 2027))}-{rng.choice(('03-31', '06-30', '12-31'))}"
                if e.contract_end > CUTOFF:
                    e.contract_end = "2027-06-30"
        dept = depts.get(dn)
        if (dept and dept.get("public_facing")) or rng.random() < 0.15:
            e.services = rng.choice(("门户网站", "网上办事大厅", "微信公众号后台", "在线预约系统"))
        if e.seen_in == "sheet" and dev is None and rng.random() < 0.25 and not ministry:
            e.access_type = rng.choice(("ftth", "mobile"))
        if e.access_type == "fiber_dia":
            wrong_range = "public_range" in disagree.get(i, ())
            plen = 29 if (wrong_range or rng.random() < 0.3) else 30
            net = doc_take(plen, i)
            if wrong_range:
                # the sheet copies the contract's /29; the router uses half of it
                e.sheet_values["public_range"] = cidr(net, 29)
                plen = 30
            e.public_range = cidr(net, plen)
        if i == planted_unknown:
            e.carrier, e.carrier_known = P.UNKNOWN_CARRIER, False
            e.note = "planted: unknown carrier in the sheet"
        if i == planted_badbw:
            e.note = "planted: bandwidth written as 快 (unreadable)"
            e.sheet_values["bandwidth_raw"] = "快"
        for f in disagree.get(i, ()):
            e.disagreements.append(f)
            if f == "carrier":
                e.sheet_values["carrier"] = rng.choice([c for c in carriers[:3] if c != e.carrier])
            elif f == "bandwidth_mbps":
                e.sheet_values["bandwidth_mbps"] = float(rng.choice([b for b in (50, 100, 200, 300) if b != bw]))
        if dev is not None:
            _attach_exit(w, e, dev, net, plen, rng, ebgp=not ebgp_done and dev.platform == "vrp"
                         and e.carrier in P.CARRIER_ASN and not e.disagreements)
            ebgp_done = ebgp_done or "ebgp-carrier" in e.evidence
        e.model = dev.model if dev is not None else rng.choice(("USG6320", "F1000-AK", "AF-1000", ""))
        e.sheet_device = dev.host if dev is not None else rng.choice(("出口防火墙", "出口路由器", "光猫", ""))
        w.exits.append(e)
    order = {d["name"]: k for k, d in enumerate(w.districts)}
    w.exits.sort(key=lambda e: (order.get(e.district, -1), e.department, e.town, e.public_range, e.carrier))
    for k, e in enumerate(w.exits):
        e.id = f"EX-{k + 1:04d}"
    if planted_badbw is not None:
        bad = next(e for e in w.exits if e.sheet_values.get("bandwidth_raw"))
        bad.bandwidth_mbps = None


def _attach_exit(w, e, dev, net, plen, rng, ebgp=False):
    """The WAN interface, default route and NAT that make an exit visible in a config."""
    alias = rng.choice(P.CARRIERS[e.carrier]["config"])
    bw = int(e.bandwidth_mbps)
    bws = f"{bw // 1000}G" if bw >= 1000 else f"{bw}M"
    desc = rng.choice((f"{alias}-Internet-{bws}", f"{alias}互联网专线 {bws}", f"TO-{alias} 互联网出口 {bws}"))
    name = dev.phys() if dev.platform != "junos" else None
    wan_ip, nh = net + 2, net + 1
    lan = next((i for i in dev.ifaces if i.addrs and i.addrs[0][1] in (24, 26) and not i.vrf), None)
    if lan is None:
        lan = next((i for i in dev.ifaces if i.addrs and i.addrs[0][1] in (24, 26)), None)
    wan = dev.add(name, desc, [(wan_ip, plen)], network="")
    e.device, e.interface = dev.host, name
    e.evidence = ["default-route"]
    if dev.platform == "ios":
        wan.nat = "outside"
        if lan is not None:
            lan.nat = "inside"
            dev.acls.append((1, [(lan.addrs[0][0] & ~(size(lan.addrs[0][1]) - 1), lan.addrs[0][1])]))
        dev.nat_overload = (1, name)
        dev.routes.append(("", 0, 0, nh, f"INTERNET-{alias}"))
        e.evidence.append("nat-outbound")   # ip nat outside: one evidence name for every vendor
    else:
        wan.nat, wan.acl = "outbound", 2000
        if lan is not None:
            dev.acls.append((2000, [(lan.addrs[0][0] & ~(size(lan.addrs[0][1]) - 1), lan.addrs[0][1])]))
        else:
            dev.acls.append((2000, [(parse("10.0.0.0/8")[0], 8)]))
        dev.routes.append(("", 0, 0, nh, f"{alias}互联网出口"))
        e.evidence.append("nat-outbound")
        if plen == 29 and e.services and lan is not None:
            wan.nat_servers.append((net + 3, 80, lan.addrs[0][0] + 9, 80))
    if ebgp:
        dev.bgp_as = dev.bgp_as or 65300
        dev.router_id = dev.router_id or wan_ip
        dev.peers.append(("", nh, P.CARRIER_ASN[e.carrier], False))
        e.evidence.append("ebgp-carrier")
    e.evidence.append("carrier-description")
    e.evidence.append("public-address")
