"""Disjoint sets (union-find) for the analyzers' groupings: HA pairs of exits, migration waves,
VRF contexts joined by route targets, and segments of one subnet."""
from __future__ import annotations

from collections import defaultdict

__all__ = ["DisjointSets"]


class DisjointSets:
    """Union-find over hashable, mutually orderable items, rooted at each set's smallest member.

    So a set's root (which callers print as a group label) and the order of :meth:`groups` do not
    depend on the order in which unions were made.  ``networkx.utils.UnionFind`` roots a set at
    its heaviest member instead, which would make the labels depend on that order.
    """

    __slots__ = ("parent",)

    def __init__(self, items=()):
        self.parent = {x: x for x in items}

    def find(self, x):
        """The smallest member of *x*'s set (path halving on the way)."""
        parent = self.parent
        while True:
            p = parent[x]
            if p == x:
                return x
            gp = parent[p]
            parent[x] = gp
            x = gp

    def union(self, a, b) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra

    def groups(self, items=None) -> dict:
        """Root -> members, both in the order of *items* (default: the order the items were given in)."""
        out = defaultdict(list)
        find = self.find
        for x in (self.parent if items is None else items):
            out[find(x)].append(x)
        return out
