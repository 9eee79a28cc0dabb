"""IPv4 arithmetic on integers for the generator (hot path: tens of thousands of
subnets), an allocator that never hands out the same address twice, and the
overlap finder used to write (and check) the ground truth.

netaddr would do the same work; the generator uses plain ints because it
allocates ~100k blocks at the province size, and the tests check every planted
overlap with netaddr itself.
"""
from __future__ import annotations

from bisect import bisect_right, insort

__all__ = ["ip", "parse", "cidr", "mask", "wildcard", "Registry", "Allocator", "find_overlaps",
           "covered", "DOC_BLOCKS"]

MASKS = [".".join(str(((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF) >> s & 255) for s in (24, 16, 8, 0))
         for n in range(33)]
WILDCARDS = [".".join(str((((0xFFFFFFFF << (32 - n)) & 0xFFFFFFFF) ^ 0xFFFFFFFF) >> s & 255)
                      for s in (24, 16, 8, 0)) for n in range(33)]


def ip(n: int) -> str:
    return f"{n >> 24}.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def parse(text: str) -> tuple[int, int]:
    """'10.1.0.0/16' -> (int, 16)."""
    addr, _, plen = text.partition("/")
    a, b, c, d = (int(x) for x in addr.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d, int(plen or 32)


def cidr(net: int, plen: int) -> str:
    return f"{ip(net)}/{plen}"


def mask(plen: int) -> str:
    return MASKS[plen]


def wildcard(plen: int) -> str:
    return WILDCARDS[plen]


def size(plen: int) -> int:
    return 1 << (32 - plen)


DOC_BLOCKS = ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")


class Registry:
    """Every block handed out so far, bucketed by /16, so no two allocations overlap."""

    def __init__(self):
        self._b: dict[int, list] = {}

    def overlaps(self, start: int, end: int) -> bool:
        for k in range(start >> 16, (end >> 16) + 1):
            lst = self._b.get(k)
            if not lst:
                continue
            i = bisect_right(lst, (start, 1 << 33))
            if i and lst[i - 1][1] >= start:
                return True
            if i < len(lst) and lst[i][0] <= end:
                return True
        return False

    def add(self, start: int, end: int):
        for k in range(start >> 16, (end >> 16) + 1):
            insort(self._b.setdefault(k, []), (start, end))


class Allocator:
    """Aligned blocks from a list of prefixes, first fit, skipping *reserved*
    ranges and anything already in the shared *registry*."""

    def __init__(self, prefixes, registry: Registry, reserved=(), name=""):
        self.prefixes = [(n, p) for n, p in prefixes]
        self.registry = registry
        self.reserved = sorted(reserved)
        self.name = name
        self._i = 0
        self._cursor = self.prefixes[0][0] if self.prefixes else 0

    def take(self, plen: int) -> int:
        sz = 1 << (32 - plen)
        while self._i < len(self.prefixes):
            net, p = self.prefixes[self._i]
            end = net + (1 << (32 - p)) - 1
            c = max(self._cursor, net)
            c = (c + sz - 1) // sz * sz
            while c + sz - 1 <= end:
                hit = self._reserved_end(c, c + sz - 1)
                if hit is not None:
                    c = (hit + 1 + sz - 1) // sz * sz
                    continue
                if self.registry.overlaps(c, c + sz - 1):
                    c += sz
                    continue
                self.registry.add(c, c + sz - 1)
                self._cursor = c + sz
                return c
            self._i += 1
            if self._i < len(self.prefixes):
                self._cursor = self.prefixes[self._i][0]
        raise OverflowError(f"address space {self.name or self.prefixes!r} exhausted taking a /{plen}")

    def take_host(self) -> int:
        """A /32 for a loopback, never an x.x.x.0 or x.x.x.255 (legal, but nobody numbers one so)."""
        a = self.take(32)
        while a & 255 in (0, 255):
            a = self.take(32)
        return a

    def _reserved_end(self, s, e):
        for rs, re_ in self.reserved:
            if rs <= e and re_ >= s:
                return re_
        return None


def covered(intervals) -> list[tuple[int, int]]:
    """Merged [start, end] intervals."""
    out = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1] + 1:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _inside(a, b) -> bool:
    """Every address of merged intervals *a* lies in merged intervals *b*."""
    j = 0
    for s, e in a:
        while j < len(b) and b[j][1] < s:
            j += 1
        if j == len(b) or b[j][0] > s or b[j][1] < e:
            return False
    return True


def find_overlaps(networks: dict[str, list[str]]) -> list[dict]:
    """Overlapping address plans between networks: {network id: [CIDR, ...]}.

    One entry per pair of networks sharing addresses, with every overlapping
    prefix pair and the relation of the two plans as address sets: identical,
    contains (one covers the other) or partial.
    """
    items = []
    for nid, prefixes in networks.items():
        for p in prefixes:
            net, plen = parse(p)
            items.append((net, net + (1 << (32 - plen)) - 1, nid, p))
    items.sort()
    pairs: dict[tuple, list] = {}
    active: list = []
    for s, e, nid, p in items:
        active = [a for a in active if a[1] >= s]
        for as_, ae, anid, ap in active:
            if anid != nid:
                key = tuple(sorted((anid, nid)))
                pa, pb = (ap, p) if key[0] == anid else (p, ap)
                pairs.setdefault(key, []).append([pa, pb])
        active.append((s, e, nid, p))
    out = []
    spans = {nid: covered([(parse(p)[0], parse(p)[0] + (1 << (32 - parse(p)[1])) - 1) for p in ps])
             for nid, ps in networks.items()}
    for (a, b), prefs in sorted(pairs.items()):
        sa, sb = spans[a], spans[b]
        if sa == sb:
            kind = "identical"
        elif _inside(sa, sb) or _inside(sb, sa):
            kind = "contains"
        else:
            kind = "partial"
        out.append({"networks": [a, b], "prefixes": sorted(prefs), "type": kind})
    return out
