"""Benchmark (issue 23): ``netconsol collect`` end to end, beside ttp and the floor, on the same files.

Inputs: device configs written by netconsol's own generator (``netconsol.generate``: a province
planned at ``--scale`` with ``--seed``, a seed the tests do not use), VRP, Comware and IOS (the
one JunOS device of a plan is left out), ``--n`` of them evenly spread over the plan (20,000 by
default), under
``benchmarks/_work/collect-s<seed>-n<n>/`` (git-ignored; kept between runs).  Each file is
written in the encoding the generator chose for it (UTF-8, some GB18030).

Three whole processes, timed from outside (wall seconds, and CPU seconds of the process and
its children from ``RUSAGE_CHILDREN``), interleaved repeat by repeat:

1. ``netconsol collect DIR --out OUT``: the command a user runs (its default worker processes);
2. ttp extracting hostname, interfaces, addresses (primary and secondary) and VRFs: one template
   per syntax (IOS, VRP, Comware), each file given to the parser of its own syntax (ttp does
   not detect it: the benchmark tells it, from the generator's plan), read and decoded by the
   harness (ttp reads files as UTF-8 only), fed with ``add_input`` in batches.  Its best batch
   size and mode (``one``: single process; ``multi``: ttp's own process pool) are searched first
   (``--ttp-batches``), each on every file, and the best by wall time is the one timed;
3. the floor: read, decode (UTF-8, else GB18030) and split every file into lines.

Before any time is printed, ttp's (device, interface, address, vrf, secondary) tuples must
equal those of netconsol's ``interfaces`` table in the snapshot (else: counts, a sample, exit 1).

    pip install -r benchmarks/requirements.txt
    python benchmarks/bench_collect.py                     # 20,000 configs, 3 interleaved repeats
    python benchmarks/bench_collect.py --n 2000 --repeat 1 # quick look

Targets (issue 23): collect >= 3x faster than ttp's best, and <= 5x the floor.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "_work"
SEED = 23            # tests use 1, 3, 5, 7, 11 and the demo's 2017
TARGET_TTP, TARGET_FLOOR = 3.0, 5.0

sys.path.insert(0, str(HERE))
# the IOS template and the reading of ttp's results of bench_parsers.py (issue 3), the same ones here
from bench_parsers import TTP_TEMPLATE as IOS_TEMPLATE, ttp_tuples  # noqa: E402

HW_IFACES = """
<group name="interfaces">
interface {{ interface | _start_ }}
 ip binding vpn-instance {{ vrf }}
 ip address {{ ip }} {{ mask }}
 <group name="secondaries*">
 ip address {{ ip | _start_ }} {{ mask }} sub
 </group>
</group>
"""
# VRP writes 'sysname' at the line start, Comware indents it: ttp matches the indentation as written
VRP_TEMPLATE = """
<group name="host">
sysname {{ hostname }}
</group>""" + HW_IFACES
COMWARE_TEMPLATE = """
<group name="host">
 sysname {{ hostname }}
</group>""" + HW_IFACES


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --------------------------------------------------------------------------- inputs
def generate(n: int, seed: int, scale: float, work: Path = WORK) -> tuple[Path, list]:
    """The configs' directory and [(relative path, platform)], written once per (seed, n, scale)."""
    sys.path.insert(0, str(ROOT))
    root = work / f"collect-s{seed}-n{n}-x{scale:g}"
    index = root / "index.json"
    if index.is_file():
        return root / "configs", json.loads(index.read_text())
    from netconsol.generate.configs import render
    from netconsol.generate.model import plan, resolve_sizes

    w = plan(seed, scale, resolve_sizes(scale, {}))
    devices = [d for d in w.devices if d.platform in ("vrp", "comware", "ios")]
    if len(devices) < n:
        raise SystemExit(f"the plan at scale {scale} has {len(devices)} VRP/Comware/IOS devices; raise --scale")
    if root.exists():
        shutil.rmtree(root)
    # every k-th device, so that a small --n has the province's mix (the plan lists cores and PEs first)
    picked = [devices[i * len(devices) // n] for i in range(n)]
    files = []
    for d in picked:
        path = root / d.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(d).encode(d.encoding))
        files.append((Path(d.path).relative_to("configs").as_posix(), d.platform))
    index.write_text(json.dumps(files))
    return root / "configs", files


# --------------------------------------------------------------------------- children
def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def child_floor(directory: str, index: str) -> None:
    files = json.loads(Path(index).read_text())
    lines = 0
    for rel, _ in files:
        with open(os.path.join(directory, rel), "rb") as f:
            lines += len(_decode(f.read()).splitlines())
    print(json.dumps({"lines": lines}))


def child_ttp(directory: str, index: str, batch: int, mode: str, dump: str = "") -> None:
    """ttp on every file: batches of *batch* files of one syntax per parser object."""
    from ttp import ttp

    files = json.loads(Path(index).read_text())
    out: set = set()
    for syntax, template in (("ios", IOS_TEMPLATE), ("vrp", VRP_TEMPLATE), ("comware", COMWARE_TEMPLATE)):
        mine = [rel for rel, s in files if s == syntax]
        for i in range(0, len(mine), batch or len(mine) or 1):
            parser = ttp(template=template)
            for rel in mine[i:i + (batch or len(mine))]:
                with open(os.path.join(directory, rel), "rb") as f:
                    parser.add_input(_decode(f.read()))
            parser.parse(one=mode == "one", multi=mode == "multi")
            ttp_tuples(parser.result()[0], out)
    digest = hashlib.sha256(repr(sorted(out)).encode()).hexdigest()[:16]
    if dump:
        Path(dump).write_text(json.dumps(sorted(out)))
    print(json.dumps({"tuples": len(out), "digest": digest}))


# --------------------------------------------------------------------------- timing
def timed(cmd: list, env=None) -> tuple[float, float, str]:
    """Wall and CPU seconds (the process and every child it waited for) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd[:4]))}... failed ({p.returncode}):\n{p.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, p.stdout


def netconsol_tuples(snapshot: Path) -> set:
    import csv

    out = set()
    with open(snapshot / "interfaces.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.add((r["device"], r["interface"], r["address"], r["vrf"], r["secondary"] == "True"))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=20000, help="configs (default 20,000)")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--scale", type=float, default=200.0, help="province scale of the generator's plan")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ttp-batches", default="100:one,1000:one,0:one,1000:multi,0:multi",
                    help="ttp set-ups tried first, BATCH:MODE (batch 0 = every file of a syntax at once)")
    ap.add_argument("--workers", type=int, help="passed to netconsol collect --workers, when given")
    args = ap.parse_args(argv)

    directory, files = generate(args.n, args.seed, args.scale)
    index = directory.parent / "index.json"
    py, me = sys.executable, str(Path(__file__).resolve())
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT)] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    sys.path.insert(0, str(ROOT))
    from importlib.metadata import version


    kinds = {s: sum(1 for _, k in files if k == s) for s in ("ios", "vrp", "comware")}
    print(f"load average: {load()} on {os.cpu_count()} cores; python {sys.version.split()[0]}, "
          f"ttp {version('ttp')}")
    print(f"{len(files):,} generated configs (seed {args.seed}, scale {args.scale:g}): {kinds['vrp']:,} VRP, "
          f"{kinds['comware']:,} Comware, {kinds['ios']:,} IOS, in {directory}")

    out = WORK / "collect-out"
    nc_cmd = [py, "-m", "netconsol", "collect", str(directory), "--out", str(out), "--quiet"]
    if args.workers:
        nc_cmd[4:4] = ["--workers", str(args.workers)]
    floor_cmd = [py, me, "--child", "floor", str(directory), str(index)]

    def ttp_cmd(batch, mode, dump=""):
        return [py, me, "--child", "ttp", str(directory), str(index), str(batch), mode] + ([dump] if dump else [])

    # the check: ttp's tuples equal netconsol's, before any timing is shown
    timed(nc_cmd, env)
    floor_lines = json.loads(timed(floor_cmd, env)[2])["lines"]
    dump = WORK / "collect-ttp.json"
    timed(ttp_cmd(1000, "one", str(dump)), env)
    tt = {tuple(t) for t in json.loads(dump.read_text())}
    nc = netconsol_tuples(out)
    if tt != nc:
        print(f"MISMATCH: netconsol {len(nc):,} tuples, ttp {len(tt):,}; only netconsol: {sorted(nc - tt)[:5]}; "
              f"only ttp: {sorted(tt - nc)[:5]}")
        return 1
    print(f"same {len(nc):,} (device, interface, address, vrf, secondary) tuples from netconsol and ttp; "
          f"{floor_lines:,} lines")

    # ttp's best set-up, each on every file
    print(f"ttp set-ups (load {load()}):")
    best = None
    for spec in args.ttp_batches.split(","):
        b, mode = spec.split(":")
        w, c, _ = timed(ttp_cmd(int(b), mode), env)
        print(f"  batch {int(b) or 'all':>5} {mode:<5} {w:6.2f} s wall {c:6.2f} s CPU  (load {load()})")
        if best is None or w < best[0]:
            best = (w, int(b), mode)
    _, batch, mode = best
    print(f"ttp's best: batch {batch or 'all'}, {mode}")

    tools = [("netconsol collect", nc_cmd, env), (f"ttp (batch {batch or 'all'}, {mode})", ttp_cmd(batch, mode), env),
             ("floor (read, decode, split)", floor_cmd, env)]
    runs = {name: [] for name, *_ in tools}
    k = len(tools)
    for r in range(args.repeat):
        for name, cmd, e in tools[r % k:] + tools[:r % k]:        # interleaved, the order rotating
            w, c, _ = timed(cmd, e)
            runs[name].append((w, c, os.getloadavg()[0]))
            print(f"  run {r + 1} {name:<32} {w:6.2f} s wall {c:6.2f} s CPU  (load {load()})")
    print(f"\n{'tool':<34} {'best wall':>9} {'best CPU':>9}   wall runs / CPU runs")
    bw = {n: min(x[0] for x in v) for n, v in runs.items()}
    bc = {n: min(x[1] for x in v) for n, v in runs.items()}
    for n, v in runs.items():
        print(f"{n:<34} {bw[n]:9.2f} {bc[n]:9.2f}   {' '.join(f'{x[0]:.2f}' for x in v)} / "
              f"{' '.join(f'{x[1]:.2f}' for x in v)}")
    ncn, ttn, fln = (n for n, *_ in tools)
    print(f"\nnetconsol vs ttp: {bw[ttn] / bw[ncn]:.2f}x faster by wall, {bc[ttn] / bc[ncn]:.2f}x by CPU "
          f"(target >= {TARGET_TTP:g}x: {'met' if bw[ttn] / bw[ncn] >= TARGET_TTP else 'NOT met'} by wall)")
    print(f"netconsol vs floor: {bw[ncn] / bw[fln]:.1f}x the floor by wall, {bc[ncn] / bc[fln]:.1f}x by CPU "
          f"(target <= {TARGET_FLOOR:g}x: {'met' if bw[ncn] / bw[fln] <= TARGET_FLOOR else 'NOT met'} by wall)")
    print(f"load average at the end: {load()}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        if sys.argv[2] == "floor":
            child_floor(sys.argv[3], sys.argv[4])
        else:
            child_ttp(sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6], *sys.argv[7:8])
        sys.exit(0)
    sys.exit(main())
