"""Huawei VRP (``display current-configuration`` / ``display saved-configuration``).

The parsing engine is shared with H3C Comware in :mod:`._hw`; this module holds
what is VRP's own: interface names and the markers that tell VRP text apart.
"""
from __future__ import annotations

import re

from . import _hw
from .base import ParseResult, gc_paused

__all__ = ["NAME", "VENDOR", "ORDER", "LIVE_DRIVERS", "DRIVER_ALIASES", "detect", "parse", "normalize_interface"]

NAME = "vrp"
VENDOR = "huawei"
# the registry (netconsol.platforms): detection tie order (lower first), and the NAPALM drivers
# whose running config this module parses: driver -> (vendor of the box, transport)
ORDER = 10
LIVE_DRIVERS = {"huawei_vrp": ("huawei", "netmiko")}
DRIVER_ALIASES = {"huawei": "huawei_vrp", "vrp": "huawei_vrp"}  # names nornir/netmiko inventories use -> driver

# lower-case type prefix as typed or abbreviated in `display` output -> full name
ALIASES = {
    "ge": "GigabitEthernet", "gigabitethernet": "GigabitEthernet", "gi": "GigabitEthernet",
    "xge": "XGigabitEthernet", "xgigabitethernet": "XGigabitEthernet",
    "10ge": "10GE", "25ge": "25GE", "40ge": "40GE", "50ge": "50GE", "100ge": "100GE", "200ge": "200GE",
    "400ge": "400GE", "multige": "MultiGE",
    "eth": "Ethernet", "ethernet": "Ethernet",
    "eth-trunk": "Eth-Trunk", "ip-trunk": "Ip-Trunk",
    "vlanif": "Vlanif", "vbdif": "Vbdif",
    "loop": "LoopBack", "lo": "LoopBack", "loopback": "LoopBack",
    "tun": "Tunnel", "tunnel": "Tunnel",
    "null": "NULL",
    "meth": "MEth",
    "nve": "Nve",
    "vt": "Virtual-Template", "virtual-template": "Virtual-Template",
    "ve": "Virtual-Ethernet", "virtual-ethernet": "Virtual-Ethernet", "global-ve": "Global-VE",
    "dialer": "Dialer", "cellular": "Cellular", "serial": "Serial", "s": "Serial", "pos": "Pos",
    "atm": "Atm", "wlan-ess": "Wlan-Ess", "wlan-radio": "Wlan-Radio", "wlan-bss": "Wlan-Bss",
    "virtual-if": "Virtual-if",
}
KINDS = {
    "GigabitEthernet": "physical", "XGigabitEthernet": "physical", "10GE": "physical", "25GE": "physical",
    "40GE": "physical", "50GE": "physical", "100GE": "physical", "200GE": "physical", "400GE": "physical",
    "MultiGE": "physical", "Ethernet": "physical", "Serial": "physical", "Pos": "physical",
    "Atm": "physical", "Cellular": "physical",
    "Eth-Trunk": "aggregate", "Ip-Trunk": "aggregate",
    "Vlanif": "vlan", "Vbdif": "vlan",
    "LoopBack": "loopback",
    "Tunnel": "tunnel", "Nve": "tunnel",
    "MEth": "management",
}

# "lldp enable" / "undo lldp enable" in the system view (a per-interface "undo lldp enable" is indented)
DISCOVERY = {"lldp": re.compile(r"(?P<off>undo )?lldp enable")}
DIALECT = _hw.Dialect(NAME, VENDOR, ALIASES, KINDS, member_aggregate="Eth-Trunk", discovery=DISCOVERY)

def detect(text: str) -> float:
    """Confidence that *text* is VRP configuration (0..1)."""
    try:
        return _hw.detect_scores(text)[0]
    except Exception:
        return 0.0


@gc_paused
def parse(text: str) -> ParseResult:
    """VRP configuration text -> ParseResult; never raises."""
    return _hw.parse_text(text, DIALECT)


def normalize_interface(name: str) -> str:
    """'GE0/0/1.100' -> 'GigabitEthernet0/0/1.100', 'XGE0/0/1' -> 'XGigabitEthernet0/0/1'."""
    return DIALECT.normalize_interface(name)
