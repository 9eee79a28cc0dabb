"""Arista EOS running configurations.

EOS is IOS-like with its own habits: ``ip address A/LEN``, ``vrf V`` (4.23+)
or ``vrf forwarding V`` on interfaces, ``vrf instance V``, ``encapsulation
dot1q vlan N``, ``Port-Channel``, ``ip route [vrf V] A/LEN NH``, interface NAT
(``ip nat source dynamic|static``, ``ip nat destination static``), and
``router bgp`` with ``neighbor X peer group G`` and ``vrf V`` sections whose
``rd`` / ``route-target`` complete the VRF rows.  Model and version come
from the ``! device: NAME (MODEL, EOS-VERSION)`` banner comment.
"""
from __future__ import annotations

import re

from . import _cisco
from .base import gc_paused
from ._cisco import CiscoParser, Vrf, IGNORED, UNDERSTOOD, UNRECOGNIZED, BGP_IGNORE, line_loc

NAME = "eos"
VENDOR = "arista"
# the registry (netconsol.platforms): detection tie order (lower first), and the NAPALM drivers
# whose running config this module parses: driver -> (vendor of the box, transport)
ORDER = 50
LIVE_DRIVERS = {"eos": ("arista", "eapi")}
DRIVER_ALIASES = {"arista_eos": "eos"}  # names nornir/netmiko inventories use -> driver

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "detect", "parse", "normalize_interface", "TOP_IGNORE"]

CANONICAL = ("Ethernet", "Port-Channel", "Loopback", "Vlan", "Management", "Tunnel", "Vxlan", "Recirc-Channel",
             "UnconnectedEthernet", "Null", "Dps", "Fabric")
ABBREVIATIONS = {
    "et": "Ethernet", "eth": "Ethernet", "po": "Port-Channel", "lo": "Loopback", "vl": "Vlan", "ma": "Management",
    "mgmt": "Management", "tu": "Tunnel", "vx": "Vxlan", "ue": "UnconnectedEthernet", "nu": "Null",
}
normalize_interface = _cisco.make_normalizer(CANONICAL, ABBREVIATIONS)

# Top-level lines known and deliberately not read (first word -> None = all, set = those second words).
TOP_IGNORE = {w: None for w in """
end service boot logging aaa ntp username enable no management daemon transceiver spanning-tree
event-handler errdisable queue-monitor hardware ptp mlag peer-filter agent dhcp load-interval platform email
terminal dns sflow tap tcam monitor schedule route-map alias clock policy-map class-map lldp cdp
vlan switchport mac mac-address-table radius-server tacacs-server system role prompt qos
interface-defaults hostname-alias vrrp trace event-monitor dot1x port-channel cvx openconfig
virtual-cable-test ma sflow-interface tunnel-ribs ssh telemetry match-list traffic-policies
patch application bfd arp track mpls ipsec ip-access-list control-plane hardware-counters
poe l2-protocol redundancy community-list as-path snmp vmtracer dynamic sync banner-legacy
Building building stun flow mcs
""".split()}


class EosParser(CiscoParser):
    NAME = NAME
    VENDOR = VENDOR
    TOP_IGNORE = TOP_IGNORE
    DISCOVERY = {"lldp": re.compile(r"(?P<off>no )?lldp run")}   # on by default; EOS has no CDP
    BANNER_EOF = True
    BORROW_UNNUMBERED = True    # "ip address unnumbered Loopback0": the row holds Loopback0's address
    normalize = staticmethod(normalize_interface)

    def top_handlers(self):
        h = super().top_handlers()
        h["vrf"] = self.t_vrf
        return h

    def t_vrf(self, words, n, line, indent):
        # "vrf instance V" (4.23+), "vrf definition V" (older)
        if len(words) > 2 and words[1] in ("instance", "definition"):
            return self.vrf_start(words[2], n, indent)
        return UNRECOGNIZED

    def i_channel_group(self, words, n, line, itf):
        if len(words) > 1 and words[1].isdigit():
            itf["parent"] = "Port-Channel" + words[1]
            return UNDERSTOOD
        return IGNORED

    # ---- interface NAT
    def if_nat(self, words, n, itf):
        # ip nat source dynamic access-list ACL (pool P | overload)
        # ip nat (source|destination) static A [PORT] [access-list X] B [PORT] [protocol tcp|udp] [group N]
        nw = len(words)
        if nw > 3 and words[2] == "source" and words[3] == "dynamic":
            acl = self._after(words, "access-list", 4)
            pool = self._after(words, "pool", 4)
            if not acl:
                return UNRECOGNIZED
            self.r.nat.append({"kind": "outbound", "interface": itf["interface"], "inside": acl,
                               "outside": pool or itf["interface"], "protocol": "", "inside_port": "", "outside_port": "",
                               "vrf": itf["vrf"], "location": line_loc(n)})
            itf["nat"] = "outbound"
            return UNDERSTOOD
        if nw > 3 and words[2] in ("source", "destination") and words[3] == "static":
            pairs, proto = [], ""
            i = 4
            while i < nw:
                t = words[i]
                if t in ("access-list", "group", "comment"):
                    i += 2
                    continue
                if t == "protocol" and i + 1 < nw:
                    proto = words[i + 1].lower()
                    i += 2
                    continue
                if t.isdigit():
                    if pairs and not pairs[-1][1]:
                        pairs[-1][1] = t
                elif "." in t:
                    if not _cisco._is_v4(t):
                        self.bad_address(n, "ip nat", t, "not an IPv4 address")
                        return UNDERSTOOD
                    pairs.append([t, ""])
                i += 1
            if len(pairs) < 2:
                return UNRECOGNIZED
            (a, ap), (b, bp) = pairs[0], pairs[1]
            if words[2] == "source":
                inside, outside, ip_, op_ = a, b, ap, bp
                kind, role = "static", "outbound"
            else:   # destination: the original (public) address is translated to the server's
                inside, outside, ip_, op_ = b, a, bp, ap
                kind, role = "server", "server"
            self.r.nat.append({"kind": kind, "interface": itf["interface"], "inside": inside, "outside": outside,
                               "protocol": proto, "inside_port": ip_, "outside_port": op_, "vrf": itf["vrf"],
                               "location": line_loc(n)})
            if not itf["nat"]:
                itf["nat"] = role
            return UNDERSTOOD
        return IGNORED

    def ip_nat(self, words, n):
        return IGNORED   # top-level "ip nat pool|translation|profile ...": pools are named by the interface rows

    # ---- BGP
    def in_bgp(self, words, n, line, indent, vrf):
        w0 = words[0]
        if w0 == "neighbor":
            if len(words) > 1 and words[1] == "interface":   # unnumbered peering on a range of ports
                return IGNORED
            return self.bgp_neighbor(words, n, line, vrf)
        if w0 == "no":
            return self.undeclare(words, vrf)
        if w0 == "vrf" and len(words) > 1 and not vrf:
            self.push(indent, self.in_bgp, words[1])
            return UNDERSTOOD
        if (w0 == "rd" or w0 == "route-target") and vrf and len(words) > 1:
            v = self.vrfs.get(vrf)
            if v is None:
                v = self.vrfs[vrf] = Vrf(vrf, n)
            if w0 == "rd":
                v.rd = words[1]
                return UNDERSTOOD
            return self.vrf_rt(words, v)
        if w0 == "address-family" or w0 in BGP_IGNORE:
            return IGNORED
        return UNRECOGNIZED


EosParser.FRAME_NOOP = {
    "in_bgp": ((BGP_IGNORE | {"address-family"}) - {"neighbor", "no", "vrf", "rd", "route-target"},
               _cisco.NEIGHBOR_IGNORE),
    "in_vrf": ((EosParser.VRF_IGNORE | {"no"}) - {"rd", "route-target", "description", "address-family"}, None),
}


def detect(text: str) -> float:
    return _cisco.detect_scores(text)["eos"]


@gc_paused
def parse(text: str):
    return EosParser().parse(text)
