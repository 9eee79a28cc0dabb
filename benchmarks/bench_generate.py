"""Benchmark: generate a province-sized case (>= 20,000 device configs) into a temporary directory.

Prints the load average (the 2 cores are shared), then wall and CPU seconds, files and
megabytes written, and peak RSS.  Target: 60 s or less on 2 cores.

Run:  python benchmarks/bench_generate.py [--scale 200] [--seed 1] [--devices N] [--keep DIR]
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

MIN_DEVICES = 20_000


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=200.0, help="scale of the demo case (default 200: ~1,200 districts)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--devices", type=int, default=None, help="total device configs (adds town routers)")
    ap.add_argument("--keep", type=Path, default=None, help="write here instead of a temporary directory")
    args = ap.parse_args(argv)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    sizes = {"devices": args.devices} if args.devices else {}
    with tempfile.TemporaryDirectory(prefix="netconsol-gen-") as tmp:
        out = args.keep or Path(tmp) / "province"
        cpu0, t0 = time.process_time(), time.perf_counter()
        summary = generate_city(out, seed=args.seed, scale=args.scale, **sizes)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        files = sum(1 for p in Path(out).rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in Path(out).rglob("*") if p.is_file())
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024     # KiB on Linux
    print(f"scale {args.scale}, seed {args.seed}: {summary['devices']} device configs, {summary['sheets']} sheets, "
          f"{summary['districts']} districts, {summary['towns']} towns, {summary['networks']} networks, "
          f"{summary['exits']} exits, {summary['overlaps']} overlaps")
    print(f"wall {wall:.1f} s, cpu {cpu:.1f} s, {files} files, {size / 1e6:.1f} MB, peak RSS {rss_mb:.0f} MB")
    ok = summary["devices"] >= MIN_DEVICES and wall <= 60
    if summary["devices"] < MIN_DEVICES:
        print(f"FAIL: fewer than {MIN_DEVICES} device configs; raise --scale or --devices")
    elif wall > 60:
        print("FAIL: slower than the 60 s target (see the load average above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
