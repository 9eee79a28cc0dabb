"""Interval sweeps over address ranges as integers: which [start, end] spans overlap, and their union.

Shared by the overlap finder and the link inference (nested subnets), so neither imports the other.

Two forms of the same sweep: :func:`overlapping_pairs` over Python ints (any size; the link
inference, the merge and exit plans use it), and :func:`overlap_pairs_array` over numpy int64
columns (the conflicts table, a million ranges).  The array form needs no heap: with the ranges
sorted by (start, -end), the ranges that overlap range *i* and come after it are exactly the next
ones whose start is <= end(i), a contiguous run found by one ``searchsorted``.  IPv6 values do
not fit an int64: :func:`sweep_keys` replaces (family, value) by its rank among all the values
(hi/lo uint64 columns sorted with ``lexsort``), which keeps every comparison the sweep makes.
"""
from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush

import numpy as np

__all__ = ["span_within", "overlapping_pairs", "merge_intervals", "overlap_pairs_array", "sweep_keys", "split128",
           "widest_same_owner", "widest_mask", "conflict_pairs", "relation_codes", "RELATIONS"]

# codes of relation_codes / conflict_pairs, in the conflicts table's words
RELATIONS = ("identical", "contains", "partial")
_INT64_MAX = (1 << 63) - 1


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


# ---------------------------------------------------------------------------------------------- arrays
def split128(values) -> tuple[np.ndarray, np.ndarray]:
    """(hi, lo) uint64 columns of non-negative ints below 2**128 (addresses of either family)."""
    try:
        lo = np.array(values, dtype=np.uint64)
        return np.zeros(len(lo), dtype=np.uint64), lo
    except OverflowError:  # an IPv6 value above 2**64: split it in Python, the rare path
        mask = (1 << 64) - 1
        return (np.array([v >> 64 for v in values], dtype=np.uint64),
                np.array([v & mask for v in values], dtype=np.uint64))


def sweep_keys(family, first_hi, first_lo, last_hi, last_lo) -> tuple[np.ndarray, np.ndarray]:
    """int64 (start, end) keys of ranges given as (family, first, last), first and last as hi/lo
    uint64 columns: the ranges of one family compare as their addresses do, and no range of one
    family overlaps one of another.  IPv4 alone (every hi 0): the addresses themselves.  Otherwise
    each (family, hi, lo) is replaced by its rank among all firsts and lasts, so IPv6 is swept in
    the same pass, without Python ints."""
    family = np.asarray(family, dtype=np.int64)
    n = len(family)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if not (first_hi.any() or last_hi.any()) and (family == family[0]).all() \
            and int(last_lo.max()) <= _INT64_MAX:
        return first_lo.astype(np.int64), last_lo.astype(np.int64)
    fam = np.concatenate((family, family))
    hi = np.concatenate((first_hi, last_hi))
    lo = np.concatenate((first_lo, last_lo))
    order = np.lexsort((lo, hi, fam))
    f, h, l_ = fam[order], hi[order], lo[order]
    new = np.empty(2 * n, dtype=bool)
    new[0] = True
    new[1:] = (f[1:] != f[:-1]) | (h[1:] != h[:-1]) | (l_[1:] != l_[:-1])
    rank = np.empty(2 * n, dtype=np.int64)
    rank[order] = np.cumsum(new) - 1
    return rank[:n], rank[n:]


def _sweep_order(starts, ends) -> np.ndarray:
    """Indices sorted by (start, -end), ties in input order."""
    return np.lexsort((-ends, starts))


def _sorted_pairs(s, e) -> tuple[np.ndarray, np.ndarray]:
    """Positions (i, j), i < j, of the overlapping ranges of columns sorted by (start, -end)."""
    n = len(s)
    pos = np.arange(n, dtype=np.int64)
    # the ranges after position i that start no later than e[i] overlap it (they start >= s[i])
    count = np.searchsorted(s, e, side="right") - pos - 1
    first = np.repeat(pos, count)
    begin = np.cumsum(count) - count
    second = first + 1 + (np.arange(len(first), dtype=np.int64) - np.repeat(begin, count))
    return first, second


def overlap_pairs_array(starts, ends) -> tuple[np.ndarray, np.ndarray]:
    """Index arrays (a, b) of the pairs of [start, end] ranges (int64 columns) that share a value.

    The same pairs as :func:`overlapping_pairs`, each once, oriented as it orients them: sorted by
    (start, -end) (ties in input order), ``a`` comes first, so it starts no later and, at an equal
    start, is the larger.  Any intervals, nested or not.  O(n log n + k) for k pairs.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    order = _sweep_order(starts, ends)
    first, second = _sorted_pairs(starts[order], ends[order])
    return order[first], order[second]


def relation_codes(starts, ends, a, b) -> np.ndarray:
    """Per overlapping pair (a, b): 0 identical, 1 contains (either way), 2 partial (:data:`RELATIONS`)."""
    sa, ea, sb, eb = starts[a], ends[a], starts[b], ends[b]
    nested = ((sa <= sb) & (eb <= ea)) | ((sb <= sa) & (ea <= eb))
    return np.where((sa == sb) & (ea == eb), 0, np.where(nested, 1, 2)).astype(np.int8)


def widest_same_owner(starts, ends, owners, a, b, sizes=None) -> np.ndarray:
    """``top[i]``: the widest range of i's owner that contains i (ties: the lowest index), or i itself.

    *a*, *b*: every overlapping pair (:func:`overlap_pairs_array`); *owners*: int codes.  Two
    ranges of one owner never have the same interval (they are one range), so containment is strict.
    *sizes*: ints ordered as the ranges' sizes are; by default ``ends - starts``, right when the keys
    are the addresses themselves, not when they are ranks (:func:`sweep_keys` with IPv6): two
    ranges holding a third need not hold each other when they are not CIDRs.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    top = np.arange(len(starts), dtype=np.int64)
    same = owners[a] == owners[b]
    a, b = a[same], b[same]
    a_in_b = (starts[b] <= starts[a]) & (ends[a] <= ends[b])
    b_in_a = (starts[a] <= starts[b]) & (ends[b] <= ends[a])
    keep = a_in_b | b_in_a
    big = np.where(b_in_a, a, b)[keep]
    small = np.where(b_in_a, b, a)[keep]
    if len(big):
        size = (ends[big] - starts[big]) if sizes is None else np.asarray(sizes, dtype=np.int64)[big]
        order = np.lexsort((big, -size, small))
        small, big = small[order], big[order]
        first = np.ones(len(small), dtype=bool)
        first[1:] = small[1:] != small[:-1]
        top[small[first]] = big[first]
    return top


def conflict_pairs(starts, ends, owners) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, relation code) of the overlapping ranges of different owners, each owner's widest
    ranges only: the range pairs :func:`~netconsol.analyze.overlaps.find_conflicts` lists when every
    owner is a network and no pool, link or hosted LAN excuses a pair (its rules 1 and 4, and "a
    range strictly inside another range of its own network is reported through that one").
    Oriented as :func:`overlap_pairs_array` orients them.

    *starts*, *ends*: int64 keys (:func:`sweep_keys`); *owners*: one int per range, one range per
    (interval, owner) (a repeated one counts once).  One sort, vectorised end to end.
    """
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    owners = np.asarray(owners, dtype=np.int64)
    order = _sweep_order(starts, ends)
    keep = order[widest_mask(starts, ends, owners, order)[order]]  # still in sweep order
    s, e, o = starts[keep], ends[keep], owners[keep]
    first, second = _sorted_pairs(s, e)
    other = o[first] != o[second]
    first, second = first[other], second[other]
    # first starts no later and, at an equal start, ends no earlier
    ef, es = e[first], e[second]
    code = np.where(es <= ef, np.where((ef == es) & (s[first] == s[second]), 0, 1), 2).astype(np.int8)
    return keep[first], keep[second], code


def widest_mask(starts, ends, owners, order=None) -> np.ndarray:
    """True for each range that no other range of its owner contains (``top[i] == i`` of
    :func:`widest_same_owner`), without pairing: sorted by (owner, start, -end), a range is inside
    an earlier one of its owner exactly when their running maximum end reaches its end.  *owners*:
    ints; *order*: the sweep order when the caller has it."""
    starts = np.asarray(starts, dtype=np.int64)
    ends = np.asarray(ends, dtype=np.int64)
    n = len(starts)
    out = np.ones(n, dtype=bool)
    if n < 2:
        return out
    code = np.asarray(owners, dtype=np.int64)
    code = code - code.min()
    low = int(ends.min())
    span = int(ends.max()) - low + 1
    if (int(code.max()) + 1) * span >= _INT64_MAX:  # keys would overflow: pair instead
        a, b = overlap_pairs_array(starts, ends)
        return widest_same_owner(starts, ends, code, a, b) == np.arange(n)
    if order is None:
        order = _sweep_order(starts, ends)
    order = order[np.argsort(code[order], kind="stable")]  # (owner, start, -end)
    key = code[order] * span + (ends[order] - low)   # one owner's keys above every earlier owner's
    before = np.empty(n, dtype=np.int64)
    before[0] = -1
    np.maximum.accumulate(key[:-1], out=before[1:])
    out[order] = before < key
    return out


def span_within(space):
    """``inside(version, first, last)``: is the span [first, last] of that IP version in *space* (a
    netaddr IPSet), every address of it?  By bisection over the set's CIDRs (disjoint, merged and
    sorted, as an IPSet keeps them): the span is inside exactly when the CIDR starting at or before
    it holds it whole.  An address is the span [a, a]."""
    spans = {4: ([], []), 6: ([], [])}
    for c in space.iter_cidrs():   # sorted
        spans[c.version][0].append(c.first)
        spans[c.version][1].append(c.last)

    def inside(version: int, first: int, last: int) -> bool:
        starts, ends = spans[version]
        i = bisect_right(starts, first) - 1
        return i >= 0 and last <= ends[i]

    return inside
