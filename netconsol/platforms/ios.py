"""Cisco IOS / IOS-XE running configurations.

Reads hostname, version, model (RANCID ``!Chassis type:`` header or
``license udi pid``), snmp location; interfaces with every address
(secondaries never overwrite the primary), VRF membership (``vrf forwarding``
and ``ip vrf forwarding``), ``ip unnumbered``, ``ip nat inside|outside``,
dot1Q VLAN and port-channel membership; ``ip vrf`` / ``vrf definition`` with
RD and route-targets; ``ip route`` (global and VRF); ``ip nat inside source``
(list/route-map to interface or pool, static with protocol/ports/network);
``router bgp`` neighbors with peer-groups, peer-session templates and
``address-family ipv4 vrf`` sections.  The engine is in :mod:`._cisco`.
"""
from __future__ import annotations

import re

from . import _cisco
from .base import gc_paused
from ._cisco import CiscoParser, IGNORED, UNRECOGNIZED

NAME = "ios"
VENDOR = "cisco"
# the registry (netconsol.platforms): detection tie order (lower first), and the NAPALM drivers
# whose running config this module parses: driver -> (vendor of the box, transport)
ORDER = 30
LIVE_DRIVERS = {"ios": ("cisco", "netmiko")}
DRIVER_ALIASES = {"cisco_ios": "ios"}  # names nornir/netmiko inventories use -> driver

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "detect", "parse", "normalize_interface", "TOP_IGNORE"]

CANONICAL = (
    "Ethernet", "FastEthernet", "GigabitEthernet", "TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet",
    "HundredGigE", "TwoGigabitEthernet", "FiveGigabitEthernet", "AppGigabitEthernet", "Port-channel", "Loopback",
    "Vlan", "Tunnel", "Serial", "Multilink", "Dialer", "Null", "BDI", "BVI", "Virtual-Template", "Virtual-Access",
    "Management", "Cellular", "ATM", "POS", "Async", "Group-Async", "Embedded-Service-Engine", "VirtualPortGroup",
    "NVI", "LISP", "Wlan-GigabitEthernet", "Virtual-PPP", "nve",
)
ABBREVIATIONS = {
    "gi": "GigabitEthernet", "gig": "GigabitEthernet", "ge": "GigabitEthernet", "te": "TenGigabitEthernet",
    "ten": "TenGigabitEthernet", "tengige": "TenGigabitEthernet", "fa": "FastEthernet", "et": "Ethernet",
    "eth": "Ethernet", "po": "Port-channel", "lo": "Loopback", "vl": "Vlan", "tu": "Tunnel", "se": "Serial",
    "fo": "FortyGigabitEthernet", "hu": "HundredGigE", "twe": "TwentyFiveGigE", "tw": "TwoGigabitEthernet",
    "mu": "Multilink", "di": "Dialer", "nu": "Null", "ma": "Management", "mgmt": "Management",
    "vt": "Virtual-Template", "vi": "Virtual-Access", "ap": "AppGigabitEthernet",
}
normalize_interface = _cisco.make_normalizer(CANONICAL, ABBREVIATIONS)

# Top-level lines known and deliberately not read, keyed by first word: None = every line with that
# first word (and everything indented under it), a set = only those second words.  "ip", "ipv6",
# "router", "snmp-server", "interface" and friends have handlers; their unread forms are listed there.
TOP_IGNORE = {w: None for w in """
end service boot boot-start-marker boot-end-marker logging line aaa access-list crypto ntp username enable
no control-plane alias clock route-map mpls multilink redundancy diagnostic archive memory spanning-tree
vtp vlan lldp cdp call-home platform netconf-yang restconf virtual-service key tacacs-server tacacs
radius-server radius policy-map class-map track object-group zone zone-pair parameter-map subscriber
login errdisable port-channel power system hw-module card config-register mac mac-address-table monitor
event kron scheduler dial-peer voice voice-port telephony-service sccp ephone template file fhrp bfd
bridge pseudowire-class l2vpn segment-routing ethernet privilege process exception secure cts dot1x
device-tracking wsma sntp security shell threat flow performance mls qos auto udld vstack stack-mac
switch table-map webvpn gatekeeper dialer-list chat-script policy default exit rmon wism license-agent
dspfarm sip-ua application gateway stcapp ivr xconnect vpdn isdn controller network-clock
transceiver dhcp email cts-network ipsla nat66 dns-guard management-interface domain ptp macro
access-session authentication epm parser cpp service-template service-policy-map energywise
identity ipc lacp port-security srr-queue wrr-queue queue-set rep storm-control vmps ntp-server
mac-address avc profile utd sdwan vrrp resource hsrp pnp coap nhrp sla tftp-server onep tracking
Building Current building current hardware fabric mdns-sd wireless ap username-regex call
mpls-te mediatrace ethernet-ring virtual-template spanning tunnel-group firewall ipv4 l2tp-class
""".split()}


# "lldp run" / "no lldp run", "cdp run" / "no cdp run" (IOS defaults: CDP on, LLDP off)
DISCOVERY = {p: re.compile(rf"(?P<off>no )?{p} run") for p in ("lldp", "cdp")}


class IosParser(CiscoParser):
    NAME = NAME
    VENDOR = VENDOR
    TOP_IGNORE = TOP_IGNORE
    DISCOVERY = DISCOVERY
    normalize = staticmethod(normalize_interface)

    def top_handlers(self):
        h = super().top_handlers()
        h["version"] = self.t_version
        h["vrf"] = self.t_vrf
        h["license"] = self.t_license
        return h

    def t_vrf(self, words, n, line, indent):
        # "vrf definition V"
        if len(words) > 2 and words[1] == "definition":
            return self.vrf_start(words[2], n, indent)
        return UNRECOGNIZED if len(words) < 2 else IGNORED


def detect(text: str) -> float:
    return _cisco.detect_scores(text)["ios"]


@gc_paused
def parse(text: str):
    return IosParser().parse(text)

