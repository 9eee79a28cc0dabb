"""H3C / HPE Comware (``display current-configuration``), versions 5 and 7.

The parsing engine is shared with Huawei VRP in :mod:`._hw`; this module holds
what is Comware's own: interface names (Ten-GigabitEthernet, Vlan-interface,
Bridge-Aggregation ...) and the markers that tell Comware text apart.
"""
from __future__ import annotations

import re

from . import _hw
from .base import ParseResult, gc_paused

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "detect", "parse", "normalize_interface"]

NAME = "comware"
VENDOR = "h3c"
# the registry (netconsol.platforms): detection tie order (lower first), and the NAPALM drivers
# whose running config this module parses: driver -> (vendor of the box, transport)
ORDER = 20
LIVE_DRIVERS = {}
DRIVER_ALIASES = {}  # names nornir/netmiko inventories use -> driver

# lower-case type prefix as typed or abbreviated in `display` output -> full name
ALIASES = {
    "ge": "GigabitEthernet", "gigabitethernet": "GigabitEthernet", "gi": "GigabitEthernet",
    "xge": "Ten-GigabitEthernet", "ten-gigabitethernet": "Ten-GigabitEthernet",
    "fge": "FortyGigE", "fortygige": "FortyGigE", "hge": "HundredGigE", "hundredgige": "HundredGigE",
    "wge": "Twenty-FiveGigE", "twenty-fivegige": "Twenty-FiveGigE",
    "mge": "M-GigabitEthernet", "m-gigabitethernet": "M-GigabitEthernet", "m-ethernet": "M-Ethernet",
    "meth": "M-Ethernet",
    "eth": "Ethernet", "ethernet": "Ethernet",
    "bagg": "Bridge-Aggregation", "bridge-aggregation": "Bridge-Aggregation",
    "ragg": "Route-Aggregation", "route-aggregation": "Route-Aggregation",
    "vlan": "Vlan-interface", "vlan-int": "Vlan-interface", "vlan-interface": "Vlan-interface",
    "loop": "LoopBack", "lo": "LoopBack", "loopback": "LoopBack",
    "tun": "Tunnel", "tunnel": "Tunnel",
    "null": "NULL",
    "s": "Serial", "ser": "Serial", "serial": "Serial",
    "dia": "Dialer", "dialer": "Dialer", "cellular": "Cellular",
    "vt": "Virtual-Template", "virtual-template": "Virtual-Template",
    "vsi": "Vsi-interface", "vsi-interface": "Vsi-interface",
    "pos": "Pos", "atm": "Atm",
}
KINDS = {
    "GigabitEthernet": "physical", "Ten-GigabitEthernet": "physical", "FortyGigE": "physical",
    "HundredGigE": "physical", "Twenty-FiveGigE": "physical", "Ethernet": "physical", "Serial": "physical",
    "Pos": "physical", "Atm": "physical", "Cellular": "physical",
    "Bridge-Aggregation": "aggregate", "Route-Aggregation": "aggregate",
    "Vlan-interface": "vlan",
    "LoopBack": "loopback",
    "Tunnel": "tunnel",
    "M-GigabitEthernet": "management", "M-Ethernet": "management",
}

# " lldp global enable" / " undo lldp global enable" (Comware prints system-view lines one space in)
DISCOVERY = {"lldp": re.compile(r"(?P<off>undo )?lldp global enable")}
DIALECT = _hw.Dialect(NAME, VENDOR, ALIASES, KINDS, member_aggregate="Bridge-Aggregation",
                      discovery=DISCOVERY)


def detect(text: str) -> float:
    """Confidence that *text* is Comware configuration (0..1)."""
    try:
        return _hw.detect_scores(text)[1]
    except Exception:
        return 0.0


@gc_paused
def parse(text: str) -> ParseResult:
    """Comware configuration text -> ParseResult; never raises."""
    return _hw.parse_text(text, DIALECT)


def normalize_interface(name: str) -> str:
    """'XGE1/0/1' -> 'Ten-GigabitEthernet1/0/1', 'BAGG10' -> 'Bridge-Aggregation10'."""
    return DIALECT.normalize_interface(name)
