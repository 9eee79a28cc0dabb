"""Interval sweeps over address ranges as integers: which [start, end] spans overlap, and their union.

Shared by the overlap finder and the link inference (nested subnets), so neither imports the other.
"""
from __future__ import annotations

from heapq import heappop, heappush

__all__ = ["overlapping_pairs", "merge_intervals"]


def overlapping_pairs(spans) -> list[tuple[int, int]]:
    """Index pairs (i, j) of the [start, end] *spans* that share at least one address.

    One sweep: sorted by (start, -end), so in each returned pair the first range
    starts no later and, at an equal start, is the larger.
    """
    order = sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1]))
    open_ = []  # heap of (end, index)
    out = []
    for i in order:
        s, e = spans[i]
        while open_ and open_[0][0] < s:
            heappop(open_)
        for _, j in open_:
            out.append((j, i))
        heappush(open_, (e, i))
    return out


def merge_intervals(spans) -> list[tuple[int, int]]:
    """Contiguous or overlapping [start, end] intervals merged, sorted."""
    out = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1] + 1:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out
