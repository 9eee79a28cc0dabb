"""Cisco IOS-XR running configurations.

XR differs from IOS where it matters here: ``ipv4 address``, ``vrf V`` on
interfaces, ``bundle id N`` membership, ``vrf`` blocks whose route-targets
are lists under ``import route-target`` / ``export route-target``,
``router static`` with ``vrf`` and ``address-family`` sub-blocks, and
``router bgp`` with ``neighbor X`` blocks (``remote-as``, ``use
neighbor-group``), ``neighbor-group`` / ``session-group`` templates and
``vrf V`` sections (``rd``).  Everything else comes from :mod:`._cisco`.
"""
from __future__ import annotations

import re

from . import _cisco
from .base import gc_paused
from ._cisco import (CiscoParser, Peer, Vrf, IGNORED, UNDERSTOOD, UNRECOGNIZED, BGP_IGNORE, XR_NEIGHBOR_IGNORE,
                     parse_asn)

NAME = "iosxr"
VENDOR = "cisco"
# the registry (netconsol.platforms): detection tie order (lower first), and the NAPALM drivers
# whose running config this module parses: driver -> (vendor of the box, transport)
ORDER = 40
LIVE_DRIVERS = {}
DRIVER_ALIASES = {}  # names nornir/netmiko inventories use -> driver

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "detect", "parse", "normalize_interface", "TOP_IGNORE"]

CANONICAL = (
    "GigabitEthernet", "TenGigE", "TwentyFiveGigE", "FortyGigE", "FiftyGigE", "HundredGigE", "TwoHundredGigE",
    "FourHundredGigE", "Bundle-Ether", "Bundle-POS", "Loopback", "MgmtEth", "BVI", "tunnel-te", "tunnel-ip",
    "tunnel-tp", "Null", "POS", "Serial", "nve", "PW-Ether", "PW-IW",
)
ABBREVIATIONS = {
    "gi": "GigabitEthernet", "gig": "GigabitEthernet", "te": "TenGigE", "tengigabitethernet": "TenGigE",
    "fo": "FortyGigE", "hu": "HundredGigE", "tf": "TwentyFiveGigE", "twe": "TwentyFiveGigE", "fh": "FourHundredGigE",
    "th": "TwoHundredGigE", "be": "Bundle-Ether", "bundle": "Bundle-Ether", "lo": "Loopback", "mg": "MgmtEth",
    "ma": "MgmtEth", "mgmt": "MgmtEth", "management": "MgmtEth", "bv": "BVI", "tt": "tunnel-te", "ti": "tunnel-ip",
    "nu": "Null", "pe": "PW-Ether",
}
normalize_interface = _cisco.make_normalizer(CANONICAL, ABBREVIATIONS)

# Top-level lines known and deliberately not read (first word -> None = all, set = those second words).
TOP_IGNORE = {w: None for w in """
end service boot logging line aaa crypto ntp username group taskgroup usergroup no control-plane alias
clock route-policy end-policy prefix-set end-set community-set extcommunity-set as-path-set rd-set tag-set
large-community-set mpls multicast-routing l2vpn evpn lldp cdp netconf netconf-yang grpc xml http lpts hw-module
fpd explicit-path segment-routing rsvp class-map policy-map flow sampler-map bfd ethernet vty-pool cinetd
tpa watchdog domain telnet ssh ipv4 ipv6 tacacs-server tacacs radius-server call-home key license
admin hw-module controller dwdm optics performance-mgmt telemetry install cdp-neighbor snmp-server
Building building commit mpls-ldp environment arp frequency redundancy nv macsec-policy vrrp hsrp
icmp udp tcp track sla ipsla object-tracking xr fabric event dhcp mpls-oam lacp errdisable smart
terminal crypto-ca default rcmd ftp tftp allocation cef router-id secret config confdConfig
""".split()}
TOP_IGNORE.update({d: None for d in _cisco._DAYS})   # "Thu Mar  9 12:00:00.000 UTC" at the top of show run


class XrParser(CiscoParser):
    NAME = NAME
    VENDOR = VENDOR
    TOP_IGNORE = TOP_IGNORE
    # XR: a bare "cdp" line turns CDP on, an "lldp" block turns LLDP on (both off by default)
    DISCOVERY = {p: re.compile(rf"(?P<off>no )?{p}") for p in ("lldp", "cdp")}
    normalize = staticmethod(normalize_interface)

    def top_handlers(self):
        h = super().top_handlers()
        h["vrf"] = self.t_vrf
        del h["ip"]
        return h

    def interface_handlers(self):
        h = super().interface_handlers()
        h["ipv4"] = self.i_ipv4
        h["bundle"] = self.i_bundle
        del h["channel-group"]
        return h

    def top_other(self, words, n, line, indent):
        if words[0].startswith("RP/") or words[0].startswith("LC/"):   # a prompt line: RP/0/RP0/CPU0:r1#show run
            return IGNORED
        return UNRECOGNIZED

    def iface_name(self, words):
        if len(words) > 2 and words[1] == "preconfigure":
            words = words[1:]
        return super().iface_name(words)

    # ---- interfaces
    def i_ipv4(self, words, n, line, itf):
        if len(words) < 2:
            return UNRECOGNIZED
        if words[1] == "address":
            return self.if_address(words, n, itf, "ipv4 address")
        if words[1] == "unnumbered" and len(words) > 2:
            itf["unnumbered"] = self.normalize(words[2])
            return UNDERSTOOD
        return IGNORED   # access-group, mtu, verify, redirects, helper-address...

    def i_bundle(self, words, n, line, itf):
        # "bundle id 1 mode active"
        if len(words) > 2 and words[1] == "id" and words[2].isdigit():
            itf["parent"] = "Bundle-Ether" + words[2]
            return UNDERSTOOD
        return IGNORED

    # ---- vrf blocks
    def t_vrf(self, words, n, line, indent):
        if len(words) < 2:
            return UNRECOGNIZED
        v = self.vrfs.get(words[1])
        if v is None:
            v = self.vrfs[words[1]] = Vrf(words[1], n)
        self.push(indent, self.in_xr_vrf, v)
        return UNDERSTOOD

    def in_xr_vrf(self, words, n, line, indent, v):
        w0 = words[0]
        if w0 == "address-family":
            self.push(indent, self.in_xr_vrf_af, v)
            return UNDERSTOOD
        if w0 == "description":
            parts = line.strip().split(None, 1)
            v.description = parts[1] if len(parts) > 1 else ""
            return UNDERSTOOD
        if w0 == "rd" and len(words) > 1:
            v.rd = words[1]
            return UNDERSTOOD
        if w0 in ("vpn", "mhost", "fallback-vrf", "evpn-route-sync", "remote-route-filtering", "mode", "no"):
            return IGNORED
        return UNRECOGNIZED

    def in_xr_vrf_af(self, words, n, line, indent, v):
        w0 = words[0]
        if w0 in ("import", "export") and len(words) > 1 and words[1] == "route-target":
            lst = v.imp if w0 == "import" else v.exp
            for rt in words[2:]:           # inline form, if any
                if ":" in rt and rt not in lst:
                    lst.append(rt)
            self.push(indent, self.in_xr_rt_list, lst)
            return UNDERSTOOD
        if w0 in ("import", "export", "maximum", "no"):
            return IGNORED   # route-policy, from default-vrf, to default-vrf, maximum prefix
        return UNRECOGNIZED

    def in_xr_rt_list(self, words, n, line, indent, lst):
        rt = words[0]
        if ":" in rt:
            if rt not in lst:
                lst.append(rt)
            return UNDERSTOOD
        return UNRECOGNIZED

    # ---- routers
    def t_router(self, words, n, line, indent):
        if len(words) > 1 and words[1] == "static":
            self.push(indent, self.in_xr_static, "")
            return UNDERSTOOD
        if len(words) > 2 and words[1] == "bgp":
            self.bgp_asn = parse_asn(words[2])
            if self.bgp_asn is None:
                self.issue(n, "router bgp", "bad-asn", f"line {n}: {words[2]!r} is not an AS number",
                           words[2], "AS number: 1-4294967295 or asdot 1.10")
            self.push(indent, self.in_xr_bgp, "")
            return UNDERSTOOD
        return IGNORED

    def in_xr_static(self, words, n, line, indent, vrf):
        w0 = words[0]
        if w0 == "address-family":
            self.push(indent, self.in_xr_static_af, vrf)
            return UNDERSTOOD
        if w0 == "vrf" and len(words) > 1 and not vrf:
            self.push(indent, self.in_xr_static, words[1])
            return UNDERSTOOD
        if w0 in ("maximum", "nsf", "no"):
            return IGNORED
        return UNRECOGNIZED

    def in_xr_static_af(self, words, n, line, indent, vrf):
        if "/" in words[0]:
            return self.ip_route(words, n, 0, vrf)
        return UNRECOGNIZED

    def in_xr_bgp(self, words, n, line, indent, vrf):
        w0 = words[0]
        nw = len(words)
        if w0 == "neighbor" and nw > 1:
            p = self.declare(vrf, words[1], n)
            self.push(indent, self.in_xr_neighbor, p)
            return UNDERSTOOD
        if w0 in ("neighbor-group", "session-group") and nw > 1:
            t = self.templates.get(words[1])
            if t is None:
                t = self.templates[words[1]] = Peer("", words[1], self.bgp_asn, n)
                t.is_group = True
            self.push(indent, self.in_xr_neighbor, t)
            return UNDERSTOOD
        if w0 == "vrf" and nw > 1 and not vrf:
            self.push(indent, self.in_xr_bgp, words[1])
            return UNDERSTOOD
        if w0 == "rd" and nw > 1 and vrf:
            v = self.vrfs.get(vrf)
            if v is None:
                v = self.vrfs[vrf] = Vrf(vrf, n)
            v.rd = words[1]
            return UNDERSTOOD
        if w0 in ("address-family", "af-group") or w0 in BGP_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def in_xr_neighbor(self, words, n, line, indent, p):
        w0 = words[0]
        nw = len(words)
        if w0 == "remote-as" and nw > 1:
            p.remote_as = parse_asn(words[1])
            return UNDERSTOOD
        if w0 == "description":
            parts = line.strip().split(None, 1)
            p.description = parts[1] if len(parts) > 1 else ""
            return UNDERSTOOD
        if w0 == "use" and nw > 2:
            if words[1] == "neighbor-group":
                p.group = words[2]
            elif words[1] == "session-group":
                p.inherit = words[2]
            else:
                return IGNORED   # af-group
            return UNDERSTOOD
        if w0 == "local-as" and nw > 1:
            p.local_as = parse_asn(words[1])
            return UNDERSTOOD
        if w0 in XR_NEIGHBOR_IGNORE or w0 == "no":
            return IGNORED
        return UNRECOGNIZED


XrParser.i_ipv4.fast_address = "ipv4 address"   # same "address" form as i_ip: the loop reads it itself
XrParser.FRAME_NOOP = {
    "in_xr_bgp": ((BGP_IGNORE | {"address-family", "af-group"})
                  - {"neighbor", "neighbor-group", "session-group", "vrf", "rd"}, None),
    "in_xr_neighbor": ((XR_NEIGHBOR_IGNORE | {"no"}) - {"remote-as", "description", "use", "local-as"}, None),
}


def detect(text: str) -> float:
    return _cisco.detect_scores(text)["iosxr"]


@gc_paused
def parse(text: str):
    return XrParser().parse(text)
