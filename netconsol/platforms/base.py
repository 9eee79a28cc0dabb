"""What every platform (vendor syntax) module provides, and shared helpers.

A platform module exposes::

    NAME = "vrp"            # parser id, used by --platform
    VENDOR = "huawei"
    def detect(text: str) -> float      # confidence 0..1 that text is this syntax
    def parse(text: str) -> ParseResult # never raises on bad input

Rows in a ParseResult are dicts (a parser may hand over a dict subclass holding
its own working state in slots, as the Cisco engine's interfaces do) using the column names of
:mod:`netconsol.schema` (without ``device`` and ``source``: the collector adds
them) and carry ``location`` = ``"line N"`` (1-based line of the statement).
Problems go to ``issues`` (same columns as the issues table, without
``source``).  Coverage: every non-blank line is counted exactly once as
understood, ignored (known, deliberately not read) or unrecognized, so
``understood + ignored + len(unrecognized) == lines``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from socket import AF_INET as _AF_INET, inet_pton as _pton

from netaddr import IPNetwork, AddrFormatError

__all__ = ["ParseResult", "gc_paused", "make_address", "mask_to_len", "wildcard_to_len", "decode", "line_loc"]


def gc_paused(parse):
    """Run *parse* with the cyclic garbage collector paused.

    A parse allocates tens of thousands of short-lived rows and frames and leaves no
    reference cycles behind (the parsers break their own), yet each 700 allocations start
    a collection that walks every young object: up to a quarter of a parse's time.  Paused,
    the collector runs once after the parse instead; reference counting frees as before.
    """
    import functools
    import gc

    disable, enable, isenabled = gc.disable, gc.enable, gc.isenabled

    @functools.wraps(parse)
    def paused(*args, **kwargs):
        if not isenabled():
            return parse(*args, **kwargs)
        disable()
        try:
            return parse(*args, **kwargs)
        finally:
            enable()
    return paused


@dataclass(init=False)
class ParseResult:
    platform: str
    vendor: str
    device: dict = field(default_factory=dict)   # hostname, model, os_version, serial, location; lldp, cdp
                                                 # (True/False) when the config switches them
    interfaces: list = field(default_factory=list)
    vrfs: list = field(default_factory=list)
    routes: list = field(default_factory=list)
    nat: list = field(default_factory=list)
    bgp: list = field(default_factory=list)
    neighbors: list = field(default_factory=list)  # lldp/cdp: interface, neighbor, neighbor_interface, protocol
    issues: list = field(default_factory=list)
    lines: int = 0
    understood: int = 0
    ignored: int = 0
    unrecognized: list = field(default_factory=list)  # (line number, text)

    def __init__(self, platform, vendor, device=None, interfaces=None, vrfs=None, routes=None, nat=None, bgp=None,
                 neighbors=None, issues=None, lines=0, understood=0, ignored=0, unrecognized=None):
        # the dataclass's own __init__, without a default_factory call per list: one per parse, ~3x faster
        self.platform = platform
        self.vendor = vendor
        self.device = {} if device is None else device
        self.interfaces = [] if interfaces is None else interfaces
        self.vrfs = [] if vrfs is None else vrfs
        self.routes = [] if routes is None else routes
        self.nat = [] if nat is None else nat
        self.bgp = [] if bgp is None else bgp
        self.neighbors = [] if neighbors is None else neighbors
        self.issues = [] if issues is None else issues
        self.lines = lines
        self.understood = understood
        self.ignored = ignored
        self.unrecognized = [] if unrecognized is None else unrecognized

    def check_counts(self) -> bool:
        return self.understood + self.ignored + len(self.unrecognized) == self.lines


def line_loc(n: int) -> str:
    return f"line {n}"


_MASKS = {}
_WILDCARDS = {}
for _n in range(33):
    _m = (0xFFFFFFFF << (32 - _n)) & 0xFFFFFFFF
    _s = ".".join(str((_m >> s) & 255) for s in (24, 16, 8, 0))
    _MASKS[_s] = _n
    _w = _m ^ 0xFFFFFFFF
    _WILDCARDS[".".join(str((_w >> s) & 255) for s in (24, 16, 8, 0))] = _n


def mask_to_len(mask: str) -> int:
    """'255.255.255.0' -> 24; '24' -> 24. ValueError on a non-contiguous mask."""
    n = _MASKS.get(mask)
    if n is not None:
        return n
    if mask.isdigit() and int(mask) <= 128:
        return int(mask)
    raise ValueError(f"not a netmask or prefix length: {mask!r}")


def wildcard_to_len(wildcard: str) -> int:
    """'0.0.0.255' -> 24. ValueError otherwise."""
    n = _WILDCARDS.get(wildcard)
    if n is None:
        raise ValueError(f"not a contiguous wildcard mask: {wildcard!r}")
    return n


_from_bytes = int.from_bytes


def _v4_int(ip: str) -> int:
    try:                                 # strict dotted quad, in C: the common case
        return _from_bytes(_pton(_AF_INET, ip), "big")
    except (OSError, ValueError, TypeError):   # leading zeros ("010.1.1.1") and errors: the checks below
        pass
    parts = ip.split(".")
    if len(parts) != 4:
        raise ValueError(ip)
    v = 0
    for p in parts:
        if not p.isdigit() or len(p) > 3:
            raise ValueError(ip)
        b = int(p)
        if b > 255:
            raise ValueError(ip)
        v = (v << 8) | b
    return v


def make_address(ip: str, length) -> dict:
    """Interface-address columns from an address and a mask or prefix length.

    IPv4 is done with integer arithmetic (hot path: every config address);
    IPv6 goes through netaddr.  Raises ValueError quoting the bad value.
    """
    if ":" in ip:
        try:
            net = IPNetwork(f"{ip}/{length}")
        except (AddrFormatError, ValueError) as e:
            raise ValueError(f"bad IPv6 address {ip}/{length}: {e}") from None
        return {"address": f"{net.ip}/{net.prefixlen}", "ip": str(net.ip), "prefixlen": net.prefixlen,
                "subnet": str(net.cidr), "family": 6}
    plen = mask_to_len(str(length))
    if plen > 32:
        raise ValueError(f"IPv4 prefix length {plen} > 32 for {ip!r}")
    try:
        v = _v4_int(ip)
    except ValueError:
        raise ValueError(f"bad IPv4 address {ip!r}") from None
    m = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
    n = v & m
    net = f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}/{plen}"
    return {"address": f"{ip}/{plen}", "ip": ip, "prefixlen": plen, "subnet": net, "family": 4}


def decode(data: bytes) -> tuple[str, str]:
    """Decode config/sheet bytes: UTF-8 (with or without BOM), else GB18030 (a superset of GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), "utf-8 (replaced)"
