"""What a naive reader takes for something it is not: planted on purpose, with the answers.

Issue 17 (exits): every class of exit-like interface that is not an internet exit, across VRP,
Comware and IOS — NAT on an extranet uplink (a department CE hiding its office LAN behind its one
extranet address, default route to the PE), a vertical network's VRF default (公安: next hop in
the 公安 network's space), a VRF default to a private next hop of no known network (税务's line),
out-of-band management VRF defaults, a data centre's internal default toward its firewall — and
one real exit that looks unusual: carrier-grade NAT broadband (100.64.0.0/10 from a carrier).

Issue 19 (topology): reused office LANs (two departments' CEs on one 192.168.x.0/24: a conflict,
not a link), shut PE–CE stubs (a shut interface holding an address that is live elsewhere: no
conflict, allocated-unused), VRRP pairs (two routers sharing a virtual address: shared by design).

Issue 18: server rooms (机房) for the self-inspection sheets.

Every answer is written from what is planted here (``w.candidates``, ``w.topology``, ``w.rooms``),
never from netconsol's analyzers.  The plants draw from their own rng, after every draw of
:func:`netconsol.generate.model.plan`: the rest of the case is the same as without them.
"""
from __future__ import annotations

import random

from . import places as P
from .addressing import cidr, parse, size
from .model import Exit, World

__all__ = ["plant"]

MGMT_SPACE = "10.251.0.0/16"       # out-of-band management /30s: in no manifest network
TAX_SPACE = "10.250.0.0/16"        # the tax bureau's vertical line: in no manifest network either
CGNAT_SPACE = "100.64.0.0/10"      # RFC 6598 shared address space, as carriers hand it to broadband
REUSED_LAN_BASE = "192.168.60.0/24"


class _Space:
    """Address blocks in use: every interface address and every manifest network prefix."""

    def __init__(self, w: World):
        self.addrs = {a for d in w.devices for i in d.ifaces for a, _ in i.addrs}
        self.nets = [(n["id"], parse(p)) for n in w.networks for p in n["prefixes"]]

    def free(self, start: int, plen: int, own: str = "") -> bool:
        """No interface address in the block, and no manifest network over it but *own* (and the
        wider networks around *own*'s prefix that holds the block, as an extranet pool)."""
        end = start + size(plen) - 1
        if any(start <= a <= end for a in self.addrs):
            return False
        holders = [(n, n + size(pl) - 1) for nid, (n, pl) in self.nets if nid == own and n <= start
                   and end <= n + size(pl) - 1]
        for nid, (n, pl) in self.nets:
            e = n + size(pl) - 1
            if n > end or e < start or nid == own:
                continue
            if any(n <= hs and he <= e and (n, e) != (hs, he) for hs, he in holders):
                continue
            return False
        return True

    def top_free(self, prefix: str, plen: int, own: str) -> int | None:
        """The highest free /plen block of *prefix* (allocators fill from the bottom)."""
        n, pl = parse(prefix)
        if plen <= pl:
            return None
        s = n + size(pl) - size(plen)
        while s >= n:
            if self.free(s, plen, own):
                return s
            s -= size(plen)
        return None

    def take(self, start: int, plen: int):
        self.addrs.update(range(start, start + size(plen)))


def _uplink(dev):
    """A CE's extranet uplink (global /30 toward its PE) and the PE's address on it."""
    for i in dev.ifaces:
        if not i.vrf and i.addrs and i.addrs[0][1] == 30 and i.network == "extranet-admin":
            a = i.addrs[0][0]
            return i, a - 1
    return None, None


def _office_lan(dev):
    return next((i for i in dev.ifaces if i.addrs and i.addrs[0][1] in (24, 26) and not i.vrf), None)


def _lan_net(i):
    a, p = i.addrs[0]
    return a & ~(size(p) - 1), p


def _nat(dev, wan, lan, acl_huawei):
    """Source NAT of *lan* out of *wan*, as each vendor writes it."""
    n, p = _lan_net(lan)
    if dev.platform == "ios":
        wan.nat, lan.nat = "outside", "inside"
        dev.acls.append((acl_huawei - 1999, [(n, p)]))
        dev.nat_overload = (acl_huawei - 1999, wan.name)
    else:
        wan.nat, wan.acl = "outbound", acl_huawei
        dev.acls.append((acl_huawei, [(n, p)]))


def _cand(w, dev, iface, verdict, plant, evidence, **kw):
    w.candidates.append(dict(device=dev.host, interface=iface.name if hasattr(iface, "name") else iface,
                             vrf=getattr(iface, "vrf", ""), verdict=verdict, plant=plant, evidence=evidence, **kw))


def _by_platform(devs, used, platforms=("vrp", "comware", "ios")):
    """One device of each platform from *devs* not in *used* (in *devs*' order)."""
    out = []
    for plat in platforms:
        d = next((d for d in devs if d.platform == plat and d.host not in used), None)
        if d is not None:
            out.append(d)
            used.add(d.host)
    return out


def plant(w: World, seed, a_lan, lan_plen) -> None:
    rng = random.Random(f"{seed}-plants")
    space = _Space(w)
    # the config exits planted by model._plan_exits are exit candidates too
    for e in w.exits:
        if e.device:
            w.candidates.append(dict(device=e.device, interface=e.interface, vrf="", verdict="exit",
                                     plant="internet-exit", evidence=list(e.evidence), exit=e.id))
    exit_devs = {e.device for e in w.exits if e.device}
    ces = [w.ces[k] for k in w.ces]
    free_ces = [d for d in ces if d.host not in exit_devs]
    rng.shuffle(free_ces)
    used: set = set()

    # -- NAT on the extranet uplink: one CE per platform ------------------------------------------
    for dev in _by_platform(free_ces, used):
        up, pe_ip = _uplink(dev)
        lan = _office_lan(dev)
        if up is None or lan is None:
            continue
        _nat(dev, up, lan, 2001)
        dev.routes.append(("", 0, 0, pe_ip, "TO-EXTRANET-PE NAT"))
        _cand(w, dev, up, "extranet_uplink", "extranet-nat", ["default-route", "nat-outbound"],
              note="the office LAN hidden behind one extranet address; default route to the extranet PE")

    # -- a vertical network's VRF default (公安): next hop in the vertical network's own space ----
    vertical = [n for n in w.networks if n["kind"] == "business_private" and n["prefixes"]]
    for n in vertical:
        dev = w.ces.get(n["department"])
        if dev is None or dev.host in used:
            continue
        s = space.top_free(n["prefixes"][0], 30, n["id"])
        if s is None:
            continue
        space.take(s, 30)
        vrf = n["id"].split("-")[0][:10]
        dev.vrfs.append((vrf, "", "", f"{n['name']} 纵向网"))
        i = dev.add(dev.phys(), f"TO-{n['vertical_ministry'] or n['name']} 纵向网上联", [(s + 2, 30)], vrf=vrf,
                    network=n["id"])
        dev.routes.append((vrf, 0, 0, s + 1, "TO-VERTICAL"))
        used.add(dev.host)
        _cand(w, dev, i, "vertical_uplink", "vertical-default", ["default-route"], network=n["id"],
              note=f"VRF {vrf} default toward {n['name']} ({n['vertical_ministry']})")
        break

    # -- a vertical line the manifest does not name (税务): a VRF default to a private next hop -----
    tax = next((dn for dn, m in w.P.ministry_exits if m == "国家税务总局"), "")
    dev = w.ces.get(tax)
    if dev is None or dev.host in used:
        dev = next((d for d in free_ces if d.host not in used), None)
    if dev is not None:
        s = parse(TAX_SPACE)[0]
        assert space.free(s, 30), "generator bug: the tax line's space is taken"
        space.take(s, 30)
        dev.vrfs.append(("shuiwu", "", "", "税务纵向专线"))
        i = dev.add(dev.phys(), "TO-税务纵向网 专线", [(s + 2, 30)], vrf="shuiwu")
        dev.routes.append(("shuiwu", 0, 0, s + 1, "TO-SHUIWU"))
        used.add(dev.host)
        _cand(w, dev, i, "private_next_hop", "vertical-default-unlisted", ["default-route"],
              note="VRF shuiwu default to an RFC 1918 next hop of no manifest network")

    # -- out-of-band management VRF defaults: one device per platform -----------------------------
    towns = [devs[0] for _k, devs in sorted(w.town_routers.items())]
    mgmt = parse(MGMT_SPACE)[0]
    for k, dev in enumerate(_by_platform(towns + free_ces, used)):
        s = mgmt + 4 * k
        assert space.free(s, 30), "generator bug: the management space is taken"
        space.take(s, 30)
        dev.vrfs.append(("mgmt", "", "", "带外管理"))
        i = dev.add(dev.phys(), "OOB 带外管理口", [(s + 2, 30)], vrf="mgmt")
        dev.routes.append(("mgmt", 0, 0, s + 1, "OOB-MGMT"))
        _cand(w, dev, i, "management", "management-default", ["default-route"],
              note="default route in the management VRF")

    # -- the data centre's internal default toward its firewall (on the extranet core) ------------
    core = w.core
    dc = a_lan.take(24)
    w.networks.append(dict(
        id="dc-zhengwuyun", name=f"{w.P.city}政务云数据中心", kind="lan", department=core.department, district="",
        purpose="政务云数据中心服务器区（防火墙后）", classified=False, vertical_ministry="", on_extranet=True,
        public_facing=False, prefixes=[cidr(dc, 24)], devices=[], vrf="", target="extranet_admin",
        rule="", carrier="", tags="datacentre no-sheet", sheet_kind="局域网", platforms=["vrp"]))
    i = core.add(core.phys(), "TO-政务云数据中心 防火墙", [(dc + 2, 24)], network="dc-zhengwuyun")
    core.routes.append(("", 0, 0, dc + 1, "TO-DC-FW"))
    space.take(dc, 24)
    _cand(w, core, i, "dc_internal", "datacentre-default", ["default-route"],
          note="default toward the data centre's firewall")

    # -- carrier-grade NAT broadband: a real exit (100.64.0.0/10) ----------------------------------
    dev = next((d for d in free_ces if d.host not in used and d.platform in ("comware", "vrp")), None)
    lan = _office_lan(dev) if dev is not None else None
    if dev is not None and lan is not None:
        used.add(dev.host)
        base = parse(CGNAT_SPACE)[0] + (rng.randrange(1, 4096) << 8)
        carrier = rng.choice(("China Telecom", "China Unicom", "China Mobile"))
        alias = rng.choice(P.CARRIERS[carrier]["config"])
        wan = dev.add(dev.phys(), f"{alias}宽带 100M", [(base + 2, 30)])
        _nat(dev, wan, lan, 2002)
        dev.routes.append(("", 0, 0, base + 1, f"{alias}宽带出口"))
        e = Exit(id=f"EX-{len(w.exits) + 1:04d}", department=dev.department, district=dev.district, town=dev.town,
                 carrier=carrier, bandwidth_mbps=100.0, public_range=cidr(base, 30), access_type="cgnat",
                 peak_util=round(rng.uniform(0.1, 0.9), 2), seen_in="config", device=dev.host, interface=wan.name,
                 evidence=["cgnat-address", "default-route", "nat-outbound", "carrier-description"], model=dev.model,
                 note="planted: carrier-grade NAT broadband (100.64.0.0/10 from the carrier): an exit")
        w.exits.append(e)
        _cand(w, dev, wan, "exit", "cgnat-broadband", list(e.evidence), exit=e.id)

    # -- issue 19: reused office LANs, shut stubs, VRRP pairs --------------------------------------
    topo = w.topology = {"reused_lans": [], "shut_stubs": [], "vrrp_pairs": []}
    # Reused office LANs on the routers of two departments' own networks.  (Not on CEs: the manifest
    # lists every CE under the extranet network, so two CEs' LANs are one network by attribution.)
    by_host = {d.host: d for d in w.devices}
    owners = []
    for n in w.networks:
        if n["kind"] in ("gov_private", "business_private") and not n["classified"]:
            r = next((by_host[h] for h in n["devices"] if by_host[h].platform in ("vrp", "comware", "ios")), None)
            if r is not None:
                owners.append((n, r))
    rng.shuffle(owners)
    base = parse(REUSED_LAN_BASE)[0]
    k = 0
    while len(topo["reused_lans"]) < 2 and len(owners) >= 2:
        na, a = owners.pop()
        pick = [o for o in owners if o[0]["department"] != na["department"]
                and tuple(sorted((o[0]["id"], na["id"]))) not in {tuple(sorted(x)) for x in w.planted_overlaps}]
        pick.sort(key=lambda o: o[1].platform == a.platform)
        if not pick:
            continue
        nb, b = pick[0]
        owners.remove(pick[0])
        s = base + k * 256
        k += 1
        assert space.free(s, 24), "generator bug: the reused LAN space is taken"
        space.take(s, 24)
        sides = []
        for net, dev, host_ip in ((na, a, s + 1), (nb, b, s + 254)):
            i = dev.add(dev.lan_name(20) if dev.platform != "ios" else dev.phys(), "办公网（沿用 192.168 段，未改址）",
                        [(host_ip, 24)], network=net["id"])
            sides.append(dict(device=dev.host, interface=i.name, address=f"{_ip(host_ip)}/24",
                              department=dev.department, network=net["id"], platform=dev.platform))
        topo["reused_lans"].append(dict(subnet=cidr(s, 24), a=sides[0], b=sides[1], expect="conflict",
                                        note="two departments' office LANs on one subnet: a conflict, not a link"))
    # shut stubs: a shut interface holding an address that is live on another device
    live = [(d, *_uplink(d)) for d in ces]
    live = [(d, i, pe_ip) for d, i, pe_ip in live if i is not None]
    pes = [w.pes[k] for k in w.pes]
    for j, (ce, ce_if, pe_ip) in enumerate(live[:2]):
        peer = next(x for x in w.devices if any(a == pe_ip for i in x.ifaces for a, _ in i.addrs))
        peer_if = next(i for i in peer.ifaces if any(a == pe_ip for a, _ in i.addrs))
        if j == 0:   # an old PE port toward a CE that moved: its address was handed out again
            holder = next((p for p in pes if p.host != peer.host), None) or peer
            addr, vrf, which = pe_ip, "admin", (peer, peer_if)
            desc = f"TO-{ce.host} (线路已撤销，端口停用)"
        else:        # an old CE port keeping the address its CE now uses on its live uplink
            holder = next((d for d in ces if d.host not in (ce.host,) and d.host not in exit_devs), None)
            addr, vrf, which = ce_if.addrs[0][0], "", (ce, ce_if)
            desc = "旧政务外网上联（已停用）"
        if holder is None:
            continue
        name = holder.phys()
        holder.add(name, desc, [(addr, 30)], vrf=vrf, shutdown=True)
        topo["shut_stubs"].append(dict(device=holder.host, interface=name, address=f"{_ip(addr)}/30",
                                       subnet=cidr(addr & ~3, 30), vrf=vrf,
                                       live=dict(device=which[0].host, interface=which[1].name),
                                       expect="allocated-unused",
                                       note="shut down: the address is allocated but unused; no conflict"))
    # VRRP pairs: two routers of one private network sharing a virtual gateway address
    options = {"ios": [], "huawei": []}
    for n in w.networks:
        if n["kind"] in ("extranet_admin", "extranet_public", "extranet_vpn", "lan") or n["classified"]:
            continue
        devs = [by_host[h] for h in n.get("devices", ())]
        for key, plats in (("ios", ("ios",)), ("huawei", ("vrp", "comware"))):
            same = [d for d in devs if d.platform in plats]
            if len(same) >= 2:
                options[key].append((n, same[0], same[1]))
    vrid = 10
    for key in ("ios", "huawei"):
        for n, a, b in options[key]:
            s = next((x for x in (space.top_free(pfx, 28, n["id"]) for pfx in n["prefixes"]) if x is not None), None)
            if s is None:
                continue    # every block of its plan is shared with another network (a planted overlap)
            space.take(s, 28)
            vip = s + 1
            sides = []
            for dev, host_ip in ((a, s + 2), (b, s + 3)):
                i = dev.add(dev.lan_name(30) if dev.platform != "ios" else dev.phys(), f"{n['name']} 业务网关 VRRP",
                            [(host_ip, 28)], network=n["id"], vrrp=[(vrid, vip)])
                sides.append(dict(device=dev.host, interface=i.name, address=f"{_ip(host_ip)}/28",
                                  platform=dev.platform))
            topo["vrrp_pairs"].append(dict(network=n["id"], vrid=vrid, virtual_ip=_ip(vip), subnet=cidr(s, 28),
                                           a=sides[0], b=sides[1], expect="shared-by-design",
                                           note="a VRRP virtual address on two routers: shared by design; "
                                                "the two routers link on the segment"))
            vrid += 1
            break

    # -- issue 18: server rooms (机房), one or two per district and the city's data centre -------
    rrng = random.Random(f"{seed}-rooms")
    servers = ("华为RH2288H V3", "浪潮NF5280M5", "H3C UniServer R4900 G3", "联想ThinkSystem SR650", "曙光I620-G30")
    storage = ("华为OceanStor 5300 V5", "H3C CF8840", "浪潮AS2600G2", "")
    w.rooms.append(dict(department="市大数据局", district="", location=f"{w.P.city}政务云数据中心",
                        kinds="政务外网", bandwidth_mbps=1000.0, server_model=servers[0], servers=48,
                        storage_model=storage[0], storage_tb=200.0, cloud="keep", remark="政务云承载机房"))
    for d in w.districts:
        depts = [x for x in w.departments if x["district"] == d["name"]]
        for x in depts[:1 + (rrng.random() < 0.5)]:
            w.rooms.append(dict(
                department=x["name"], district=d["name"], location=f"{x['name']}机房",
                kinds=rrng.choice(("政务外网", "政务外网、互联网", "电子政务外网")),
                bandwidth_mbps=float(rrng.choice((50, 100, 200))), server_model=rrng.choice(servers),
                servers=rrng.randint(2, 24), storage_model=rrng.choice(storage),
                storage_tb=float(rrng.choice((4, 8, 20, 50))), cloud=rrng.choice(("migrate", "migrate", "keep")),
                remark=""))
            if not w.rooms[-1]["storage_model"]:
                w.rooms[-1]["storage_tb"] = None


def _ip(n):
    from .addressing import ip
    return ip(n)
