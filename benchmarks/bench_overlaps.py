"""Benchmark: netconsol's overlap sweep against a naive netaddr approach, side by side.

200,000 random prefixes (seeded; /20 to /30, mostly /24 LANs and /30 links, 90% in
RFC 1918 space so that reuse and overlaps abound) in 400 networks:

* netconsol: ``overlapping_pairs`` (sort by (start, -end), heap of open ranges) on
  all 200,000, and ``find_conflicts`` end to end on an inventory of the same rows;
* naive: every pair compared with netaddr (``a in b or b in a``) on a sample,
  extrapolated to 200,000 by the square of the size; and ``IPSet`` intersection
  per pair on a smaller sample, extrapolated the same way.

Both sides find the same pairs on the sample (checked here before timing).

Run:  python benchmarks/bench_overlaps.py [--n 200000] [--naive 3000] [--ipset 400]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from netaddr import IPNetwork, IPSet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from netconsol.analyze import find_conflicts, overlapping_pairs  # noqa: E402
from netconsol.inventory import Inventory, Rows  # noqa: E402

LENGTHS = list(range(20, 31))
WEIGHTS = [0.1, 0.2, 0.5, 1, 12, 4, 4, 6, 8, 10, 40]  # /20 .. /30: mostly LANs (/24) and links (/30)
SPACES = [((10 << 24), 24, 0.6), ((172 << 24) | (16 << 16), 20, 0.25), ((192 << 24) | (168 << 16), 16, 0.05)]


def random_prefixes(n: int, seed: int = 1) -> list[str]:
    """Private space reused heavily (10/8 60%, 172.16/12 25%, 192.168/16 5%), 10% anywhere."""
    rng = random.Random(seed)
    out = []
    for plen in rng.choices(LENGTHS, WEIGHTS, k=n):
        r = rng.random()
        for base, width, share in SPACES:
            if r < share:
                break
            r -= share
        else:
            base, width = rng.randint(1, 223) << 24, 24
        addr = base | (rng.getrandbits(width) & ~((1 << (32 - plen)) - 1) & ((1 << width) - 1))
        out.append(f"{addr >> 24}.{(addr >> 16) & 255}.{(addr >> 8) & 255}.{addr & 255}/{plen}")
    return out


def naive_pairs(prefixes) -> set:
    nets = [IPNetwork(p) for p in prefixes]
    found = set()
    for i in range(len(nets)):
        a = nets[i]
        for j in range(i + 1, len(nets)):
            b = nets[j]
            if a in b or b in a:
                found.add((i, j))
    return found


def ipset_pairs(prefixes) -> set:
    sets = [IPSet([p]) for p in prefixes]
    return {(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets)) if sets[i] & sets[j]}


def parse(prefixes) -> list:
    spans = []
    for p in prefixes:
        n = IPNetwork(p)
        spans.append((n.first, n.last))
    return spans


def sweep_pairs(prefixes) -> list:
    return overlapping_pairs(parse(prefixes))


def timed(f, *args):
    t = time.perf_counter()
    out = f(*args)
    return time.perf_counter() - t, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--naive", type=int, default=3_000, help="sample size for netaddr all-pairs")
    ap.add_argument("--ipset", type=int, default=400, help="sample size for IPSet intersection per pair")
    args = ap.parse_args(argv)

    prefixes = random_prefixes(args.n)
    sample = prefixes[:args.naive]
    check = {tuple(sorted(p)) for p in sweep_pairs(sample)}
    assert check == naive_pairs(sample), "sweep and netaddr disagree on the sample"

    t_parse, spans = timed(parse, prefixes)
    t_only, pairs = timed(overlapping_pairs, spans)
    t_sweep = t_parse + t_only
    rows = Rows()
    rng = random.Random(2)
    nets = set()
    for k, p in enumerate(prefixes):
        net = f"net{rng.randrange(400):03d}"
        nets.add(net)
        rows.add("prefixes", {"prefix": p, "family": 4, "network": net, "origin": "manifest",
                              "source": "bench", "location": f"row {k}"})
    for net in sorted(nets):
        rows.add("networks", {"network": net, "name": net, "kind": "gov_private"})
    inv = Inventory.from_rows(rows)
    t_conf, conflicts = timed(find_conflicts, inv, {}, inv["links"])

    t_naive, _ = timed(naive_pairs, sample)
    t_ipset, _ = timed(ipset_pairs, prefixes[:args.ipset])
    scale_naive = (args.n / len(sample)) ** 2
    scale_ipset = (args.n / args.ipset) ** 2

    print(f"{args.n:,} random prefixes, {len(pairs):,} overlapping pairs, {len(conflicts):,} conflicts "
          f"(pairs of different networks, each overlap once through the widest ranges)")
    print(f"{'method':<46}{'measured on':>13}{'seconds':>11}{'at ' + format(args.n, ','):>16}")
    print(f"{'netaddr parse to (first, last)':<46}{args.n:>13,}{t_parse:>11.2f}{t_parse:>16.2f}")
    print(f"{'netconsol overlapping_pairs (sweep only)':<46}{args.n:>13,}{t_only:>11.2f}{t_only:>16.2f}")
    print(f"{'parse + sweep':<46}{args.n:>13,}{t_sweep:>11.2f}{t_sweep:>16.2f}")
    print(f"{'netconsol find_conflicts (sweep + rows)':<46}{args.n:>13,}{t_conf:>11.2f}{t_conf:>16.2f}")
    print(f"{'netaddr all pairs (a in b or b in a)':<46}{len(sample):>13,}{t_naive:>11.2f}"
          f"{t_naive * scale_naive:>16,.0f}")
    print(f"{'netaddr IPSet intersection per pair':<46}{args.ipset:>13,}{t_ipset:>11.2f}"
          f"{t_ipset * scale_ipset:>16,.0f}")
    print(f"gain of the sweep over netaddr all pairs: {t_naive * scale_naive / t_sweep:,.0f}x "
          f"(extrapolated by n^2)")


if __name__ == "__main__":
    main()
