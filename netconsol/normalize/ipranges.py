"""IP address ranges as people type them into the self-inspection sheets -> CIDR lists (netaddr).

One cell can hold a CIDR, an address + netmask or wildcard mask, a range (full or short), a glob,
a bare address, or a list of any of these, in full-width characters and with labels and remarks
around them.  :func:`to_cidrs` returns the exact CIDR cover of each item, in input order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import netaddr
from socket import inet_aton as _inet_aton

from netconsol.errors import NormalizeError
from netconsol.normalize.text import fold, is_blank

__all__ = ["RangeResult", "to_cidrs", "is_public", "prefix_facts", "EXPECTED_RANGE"]

EXPECTED_RANGE = "an IPv4/IPv6 address, CIDR, address + mask, range or glob, e.g. 10.1.1.0/24"


@dataclass
class RangeResult:
    """What one cell holds.

    ``cidrs``: CIDR strings, each item's exact minimal cover, items in input order, duplicates
    removed (items are not merged with each other: two /25s typed separately stay two rows'
    worth of evidence); a range covering every host of one subnet is that subnet.  ``hosts``: addresses kept when an item had host bits set
    (``10.1.1.5/24`` is usually an interface address, worth knowing).  ``notes``: what was
    assumed or ignored, for the issues table.  ``subnets``: host ranges read as their subnet
    (``10.2.3.1-10.2.3.254`` -> 10.2.3.0/24), said so (an info issue, not a warning).
    """

    cidrs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    subnets: list[str] = field(default_factory=list)


class _Bad(Exception):
    """Internal: the reason an item failed; to_cidrs re-raises it as NormalizeError."""


# --- the fast path: a plain dotted quad with an optional prefix length, nothing else ------------
_PLAIN = re.compile(r"\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:/(\d{1,2}))?\s*")


def _net(a: int, b: int, c: int, d: int, plen: int) -> tuple:
    ip = (a << 24) | (b << 16) | (c << 8) | d
    mask = (0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF
    net = ip & mask
    cidr = f"{net >> 24}.{(net >> 16) & 255}.{(net >> 8) & 255}.{net & 255}/{plen}"
    if net == ip:
        return (cidr,), (), (), ()
    host = f"{a}.{b}.{c}.{d}"
    return (cidr,), (f"host bits set in {host}/{plen}: network {cidr}",), (host,), ()


def _plain(m: re.Match) -> tuple | None:
    a, b, c, d, p = m.groups()
    a, b, c, d = int(a), int(b), int(c), int(d)
    if a > 254 or b > 255 or c > 255 or d > 255:
        return None  # the general path words the error (or the lone-mask complaint for 255.)
    plen = 32 if p is None else int(p)
    if plen > 32:
        return None
    return _net(a, b, c, d, plen)


# two more shapes typed all the time, each with its own fast path; anything unusual about them
# (an octet > 255, a mask with holes, a range running backwards) is left to the general path,
# which words the error.  tests/normalize/test_ipranges.py checks them against the general path.
# "10.1.1.0 255.255.255.0", "10.1.1.0/255.255.255.0": address and netmask
_MASKED = re.compile(r"\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\s+|\s*/\s*)"
                     r"255\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*")
# "10.1.1.1-254", "10.1.1.1 - 10.1.1.254", "10.1.1.0~10.1.1.255": a range, short or full
_RANGE = re.compile(r"\s*(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*(?:-+|~)\s*"
                    r"(?:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.)?(\d{1,3})\s*")


def _masked(m: re.Match) -> tuple | None:
    a, b, c, d, x, y, z = map(int, m.groups())
    if not 0 < a < 255 or b > 255 or c > 255 or d > 255 or x > 255 or y > 255 or z > 255:
        return None
    inverted = ~((255 << 24) | (x << 16) | (y << 8) | z) & 0xFFFFFFFF
    if (inverted + 1) & inverted:
        return None  # not contiguous
    return _net(a, b, c, d, 32 - inverted.bit_length())


def _range_fast(m: re.Match) -> tuple | None:
    a, b, c, d, e, f, g, h = m.groups()
    a, b, c, d, h = int(a), int(b), int(c), int(d), int(h)
    if a > 255 or b > 255 or c > 255 or d > 255 or h > 255:
        return None
    start = (a << 24) | (b << 16) | (c << 8) | d
    if e is None:
        end = (start & 0xFFFFFF00) | h
    else:
        e, f, g = int(e), int(f), int(g)
        if e > 255 or f > 255 or g > 255:
            return None
        end = (e << 24) | (f << 16) | (g << 8) | h
    if end < start:
        return None
    subnet = _host_range_subnet(start, end)
    if subnet:
        return (subnet[0],), (), (), (subnet[1],)
    return tuple(_v4_range_cidrs(start, end)), (), (), ()


# --- the general path -----------------------------------------------------------------------------
_BRACKETED = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|<([^<>]*)>|\"([^\"]*)\"|'([^']*)'")
_BRACKET_CHARS = re.compile(r"[()\[\]<>\"']")
_ADDRESSY = re.compile(r"\d+\.\d+|[0-9a-f]*:[0-9a-f]*:|\d+\.\*", re.I)
# a label before a colon: "IP:", "公网IP地址：", "办公网:"; must hold a letter that is not a hex
# digit (or a CJK character) so the "fe80:" of an IPv6 address is never taken for one
_LABEL = re.compile(r"(?:^|(?<=[\s,;]))([A-Za-z\u4e00-\u9fff][A-Za-z0-9\u4e00-\u9fff _]*?)\s*[:=]\s*")
_NOT_HEX = re.compile(r"[g-zG-Z\u4e00-\u9fff]")
_MASK_WORD = re.compile(r"(?:子网掩码|反掩码|掩码|通配符|netmask|wildcard|mask)\s*[:=]?", re.I)
_RANGE_SEP = re.compile(r"\s*(?:至|到|~|-+)\s*|\s+to\s+", re.I)
_SLASH = re.compile(r"\s*/\s*")
_LIST_SEP = re.compile(r"[,;\s|]+|和|及")
_V4 = re.compile(r"\d+\.\d+\.\d+\.\d+")
_V4_PARTIAL = re.compile(r"\d+(?:\.\d+){0,2}")
_GLOB_OCTET = re.compile(r"\*|\d+|\d+-\d+")
_X_OCTET = re.compile(r"(?<![^.])[xX](?![^.])")  # 10.1.x.x: an octet that is just x


def _v4_int(text: str) -> int:
    """A dotted quad as an integer; octets are decimal even with leading zeros (010 is ten)."""
    n = 0
    for o in text.split("."):
        o = int(o)
        if o > 255:
            raise _Bad(f"octet {o} > 255")
        n = (n << 8) | o
    return n


def _dotted(n: int) -> str:
    return f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def _v4(text: str) -> str:
    return _dotted(_v4_int(text))


def _v6(text: str) -> netaddr.IPAddress:
    if ":" in text:
        try:
            return netaddr.IPAddress(text, 6)
        except (netaddr.AddrFormatError, ValueError):
            pass
    raise _Bad(f"not an address: {text!r}")


def _is_mask(text: str) -> bool:
    """A dotted quad starting 255. or 0. is a netmask or wildcard mask, never a host address."""
    return bool(_V4.fullmatch(text)) and text.split(".", 1)[0].lstrip("0") in ("", "255")


def _is_netmask(text: str) -> bool:
    try:
        return _mask_prefix(text) >= 0 and text.startswith("255")
    except _Bad:
        return False


def _mask_prefix(text: str) -> int:
    m = _v4_int(text)
    inverted = ~m & 0xFFFFFFFF
    if m >> 31 and (inverted + 1) & inverted == 0:  # netmask 255.255.255.0
        return 32 - inverted.bit_length()
    if not m >> 31 and (m + 1) & m == 0:  # wildcard (Cisco ACL / Huawei) 0.0.0.255
        return 32 - m.bit_length()
    raise _Bad(f"mask {_dotted(m)} is not contiguous")


def _prefix(text: str, version: int) -> int:
    if not text:
        raise _Bad("missing prefix length after '/'")
    if text.isdigit():
        plen = int(text)
        top = 32 if version == 4 else 128
        if plen > top:
            raise _Bad(f"prefix /{plen} > {top}")
        return plen
    if version == 4 and _V4.fullmatch(text):
        return _mask_prefix(text)
    raise _Bad(f"not a prefix length or mask: {text!r}")


# IPv4 math is done on integers: netaddr's objects cost ~10 us each, and a 100,000-row sheet
# of ranges spent seconds in them.  tests/normalize/test_ipranges.py checks these against netaddr
# (IPNetwork.cidr, iprange_to_cidrs) on random input; tests/normalize/bench_ipranges.py times both.
def _v4_range_cidrs(first: int, last: int) -> list[str]:
    """Exact minimal CIDR cover of first..last, ascending (what netaddr.iprange_to_cidrs gives)."""
    out = []
    # within one /24 (the usual 10.1.1.1-254) the first three octets are spelled once
    head = f"{first >> 24}.{(first >> 16) & 255}.{(first >> 8) & 255}." if first >> 8 == last >> 8 else None
    while first <= last:
        # host bits of the block: as many as first is aligned to, and no more than fit before last
        bits = (last - first + 1).bit_length() - 1
        if first:
            bits = min(bits, (first & -first).bit_length() - 1)
        if head is None:
            out.append(f"{first >> 24}.{(first >> 16) & 255}.{(first >> 8) & 255}.{first & 255}/{32 - bits}")
        else:
            out.append(f"{head}{first & 255}/{32 - bits}")
        first += 1 << bits
    return out


def _host_range_subnet(first: int, last: int):
    """(subnet, note) when first..last is every host of one subnet, written as people write it:
    network and broadcast left out (10.2.3.1-10.2.3.254, a /30 or larger) or only the network
    address left out (10.2.3.1-10.2.3.255); else None."""
    if not first & 1:
        return None
    net = first - 1
    for top in (last + 1, last):      # broadcast left out, or written
        size = top - net + 1
        if size >= 4 and not size & (size - 1) and not net & (size - 1):
            cidr = f"{_dotted(net)}/{32 - size.bit_length() + 1}"
            left = "network and broadcast" if top != last else "network address"
            return cidr, (f"host range {_dotted(first)}-{_dotted(last)} ({left} left out) read as the subnet "
                          f"{cidr}")
    return None


def _cidr(item: str, out: list, notes: list, hosts: list) -> None:
    addr_text, plen_text = item.split("/", 1)
    if _V4.fullmatch(addr_text):
        ip = _v4_int(addr_text)
        plen = _prefix(plen_text, 4)
        net = ip & ((0xFFFFFFFF << (32 - plen)) & 0xFFFFFFFF)
        cidr, host = f"{_dotted(net)}/{plen}", _dotted(ip)
        out.append(cidr)
        if net != ip:
            notes.append(f"host bits set in {host}/{plen}: network {cidr}")
            hosts.append(host)
        return
    ip6 = _v6(addr_text)
    plen = _prefix(plen_text, 6)
    net6 = netaddr.IPNetwork(f"{ip6}/{plen}")
    cidr6 = net6.cidr
    out.append(str(cidr6))
    if net6.ip != cidr6.network:
        notes.append(f"host bits set in {ip6}/{plen}: network {cidr6}")
        hosts.append(str(ip6))


def _range(item: str, out: list, subnets: list) -> None:
    start_text, _, end_text = item.partition("-")
    if "-" in end_text:
        raise _Bad(f"not a range: {item!r}")
    if _V4.fullmatch(start_text):
        start = _v4_int(start_text)
        if _V4_PARTIAL.fullmatch(end_text):
            # short range: 10.1.1.1-254, 10.1.1.0-2.255 replace the last octets of the start
            tail = end_text.split(".")
            end_text = ".".join(_dotted(start).split(".")[: 4 - len(tail)] + tail)
        if not _V4.fullmatch(end_text):
            _v6(end_text)  # a valid IPv6 end is a version mix; anything else is not an address
            raise _Bad(f"range mixes IPv4 and IPv6: {item!r}")
        end = _v4_int(end_text)
        if end < start:
            raise _Bad("range end before start")
        subnet = _host_range_subnet(start, end)
        if subnet:
            out.append(subnet[0])
            subnets.append(subnet[1])
            return
        out.extend(_v4_range_cidrs(start, end))
        return
    start6 = _v6(start_text)
    if _V4.fullmatch(end_text):
        raise _Bad(f"range mixes IPv4 and IPv6: {item!r}")
    end6 = _v6(end_text)
    if end6 < start6:
        raise _Bad("range end before start")
    out.extend(str(c) for c in netaddr.iprange_to_cidrs(start6, end6))


def _glob(item: str, out: list) -> None:
    octets = item.split(".")
    if len(octets) != 4 or not all(_GLOB_OCTET.fullmatch(o) for o in octets):
        raise _Bad(f"not an address: {item!r}")
    for o in octets:
        for n in o.split("-"):
            if n != "*" and int(n) > 255:
                raise _Bad(f"octet {int(n)} > 255")
    glob = ".".join(o if o == "*" else "-".join(str(int(n)) for n in o.split("-")) for o in octets)
    if not netaddr.valid_glob(glob):
        raise _Bad(f"invalid glob {glob}: '*' only in the last octets")
    out.extend(str(c) for c in netaddr.glob_to_cidrs(glob))


def _unwrap(m: re.Match, notes: list) -> str:
    inner = next(g for g in m.groups() if g is not None)
    if _ADDRESSY.search(inner):
        return f" {inner} "
    notes.append(f"ignored remark {m.group(0)!r}")
    return " "


def _strip_label(m: re.Match) -> str:
    return " " if _NOT_HEX.search(m.group(1)) else m.group(0)


def _items(text: str) -> list[str]:
    """Split a folded cell into items: 'addr', 'addr/len', 'addr/mask', 'a-b', 'glob'."""
    items: list[str] = []
    for token in _LIST_SEP.split(text):
        token = token.strip(".")  # the 。 that ends a sentence
        if not token:
            continue
        parts = token.split("/")
        item = parts[0]
        for part in parts[1:]:
            # after '/': a prefix length or a mask belongs to the item; a full address that
            # is not a mask starts the next item (10.1.1.0/24/10.2.2.0/24, 10.1.1.1/10.1.1.2)
            if "/" not in item and (part.isdigit() or part == "" or _is_mask(part)
                                    or not (_V4.fullmatch(part) or ":" in part or "*" in part)):
                item = f"{item}/{part}"
            else:
                items.append(item)
                item = part
        items.append(item)
    # "10.1.1.0 255.255.255.0": an address followed by a mask across a space
    merged: list[str] = []
    for item in items:
        if (merged and _is_mask(item) and _V4.fullmatch(merged[-1])):
            merged[-1] = f"{merged[-1]}/{item}"
        else:
            merged.append(item)
    return merged


def _parse_general(raw: str) -> tuple[tuple, tuple, tuple, tuple]:
    notes: list[str] = []
    subnets: list[str] = []
    text = fold(raw, keep_newlines=True)
    if not text:
        raise _Bad("empty")
    for _ in range(3 if _BRACKET_CHARS.search(text) else 0):  # nested: [（10.1.1.0/24）]
        new = _BRACKETED.sub(lambda m: _unwrap(m, notes), text)
        if new == text:
            break
        text = new
    text = _LABEL.sub(_strip_label, text)
    text = _MASK_WORD.sub(" ", text)
    text = _RANGE_SEP.sub("-", text)
    text = _SLASH.sub("/", text)
    cidrs: list[str] = []
    hosts: list[str] = []
    items = _items(text)
    if not items:
        raise _Bad("empty")
    for item in items:
        if "*" in item or _X_OCTET.search(item):
            _glob(_X_OCTET.sub("*", item), cidrs)
        elif "/" in item:
            _cidr(item, cidrs, notes, hosts)
        elif "-" in item:
            _range(item, cidrs, subnets)
        elif _is_mask(item) and item.startswith("255") and _is_netmask(item):
            raise _Bad(f"mask {_v4(item)} without an address")
        elif _V4.fullmatch(item):
            cidrs.append(f"{_v4(item)}/32")
        else:
            cidrs.append(f"{_v6(item)}/128")
    return tuple(dict.fromkeys(cidrs)), tuple(notes), tuple(dict.fromkeys(hosts)), tuple(subnets)


def _fast(text: str, bare: bool = True) -> tuple | None:
    """The common shapes without the general path's passes, or None.  *bare*: a lone address
    too (not for an item of a list: a mask after it would belong to it, across the comma, as the
    general path joins them)."""
    m = _PLAIN.fullmatch(text)
    if m:
        return _plain(m) if bare or m.group(5) is not None else None
    m = _MASKED.fullmatch(text)
    if m:
        return _masked(m)
    m = _RANGE.fullmatch(text)
    if m:
        return _range_fast(m)
    return None


def _fast_list(raw: str) -> tuple | None:
    """A list of the fast shapes separated by commas (``10.1.1.0/26，10.2.2.0-63``, a cell typed
    all the time), each item through its fast path, or None.  The general path splits such a list
    into the same items, reads each as its fast path does and joins them so: CIDRs and host
    addresses kept once each in order, notes and subnets in order."""
    text = fold(raw, keep_newlines=True)
    if "," not in text:
        return None
    cidrs, notes, hosts, subnets = [], [], [], []
    for item in text.split(","):
        got = _fast(item, bare=False)
        if got is None:
            return None
        cidrs.extend(got[0])
        notes.extend(got[1])
        hosts.extend(got[2])
        subnets.extend(got[3])
    return tuple(dict.fromkeys(cidrs)), tuple(notes), tuple(dict.fromkeys(hosts)), tuple(subnets)


@lru_cache(maxsize=65536)
def _parse(raw: str) -> tuple[tuple, tuple, tuple, tuple]:
    fast = _fast(raw)
    if fast is None and not raw.isascii():
        # full-width digits and dots (１０．１．１．０／２４): fold as the general path does, then look again
        fast = _fast(fold(raw, keep_newlines=True))
    if fast is None and ("," in raw or not raw.isascii()):
        fast = _fast_list(raw)
    if fast is not None:
        return fast
    return _parse_general(raw)


def to_cidrs(value) -> RangeResult:
    """Parse one sheet cell of IP addresses into CIDRs.

    Accepts, alone or as a list separated by ``, ; 、 |``, newlines, spaces or ``/`` (a ``/``
    followed by a full address that is not a mask separates items)::

        10.1.1.0/24   10.1.1.0 255.255.255.0   10.1.1.0/255.255.255.0   10.1.1.0 掩码255.255.255.0
        10.1.1.0 0.0.0.255   10.1.1.0/0.0.0.255              (wildcard masks)
        10.1.1.1-10.1.1.254   10.1.1.1-254   10.1.1.0~10.1.1.255   10.1.1.0 至/到 10.1.1.255
        (a range of every host of one subnet, network and broadcast or only the network left
        out, is that subnet: 10.1.1.1-254 -> 10.1.1.0/24, said in ``subnets``)
        10.1.*.*   10.1.1.*   10.1.1.x       (globs)
        10.1.1.5 (-> /32)   2001:db8::/32   full-width １０．１．１．０／２４

    Labels (``IP:``, ``公网IP地址：``), surrounding brackets and a final ``。`` are dropped; a
    bracketed remark with no address in it is dropped with a note.  Octets with leading zeros are
    read as decimal.  A dotted quad starting ``255.`` or ``0.`` right after an address is its mask.
    Host bits set (``10.1.1.5/24``) give the network, the address in ``hosts`` and a note.

    Raises :class:`NormalizeError` with a specific ``reason``: ``empty``, ``octet 300 > 255``,
    ``mask 255.0.255.0 is not contiguous``, ``range end before start``, ``not an address: 'xx'``.
    """
    if isinstance(value, str) and value and not value.isspace():
        raw = value  # the common case; zero-width-only text still ends as "empty" in _parse
    elif is_blank(value):
        raise NormalizeError(value, EXPECTED_RANGE, "empty")
    else:
        raw = fold(value)
    try:
        cidrs, notes, hosts, subnets = _parse(raw)
    except _Bad as e:
        raise NormalizeError(value, EXPECTED_RANGE, str(e)) from None
    return RangeResult(list(cidrs), list(notes), list(hosts), list(subnets))


# --- public or not ---------------------------------------------------------------------------------
# The IETF documentation blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) are
# deliberately absent: the demo city uses them as stand-ins for real public space.
_NOT_PUBLIC = [
    netaddr.IPNetwork(c)
    for c in (
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
        "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/4", "240.0.0.0/4",
        "::/128", "::1/128", "::ffff:0:0/96", "fc00::/7", "fe80::/10", "ff00::/8",
    )
]
_NOT_PUBLIC_SPANS = {
    v: [(n.first, n.last) for n in _NOT_PUBLIC if n.version == v] for v in (4, 6)
}


_V4_NOT_PUBLIC = _NOT_PUBLIC_SPANS[4]
_PUBLIC_CACHE: dict = {}
_from_bytes = int.from_bytes
_DOTTED = re.compile(r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")


# first octets whose whole /8 is not public, and those that need a closer look
_V4_PRIVATE_OCTETS = frozenset([0, 10, 127] + list(range(224, 256)))
_V4_MIXED_OCTETS = frozenset(a >> 24 for a, b in _V4_NOT_PUBLIC if (b - a) < (1 << 24))


def _is_public(text: str) -> bool:
    # hot path (every interface subnet of every config, every sheet range): plain a.b.c.d/len
    # in C (inet_aton) and integer tests, no netaddr; anything else goes to netaddr below
    hit = _PUBLIC_CACHE.get(text)
    if hit is not None:
        return hit
    addr, _, plen = text.partition("/")
    if addr.count(".") == 3 and (not plen or (plen.isdigit() and int(plen) <= 32)):
        v = None
        if _DOTTED.fullmatch(addr):
            v = _from_bytes(_inet_aton(addr), "big")
        else:  # leading zeros as some devices print them ("010.001.1.1"): decimal octets
            parts = addr.split(".")
            if all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
                v = (int(parts[0]) << 24) | (int(parts[1]) << 16) | (int(parts[2]) << 8) | int(parts[3])
        if v is not None:
            n = int(plen) if plen else 32
            octet = v >> 24
            if n >= 8 and octet in _V4_PRIVATE_OCTETS:
                result = False
            elif n >= 8 and octet not in _V4_MIXED_OCTETS:
                result = True
            else:
                size = 1 << (32 - n)
                first = v & ~(size - 1) & 0xFFFFFFFF
                last = first + size - 1
                result = not any(a <= last and first <= b for a, b in _V4_NOT_PUBLIC)
            if len(_PUBLIC_CACHE) < 200_000:
                _PUBLIC_CACHE[text] = result
            return result
    try:
        net = netaddr.IPNetwork(text)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise _Bad(f"not an address: {text!r}") from None
    first, last = net.first, net.last
    return not any(a <= last and first <= b for a, b in _NOT_PUBLIC_SPANS[net.version])


def span_is_public(version: int, first: int, last: int) -> bool:
    """:func:`is_public` of the CIDR block *first*..*last* (integers) of IP *version* (4 or 6),
    for callers holding a network as integers already (exit evidence: every interface subnet)."""
    if version == 4 and last - first < (1 << 24):     # inside one /8: its first octet may say
        octet = first >> 24
        if octet in _V4_PRIVATE_OCTETS:
            return False
        if octet not in _V4_MIXED_OCTETS:
            return True
    return not any(a <= last and first <= b for a, b in _NOT_PUBLIC_SPANS[version])


def is_public(cidr) -> bool:
    """True if every address of ``cidr`` (a CIDR or address, text or netaddr object) is public.

    Not public: RFC 1918, 100.64.0.0/10 (carrier-grade NAT), 0.0.0.0/8, loopback, link-local,
    multicast, 240.0.0.0/4 (reserved, incl. broadcast); IPv6 ::/128, ::1, IPv4-mapped,
    fc00::/7 (ULA), fe80::/10, ff00::/8.  A block that overlaps any of them is not public.

    The documentation blocks 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32
    count as PUBLIC on purpose: the demo data uses them as stand-ins for real public space.
    """
    text = fold(str(cidr)) if not isinstance(cidr, str) or not cidr.isascii() else cidr.strip()
    try:
        return _is_public(text)
    except _Bad as e:
        raise NormalizeError(cidr, "a CIDR or address, e.g. 203.0.113.0/24", str(e)) from None


# what the first octet of a to_cidrs IPv4 prefix of length 8 or more says: public, not, or look closer
_V4_BY_FIRST_OCTET = {str(a): (False if a in _V4_PRIVATE_OCTETS else None if a in _V4_MIXED_OCTETS else True)
                      for a in range(256)}
_V4_SIZES = {str(n): 1 << (32 - n) for n in range(33)}
_V4_LONG = frozenset(str(n) for n in range(8, 33))


def prefix_facts(cidrs) -> tuple[int, list[tuple[str, int, bool]]]:
    """``(number of addresses, [(cidr, family, public), ...])`` of CIDRs *as to_cidrs spells them*.

    ``public`` is :func:`is_public`'s answer; for the usual IPv4 prefix (length 8 or more) it is
    read off the first octet, as :func:`is_public` reads it, without parsing the rest.  For the
    sheet reader, which needs these for every prefix of every row.  Not for other text: it does
    not check the addresses.
    """
    total = 0
    facts = []
    for cidr in cidrs:
        addr, _, plen = cidr.rpartition("/")
        if ":" in addr:
            total += 1 << (128 - int(plen))
            facts.append((cidr, 6, is_public(cidr)))
            continue
        total += _V4_SIZES[plen]
        public = _V4_BY_FIRST_OCTET[addr[: addr.index(".")]] if plen in _V4_LONG else None
        facts.append((cidr, 4, is_public(cidr) if public is None else public))
    return total, facts
