"""The numpy sweep (intervals.overlap_pairs_array, conflict_pairs, sweep_keys) and the bulk CIDR reader
(cidrs.cidr_bounds) against the Python sweep, all-pairs brute force and net_bounds, on seeded random
ranges of both families: nested, identical, adjacent, /0, /32 and /128 edges."""
from __future__ import annotations

import random

import numpy as np
import pytest
from netaddr import IPNetwork

from netconsol.analyze.cidrs import cidr_bounds
from netconsol.analyze.intervals import (RELATIONS, conflict_pairs, overlap_pairs_array, overlapping_pairs,
                                         split128, sweep_keys, widest_mask, widest_same_owner)
from netconsol.analyze.overlaps import relation
from netconsol.analyze.topology import ADDRESS_ERRORS, net_bounds


def _v4(rng, crowd=True):
    plen = rng.choice([0, 1, 8, 16, 23, 24, 24, 25, 30, 30, 31, 32, 32])
    addr = rng.getrandbits(32)
    if crowd and plen >= 16:
        addr = (10 << 24) | (rng.getrandbits(4) << 12) | (addr & 0xFFF)  # 10.0-15.x: overlaps abound
    return str(IPNetwork(f"{addr >> 24}.{(addr >> 16) & 255}.{(addr >> 8) & 255}.{addr & 255}/{plen}").cidr)


def _v6(rng):
    plen = rng.choice([0, 1, 32, 48, 64, 64, 120, 127, 128, 128])
    top = rng.choice([0x20010DB8, 0xFE800000, 0xFFFFFFFF, 0])  # the last two: values near 2**128 and 0
    addr = (top << 96) | (rng.getrandbits(8) << 64) | rng.getrandbits(8) | (rng.getrandbits(1) << 63)
    return str(IPNetwork(f"{IPNetwork((addr, 128)).ip}/{plen}").cidr)


def _prefixes(n, seed, v6_share=0.3):
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        p = _v6(rng) if rng.random() < v6_share else _v4(rng)
        out.append(p)
        r = rng.random()
        if r < 0.1:
            out.append(p)                      # identical
        elif r < 0.2:                          # adjacent: the next block of the same length
            net = IPNetwork(p)
            if net.last + 1 < (1 << (32 if net.version == 4 else 128)):
                out.append(str(IPNetwork((net.last + 1, net.prefixlen), version=net.version)))
    return out


def _keys(prefixes):
    fam, fh, fl, lh, ll = cidr_bounds(prefixes)
    return fam, *sweep_keys(fam, fh, fl, lh, ll)


def _brute_pairs(bounds):
    return {(i, j) for i in range(len(bounds)) for j in range(i + 1, len(bounds))
            if bounds[i][0] == bounds[j][0] and bounds[i][1] <= bounds[j][2] and bounds[j][1] <= bounds[i][2]}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_array_sweep_equals_python_sweep_and_all_pairs(seed):
    prefixes = _prefixes(600, seed)
    bounds = [net_bounds(p) for p in prefixes]
    _, s, e = _keys(prefixes)
    a, b = overlap_pairs_array(s, e)
    got = list(zip(a.tolist(), b.tolist()))
    assert len(got) == len(set(got))                                   # each pair once
    # the Python sweep, families apart as callers keep them (an IPv6 value offset past IPv4's)
    old = overlapping_pairs([((f == 6) << 200 | x, (f == 6) << 200 | y) for f, x, y in bounds])
    assert set(got) == set(old)                                        # same pairs, same orientation
    brute = _brute_pairs(bounds)
    assert {tuple(sorted(p)) for p in got} == brute
    assert len(brute) > 500 and any(bounds[i][0] == 6 for i, _ in brute)  # real overlaps, both families
    # orientation: the first starts no later and, at an equal start, is the larger
    for i, j in got:
        assert (bounds[i][1], -bounds[i][2]) <= (bounds[j][1], -bounds[j][2])


def test_sweep_keys_keep_every_comparison_of_128_bit_values():
    prefixes = ["::/0", "ffff::/16", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127", "0.0.0.0/0", "::/128",
                "255.255.255.255/32", "::1/128", "8000::/1", "7fff:ffff:ffff:ffff::/64"]
    fam, s, e = _keys(prefixes)
    bounds = [net_bounds(p) for p in prefixes]
    for i in range(len(bounds)):
        for j in range(len(bounds)):
            if bounds[i][0] == bounds[j][0]:
                for x in (1, 2):
                    for y in (1, 2):
                        key_i = (s, e)[x - 1][i]
                        key_j = (s, e)[y - 1][j]
                        assert (key_i <= key_j) == (bounds[i][x] <= bounds[j][y])
    # ranges of different families never meet: ::/0 and 0.0.0.0/0 cover the same numbers
    a, b = overlap_pairs_array(s, e)
    assert all(bounds[i][0] == bounds[j][0] for i, j in zip(a.tolist(), b.tolist()))
    assert (prefixes.index("::/0"), prefixes.index("0.0.0.0/0")) not in set(zip(a.tolist(), b.tolist()))


def test_ipv4_keys_are_the_addresses():
    fam, s, e = _keys(["10.0.0.0/8", "10.1.0.0/16", "0.0.0.0/0", "255.255.255.255/32"])
    assert s.tolist() == [10 << 24, (10 << 24) | (1 << 16), 0, (1 << 32) - 1]
    assert e.tolist() == [(11 << 24) - 1, (10 << 24) | (2 << 16) - 1, (1 << 32) - 1, (1 << 32) - 1]


@pytest.mark.parametrize("seed", [4, 5])
def test_conflict_pairs_equal_brute_force(seed):
    rng = random.Random(seed)
    prefixes = _prefixes(500, seed)
    owners = np.array([rng.randrange(12) for _ in prefixes])
    bounds = [net_bounds(p) for p in prefixes]
    _, s, e = _keys(prefixes)
    a, b, code = conflict_pairs(s, e, owners)
    got = {(frozenset({(bounds[i], owners[i]), (bounds[j], owners[j])}), RELATIONS[k])
           for i, j, k in zip(a.tolist(), b.tolist(), code.tolist())}
    assert len(got) == len(a)                                          # no pair twice, repeated ranges once
    ranges = sorted({(bounds[i], int(owners[i])) for i in range(len(bounds))})
    widest = [not any(o == p and r != q and q[0] == r[0] and q[1] <= r[1] and r[2] <= q[2] for q, p in ranges)
              for r, o in ranges]
    brute = set()
    for x in range(len(ranges)):
        for y in range(x + 1, len(ranges)):
            (r, o), (q, p) = ranges[x], ranges[y]
            if o != p and widest[x] and widest[y] and r[0] == q[0] and r[1] <= q[2] and q[1] <= r[2]:
                brute.add((frozenset({ranges[x], ranges[y]}), relation(r[1:], q[1:])))
    assert got == brute
    kinds = {k for _, k in brute}
    assert kinds >= {"identical", "contains"} and len(brute) > 300


def test_conflict_pairs_partial_ranges():
    # merged sheet ranges are not CIDRs: two of them can overlap without either holding the other
    s = np.array([0, 5, 5, 20, 30])
    e = np.array([9, 14, 14, 25, 31])
    a, b, code = conflict_pairs(s, e, np.array([0, 1, 2, 1, 0]))
    got = sorted((int(i), int(j), RELATIONS[k]) for i, j, k in zip(a, b, code))
    assert got == [(0, 1, "partial"), (0, 2, "partial"), (1, 2, "identical")]


@pytest.mark.parametrize("seed", [6, 7])
def test_widest_same_owner_is_the_widest_containing_range(seed):
    rng = random.Random(seed)
    prefixes = sorted(set(_prefixes(300, seed, v6_share=0.2)))
    owners = np.array([rng.randrange(5) for _ in prefixes])
    bounds = [net_bounds(p) for p in prefixes]
    _, s, e = _keys(prefixes)
    a, b = overlap_pairs_array(s, e)
    top = widest_same_owner(s, e, owners, a, b)
    for i, (f, x, y) in enumerate(bounds):
        holders = [k for k, (g, u, v) in enumerate(bounds)
                   if k != i and owners[k] == owners[i] and g == f and u <= x and y <= v]
        want = min(holders, key=lambda k: (-(bounds[k][2] - bounds[k][1]), k)) if holders else i
        assert top[i] == want
    assert (top != np.arange(len(top))).sum() > 20
    assert (widest_mask(s, e, owners) == (top == np.arange(len(top)))).all()


def test_empty_and_single():
    z = np.zeros(0, dtype=np.int64)
    assert [len(x) for x in overlap_pairs_array(z, z)] == [0, 0]
    assert [len(x) for x in conflict_pairs(z, z, z)] == [0, 0, 0]
    assert [len(x) for x in overlap_pairs_array([5], [5])] == [0, 0]
    assert [x.tolist() for x in cidr_bounds([])] == [[]] * 5


# --- the bulk reader against net_bounds -----------------------------------------------------------
NASTY = ["10.0.0.0/8", "0.0.0.0/0", "255.255.255.255/32", "10.0.0.1/24", "010.0.0.0/8", "10.0.0.0/08",
         "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "10.0.0.0.0/8", "10.0.0.0", "10.0.0.0/", "/8", " 10.0.0.0/8",
         "10.0.0.0/8 ", "10.0.0.0/8\x00", "10.0\x00.0.0/8", "10.0.0.0/255.0.0.0", "10.0.0.0/0.255.255.255",
         "2001:db8::/32", "::/0", "2001:db8::1/128", "fe80::/10", "::ffff:10.0.0.0/104", "1.2.3.4/1a",
         "１0.0.0.0/8", "10.0.0.0//8", "10..0.0/8", "1000.0.0.0/8", "10.0.0.0/-1", "", "abc", "192.168.001.0/24",
         "10.0.0.0/00", "1.2.3.4/32", "10.1.2.3/31", "172.16.0.0/12x", "0x0a.0.0.0/8", "10.0.0.0\n/8",
         "10.0.0.0/8\n", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", "999.999.999.999/99", "1.2.3.4/3 2",
         "9.9.9.9/9", "10.0.0.0/8.", ".10.0.0.0/8", "10.0.0.0/8/8", "1.2.3.4/0", "10.0.0.0/32", "4.3.2.1/3",
         "255.255.255.256/32", "10.0.0.0/8" + " " * 20, "\u0661\u0660.0.0.0/8", None, 42]


def _expect(c):
    if not isinstance(c, str):
        return 0, 0, 0
    try:
        return net_bounds(c)
    except ADDRESS_ERRORS:
        return 0, 0, 0


def _read(cidrs):
    fam, fh, fl, lh, ll = cidr_bounds(cidrs)
    return [(int(f), (int(a) << 64) | int(b), (int(c) << 64) | int(d))
            for f, a, b, c, d in zip(fam, fh, fl, lh, ll)]


def test_bulk_reader_equals_net_bounds_on_hostile_strings():
    got = _read(NASTY)
    for c, g in zip(NASTY, got):
        assert g == _expect(c), c
    assert sum(1 for g in got if g[0] == 0) > 20 and sum(1 for g in got if g[0] == 6) >= 5


def test_bulk_reader_equals_net_bounds_on_random_strings():
    rng = random.Random(8)
    pieces = ["0", "00", "1", "9", "10", "25", "255", "256", "300", ".", "/", "/", ":", " ", "a", "3", "32",
              "33", "8"]
    cidrs = []
    for _ in range(4000):
        r = rng.random()
        if r < 0.4:
            a = rng.getrandbits(32)
            cidrs.append(f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{rng.randint(0, 32)}")
        elif r < 0.6:  # mutate one character of a canonical prefix
            a = rng.getrandbits(32)
            s = list(f"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}/{rng.randint(0, 32)}")
            s[rng.randrange(len(s))] = rng.choice("0123456789./: x\x00")
            cidrs.append("".join(s))
        elif r < 0.9:
            cidrs.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 9))))
        else:
            cidrs.append(_v6(rng))
    got = _read(cidrs)
    assert got == [_expect(c) for c in cidrs]
    assert sum(1 for g in got if g[0] == 4) > 1500 and sum(1 for g in got if g[0] == 0) > 500


def test_split128():
    hi, lo = split128([0, 1, (1 << 64) - 1, (1 << 64), (1 << 128) - 1])
    assert hi.tolist() == [0, 0, 0, 1, (1 << 64) - 1]
    assert lo.tolist() == [0, 1, (1 << 64) - 1, 0, (1 << 64) - 1]
