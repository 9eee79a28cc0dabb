"""Cisco NX-OS running configurations (Nexus 3000/5000/7000/9000), on the Cisco engine.

NX-OS looks like IOS and is not: ``feature X`` lines switch protocols on; VRFs are ``vrf context V``
blocks that also hold that VRF's static routes (``ip route P/LEN NH [name N]`` inside the block);
interfaces join a VRF with ``vrf member V``; addresses are written ``A/LEN``; an SVI (``interface
VlanN``) is shut until ``no shutdown`` says otherwise (loopbacks, ``mgmt0`` and Ethernet ports are
read as up unless ``shutdown``); first-hop gateways are ``hsrp N`` / ``ip VIP`` and ``vrrp N`` /
``address VIP`` blocks, and ``fabric forwarding mode anycast-gateway`` makes the SVI's own address
the distributed (anycast) gateway of a VXLAN EVPN fabric.  Those virtual addresses go to the
interfaces' ``gateways`` column.  BGP neighbours are blocks (``neighbor X`` then ``remote-as``,
``inherit peer T``, ``description``) under ``router bgp`` or its ``vrf V`` sections, and ``template
peer T`` blocks hold what neighbours inherit (remote AS included).
"""
from __future__ import annotations

from . import _cisco
from .base import gc_paused
from ._cisco import CiscoParser, IGNORED, UNDERSTOOD, UNRECOGNIZED, BGP_IGNORE, NEIGHBOR_IGNORE

NAME = "nxos"
VENDOR = "cisco"
ORDER = 55
LIVE_DRIVERS = {"nxos_ssh": ("cisco", "netmiko")}
DRIVER_ALIASES = {"nxos": "nxos_ssh", "cisco_nxos": "nxos_ssh"}  # names nornir/netmiko inventories use -> driver

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "detect", "parse", "normalize_interface", "TOP_IGNORE"]

CANONICAL = ("Ethernet", "port-channel", "loopback", "Vlan", "mgmt", "Tunnel", "nve", "Null")
ABBREVIATIONS = {
    "eth": "Ethernet", "et": "Ethernet", "e": "Ethernet", "po": "port-channel", "lo": "loopback", "vl": "Vlan",
    "tu": "Tunnel", "nu": "Null",
}
normalize_interface = _cisco.make_normalizer(CANONICAL, ABBREVIATIONS)

# Top-level lines known and deliberately not read (first word -> None = all, with their children).
TOP_IGNORE = {w: None for w in """
end service boot logging aaa ntp username enable no copp control-plane vdc spanning-tree vpc
role clock route-map policy-map class-map lldp cdp vlan system snmp-server line ssh telnet
cfs hardware rmon callhome errdisable port-channel object-group evpn nv fabric mac track
power banner license install password-strength-check bfd mpls segment-routing ipv6 key
monitor tacacs-server radius-server aaa-server ip-sla sflow ptp udld nxapi virtual-service
event xml ldap terminal cli alias macro qos priority-flow-control policy system-qos userpassphrase
switchname hsrp vrrp slot crypto config zone zoneset device-alias
""".split()}

# interface sub-commands of NX-OS's own, known and not read (nve source and replication settings, ...)
IF_IGNORE = frozenset("""
source-interface global host-reachability member ingress-replication suppress-arp advertise-pip
vpc port-type beacon rate-mode medium
""".split())
IF_IP_IGNORE = frozenset({"forward", "port", "dhcp", "arp"})


class NxosParser(CiscoParser):
    NAME = NAME
    VENDOR = VENDOR
    TOP_IGNORE = TOP_IGNORE
    normalize = staticmethod(normalize_interface)
    BORROW_UNNUMBERED = True

    def __init__(self):
        super().__init__()
        self.anycast = []          # interfaces whose own address is the fabric's anycast gateway
        self.features = []

    def top_handlers(self):
        h = super().top_handlers()
        h["version"] = self.t_version
        h["feature"] = self.t_feature
        h["vrf"] = self.t_vrf
        h["switchname"] = self.t_hostname
        return h

    def interface_handlers(self):
        h = super().interface_handlers()
        h["hsrp"] = self.i_hsrp
        h["vrrp"] = self.i_vrrp
        h["fabric"] = self.i_fabric
        return h

    # ---- top level
    def t_feature(self, words, n, line, indent):
        if len(words) > 1:
            self.features.append(words[1])
            if words[1] == "lldp":
                self.r.device["lldp"] = True
        return UNDERSTOOD

    def t_vrf(self, words, n, line, indent):
        # "vrf context V": the VRF and its own static routes
        if len(words) > 2 and words[1] == "context":
            v = self.vrfs.get(words[2])
            if v is None:
                v = self.vrfs[words[2]] = _cisco.Vrf(words[2], n)
            self.push(indent, self.in_vrf_context, v)
            return UNDERSTOOD
        return UNRECOGNIZED

    def in_vrf_context(self, words, n, line, indent, v):
        if words[0] == "ip" and len(words) > 2 and words[1] == "route":
            return self.ip_route(words, n, 2, v.name)
        if words[0] in ("vni", "ipv6"):
            return IGNORED
        return self.in_vrf(words, n, line, indent, v)

    # ---- interfaces
    def t_interface(self, words, n, line, indent):
        name = self.iface_name(words)
        fresh = name and name not in self.ifaces
        st = super().t_interface(words, n, line, indent)
        if fresh and st == UNDERSTOOD and name.startswith("Vlan"):
            self.ifaces[name]["admin_up"] = False   # an SVI is shut until "no shutdown"
        return st

    def in_interface(self, words, n, line, indent, itf):
        self._indent = indent
        w0 = words[0]
        if w0 in IF_IGNORE or (w0 == "ip" and len(words) > 1 and words[1] in IF_IP_IGNORE):
            return IGNORED
        return super().in_interface(words, n, line, indent, itf)

    def i_hsrp(self, words, n, line, itf):
        # "hsrp version 2" / "hsrp N [ipv4|ipv6]" then an indented block: "ip VIP [secondary]"
        if len(words) > 1 and words[1].isdigit():
            if len(words) > 2 and words[2] == "ipv6":
                self.push(self._indent, self.in_ignored)
                return IGNORED
            self.push(self._indent, self.in_fhrp, (itf, "ip"))
            return UNDERSTOOD
        return IGNORED

    def i_vrrp(self, words, n, line, itf):
        # "vrrp N" then "address VIP [secondary]"
        if len(words) > 1 and words[1].isdigit():
            self.push(self._indent, self.in_fhrp, (itf, "address"))
            return UNDERSTOOD
        return IGNORED

    def in_fhrp(self, words, n, line, indent, data):
        itf, key = data
        if words[0] == key and len(words) > 1:
            return UNDERSTOOD if _cisco.add_gateway(itf, words[1]) else IGNORED
        return IGNORED   # priority, preempt, authentication, timers, track, (no) shutdown

    def i_fabric(self, words, n, line, itf):
        # "fabric forwarding mode anycast-gateway": the SVI's address is every leaf's gateway
        if words[1:] == ["forwarding", "mode", "anycast-gateway"]:
            self.anycast.append(itf)
            return UNDERSTOOD
        return IGNORED

    # ---- BGP: "neighbor X" blocks, "vrf V" sections, "template peer T"
    def in_bgp(self, words, n, line, indent, vrf):
        w0 = words[0]
        if w0 == "neighbor" and len(words) > 1:
            if len(words) == 2 or (len(words) == 3 and words[2] != "remote-as"):
                # "neighbor X" or "neighbor X/LEN"-less forms with the settings below; the row is
                # declared here (its line), its remote AS may come from a template
                p = self.declare(vrf, words[1], n)
                self.push(indent, self.in_neighbor, p)
                return UNDERSTOOD
            st = self.bgp_neighbor(words, n, line, vrf)
            if st == UNDERSTOOD:
                self.push(indent, self.in_neighbor, self.peers.get((vrf, words[1])))
            return st
        if w0 == "vrf" and len(words) > 1 and not vrf:
            self.push(indent, self.in_bgp, words[1])
            return UNDERSTOOD
        if w0 == "template" and len(words) > 2 and words[1] == "peer":
            return super().in_bgp(words, n, line, indent, vrf)
        if w0 == "template":
            self.push(indent, self.in_ignored)   # peer-session / peer-policy templates: not read
            return IGNORED
        if w0 == "address-family" or w0 in BGP_IGNORE:
            return IGNORED
        return UNRECOGNIZED

    def in_neighbor(self, words, n, line, indent, p):
        if p is None:
            return IGNORED
        w0 = words[0]
        if w0 == "remote-as" and len(words) > 1:
            p.remote_as = _cisco.parse_asn(words[1])
            return UNDERSTOOD
        if w0 == "inherit" and len(words) > 2 and words[1] == "peer":
            p.inherit = words[2]
            return UNDERSTOOD
        if w0 == "description":
            parts = line.strip().split(None, 1)
            p.description = parts[1] if len(parts) > 1 else ""
            return UNDERSTOOD
        if w0 == "local-as" and len(words) > 1:
            p.local_as = _cisco.parse_asn(words[1])
            return UNDERSTOOD
        return IGNORED   # address-family, update-source, ebgp-multihop, password, timers, ...

    def finish(self):
        for itf in self.anycast:
            pr = itf.primary
            if pr is not None:
                _cisco.add_gateway(itf, pr[0] if len(pr) == 3 else pr[0]["ip"])
        super().finish()


NxosParser.FRAME_NOOP = {
    "in_bgp": ((BGP_IGNORE | {"address-family"}) - {"neighbor", "vrf", "template"}, NEIGHBOR_IGNORE),
}


def detect(text: str) -> float:
    return _cisco.detect_scores(text)["nxos"]


@gc_paused
def parse(text: str):
    return NxosParser().parse(text)
