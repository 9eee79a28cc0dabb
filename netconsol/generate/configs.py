"""Device configurations as each vendor prints them: VRP, Comware 7, IOS, JunOS.

Plain string building (one list of lines per device, one join): the province
case writes 20,000+ configs.  Only statements netconsol's parsers read, plus a
few that every real config carries and parsers deliberately ignore (info-center,
ntp-service, snmp-agent, aaa, user-interface / line vty).  No secrets, not even
fake-looking ones: aaa blocks name schemes only.
"""
from __future__ import annotations

from .addressing import ip, mask, wildcard
from .model import Device

__all__ = ["render"]

_VRP_VERSION = {"core": "V800R011C10SPC100", "pe": "V800R011C10SPC100"}
_AR_VERSION = "V200R009C00SPC500"


def render(dev: Device) -> str:
    return _RENDER[dev.platform](dev) + "\n"


def _vrp_sub(dev, name):
    return "." in name and not name.startswith("Vlanif")


def _vrp(dev: Device) -> str:
    L = [f"!Software Version {_VRP_VERSION.get(dev.role, _AR_VERSION)}", "#", f"sysname {dev.host}", "#"]
    if dev.role not in ("core", "pe") and any(i.name.startswith("Vlanif") for i in dev.ifaces):
        vl = sorted({int(i.name[6:]) for i in dev.ifaces if i.name.startswith("Vlanif")})
        L += ["vlan batch " + " ".join(map(str, vl)), "#"]
    if dev.mgmt:
        L += [f"info-center loghost {ip(dev.mgmt[1])}", "#", f"ntp-service unicast-server {ip(dev.mgmt[0])}", "#"]
    for name, rd, rt, desc in dev.vrfs:
        L += [f"ip vpn-instance {name}", f" description {desc}", " ipv4-family"]
        if rd:      # a VRF-lite instance (management, a vertical line) has no RD
            L += [f"  route-distinguisher {rd}", f"  vpn-target {rt} export-extcommunity",
                  f"  vpn-target {rt} import-extcommunity"]
        L.append("#")
    for num, rules in dev.acls:
        L.append(f"acl number {num}")
        for k, (n, p) in enumerate(rules):
            L.append(f" rule {5 * (k + 1)} permit source {ip(n)} {wildcard(p)}")
        L.append("#")
    L += ["aaa", " authentication-scheme default", " authorization-scheme default", " accounting-scheme default",
          " domain default", "#"]
    ar = dev.role not in ("core", "pe")
    for i in dev.ifaces:
        L.append(f"interface {i.name}")
        if i.desc:
            L.append(f" description {i.desc}")
        if i.vlan:
            L.append(f" dot1q termination vid {i.vlan}" if ar else f" vlan-type dot1q {i.vlan}")
        if i.shutdown:
            L.append(" shutdown")
        if i.vrf:
            L.append(f" ip binding vpn-instance {i.vrf}")
        for k, (a, p) in enumerate(i.addrs):
            L.append(f" ip address {ip(a)} {mask(p)}" + (" sub" if k else ""))
        if i.vlan and ar:
            L.append(" arp broadcast enable")
        for vrid, vip in i.vrrp:
            L.append(f" vrrp vrid {vrid} virtual-ip {ip(vip)}")
        if i.nat == "outbound":
            L.append(f" nat outbound {i.acl}")
        for g, gp, a, ap in i.nat_servers:
            L.append(f" nat server protocol tcp global {ip(g)} {gp} inside {ip(a)} {ap}")
        L.append("#")
    L += ["interface NULL0", "#"]
    if dev.bgp_as:
        L += _vrp_bgp(dev)
    for vrf, n, p, nh, desc in dev.routes:
        v = f"vpn-instance {vrf} " if vrf else ""
        m = "0" if p == 0 else mask(p)
        L.append(f"ip route-static {v}{ip(n)} {m} {ip(nh)}" + (f" description {desc}" if desc else ""))
    if dev.routes:
        L.append("#")
    L += ["snmp-agent", f"snmp-agent sys-info location {dev.site}", "snmp-agent sys-info version v3", "#",
          "user-interface con 0", " authentication-mode aaa", "user-interface vty 0 4", " authentication-mode aaa",
          " protocol inbound ssh", "#", "return"]
    return "\n".join(L)


def _vrp_bgp(dev):
    L = [f"bgp {dev.bgp_as}", f" router-id {ip(dev.router_id)}"]
    glob = [p for p in dev.peers if not p[0]]
    for _, a, asn, ibgp in glob:
        L.append(f" peer {ip(a)} as-number {asn}")
        if ibgp:
            L.append(f" peer {ip(a)} connect-interface LoopBack0")
    L += [" #", " ipv4-family unicast", "  undo synchronization"]
    L += [f"  peer {ip(a)} enable" for _, a, _, _ in glob]
    ibgp = [a for _, a, _, i in glob if i]
    if ibgp:
        L += [" #", " ipv4-family vpnv4", "  policy vpn-target"] + [f"  peer {ip(a)} enable" for a in ibgp]
    vrfs = []
    for v, *_ in dev.peers:
        if v and v not in vrfs:
            vrfs.append(v)
    for v in vrfs:
        L += [" #", f" ipv4-family vpn-instance {v}"]
        L += [f"  peer {ip(a)} as-number {asn}" for vv, a, asn, _ in dev.peers if vv == v]
    L.append("#")
    return L


def _comware(dev: Device) -> str:
    L = ["#", " version 7.1.064, Release 0821P16", "#", f" sysname {dev.host}", "#",
         " clock timezone Beijing add 08:00:00", "#"]
    vl = sorted({int(i.name[14:]) for i in dev.ifaces if i.name.startswith("Vlan-interface")})
    for v in vl:
        L += [f"vlan {v}", "#"]
    for name, rd, rt, desc in dev.vrfs:
        L.append(f"ip vpn-instance {name}")
        if rd:
            L.append(f" route-distinguisher {rd}")
        L.append(f" description {desc}")
        if rd:
            L += [f" vpn-target {rt} import-extcommunity", f" vpn-target {rt} export-extcommunity"]
        L.append("#")
    for i in dev.ifaces:
        L.append(f"interface {i.name}")
        if i.desc:
            L.append(f" description {i.desc}")
        if i.shutdown:
            L.append(" shutdown")
        if i.vrf:
            L.append(f" ip binding vpn-instance {i.vrf}")
        for k, (a, p) in enumerate(i.addrs):
            L.append(f" ip address {ip(a)} {mask(p)}" + (" sub" if k else ""))
        for vrid, vip in i.vrrp:
            L.append(f" vrrp vrid {vrid} virtual-ip {ip(vip)}")
        if i.nat == "outbound":
            L.append(f" nat outbound {i.acl}")
        for g, gp, a, ap in i.nat_servers:
            L.append(f" nat server protocol tcp global {ip(g)} {gp} inside {ip(a)} {ap}")
        if i.vlan:
            L.append(f" vlan-type dot1q vid {i.vlan}")
        L.append("#")
    if dev.bgp_as:
        L += [f"bgp {dev.bgp_as}", f" router-id {ip(dev.router_id)}"]
        glob = [p for p in dev.peers if not p[0]]
        for _, a, asn, _ in glob:
            L.append(f" peer {ip(a)} as-number {asn}")
        if glob:
            L += [" #", " address-family ipv4 unicast"] + [f"  peer {ip(a)} enable" for _, a, _, _ in glob]
        vrfs = []
        for v, *_ in dev.peers:
            if v and v not in vrfs:
                vrfs.append(v)
        for v in vrfs:
            peers = [(a, asn) for vv, a, asn, _ in dev.peers if vv == v]
            L += [" #", f" ip vpn-instance {v}"] + [f"  peer {ip(a)} as-number {asn}" for a, asn in peers]
            L += ["  #", "  address-family ipv4 unicast"] + [f"   peer {ip(a)} enable" for a, _ in peers]
        L.append("#")
    for vrf, n, p, nh, desc in dev.routes:
        v = f"vpn-instance {vrf} " if vrf else ""
        L.append(f" ip route-static {v}{ip(n)} {p} {ip(nh)}" + (f" description {desc}" if desc else ""))
    if dev.routes:
        L.append("#")
    for num, rules in dev.acls:
        L.append(f"acl number {num}")
        for k, (n, p) in enumerate(rules):
            L.append(f" rule {5 * (k + 1)} permit source {ip(n)} {wildcard(p)}")
        L.append("#")
    if dev.mgmt:
        L += [f" info-center loghost {ip(dev.mgmt[1])}", "#"]
    L += [" snmp-agent", f" snmp-agent sys-info location {dev.site}", " snmp-agent sys-info version v3", "#"]
    if dev.mgmt:
        L += [" ntp-service enable", f" ntp-service unicast-server {ip(dev.mgmt[0])}", "#"]
    L += ["line vty 0 63", " authentication-mode scheme", " user-role network-operator", "#", "return"]
    return "\n".join(L)


def _ascii_name(text, fallback):
    t = text.replace(" ", "_")
    return t if t.isascii() and t else fallback


def _ios(dev: Device) -> str:
    L = ["!", "version 15.7", "service timestamps debug datetime msec", "service timestamps log datetime msec",
         "no service password-encryption", "!", f"hostname {dev.host}", "!", "no ip domain lookup", "ip cef", "!"]
    for name, rd, _rt, desc in dev.vrfs:
        L += [f"ip vrf {name}", f" description {desc}"] + ([f" rd {rd}"] if rd else []) + ["!"]
    for i in dev.ifaces:
        L.append(f"interface {i.name}")
        if i.desc:
            L.append(f" description {i.desc}")
        if i.vlan:
            L.append(f" encapsulation dot1Q {i.vlan}")
        if i.vrf:
            L.append(f" ip vrf forwarding {i.vrf}")
        if not i.addrs:
            L.append(" no ip address")
        for k, (a, p) in enumerate(i.addrs):
            L.append(f" ip address {ip(a)} {mask(p)}" + (" secondary" if k else ""))
        for vrid, vip in i.vrrp:
            L.append(f" vrrp {vrid} ip {ip(vip)}")
        if i.nat in ("inside", "outside"):
            L.append(f" ip nat {i.nat}")
        if i.shutdown or not i.addrs:
            L.append(" shutdown")
        L.append("!")
    if dev.bgp_as:
        L += [f"router bgp {dev.bgp_as}", f" bgp router-id {ip(dev.router_id)}", " bgp log-neighbor-changes"]
        L += [f" neighbor {ip(a)} remote-as {asn}" for v, a, asn, _ in dev.peers if not v]
        L.append("!")
    L += ["ip forward-protocol nd", "!"]
    if dev.nat_overload:
        L.append(f"ip nat inside source list {dev.nat_overload[0]} interface {dev.nat_overload[1]} overload")
    for vrf, n, p, nh, desc in dev.routes:
        name = _ascii_name(desc, "EXTRANET" if p else "INTERNET") if desc else ""
        v = f"vrf {vrf} " if vrf else ""
        L.append(f"ip route {v}{ip(n)} {mask(p)} {ip(nh)}" + (f" name {name}" if name else ""))
    L.append("!")
    for num, rules in dev.acls:
        for n, p in rules:
            L.append(f"access-list {num} permit {ip(n)} {wildcard(p)}")
    if dev.acls:
        L.append("!")
    if dev.mgmt:
        L += [f"logging host {ip(dev.mgmt[1])}", "!"]
    L += [f"snmp-server location {dev.site}", "!"]
    if dev.mgmt:
        L += [f"ntp server {ip(dev.mgmt[0])}", "!"]
    L += ["line con 0", "line vty 0 4", " login local", " transport input ssh", "!", "end"]
    return "\n".join(L)


def _junos(dev: Device) -> str:
    L = ["version 15.1R7.9;", "system {", f"    host-name {dev.host};", "    services {", "        ssh;", "    }"]
    if dev.mgmt:
        L += ["    syslog {", f"        host {ip(dev.mgmt[1])} {{", "            any notice;", "        }", "    }",
              "    ntp {", f"        server {ip(dev.mgmt[0])};", "    }"]
    L += ["}", "interfaces {"]
    phys: dict[str, list] = {}
    for i in dev.ifaces:
        ifd, _, unit = i.name.partition(".")
        phys.setdefault(ifd, []).append((unit or "0", i))
    for ifd, units in phys.items():
        L.append(f"    {ifd} {{")
        desc = next((i.desc for _, i in units if i.desc), "")
        if desc:
            L.append(f'        description "{desc}";')
        if any(i.shutdown for _, i in units):
            L.append("        disable;")
        for unit, i in units:
            L.append(f"        unit {unit} {{")
            if i.vlan:
                L.append(f"            vlan-id {i.vlan};")
            if i.addrs:
                L.append("            family inet {")
                L += [f"                address {ip(a)}/{p};" for a, p in i.addrs]
                L.append("            }")
            L.append("        }")
        L.append("    }")
    L += ["}", "snmp {", f'    location "{dev.site}";', "}"]
    if dev.routes or dev.bgp_as:
        L.append("routing-options {")
        if dev.routes:
            L.append("    static {")
            L += [f"        route {ip(n)}/{p} next-hop {ip(nh)};" for _, n, p, nh, _ in dev.routes]
            L.append("    }")
        if dev.bgp_as:
            L += [f"    router-id {ip(dev.router_id)};", f"    autonomous-system {dev.bgp_as};"]
        L.append("}")
    if dev.bgp_as and dev.peers:
        L += ["protocols {", "    bgp {", "        group EXTRANET {", "            type external;"]
        for _, a, asn, _ in dev.peers:
            L += [f"            neighbor {ip(a)} {{", f"                peer-as {asn};", "            }"]
        L += ["        }", "    }", "}"]
    return "\n".join(L)


_RENDER = {"vrp": _vrp, "comware": _comware, "ios": _ios, "junos": _junos}
