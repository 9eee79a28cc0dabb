"""Benchmark: netconsol's integer IPv4 paths in to_cidrs() against plain netaddr, side by side.

Run:  python tests/normalize/bench_ipranges.py   (not collected by pytest; correctness of the
integer paths against netaddr is asserted in test_ipranges.py).
"""
import random
import sys
import timeit
from pathlib import Path

import netaddr

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from netconsol.normalize import ipranges  # noqa: E402
from netconsol.normalize.ipranges import to_cidrs  # noqa: E402

N = 100_000


def _netaddr_range(v: str) -> list[str]:
    a, b = v.split("-")
    b = a.rsplit(".", 1)[0] + "." + b
    return [str(c) for c in netaddr.iprange_to_cidrs(a, b)]


def _time(f, data) -> float:
    def run():
        ipranges._parse.cache_clear()
        for v in data:
            f(v)
    return min(timeit.repeat(run, number=1, repeat=3))


def main() -> None:
    rng = random.Random(1)
    plain = [f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.0/{rng.randint(16, 30)}"
             for _ in range(N)]
    ranges = [f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.1-{rng.randint(2, 254)}"
              for _ in range(N)]
    rows = [
        ("a.b.c.d/len", _time(to_cidrs, plain), _time(lambda v: str(netaddr.IPNetwork(v).cidr), plain)),
        ("a.b.c.d-e", _time(to_cidrs, ranges), _time(_netaddr_range, ranges)),
    ]
    print(f"{N:,} distinct cells (cache defeated), best of 3, seconds")
    print(f"{'input':<14}{'to_cidrs':>10}{'netaddr':>10}{'gain':>8}")
    for name, ours, lib in rows:
        print(f"{name:<14}{ours:>10.2f}{lib:>10.2f}{lib / ours:>7.1f}x")


if __name__ == "__main__":
    main()
