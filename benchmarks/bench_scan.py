"""Benchmark: the whole scan (every output) on a generated province of >= 20,000 device configs.

Target (issue #10): <= 60 s wall and <= 4 GB peak memory on 2 cores.  Prints the load average
(the machine may be shared), the time of each stage, the total, peak RSS of the process
(ru_maxrss includes the worker processes' own peaks only through RUSAGE_CHILDREN, printed too)
and the CPU seconds of the process and of its workers.  Forked workers make the exit plan and
the collected tables' files, the conflicts, the reconciliation, the topology page and the plan
files while this process links, plans and writes, so stage times overlap (a worker's stage shows
the worker's own CPU).  On a machine that sets PYTHONDONTWRITEBYTECODE, run it with
``env -u PYTHONDONTWRITEBYTECODE``: an installed package has its bytecode compiled.

    python benchmarks/bench_scan.py [--scale 200] [--keep DIR] [--inventory DIR]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from netconsol.generate import generate_city  # noqa: E402
from netconsol.scan import run_scan  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=200.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--inventory", type=Path, help="scan this inventory instead of generating one")
    ap.add_argument("--keep", type=Path, help="keep the generated inventory and outputs here")
    args = ap.parse_args(argv)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="netconsol-scan-") as tmp:
        root = args.keep or Path(tmp)
        inventory = args.inventory
        if inventory is None:
            inventory = root / "province"
            t = time.perf_counter()
            s = generate_city(inventory, seed=args.seed, scale=args.scale)
            print(f"generated {s['configs']:,} configs, {s['sheets']:,} sheets in {time.perf_counter() - t:.1f} s "
                  f"(not part of the scan)")
        t0 = time.perf_counter()
        result = run_scan(inventory, root / "out", db=root / "history.sqlite")
        wall = time.perf_counter() - t0
        print(f"  {'stage':<12} {'wall s':>7} {'cpu s':>7}")
        for stage, sec in result.timings.items():
            print(f"  {stage:<12} {sec:7.1f} {result.cpu.get(stage, float('nan')):7.1f}")
        self_, kids_ = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        me, kids = self_.ru_maxrss / 1024, kids_.ru_maxrss / 1024
        f = result.figures
        print(f"scan total {wall:.1f} s wall; peak RSS {me:,.0f} MB (largest worker {kids:,.0f} MB)")
        print(f"CPU {self_.ru_utime + self_.ru_stime:.1f} s in this process, {kids_.ru_utime + kids_.ru_stime:.1f} s "
              f"in workers (parsers, analysis, page, plan files: their stages overlap this process's)")
        print(f"devices {f['devices']:,}, prefixes {f['prefixes']:,}, conflicts {f['conflicts']:,}, "
              f"links {f['links']:,}, exits {f['exits_before']} -> {f['exits_after']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
