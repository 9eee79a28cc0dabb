"""Benchmark: live collection of 200 simulated IOS devices over SSH on 127.0.0.1.

The devices are the test simulator (tests/live/simulator.py: paramiko server,
outputs from the public corpus) running in a child process, so the simulator
does not share the collector's interpreter lock.  Each device is collected
through NAPALM's ios driver (netmiko), all five getters, the running config
parsed by the ios parser.  Wall time is printed for --workers 32 and, side by
side, 8 and 1 (1 on a sample, extrapolated: netmiko's pacing makes a serial
scan of 200 devices take minutes).

    python benchmarks/bench_live.py [--devices 200] [--workers 32] [--compare 8,1] [--sample 10]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIM_DIR = ROOT / "tests" / "live"
USERNAME, PASSWORD, SECRET = "bench", "Bench-pw-1!", "Bench-en-2!"


def _corpus() -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CORPUS  # the same lookup the tests use

    return CORPUS


def serve(n: int) -> None:
    """Child process: n simulated devices; prints their ports as JSON, runs until stdin closes."""
    sys.path.insert(0, str(SIM_DIR))
    from simulator import Simulator, ios_device

    corpus = _corpus()
    with Simulator() as sim:
        ports = {}
        for i in range(n):
            name = f"R{i + 1:03d}"
            peer = f"R{(i + 1) % n + 1:03d}"
            ports[name] = sim.add(ios_device(corpus, name, USERNAME, PASSWORD, SECRET,
                                             neighbors=[("Gi2", peer, "Gi3")]))
        print(json.dumps(ports), flush=True)
        sys.stdin.read()


def run(ports: dict, workers: int, timeout: float) -> tuple[float, dict]:
    from netconsol.collectors.live import Target, scan
    from netconsol.credentials import Credentials

    targets = [Target(name, "127.0.0.1", "ios", port) for name, port in sorted(ports.items())]
    t0 = time.perf_counter()
    res = scan(targets, Credentials(USERNAME, PASSWORD, SECRET), workers=workers, timeout=timeout)
    wall = time.perf_counter() - t0
    counts = res.counts()
    counts["interfaces"] = len(res.rows["interfaces"])
    counts["links"] = len(res.rows["links"])
    return wall, counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--workers", type=int, default=32)
    ap.add_argument("--compare", default="8,1", help="other worker counts, comma separated ('' = none)")
    ap.add_argument("--sample", type=int, default=10, help="devices for worker counts below 8 (extrapolated)")
    ap.add_argument("--timeout", type=float, default=30)
    ap.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.serve)
        return 0
    child = subprocess.Popen([sys.executable, __file__, "--serve", str(args.devices)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        t0 = time.perf_counter()
        ports = json.loads(child.stdout.readline())
        print(f"simulator: {len(ports)} devices listening on 127.0.0.1 in {time.perf_counter() - t0:.1f} s")
        wall, c = run(ports, args.workers, args.timeout)
        print(f"workers {args.workers:>3}: {len(ports)} devices in {wall:6.1f} s "
              f"({len(ports) / wall:5.1f} devices/s; ok {c['ok']}, partial {c['partial']}, failed {c['failed']}; "
              f"{c['interfaces']} interface rows, {c['links']} links)")
        for w in [int(x) for x in args.compare.split(",") if x.strip()]:
            sample = dict(sorted(ports.items())[:args.sample]) if w < 8 else ports
            wall_w, cw = run(sample, w, args.timeout)
            est = wall_w * len(ports) / len(sample)
            note = f"; {len(ports)} devices = {est:.0f} s extrapolated" if len(sample) < len(ports) else ""
            print(f"workers {w:>3}: {len(sample)} devices in {wall_w:6.1f} s "
                  f"({len(sample) / wall_w:5.1f} devices/s; ok {cw['ok']}, failed {cw['failed']}{note})")
    finally:
        child.stdin.close()
        child.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
